#include "modelbrowserpanel.h"

#include "browserfiltermodel.h"
#include "folderscan.h"
#include "icons.h"
#include "jobtracker.h"
#include "modelbrowsermodel.h"
#include "modelbrowserview.h"
#include "nameelidingdelegate.h"
#include "storeaccess.h"

#include <algorithm>

#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QStyle>
#include <QVBoxLayout>

namespace tfjs::ui {

namespace {
const QString kRecent = QStringLiteral("recent");
const QString kBrowsers = QStringLiteral("browsers");
const QString kTrashSuffix = QStringLiteral("-trash");

// Run by listing jobs, so that the first sort of a large listing spends little time on the
// GUI thread.
void addSortKeys(std::vector<BrowserEntry> &entries)
{
    for (BrowserEntry &entry : entries)
        entry.sortKey = naturalSortKey(entry.name);
}
} // namespace

ModelBrowserPanel::ModelBrowserPanel(JobTracker *jobs, QWidget *parent)
    : QWidget(parent), m_jobs(jobs)
{
    m_model = new ModelBrowserModel(this);
    m_model->addSection(SectionKind::Recent, kRecent, tr("Recent"), icon(IconId::Recent));
    m_filter = new BrowserFilterModel(this);
    m_filter->setSourceModel(m_model);

    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setPlaceholderText(tr("Filter models"));
    m_filterEdit->setClearButtonEnabled(true);
    m_view = new ModelBrowserView(this);
    m_view->setModel(m_filter);
    m_view->sortByColumn(ModelBrowserModel::Name, Qt::AscendingOrder);
    // Names and section titles too wide for the column lose their middle, not their end:
    // "Local sto…e trash" stays a trash, "mobilenet…_224" keeps what tells it apart.
    m_view->setItemDelegateForColumn(ModelBrowserModel::Name, new NameElidingDelegate(m_view));
    const QFontMetrics metrics = m_view->fontMetrics();
    QHeaderView *header = m_view->header();
    header->setSectionResizeMode(ModelBrowserModel::Name, QHeaderView::Stretch);
    header->resizeSection(ModelBrowserModel::Format, metrics.horizontalAdvance(QStringLiteral("layers-model")) + 16);
    header->resizeSection(ModelBrowserModel::Size, metrics.horizontalAdvance(QStringLiteral("999.9 MiB")) + 16);
    header->resizeSection(ModelBrowserModel::Date, metrics.horizontalAdvance(QStringLiteral("2026-12-31")) + 16);
    m_view->expandAll();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filterEdit);
    layout->addWidget(m_view, 1);

    m_watcher = new FolderWatcher(this);
    connect(m_watcher, &FolderWatcher::changed, this, &ModelBrowserPanel::rescanFolder);
    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterText(text);
        m_view->expandAll();
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent) {
        if (!parent.isValid())
            m_view->expandAll(); // a new section opens expanded
        else if (SectionKind(parent.data(ModelBrowserModel::SectionKindRole).toInt()) == SectionKind::Browser)
            m_view->expandRecursively(parent); // and a browser's profiles and origins
    });
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const QString url = index.data(ModelBrowserModel::UrlRole).toString();
        // A trash entry's URL is where it was: the model there now, if any, is another one.
        if (!url.isEmpty() && SectionKind(index.data(ModelBrowserModel::SectionKindRole).toInt()) != SectionKind::Trash)
            emit openRequested(url);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ModelBrowserPanel::currentChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ModelBrowserPanel::selectionChanged);
    connect(m_view, &ModelBrowserView::openDropped, this, &ModelBrowserPanel::openDropped);
    connect(m_view, &ModelBrowserView::importDropped, this, &ModelBrowserPanel::importDropped);
    connect(m_view, &ModelBrowserView::saveDropped, this, &ModelBrowserPanel::saveDropped);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ModelBrowserPanel::showContextMenu);
}

void ModelBrowserPanel::setRegistry(std::shared_ptr<const HandlerRegistry> registry,
                                    const QString &homeDir)
{
    m_registry = std::move(registry);
    m_homeDir = homeDir;
    QStringList stores, importTargets;
    const QIcon trash = style()->standardIcon(QStyle::SP_TrashIcon);
    for (const SchemeInfo &info : m_registry->entriesWith(Capability::List)) {
        stores << info.scheme;
        m_model->addSection(SectionKind::Store, info.scheme, info.displayName,
                            schemeIcon(info.iconName));
        if (info.can(Capability::Trash))
            m_model->addSection(SectionKind::Trash, info.scheme + kTrashSuffix,
                                info.trashName.isEmpty() ? tr("%1 trash").arg(info.displayName)
                                                         : info.trashName,
                                trash);
        if (info.can(Capability::Save))
            importTargets << info.scheme;
    }
    QStringList browsers;
    for (const SchemeInfo &info : m_registry->entriesWith(Capability::Find)) {
        browsers << info.scheme;
        m_model->addSection(SectionKind::Browser, kBrowsers, tr("Browsers"), icon(IconId::Browsers));
        m_model->addSection(SectionKind::Browser, info.scheme, info.displayName,
                            schemeIcon(info.iconName), kBrowsers);
    }
    for (const QString &old : std::as_const(m_stores)) {
        if (!stores.contains(old)) {
            m_model->removeSection(old);
            m_model->removeSection(old + kTrashSuffix);
        }
    }
    for (const QString &old : std::as_const(m_browsers)) {
        if (!browsers.contains(old))
            m_model->removeSection(old);
    }
    if (browsers.isEmpty())
        m_model->removeSection(kBrowsers);
    m_stores = stores;
    m_browsers = browsers;
    m_view->setImportSchemes(importTargets);
    refreshStores();
    refreshBrowsers();
}

void ModelBrowserPanel::addFolder(const QString &path)
{
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    if (m_model->sectionIndex(absolute).isValid())
        return;
    m_model->addSection(SectionKind::Folder, absolute, QFileInfo(absolute).fileName(),
                        icon(IconId::Folder));
    rescanFolder(absolute);
    emit foldersChanged();
}

void ModelBrowserPanel::removeFolder(const QString &path)
{
    m_watcher->unwatch(path);
    if (m_model->removeSection(path))
        emit foldersChanged();
}

QStringList ModelBrowserPanel::folders() const
{
    return m_model->sectionKeys(SectionKind::Folder);
}

void ModelBrowserPanel::rescanFolder(const QString &root)
{
    const quint64 generation = m_model->beginListing(root, tr("Scanning…"));
    if (generation == 0)
        return;
    m_jobs->start<FolderScan>(
        tr("Scanning %1").arg(QFileInfo(root).fileName()),
        [root](JobContext &ctx) {
            auto scan = scanFolder(root, ctx);
            if (scan)
                addSortKeys(scan->entries);
            return scan;
        },
        this,
        [this, root, generation](Result<FolderScan> scan) {
            if (!scan) {
                m_model->setEntries(root, generation, {},
                                    scan.error().isCancelled() ? tr("Scan cancelled")
                                                               : scan.error().message);
                emit listingFinished(root, false);
                return;
            }
            const QString status = scan->truncated ? tr("Only the first %1 folders were scanned")
                                                         .arg(kMaxScannedDirectories)
                                                   : QString();
            if (m_model->setEntries(root, generation, std::move(scan->entries), status))
                m_watcher->watch(root, scan->directories, scan->files);
            emit listingFinished(root, true);
        },
        true);
}

void ModelBrowserPanel::listStore(const QString &scheme, bool trash)
{
    const auto registry = m_registry;
    listSection(trash ? scheme + kTrashSuffix : scheme,
                trash ? tr("Listing the trash of %1://").arg(scheme) : tr("Listing %1://").arg(scheme),
                [registry, scheme, trash](JobContext &ctx) -> Result<Listing> {
                    auto entries = trash ? listTrash(*registry, scheme, ctx)
                                         : tfjs::ui::listStore(*registry, scheme, ctx);
                    if (!entries)
                        return fail(entries.error());
                    return Listing{std::move(*entries), {}};
                });
}

void ModelBrowserPanel::listSection(const QString &key, const QString &title, ListWork work)
{
    const quint64 generation = m_model->beginListing(key, tr("Listing…"));
    m_jobs->start<Listing>(
        title,
        [work = std::move(work)](JobContext &ctx) {
            auto listing = work(ctx);
            if (listing)
                addSortKeys(listing->entries);
            return listing;
        },
        this,
        [this, key, generation](Result<Listing> listing) {
            const QString status = !listing ? listing.error().message
                                   : listing->entries.empty() ? listing->emptyStatus : QString();
            // A section whose rows are rebuilt (a browser's) keeps its selected model selected.
            const auto selected = currentEntry();
            m_model->setEntries(key, generation,
                                listing ? std::move(listing->entries) : std::vector<BrowserEntry>{},
                                status);
            if (selected && !m_view->currentIndex().isValid())
                selectUrl(selected->url);
            emit listingFinished(key, listing.has_value());
        },
        true);
}

void ModelBrowserPanel::refreshBrowsers()
{
    if (!m_registry)
        return;
    const auto registry = m_registry;
    for (const QString &scheme : std::as_const(m_browsers)) {
        listSection(scheme, tr("Looking for models in %1").arg(m_registry->info(scheme)->displayName),
                    [registry, scheme, home = m_homeDir](JobContext &ctx) -> Result<Listing> {
                        auto found = listFound(*registry, scheme, home, ctx);
                        if (!found)
                            return fail(found.error());
                        return Listing{std::move(found->entries), found->profiles == 0
                                                                      ? tr("No profiles found")
                                                                      : tr("No models found")};
                    });
    }
}

void ModelBrowserPanel::setRecent(const std::vector<BrowserEntry> &recent)
{
    const quint64 generation = m_model->beginListing(kRecent);
    m_model->setEntries(kRecent, generation, recent);
}

void ModelBrowserPanel::addRecent(const BrowserEntry &entry)
{
    m_model->upsertEntry(kRecent, entry, true);
    const auto *entries = m_model->entries(kRecent);
    while (entries && int(entries->size()) > 20)
        m_model->removeEntry(kRecent, entries->back().url);
    emit recentChanged();
}

std::vector<BrowserEntry> ModelBrowserPanel::recent() const
{
    const auto *entries = m_model->entries(kRecent);
    return entries ? *entries : std::vector<BrowserEntry>{};
}

void ModelBrowserPanel::refresh()
{
    refreshStores();
    refreshBrowsers();
    for (const QString &folder : folders())
        rescanFolder(folder);
}

void ModelBrowserPanel::refreshStores()
{
    if (!m_registry)
        return;
    for (const QString &scheme : std::as_const(m_stores)) {
        listStore(scheme, false);
        if (m_registry->info(scheme)->can(Capability::Trash))
            listStore(scheme, true);
    }
}

QString ModelBrowserPanel::currentTrashScheme() const
{
    if (currentSectionKind() != SectionKind::Trash)
        return {};
    QString key = currentSectionKey();
    return key.endsWith(kTrashSuffix) ? key.chopped(kTrashSuffix.size()) : QString();
}

std::optional<BrowserEntry> ModelBrowserPanel::currentEntry() const
{
    const QModelIndex index = m_filter->mapToSource(m_view->currentIndex());
    if (const BrowserEntry *entry = m_model->entryAt(m_model->index(index.row(), 0, index.parent())))
        return *entry;
    return std::nullopt;
}

std::vector<BrowserEntry> ModelBrowserPanel::selectedEntries() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    auto path = [](QModelIndex index) { // rows from the top level down
        std::vector<int> rows;
        for (; index.isValid(); index = index.parent())
            rows.insert(rows.begin(), index.row());
        return rows;
    };
    std::sort(rows.begin(), rows.end(),
              [&path](const QModelIndex &a, const QModelIndex &b) { return path(a) < path(b); });
    std::vector<BrowserEntry> entries;
    for (const QModelIndex &row : rows) {
        const QModelIndex index = m_filter->mapToSource(row);
        const BrowserEntry *entry = m_model->entryAt(m_model->index(index.row(), 0, index.parent()));
        if (entry && entry->trashId < 0)
            entries.push_back(*entry);
    }
    return entries;
}

SectionKind ModelBrowserPanel::currentSectionKind() const
{
    return SectionKind(m_view->currentIndex().data(ModelBrowserModel::SectionKindRole).toInt());
}

QString ModelBrowserPanel::currentSectionKey() const
{
    return m_view->currentIndex().data(ModelBrowserModel::SectionKeyRole).toString();
}

QModelIndex ModelBrowserPanel::rowOfUrl(const QModelIndex &parent, const QString &url) const
{
    for (int r = 0; r < m_filter->rowCount(parent); ++r) {
        const QModelIndex index = m_filter->index(r, 0, parent);
        if (index.data(ModelBrowserModel::UrlRole).toString() == url)
            return index;
        if (const QModelIndex inner = rowOfUrl(index, url); inner.isValid())
            return inner;
    }
    return {};
}

bool ModelBrowserPanel::selectUrl(const QString &url)
{
    const QModelIndex index = rowOfUrl({}, url);
    if (!index.isValid())
        return false;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

void ModelBrowserPanel::setContextActions(SectionKind kind, bool forEntries, const QList<QAction *> &actions)
{
    m_contextActions[{kind, forEntries}] = actions;
}

void ModelBrowserPanel::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    // A right-click on a selected row keeps the selection (Compare acts on two selected models).
    if (index.isValid() && m_view->selectionModel()->isSelected(index))
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    else if (index.isValid())
        m_view->setCurrentIndex(index);
    // Groups (a browser's profiles and origins) have their section's menu.
    const bool entry = index.isValid() && !index.data(ModelBrowserModel::UrlRole).toString().isEmpty();
    // Below the last section: the menu of a folder section (refresh, add a folder).
    const auto kind = index.isValid() ? SectionKind(index.data(ModelBrowserModel::SectionKindRole).toInt())
                                      : SectionKind::Folder;
    const auto found = m_contextActions.find({kind, entry});
    if (found == m_contextActions.end() || found->second.isEmpty())
        return;
    const QList<QAction *> &actions = found->second;
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("browserContextMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (QAction *action : actions) {
        if (action)
            menu->addAction(action);
        else
            menu->addSeparator();
    }
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

} // namespace tfjs::ui

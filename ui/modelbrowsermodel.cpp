#include "modelbrowsermodel.h"

#include "formatting.h"
#include "icons.h"

#include "handlers/registry.h"

#include <QApplication>
#include <QBrush>
#include <QFileInfo>
#include <QFont>
#include <QHash>
#include <QMimeData>
#include <QPalette>
#include <QStyle>
#include <QUrl>

#include <algorithm>
#include <set>

namespace tfjs::ui {

namespace {

// How a page's storage is named to users ("indexeddb" in URLs and the CLI).
QString storageLabel(const QString &storage)
{
    if (storage == QLatin1String("indexeddb"))
        return QStringLiteral("IndexedDB");
    if (storage == QLatin1String("localstorage"))
        return QStringLiteral("localStorage");
    return storage;
}

} // namespace

ModelBrowserModel::ModelBrowserModel(QObject *parent) : QAbstractItemModel(parent) {}

int ModelBrowserModel::addSection(SectionKind kind, const QString &key, const QString &title,
                                  const QIcon &icon, const QString &parentKey)
{
    if (sectionPos(key) >= 0)
        return sectionIndex(key).row();
    // Order: store, local storage, browsers, folders (in the order added), recent, the trash.
    auto rank = [](SectionKind k) {
        switch (k) {
        case SectionKind::Store: return 0;
        case SectionKind::LocalStorage: return 1;
        case SectionKind::Browser: return 2;
        case SectionKind::Folder: return 3;
        case SectionKind::Recent: return 4;
        case SectionKind::Trash: return 5;
        }
        return 5;
    };
    const auto siblings = childSections(parentKey);
    std::size_t row = 0;
    while (row < siblings.size()
           && (!parentKey.isEmpty() || rank(m_sections[siblings[row]].kind) <= rank(kind)))
        ++row;
    const std::size_t pos = row < siblings.size() ? siblings[row] : m_sections.size();
    beginInsertRows(parentKey.isEmpty() ? QModelIndex() : sectionIndex(parentKey), int(row), int(row));
    Section section;
    section.id = m_nextId++;
    section.kind = kind;
    section.key = key;
    section.parentKey = parentKey;
    section.title = title;
    section.icon = icon;
    m_sections.insert(m_sections.begin() + std::ptrdiff_t(pos), std::move(section));
    indexSections();
    endInsertRows();
    return int(row);
}

bool ModelBrowserModel::removeSection(const QString &key)
{
    const int pos = sectionPos(key);
    if (pos < 0)
        return false;
    const QModelIndex index = sectionIndex(key);
    beginRemoveRows(index.parent(), index.row(), index.row());
    std::erase_if(m_sections, [&key](const Section &s) { return s.key == key || s.parentKey == key; });
    indexSections();
    endRemoveRows();
    return true;
}

QStringList ModelBrowserModel::sectionKeys(SectionKind kind) const
{
    QStringList keys;
    for (const Section &section : m_sections) {
        if (section.kind == kind)
            keys << section.key;
    }
    return keys;
}

QModelIndex ModelBrowserModel::sectionIndex(const QString &key) const
{
    const int pos = sectionPos(key);
    if (pos < 0)
        return {};
    return indexOf(m_sections[std::size_t(pos)]);
}

QModelIndex ModelBrowserModel::indexOf(const Section &section) const
{
    const int parent = section.parentKey.isEmpty() ? -1 : sectionPos(section.parentKey);
    return createIndex(section.row, 0, parent < 0 ? quintptr(0) : quintptr(m_sections[std::size_t(parent)].id));
}

quint64 ModelBrowserModel::beginListing(const QString &key, const QString &status)
{
    const int pos = sectionPos(key);
    if (pos < 0)
        return 0;
    Section &section = m_sections[std::size_t(pos)];
    ++section.generation;
    if (!status.isEmpty() && section.status != status) {
        section.status = status;
        const QModelIndex index = sectionIndex(key);
        emit dataChanged(index, index.siblingAtColumn(ColumnCount - 1));
    }
    return section.generation;
}

bool ModelBrowserModel::setEntries(const QString &key, quint64 generation,
                                   std::vector<BrowserEntry> entries, const QString &status)
{
    const int row = sectionPos(key);
    if (row < 0 || m_sections[std::size_t(row)].generation != generation)
        return false;
    const QModelIndex parent = sectionIndex(key);
    if (isGrouped(m_sections[std::size_t(row)])) {
        setGroupedEntries(std::size_t(row), std::move(entries));
        m_sections[std::size_t(row)].status = status;
        emit dataChanged(parent, parent.siblingAtColumn(ColumnCount - 1));
        return true;
    }
    // key -> position in `entries`; a key listed twice keeps its first entry.
    QHash<QString, std::size_t> incoming;
    incoming.reserve(qsizetype(entries.size()));
    std::vector<bool> duplicate(entries.size(), false);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (incoming.contains(entries[i].key()))
            duplicate[i] = true;
        else
            incoming.insert(entries[i].key(), i);
    }

    // Remove rows whose URL is gone, last first, one contiguous run at a time.
    auto &current = m_sections[std::size_t(row)].entries;
    int last = int(current.size()) - 1;
    while (last >= 0) {
        if (incoming.contains(current[std::size_t(last)].key())) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !incoming.contains(current[std::size_t(first - 1)].key()))
            --first;
        beginRemoveRows(parent, first, last);
        current.erase(current.begin() + first, current.begin() + last + 1);
        endRemoveRows();
        last = first - 1;
    }
    // Update the rows that stay, then append the new ones.
    std::vector<bool> used = std::move(duplicate);
    for (std::size_t i = 0; i < current.size(); ++i) {
        const std::size_t from = incoming.value(current[i].key());
        used[from] = true;
        current[i] = std::move(entries[from]);
    }
    if (!current.empty())
        emit dataChanged(index(0, 0, parent), index(int(current.size()) - 1, ColumnCount - 1, parent));
    // The new ones, in order, at the front of `entries` (a first listing moves them all at once).
    std::size_t added = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!used[i]) {
            if (added != i)
                entries[added] = std::move(entries[i]);
            ++added;
        }
    }
    entries.resize(added);
    if (added > 0) {
        const int first = int(current.size());
        beginInsertRows(parent, first, first + int(added) - 1);
        if (current.empty())
            current = std::move(entries);
        else
            std::move(entries.begin(), entries.end(), std::back_inserter(current));
        endInsertRows();
    }
    m_sections[std::size_t(row)].status = status;
    emit dataChanged(parent, parent.siblingAtColumn(ColumnCount - 1));
    return true;
}

void ModelBrowserModel::upsertEntry(const QString &key, const BrowserEntry &entry, bool atTop)
{
    const int row = sectionPos(key);
    if (row < 0 || isGrouped(m_sections[std::size_t(row)]))
        return;
    const QModelIndex parent = sectionIndex(key);
    auto &current = m_sections[std::size_t(row)].entries;
    const auto it = std::find_if(current.begin(), current.end(),
                                 [&](const BrowserEntry &e) { return e.url == entry.url; });
    if (it != current.end()) {
        const int at = int(it - current.begin());
        if (atTop && at != 0) {
            beginMoveRows(parent, at, at, parent, 0);
            std::rotate(current.begin(), it, it + 1);
            endMoveRows();
            current.front() = entry;
            emit dataChanged(index(0, 0, parent), index(0, ColumnCount - 1, parent));
        } else {
            *it = entry;
            emit dataChanged(index(at, 0, parent), index(at, ColumnCount - 1, parent));
        }
        return;
    }
    const int at = atTop ? 0 : int(current.size());
    beginInsertRows(parent, at, at);
    current.insert(current.begin() + at, entry);
    endInsertRows();
}

bool ModelBrowserModel::removeEntry(const QString &key, const QString &url)
{
    const int row = sectionPos(key);
    if (row < 0 || isGrouped(m_sections[std::size_t(row)]))
        return false;
    auto &current = m_sections[std::size_t(row)].entries;
    const auto it = std::find_if(current.begin(), current.end(),
                                 [&](const BrowserEntry &e) { return e.url == url; });
    if (it == current.end())
        return false;
    const int at = int(it - current.begin());
    beginRemoveRows(sectionIndex(key), at, at);
    current.erase(it);
    endRemoveRows();
    return true;
}

const std::vector<BrowserEntry> *ModelBrowserModel::entries(const QString &key) const
{
    const int pos = sectionPos(key);
    return pos < 0 ? nullptr : &m_sections[std::size_t(pos)].entries;
}

const BrowserEntry *ModelBrowserModel::entryAt(const QModelIndex &index) const
{
    return item(index).entry;
}

QModelIndex ModelBrowserModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < childCount({}) ? createIndex(row, column, quintptr(0)) : QModelIndex();
    const Item at = item(parent);
    if (at.entry || parent.column() != 0 || !at.section)
        return {};
    const Node node{at.section, at.group};
    if (row >= childCount(node))
        return {};
    return createIndex(row, column, quintptr(at.group ? at.group->id : at.section->id));
}

QModelIndex ModelBrowserModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const Node parent = node(child.internalId());
    if (parent.group)
        return createIndex(parent.group->row, 0, quintptr(parent.group->parentId));
    return parent.section ? indexOf(*parent.section) : QModelIndex();
}

int ModelBrowserModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return childCount({});
    const Item at = item(parent);
    if (parent.column() != 0 || at.entry || !at.section)
        return 0;
    return childCount({at.section, at.group});
}

int ModelBrowserModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ModelBrowserModel::data(const QModelIndex &index, int role) const
{
    const Item at = item(index);
    if (at.entry)
        return entryData(*at.section, *at.entry, index.column(), role);
    if (at.group)
        return groupData(*at.section, *at.group, index.column(), role);
    return at.section ? sectionData(*at.section, index.column(), role) : QVariant();
}

QVariant ModelBrowserModel::placeData(const Section &section, bool isSection, int role)
{
    switch (role) {
    case IsSectionRole: return isSection;
    case SectionKindRole: return int(section.kind);
    case SectionKeyRole: return section.key;
    default: return {};
    }
}

QVariant ModelBrowserModel::sectionData(const Section &section, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        if (column == Name)
            return section.title;
        if (column == Format)
            return section.status;
        if (const qint64 count = modelCount(section); column == Size && count > 0)
            return countOf(count, tr("model"), tr("models"));
        return {};
    case Qt::ToolTipRole: {
        // A folder's path; the full title of the others (the column may elide it).
        const QString name = section.kind == SectionKind::Folder ? section.key : section.title;
        return section.status.isEmpty() ? name : name + QLatin1Char('\n') + section.status;
    }
    case Qt::DecorationRole:
        return column == Name && !section.icon.isNull() ? QVariant(section.icon) : QVariant();
    case Qt::FontRole:
        if (column == Name) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case RawValueRole:
        return column == Name ? QVariant(section.title) : QVariant();
    default:
        return placeData(section, true, role);
    }
}

QVariant ModelBrowserModel::entryData(const Section &section, const BrowserEntry &entry,
                                      int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name: // a found model, below its origin: "dense  (IndexedDB)"
            return entry.storage.isEmpty() ? entry.name : tr("%1  (%2)").arg(entry.name, storageLabel(entry.storage));
        case Format: return entry.trashId < 0 ? entry.format : entry.trashReason;
        case Size: return formatBytes(entry.size);
        case Date: return entry.date.isValid() ? entry.date.toLocalTime().toString(QStringLiteral("yyyy-MM-dd")) : QString();
        default: return {};
        }
    case RawValueRole:
        switch (column) {
        case Name: return entry.name;
        case Format: return entry.trashId < 0 ? entry.format : entry.trashReason;
        case Size: return entry.size;
        case Date: return entry.date;
        default: return {};
        }
    case Qt::ToolTipRole: {
        if (entry.trashId >= 0)
            return tr("%1\n%2 %3; Restore puts it back there").arg(entry.url, entry.trashReason, formatDate(entry.date));
        QString tip = entry.origin.isEmpty()
            ? entry.url
            : tr("%1\nProfile: %2\nOrigin: %3\nStorage: %4").arg(entry.name, entry.profile, entry.origin, entry.storage);
        if (entry.date.isValid())
            tip += QLatin1Char('\n') + formatDate(entry.date);
        if (!entry.savedBy.isEmpty())
            tip += QLatin1Char('\n') + tr("Saved by %1").arg(entry.savedBy);
        if (!entry.problem.isEmpty())
            tip += QLatin1Char('\n') + entry.problem;
        return tip;
    }
    case Qt::DecorationRole:
        if (column == Name && !entry.problem.isEmpty())
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::ForegroundRole:
        if (!entry.problem.isEmpty())
            return QBrush(QColor(0xb0, 0x30, 0x20));
        return {};
    case Qt::FontRole:
        if (entry.trashId >= 0 && column == Format) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == Size)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case UrlRole:
        return entry.url;
    case ProblemRole:
        return entry.problem;
    case TrashIdRole:
        return entry.trashId;
    default:
        return placeData(section, false, role);
    }
}

QVariant ModelBrowserModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Format: return tr("Format");
    case Size: return tr("Size");
    case Date: return tr("Date");
    default: return {};
    }
}

Qt::ItemFlags ModelBrowserModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Item at = item(index);
    if (at.entry)
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
    if (at.group)
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    // A browser that found nothing is one disabled line; its status says why.
    if (at.section && isGrouped(*at.section) && !at.section->parentKey.isEmpty() && at.section->entries.empty())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDropEnabled;
}

QStringList ModelBrowserModel::mimeTypes() const
{
    return {QStringLiteral("text/uri-list")};
}

QMimeData *ModelBrowserModel::mimeData(const QModelIndexList &indexes) const
{
    QList<QUrl> urls;
    for (const QModelIndex &index : indexes) {
        const BrowserEntry *entry = index.column() == Name ? entryAt(index) : nullptr;
        // A trash entry's URL is where it was, not the model in the trash.
        if (!entry || entry->trashId >= 0)
            continue;
        const QString path = ModelUrl::localPath(entry->url);
        urls << (path.isEmpty() ? QUrl(entry->url) : QUrl::fromLocalFile(path));
    }
    if (urls.isEmpty())
        return nullptr;
    auto *mime = new QMimeData;
    mime->setUrls(urls);
    return mime;
}

Qt::DropActions ModelBrowserModel::supportedDragActions() const
{
    return Qt::CopyAction;
}

} // namespace tfjs::ui

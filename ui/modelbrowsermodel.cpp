#include "modelbrowsermodel.h"

#include "formatting.h"

#include <QApplication>
#include <QBrush>
#include <QFont>
#include <QPalette>
#include <QStyle>

#include <algorithm>
#include <map>

namespace tfjs::ui {

ModelBrowserModel::ModelBrowserModel(QObject *parent) : QAbstractItemModel(parent) {}

int ModelBrowserModel::sectionRow(const QString &key) const
{
    for (std::size_t row = 0; row < m_sections.size(); ++row) {
        if (m_sections[row].key == key)
            return int(row);
    }
    return -1;
}

int ModelBrowserModel::sectionRowById(quintptr id) const
{
    for (std::size_t row = 0; row < m_sections.size(); ++row) {
        if (m_sections[row].id == id)
            return int(row);
    }
    return -1;
}

int ModelBrowserModel::addSection(SectionKind kind, const QString &key, const QString &title,
                                  const QIcon &icon)
{
    if (const int row = sectionRow(key); row >= 0)
        return row;
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
    int row = 0;
    while (row < int(m_sections.size()) && rank(m_sections[std::size_t(row)].kind) <= rank(kind))
        ++row;
    beginInsertRows({}, row, row);
    Section section;
    section.id = m_nextId++;
    section.kind = kind;
    section.key = key;
    section.title = title;
    section.icon = icon;
    m_sections.insert(m_sections.begin() + row, std::move(section));
    endInsertRows();
    return row;
}

bool ModelBrowserModel::removeSection(const QString &key)
{
    const int row = sectionRow(key);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_sections.erase(m_sections.begin() + row);
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
    const int row = sectionRow(key);
    return row < 0 ? QModelIndex() : createIndex(row, 0, quintptr(0));
}

quint64 ModelBrowserModel::beginListing(const QString &key, const QString &status)
{
    const int row = sectionRow(key);
    if (row < 0)
        return 0;
    Section &section = m_sections[std::size_t(row)];
    ++section.generation;
    if (!status.isEmpty() && section.status != status) {
        section.status = status;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    return section.generation;
}

bool ModelBrowserModel::setEntries(const QString &key, quint64 generation,
                                   std::vector<BrowserEntry> entries, const QString &status)
{
    const int row = sectionRow(key);
    if (row < 0 || m_sections[std::size_t(row)].generation != generation)
        return false;
    const QModelIndex parent = index(row, 0);
    std::map<QString, std::size_t> incoming; // key -> position in `entries`
    for (std::size_t i = 0; i < entries.size(); ++i)
        incoming.emplace(entries[i].key(), i);

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
    std::vector<bool> used(entries.size(), false);
    for (std::size_t i = 0; i < current.size(); ++i) {
        const std::size_t from = incoming.at(current[i].key());
        used[from] = true;
        current[i] = std::move(entries[from]);
    }
    if (!current.empty())
        emit dataChanged(index(0, 0, parent), index(int(current.size()) - 1, ColumnCount - 1, parent));
    std::vector<BrowserEntry> added;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!used[i] && incoming.at(entries[i].key()) == i) // duplicates: the first one wins
            added.push_back(std::move(entries[i]));
    }
    if (!added.empty()) {
        const int first = int(current.size());
        beginInsertRows(parent, first, first + int(added.size()) - 1);
        std::move(added.begin(), added.end(), std::back_inserter(current));
        endInsertRows();
    }
    Section &section = m_sections[std::size_t(row)];
    section.status = status;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return true;
}

void ModelBrowserModel::upsertEntry(const QString &key, const BrowserEntry &entry, bool atTop)
{
    const int row = sectionRow(key);
    if (row < 0)
        return;
    const QModelIndex parent = index(row, 0);
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
    const int row = sectionRow(key);
    if (row < 0)
        return false;
    auto &current = m_sections[std::size_t(row)].entries;
    const auto it = std::find_if(current.begin(), current.end(),
                                 [&](const BrowserEntry &e) { return e.url == url; });
    if (it == current.end())
        return false;
    const int at = int(it - current.begin());
    beginRemoveRows(index(row, 0), at, at);
    current.erase(it);
    endRemoveRows();
    return true;
}

const std::vector<BrowserEntry> *ModelBrowserModel::entries(const QString &key) const
{
    const int row = sectionRow(key);
    return row < 0 ? nullptr : &m_sections[std::size_t(row)].entries;
}

const BrowserEntry *ModelBrowserModel::entryAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.internalId() == 0)
        return nullptr;
    const int row = sectionRowById(index.internalId());
    if (row < 0)
        return nullptr;
    const auto &entries = m_sections[std::size_t(row)].entries;
    if (index.row() < 0 || index.row() >= int(entries.size()))
        return nullptr;
    return &entries[std::size_t(index.row())];
}

QModelIndex ModelBrowserModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < int(m_sections.size()) ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= int(m_sections.size()))
        return {};
    const Section &section = m_sections[std::size_t(parent.row())];
    if (row >= int(section.entries.size()))
        return {};
    return createIndex(row, column, quintptr(section.id));
}

QModelIndex ModelBrowserModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const int row = sectionRowById(child.internalId());
    return row < 0 ? QModelIndex() : createIndex(row, 0, quintptr(0));
}

int ModelBrowserModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_sections.size());
    if (parent.column() != 0 || parent.internalId() != 0 || parent.row() >= int(m_sections.size()))
        return 0;
    return int(m_sections[std::size_t(parent.row())].entries.size());
}

int ModelBrowserModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ModelBrowserModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    if (index.internalId() == 0) {
        if (index.row() >= int(m_sections.size()))
            return {};
        return sectionData(m_sections[std::size_t(index.row())], index.column(), role);
    }
    const int row = sectionRowById(index.internalId());
    if (row < 0)
        return {};
    const Section &section = m_sections[std::size_t(row)];
    if (index.row() >= int(section.entries.size()))
        return {};
    return entryData(section, section.entries[std::size_t(index.row())], index.column(), role);
}

QVariant ModelBrowserModel::sectionData(const Section &section, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        if (column == Name)
            return section.title;
        if (column == Format)
            return section.status;
        if (column == Size)
            return section.entries.empty() ? QString() : countOf(qint64(section.entries.size()), tr("model"), tr("models"));
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
    case IsSectionRole:
        return true;
    case SectionKindRole:
        return int(section.kind);
    case SectionKeyRole:
        return section.key;
    default:
        return {};
    }
}

QVariant ModelBrowserModel::entryData(const Section &section, const BrowserEntry &entry,
                                      int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name: // a found model: "dense · indexeddb · http://127.0.0.1:8765" (elided in the middle)
            return entry.origin.isEmpty() ? entry.name : tr("%1 · %2 · %3").arg(entry.name, entry.storage, entry.origin);
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
    case IsSectionRole:
        return false;
    case SectionKindRole:
        return int(section.kind);
    case SectionKeyRole:
        return section.key;
    case ProblemRole:
        return entry.problem;
    case TrashIdRole:
        return entry.trashId;
    default:
        return {};
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
    if (index.internalId() == 0)
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDropEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

} // namespace tfjs::ui

#include "modelbrowsermodel.h"

#include "formatting.h"
#include "icons.h"

#include <QFileInfo>

#include <algorithm>
#include <set>

// ModelBrowserModel's tree: what an index shows (sections, sections inside sections, a
// Browser section's profile and origin groups, entries) and how the groups are built.
namespace tfjs::ui {

int ModelBrowserModel::sectionPos(const QString &key) const
{
    for (std::size_t pos = 0; pos < m_sections.size(); ++pos) {
        if (m_sections[pos].key == key)
            return int(pos);
    }
    return -1;
}

const std::vector<std::size_t> &ModelBrowserModel::childSections(const QString &parentKey) const
{
    static const std::vector<std::size_t> none;
    if (parentKey.isEmpty())
        return m_topSections;
    const int pos = sectionPos(parentKey);
    return pos < 0 ? none : m_sections[std::size_t(pos)].inner;
}

void ModelBrowserModel::indexSections()
{
    m_topSections.clear();
    for (Section &section : m_sections)
        section.inner.clear();
    for (std::size_t pos = 0; pos < m_sections.size(); ++pos) {
        Section &section = m_sections[pos];
        const int parent = section.parentKey.isEmpty() ? -1 : sectionPos(section.parentKey);
        auto &siblings = parent < 0 ? m_topSections : m_sections[std::size_t(parent)].inner;
        section.row = int(siblings.size());
        siblings.push_back(pos);
    }
}

namespace {

template<typename Groups> const auto *findGroup(const Groups &groups, quintptr id)
{
    for (const auto &group : groups) {
        if (group.id == id)
            return &group;
        if (const auto *found = findGroup(group.children, id))
            return found;
    }
    return static_cast<decltype(&groups.front())>(nullptr);
}

} // namespace

ModelBrowserModel::Node ModelBrowserModel::node(quintptr id) const
{
    for (const Section &section : m_sections) {
        if (section.id == id)
            return { &section, nullptr };
        if (const Group *group = findGroup(section.groups, id))
            return { &section, group };
    }
    return {};
}

int ModelBrowserModel::childCount(const Node &parent) const
{
    if (parent.group)
        return int(parent.group->children.empty() ? parent.group->entries.size()
                                                  : parent.group->children.size());
    if (!parent.section)
        return int(m_topSections.size());
    if (!parent.section->inner.empty())
        return int(parent.section->inner.size());
    return int(isGrouped(*parent.section) ? parent.section->groups.size()
                                          : parent.section->entries.size());
}

ModelBrowserModel::Item ModelBrowserModel::item(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.row() < 0)
        return {};
    const std::size_t row = std::size_t(index.row());
    if (index.internalId() == 0) {
        return row < m_topSections.size() ? Item { &m_sections[m_topSections[row]] } : Item {};
    }
    const Node parent = node(index.internalId());
    if (int(row) >= childCount(parent) || !parent.section)
        return {};
    if (parent.group) {
        if (!parent.group->children.empty())
            return { parent.section, &parent.group->children[row] };
        return { parent.section, nullptr, &parent.section->entries[parent.group->entries[row]] };
    }
    if (!parent.section->inner.empty())
        return { &m_sections[parent.section->inner[row]] };
    if (isGrouped(*parent.section))
        return { parent.section, &parent.section->groups[row] };
    return { parent.section, nullptr, &parent.section->entries[row] };
}

bool ModelBrowserModel::setGroupedEntries(std::size_t pos, std::vector<BrowserEntry> entries)
{
    // Groups are rebuilt: a refresh of a browser's profiles is rare and small.
    const QModelIndex parent = sectionIndex(m_sections[pos].key);
    if (const int rows = rowCount(parent); rows > 0) {
        beginRemoveRows(parent, 0, rows - 1);
        m_sections[pos].groups.clear();
        m_sections[pos].entries.clear();
        endRemoveRows();
    }
    std::set<QString> seen; // duplicates: the first one wins
    std::erase_if(entries, [&seen](const BrowserEntry &e) { return !seen.insert(e.key()).second; });
    m_sections[pos].entries = std::move(entries);
    std::vector<Group> groups = groupsOf(m_sections[pos]);
    if (groups.empty())
        return false;
    beginInsertRows(parent, 0, int(groups.size()) - 1);
    m_sections[pos].groups = std::move(groups);
    endInsertRows();
    return true;
}

std::vector<ModelBrowserModel::Group> ModelBrowserModel::groupsOf(const Section &section)
{
    std::vector<Group> profiles;
    for (std::size_t i = 0; i < section.entries.size(); ++i) {
        const BrowserEntry &entry = section.entries[i];
        auto profile = std::find_if(profiles.begin(), profiles.end(),
            [&entry](const Group &g) { return g.toolTip == entry.profile; });
        if (profile == profiles.end()) {
            Group group;
            group.id = m_nextId++;
            group.parentId = section.id;
            group.row = int(profiles.size());
            group.title = QFileInfo(entry.profile).fileName();
            group.toolTip = entry.profile;
            profile = profiles.insert(profiles.end(), std::move(group));
        }
        auto origin = std::find_if(profile->children.begin(), profile->children.end(),
            [&entry](const Group &g) { return g.title == entry.origin; });
        if (origin == profile->children.end()) {
            Group group;
            group.id = m_nextId++;
            group.parentId = profile->id;
            group.row = int(profile->children.size());
            group.title = group.toolTip = entry.origin;
            group.isProfile = false;
            origin = profile->children.insert(profile->children.end(), std::move(group));
        }
        origin->entries.push_back(i);
    }
    return profiles;
}

qint64 ModelBrowserModel::modelCount(const Section &section) const
{
    qint64 count = qint64(section.entries.size());
    for (const std::size_t inner : childSections(section.key))
        count += modelCount(m_sections[inner]);
    return count;
}

QVariant ModelBrowserModel::groupData(
    const Section &section, const Group &group, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        if (column == Name)
            return group.title;
        if (column == Size) {
            qint64 count = qint64(group.entries.size());
            for (const Group &child : group.children)
                count += qint64(child.entries.size());
            return countOf(count, tr("model"), tr("models"));
        }
        return {};
    case Qt::ToolTipRole:
        return group.isProfile ? tr("Profile: %1").arg(group.toolTip)
                               : tr("Origin: %1").arg(group.toolTip);
    case Qt::DecorationRole:
        return column == Name ? QVariant(icon(group.isProfile ? IconId::Profile : IconId::Origin))
                              : QVariant();
    case RawValueRole:
        return column == Name ? QVariant(group.title) : QVariant();
    default:
        return placeData(section, false, role);
    }
}

} // namespace tfjs::ui

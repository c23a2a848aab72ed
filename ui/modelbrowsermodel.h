#pragma once

#include "browserentry.h"

#include <QAbstractItemModel>
#include <QIcon>

#include <vector>

namespace tfjs::ui {

// The browser's tree: sections (store, local storage, each added folder, recent URLs, the
// stores' trash) with the models listed in them; a trash entry's Format column says why it is
// there ("deleted", "replaced"). A section may sit inside another (the Browsers section holds
// one per browser scheme); the entries of a Browser section are grouped by profile, then
// origin (group rows: not models, no URL; only groups that hold models exist). A thin adapter: listings are produced by jobs elsewhere and handed in
// with the generation they were started for; a listing for an older generation is dropped.
class ModelBrowserModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelBrowserModel)

public:
    enum Column { Name, Format, Size, Date, ColumnCount };
    enum Role {
        RawValueRole = Qt::UserRole + 1, // the sortable value of a cell
        UrlRole,                         // entries: what opens the model
        IsSectionRole,                   // bool
        SectionKindRole,                 // int(SectionKind)
        SectionKeyRole,                  // the section's key (folder path, scheme)
        ProblemRole,                     // entries: non-empty when something is wrong
        TrashIdRole,                     // entries: id in their store's trash, -1 if not trashed
    };

    explicit ModelBrowserModel(QObject *parent = nullptr);

    // Sections. Keys: a store scheme ("indexeddb"), "recent", a folder's absolute path, a
    // store's trash: "<scheme>-trash", "browsers" and a browser scheme ("firefox") inside it.
    // Top-level sections are ordered by kind; those inside `parentKey` (an existing section
    // without entries of its own) in the order added. Adding an existing key does nothing;
    // returns the section's row.
    int addSection(SectionKind kind, const QString &key, const QString &title,
                   const QIcon &icon = {}, const QString &parentKey = {});
    // Removes the section and the sections inside it.
    bool removeSection(const QString &key);
    QStringList sectionKeys(SectionKind kind) const;
    QModelIndex sectionIndex(const QString &key) const;

    // Entries of Browser sections are shown below their profile and origin; a Browser section
    // with no entries is shown disabled (its status says why: "No profiles found").

    // Starts a new listing of a section: returns its generation; listings for older
    // generations are ignored by setEntries.
    quint64 beginListing(const QString &key, const QString &status = {});
    // Replaces a section's entries, keeping rows whose key (URL, trash id) stays (so
    // selections survive a rescan; a Browser section's groups are rebuilt instead). Returns
    // false when the key is unknown or the generation is stale.
    bool setEntries(const QString &key, quint64 generation, std::vector<BrowserEntry> entries,
                    const QString &status = {});
    // Adds or updates one entry (matched by URL) without a new listing (recent URLs); not for
    // Browser sections (does nothing, returns false).
    void upsertEntry(const QString &key, const BrowserEntry &entry, bool atTop = false);
    bool removeEntry(const QString &key, const QString &url);
    const std::vector<BrowserEntry> *entries(const QString &key) const;
    // The entry at an index of this model; null for sections, groups and invalid indexes.
    const BrowserEntry *entryAt(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // Dragging entries: their URLs (local files as file:// URLs), as a copy only (the sources
    // stay where they are; browser profiles are read-only).
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;

private:
    // A profile (holding origins) or an origin (holding entries) of a Browser section.
    struct Group
    {
        quint64 id = 0;
        quint64 parentId = 0; // the section's or the profile's
        int row = 0;          // in its parent
        QString title;        // the profile folder's name, the origin
        QString toolTip;      // the profile's path, the origin
        bool isProfile = true;
        std::vector<Group> children;       // a profile's origins
        std::vector<std::size_t> entries;  // an origin's models: positions in the section's entries
    };
    struct Section
    {
        quint64 id = 0;
        SectionKind kind = SectionKind::Folder;
        QString key;
        QString parentKey; // non-empty: shown inside that section
        QString title;
        QIcon icon;
        QString status; // "Scanning…", an error; shown in the tooltip and Format column
        quint64 generation = 0;
        std::vector<BrowserEntry> entries;
        std::vector<Group> groups; // Browser sections: the entries by profile, then origin
        // Kept by indexSections(): the row among its siblings, the inner sections' positions.
        int row = 0;
        std::vector<std::size_t> inner;
    };
    // What an index shows: a section, a group of `section` or an entry of `section`.
    struct Item
    {
        const Section *section = nullptr;
        const Group *group = nullptr;
        const BrowserEntry *entry = nullptr;
    };
    // What an id (an index's internalId: its parent) names: a section or a group (of section).
    struct Node
    {
        const Section *section = nullptr;
        const Group *group = nullptr;
    };

    int sectionPos(const QString &key) const; // position in m_sections; -1: unknown
    const std::vector<std::size_t> &childSections(const QString &parentKey) const;
    // Recomputes each section's row and inner sections after sections were added or removed
    // (indexes are looked up for every cell the view or the sort shows: no searching there).
    void indexSections();
    QModelIndex indexOf(const Section &section) const;
    Node node(quintptr id) const;
    Item item(const QModelIndex &index) const;
    int childCount(const Node &node) const;
    static bool isGrouped(const Section &section) { return section.kind == SectionKind::Browser; }
    qint64 modelCount(const Section &section) const;
    bool setGroupedEntries(std::size_t pos, std::vector<BrowserEntry> entries);
    std::vector<Group> groupsOf(const Section &section);
    // The roles every row has: IsSectionRole, SectionKindRole, SectionKeyRole (else null).
    static QVariant placeData(const Section &section, bool isSection, int role);
    QVariant sectionData(const Section &section, int column, int role) const;
    QVariant groupData(const Section &section, const Group &group, int column, int role) const;
    QVariant entryData(const Section &section, const BrowserEntry &entry, int column,
                       int role) const;

    std::vector<Section> m_sections; // top-level ones in their order; inner ones after their parent's
    std::vector<std::size_t> m_topSections; // positions of the top-level ones, in row order
    quint64 m_nextId = 1;
};

} // namespace tfjs::ui

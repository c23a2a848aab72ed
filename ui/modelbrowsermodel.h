#pragma once

#include "browserentry.h"

#include <QAbstractItemModel>
#include <QIcon>

#include <vector>

namespace tfjs::ui {

// The browser's tree: sections (store, local storage, each added folder, recent URLs, the
// stores' trash) with the models listed in them; a trash entry's Format column says why it is
// there ("deleted", "replaced"). A thin adapter: listings are produced by jobs elsewhere and handed in
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

    // Sections. Keys: a store scheme ("indexeddb"), "recent", a folder's absolute path, or a
    // store's trash: "<scheme>-trash".
    // Adding an existing key does nothing; returns the section's row.
    int addSection(SectionKind kind, const QString &key, const QString &title,
                   const QIcon &icon = {});
    bool removeSection(const QString &key);
    QStringList sectionKeys(SectionKind kind) const;
    QModelIndex sectionIndex(const QString &key) const;

    // Starts a new listing of a section: returns its generation; listings for older
    // generations are ignored by setEntries.
    quint64 beginListing(const QString &key, const QString &status = {});
    // Replaces a section's entries, keeping rows whose key (URL, trash id) stays (so
    // selections survive a rescan). Returns false when the key is unknown or the generation is stale.
    bool setEntries(const QString &key, quint64 generation, std::vector<BrowserEntry> entries,
                    const QString &status = {});
    // Adds or updates one entry (matched by URL) without a new listing (recent URLs).
    void upsertEntry(const QString &key, const BrowserEntry &entry, bool atTop = false);
    bool removeEntry(const QString &key, const QString &url);
    const std::vector<BrowserEntry> *entries(const QString &key) const;
    // The entry at an index of this model; null for sections and invalid indexes.
    const BrowserEntry *entryAt(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Section
    {
        quint64 id = 0;
        SectionKind kind = SectionKind::Folder;
        QString key;
        QString title;
        QIcon icon;
        QString status; // "Scanning…", an error; shown in the tooltip and Format column
        quint64 generation = 0;
        std::vector<BrowserEntry> entries;
    };
    int sectionRow(const QString &key) const;
    int sectionRowById(quintptr id) const;
    QVariant sectionData(const Section &section, int column, int role) const;
    QVariant entryData(const Section &section, const BrowserEntry &entry, int column,
                       int role) const;

    std::vector<Section> m_sections;
    quint64 m_nextId = 1;
};

} // namespace tfjs::ui

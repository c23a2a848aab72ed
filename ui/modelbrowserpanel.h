#pragma once

#include "browserentry.h"

#include "handlers/registry.h"

#include <QWidget>

#include <functional>
#include <map>
#include <memory>
#include <optional>

class QLineEdit;
class QMenu;

namespace tfjs::ui {

class BrowserFilterModel;
class FolderWatcher;
class JobTracker;
class ModelBrowserModel;
class ModelBrowserView;

// The model browser: a filter box over the tree of the registry's stores (each scheme that can
// list its models, with its display name and icon), the models found in web browsers' profiles
// (a Browsers section holding each scheme that finds them, by profile and origin), added folders (scanned in jobs and kept live by a file
// watcher), recent URLs and the stores' trash. Several models can be selected; the current one is
// the one single-model actions act on.
class ModelBrowserPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelBrowserPanel)

public:
    ModelBrowserPanel(JobTracker *jobs, QWidget *parent = nullptr);

    // Shows a section per scheme of `registry` that lists its models (and one for its trash)
    // and, inside the Browsers section, per scheme that finds models (Capability::Find: the
    // browser profiles below `homeDir`, empty: $HOME; the registry's finding schemes must look
    // there too), drops sections of schemes it no longer has, and lists them (again on each
    // refresh).
    void setRegistry(std::shared_ptr<const HandlerRegistry> registry, const QString &homeDir = {});

    void addFolder(const QString &path);
    void removeFolder(const QString &path);
    QStringList folders() const;
    void rescanFolder(const QString &path);

    void setRecent(const std::vector<BrowserEntry> &recent);
    void addRecent(const BrowserEntry &entry);
    std::vector<BrowserEntry> recent() const;

    // Relists the stores (and their trash), looks for models again and rescans every folder.
    void refresh();
    void refreshStores();
    // Lists the models of every finding scheme again (every profile found on the machine).
    void refreshBrowsers();

    // The selected model, if a model (not a section) is selected.
    std::optional<BrowserEntry> currentEntry() const;
    // The models selected (not trash entries), in the tree's order.
    std::vector<BrowserEntry> selectedEntries() const;
    SectionKind currentSectionKind() const;
    QString currentSectionKey() const;
    // The store scheme ("indexeddb") of the trash section or trash entry selected; else empty.
    QString currentTrashScheme() const;
    bool selectUrl(const QString &url);

    // The context menu of the entries (or the sections) of one kind of section; null is a
    // separator. A right-click makes the clicked row current first, so entry actions act on
    // currentEntry(). The caller keeps their enabled state current.
    void setContextActions(SectionKind kind, bool forEntries, const QList<QAction *> &actions);

    ModelBrowserModel *model() const { return m_model; }
    BrowserFilterModel *filterModel() const { return m_filter; }
    ModelBrowserView *view() const { return m_view; }
    FolderWatcher *watcher() const { return m_watcher; }
    QLineEdit *filterEdit() const { return m_filterEdit; }

signals:
    void openRequested(const QString &url);
    void openDropped(const QList<QUrl> &urls);
    void importDropped(const QList<QUrl> &urls, const QString &scheme);
    void saveDropped(const QList<QUrl> &urls, const QString &folder);
    void currentChanged();
    void selectionChanged();
    void foldersChanged();
    void recentChanged();
    // A folder scan or store listing ended (for tests and the status bar).
    void listingFinished(const QString &sectionKey, bool ok);

private:
    // A section's entries, and its status when there are none.
    struct Listing
    {
        std::vector<BrowserEntry> entries;
        QString emptyStatus;
    };
    using ListWork = std::function<Result<Listing>(JobContext &)>;
    void listStore(const QString &scheme, bool trash);
    // Lists a section in a job (keeping the selected model selected).
    void listSection(const QString &key, const QString &title, ListWork work);
    QModelIndex rowOfUrl(const QModelIndex &parent, const QString &url) const;
    void showContextMenu(const QPoint &pos);

    JobTracker *m_jobs;
    std::shared_ptr<const HandlerRegistry> m_registry;
    QStringList m_stores;   // the store schemes shown
    QStringList m_browsers; // the finding schemes shown
    QString m_homeDir;      // where they look for profiles
    ModelBrowserModel *m_model = nullptr;
    BrowserFilterModel *m_filter = nullptr;
    ModelBrowserView *m_view = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    FolderWatcher *m_watcher = nullptr;
    std::map<std::pair<SectionKind, bool>, QList<QAction *>> m_contextActions;
};

} // namespace tfjs::ui

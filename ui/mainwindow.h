#pragma once

#include "modeltarget.h"

#include "schemes/schemes.h"

#include <QMainWindow>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QLabel;

namespace tfjs {
class HandlerRegistry;
}

namespace tfjs::ui {

class AppSettings;
class CompareController;
class InspectorWidget;
class JobStatusWidget;
class JobTracker;
class ModelBrowserPanel;
class ModelCommands;
class SaveToDialog;
class ServeController;

// The main window: the model browser dock, the inspector, and the actions that open, import,
// save, upload, rename and delete models. It wires actions to dialogs and core jobs; the work
// itself is in core, the views in their own classes.
//
// Which model an action acts on: the window's actions (File menu, toolbar and their
// shortcuts) act on the opened model, the one in the title bar and the inspector; the
// browser's actions (its context menu, the Model menu, Delete/F2 in the browser) act on the
// browser's selected entry, the one right-clicked for a context menu. Each action's text and
// each dialog name the model.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // Builds the registry of every scheme from the handler options (again when they change).
    using RegistryFactory = std::function<HandlerRegistry(const HandlerOptions &options)>;

    // With makeDefaultRegistry.
    explicit MainWindow(QWidget *parent = nullptr);
    // With the schemes `makeRegistry` builds: the browser, Save To, drops and the commands
    // show and use what its entries declare.
    explicit MainWindow(RegistryFactory makeRegistry, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opening: each success is shown (the latest request wins) and added to Recent.
    void openSource(const ModelSource &source);
    void openUrl(const QString &url) { openSource(ModelSource::fromUrl(url)); }
    // `tfjs-manager [PATH-or-URL…]`: opens each argument.
    void openArguments(const QStringList &arguments);
    void openDropped(const QList<QUrl> &urls);
    // A drop on the store or local storage: asks for a name, then loads and saves.
    void importDropped(const QList<QUrl> &urls, const QString &scheme);
    // A drop on a folder section: asks where in that folder (Save To), then loads and saves.
    void saveDropped(const QList<QUrl> &urls, const QString &folder);
    void addFolder(const QString &path);

    // Jobs started by the actions after their dialogs.
    void saveModelTo(const ModelTarget &model, const QString &url);
    void removeStored(const QString &url);
    void renameStored(const QString &url, const QString &newName);

    OpenedModelPtr currentModel() const;
    // What the window's actions act on: the opened model (invalid when none is open).
    ModelTarget openedTarget() const;
    // What the browser's actions act on: the selected entry (the opened model when it is the
    // same URL, so it is saved as loaded); invalid when no model is selected.
    ModelTarget browserTarget() const;
    ModelBrowserPanel *browser() const { return m_browser; }
    InspectorWidget *inspector() const { return m_inspector; }
    JobTracker *jobs() const { return m_jobs; }
    JobStatusWidget *jobStatus() const { return m_jobStatus; }
    ServeController *serveController() const { return m_serve; }
    CompareController *compare() const { return m_compare; }
    const HandlerOptions &handlerOptions() const { return m_options; }
    std::shared_ptr<const HandlerRegistry> registry() const { return m_registry; }
    QAction *action(const QString &objectName) const;

signals:
    void modelOpened(const QString &name);
    void errorReported(const QString &text);
    void saved(const QString &url);
    void storeChanged();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void updateActions();
    void applyHandlerOptions();
    void reportError(const QString &what, const Error &error);
    void rememberOpened(const OpenedModel &model);

    void chooseFiles();
    void chooseFolder();
    void askUrl();
    // `scheme`: the destination shown first (see SaveToDialog::setDestination). Returns the
    // dialog opened (null for an invalid model).
    SaveToDialog *showSaveDialog(const ModelTarget &model, const QString &scheme);
    // Save To for each model dropped, with `scheme` (and, for a folder scheme, the folder the
    // model's own folder goes into) chosen; `verb` names the drop in messages.
    void saveDroppedTo(const QList<QUrl> &urls, const QString &scheme, const QString &folder,
                       const QString &verb);
    // The first store that saves (Import), and the first folder scheme (Save To).
    QString importScheme() const;
    QString folderScheme() const;
    void showUploadDialog(const ModelTarget &model);
    void showQuantizeDialog(const ModelTarget &model);
    void deleteSelected();
    // Closes the opened model when it is the one at `url`, which a command has just changed,
    // saying why; returns what it was opened from.
    std::optional<ModelSource> closeOpened(const QString &url, const QString &why);
    void renameSelected();
    void copyUrl();
    void chooseStoreLocation();
    void connectTeamStore();

    RegistryFactory m_makeRegistry;
    std::unique_ptr<AppSettings> m_settings;
    HandlerOptions m_options;
    std::shared_ptr<const HandlerRegistry> m_registry;
    JobTracker *m_jobs = nullptr;
    ModelBrowserPanel *m_browser = nullptr;
    InspectorWidget *m_inspector = nullptr;
    JobStatusWidget *m_jobStatus = nullptr;
    ModelCommands *m_commands = nullptr;
    ServeController *m_serve = nullptr;
    CompareController *m_compare = nullptr;
    quint64 m_openGeneration = 0;

    struct Actions
    {
        QAction *openFile, *openFolder, *openUrl, *importModel, *saveTo, *upload, *rename,
            *remove, *copyUrl, *refresh, *addFolder, *removeFolder, *cancelJob, *storeLocation, *teamStore, *durableSaves,
            *quit, *about;
        // The browser's context menu: act on the right-clicked entry.
        QAction *entryOpen, *entryImport, *entrySaveTo, *entryUpload;
        // Quantize… (Model menu, the browser's context menu): the selected model, else the
        // opened one.
        QAction *quantize;
        // The trash's context menu.
        QAction *restore, *deletePermanently, *emptyTrash;
    } m_actions{};
};

} // namespace tfjs::ui

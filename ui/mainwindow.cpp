#include "mainwindow.h"

#include "actiontext.h"
#include "appsettings.h"
#include "droprequest.h"
#include "formatting.h"
#include "icons.h"
#include "inspectorwidget.h"
#include "jobstatuswidget.h"
#include "jobtracker.h"
#include "messages.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelcommands.h"
#include "savetodialog.h"
#include "storeaccess.h"
#include "uploaddialog.h"

#include "file/modelfolder.h"
#include "schemes/schemes.h"
#include "handlers/registry.h"
#include "handlers/modelmanager.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace tfjs::ui {

MainWindow::MainWindow(QWidget *parent)
    : MainWindow([](const HandlerOptions &options) { return makeDefaultRegistry(options); }, parent)
{
}

MainWindow::MainWindow(RegistryFactory makeRegistry, QWidget *parent)
    : QMainWindow(parent), m_makeRegistry(std::move(makeRegistry)),
      m_settings(std::make_unique<AppSettings>())
{
    setWindowTitle(tr("TFJS Model Manager"));
    setWindowIcon(icon(IconId::App));
    setAcceptDrops(true);
    m_jobs = new JobTracker(this);

    m_inspector = new InspectorWidget(m_jobs, this);
    setCentralWidget(m_inspector);
    m_browser = new ModelBrowserPanel(m_jobs, this);
    auto *dock = new QDockWidget(tr("Models"), this);
    dock->setObjectName(QStringLiteral("browserDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(m_browser);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    // Wide enough for a browser's models, four levels deep (Browsers > browser > profile > origin).
    resizeDocks({dock}, {560}, Qt::Horizontal);

    m_jobStatus = new JobStatusWidget(m_jobs, this);
    statusBar()->addPermanentWidget(m_jobStatus);
    m_commands = new ModelCommands(m_jobs, this);
    connect(m_commands, &ModelCommands::failed, this, &MainWindow::reportError);
    connect(m_commands, &ModelCommands::done, this, [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(m_commands, &ModelCommands::saved, this, &MainWindow::saved);
    connect(m_commands, &ModelCommands::storeChanged, this, [this] {
        m_browser->refreshStores();
        emit storeChanged();
    });
    // The inspector follows what the commands do to the opened model's URL.
    connect(m_commands, &ModelCommands::removed, this, [this](const QString &url) {
        closeOpened(
            url, tr("%1 was moved to the store's trash (Restore brings it back).").arg(url));
    });
    connect(m_commands, &ModelCommands::replaced, this, [this](const QString &url) {
        if (const auto source
            = closeOpened(url, tr("%1 was replaced; opening the model there now…").arg(url)))
            openSource(*source);
    });
    connect(
        m_commands, &ModelCommands::renamed, this, [this](const QString &from, const QString &to) {
            if (closeOpened(from, tr("%1 was renamed to %2; opening it there…").arg(from, to)))
                openUrl(to);
        });

    createActions();
    createMenus();

    connect(m_browser, &ModelBrowserPanel::openRequested, this, &MainWindow::openUrl);
    connect(m_browser, &ModelBrowserPanel::openDropped, this, &MainWindow::openDropped);
    connect(m_browser, &ModelBrowserPanel::importDropped, this, &MainWindow::importDropped);
    connect(m_browser, &ModelBrowserPanel::saveDropped, this, &MainWindow::saveDropped);
    connect(m_browser, &ModelBrowserPanel::currentChanged, this, &MainWindow::updateActions);
    connect(m_browser, &ModelBrowserPanel::foldersChanged, this,
            [this] { m_settings->setFolders(m_browser->folders()); });
    connect(m_jobs, &JobTracker::jobFinished, this,
            [this](const QString &title, const std::optional<Error> &error) {
                if (error && error->isCancelled())
                    statusBar()->showMessage(tr("%1: cancelled").arg(title), 5000);
            });

    restoreGeometry(m_settings->geometry());
    restoreState(m_settings->windowState());
    if (m_settings->geometry().isEmpty())
        resize(1360, 840);
    m_options.storeDir = m_settings->storeDir();
    m_options.downloadsDir = m_settings->downloadsDir();
    m_options.homeDir = m_settings->browsersHomeDir();
    m_options.durability = m_settings->durableSaves() ? Durability::Strict : Durability::Relaxed;
    {
        const QSignalBlocker blocker(m_actions.durableSaves);
        m_actions.durableSaves->setChecked(m_options.durability == Durability::Strict);
    }
    applyHandlerOptions();
    m_browser->setRecent(m_settings->recent());
    for (const QString &folder : m_settings->folders())
        m_browser->addFolder(folder);
    updateActions();
}

MainWindow::~MainWindow()
{
    m_jobs->cancelAll();
}

void MainWindow::createActions()
{
    QStyle *s = style();
    auto make = [this](const QString &name, const QString &text, const QIcon &icon,
                       const QKeySequence &shortcut, void (MainWindow::*slot)()) {
        auto *action = new QAction(icon, text, this);
        action->setObjectName(name);
        action->setShortcut(shortcut);
        if (!shortcut.isEmpty())
            setToolTipFromText(action);
        if (slot)
            connect(action, &QAction::triggered, this, slot);
        return action;
    };
    Actions &a = m_actions;
    a.openFile = make(QStringLiteral("openFile"), tr("&Open Files…"), s->standardIcon(QStyle::SP_DialogOpenButton),
                      QKeySequence::Open, &MainWindow::chooseFiles);
    a.openFolder = make(QStringLiteral("openFolder"), tr("Open &Folder…"), icon(IconId::Folder),
                        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), &MainWindow::chooseFolder);
    a.openUrl = make(QStringLiteral("openUrl"), tr("Open &URL…"), icon(IconId::OpenUrl),
                     QKeySequence(Qt::CTRL | Qt::Key_L), &MainWindow::askUrl);
    a.importModel = make(QStringLiteral("importModel"), tr("&Import into Store…"), icon(IconId::Import),
                         QKeySequence(Qt::CTRL | Qt::Key_I), nullptr);
    connect(a.importModel, &QAction::triggered, this, [this] { showSaveDialog(openedTarget(), importScheme()); });
    a.saveTo = make(QStringLiteral("saveTo"), tr("&Save To…"), s->standardIcon(QStyle::SP_DialogSaveButton),
                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), nullptr);
    connect(a.saveTo, &QAction::triggered, this, [this] { showSaveDialog(openedTarget(), folderScheme()); });
    a.upload = make(QStringLiteral("upload"), tr("U&pload…"), icon(IconId::Upload),
                    QKeySequence(Qt::CTRL | Qt::Key_U), nullptr);
    connect(a.upload, &QAction::triggered, this, [this] { showUploadDialog(openedTarget()); });
    // The toolbar keeps these short; the menus name the model (updateActions).
    a.importModel->setIconText(tr("Import into Store"));
    a.saveTo->setIconText(tr("Save To"));
    a.upload->setIconText(tr("Upload"));
    a.entryOpen = make(QStringLiteral("entryOpen"), tr("&Open"), {}, {}, nullptr);
    connect(a.entryOpen, &QAction::triggered, this, [this] { openSource(browserTarget().source); });
    a.entryImport = make(QStringLiteral("entryImport"), tr("&Import into Store…"), icon(IconId::Import), {}, nullptr);
    connect(a.entryImport, &QAction::triggered, this, [this] { showSaveDialog(browserTarget(), importScheme()); });
    a.entrySaveTo = make(QStringLiteral("entrySaveTo"), tr("&Save To…"), s->standardIcon(QStyle::SP_DialogSaveButton), {}, nullptr);
    connect(a.entrySaveTo, &QAction::triggered, this, [this] { showSaveDialog(browserTarget(), folderScheme()); });
    a.entryUpload = make(QStringLiteral("entryUpload"), tr("U&pload…"), icon(IconId::Upload), {}, nullptr);
    connect(a.entryUpload, &QAction::triggered, this, [this] { showUploadDialog(browserTarget()); });
    a.rename = make(QStringLiteral("rename"), tr("&Rename…"), {}, QKeySequence(Qt::Key_F2),
                    &MainWindow::renameSelected);
    a.remove = make(QStringLiteral("remove"), tr("Move to &Trash"), s->standardIcon(QStyle::SP_TrashIcon),
                    QKeySequence::Delete, &MainWindow::deleteSelected);
    a.remove->setIconText(tr("Delete"));
    a.restore = make(QStringLiteral("restore"), tr("Re&store"), {}, {}, nullptr);
    connect(a.restore, &QAction::triggered, this, [this] {
        if (const auto entry = m_browser->currentEntry(); entry && entry->trashId >= 0)
            m_commands->restore(m_browser->currentTrashScheme(), entry->trashId, entry->url);
    });
    a.deletePermanently = make(QStringLiteral("deletePermanently"), tr("&Delete Permanently…"), {},
        QKeySequence::Delete, nullptr);
    connect(a.deletePermanently, &QAction::triggered, this, [this] {
        if (const auto entry = m_browser->currentEntry(); entry && entry->trashId >= 0)
            m_commands->deleteFromTrash(m_browser->currentTrashScheme(), *entry);
    });
    a.emptyTrash = make(QStringLiteral("emptyTrash"), tr("&Empty Trash…"), s->standardIcon(QStyle::SP_TrashIcon), {}, nullptr);
    connect(a.emptyTrash, &QAction::triggered, this, [this] {
        const auto *entries = m_browser->model()->entries(m_browser->currentSectionKey());
        if (!m_browser->currentTrashScheme().isEmpty() && entries && !entries->empty())
            m_commands->emptyTrash(m_browser->currentTrashScheme(), qint64(entries->size()));
    });
    a.copyUrl = make(QStringLiteral("copyUrl"), tr("&Copy URL"), {}, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
                     &MainWindow::copyUrl);
    a.refresh = make(QStringLiteral("refresh"), tr("Re&fresh"), s->standardIcon(QStyle::SP_BrowserReload),
                     QKeySequence::Refresh, nullptr);
    connect(a.refresh, &QAction::triggered, m_browser, &ModelBrowserPanel::refresh);
    a.addFolder = make(QStringLiteral("addFolder"), tr("&Add Folder to Browser…"), icon(IconId::Folder), {},
                       &MainWindow::chooseFolder);
    a.removeFolder = make(QStringLiteral("removeFolder"), tr("Remove Folder from Browser"), {}, {}, nullptr);
    connect(a.removeFolder, &QAction::triggered, this,
            [this] { m_browser->removeFolder(m_browser->currentSectionKey()); });
    a.cancelJob = make(QStringLiteral("cancelJob"), tr("Cancel &Job"), s->standardIcon(QStyle::SP_DialogCancelButton),
                       QKeySequence(Qt::Key_Escape), nullptr);
    connect(a.cancelJob, &QAction::triggered, this, [this] {
        if (Job *job = m_jobs->current())
            job->cancel();
    });
    a.cancelJob->setEnabled(m_jobs->current() != nullptr); // only while a job runs
    connect(m_jobs, &JobTracker::currentChanged, a.cancelJob,
            [action = a.cancelJob](Job *job) { action->setEnabled(job != nullptr); });
    a.storeLocation = make(QStringLiteral("storeLocation"), tr("Store &Location…"), icon(IconId::Store), {},
                           &MainWindow::chooseStoreLocation);
    a.durableSaves = make(QStringLiteral("durableSaves"), tr("&Sync Saves to Disk"), {}, {}, nullptr);
    a.durableSaves->setCheckable(true);
    a.durableSaves->setToolTip(tr("Saves are always atomic; with this on they are also synced to "
                                  "disk before they finish, surviving a power cut."));
    connect(a.durableSaves, &QAction::toggled, this, [this](bool on) {
        m_options.durability = on ? Durability::Strict : Durability::Relaxed;
        m_settings->setDurableSaves(on);
        applyHandlerOptions();
    });
    a.quit = make(QStringLiteral("quit"), tr("&Quit"), {}, QKeySequence::Quit, nullptr);
    connect(a.quit, &QAction::triggered, this, &QWidget::close);
    a.about = make(QStringLiteral("about"), tr("&About"), icon(IconId::App), {}, nullptr);
    connect(a.about, &QAction::triggered, this, [this] { showAbout(this); });
    // Delete, F2 and Esc act where the focus is: the browser for Delete/F2. Delete moves a
    // model to the trash, or deletes a trash entry (each action is enabled for one of them).
    for (QAction *action : { a.remove, a.deletePermanently, a.rename, a.copyUrl })
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_browser->addActions({ a.remove, a.deletePermanently, a.rename, a.copyUrl });
    m_browser->setContextActions(
        SectionKind::Trash, true, { a.restore, nullptr, a.deletePermanently });
    m_browser->setContextActions(SectionKind::Trash, false, {a.emptyTrash, nullptr, a.refresh});
    for (const SectionKind kind : {SectionKind::Store, SectionKind::Folder, SectionKind::Recent}) {
        m_browser->setContextActions(kind, true, {a.entryOpen, nullptr, a.entryImport, a.entrySaveTo, a.entryUpload,
                                                  nullptr, a.copyUrl, a.rename, a.remove});
        m_browser->setContextActions(kind, false, {a.refresh, a.addFolder, a.removeFolder});
    }
    // Models found in browser profiles are read-only (a Find scheme loads and lists only):
    // no Rename or Move to Trash on them.
    m_browser->setContextActions(SectionKind::Browser, true, {a.entryOpen, nullptr, a.entryImport, a.entrySaveTo,
                                                              a.entryUpload, nullptr, a.copyUrl});
    m_browser->setContextActions(SectionKind::Browser, false, {a.refresh});
}

void MainWindow::createMenus()
{
    const Actions &a = m_actions;
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({a.openFile, a.openFolder, a.openUrl});
    file->addSeparator();
    file->addActions({a.importModel, a.saveTo, a.upload});
    file->addSeparator();
    file->addAction(a.quit);
    QMenu *model = menuBar()->addMenu(tr("&Model"));
    model->addActions({ a.copyUrl, a.rename, a.remove, a.restore, a.deletePermanently });
    model->addSeparator();
    model->addAction(a.cancelJob);
    QMenu *view = menuBar()->addMenu(tr("&Browser"));
    view->addActions({a.refresh, a.addFolder, a.removeFolder});
    view->addSeparator();
    view->addActions({a.storeLocation, a.durableSaves});
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(a.about);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(18, 18));
    bar->addActions({a.openFile, a.openFolder, a.openUrl});
    bar->addSeparator();
    bar->addActions({a.importModel, a.saveTo, a.upload});
    bar->addSeparator();
    bar->addActions({a.remove, a.refresh});
}

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

OpenedModelPtr MainWindow::currentModel() const
{
    return m_inspector->model();
}

ModelTarget MainWindow::openedTarget() const
{
    return ModelTarget::of(currentModel());
}

ModelTarget MainWindow::browserTarget() const
{
    const auto entry = m_browser->currentEntry();
    if (!entry || entry->trashId >= 0)
        return {};
    if (const OpenedModelPtr model = currentModel(); model && model->source == ModelSource::fromUrl(entry->url))
        return ModelTarget::of(model);
    return ModelTarget::of(*entry);
}

void MainWindow::updateActions()
{
    const auto entry = m_browser->currentEntry();
    const bool live = entry && entry->trashId < 0;
    const bool renamable = live && m_registry->can(entry->url, Capability::Rename);
    const bool removable = live && m_registry->can(entry->url, Capability::Remove);
    const ModelTarget opened = openedTarget();
    const ModelTarget selected = browserTarget();
    nameModelIn(m_actions.importModel, tr("&Import %1 into Store…"), tr("&Import into Store…"), opened);
    nameModelIn(m_actions.saveTo, tr("&Save %1 To…"), tr("&Save To…"), opened);
    nameModelIn(m_actions.upload, tr("U&pload %1…"), tr("U&pload…"), opened);
    nameModelIn(m_actions.copyUrl, tr("&Copy URL of %1"), tr("&Copy URL"), selected);
    nameModelIn(m_actions.rename, tr("&Rename %1…"), tr("&Rename…"), renamable ? selected : ModelTarget());
    const bool trashed = entry && entry->trashId >= 0;
    nameModelIn(m_actions.remove, tr("Move %1 to &Trash"), tr("Move to &Trash"), removable ? selected : ModelTarget());
    m_actions.restore->setEnabled(trashed);
    nameModelIn(m_actions.deletePermanently, tr("&Delete %1 Permanently…"),
        tr("&Delete Permanently…"), trashed ? ModelTarget::of(*entry) : ModelTarget());
    const auto *trash = m_browser->model()->entries(m_browser->currentSectionKey());
    m_actions.emptyTrash->setEnabled(!m_browser->currentTrashScheme().isEmpty() && trash && !trash->empty());
    for (QAction *action : {m_actions.entryOpen, m_actions.entryImport, m_actions.entrySaveTo, m_actions.entryUpload})
        action->setEnabled(selected.isValid());
    m_actions.removeFolder->setEnabled(!entry && m_browser->currentSectionKind() == SectionKind::Folder
                                       && !m_browser->currentSectionKey().isEmpty());
}

void MainWindow::applyHandlerOptions()
{
    m_registry = std::make_shared<const HandlerRegistry>(m_makeRegistry(m_options));
    m_commands->setOptions(m_options, m_registry);
    m_browser->setRegistry(m_registry, m_options.homeDir);
}

void MainWindow::reportError(const QString &what, const Error &error)
{
    statusBar()->showMessage(what + QStringLiteral(": ") + error.message, 10000);
    emit errorReported(what + QStringLiteral(": ") + error.toString());
    showError(this, what, error);
}

void MainWindow::openSource(const ModelSource &source)
{
    const quint64 generation = ++m_openGeneration;
    const auto registry = m_registry;
    m_jobs->start<OpenedModel>(
        tr("Opening %1").arg(source.suggestedName()),
        [registry, source](JobContext &ctx) { return loadModel(*registry, source, ctx); },
        this,
        [this, source, generation](Result<OpenedModel> opened) {
            if (!opened) {
                if (!opened.error().isCancelled())
                    reportError(tr("Could not open %1").arg(source.displayName()), opened.error());
                return;
            }
            const auto out = std::make_shared<const OpenedModel>(std::move(*opened));
            rememberOpened(*out);
            if (generation != m_openGeneration)
                return; // a later open wins the inspector
            m_inspector->setModel(out);
            if (!source.isFileSet())
                m_browser->selectUrl(source.url);
            setWindowTitle(tr("%1 — TFJS Model Manager").arg(source.suggestedName()));
            statusBar()->showMessage(tr("Opened %1").arg(source.displayName()), 5000);
            updateActions();
            emit modelOpened(source.displayName());
        });
}

void MainWindow::rememberOpened(const OpenedModel &model)
{
    if (model.source.isFileSet() || m_registry->can(model.source.url, Capability::List)
        || m_registry->can(model.source.url, Capability::Find))
        return; // file sets have no URL; stored and found models are listed in their section
    BrowserEntry entry;
    entry.url = model.source.url;
    entry.name = model.source.suggestedName();
    entry.format = model.overview.format;
    entry.size = std::max<qint64>(model.jsonBytes, 0) + model.artifacts.weightData.size();
    entry.date = model.modified;
    m_browser->addRecent(entry);
}

void MainWindow::openArguments(const QStringList &arguments)
{
    for (const QString &argument : arguments) {
        const QString path = ModelUrl::localPath(argument);
        if (path.isEmpty()) { // another scheme (or no valid URL: its open says why)
            openUrl(argument);
            continue;
        }
        const QFileInfo local(path);
        if (local.isDir() && !modelJsonInFolder(local.absoluteFilePath()))
            addFolder(local.absoluteFilePath()); // a folder of models
        else
            openUrl(local.absoluteFilePath());
    }
}

void MainWindow::openDropped(const QList<QUrl> &urls)
{
    const DropRequest request = dropRequestFor(urls, *m_registry);
    if (!request.ok()) {
        reportError(tr("Cannot open what was dropped"), Error{ErrorCode::InvalidArgument, request.problem});
        return;
    }
    for (const QString &folder : request.folders)
        addFolder(folder);
    for (const ModelSource &source : request.sources)
        openSource(source);
}

void MainWindow::importDropped(const QList<QUrl> &urls, const QString &scheme)
{
    saveDroppedTo(urls, scheme, {}, tr("import"));
}

void MainWindow::saveDropped(const QList<QUrl> &urls, const QString &folder)
{
    const auto schemes = m_registry->entriesWith(Capability::Save);
    const auto folderScheme = std::find_if(schemes.begin(), schemes.end(), [](const SchemeInfo &info) {
        return info.location == SchemeLocation::Folder;
    });
    if (folderScheme == schemes.end()) {
        reportError(tr("Cannot save what was dropped"),
                    Error{ErrorCode::Unsupported, tr("No scheme saves to folders.")});
        return;
    }
    saveDroppedTo(urls, folderScheme->scheme, folder, tr("save"));
}

void MainWindow::saveDroppedTo(const QList<QUrl> &urls, const QString &scheme, const QString &folder,
                               const QString &verb)
{
    const DropRequest request = dropRequestFor(urls, *m_registry);
    if (!request.ok() || !request.folders.isEmpty()) {
        const QString problem = request.ok() ? tr("%1 holds no model.json: drop a model's folder or JSON to %2 it.")
                                                   .arg(request.folders.join(QStringLiteral(", ")), verb)
                                             : request.problem;
        reportError(tr("Cannot %1 what was dropped").arg(verb), Error{ErrorCode::InvalidArgument, problem});
        return;
    }
    for (const ModelSource &source : request.sources) {
        SaveToDialog *dialog = showSaveDialog(ModelTarget::of(source), scheme);
        if (folder.isEmpty())
            dialog->setWindowTitle(tr("Import “%1”").arg(source.suggestedName()));
        else
            dialog->setFolder(QDir(folder).filePath(source.suggestedName()));
    }
}

void MainWindow::addFolder(const QString &path)
{
    m_browser->addFolder(path);
}

void MainWindow::saveModelTo(const ModelTarget &model, const QString &url)
{
    m_commands->save(model, url);
}

void MainWindow::removeStored(const QString &url)
{
    m_commands->remove(url);
}

void MainWindow::renameStored(const QString &url, const QString &newName)
{
    m_commands->rename(url, newName);
}

void MainWindow::chooseFiles()
{
    auto *dialog = new QFileDialog(this, tr("Open a model JSON (with its weight files, if they are elsewhere)"),
                                   m_settings->lastFolder(), tr("Model JSON (*.json);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    connect(dialog, &QFileDialog::filesSelected, this, [this](const QStringList &files) {
        if (files.isEmpty())
            return;
        m_settings->setLastFolder(QFileInfo(files.front()).absolutePath());
        QList<QUrl> urls;
        for (const QString &file : files)
            urls << QUrl::fromLocalFile(file);
        openDropped(urls);
    });
    dialog->open();
}

void MainWindow::chooseFolder()
{
    auto *dialog = new QFileDialog(this, tr("Open a folder of models"), m_settings->lastFolder());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &folder) {
        m_settings->setLastFolder(folder);
        addFolder(folder);
        if (modelJsonInFolder(folder))
            openUrl(folder);
    });
    dialog->open();
}

void MainWindow::askUrl()
{
    askText(this, tr("Open URL"), tr("Model URL (http(s)://…/model.json, indexeddb://name, a path):"),
            {}, [this](const QString &url) { openUrl(url); });
}

QString MainWindow::importScheme() const
{
    for (const SchemeInfo &info : m_registry->entriesWith(Capability::List)) {
        if (info.can(Capability::Save))
            return info.scheme;
    }
    return {};
}

QString MainWindow::folderScheme() const
{
    for (const SchemeInfo &info : m_registry->entriesWith(Capability::Save)) {
        if (info.location == SchemeLocation::Folder)
            return info.scheme;
    }
    return {};
}

SaveToDialog *MainWindow::showSaveDialog(const ModelTarget &model, const QString &scheme)
{
    if (!model.isValid())
        return nullptr;
    auto *dialog = new SaveToDialog(model, *m_registry, m_settings->lastFolder(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setDestination(scheme);
    connect(dialog, &SaveToDialog::saveRequested, this, [this, model](const QString &url) { saveModelTo(model, url); });
    connect(dialog, &SaveToDialog::uploadRequested, this, [this, model] { showUploadDialog(model); });
    dialog->open();
    return dialog;
}

void MainWindow::showUploadDialog(const ModelTarget &model)
{
    if (!model.isValid())
        return;
    auto *dialog = new UploadDialog(model, m_registry, m_jobs, m_settings.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::deleteSelected()
{
    // No question: the model goes to the store's trash, from where Restore brings it back.
    if (const auto entry = m_browser->currentEntry(); entry && entry->trashId < 0
        && m_registry->can(entry->url, Capability::Remove))
        removeStored(entry->url);
}

std::optional<ModelSource> MainWindow::closeOpened(const QString &url, const QString &why)
{
    const OpenedModelPtr model = currentModel();
    if (!model || !ModelManager::sameModel(modelUrlOf(model->source), url))
        return std::nullopt;
    m_inspector->closeModel(why);
    setWindowTitle(tr("TFJS Model Manager"));
    statusBar()->showMessage(why, 10000);
    updateActions();
    return model->source;
}

void MainWindow::renameSelected()
{
    const auto entry = m_browser->currentEntry();
    if (!entry || !m_registry->can(entry->url, Capability::Rename))
        return;
    const QString url = entry->url;
    const QString name = ModelUrl::parse(url)->path;
    askText(this, tr("Rename Model"), tr("New name for %1:").arg(url), name,
            [this, url, name](const QString &newName) {
                if (newName != name)
                    renameStored(url, newName);
            });
}

void MainWindow::copyUrl()
{
    const ModelSource source = browserTarget().source;
    const QString text = source.isFileSet() ? source.files.front() : source.url;
    if (!text.isEmpty()) {
        QGuiApplication::clipboard()->setText(text);
        statusBar()->showMessage(tr("Copied %1").arg(text), 3000);
    }
}

void MainWindow::chooseStoreLocation()
{
    auto *dialog = new QFileDialog(this, tr("Folder for the model store and local storage"), m_options.storeDir);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &folder) {
        m_options.storeDir = folder;
        m_settings->setStoreDir(folder);
        applyHandlerOptions();
    });
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    m_settings->setFolders(m_browser->folders());
    m_settings->setRecent(m_browser->recent());
    m_settings->sync();
    m_jobs->cancelAll();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (canDrop(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (canDrop(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = droppedUrls(event->mimeData());
    if (urls.isEmpty())
        return;
    event->setDropAction(Qt::CopyAction);
    event->accept();
    openDropped(urls);
}

} // namespace tfjs::ui

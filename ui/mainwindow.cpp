#include "mainwindow.h"

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
#include "quantizedialog.h"
#include "savetodialog.h"
#include "teamstoredialog.h"
#include "servecontroller.h"
#include "servestatuswidget.h"
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
#include <QMessageBox>
#include <QMimeData>
#include <QSignalBlocker>
#include <QStatusBar>

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
    // Serve Store over HTTP: models that pages save show in the store section as they land.
    m_serve = new ServeController(m_jobs, m_settings.get(), this);
    statusBar()->addPermanentWidget(new ServeStatusWidget(m_serve, this));
    connect(m_serve, &ServeController::failed, this, &MainWindow::reportError);
    connect(m_serve, &ServeController::modelStored, this, [this] {
        m_browser->refreshStores();
        emit storeChanged();
    });
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
    m_options.teamUri = m_settings->teamUri();
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

void MainWindow::applyHandlerOptions()
{
    m_registry = std::make_shared<const HandlerRegistry>(m_makeRegistry(m_options));
    m_commands->setOptions(m_options, m_registry);
    m_browser->setRegistry(m_registry, m_options.homeDir);
    m_serve->setHandlerOptions(m_options);
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

void MainWindow::showQuantizeDialog(const ModelTarget &model)
{
    if (!model.isValid())
        return;
    auto *dialog = new QuantizeDialog(model, m_registry, m_jobs, m_settings->lastFolder(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QuantizeDialog::quantizeRequested, this,
        [this, model](const QString &url, const QuantizeOptions &options) {
            m_commands->quantize(model, url, options);
        });
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

void MainWindow::connectTeamStore()
{
    auto *dialog = new TeamStoreDialog(teamUri(m_options), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TeamStoreDialog::connectRequested, this, [this](const QString &uri, const QString &password) {
        m_options.teamUri = uri;
        m_options.teamPassword = password;
        m_settings->setTeamUri(uri);
        applyHandlerOptions();
    });
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_serve->state() != ServeController::State::Off) {
        // The server's requests in flight end first, in a job; the window closes after.
        m_serve->stop([this] { close(); });
        event->ignore();
        return;
    }
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

// MainWindow's actions, menus and toolbar, and how they follow the selection. The window's
// commands themselves are in mainwindow.cpp.
#include "mainwindow.h"

#include "actiontext.h"
#include "appsettings.h"
#include "comparecontroller.h"
#include "icons.h"
#include "jobtracker.h"
#include "messages.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelcommands.h"
#include "servecontroller.h"

#include "handlers/registry.h"

#include <QAction>
#include <QMenuBar>
#include <QStyle>
#include <QToolBar>

namespace tfjs::ui {

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
    a.quantize = make(QStringLiteral("quantize"), tr("&Quantize…"), {}, {}, nullptr);
    connect(a.quantize, &QAction::triggered, this, [this] {
        const ModelTarget selected = browserTarget();
        showQuantizeDialog(selected.isValid() ? selected : openedTarget());
    });
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
    a.teamStore = make(QStringLiteral("teamStore"), tr("Connect to &Team Store…"), {}, {},
                       &MainWindow::connectTeamStore);
    a.teamStore->setToolTip(tr("Share models through a PostgreSQL database (team://)"));
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
    m_compare = new CompareController(this);
    QAction *compare = m_compare->compareSelectedAction();
    for (const SectionKind kind : {SectionKind::Store, SectionKind::Folder, SectionKind::Recent}) {
        m_browser->setContextActions(kind, true, {a.entryOpen, compare, nullptr, a.entryImport, a.entrySaveTo,
                                                  a.entryUpload, a.quantize, nullptr, a.copyUrl, a.rename,
                                                  a.remove});
        m_browser->setContextActions(kind, false, {a.refresh, a.addFolder, a.removeFolder});
    }
    // Models found in browser profiles are read-only (a Find scheme loads and lists only):
    // no Rename or Move to Trash on them.
    m_browser->setContextActions(SectionKind::Browser, true, {a.entryOpen, compare, nullptr, a.entryImport,
                                                              a.entrySaveTo, a.entryUpload, a.quantize, nullptr,
                                                              a.copyUrl});
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
    model->addActions({m_compare->compareWithAction(), m_compare->compareSelectedAction(), a.quantize});
    model->addSeparator();
    model->addAction(a.cancelJob);
    QMenu *view = menuBar()->addMenu(tr("&Browser"));
    view->addActions({a.refresh, a.addFolder, a.removeFolder});
    view->addSeparator();
    view->addActions({a.storeLocation, a.teamStore, a.durableSaves});
    view->addSeparator();
    view->addActions({m_serve->toggleAction(), m_serve->portAction()});
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
    nameModelIn(m_actions.quantize, tr("&Quantize %1…"), tr("&Quantize…"),
        selected.isValid() ? selected : opened);
    for (QAction *action : {m_actions.entryOpen, m_actions.entryImport, m_actions.entrySaveTo, m_actions.entryUpload})
        action->setEnabled(selected.isValid());
    m_compare->updateActions();
    m_actions.removeFolder->setEnabled(!entry && m_browser->currentSectionKind() == SectionKind::Folder
                                       && !m_browser->currentSectionKey().isEmpty());
}

} // namespace tfjs::ui

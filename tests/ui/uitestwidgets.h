#pragma once
// Helpers for GUI tests that drive the window as a user does (drop files, wait for a dialog
// the window opened with open(), pick a browser row's context menu action) and check what it
// did (the browser's rows, a model as core loads it).

#include "schemes/schemes.h"
#include "base/job.h"
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "format/modeloverview.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDeadlineTimer>
#include <QDirIterator>
#include <QDropEvent>
#include <QFile>
#include <QMap>
#include <QMenu>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace tfjs::uitest {

// The visible child of `parent` of type T (and object name, if given), waiting up to 5 s.
template<typename T> T *waitForChild(QWidget *parent, const QString &name = {})
{
    T *found = nullptr;
    QDeadlineTimer deadline(5000);
    while (
        !((found = parent->findChild<T *>(name)) && found->isVisible()) && !deadline.hasExpired())
        QTest::qWait(10);
    return found && found->isVisible() ? found : nullptr;
}

// Sends the drag-enter and drop a user's drag would produce, at `pos` of `target`.
inline bool simulateDrop(QWidget *target, const QList<QUrl> &urls, QPoint pos = { 10, 10 })
{
    QMimeData mime;
    mime.setUrls(urls);
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    return drop.isAccepted();
}

// Opens `url` as a double-click in the browser does and waits for it.
inline bool openAndWait(ui::MainWindow &window, const QString &url)
{
    QSignalSpy opened(&window, &ui::MainWindow::modelOpened);
    window.openUrl(url);
    return opened.wait(10000);
}

// The names a browser section lists, sorted; a trash entry's with why: "a (deleted)".
inline QStringList browserNames(ui::MainWindow &window, const QString &section)
{
    QStringList names;
    if (const auto *entries = window.browser()->model()->entries(section)) {
        for (const ui::BrowserEntry &entry : *entries)
            names << entry.name
                    + (entry.trashReason.isEmpty()
                            ? QString()
                            : QStringLiteral(" (%1)").arg(entry.trashReason));
    }
    names.sort();
    return names;
}

// The format and weight bytes of the model at `url`, as core loads it.
inline QPair<QString, QByteArray> formatAndWeights(
    const HandlerOptions &options, const QString &url)
{
    JobContext ctx;
    auto artifacts = makeDefaultRegistry(options).load(url, ctx);
    if (!artifacts)
        return { artifacts.error().toString(), {} };
    return { overviewOf(*artifacts).format,
        artifacts->weightData.readAll().value_or(QByteArray()) };
}

// The button of a dialog or message box whose text (without '&') is `text`.
inline QAbstractButton *buttonWithText(QWidget *dialog, const QString &text)
{
    for (QAbstractButton *button : dialog->findChildren<QAbstractButton *>()) {
        if (button->text().remove(QLatin1Char('&')) == text)
            return button;
    }
    return nullptr;
}

// The row of `model` (the browser's view model) showing `url` below `parent`, at any depth (a
// browser's models are below their profile and origin); invalid when there is none.
inline QModelIndex rowOfUrl(const QAbstractItemModel *model, const QString &url,
    const QModelIndex &parent = {})
{
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex index = model->index(r, 0, parent);
        if (index.data(ui::ModelBrowserModel::UrlRole).toString() == url)
            return index;
        if (const QModelIndex inner = rowOfUrl(model, url, index); inner.isValid())
            return inner;
    }
    return {};
}

// Drags the row showing `url` onto `target` (a row of the view) as a user's drag with Shift (a
// move) would; returns the drop's action, Qt::IgnoreAction if it was refused.
inline Qt::DropAction dragOnto(ui::ModelBrowserView *view, const QString &url, const QModelIndex &target)
{
    const QModelIndex row = rowOfUrl(view->model(), url);
    if (!row.isValid() || !(view->model()->flags(row) & Qt::ItemIsDragEnabled))
        return Qt::IgnoreAction;
    std::unique_ptr<QMimeData> mime(view->model()->mimeData({row}));
    if (!mime)
        return Qt::IgnoreAction;
    const Qt::DropActions actions = view->model()->supportedDragActions() | Qt::MoveAction;
    const QPoint pos = view->visualRect(target).center();
    QDragEnterEvent enter(pos, actions, mime.get(), Qt::LeftButton, Qt::ShiftModifier);
    QApplication::sendEvent(view->viewport(), &enter);
    QDragMoveEvent move(pos, actions, mime.get(), Qt::LeftButton, Qt::ShiftModifier);
    QApplication::sendEvent(view->viewport(), &move);
    if (!move.isAccepted() || move.dropAction() != Qt::CopyAction)
        return move.isAccepted() ? move.dropAction() : Qt::IgnoreAction;
    QDropEvent drop(QPointF(pos), actions, mime.get(), Qt::LeftButton, Qt::ShiftModifier);
    QApplication::sendEvent(view->viewport(), &drop);
    return drop.isAccepted() ? drop.dropAction() : Qt::IgnoreAction;
}

// Right-clicks the browser row showing `url` (in the section `sectionKey`, else the first),
// then triggers the context menu's action named `actionName` (and closes the menu). False when
// the row, the menu or the action is missing, or the action is disabled.
inline bool triggerContextAction(ui::MainWindow &window, const QString &url,
    const QString &actionName, const QString &sectionKey = {})
{
    ui::ModelBrowserView *view = window.browser()->view();
    QModelIndex row;
    for (int s = 0; s < view->model()->rowCount() && !row.isValid(); ++s) {
        const QModelIndex section = view->model()->index(s, 0);
        const QModelIndex found = rowOfUrl(view->model(), url, section);
        if (sectionKey.isEmpty()
            || found.data(ui::ModelBrowserModel::SectionKeyRole).toString() == sectionKey)
            row = found;
    }
    if (!row.isValid())
        return false;
    view->scrollTo(row);
    const QPoint pos = view->visualRect(row).center();
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, view->viewport()->mapToGlobal(pos));
    QApplication::sendEvent(view->viewport(), &event);
    auto *menu = waitForChild<QMenu>(window.browser(), QStringLiteral("browserContextMenu"));
    if (!menu)
        return false;
    QAction *chosen = nullptr;
    for (QAction *action : menu->actions()) {
        if (action->objectName() == actionName)
            chosen = action;
    }
    menu->close();
    if (!chosen || !chosen->isEnabled())
        return false;
    chosen->trigger();
    return true;
}

// Every file under a folder with its bytes.
inline QMap<QString, QByteArray> filesUnder(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly))
            files.insert(it.filePath(), file.readAll());
    }
    return files;
}

} // namespace tfjs::uitest

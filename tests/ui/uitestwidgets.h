#pragma once
// Helpers for GUI tests that drive the window as a user does: wait for a dialog the window
// opened with open(), pick a browser row's context menu action.

#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDeadlineTimer>
#include <QMenu>
#include <QTest>

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

// The button of a dialog or message box whose text (without '&') is `text`.
inline QAbstractButton *buttonWithText(QWidget *dialog, const QString &text)
{
    for (QAbstractButton *button : dialog->findChildren<QAbstractButton *>()) {
        if (button->text().remove(QLatin1Char('&')) == text)
            return button;
    }
    return nullptr;
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
        if (!sectionKey.isEmpty()
            && section.data(ui::ModelBrowserModel::SectionKeyRole).toString() != sectionKey)
            continue;
        for (int r = 0; r < view->model()->rowCount(section); ++r) {
            const QModelIndex index = view->model()->index(r, 0, section);
            if (index.data(ui::ModelBrowserModel::UrlRole).toString() == url)
                row = index;
        }
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

} // namespace tfjs::uitest

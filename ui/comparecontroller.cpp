#include "comparecontroller.h"

#include "actiontext.h"
#include "comparewindow.h"
#include "mainwindow.h"
#include "messages.h"
#include "modelbrowserpanel.h"

#include <QAction>

namespace tfjs::ui {

CompareController::CompareController(MainWindow *window) : QObject(window), m_window(window)
{
    m_compareWith = new QAction(tr("Compare &With…"), window);
    m_compareWith->setObjectName(QStringLiteral("compareWith"));
    m_compareWith->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    setToolTipFromText(m_compareWith);
    connect(m_compareWith, &QAction::triggered, this, &CompareController::askOther);
    m_compareSelected = new QAction(tr("Co&mpare"), window);
    m_compareSelected->setObjectName(QStringLiteral("compareSelected"));
    m_compareSelected->setToolTip(tr("Compare the two models selected in the browser"));
    connect(m_compareSelected, &QAction::triggered, this, &CompareController::compareSelected);
    connect(window->browser(), &ModelBrowserPanel::selectionChanged, this,
        &CompareController::updateActions);
    updateActions();
}

void CompareController::updateActions()
{
    const ModelTarget opened = m_window->openedTarget();
    nameModelIn(m_compareWith, tr("Compare %1 &With…"), tr("Compare &With…"), opened);
    const auto selected = m_window->browser()->selectedEntries();
    m_compareSelected->setEnabled(selected.size() == 2);
    m_compareSelected->setText(selected.size() == 2
            ? tr("Co&mpare %1 with %2")
                  .arg(ModelTarget::of(selected[0]).name(), ModelTarget::of(selected[1]).name())
            : tr("Co&mpare"));
}

QString CompareController::suggestedOther() const
{
    const ModelTarget opened = m_window->openedTarget();
    const ModelTarget selected = m_window->browserTarget();
    if (!selected.isValid() || selected.opened || selected.source == opened.source)
        return {};
    return selected.source.url;
}

CompareWindow *CompareController::compare(const ModelTarget &a, const ModelTarget &b)
{
    if (!a.isValid() || !b.isValid())
        return nullptr;
    auto *window = new CompareWindow(m_window->jobs(), m_window->registry(), a, b, m_window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    window->start();
    return window;
}

void CompareController::askOther()
{
    const ModelTarget opened = m_window->openedTarget();
    if (!opened.isValid())
        return;
    askText(m_window, tr("Compare %1 With").arg(opened.name()),
        tr("Model B (a URL such as indexeddb://name or http(s)://…/model.json, or a path):"),
        suggestedOther(), [this, opened](const QString &url) {
            compare(opened, ModelTarget::of(ModelSource::fromUrl(url)));
        });
}

void CompareController::compareSelected()
{
    const auto selected = m_window->browser()->selectedEntries();
    if (selected.size() == 2)
        compare(ModelTarget::of(selected[0]), ModelTarget::of(selected[1]));
}

} // namespace tfjs::ui

#include "modelbrowserview.h"

#include "droprequest.h"
#include "modelbrowsermodel.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHeaderView>
#include <QMimeData>

namespace tfjs::ui {

ModelBrowserView::ModelBrowserView(QWidget *parent) : QTreeView(parent)
{
    setAcceptDrops(true);
    setDragDropMode(QAbstractItemView::DropOnly);
    setDropIndicatorShown(false);
    setSortingEnabled(true);
    setUniformRowHeights(true);
    setAllColumnsShowFocus(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setContextMenuPolicy(Qt::CustomContextMenu);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(QHeaderView::Interactive);
}

QString ModelBrowserView::importSchemeAt(const QPoint &pos) const
{
    const QModelIndex index = indexAt(pos);
    if (!index.isValid())
        return {};
    const auto kind = SectionKind(index.data(ModelBrowserModel::SectionKindRole).toInt());
    const QString key = index.data(ModelBrowserModel::SectionKeyRole).toString();
    return kind == SectionKind::Store && m_importSchemes.contains(key) ? key : QString();
}

void ModelBrowserView::setHighlight(const QModelIndex &index)
{
    QModelIndex section = index;
    while (section.parent().isValid())
        section = section.parent();
    if (section == m_highlight)
        return;
    m_highlight = section;
    // Shows where an import will go by selecting the target section while dragging.
    if (section.isValid() && !importSchemeAt(visualRect(section).center()).isEmpty())
        selectionModel()->setCurrentIndex(section, QItemSelectionModel::ClearAndSelect
                                                       | QItemSelectionModel::Rows);
}

void ModelBrowserView::dragEnterEvent(QDragEnterEvent *event)
{
    if (canDrop(event->mimeData()))
        event->acceptProposedAction();
    else
        event->ignore();
}

void ModelBrowserView::dragMoveEvent(QDragMoveEvent *event)
{
    if (!canDrop(event->mimeData())) {
        event->ignore();
        return;
    }
    const QPoint pos = event->position().toPoint();
    if (!importSchemeAt(pos).isEmpty())
        setHighlight(indexAt(pos));
    event->acceptProposedAction();
}

void ModelBrowserView::dragLeaveEvent(QDragLeaveEvent *event)
{
    m_highlight = QPersistentModelIndex();
    event->accept();
}

void ModelBrowserView::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = droppedUrls(event->mimeData());
    m_highlight = QPersistentModelIndex();
    if (urls.isEmpty()) {
        event->ignore();
        return;
    }
    event->setDropAction(Qt::CopyAction);
    event->accept();
    const QString scheme = importSchemeAt(event->position().toPoint());
    if (scheme.isEmpty())
        emit openDropped(urls);
    else
        emit importDropped(urls, scheme);
}

} // namespace tfjs::ui

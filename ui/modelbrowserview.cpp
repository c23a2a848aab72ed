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
    setDragDropMode(QAbstractItemView::DragDrop);
    setDefaultDropAction(Qt::CopyAction);
    setDropIndicatorShown(false);
    setSortingEnabled(true);
    setUniformRowHeights(true);
    setAllColumnsShowFocus(true);
    // Several models can be selected (Compare takes two); actions on one model act on the
    // current one.
    setSelectionMode(QAbstractItemView::ExtendedSelection);
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

QString ModelBrowserView::folderAt(const QPoint &pos) const
{
    const QModelIndex index = indexAt(pos);
    if (!index.isValid() || SectionKind(index.data(ModelBrowserModel::SectionKindRole).toInt()) != SectionKind::Folder)
        return {};
    return index.data(ModelBrowserModel::SectionKeyRole).toString();
}

void ModelBrowserView::setHighlight(const QModelIndex &index)
{
    QModelIndex section = index;
    while (section.parent().isValid())
        section = section.parent();
    if (section == m_highlight)
        return;
    m_highlight = section;
    // Shows where an import or save will go by selecting the target section while dragging.
    const QPoint at = visualRect(section).center();
    if (section.isValid() && (!importSchemeAt(at).isEmpty() || !folderAt(at).isEmpty()))
        selectionModel()->setCurrentIndex(section, QItemSelectionModel::ClearAndSelect
                                                       | QItemSelectionModel::Rows);
}

void ModelBrowserView::dragEnterEvent(QDragEnterEvent *event)
{
    if (canDrop(event->mimeData())) {
        event->setDropAction(Qt::CopyAction);
        event->accept();
    } else {
        event->ignore();
    }
}

void ModelBrowserView::dragMoveEvent(QDragMoveEvent *event)
{
    if (!canDrop(event->mimeData())) {
        event->ignore();
        return;
    }
    const QPoint pos = event->position().toPoint();
    if (!importSchemeAt(pos).isEmpty() || !folderAt(pos).isEmpty())
        setHighlight(indexAt(pos));
    // Always a copy: a move would let the drag's source remove what it dragged.
    event->setDropAction(Qt::CopyAction);
    event->accept();
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
    const QPoint pos = event->position().toPoint();
    if (const QString scheme = importSchemeAt(pos); !scheme.isEmpty())
        emit importDropped(urls, scheme);
    else if (const QString folder = folderAt(pos); !folder.isEmpty())
        emit saveDropped(urls, folder);
    else
        emit openDropped(urls);
}

} // namespace tfjs::ui

#pragma once

#include "browserentry.h"

#include <QTreeView>
#include <QUrl>

namespace tfjs::ui {

// The browser's tree view. Drops on the store or local-storage section (or one of their
// models) ask to import what was dropped there; drops anywhere else ask to open it.
class ModelBrowserView final : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelBrowserView)

public:
    explicit ModelBrowserView(QWidget *parent = nullptr);

    // Where a drop at `pos` (viewport coordinates) goes: "indexeddb", "localstorage", or
    // empty for "open".
    QString importSchemeAt(const QPoint &pos) const;

signals:
    void openDropped(const QList<QUrl> &urls);
    void importDropped(const QList<QUrl> &urls, const QString &scheme);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void setHighlight(const QModelIndex &section);
    QPersistentModelIndex m_highlight;
};

} // namespace tfjs::ui

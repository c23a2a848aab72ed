#pragma once

#include "browserentry.h"

#include <QTreeView>
#include <QUrl>

namespace tfjs::ui {

// The browser's tree view. Its models can be dragged (always as a copy: a source is never
// moved or removed by a drag). Drops on a store section whose scheme is an import target (or
// on one of its models) ask to import what was dropped there, drops on a folder section (or
// one of its models) ask to save it into that folder; drops anywhere else ask to open it.
class ModelBrowserView final : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelBrowserView)

public:
    explicit ModelBrowserView(QWidget *parent = nullptr);

    // The store schemes (section keys) a drop imports into.
    void setImportSchemes(const QStringList &schemes) { m_importSchemes = schemes; }
    // Where a drop at `pos` (viewport coordinates) goes: a store scheme ("indexeddb"), or
    // empty for "open".
    QString importSchemeAt(const QPoint &pos) const;
    // The folder section's path a drop at `pos` saves into; empty: none.
    QString folderAt(const QPoint &pos) const;

signals:
    void openDropped(const QList<QUrl> &urls);
    void importDropped(const QList<QUrl> &urls, const QString &scheme);
    void saveDropped(const QList<QUrl> &urls, const QString &folder);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void setHighlight(const QModelIndex &section);
    QPersistentModelIndex m_highlight;
    QStringList m_importSchemes;
};

} // namespace tfjs::ui

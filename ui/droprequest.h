#pragma once

#include "openedmodel.h"

#include "handlers/registry.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <vector>

class QMimeData;

namespace tfjs::ui {

// What a drop asks for, decided from the dropped URLs and what the folders hold (no file is
// read here):
// - each URL of a scheme the registry can load from (http(s), the stores, any scheme added
//   later; file:// is read below), each lone model JSON and each folder that holds a model
//   (modelJsonInFolder) is a model to open; other folders are folders of models for the
//   browser;
// - one JSON with other files is a JSON + weights set (matched by core's FileListHandler);
// - anything else is refused with a message naming what was dropped.
struct DropRequest
{
    std::vector<ModelSource> sources;
    QStringList folders; // folders of models, to add to the browser
    QString problem;     // non-empty: nothing to open, say why

    bool ok() const { return problem.isEmpty() && (!sources.empty() || !folders.isEmpty()); }
};

DropRequest dropRequestFor(const QList<QUrl> &urls, const HandlerRegistry &registry);
// URLs from the mime data: its URL list, else one "scheme://…" URL written as text (whether
// its scheme can be opened is dropRequestFor's to say).
QList<QUrl> droppedUrls(const QMimeData *mime);
bool canDrop(const QMimeData *mime);

} // namespace tfjs::ui

#pragma once

#include "browserentry.h"
#include "openedmodel.h"

namespace tfjs::ui {

// The one model an action acts on, fixed when the action starts: the opened model (saved and
// uploaded as it was loaded) or a model chosen in the browser or dropped (loaded by the job).
// Dialogs name it with description().
struct ModelTarget
{
    ModelSource source;
    OpenedModelPtr opened; // set: the opened model, used as loaded
    QString format; // empty: unknown
    qint64 size = -1; // bytes of JSON + weights, as the browser lists them; -1: unknown

    static ModelTarget of(OpenedModelPtr model);
    static ModelTarget of(const BrowserEntry &entry);
    static ModelTarget of(ModelSource source);

    bool isValid() const { return !source.url.isEmpty() || source.isFileSet(); }
    // A short name for titles and default save names: "dense".
    QString name() const { return source.suggestedName(); }
    // Where it comes from, its format and size: "indexeddb://dense (layers-model, 1.2 KiB)".
    QString description() const;
};

// The target's artifacts, on a worker thread: the opened model's as loaded, else loaded from
// its source.
Result<ModelArtifacts> artifactsOf(
    const HandlerRegistry &registry, const ModelTarget &target, JobContext &ctx);

} // namespace tfjs::ui

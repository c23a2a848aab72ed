#pragma once

#include "format/quantize.h"
#include "io/existing.h"
#include "registry.h"

#include <functional>

namespace tfjs {

// What a quantize-and-save did: the per-tensor report and what the save wrote.
struct QuantizeSaved
{
    QuantizeResult report;
    SaveResult saved;
};

// Quantizes a model and saves it at `destination`, as `tfjs-model quantize` and the app's
// Quantize… do: a destination holding a model is refused (Existing::Refuse) before `load` runs,
// the quantized bytes are spooled next to where the save writes (so a file:// save can name the
// spool instead of copying it), then the save follows `existing`.
// Errors: the destination's (unknown scheme, load-only, taken), the load's, quantizeModel's,
// the save's; cancellation.
[[nodiscard]] Result<QuantizeSaved> quantizeAndSave(const HandlerRegistry &registry,
    const std::function<Result<ModelArtifacts>(JobContext &ctx)> &load, const QString &destination,
    QuantizeOptions options, Existing existing, JobContext &ctx);

} // namespace tfjs

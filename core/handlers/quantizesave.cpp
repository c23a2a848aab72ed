#include "quantizesave.h"

#include "base/job.h"

namespace tfjs {

Result<QuantizeSaved> quantizeAndSave(const HandlerRegistry &registry,
    const std::function<Result<ModelArtifacts>(JobContext &ctx)> &load, const QString &destination,
    QuantizeOptions options, Existing existing, JobContext &ctx)
{
    auto saver = registry.handlerFor(destination);
    if (!saver)
        return fail(saver.error());
    IOHandler &save = **saver;
    if (!save.canSave())
        return fail(ErrorCode::Unsupported,
            QStringLiteral("'%1' can only be loaded from.").arg(destination));
    const auto url = ModelUrl::parse(destination);
    if (auto free = refuseExisting(
            existing, [&save] { return save.hasModel(); }, destination,
            url ? url->path : QString());
        !free)
        return fail(free.error());
    auto artifacts = load(ctx);
    if (!artifacts)
        return fail(artifacts.error());
    options.spoolFolder = save.spoolFolder();
    QuantizeSaved result;
    auto quantized = quantizeModel(*artifacts, options, ctx);
    if (!quantized)
        return fail(quantized.error());
    result.report = std::move(*quantized);
    save.setExisting(existing);
    auto saved = save.save(result.report.artifacts, ctx);
    if (!saved)
        return fail(saved.error());
    result.saved = std::move(*saved);
    return result;
}

} // namespace tfjs

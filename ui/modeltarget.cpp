#include "modeltarget.h"

#include "formatting.h"

#include <QStringList>

namespace tfjs::ui {

ModelTarget ModelTarget::of(OpenedModelPtr model)
{
    ModelTarget target;
    if (!model)
        return target;
    target.source = model->source;
    target.format = model->overview.format;
    // As the browser lists it: a local JSON's size, else the JSON as TF.js counts it.
    const ModelArtifactsInfo &info = model->overview.info;
    target.size = (model->jsonBytes >= 0 ? model->jsonBytes
                                         : info.modelTopologyBytes + info.weightSpecsBytes)
        + info.weightDataBytes;
    target.opened = std::move(model);
    return target;
}

ModelTarget ModelTarget::of(const BrowserEntry &entry)
{
    ModelTarget target;
    target.source = ModelSource::fromUrl(entry.url);
    target.format = entry.format;
    target.size = entry.size;
    return target;
}

ModelTarget ModelTarget::of(ModelSource source)
{
    ModelTarget target;
    target.source = std::move(source);
    return target;
}

QString ModelTarget::description() const
{
    QStringList facts;
    if (!format.isEmpty())
        facts << format;
    if (size >= 0)
        facts << formatBytes(size);
    const QString where = source.displayName();
    return facts.isEmpty() ? where
                           : QStringLiteral("%1 (%2)").arg(where, facts.join(QStringLiteral(", ")));
}

Result<ModelArtifacts> artifactsOf(
    const HandlerRegistry &registry, const ModelTarget &target, JobContext &ctx)
{
    if (target.opened)
        return target.opened->artifacts;
    auto model = loadModel(registry, target.source, ctx);
    if (!model)
        return fail(model.error());
    return std::move(model->artifacts);
}

} // namespace tfjs::ui

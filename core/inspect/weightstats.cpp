#include "weightstats.h"

#include "io/bytesource.h"
#include "inspect/statsaggregate.h"
#include "inspect/statsplan.h"
#include "inspect/statsscheduler.h"
#include "base/job.h"
#include "format/weightlayout.h"

#include <QThread>

#include <algorithm>
#include <cmath>

namespace tfjs {

namespace {

Result<void> checkOptions(const StatsOptions &options)
{
    if (options.bins < 0 || options.bins > StatsOptions::kMaxBins)
        return fail(ErrorCode::InvalidArgument,
            QStringLiteral("The number of histogram bins must be between 0 and %1, not %2.")
                .arg(StatsOptions::kMaxBins)
                .arg(options.bins));
    if (options.chunkBytes <= 0 || options.holdBytes < 0 || options.threads < 0)
        return fail(ErrorCode::InvalidArgument,
            QStringLiteral("Statistics options need a positive chunk size, a hold budget "
                           "and a thread count that are not negative."));
    if (const auto &range = options.histogramRange;
        range && !(std::isfinite(range->first) && std::isfinite(range->second) && range->first <= range->second))
        return fail(ErrorCode::InvalidArgument,
            QStringLiteral("A histogram range must be two finite numbers, the lower first, not "
                           "[%1, %2].")
                .arg(range->first)
                .arg(range->second));
    return {};
}

// Which specs the statistics cover: all, or those named in options.tensors.
Result<std::vector<bool>> selectTensors(
    const std::vector<WeightSpec> &specs, const QStringList &names)
{
    std::vector<bool> selected(specs.size(), names.isEmpty());
    for (const QString &name : names) {
        const std::string wanted = name.toStdString();
        const auto it = std::find_if(specs.begin(), specs.end(),
            [&](const WeightSpec &spec) { return spec.name == wanted; });
        if (it == specs.end()) {
            Error error { ErrorCode::NotFound,
                QStringLiteral("The model has no tensor named '%1'.").arg(name) };
            error.tensor = name;
            return fail(error);
        }
        selected[std::size_t(it - specs.begin())] = true;
    }
    return selected;
}

// Workers for `items` items: the option (0: one per core), at most one per item, 1 to 256.
int workerCount(const StatsOptions &options, std::size_t items)
{
    const int wanted = options.threads > 0 ? options.threads : QThread::idealThreadCount();
    return int(std::clamp<std::size_t>(
        std::min<std::size_t>(std::size_t(std::max(1, wanted)), items), 1, 256));
}

} // namespace

Result<WeightStats> computeWeightStats(
    const ModelArtifacts &artifacts, const StatsOptions &options, JobContext &ctx)
{
    if (auto checked = checkOptions(options); !checked)
        return fail(checked.error());
    static const std::vector<WeightSpec> kNoSpecs;
    const std::vector<WeightSpec> &specs
        = artifacts.weightSpecs ? *artifacts.weightSpecs : kNoSpecs;
    const auto selected = selectTensors(specs, options.tensors);
    if (!selected)
        return fail(selected.error());

    const ByteSource source(artifacts.weightData);
    const auto layout = checkWeightLayout(specs, artifacts.weightData, {}, &ctx);
    if (!layout)
        return fail(layout.error());

    std::vector<stats::Plan> plans;
    qint64 coveredBytes = 0;
    std::size_t items = 0;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (!(*selected)[i])
            continue;
        auto plan = stats::planTensor(
            i, specs[i], (*layout)[i], source, options.chunkBytes, options.holdBytes);
        if (!plan)
            return fail(plan.error());
        plan->histogramRange = options.histogramRange;
        coveredBytes += plan->layout.bytes;
        items += plan->items.size();
        plans.push_back(std::move(*plan));
    }

    ctx.setStage(QStringLiteral("Computing weight statistics"), coveredBytes, int(plans.size()));
    const int workers = workerCount(options, items);
    if (auto ran = stats::runPlans(plans, source, options.bins, options.holdBytes, workers, ctx);
        !ran)
        return fail(ran.error());
    if (ctx.isCancelled())
        return fail(cancelledError());

    WeightStats result;
    result.bins = options.bins;
    result.bytes = coveredBytes;
    stats::Aggregate model;
    stats::Aggregate optimizer;
    for (const stats::Plan &plan : plans) {
        const WeightSpec &spec = specs[plan.index];
        if (spec.dtype == DType::Float32)
            (spec.group == "optimizer" ? optimizer : model).add(plan);
        result.tensors.push_back(stats::tensorStats(plan, spec, options.bins));
    }
    result.model = model.result();
    result.modelTensors = model.tensors;
    result.optimizer = optimizer.result();
    result.optimizerTensors = optimizer.tensors;
    return result;
}

} // namespace tfjs

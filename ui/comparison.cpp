#include "comparison.h"

#include "handlers/registry.h"
#include "inspect/weightstats.h"

#include <algorithm>

namespace tfjs::ui {

namespace {

Result<std::shared_ptr<const ModelArtifacts>> load(const HandlerRegistry &registry,
    const ModelTarget &target, const QString &which, JobContext &ctx)
{
    auto artifacts = artifactsOf(registry, target, ctx);
    if (!artifacts) {
        if (artifacts.error().isCancelled())
            return fail(artifacts.error());
        Error error = artifacts.error();
        error.message = QObject::tr("Could not load model %1 (%2): %3")
                            .arg(which, target.source.displayName(), error.message);
        return fail(std::move(error));
    }
    return std::make_shared<const ModelArtifacts>(std::move(*artifacts));
}

using Range = std::optional<std::pair<double, double>>;

// The finite [min, max] of one tensor (a first pass only, no bins); none when it has no finite
// value or no such tensor is asked for.
Result<Range> rangeOf(const ModelArtifacts &artifacts, const QString &name, JobContext &ctx)
{
    if (name.isEmpty())
        return Range();
    StatsOptions options;
    options.bins = 0;
    options.tensors = { name };
    auto stats = computeWeightStats(artifacts, options, ctx);
    if (!stats)
        return fail(stats.error());
    if (stats->tensors.empty() || stats->tensors.front().values.finite == 0)
        return Range();
    const ValueStats &v = stats->tensors.front().values;
    return Range(std::pair(v.min, v.max));
}

Result<HistogramSeries> histogramOf(const ModelArtifacts &artifacts, const QString &name,
    const QString &label, const Range &range, JobContext &ctx)
{
    HistogramSeries series;
    series.name = label;
    if (name.isEmpty())
        return series;
    StatsOptions options;
    options.bins = kCompareBins;
    options.tensors = { name };
    options.histogramRange = range;
    auto stats = computeWeightStats(artifacts, options, ctx);
    if (!stats)
        return fail(stats.error());
    if (stats->tensors.empty() || !stats->tensors.front().histogram)
        return series;
    const Histogram &h = *stats->tensors.front().histogram;
    series.counts.assign(h.counts.begin(), h.counts.end());
    series.lo = h.min;
    series.hi = h.max;
    return series;
}

} // namespace

Result<Comparison> compareTargets(
    const HandlerRegistry &registry, const ModelTarget &a, const ModelTarget &b, JobContext &ctx)
{
    Comparison comparison;
    auto first = load(registry, a, QStringLiteral("A"), ctx);
    if (!first)
        return fail(first.error());
    auto second = load(registry, b, QStringLiteral("B"), ctx);
    if (!second)
        return fail(second.error());
    comparison.a = std::move(*first);
    comparison.b = std::move(*second);
    auto diff = diffModels(*comparison.a, *comparison.b, DiffOptions {}, ctx);
    if (!diff)
        return fail(diff.error());
    comparison.diff = std::make_shared<const ModelDiff>(std::move(*diff));
    return comparison;
}

Result<HistogramPair> tensorHistograms(
    const Comparison &comparison, const QString &nameA, const QString &nameB, JobContext &ctx)
{
    // Both binned over the union of their ranges, so the overlaid bars are the same bins.
    auto rangeA = rangeOf(*comparison.a, nameA, ctx);
    if (!rangeA)
        return fail(rangeA.error());
    auto rangeB = rangeOf(*comparison.b, nameB, ctx);
    if (!rangeB)
        return fail(rangeB.error());
    Range range = *rangeA ? *rangeA : *rangeB;
    if (*rangeA && *rangeB)
        range = std::pair(std::min((*rangeA)->first, (*rangeB)->first),
                          std::max((*rangeA)->second, (*rangeB)->second));
    HistogramPair pair;
    auto a = histogramOf(*comparison.a, nameA, QStringLiteral("A: %1").arg(nameA), range, ctx);
    if (!a)
        return fail(a.error());
    auto b = histogramOf(*comparison.b, nameB, QStringLiteral("B: %1").arg(nameB), range, ctx);
    if (!b)
        return fail(b.error());
    pair.a = std::move(*a);
    pair.b = std::move(*b);
    return pair;
}

} // namespace tfjs::ui

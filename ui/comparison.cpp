#include "comparison.h"

#include "handlers/registry.h"
#include "inspect/weightstats.h"

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

Result<HistogramSeries> histogramOf(
    const ModelArtifacts &artifacts, const QString &name, const QString &label, JobContext &ctx)
{
    HistogramSeries series;
    series.name = label;
    if (name.isEmpty())
        return series;
    StatsOptions options;
    options.bins = kCompareBins;
    options.tensors = { name };
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
    HistogramPair pair;
    auto a = histogramOf(*comparison.a, nameA, QStringLiteral("A: %1").arg(nameA), ctx);
    if (!a)
        return fail(a.error());
    auto b = histogramOf(*comparison.b, nameB, QStringLiteral("B: %1").arg(nameB), ctx);
    if (!b)
        return fail(b.error());
    pair.a = std::move(*a);
    pair.b = std::move(*b);
    return pair;
}

} // namespace tfjs::ui

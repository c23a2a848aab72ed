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
    // Each over its own range first; when the ranges differ (a changed tensor), both again over
    // their union, so the overlaid bars are the same bins. Equal ranges cost nothing more.
    const QString labelA = QStringLiteral("A: %1").arg(nameA);
    const QString labelB = QStringLiteral("B: %1").arg(nameB);
    auto a = histogramOf(*comparison.a, nameA, labelA, {}, ctx);
    if (!a)
        return fail(a.error());
    auto b = histogramOf(*comparison.b, nameB, labelB, {}, ctx);
    if (!b)
        return fail(b.error());
    if (!a->counts.empty() && !b->counts.empty() && (a->lo != b->lo || a->hi != b->hi)) {
        const Range range = std::pair(std::min(a->lo, b->lo), std::max(a->hi, b->hi));
        a = histogramOf(*comparison.a, nameA, labelA, range, ctx);
        if (!a)
            return fail(a.error());
        b = histogramOf(*comparison.b, nameB, labelB, range, ctx);
        if (!b)
            return fail(b.error());
    }
    HistogramPair pair;
    pair.a = std::move(*a);
    pair.b = std::move(*b);
    return pair;
}

} // namespace tfjs::ui

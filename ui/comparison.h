#pragma once

// Adapters from core's model diff (core/inspect/modeldiff.h) to the Compare window. Both run
// on a worker thread inside a Job.

#include "histogramview.h"
#include "modeltarget.h"

#include "inspect/modeldiff.h"

#include <memory>

namespace tfjs {
class HandlerRegistry;
class JobContext;
} // namespace tfjs

namespace tfjs::ui {

// Two models and what differs between them. The artifacts are kept for the histograms.
struct Comparison
{
    std::shared_ptr<const ModelArtifacts> a;
    std::shared_ptr<const ModelArtifacts> b;
    std::shared_ptr<const ModelDiff> diff;
};

// Loads A then B (a failure names the model: "Could not load model A (URL): …") and diffs
// them (diffModels).
Result<Comparison> compareTargets(
    const HandlerRegistry &registry, const ModelTarget &a, const ModelTarget &b, JobContext &ctx);

// The histograms of tensor `nameA` of A and `nameB` of B, each over its own finite range
// (computeWeightStats on the one tensor, streamed). A side whose name is empty, or whose
// tensor has no finite value or is not numeric, has no counts.
struct HistogramPair
{
    HistogramSeries a;
    HistogramSeries b;
};
inline constexpr int kCompareBins = 64;
Result<HistogramPair> tensorHistograms(
    const Comparison &comparison, const QString &nameA, const QString &nameB, JobContext &ctx);

} // namespace tfjs::ui

#pragma once

#include "base/error.h"
#include "base/json.h"
#include "format/artifacts.h"
#include "inspect/topologydiff.h"
#include "inspect/weightdiff.h"

#include <vector>

namespace tfjs {

class JobContext;

// What differs between two models: their topologies and their weights, tensor by tensor.
struct ModelDiff
{
    TopologyDiff topology;
    std::vector<TensorDiff> tensors;

    // Totals over `tensors`.
    struct Totals
    {
        int identical = 0;
        int changed = 0;
        int added = 0;
        int removed = 0;
        int renamed = 0;
        std::int64_t values = 0; // values compared
        std::int64_t changedValues = 0;
        double maxAbs = 0; // over the compared numeric tensors
        double meanAbs = TensorDiff::kNone;
        double relativeL2 = TensorDiff::kNone; // sqrt(sum (a-b)^2) / sqrt(sum a^2), all of them
    };
    Totals totals() const;
    bool identical() const;
    Json toJson() const;
};

using DiffOptions = WeightDiffOptions;

// Compares model A with model B (any schemes; layers-models, graph-models or bare manifests):
// the topology from the JSON, the weights streamed on worker threads in bounded memory
// (diffWeights). Errors: diffWeights's.
[[nodiscard]] Result<ModelDiff> diffModels(
    const ModelArtifacts &a, const ModelArtifacts &b, const DiffOptions &options, JobContext &ctx);

} // namespace tfjs

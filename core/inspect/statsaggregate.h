#pragma once

// From the plans computeWeightStats (weightstats.h) ran to the statistics it returns: each
// tensor's, and the model's and optimizer's over several tensors. Internal to the inspection
// area; exposed in a header for unit tests.

#include "inspect/statsplan.h"
#include "inspect/weightstats.h"

#include <utility>
#include <vector>

namespace tfjs::stats {

// The statistics of first-pass `moments` and the sum of squared deviations `m2`; `constant`:
// every finite value equal (mean exact, std 0).
ValueStats valueStats(const Moments &moments, double m2, bool constant);

// The spacing of float16 values at `magnitude` (the largest finite magnitude of a tensor).
double float16Step(double magnitude);

// A tensor's statistics from its finished plan, for `bins` bins.
TensorStats tensorStats(const Plan &plan, const WeightSpec &spec, int bins);

// Combines tensors into one ValueStats: sums add up; squared deviations from the overall mean
// are each tensor's own plus n_i * (mean_i - mean)^2 (Chan et al.). Plans must outlive it.
struct Aggregate
{
    Moments moments;
    std::vector<std::pair<const Plan *, double>> parts; // plan and its mean
    int tensors = 0;

    void add(const Plan &plan);
    ValueStats result() const;
};

} // namespace tfjs::stats

#pragma once

// The two passes of computeWeightStats (weightstats.h) over one item of a plan: its bytes
// decoded block by block into a worker's scratch buffers and fed to the kernels
// (statskernels.h), and what a plan needs between the passes. Internal to the inspection
// area; exposed in a header for the scheduler and unit tests.

#include "inspect/statsplan.h"

#include <cstdint>
#include <vector>

namespace tfjs::stats {

// Per-worker buffers for decoded values.
struct Scratch
{
    static constexpr std::int64_t kValues = 8192;
    std::vector<float> floats = std::vector<float>(kValues);
    std::vector<double> doubles = std::vector<double>(kValues);
    Spread spread;
};

// First pass over `item` (its bytes at `data`): its moments and whether it holds NaN/Inf.
void runPass1(const Plan &plan, Item &item, const char *data, Scratch &scratch);

// Second pass (after prepareSecondPass): the item's squared deviations into item.m2 and its
// histogram counts into scratch.spread.counts (add them with addCounts).
void runPass2(const Plan &plan, Item &item, const char *data, Scratch &scratch);

// After the first pass over all of a plan's items: merges their moments (in item order) and
// sets what the second pass needs for `bins` bins. Returns false when there is no second pass
// (no finite value, all values equal, or no histogram and the std known from the first pass's
// sums). Touches only the plan.
bool prepareSecondPass(Plan &plan, int bins);
// The span of a finished first pass's histogram: [min, max], or the plan's histogramRange
// widened to hold them.
std::pair<double, double> histogramBounds(const Plan &plan);

// Adds one item's histogram counts (from runPass2) to the plan's.
void addCounts(Plan &plan, const Scratch &scratch);

} // namespace tfjs::stats

#pragma once

// The scheduler of computeWeightStats (weightstats.h). Internal to the inspection area;
// exposed in a header for unit tests.

#include "io/bytesource.h"
#include "base/error.h"
#include "inspect/statsplan.h"

#include <vector>

namespace tfjs {
class JobContext;
}

namespace tfjs::stats {

// Takes both passes over the items of `plans` (from planTensor, in order) on up to `threads`
// workers, the calling thread and free threads of the global pool (runWorkers), and returns
// when every worker has ended, the plans' results filled in. Tensors are started in order,
// and a new one only when no started one has an item left to take; held tensors (Plan::hold)
// are started while their bytes, kept mapped between the passes, fit in `holdBytes` together
// (one always may). A tensor's second pass starts after its first ends (prepareSecondPass
// says whether one is needed, for `bins` bins). Workers check `ctx` for cancellation before
// each item, so once cancelled each ends after the item it holds (at most one chunk each).
// Progress: each weight byte once (see computeWeightStats), and a tensor when it is done.
// Errors: the first read error (the others stop after their current item), or
// cancelledError().
[[nodiscard]] Result<void> runPlans(std::vector<Plan> &plans, const ByteSource &source, int bins,
    qint64 holdBytes, int threads, JobContext &ctx);

} // namespace tfjs::stats

#pragma once

#include <functional>

class QThreadPool;

namespace tfjs {

// Runs `work` on the calling thread and on up to `workers - 1` threads of `pool` that are
// free now, and returns when every copy has returned: at most `workers` copies run, the
// calling thread counting as one. The pool is not grown and nothing is queued in it: when it
// has no free thread (its limit reached, e.g. by the Job running the caller on one of its
// threads, or by other jobs), fewer copies run, down to the calling thread's alone. The
// copies are expected to share one supply of work and return when it is used up; `work`
// must be safe to call from several threads at once. null `pool`: the global pool.
void runWorkers(int workers, const std::function<void()> &work, QThreadPool *pool = nullptr);

} // namespace tfjs

#include "workers.h"

#include <QThreadPool>

#include <condition_variable>
#include <mutex>

namespace tfjs {

void runWorkers(int workers, const std::function<void()> &work, QThreadPool *pool)
{
    if (!pool)
        pool = QThreadPool::globalInstance();
    std::mutex mutex;
    std::condition_variable ended;
    int running = 0; // helpers started and not yet returned
    for (int helper = 1; helper < workers; ++helper) {
        {
            std::lock_guard lock(mutex);
            ++running;
        }
        // tryStart runs the helper on a free thread at once, or not at all (never queued, so
        // a busy pool cannot make this call wait for threads the caller's own work holds).
        const bool started = pool->tryStart([&] {
            work();
            std::lock_guard lock(mutex);
            --running;
            ended.notify_all();
        });
        if (!started) {
            std::lock_guard lock(mutex);
            --running;
            break;
        }
    }
    work();
    std::unique_lock lock(mutex);
    ended.wait(lock, [&] { return running == 0; });
}

} // namespace tfjs

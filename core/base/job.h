#pragma once

#include "error.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace tfjs {

struct Progress
{
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0; // 0: unknown
    int itemsDone = 0;     // tensors, shards, models ... (what the job counts)
    int itemsTotal = 0;
    QString stage;         // short text: "Reading shards", "Writing weights.bin"
};

// Handed to every long operation: it reports progress and checks for cancellation between
// chunks. Thread-safe; usable without a Job (the CLI's synchronous paths, tests).
class JobContext
{
public:
    using ProgressFn = std::function<void(const Progress &)>;

    JobContext() = default;
    explicit JobContext(ProgressFn onProgress) : m_onProgress(std::move(onProgress)) {}

    // Set before the work starts (not thread-safe against concurrent reports).
    void setProgressHandler(ProgressFn onProgress) { m_onProgress = std::move(onProgress); }

    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

    // Progress is forwarded at most every ~50 ms, except the final update (done == total).
    void setStage(const QString &stage, qint64 bytesTotal, int itemsTotal = 0);
    void addBytes(qint64 bytes);
    void addItems(int items = 1);
    Progress progress() const;
    // Forwards the progress now if the throttle held back its latest change (a Job does when
    // its work ends, so a failure shows what was done, not the last report before it).
    void flushProgress();

private:
    void publish(bool force);

    std::atomic<bool> m_cancelled{false};
    ProgressFn m_onProgress;
    mutable std::mutex m_mutex;
    Progress m_progress;
    qint64 m_lastPublishMs = 0;
    bool m_heldBack = false; // a change not forwarded yet
};

// One shape for all long work: a function run on the global thread pool with a JobContext;
// progress() and finished() are delivered as queued signals to the job's thread.
// finished() hands the outcome; work that returns a value is run with runValueJob (below).
class Job final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Job)

public:
    using Work = std::function<Result<void>(JobContext &)>;

    explicit Job(QString title, Work work, QObject *parent = nullptr);
    ~Job() override; // cancels and waits for the work to end

    QString title() const { return m_title; }
    void start();
    void cancel();
    bool isRunning() const;
    // Blocks until the work has ended (for the CLI and tests, never the GUI thread).
    void wait();

signals:
    void progressChanged(const tfjs::Progress &progress);
    // The work's result, or cancelledError() when it was cancelled (even if it succeeded).
    void finished(const tfjs::Result<void> &outcome);

private:
    struct Shared;
    QString m_title;
    Work m_work;
    std::shared_ptr<Shared> m_shared;
};

// Work that returns a value, run as a Job: `work` is the Job::Work to run, and `take` turns the
// outcome finished() hands over into the value, or the error (Cancelled when cancelled). The
// value waits between the worker and the job's thread in a slot only these two share; take it
// once, after finished().
template <typename T>
struct ValueWork
{
    Job::Work work;
    std::function<Result<T>(const Result<void> &outcome)> take;
};

template <typename T>
ValueWork<T> valueWork(std::function<Result<T>(JobContext &)> work)
{
    auto slot = std::make_shared<std::optional<T>>();
    return {[work = std::move(work), slot](JobContext &ctx) -> Result<void> {
                auto result = work(ctx);
                if (!result)
                    return fail(std::move(result.error()));
                slot->emplace(std::move(*result));
                return {};
            },
            [slot](const Result<void> &outcome) -> Result<T> {
                if (!outcome)
                    return fail(outcome.error());
                return std::move(**slot);
            }};
}

} // namespace tfjs

Q_DECLARE_METATYPE(tfjs::Progress)
Q_DECLARE_METATYPE(tfjs::Result<void>)

#pragma once

#include "error.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

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
// The result itself is captured by the work function; finished() carries only the outcome.
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
    // The outcome after finished(): empty on success.
    std::optional<Error> error() const;

signals:
    void progressChanged(const tfjs::Progress &progress);
    void finished(bool ok);

private:
    struct Shared;
    QString m_title;
    Work m_work;
    std::shared_ptr<Shared> m_shared;
};

} // namespace tfjs

Q_DECLARE_METATYPE(tfjs::Progress)

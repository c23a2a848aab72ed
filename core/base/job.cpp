#include "job.h"

#include <QDateTime>
#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>

#include <condition_variable>

namespace tfjs {

namespace {

// Adds `amount` to the counter `done`; true when it reaches a known `total` (the final update).
template <typename Count>
bool advance(Count &done, Count total, Count amount)
{
    done += amount;
    return total > 0 && done >= total;
}

} // namespace

void JobContext::setStage(const QString &stage, qint64 bytesTotal, int itemsTotal)
{
    {
        std::lock_guard lock(m_mutex);
        m_progress.stage = stage;
        m_progress.bytesDone = 0;
        m_progress.bytesTotal = bytesTotal;
        m_progress.itemsDone = 0;
        m_progress.itemsTotal = itemsTotal;
    }
    publish(true);
}

void JobContext::addBytes(qint64 bytes)
{
    bool last;
    {
        std::lock_guard lock(m_mutex);
        last = advance(m_progress.bytesDone, m_progress.bytesTotal, bytes);
    }
    publish(last);
}

void JobContext::addItems(int items)
{
    bool last;
    {
        std::lock_guard lock(m_mutex);
        last = advance(m_progress.itemsDone, m_progress.itemsTotal, items);
    }
    publish(last);
}

Progress JobContext::progress() const
{
    std::lock_guard lock(m_mutex);
    return m_progress;
}

void JobContext::flushProgress()
{
    bool heldBack;
    {
        std::lock_guard lock(m_mutex);
        heldBack = m_heldBack;
    }
    if (heldBack)
        publish(true);
}

void JobContext::publish(bool force)
{
    if (!m_onProgress)
        return;
    Progress snapshot;
    {
        std::lock_guard lock(m_mutex);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        m_heldBack = !force && now - m_lastPublishMs < 50;
        if (m_heldBack)
            return;
        m_lastPublishMs = now;
        snapshot = m_progress;
    }
    m_onProgress(snapshot);
}

struct Job::Shared
{
    JobContext ctx;
    std::mutex mutex;
    std::condition_variable ended;
    bool running = false;  // the work has not returned yet
    bool settling = false; // the worker still touches the Job (posting finished())
};

Job::Job(QString title, Work work, QObject *parent)
    : QObject(parent), m_title(std::move(title)), m_work(std::move(work)),
      m_shared(std::make_shared<Shared>())
{
    qRegisterMetaType<tfjs::Progress>();
    qRegisterMetaType<tfjs::Result<void>>();
}

Job::~Job()
{
    cancel();
    std::unique_lock lock(m_shared->mutex);
    m_shared->ended.wait(lock, [this] { return !m_shared->running && !m_shared->settling; });
}

void Job::start()
{
    {
        std::lock_guard lock(m_shared->mutex);
        if (m_shared->running)
            return;
        m_shared->running = true;
        m_shared->settling = true;
    }
    QPointer<Job> self(this);
    auto shared = m_shared;
    // Progress goes through a queued call so receivers run on the job's thread.
    shared->ctx.setProgressHandler([self](const Progress &progress) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, progress] {
                if (self)
                    emit self->progressChanged(progress);
            },
            Qt::QueuedConnection);
    });
    Work work = m_work;
    QThreadPool::globalInstance()->start([self, shared, work] {
        Result<void> outcome = work(shared->ctx);
        if (outcome && shared->ctx.isCancelled())
            outcome = fail(cancelledError());
        shared->ctx.flushProgress(); // queued before finished()
        {
            std::lock_guard lock(shared->mutex);
            shared->running = false;
        }
        shared->ended.notify_all();
        // Posted while the Job is still alive: its destructor waits for `settling` to drop.
        QMetaObject::invokeMethod(
            self.data(),
            [self, outcome = std::move(outcome)] {
                if (self)
                    emit self->finished(outcome);
            },
            Qt::QueuedConnection);
        {
            std::lock_guard lock(shared->mutex);
            shared->settling = false;
        }
        shared->ended.notify_all();
    });
}

void Job::cancel()
{
    m_shared->ctx.cancel();
}

bool Job::isRunning() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->running;
}

void Job::wait()
{
    std::unique_lock lock(m_shared->mutex);
    m_shared->ended.wait(lock, [this] { return !m_shared->running; });
}

} // namespace tfjs

#include "jobtracker.h"

#include <QPointer>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace tfjs::ui {

namespace {

// Job threads run below the GUI thread's priority so the window stays responsive while the
// work uses every core. Linux keeps a nice value per thread and threads inherit their
// creator's, so the worker threads a job starts (statistics) are lowered too.
void lowerCurrentThreadPriority()
{
#ifdef Q_OS_LINUX
    thread_local bool lowered = false;
    if (!lowered) {
        lowered = true;
        setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 10);
    }
#endif
}

} // namespace

JobTracker::JobTracker(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<std::optional<tfjs::Error>>();
}

JobTracker::~JobTracker()
{
    // Jobs are children: their destructors cancel and wait. Cancel all first so they end
    // together rather than one after another.
    cancelAll();
}

Job *JobTracker::start(const QString &title, Job::Work work, QObject *context, Done done,
                       bool background)
{
    return startFor(
        title, std::move(work), context,
        [done = std::move(done)](const Result<void> &outcome) {
            if (done)
                done(outcome ? std::nullopt : std::optional<Error>(outcome.error()));
        },
        background);
}

Job *JobTracker::startFor(const QString &title, Job::Work work, QObject *context,
                          std::function<void(const Result<void> &)> done, bool background)
{
    const QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    auto *job = new Job(
        title,
        [work = std::move(work)](JobContext &ctx) {
            lowerCurrentThreadPriority();
            return work(ctx);
        },
        this);
    m_running << job;
    if (background)
        m_background << job;
    connect(job, &Job::finished, this, [this, job, guard, hasContext, done = std::move(done)](
                                           const Result<void> &outcome) {
        m_running.removeOne(job);
        m_background.removeOne(job);
        if (done && (!hasContext || guard))
            done(outcome);
        emit jobFinished(job->title(),
                         outcome ? std::nullopt : std::optional<Error>(outcome.error()));
        updateCurrent();
        job->deleteLater();
    });
    job->start();
    emit jobStarted(job);
    updateCurrent();
    return job;
}

Job *JobTracker::current() const
{
    for (auto it = m_running.crbegin(); it != m_running.crend(); ++it) {
        if (!m_background.contains(*it))
            return *it;
    }
    return m_running.isEmpty() ? nullptr : m_running.back();
}

void JobTracker::cancelAll()
{
    for (Job *job : std::as_const(m_running))
        job->cancel();
}

void JobTracker::updateCurrent()
{
    Job *now = current();
    if (now == m_current)
        return;
    m_current = now;
    emit currentChanged(now);
}

} // namespace tfjs::ui

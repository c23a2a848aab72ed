#pragma once

#include "base/job.h"

#include <QObject>

#include <functional>

namespace tfjs::ui {

// Starts core Jobs for the window and keeps the list of running ones. Each job is owned here,
// reported through `done` on the GUI thread when it ends, then deleted.
class JobTracker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobTracker)

public:
    using Done = std::function<void(const std::optional<Error> &error)>;

    explicit JobTracker(QObject *parent = nullptr);
    ~JobTracker() override;

    // `done` runs on the GUI thread when the job ends, unless `context` is gone by then.
    // `background` jobs (folder scans, listings) show in the status bar only when nothing
    // else runs.
    Job *start(const QString &title, Job::Work work, QObject *context = nullptr, Done done = {},
               bool background = false);
    // The same for work that returns a value: `done` gets the value or the error.
    template <typename T>
    Job *start(const QString &title, std::function<Result<T>(JobContext &)> work,
               QObject *context, std::function<void(Result<T>)> done, bool background = false)
    {
        ValueWork<T> value = valueWork(std::move(work));
        return startFor(title, std::move(value.work), context,
                        [take = std::move(value.take), done = std::move(done)](
                            const Result<void> &outcome) { done(take(outcome)); },
                        background);
    }
    QList<Job *> running() const { return m_running; }
    // The job the status bar shows: the latest foreground job, else the latest one.
    Job *current() const;
    void cancelAll();

signals:
    void jobStarted(tfjs::Job *job);
    // After `done` ran; `error` is empty on success, Cancelled when cancelled.
    void jobFinished(const QString &title, const std::optional<tfjs::Error> &error);
    void currentChanged(tfjs::Job *job);

private:
    Job *startFor(const QString &title, Job::Work work, QObject *context,
                  std::function<void(const Result<void> &)> done, bool background);

    QList<Job *> m_running;
    QList<Job *> m_background;
    Job *m_current = nullptr;
    void updateCurrent();
};

} // namespace tfjs::ui

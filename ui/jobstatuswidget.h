#pragma once

#include "base/job.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace tfjs::ui {

class JobTracker;

// The status bar's job display: the current job's title and stage, a progress bar (bytes,
// else items, else busy) with the transfer rate, how many others run, and a Cancel button.
// Hidden while nothing runs.
class JobStatusWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobStatusWidget)

public:
    explicit JobStatusWidget(JobTracker *tracker, QWidget *parent = nullptr);

    QToolButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_bar; }
    QString text() const;

private:
    void setJob(Job *job);
    void showProgress(const Progress &progress);

    JobTracker *m_tracker;
    QPointer<Job> m_job;
    QMetaObject::Connection m_progressConnection;
    QLabel *m_label = nullptr;
    QProgressBar *m_bar = nullptr;
    QToolButton *m_cancel = nullptr;
    QElapsedTimer m_clock;
    QString m_stage;
    Progress m_last;
};

} // namespace tfjs::ui

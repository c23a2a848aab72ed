#include "jobstatuswidget.h"

#include "formatting.h"
#include "jobtracker.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

namespace tfjs::ui {

JobStatusWidget::JobStatusWidget(JobTracker *tracker, QWidget *parent)
    : QWidget(parent), m_tracker(tracker)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_label = new QLabel(this);
    m_label->setTextFormat(Qt::PlainText);
    // Fixed sizes: progress updates must not relayout the window.
    m_label->setFixedWidth(m_label->fontMetrics().averageCharWidth() * 48);
    m_bar = new QProgressBar(this);
    m_bar->setFixedWidth(m_bar->fontMetrics().averageCharWidth() * 34);
    m_bar->setTextVisible(true);
    m_cancel = new QToolButton(this);
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel this job (Esc)"));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancel->setAutoRaise(true);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, this, [this] {
        if (m_job) {
            m_job->cancel();
            m_cancel->setEnabled(false);
            m_label->setText(tr("%1: cancelling…").arg(m_job->title()));
            m_label->setToolTip(m_label->text());
        }
    });
    connect(tracker, &JobTracker::currentChanged, this, &JobStatusWidget::setJob);
    // The "+n more" count changes when any job starts or ends.
    connect(tracker, &JobTracker::jobStarted, this, [this] { showProgress(m_last); });
    connect(tracker, &JobTracker::jobFinished, this, [this] { showProgress(m_last); });
    setJob(tracker->current());
}

QString JobStatusWidget::text() const
{
    return m_label->toolTip();
}

void JobStatusWidget::setJob(Job *job)
{
    disconnect(m_progressConnection);
    m_job = job;
    m_stage.clear();
    m_last = Progress{};
    setVisible(job != nullptr);
    if (!job)
        return;
    m_cancel->setEnabled(true);
    m_clock.start();
    m_progressConnection =
        connect(job, &Job::progressChanged, this, &JobStatusWidget::showProgress);
    showProgress(Progress{});
}

void JobStatusWidget::showProgress(const Progress &progress)
{
    if (!m_job)
        return;
    m_last = progress;
    if (!progress.stage.isEmpty())
        m_stage = progress.stage;
    QString text = m_job->title();
    if (!m_stage.isEmpty() && m_stage != text)
        text += QStringLiteral(": ") + m_stage;
    const int others = int(m_tracker->running().size()) - 1;
    if (others > 0)
        text += tr(" (+%1 more)").arg(others);
    if (m_cancel->isEnabled()) {
        m_label->setText(m_label->fontMetrics().elidedText(text, Qt::ElideMiddle, m_label->width()));
        m_label->setToolTip(text);
    }

    if (progress.bytesTotal > 0) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(1000.0 * double(progress.bytesDone) / double(progress.bytesTotal)));
        const double seconds = double(m_clock.elapsed()) / 1000.0;
        m_bar->setFormat(QStringLiteral("%1 / %2  %3")
                             .arg(formatBytes(progress.bytesDone), formatBytes(progress.bytesTotal),
                                  seconds > 0.2 ? formatRate(double(progress.bytesDone) / seconds)
                                                : QString()));
    } else if (progress.itemsTotal > 0) {
        m_bar->setRange(0, progress.itemsTotal);
        m_bar->setValue(progress.itemsDone);
        m_bar->setFormat(QStringLiteral("%v / %m"));
    } else {
        m_bar->setRange(0, 0); // busy
        m_bar->setFormat({});
    }
}

} // namespace tfjs::ui

#pragma once

#include "comparison.h"
#include "modeltarget.h"

#include "base/job.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QCheckBox;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace tfjs {
class HandlerRegistry;
}

namespace tfjs::ui {

class DiffFilterModel;
class DiffTableModel;
class HistogramView;
class JobTracker;
class TableExporter;

// The Compare window (a top-level window per comparison): the two models and the totals, the
// topology changes, the table of tensors (largest relative L2 first, filterable by name, with
// Copy/Export) and the selected tensor's histograms in A and in B overlaid. The diff and the
// histograms are Jobs (core's diffModels and weight statistics); Cancel stops the diff.
class CompareWindow final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareWindow)

public:
    CompareWindow(JobTracker *jobs, std::shared_ptr<const HandlerRegistry> registry, ModelTarget a,
        ModelTarget b, QWidget *parent = nullptr);
    ~CompareWindow() override;

    // Runs the diff (again); the job's outcome shows in the window, then compared() follows.
    void start();
    void cancel();
    bool isRunning() const { return !m_job.isNull(); }

    QLabel *header() const { return m_header; }
    QLabel *status() const { return m_status; }
    QTreeWidget *topology() const { return m_topology; }
    QTableView *table() const { return m_table; }
    DiffTableModel *tableModel() const { return m_model; }
    DiffFilterModel *filterModel() const { return m_filter; }
    QLineEdit *filterEdit() const { return m_filterEdit; }
    QCheckBox *changedOnly() const { return m_changedOnly; }
    HistogramView *histogram() const { return m_histogram; }
    QPushButton *runButton() const { return m_runButton; }
    TableExporter *exporter() const { return m_exporter; }
    Job *job() const { return m_job; }
    const Comparison &comparison() const { return m_comparison; }

signals:
    // The diff ended: `error` empty on success (Cancelled when cancelled).
    void compared(const std::optional<tfjs::Error> &error);
    // The selected tensor's histograms are shown (or their job failed).
    void histogramsShown();

private:
    void showComparison(Comparison comparison);
    void showTopology(const TopologyDiff &topology);
    void showSelected();
    void showRunning(bool running);

    JobTracker *m_jobs;
    std::shared_ptr<const HandlerRegistry> m_registry;
    ModelTarget m_a;
    ModelTarget m_b;
    Comparison m_comparison;
    QPointer<Job> m_job;
    QPointer<Job> m_histogramJob;
    quint64 m_selection = 0; // histogram requests, newest wins

    QLabel *m_header = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_runButton = nullptr;
    QTreeWidget *m_topology = nullptr;
    DiffTableModel *m_model = nullptr;
    DiffFilterModel *m_filter = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QCheckBox *m_changedOnly = nullptr;
    QTableView *m_table = nullptr;
    TableExporter *m_exporter = nullptr;
    HistogramView *m_histogram = nullptr;
};

} // namespace tfjs::ui

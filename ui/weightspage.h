#pragma once

#include "openedmodel.h"
#include "tensortablemodel.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace tfjs::ui {

class HistogramView;
class NameElidingDelegate;

// The Weights tab: the sortable, filterable tensor table with statistics, warnings for
// NaN/Inf/all-zero tensors, the selected tensor's histogram, and a button that computes the
// statistics again (after a cancel or a failure, or to refresh them).
class WeightsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WeightsPage)

public:
    explicit WeightsPage(QWidget *parent = nullptr);

    // Shows the model's tensors; returns the generation statistics must be delivered for.
    quint64 setModel(const OpenedModelPtr &model);
    void setStats(quint64 generation, std::vector<std::pair<int, TensorStatsRow>> rows);
    void setStatsStatus(const QString &text);
    // Running: the button is disabled; otherwise it offers to compute (never completed) or
    // to rerun (completed) the statistics.
    void setStatsRunning(bool running, bool completed = false);

    TensorTableModel *tableModel() const { return m_model; }
    TensorFilterModel *filterModel() const { return m_filter; }
    QTableView *table() const { return m_table; }
    HistogramView *histogram() const { return m_histogram; }
    NameElidingDelegate *nameDelegate() const { return m_names; }
    QLabel *warningLabel() const { return m_warnings; }
    QPushButton *statsButton() const { return m_statsButton; }

signals:
    void statisticsRequested();

private:
    void updateWarnings();
    void showSelected();

    TensorTableModel *m_model = nullptr;
    TensorFilterModel *m_filter = nullptr;
    QTableView *m_table = nullptr;
    NameElidingDelegate *m_names = nullptr;
    HistogramView *m_histogram = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QCheckBox *m_warningsOnly = nullptr;
    QLabel *m_warnings = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_statsButton = nullptr;
    QLabel *m_details = nullptr;
};

} // namespace tfjs::ui

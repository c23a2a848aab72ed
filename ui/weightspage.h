#pragma once

#include "openedmodel.h"
#include "tensortablemodel.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace tfjs::ui {

class HistogramView;

// The Weights tab: the sortable, filterable tensor table with statistics, warnings for
// NaN/Inf/all-zero tensors, and the selected tensor's histogram.
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

    TensorTableModel *tableModel() const { return m_model; }
    TensorFilterModel *filterModel() const { return m_filter; }
    QTableView *table() const { return m_table; }
    HistogramView *histogram() const { return m_histogram; }
    QLabel *warningLabel() const { return m_warnings; }

private:
    void updateWarnings();
    void showSelected();

    TensorTableModel *m_model = nullptr;
    TensorFilterModel *m_filter = nullptr;
    QTableView *m_table = nullptr;
    HistogramView *m_histogram = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QCheckBox *m_warningsOnly = nullptr;
    QLabel *m_warnings = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_details = nullptr;
};

} // namespace tfjs::ui

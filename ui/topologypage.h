#pragma once

#include "rowtablemodel.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace tfjs::ui {

// The Topology tab: a summary line, and the layer table (layers-models) or the op table and
// node list (graph-models) or the tensor groups (bare manifests), as core's inspection gives them.
class TopologyPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyPage)

public:
    explicit TopologyPage(QWidget *parent = nullptr);

    // One table with its headers and rows (plus an optional totals row) and a summary above.
    void setTable(const QStringList &headers, std::vector<RowTableModel::Row> rows,
                  RowTableModel::Row total, const QString &summary);
    // A second table below the first (graph-models: ops, then nodes), or none.
    void setSecondTable(const QStringList &headers, std::vector<RowTableModel::Row> rows,
                        const QString &title);
    void setMessage(const QString &message);

    RowTableModel *tableModel() const { return m_model; }
    RowTableModel *secondModel() const { return m_second; }
    QLabel *summaryLabel() const { return m_summary; }
    QTableView *table() const { return m_table; }
    QTableView *secondTable() const { return m_secondTable; }

private:
    RowTableModel *m_model = nullptr;
    RowFilterModel *m_filter = nullptr;
    RowTableModel *m_second = nullptr;
    RowFilterModel *m_secondFilter = nullptr;
    QTableView *m_table = nullptr;
    QTableView *m_secondTable = nullptr;
    QLabel *m_secondTitle = nullptr;
    QLabel *m_summary = nullptr;
    QLineEdit *m_filterEdit = nullptr;
};

} // namespace tfjs::ui

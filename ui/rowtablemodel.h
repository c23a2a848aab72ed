#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <QVariant>

#include <vector>

namespace tfjs::ui {

// A read-only table of rows whose cells are raw values (numbers, text), for tables that only
// show what core computed (layers, graph ops). Numbers show grouped and right-aligned; the raw
// value is the sort key. A footer row (totals) can be pinned at the end.
class RowTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RowTableModel)

public:
    enum Role { RawValueRole = Qt::UserRole + 1, IsTotalRole };
    using Row = std::vector<QVariant>;

    explicit RowTableModel(QStringList headers, QObject *parent = nullptr);

    // Replaces the rows; returns the new generation.
    quint64 setRows(std::vector<Row> rows, Row total = {});
    quint64 generation() const { return m_generation; }
    void clear() { setRows({}); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QStringList m_headers;
    std::vector<Row> m_rows;
    Row m_total;
    quint64 m_generation = 0;
};

// Sorts by raw value, keeps the totals row last, filters by a substring of any text cell.
class RowFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RowFilterModel)

public:
    explicit RowFilterModel(QObject *parent = nullptr);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_text;
};

} // namespace tfjs::ui

#pragma once

#include "inspect/weightdiff.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <memory>
#include <vector>

namespace tfjs::ui {

// The tensors of a model diff (core's TensorDiff), one row each: name, status, encoding and
// shape in A and in B, max |a-b|, mean |a-b|, relative L2, cosine and the changed values.
class DiffTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiffTableModel)

public:
    enum Column { Name, Status, A, B, MaxAbs, MeanAbs, RelativeL2, Cosine, Changed, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers for the number columns; changeKey() for RelativeL2
        ExportRole, // numbers unrounded, text as shown
        ChangedRole, // bool: not identical
    };

    explicit DiffTableModel(QObject *parent = nullptr);

    void setTensors(std::vector<TensorDiff> tensors);
    const TensorDiff *tensor(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // How much a tensor changed, for the default order (largest first): the relative L2;
    // tensors added, removed or whose shape or dtype changed (values not comparable) rank
    // above every compared one, identical and renamed ones at 0.
    static double changeKey(const TensorDiff &tensor);
    static QString statusText(TensorDiff::Status status);

private:
    std::vector<TensorDiff> m_tensors;
};

// The table's view: sorted by SortRole, filtered by a name substring (case-insensitive, on
// A's and B's names), optionally to the changed tensors.
class DiffFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiffFilterModel)

public:
    explicit DiffFilterModel(QObject *parent = nullptr);
    void setNameFilter(const QString &text);
    void setChangedOnly(bool only);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_name;
    bool m_changedOnly = false;
};

} // namespace tfjs::ui

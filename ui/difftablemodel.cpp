#include "difftablemodel.h"

#include "formatting.h"

#include <cmath>
#include <limits>

namespace tfjs::ui {

namespace {

QString specText(const std::optional<WeightSpec> &spec)
{
    if (!spec)
        return QStringLiteral("—");
    return QStringLiteral("%1 %2").arg(
        QString::fromStdString(TensorDiff::encoding(*spec)), formatShape(spec->shape));
}

// A statistic: empty when not computed (kNone).
QVariant number(double value)
{
    return std::isnan(value) ? QVariant() : QVariant(value);
}

} // namespace

DiffTableModel::DiffTableModel(QObject *parent) : QAbstractTableModel(parent) { }

void DiffTableModel::setTensors(std::vector<TensorDiff> tensors)
{
    beginResetModel();
    m_tensors = std::move(tensors);
    endResetModel();
}

const TensorDiff *DiffTableModel::tensor(int row) const
{
    return row >= 0 && row < int(m_tensors.size()) ? &m_tensors[std::size_t(row)] : nullptr;
}

int DiffTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tensors.size());
}

int DiffTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DiffTableModel::statusText(TensorDiff::Status status)
{
    switch (status) {
    case TensorDiff::Status::Identical:
        return tr("identical");
    case TensorDiff::Status::Changed:
        return tr("changed");
    case TensorDiff::Status::Added:
        return tr("added in B");
    case TensorDiff::Status::Removed:
        return tr("removed in B");
    case TensorDiff::Status::Renamed:
        return tr("renamed");
    }
    return {};
}

double DiffTableModel::changeKey(const TensorDiff &t)
{
    using S = TensorDiff::Status;
    if (t.status == S::Added || t.status == S::Removed || (t.status == S::Changed && !t.compared))
        return std::numeric_limits<double>::max();
    if (t.status != S::Changed)
        return 0;
    // Changed values that are NaN or Inf only: no finite measure, but changed.
    return std::isnan(t.relativeL2) ? std::numeric_limits<double>::max() / 2 : t.relativeL2;
}

QVariant DiffTableModel::data(const QModelIndex &index, int role) const
{
    const TensorDiff *t = index.isValid() ? tensor(index.row()) : nullptr;
    if (!t)
        return {};
    if (role == ChangedRole)
        return t->status != TensorDiff::Status::Identical;
    const int column = index.column();
    if (role == Qt::TextAlignmentRole)
        return column >= MaxAbs ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    if (role == Qt::ToolTipRole && column == Name)
        return QString::fromStdString(t->newName.empty() ? t->name : t->name + " → " + t->newName);
    if (role != Qt::DisplayRole && role != SortRole && role != ExportRole)
        return {};
    const bool display = role == Qt::DisplayRole;
    switch (Column(column)) {
    case Name:
        return QString::fromStdString(t->newName.empty() ? t->name : t->name + " → " + t->newName);
    case Status:
        return statusText(t->status);
    case A:
        return specText(t->a);
    case B:
        return specText(t->b);
    case MaxAbs:
    case MeanAbs:
    case RelativeL2:
    case Cosine: {
        const double values[] = { t->maxAbs, t->meanAbs, t->relativeL2, t->cosine };
        const double value = values[column - MaxAbs];
        if (role == SortRole)
            return column == RelativeL2 ? changeKey(*t) : std::isnan(value) ? -1.0 : value;
        return display ? (std::isnan(value) ? QString() : formatNumber(value)) : number(value);
    }
    case Changed:
        if (!t->compared)
            return role == SortRole ? QVariant(qint64(-1)) : QVariant();
        if (display)
            return QStringLiteral("%1 / %2").arg(formatCount(t->changed), formatCount(t->values));
        return qint64(t->changed);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant DiffTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name:
        return tr("Tensor");
    case Status:
        return tr("Status");
    case A:
        return tr("A");
    case B:
        return tr("B");
    case MaxAbs:
        return tr("Max |a−b|");
    case MeanAbs:
        return tr("Mean |a−b|");
    case RelativeL2:
        return tr("Relative L2");
    case Cosine:
        return tr("Cosine");
    case Changed:
        return tr("Changed values");
    case ColumnCount:
        break;
    }
    return {};
}

DiffFilterModel::DiffFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(DiffTableModel::SortRole);
}

void DiffFilterModel::setNameFilter(const QString &text)
{
    m_name = text.trimmed();
    invalidateFilter();
}

void DiffFilterModel::setChangedOnly(bool only)
{
    m_changedOnly = only;
    invalidateFilter();
}

bool DiffFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex name = sourceModel()->index(sourceRow, DiffTableModel::Name, sourceParent);
    if (m_changedOnly && !name.data(DiffTableModel::ChangedRole).toBool())
        return false;
    return m_name.isEmpty()
        || name.data(Qt::DisplayRole).toString().contains(m_name, Qt::CaseInsensitive);
}

} // namespace tfjs::ui

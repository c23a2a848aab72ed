#include "rowtablemodel.h"

#include "browserfiltermodel.h"
#include "formatting.h"

#include <QFont>

namespace tfjs::ui {

namespace {
bool isNumber(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Double:
        return true;
    default:
        return false;
    }
}
} // namespace

RowTableModel::RowTableModel(QStringList headers, QObject *parent)
    : QAbstractTableModel(parent), m_headers(std::move(headers))
{
}

quint64 RowTableModel::setRows(std::vector<Row> rows, Row total)
{
    beginResetModel();
    ++m_generation;
    m_rows = std::move(rows);
    m_total = std::move(total);
    endResetModel();
    return m_generation;
}

int RowTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size()) + (m_total.empty() ? 0 : 1);
}

int RowTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant RowTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const bool total = index.row() == int(m_rows.size());
    const Row &row = total ? m_total : m_rows[std::size_t(index.row())];
    const QVariant value = std::size_t(index.column()) < row.size() ? row[std::size_t(index.column())]
                                                                     : QVariant();
    switch (role) {
    case Qt::DisplayRole:
        if (!value.isValid())
            return {};
        if (value.metaType().id() == QMetaType::Double)
            return formatNumber(value.toDouble());
        if (isNumber(value))
            return formatCount(value.toLongLong());
        return value.toString();
    case Qt::ToolTipRole:
        return value.metaType().id() == QMetaType::QString && value.toString().size() > 40
                   ? value
                   : QVariant();
    case Qt::TextAlignmentRole:
        if (isNumber(value))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (total) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case RawValueRole:
        return value;
    case IsTotalRole:
        return total;
    default:
        return {};
    }
}

QVariant RowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= m_headers.size())
        return {};
    return m_headers[section];
}

RowFilterModel::RowFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(RowTableModel::RawValueRole);
    setDynamicSortFilter(true);
}

void RowFilterModel::setText(const QString &text)
{
    if (m_text == text)
        return;
    m_text = text;
    invalidateFilter();
}

bool RowFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QAbstractItemModel *model = sourceModel();
    if (model->index(sourceRow, 0, sourceParent).data(RowTableModel::IsTotalRole).toBool())
        return true;
    for (int column = 0; column < model->columnCount(sourceParent); ++column) {
        if (model->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool RowFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const bool leftTotal = left.data(RowTableModel::IsTotalRole).toBool();
    const bool rightTotal = right.data(RowTableModel::IsTotalRole).toBool();
    if (leftTotal || rightTotal) // the totals row stays last in either order
        return sortOrder() == Qt::AscendingOrder ? rightTotal && !leftTotal : leftTotal && !rightTotal;
    return rawLessThan(left.data(sortRole()), right.data(sortRole()));
}

} // namespace tfjs::ui

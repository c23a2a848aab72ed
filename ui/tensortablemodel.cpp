#include "tensortablemodel.h"

#include "browserfiltermodel.h"
#include "formatting.h"

#include <QApplication>
#include <QBrush>
#include <QStyle>

namespace tfjs::ui {

namespace {

QString dtypeText(const WeightSpec &spec)
{
    QString text = QString::fromLatin1(dtypeName(spec.dtype));
    if (spec.quantization)
        text += QStringLiteral(" ← ") + QString::fromLatin1(quantDTypeName(spec.quantization->dtype));
    return text;
}

QString quantizationText(const WeightSpec &spec)
{
    if (!spec.quantization)
        return {};
    const Quantization &q = *spec.quantization;
    QString text = QObject::tr("Stored as %1").arg(QString::fromLatin1(quantDTypeName(q.dtype)));
    if (q.scale && q.min)
        text += QObject::tr(", scale %1, min %2 (step %1)").arg(formatNumber(*q.scale), formatNumber(*q.min));
    return text;
}

// Tensors whose initial value is zero in Keras and TF.js (zeros initializers), so that all
// zeros is what an untrained or freshly built model holds.
bool startsAtZero(const WeightSpec &spec)
{
    if (spec.group == "optimizer")
        return true;
    // The last part of the name that says what the tensor is: "dense/bias:0" -> "bias",
    // "conv/BiasAdd/ReadVariableOp" (a converted graph) -> "biasadd".
    QStringList parts = QString::fromStdString(spec.name).toLower().split(QLatin1Char('/'));
    while (parts.size() > 1 && parts.back().startsWith(QLatin1String("readvariableop")))
        parts.removeLast();
    const QString last = parts.back().section(QLatin1Char(':'), 0, 0);
    return last.contains(QLatin1String("bias")) || last == QLatin1String("beta")
           || last == QLatin1String("moving_mean");
}

bool isFloat(DType dtype)
{
    return dtype == DType::Float32 || dtype == DType::Complex64;
}

} // namespace

TensorWarnings tensorWarnings(const WeightSpec &spec, const TensorStatsRow &stats)
{
    TensorWarnings w;
    if (!stats.numeric || !isFloat(spec.dtype))
        return w;
    w.nan = stats.nans > 0;
    w.inf = stats.posInfs + stats.negInfs > 0;
    w.zero = stats.allZero() && !startsAtZero(spec);
    return w;
}

QString warningText(const WeightSpec &spec, const TensorStatsRow &stats)
{
    const TensorWarnings w = tensorWarnings(spec, stats);
    QStringList parts;
    if (w.nan)
        parts << QObject::tr("%1 NaN").arg(formatCount(stats.nans));
    if (stats.posInfs > 0 && w.inf)
        parts << QObject::tr("%1 +Inf").arg(formatCount(stats.posInfs));
    if (stats.negInfs > 0 && w.inf)
        parts << QObject::tr("%1 -Inf").arg(formatCount(stats.negInfs));
    if (w.zero)
        parts << QObject::tr("all zero");
    return parts.join(QStringLiteral(", "));
}

TensorTableModel::TensorTableModel(QObject *parent) : QAbstractTableModel(parent) {}

quint64 TensorTableModel::setSpecs(std::vector<WeightSpec> specs)
{
    beginResetModel();
    ++m_generation;
    m_rows.clear();
    m_rows.reserve(specs.size());
    for (WeightSpec &spec : specs)
        m_rows.push_back(Row{std::move(spec), std::nullopt});
    m_warnings = {};
    endResetModel();
    emit warningsChanged();
    return m_generation;
}

void TensorTableModel::store(int row, TensorStatsRow stats)
{
    const WeightSpec &spec = m_rows[std::size_t(row)].spec;
    auto &slot = m_rows[std::size_t(row)].stats;
    auto count = [this, &spec](const TensorStatsRow &s, int delta) {
        const TensorWarnings w = tensorWarnings(spec, s);
        m_warnings.nanTensors += w.nan ? delta : 0;
        m_warnings.infTensors += w.inf ? delta : 0;
        m_warnings.zeroTensors += w.zero ? delta : 0;
    };
    if (slot)
        count(*slot, -1);
    count(stats, +1);
    slot = std::move(stats);
}

bool TensorTableModel::setStats(quint64 generation, int row, TensorStatsRow stats)
{
    std::vector<std::pair<int, TensorStatsRow>> rows;
    rows.emplace_back(row, std::move(stats));
    return setStatsBatch(generation, std::move(rows)) == 1;
}

int TensorTableModel::setStatsBatch(quint64 generation, std::vector<std::pair<int, TensorStatsRow>> rows)
{
    if (generation != m_generation)
        return 0;
    const Warnings before = m_warnings;
    int first = int(m_rows.size()), last = -1, applied = 0;
    for (auto &[row, stats] : rows) {
        if (row < 0 || row >= int(m_rows.size()))
            continue;
        store(row, std::move(stats));
        first = std::min(first, row);
        last = std::max(last, row);
        ++applied;
    }
    if (applied > 0)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    if (before.nanTensors != m_warnings.nanTensors || before.infTensors != m_warnings.infTensors
        || before.zeroTensors != m_warnings.zeroTensors)
        emit warningsChanged();
    return applied;
}

const WeightSpec *TensorTableModel::spec(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[std::size_t(row)].spec : nullptr;
}

const TensorStatsRow *TensorTableModel::stats(int row) const
{
    if (row < 0 || row >= int(m_rows.size()) || !m_rows[std::size_t(row)].stats)
        return nullptr;
    return &*m_rows[std::size_t(row)].stats;
}

int TensorTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TensorTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TensorTableModel::rawValue(const Row &row, int column) const
{
    const WeightSpec &spec = row.spec;
    const TensorStatsRow *s = row.stats && row.stats->numeric ? &*row.stats : nullptr;
    const bool finite = s && s->finite > 0;
    switch (column) {
    case Name: return QString::fromStdString(spec.name);
    case DType: return dtypeText(spec);
    case Shape: return qint64(spec.elementCount());
    case Elements: return qint64(spec.elementCount());
    case Bytes: return qint64(spec.byteSize());
    case Min: return finite ? QVariant(s->min) : QVariant();
    case Max: return finite ? QVariant(s->max) : QVariant();
    case Mean: return finite ? QVariant(s->mean) : QVariant();
    case Std: return finite ? QVariant(s->std) : QVariant();
    case Zeros: return s ? QVariant(s->zeros) : QVariant();
    case NaNs: return s ? QVariant(s->nans) : QVariant();
    case PosInfs: return s ? QVariant(s->posInfs) : QVariant();
    case NegInfs: return s ? QVariant(s->negInfs) : QVariant();
    default: return {};
    }
}

QVariant TensorTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()) || index.column() >= ColumnCount)
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const int column = index.column();
    const TensorWarnings flags = row.stats ? tensorWarnings(row.spec, *row.stats) : TensorWarnings();
    const QString warning = row.stats ? warningText(row.spec, *row.stats) : QString();
    switch (role) {
    case Qt::DisplayRole: {
        switch (column) {
        case Name: return QString::fromStdString(row.spec.name);
        case DType: return dtypeText(row.spec);
        case Shape: return formatShape(row.spec.shape);
        case Elements: return formatCount(row.spec.elementCount());
        case Bytes: return row.spec.byteSize() < 0 ? tr("variable") : formatBytes(row.spec.byteSize());
        default: break;
        }
        const QVariant raw = rawValue(row, column);
        if (!raw.isValid())
            return row.stats && !row.stats->numeric && column >= Min && column <= NegInfs ? QStringLiteral("–") : QVariant();
        if (column == Zeros && row.stats && row.stats->count > 0)
            return QStringLiteral("%1 (%2%)").arg(formatCount(raw.toLongLong()))
                .arg(100.0 * double(raw.toLongLong()) / double(row.stats->count), 0, 'f', 1);
        if (raw.metaType().id() == QMetaType::Double)
            return formatNumber(raw.toDouble());
        return formatCount(raw.toLongLong());
    }
    case RawValueRole:
        return rawValue(row, column);
    case ExportRole: {
        if (column == Name || column == DType || column == Shape
            || (column == Bytes && row.spec.byteSize() < 0))
            return data(index, Qt::DisplayRole);
        const QVariant raw = rawValue(row, column);
        return raw.isValid() ? raw : data(index, Qt::DisplayRole);
    }
    case WarningRole:
        return warning;
    case SpecIndexRole:
        return index.row();
    case Qt::TextAlignmentRole:
        if (column >= Elements)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole: {
        QStringList lines{QString::fromStdString(row.spec.name)};
        if (row.spec.group)
            lines << tr("Group: %1").arg(QString::fromStdString(*row.spec.group));
        if (const QString q = quantizationText(row.spec); !q.isEmpty())
            lines << q;
        if (!warning.isEmpty())
            lines << tr("Warning: %1").arg(warning);
        return lines.join(QLatin1Char('\n'));
    }
    case Qt::DecorationRole:
        if (column == Name && !warning.isEmpty())
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::BackgroundRole:
        if ((column == NaNs && flags.nan) || (column == Zeros && flags.zero)
            || (column == PosInfs && flags.inf && row.stats->posInfs > 0)
            || (column == NegInfs && flags.inf && row.stats->negInfs > 0))
            return QBrush(QColor(0xf8, 0xd7, 0xd0));
        return {};
    default:
        return {};
    }
}

QVariant TensorTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section >= Min && section <= Std)
        return tr("Over finite values, after dequantization");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case DType: return tr("DType");
    case Shape: return tr("Shape");
    case Elements: return tr("Elements");
    case Bytes: return tr("Bytes");
    case Min: return tr("Min");
    case Max: return tr("Max");
    case Mean: return tr("Mean");
    case Std: return tr("Std");
    case Zeros: return tr("Zeros");
    case NaNs: return tr("NaN");
    case PosInfs: return tr("+Inf");
    case NegInfs: return tr("-Inf");
    default: return {};
    }
}

TensorFilterModel::TensorFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(TensorTableModel::RawValueRole);
    setDynamicSortFilter(true);
}

void TensorFilterModel::refilter()
{
    invalidateFilter();
}

void TensorFilterModel::setNameFilter(const QString &text)
{
    if (m_name == text)
        return;
    m_name = text;
    refilter();
}

void TensorFilterModel::setWarningsOnly(bool only)
{
    if (m_warningsOnly == only)
        return;
    m_warningsOnly = only;
    refilter();
}

bool TensorFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex name = sourceModel()->index(sourceRow, TensorTableModel::Name, sourceParent);
    if (!m_name.isEmpty() && !name.data().toString().contains(m_name, Qt::CaseInsensitive))
        return false;
    if (m_warningsOnly && name.data(TensorTableModel::WarningRole).toString().isEmpty())
        return false;
    return true;
}

bool TensorFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    return rawLessThan(left.data(sortRole()), right.data(sortRole()));
}

} // namespace tfjs::ui

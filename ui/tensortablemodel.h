#pragma once

#include "format/weightspec.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <optional>
#include <vector>

namespace tfjs::ui {

// Statistics of one tensor as the Weights tab shows them (filled from core's inspection).
struct TensorStatsRow
{
    qint64 count = 0;  // elements
    qint64 finite = 0; // elements that are neither NaN nor Inf
    double min = 0, max = 0, mean = 0, std = 0; // over finite values
    double meanAbs = 0, l2 = 0;
    double step = 0; // quantized tensors: spacing of representable values; 0 otherwise
    qint64 zeros = 0, nans = 0, posInfs = 0, negInfs = 0;
    std::vector<qint64> histogram; // bins over [histogramMin, histogramMax]
    double histogramMin = 0, histogramMax = 0;
    bool numeric = true; // false: string tensors (no statistics)

    bool allZero() const { return numeric && count > 0 && zeros == count; }
};

// What deserves a warning depends on the dtype. Float tensors (float32, complex64, dequantized
// ones): NaN, +Inf and -Inf always; all zero, unless the tensor is one that starts at zero
// (a bias, a BatchNormalization beta or moving mean, an optimizer slot). int32, bool and
// string tensors never: they hold no NaN or Inf, and zeros are normal for them (constants,
// shapes, indices, masks).
struct TensorWarnings
{
    bool nan = false, inf = false, zero = false;
    bool any() const { return nan || inf || zero; }
};
TensorWarnings tensorWarnings(const WeightSpec &spec, const TensorStatsRow &stats);
// "1 NaN, 2 +Inf, 3 -Inf", "all zero"; empty when there is nothing to warn about.
QString warningText(const WeightSpec &spec, const TensorStatsRow &stats);

// The Weights tab's table: one row per weight spec, with statistics once they arrive.
class TensorTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TensorTableModel)

public:
    enum Column { Name, DType, Shape, Elements, Min, Max, Mean, Std, Zeros, NaNs, PosInfs, NegInfs, Bytes, ColumnCount };
    enum Role {
        RawValueRole = Qt::UserRole + 1,
        WarningRole, // text of the tensor's warnings; empty when healthy
        SpecIndexRole,
        ExportRole, // the value for copies and exports: numbers unrounded, text as shown
    };

    explicit TensorTableModel(QObject *parent = nullptr);

    // Replaces the rows; returns the new generation (statistics for older ones are dropped).
    quint64 setSpecs(std::vector<WeightSpec> specs);
    quint64 generation() const { return m_generation; }
    // Statistics of the tensor at `row` (spec order). False when stale or out of range.
    bool setStats(quint64 generation, int row, TensorStatsRow stats);
    // Many rows at once (one dataChanged for the span). Returns how many were applied.
    int setStatsBatch(quint64 generation, std::vector<std::pair<int, TensorStatsRow>> rows);
    const WeightSpec *spec(int row) const;
    const TensorStatsRow *stats(int row) const;
    // Counts of tensors with NaN, with Inf, all zero.
    struct Warnings
    {
        int nanTensors = 0, infTensors = 0, zeroTensors = 0;
        bool any() const { return nanTensors + infTensors + zeroTensors > 0; }
    };
    Warnings warnings() const { return m_warnings; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void warningsChanged();

private:
    struct Row
    {
        WeightSpec spec;
        std::optional<TensorStatsRow> stats;
    };
    QVariant rawValue(const Row &row, int column) const;
    void store(int row, TensorStatsRow stats);
    std::vector<Row> m_rows;
    quint64 m_generation = 0;
    Warnings m_warnings;
};

// Filters tensors by a name substring, optionally only those with warnings; sorts by raw value.
class TensorFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TensorFilterModel)

public:
    explicit TensorFilterModel(QObject *parent = nullptr);
    void setNameFilter(const QString &text);
    void setWarningsOnly(bool only);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();
    QString m_name;
    bool m_warningsOnly = false;
};

} // namespace tfjs::ui

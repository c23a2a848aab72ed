#include "weightspage.h"

#include "formatting.h"
#include "histogramview.h"
#include "nameelidingdelegate.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace tfjs::ui {

WeightsPage::WeightsPage(QWidget *parent) : QWidget(parent)
{
    m_model = new TensorTableModel(this);
    m_filter = new TensorFilterModel(this);
    m_filter->setSourceModel(m_model);

    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setPlaceholderText(tr("Filter tensors by name"));
    m_filterEdit->setClearButtonEnabled(true);
    m_warningsOnly = new QCheckBox(tr("Only with warnings"), this);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_statsButton = new QPushButton(tr("Compute Statistics"), this);
    m_statsButton->setEnabled(false);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filterEdit, 1);
    bar->addWidget(m_warningsOnly);
    bar->addWidget(m_status);
    bar->addWidget(m_statsButton);

    m_warnings = new QLabel(this);
    m_warnings->setTextFormat(Qt::PlainText);
    m_warnings->setWordWrap(true);
    m_warnings->setStyleSheet(QStringLiteral(
        "QLabel { background: #fdecea; color: #8a1c12; border: 1px solid #f0b8b0; padding: 4px; }"));
    m_warnings->hide();

    m_table = new QTableView(this);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // manifest order until the user sorts
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection); // rows to copy
    m_names = new NameElidingDelegate(m_table);
    m_table->setItemDelegateForColumn(TensorTableModel::Name, m_names);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const std::pair<int, int> widths[] = {
        {TensorTableModel::Name, 20}, {TensorTableModel::DType, 8}, {TensorTableModel::Shape, 11},
        {TensorTableModel::Elements, 8}, {TensorTableModel::Min, 10}, {TensorTableModel::Max, 10},
        {TensorTableModel::Mean, 10}, {TensorTableModel::Std, 10}, {TensorTableModel::Zeros, 11},
        {TensorTableModel::NaNs, 5}, {TensorTableModel::PosInfs, 5}, {TensorTableModel::NegInfs, 5},
        {TensorTableModel::Bytes, 9}};
    for (const auto &[column, digits] : widths)
        m_table->setColumnWidth(column, digits * digit + 12);

    m_histogram = new HistogramView(this);
    m_details = new QLabel(this);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setWordWrap(true);
    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_histogram, 1);
    bottomLayout->addWidget(m_details);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_warnings);
    layout->addWidget(splitter, 1);

    connect(m_statsButton, &QPushButton::clicked, this, &WeightsPage::statisticsRequested);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &TensorFilterModel::setNameFilter);
    connect(m_warningsOnly, &QCheckBox::toggled, m_filter, &TensorFilterModel::setWarningsOnly);
    connect(m_model, &TensorTableModel::warningsChanged, this, &WeightsPage::updateWarnings);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &WeightsPage::showSelected);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
                if (current.isValid() && current.row() >= topLeft.row() && current.row() <= bottomRight.row())
                    showSelected();
            });
}

quint64 WeightsPage::setModel(const OpenedModelPtr &model)
{
    std::vector<WeightSpec> specs;
    if (model && model->artifacts.weightSpecs)
        specs = *model->artifacts.weightSpecs;
    QStringList names;
    for (const WeightSpec &spec : specs)
        names << QString::fromStdString(spec.name);
    const QString prefix = commonPathPrefix(names);
    m_names->setPrefix(prefix);
    m_histogram->setTitlePrefix(prefix);
    const quint64 generation = m_model->setSpecs(std::move(specs));
    m_histogram->showMessage(tr("Select a tensor to see its histogram"));
    m_details->clear();
    m_status->clear();
    setStatsRunning(false);
    if (m_model->rowCount() > 0)
        m_table->selectRow(0);
    return generation;
}

void WeightsPage::setStats(quint64 generation, std::vector<std::pair<int, TensorStatsRow>> rows)
{
    m_model->setStatsBatch(generation, std::move(rows));
}

void WeightsPage::setStatsStatus(const QString &text)
{
    m_status->setText(text);
}

void WeightsPage::setStatsRunning(bool running, bool completed)
{
    m_statsButton->setEnabled(!running && m_model->rowCount() > 0);
    m_statsButton->setText(completed ? tr("Rerun Statistics") : tr("Compute Statistics"));
}

void WeightsPage::updateWarnings()
{
    const TensorTableModel::Warnings w = m_model->warnings();
    if (!w.any()) {
        m_warnings->hide();
        return;
    }
    QStringList parts;
    if (w.nanTensors > 0)
        parts << (w.nanTensors == 1 ? tr("1 tensor contains NaN") : tr("%1 tensors contain NaN").arg(w.nanTensors));
    if (w.infTensors > 0)
        parts << (w.infTensors == 1 ? tr("1 tensor contains Inf") : tr("%1 tensors contain Inf").arg(w.infTensors));
    if (w.zeroTensors > 0)
        parts << (w.zeroTensors == 1 ? tr("1 tensor is all zero") : tr("%1 tensors are all zero").arg(w.zeroTensors));
    m_warnings->setText(QStringLiteral("⚠ ") + parts.join(QStringLiteral("; "))
                        + tr(". Tick “Only with warnings” to list them."));
    m_warnings->show();
}

void WeightsPage::showSelected()
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    const WeightSpec *spec = current.isValid() ? m_model->spec(current.row()) : nullptr;
    if (!spec) {
        m_histogram->showMessage(tr("Select a tensor to see its histogram"));
        m_details->clear();
        return;
    }
    const QString name = QString::fromStdString(spec->name);
    const TensorStatsRow *stats = m_model->stats(current.row());
    if (!stats) {
        m_histogram->showMessage(tr("%1: statistics not computed yet").arg(name));
        m_details->setText(QStringLiteral("%1  %2  %3")
                               .arg(name, QString::fromLatin1(dtypeName(spec->dtype)),
                                    formatShape(spec->shape)));
        return;
    }
    if (!stats->numeric) {
        m_histogram->showMessage(tr("%1: string tensor, no histogram").arg(name));
        m_details->setText(tr("%1 strings").arg(formatCount(stats->count)));
        return;
    }
    m_histogram->setHistogram(tr("%1: %2 values").arg(name, formatCount(stats->finite)),
                              stats->histogram, stats->histogramMin, stats->histogramMax);
    QString details = stats->finite == 0
                          ? tr("count %1, no finite values").arg(formatCount(stats->count))
                          : tr("count %1, min %2, max %3, mean %4, std %5, mean |x| %6, L2 %7, zeros %8")
                                .arg(formatCount(stats->count), formatNumber(stats->min),
                                     formatNumber(stats->max), formatNumber(stats->mean),
                                     formatNumber(stats->std), formatNumber(stats->meanAbs),
                                     formatNumber(stats->l2), formatCount(stats->zeros));
    if (stats->step > 0)
        details += tr(", quantization step %1").arg(formatNumber(stats->step));
    if (const QString warning = warningText(*spec, *stats); !warning.isEmpty())
        details += QStringLiteral("   ⚠ ") + warning;
    m_details->setText(details);
}

} // namespace tfjs::ui

#include "comparewindow.h"

#include "difftablemodel.h"
#include "formatting.h"
#include "histogramview.h"
#include "jobtracker.h"
#include "tableexport.h"

#include "base/job.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace tfjs::ui {

namespace {

QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

QString valueText(const std::optional<Json> &value)
{
    return value ? text(value->dump()) : QObject::tr("(absent)");
}

void addChanges(QTreeWidgetItem *parent, const std::vector<ValueChange> &changes)
{
    for (const ValueChange &change : changes)
        new QTreeWidgetItem(parent,
            { text(change.key),
                QStringLiteral("%1 → %2").arg(valueText(change.before), valueText(change.after)) });
}

QString nodeText(const NodeDiff &node, const QString &what)
{
    const QString name = text(node.name);
    switch (node.status) {
    case NodeDiff::Status::Added:
        return QObject::tr("added %1 %2").arg(what, name);
    case NodeDiff::Status::Removed:
        return QObject::tr("removed %1 %2").arg(what, name);
    case NodeDiff::Status::Renamed:
        return QObject::tr("renamed %1 %2 → %3").arg(what, name, text(node.newName));
    case NodeDiff::Status::Changed:
        return QObject::tr("changed %1 %2").arg(what, name);
    }
    return name;
}

QString totalsText(const ModelDiff &diff)
{
    const ModelDiff::Totals t = diff.totals();
    if (diff.identical())
        return QObject::tr("Identical: %1, same topology and values.")
            .arg(countOf(t.identical, QObject::tr("tensor"), QObject::tr("tensors")));
    const int tensors = t.identical + t.changed + t.added + t.removed + t.renamed;
    QStringList parts;
    parts << QObject::tr("%1 of %2 tensors changed").arg(t.changed).arg(tensors);
    if (t.added + t.removed + t.renamed > 0)
        parts << QObject::tr("%1 added, %2 removed, %3 renamed")
                     .arg(t.added)
                     .arg(t.removed)
                     .arg(t.renamed);
    parts << QObject::tr("max |a−b| %1").arg(formatNumber(t.maxAbs));
    if (!std::isnan(t.relativeL2))
        parts << QObject::tr("relative L2 %1").arg(formatNumber(t.relativeL2));
    parts << QObject::tr("%1 of %2 values changed")
                 .arg(formatCount(t.changedValues), formatCount(t.values));
    const TopologyDiff &topology = diff.topology;
    parts << (topology.identical() ? QObject::tr("same topology")
                                   : QObject::tr("%1 topology changes")
                                         .arg(topology.model.size() + topology.nodes.size()));
    return QObject::tr("Different: %1.").arg(parts.join(QStringLiteral("; ")));
}

} // namespace

CompareWindow::CompareWindow(JobTracker *jobs, std::shared_ptr<const HandlerRegistry> registry,
    ModelTarget a, ModelTarget b, QWidget *parent)
    : QWidget(parent, Qt::Window), m_jobs(jobs), m_registry(std::move(registry)), m_a(std::move(a)),
      m_b(std::move(b))
{
    setWindowTitle(tr("Compare %1 with %2").arg(m_a.name(), m_b.name()));
    m_header = new QLabel(this);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setText(tr("A: %1\nB: %2").arg(m_a.description(), m_b.description()));
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_runButton = new QPushButton(this);
    auto *top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_runButton, 0, Qt::AlignTop);

    m_topology = new QTreeWidget(this);
    m_topology->setHeaderLabels({ tr("Topology change"), tr("Old → new") });
    m_topology->setColumnWidth(0, 320);

    m_model = new DiffTableModel(this);
    m_filter = new DiffFilterModel(this);
    m_filter->setSourceModel(m_model);
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setPlaceholderText(tr("Filter tensors by name"));
    m_filterEdit->setClearButtonEnabled(true);
    m_changedOnly = new QCheckBox(tr("Only changed"), this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filterEdit, 1);
    bar->addWidget(m_changedOnly);
    m_table = new QTableView(this);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DiffTableModel::RelativeL2, Qt::DescendingOrder); // by change
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection); // rows to copy
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(DiffTableModel::Name, 260);
    m_exporter
        = new TableExporter(m_table, DiffTableModel::ExportRole, m_jobs, QStringLiteral("diff"));
    auto *tensors = new QWidget(this);
    auto *tensorsLayout = new QVBoxLayout(tensors);
    tensorsLayout->setContentsMargins(0, 0, 0, 0);
    tensorsLayout->addLayout(bar);
    tensorsLayout->addWidget(m_table, 1);

    m_histogram = new HistogramView(this);
    m_histogram->showMessage(tr("Select a tensor to see its histograms in A and B"));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_topology);
    splitter->addWidget(tensors);
    splitter->addWidget(m_histogram);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 2);
    splitter->setSizes({160, 320, 320});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);
    resize(1100, 820);

    connect(m_runButton, &QPushButton::clicked, this, [this] { isRunning() ? cancel() : start(); });
    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &DiffFilterModel::setNameFilter);
    connect(m_changedOnly, &QCheckBox::toggled, m_filter, &DiffFilterModel::setChangedOnly);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &CompareWindow::showSelected);
    showRunning(false);
}

CompareWindow::~CompareWindow()
{
    for (const QPointer<Job> &job : { m_job, m_histogramJob })
        if (job)
            job->cancel();
}

void CompareWindow::start()
{
    if (m_job)
        return;
    m_comparison = {};
    m_model->setTensors({});
    m_topology->clear();
    m_histogram->showMessage(tr("Select a tensor to see its histograms in A and B"));
    m_status->setStyleSheet({});
    m_status->setText(tr("Comparing…"));
    showRunning(true);
    m_job = m_jobs->start<Comparison>(
        tr("Comparing %1 with %2").arg(m_a.name(), m_b.name()),
        [registry = m_registry, a = m_a, b = m_b](
            JobContext &ctx) { return compareTargets(*registry, a, b, ctx); },
        this,
        [this](Result<Comparison> outcome) {
            m_job.clear();
            showRunning(false);
            if (!outcome) {
                const Error &error = outcome.error();
                m_status->setText(error.isCancelled()
                        ? tr("Cancelled: press Compare Again to rerun it.")
                        : error.toString());
                if (!error.isCancelled())
                    m_status->setStyleSheet(QStringLiteral("QLabel { color: #8a1c12; }"));
                emit compared(error);
                return;
            }
            showComparison(std::move(*outcome));
            emit compared(std::nullopt);
        });
}

void CompareWindow::cancel()
{
    if (m_job)
        m_job->cancel();
}

void CompareWindow::showRunning(bool running)
{
    m_runButton->setText(running ? tr("Cancel") : tr("Compare Again"));
}

void CompareWindow::showComparison(Comparison comparison)
{
    m_comparison = std::move(comparison);
    const ModelDiff &diff = *m_comparison.diff;
    m_status->setText(totalsText(diff));
    showTopology(diff.topology);
    auto json = std::make_shared<Json>(diff.toJson());
    (*json)["a"] = modelUrlOf(m_a.source).toStdString();
    (*json)["b"] = modelUrlOf(m_b.source).toStdString();
    m_exporter->setJson(std::move(json), modelUrlOf(m_a.source));
    m_model->setTensors(diff.tensors);
    m_table->sortByColumn(m_table->horizontalHeader()->sortIndicatorSection(),
        m_table->horizontalHeader()->sortIndicatorOrder());
    if (m_filter->rowCount() > 0)
        m_table->selectRow(0);
}

void CompareWindow::showTopology(const TopologyDiff &topology)
{
    m_topology->clear();
    const QString what = topology.kindA == "graph-model" ? tr("node") : tr("layer");
    if (topology.identical()) {
        new QTreeWidgetItem(m_topology, { tr("Same topology (%1)").arg(text(topology.kindA)) });
        return;
    }
    if (!topology.model.empty()) {
        const QString kinds = topology.kindA == topology.kindB
            ? text(topology.kindA)
            : QStringLiteral("%1 → %2").arg(text(topology.kindA), text(topology.kindB));
        auto *model = new QTreeWidgetItem(m_topology, { tr("model (%1)").arg(kinds) });
        addChanges(model, topology.model);
    }
    for (const NodeDiff &node : topology.nodes) {
        auto *item = new QTreeWidgetItem(m_topology, { nodeText(node, what), text(node.type) });
        addChanges(item, node.changes);
    }
    m_topology->expandAll();
}

void CompareWindow::showSelected()
{
    ++m_selection;
    if (m_histogramJob)
        m_histogramJob->cancel();
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    const TensorDiff *t = current.isValid() ? m_model->tensor(current.row()) : nullptr;
    if (!t || !m_comparison.diff) {
        m_histogram->showMessage(tr("Select a tensor to see its histograms in A and B"));
        return;
    }
    const QString nameA = t->a ? text(t->name) : QString();
    const QString nameB = t->b ? text(t->newName.empty() ? t->name : t->newName) : QString();
    const QString title = nameA.isEmpty() || nameB.isEmpty() || nameA == nameB
        ? (nameA.isEmpty() ? nameB : nameA)
        : QStringLiteral("%1 → %2").arg(nameA, nameB);
    m_histogram->showMessage(tr("%1: computing histograms…").arg(title));
    const quint64 selection = m_selection;
    m_histogramJob = m_jobs->start<HistogramPair>(
        tr("Histograms of %1").arg(title),
        [comparison = m_comparison, nameA, nameB](
            JobContext &ctx) { return tensorHistograms(comparison, nameA, nameB, ctx); },
        this,
        [this, selection, title](Result<HistogramPair> pair) {
            if (selection != m_selection)
                return;
            if (!pair)
                m_histogram->showMessage(tr("%1: %2").arg(title, pair.error().toString()));
            else if (pair->a.counts.empty() && pair->b.counts.empty())
                m_histogram->showMessage(tr("%1: no finite numeric values").arg(title));
            else
                m_histogram->setHistograms(tr("%1 in A and B").arg(title), pair->a, pair->b);
            emit histogramsShown();
        },
        true);
}

} // namespace tfjs::ui

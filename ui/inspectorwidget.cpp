#include "inspectorwidget.h"

#include "formatting.h"
#include "inspection.h"
#include "jobtracker.h"
#include "jsonpage.h"
#include "overviewpage.h"
#include "tableexport.h"
#include "topologypage.h"
#include "weightspage.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QPointer>
#include <QTableView>

#include <mutex>

namespace tfjs::ui {

namespace {
constexpr qint64 kMaxJsonChars = qint64(64) << 20;
constexpr qint64 kStatsPostMs = 100; // statistics reach the table at most this often
} // namespace

InspectorWidget::InspectorWidget(JobTracker *jobs, QWidget *parent)
    : QTabWidget(parent), m_jobs(jobs)
{
    m_overview = new OverviewPage(this);
    m_topology = new TopologyPage(this);
    m_weights = new WeightsPage(this);
    m_json = new JsonPage(this);
    addTab(m_overview, tr("&Overview"));
    addTab(m_topology, tr("&Topology"));
    addTab(m_weights, tr("&Weights"));
    addTab(m_json, tr("&JSON"));
    setDocumentMode(true);
    m_weightsExport = new TableExporter(m_weights->table(), TensorTableModel::ExportRole, m_jobs,
                                        QStringLiteral("weights"));
    m_topologyExport = new TableExporter(m_topology->table(), RowTableModel::RawValueRole, m_jobs,
                                         QStringLiteral("topology"));
    m_secondExport = new TableExporter(m_topology->secondTable(), RowTableModel::RawValueRole, m_jobs,
                                       QStringLiteral("topology"));
    connect(m_weights, &WeightsPage::statisticsRequested, this, &InspectorWidget::startStatistics);
    connect(m_json, &JsonPage::indentToggled, this, [this](bool indented) {
        if (m_model)
            startJson(indented ? JsonTextMode::Indented : JsonTextMode::File);
    });
}

QString InspectorWidget::exportUrl() const
{
    if (!m_model)
        return {};
    return m_model->source.isFileSet() ? m_model->source.files.front() : m_model->source.url;
}

InspectorWidget::~InspectorWidget()
{
    for (const QPointer<Job> &job : {m_statsJob, m_topologyJob, m_jsonJob}) {
        if (job)
            job->cancel();
    }
}

void InspectorWidget::setModel(OpenedModelPtr model)
{
    ++m_generation;
    for (const QPointer<Job> &job : {m_statsJob, m_topologyJob, m_jsonJob}) {
        if (job)
            job->cancel();
    }
    m_statsJob.clear();
    m_topologyJob.clear();
    m_jsonJob.clear();
    m_model = std::move(model);
    m_overview->setModel(m_model);
    m_weights->setModel(m_model);
    m_json->clear();
    for (TableExporter *exporter : {m_weightsExport, m_topologyExport, m_secondExport}) {
        exporter->setJson(nullptr, {});
        if (m_model)
            exporter->setFileBaseName(m_model->source.suggestedName()
                                      + (exporter == m_weightsExport ? QStringLiteral("-weights")
                                                                     : QStringLiteral("-topology")));
    }
    if (!m_model) {
        m_topology->setMessage(tr("Open a model to see its topology."));
        return;
    }
    m_topology->setMessage(tr("Reading the topology…"));
    startJson(JsonTextMode::Auto);
    startTopology();
    startStatistics();
}

void InspectorWidget::closeModel(const QString &why)
{
    setModel(nullptr);
    m_overview->setPlainText(why);
    m_topology->setMessage(why);
}

void InspectorWidget::cancelStatistics()
{
    if (m_statsJob)
        m_statsJob->cancel();
}

void InspectorWidget::startJson(JsonTextMode mode)
{
    if (m_jsonJob)
        m_jsonJob->cancel();
    const OpenedModelPtr model = m_model;
    const quint64 generation = m_generation;
    m_json->setIndentChoice(mode == JsonTextMode::Indented, false);
    m_jsonJob = m_jobs->start<JsonText>(
        tr("Formatting JSON"),
        [model, mode](JobContext &ctx) -> Result<JsonText> {
            if (ctx.isCancelled())
                return fail(cancelledError());
            return modelJsonText(model->artifacts, mode, kMaxJsonChars);
        },
        this, [this, generation, mode](Result<JsonText> out) {
            if (generation != m_generation || !out)
                return;
            QStringList notes;
            if (!out->hasFile)
                notes << tr("As TF.js writes it (the model was not read from a file)");
            else if (out->indented && mode == JsonTextMode::Auto)
                notes << tr("Indented (the file is minified)");
            if (out->truncated)
                notes << tr("showing the first %1").arg(formatBytes(kMaxJsonChars));
            QString note = notes.join(QStringLiteral("; "));
            if (!note.isEmpty())
                note[0] = note[0].toUpper();
            m_json->setJson(out->text, note);
            m_json->setIndentChoice(out->indented, out->canShowFile(),
                                    out->hasFile ? tr("The file has a line of %1: too long to show as it is")
                                                       .arg(formatBytes(out->longestLine))
                                                 : tr("The model was not read from a file"));
        },
        true);
}

void InspectorWidget::startTopology()
{
    const OpenedModelPtr model = m_model;
    const quint64 generation = m_generation;
    m_topologyJob = m_jobs->start<TopologyTables>(
        tr("Summarizing the topology"),
        [model](JobContext &ctx) { return topologyTables(model->artifacts, ctx); },
        this, [this, generation](Result<TopologyTables> out) {
            if (generation != m_generation)
                return;
            if (!out) {
                if (!out.error().isCancelled())
                    m_topology->setMessage(out.error().toString());
                emit topologyFinished(false);
                return;
            }
            m_topology->setTable(out->headers, std::move(out->rows), std::move(out->total), out->summary);
            m_topology->setSecondTable(out->secondHeaders, std::move(out->secondRows), out->secondTitle);
            m_topologyExport->setJson(out->json, exportUrl());
            m_secondExport->setJson(out->json, exportUrl());
            emit topologyFinished(true);
        },
        true);
}

void InspectorWidget::startStatistics()
{
    if (!m_model || m_statsJob)
        return;
    if (!m_model->artifacts.weightSpecs || m_model->artifacts.weightSpecs->empty()) {
        m_weights->setStatsStatus(tr("No weights"));
        return;
    }
    // Results are batched on the worker and posted to the GUI thread every kStatsPostMs.
    struct Batch
    {
        std::mutex mutex;
        std::vector<std::pair<int, TensorStatsRow>> rows;
        qint64 lastPostMs = 0;
    };
    auto batch = std::make_shared<Batch>();
    const OpenedModelPtr model = m_model;
    const quint64 generation = m_weights->tableModel()->generation();
    QPointer<InspectorWidget> self(this);
    auto flush = [self, batch, generation] {
        std::vector<std::pair<int, TensorStatsRow>> rows;
        {
            std::lock_guard lock(batch->mutex);
            rows.swap(batch->rows);
        }
        if (self && !rows.empty())
            self->m_weights->setStats(generation, std::move(rows));
    };
    using StatsJson = std::shared_ptr<const Json>;
    m_weights->setStatsStatus(tr("Computing statistics…"));
    m_weights->setStatsRunning(true);
    m_weightsExport->setJson(nullptr, {});
    m_statsJob = m_jobs->start<StatsJson>(
        tr("Computing weight statistics"),
        [model, batch, flush](JobContext &ctx) -> Result<StatsJson> {
            auto computed = tensorStatistics(model->artifacts, ctx, [&](int index, TensorStatsRow stats) {
                std::lock_guard lock(batch->mutex);
                batch->rows.emplace_back(index, std::move(stats));
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                if (now - batch->lastPostMs >= kStatsPostMs) {
                    batch->lastPostMs = now;
                    // Posted to the application object: `self` is only read on the GUI thread.
                    QMetaObject::invokeMethod(QCoreApplication::instance(), flush,
                                              Qt::QueuedConnection);
                }
            });
            if (!computed)
                return fail(computed.error());
            // Schema tfjs-model/stats/1, as `tfjs-model stats --json` prints it, for exports.
            return std::make_shared<const Json>(computed->toJson());
        },
        this, [this, flush, generation](Result<StatsJson> result) {
            flush();
            if (generation != m_weights->tableModel()->generation())
                return;
            m_statsJob.clear();
            m_weights->setStatsRunning(false, result.has_value());
            if (result) {
                m_weightsExport->setJson(*result, exportUrl());
                m_weights->setStatsStatus(tr("Statistics complete"));
            } else if (result.error().isCancelled()) {
                m_weights->setStatsStatus(tr("Statistics cancelled"));
            } else {
                m_weights->setStatsStatus(result.error().message);
            }
            emit statisticsFinished(result.has_value());
        });
}

} // namespace tfjs::ui

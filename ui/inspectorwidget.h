#pragma once

#include "base/job.h"
#include "openedmodel.h"

#include <QPointer>
#include <QTabWidget>

namespace tfjs::ui {

class JobTracker;
class JsonPage;
class OverviewPage;
class TableExporter;
class TopologyPage;
class WeightsPage;

// The inspector: Overview, Topology, Weights and JSON tabs for the opened model. Everything
// that takes time (pretty JSON, topology summary, weight statistics) runs as jobs; results
// for a model that is no longer shown are dropped (generation counter).
class InspectorWidget final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorWidget)

public:
    explicit InspectorWidget(JobTracker *jobs, QWidget *parent = nullptr);
    ~InspectorWidget() override; // cancels its jobs

    void setModel(OpenedModelPtr model);
    // Shows no model, and on the Overview and Topology tabs why (the one shown was deleted).
    void closeModel(const QString &why);
    OpenedModelPtr model() const { return m_model; }
    quint64 generation() const { return m_generation; }

    OverviewPage *overviewPage() const { return m_overview; }
    TopologyPage *topologyPage() const { return m_topology; }
    WeightsPage *weightsPage() const { return m_weights; }
    JsonPage *jsonPage() const { return m_json; }
    bool statisticsRunning() const { return m_statsJob != nullptr; }
    void cancelStatistics();
    // Computes the weight statistics (again), unless they are being computed.
    void startStatistics();
    // Copy and export of the Weights table, the Topology table and its second table.
    TableExporter *weightsExporter() const { return m_weightsExport; }
    TableExporter *topologyExporter() const { return m_topologyExport; }
    TableExporter *secondTopologyExporter() const { return m_secondExport; }

signals:
    void statisticsFinished(bool ok);
    void topologyFinished(bool ok);

private:
    void startJson(JsonTextMode mode);
    void startTopology();
    QString exportUrl() const;

    JobTracker *m_jobs;
    OpenedModelPtr m_model;
    quint64 m_generation = 0;
    QPointer<Job> m_statsJob;
    QPointer<Job> m_topologyJob;
    QPointer<Job> m_jsonJob;
    OverviewPage *m_overview = nullptr;
    TopologyPage *m_topology = nullptr;
    WeightsPage *m_weights = nullptr;
    JsonPage *m_json = nullptr;
    TableExporter *m_weightsExport = nullptr;
    TableExporter *m_topologyExport = nullptr;
    TableExporter *m_secondExport = nullptr;
};

} // namespace tfjs::ui

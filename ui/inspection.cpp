#include "inspection.h"

#include "formatting.h"

#include "inspect/modelsummary.h"
#include "inspect/weightstats.h"
#include "base/job.h"

#include <cmath>

namespace tfjs::ui {

namespace {

QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

QString shapesText(const std::optional<Shapes> &shapes, bool multiple)
{
    if (multiple)
        return QStringLiteral("multiple");
    if (!shapes)
        return QStringLiteral("?");
    QStringList parts;
    for (const Shape &shape : *shapes)
        parts << text(shapeText(shape));
    return parts.join(QStringLiteral(", "));
}

QString joined(const std::vector<std::string> &items, int max = 8)
{
    QStringList parts;
    for (std::size_t i = 0; i < items.size() && int(i) < max; ++i)
        parts << text(items[i]);
    QString result = parts.join(QStringLiteral(", "));
    if (int(items.size()) > max)
        result += QObject::tr(", … %1 more").arg(items.size() - std::size_t(max));
    return result;
}

void addLayerRows(const std::vector<LayerRow> &layers, const QString &indent,
                  std::vector<RowTableModel::Row> &rows)
{
    for (const LayerRow &layer : layers) {
        rows.push_back({QString(indent + text(layer.name)), text(layer.className),
                        shapesText(layer.output, layer.outputMultiple), qint64(layer.params),
                        qint64(layer.nonTrainableParams),
                        layer.trainable ? QObject::tr("yes") : QObject::tr("no"), joined(layer.inbound)});
        addLayerRows(layer.layers, indent + QStringLiteral("    "), rows);
    }
}

TopologyTables layersTables(const ModelSummary &summary, const LayersSummary &layers)
{
    TopologyTables t;
    t.headers = {QObject::tr("Layer"), QObject::tr("Class"), QObject::tr("Output shape"), QObject::tr("Params"),
                 QObject::tr("Non-trainable"), QObject::tr("Trainable"), QObject::tr("Inputs from")};
    addLayerRows(layers.rows, {}, t.rows);
    t.total = {QObject::tr("Total"), QString(), QString(), qint64(layers.totalParams),
               qint64(layers.nonTrainableParams), QString(), QString()};
    QStringList lines;
    lines << QObject::tr("%1 “%2”: %6; %3 params (%4 trainable, %5 non-trainable)")
                 .arg(text(layers.className), text(layers.name), formatCount(layers.totalParams),
                      formatCount(layers.trainableParams), formatCount(layers.nonTrainableParams),
                      countOf(qint64(layers.rows.size()), QObject::tr("layer"), QObject::tr("layers")));
    QStringList io;
    if (layers.inputShapes)
        io << QObject::tr("Input shape: %1").arg(shapesText(layers.inputShapes, false));
    if (!layers.inputs.empty())
        io << QObject::tr("inputs: %1").arg(joined(layers.inputs));
    if (layers.outputShapes)
        io << QObject::tr("output shape: %1").arg(shapesText(layers.outputShapes, false));
    if (!layers.outputs.empty())
        io << QObject::tr("outputs: %1").arg(joined(layers.outputs));
    if (!io.isEmpty()) {
        io.front()[0] = io.front()[0].toUpper();
        lines << io.join(QStringLiteral("; "));
    }
    if (!summary.kerasVersion.empty())
        lines << QObject::tr("Keras version: %1, backend: %2").arg(text(summary.kerasVersion), text(summary.backend));
    if (!layers.unassignedWeights.empty())
        lines << QObject::tr("Weights matching no layer (%1 params): %2")
                     .arg(formatCount(layers.unassignedParams), joined(layers.unassignedWeights));
    if (!layers.unusedLayers.empty())
        lines << QObject::tr("Layers no output depends on: %1").arg(joined(layers.unusedLayers));
    for (const std::string &note : layers.notes)
        lines << text(note);
    t.summary = lines.join(QLatin1Char('\n'));
    return t;
}

QString endpointShape(const GraphSummary::Endpoint &e)
{
    return e.shape ? text(shapeText(*e.shape)) : QStringLiteral("?");
}

TopologyTables graphTables(const GraphSummary &graph)
{
    TopologyTables t;
    t.headers = {QObject::tr("Op"), QObject::tr("Nodes")};
    std::vector<std::pair<std::string, int>> ops(graph.ops.begin(), graph.ops.end());
    std::stable_sort(ops.begin(), ops.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    for (const auto &[op, count] : ops)
        t.rows.push_back({text(op), count});
    t.total = {QObject::tr("Total"), graph.nodeCount};
    t.secondTitle = graph.fromSignature ? QObject::tr("Inputs and outputs (from the signature)")
                                        : QObject::tr("Inputs and outputs (from the graph)");
    t.secondHeaders = {QObject::tr("Kind"), QObject::tr("Key"), QObject::tr("Tensor"), QObject::tr("DType"),
                       QObject::tr("Shape"), QObject::tr("Op")};
    for (const auto &e : graph.inputs)
        t.secondRows.push_back({QObject::tr("input"), text(e.key), text(e.name), text(e.dtype), endpointShape(e), text(e.op)});
    for (const auto &e : graph.outputs)
        t.secondRows.push_back({QObject::tr("output"), text(e.key), text(e.name), text(e.dtype), endpointShape(e), text(e.op)});
    QStringList lines;
    lines << QObject::tr("GraphDef: %1 nodes, %2 op types").arg(formatCount(graph.nodeCount)).arg(graph.ops.size());
    if (graph.functionCount > 0)
        lines.back() += QObject::tr(", %1 functions (%2 nodes)").arg(graph.functionCount).arg(graph.functionNodeCount);
    if (graph.producer)
        lines.back() += QObject::tr(", producer %1").arg(*graph.producer);
    if (graph.needsExecuteAsync()) {
        QStringList ops;
        for (const auto &[op, count] : graph.controlFlowOps)
            ops << QStringLiteral("%1 ×%2").arg(text(op)).arg(count);
        for (const auto &[op, count] : graph.dynamicOps)
            ops << QStringLiteral("%1 ×%2").arg(text(op)).arg(count);
        lines << QObject::tr("Needs executeAsync(): %1").arg(ops.join(QStringLiteral(", ")));
    }
    if (graph.hasInitializer)
        lines << QObject::tr("Initializer: %1 nodes").arg(graph.initializerNodeCount);
    int unused = 0;
    for (const auto &use : graph.weights)
        unused += use.consumers.empty() ? 1 : 0;
    if (unused > 0)
        lines << (unused == 1 ? QObject::tr("1 weight feeds no node of the main graph")
                              : QObject::tr("%1 weights feed no node of the main graph").arg(unused));
    for (const std::string &note : graph.notes)
        lines << text(note);
    t.summary = lines.join(QLatin1Char('\n'));
    return t;
}

TopologyTables groupTables(const ModelSummary &summary)
{
    TopologyTables t;
    t.headers = {QObject::tr("Name scope"), QObject::tr("Tensors"), QObject::tr("Params"), QObject::tr("Bytes")};
    qint64 bytes = 0;
    for (const WeightGroupSummary &group : summary.groups) {
        t.rows.push_back({group.prefix.empty() ? QObject::tr("(none)") : text(group.prefix), group.tensors,
                          qint64(group.params), group.bytes < 0 ? QVariant(QObject::tr("variable")) : QVariant(group.bytes)});
        bytes += std::max<qint64>(group.bytes, 0);
    }
    t.total = {QObject::tr("Total"), summary.tensorCount, qint64(summary.params), bytes};
    t.summary = QObject::tr("No topology: %1 tensors, %2 params, grouped by name scope")
                    .arg(formatCount(summary.tensorCount), formatCount(summary.params));
    return t;
}

double orZero(double value)
{
    return std::isnan(value) ? 0.0 : value;
}

} // namespace

Result<TopologyTables> topologyTables(const ModelArtifacts &artifacts, JobContext &ctx)
{
    if (ctx.isCancelled())
        return fail(cancelledError());
    const ModelSummary summary = summarizeModel(artifacts);
    TopologyTables tables = summary.layers ? layersTables(summary, *summary.layers)
                            : summary.graph ? graphTables(*summary.graph)
                                            : groupTables(summary);
    tables.json = std::make_shared<const Json>(summary.toJson());
    return tables;
}

Result<WeightStats> tensorStatistics(const ModelArtifacts &artifacts, JobContext &ctx, const StatsSink &sink)
{
    StatsOptions options;
    options.bins = kHistogramBins;
    auto stats = computeWeightStats(artifacts, options, ctx);
    if (!stats)
        return fail(stats.error());
    for (const TensorStats &t : stats->tensors) {
        TensorStatsRow row;
        const ValueStats &v = t.values;
        row.count = v.count;
        row.finite = v.finite;
        row.min = orZero(v.min);
        row.max = orZero(v.max);
        row.mean = orZero(v.mean);
        row.std = orZero(v.std);
        row.meanAbs = orZero(v.meanAbs);
        row.l2 = v.l2;
        row.step = orZero(t.step);
        row.zeros = v.zeros;
        row.nans = v.nan;
        row.posInfs = v.posInf;
        row.negInfs = v.negInf;
        row.numeric = t.numeric;
        if (t.histogram) {
            row.histogram.assign(t.histogram->counts.begin(), t.histogram->counts.end());
            row.histogramMin = t.histogram->min;
            row.histogramMax = t.histogram->max;
        }
        sink(int(t.index), std::move(row));
    }
    return stats;
}

} // namespace tfjs::ui

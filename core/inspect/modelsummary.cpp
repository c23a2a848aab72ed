#include "modelsummary.h"

#include "format/modeloverview.h"

#include <QStringList>

#include <algorithm>

namespace tfjs {

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

QString jsonText(const std::optional<Json> &value)
{
    if (!value)
        return QStringLiteral("(absent)");
    if (value->is_string())
        return qs(value->get<std::string>());
    return qs(stringify(*value));
}

std::string scopeOf(const std::string &name)
{
    const std::size_t slash = name.rfind('/');
    return slash == std::string::npos ? std::string() : name.substr(0, slash);
}

QString shapeList(const std::vector<std::int64_t> &shape)
{
    QStringList dims;
    for (const std::int64_t dim : shape)
        dims << QString::number(dim);
    return QLatin1Char('[') + dims.join(QLatin1Char(',')) + QLatin1Char(']');
}

QString countsText(const std::map<std::string, int> &counts, int limit = -1)
{
    std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    QStringList parts;
    for (const auto &[name, count] : sorted) {
        if (limit >= 0 && parts.size() >= limit) {
            parts << QStringLiteral("... (%1 more)").arg(qsizetype(sorted.size()) - limit);
            break;
        }
        parts << QStringLiteral("%1 %2").arg(qs(name)).arg(count);
    }
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

QString endpointText(const GraphSummary::Endpoint &e)
{
    QString text = qs(e.name);
    if (!e.key.empty())
        text = qs(e.key) + QStringLiteral(" = ") + text;
    if (!e.dtype.empty())
        text += QLatin1Char(' ') + qs(e.dtype);
    text += QLatin1Char(' ') + (e.shape ? qs(shapeText(*e.shape)) : QStringLiteral("(unknown rank)"));
    if (!e.op.empty() && e.op != "Placeholder")
        text += QStringLiteral(" (") + qs(e.op) + QLatin1Char(')');
    return text;
}

void nestedText(QString &out, const std::vector<LayerRow> &rows, int depth)
{
    const QString indent(2 * depth + 2, QLatin1Char(' '));
    for (const LayerRow &row : rows) {
        out += indent + qs(row.name) + QStringLiteral(" (") + qs(row.className) + QStringLiteral(")");
        if (row.outputMultiple)
            out += QStringLiteral("  -> multiple");
        else if (row.output && row.output->size() == 1)
            out += QStringLiteral("  -> ") + qs(shapeText((*row.output)[0]));
        out += QStringLiteral("  params %1").arg(row.params);
        if (!row.trainable)
            out += QStringLiteral("  (not trainable)");
        out += QLatin1Char('\n');
        nestedText(out, row.layers, depth + 1);
    }
}

void nonTrainable(const std::vector<LayerRow> &rows, QStringList &names)
{
    for (const LayerRow &row : rows) {
        if (!row.trainable && row.className != "InputLayer") // inputs never train
            names << qs(row.name);
        nonTrainable(row.layers, names);
    }
}

void layersText(QString &out, const LayersSummary &l)
{
    out += QStringLiteral("model class:    %1 '%2'\n").arg(qs(l.className), qs(l.name));
    QStringList inputs, outputs;
    for (const std::string &ref : l.inputs)
        inputs << qs(ref);
    for (const std::string &ref : l.outputs)
        outputs << qs(ref);
    out += QStringLiteral("inputs:         %1\n").arg(inputs.join(QStringLiteral(", ")));
    out += QStringLiteral("outputs:        %1\n\n").arg(outputs.join(QStringLiteral(", ")));
    out += l.tfjsSummaryLines().join(QLatin1Char('\n')) + QLatin1Char('\n');
    QStringList frozen;
    nonTrainable(l.rows, frozen);
    if (!frozen.isEmpty())
        out += QStringLiteral("Layers with trainable=false: %1\n").arg(frozen.join(QStringLiteral(", ")));
    for (const LayerRow &row : l.rows) {
        if (row.layers.empty())
            continue;
        out += QStringLiteral("Layers of nested model '%1' (%2):\n").arg(qs(row.name), qs(row.className));
        nestedText(out, row.layers, 0);
    }
    if (!l.unassignedWeights.empty()) {
        QStringList names;
        for (const std::string &name : l.unassignedWeights)
            names << qs(name);
        out += QStringLiteral("Weights of no layer in the model (%1 params, not in the totals): %2\n")
                   .arg(l.unassignedParams)
                   .arg(names.join(QStringLiteral(", ")));
    }
    if (!l.unusedLayers.empty()) {
        QStringList names;
        for (const std::string &name : l.unusedLayers)
            names << qs(name);
        out += QStringLiteral("Layers no output depends on: %1\n").arg(names.join(QStringLiteral(", ")));
    }
    for (const std::string &note : l.notes)
        out += QStringLiteral("Note: %1\n").arg(qs(note));
}

void graphText(QString &out, const GraphSummary &g)
{
    out += QStringLiteral("graph:          %1 nodes, %2 ops, %3 functions (%4 nodes)")
               .arg(g.nodeCount)
               .arg(g.ops.size())
               .arg(g.functionCount)
               .arg(g.functionNodeCount);
    if (g.producer)
        out += QStringLiteral(", producer %1").arg(*g.producer);
    out += QLatin1Char('\n');
    const QString from = g.fromSignature ? QStringLiteral(" (signature)") : QString();
    out += QStringLiteral("inputs%1:\n").arg(from);
    for (const auto &e : g.inputs)
        out += QStringLiteral("  ") + endpointText(e) + QLatin1Char('\n');
    out += QStringLiteral("outputs%1:\n").arg(from);
    for (const auto &e : g.outputs)
        out += QStringLiteral("  ") + endpointText(e) + QLatin1Char('\n');
    out += QStringLiteral("ops:            %1\n").arg(countsText(g.ops));
    out += QStringLiteral("control flow:   %1\n").arg(countsText(g.controlFlowOps));
    out += QStringLiteral("dynamic ops:    %1\n").arg(countsText(g.dynamicOps));
    if (g.needsExecuteAsync())
        out += QStringLiteral("                (TF.js runs this model with executeAsync only)\n");
    if (g.hasInitializer)
        out += QStringLiteral("initializer:    %1 nodes (%2)%3\n")
                   .arg(g.initializerNodeCount)
                   .arg(countsText(g.initializerOps))
                   .arg(g.hasInitializerSignature ? QStringLiteral(", with signature") : QString());
    else
        out += QStringLiteral("initializer:    none\n");
    constexpr std::size_t kShown = 40;
    out += QStringLiteral("weights -> consumers:\n");
    for (std::size_t i = 0; i < g.weights.size() && i < kShown; ++i) {
        const auto &w = g.weights[i];
        QStringList consumers;
        for (const std::string &c : w.consumers)
            consumers << qs(c);
        out += QStringLiteral("  %1 -> %2%3\n")
                   .arg(qs(w.name),
                        consumers.isEmpty() ? QStringLiteral("(none)") : consumers.join(QStringLiteral(", ")),
                        w.hasNode ? QString() : QStringLiteral("  [no Const node]"));
    }
    if (g.weights.size() > kShown)
        out += QStringLiteral("  ... %1 more (see --json)\n").arg(g.weights.size() - kShown);
    for (std::size_t i = 0; i < g.notes.size() && i < 20; ++i)
        out += QStringLiteral("Note: %1\n").arg(qs(g.notes[i]));
}

} // namespace

ModelSummary summarizeModel(const ModelArtifacts &artifacts)
{
    ModelSummary s;
    s.format = artifacts.format;
    s.generatedBy = artifacts.generatedBy;
    s.convertedBy = artifacts.convertedBy;
    if (const Json *trainingConfig = trainingConfigOf(artifacts))
        s.trainingConfig = *trainingConfig;
    if (artifacts.userDefinedMetadata && !artifacts.userDefinedMetadata->is_null())
        s.userDefinedMetadata = artifacts.userDefinedMetadata;
    if (artifacts.weightSpecs)
        s.specs = *artifacts.weightSpecs;

    s.kind = QStringLiteral("weights-only");
    if (artifacts.hasTopology()) {
        const Json &topology = *artifacts.modelTopology;
        if (const Json *keras = kerasModelConfig(topology)) {
            s.kind = QStringLiteral("layers-model");
            s.kerasVersion = jsonString(*keras, "keras_version");
            s.backend = jsonString(*keras, "backend");
            s.layers = summarizeLayers(*keras, s.specs);
        } else if (topology.contains("node") || topology.contains("library")
                   || topology.contains("versions")) {
            s.kind = QStringLiteral("graph-model");
            Json signature = artifacts.signature ? *artifacts.signature : Json();
            if (signature.is_null() && artifacts.userDefinedMetadata
                && artifacts.userDefinedMetadata->is_object()
                && artifacts.userDefinedMetadata->contains("signature"))
                signature = (*artifacts.userDefinedMetadata)["signature"];
            const Json initializer = artifacts.modelInitializer ? *artifacts.modelInitializer : Json();
            const bool initSignature = artifacts.initializerSignature && !artifacts.initializerSignature->is_null();
            s.graph = summarizeGraph(topology, signature, initializer, initSignature, s.specs);
        } else {
            s.kind = QStringLiteral("unknown");
        }
    }

    std::map<std::string, std::size_t> groupIndex;
    for (std::size_t i = 0; i < s.specs.size(); ++i) {
        const WeightSpec &spec = s.specs[i];
        const std::int64_t n = std::max<std::int64_t>(0, spec.elementCount());
        if (spec.group == "optimizer") {
            ++s.optimizerTensorCount;
            s.optimizerParams += n;
            continue;
        }
        ++s.tensorCount;
        s.params += n;
        s.paramsByDtype[dtypeName(spec.dtype)] += n;
        if (spec.quantization)
            ++s.quantized[quantDTypeName(spec.quantization->dtype)];
        const std::string prefix = scopeOf(spec.name);
        auto [it, added] = groupIndex.emplace(prefix, s.groups.size());
        if (added)
            s.groups.push_back(WeightGroupSummary{prefix, 0, 0, 0, {}});
        WeightGroupSummary &group = s.groups[it->second];
        ++group.tensors;
        group.params += n;
        const std::int64_t bytes = spec.byteSize();
        group.bytes = bytes < 0 || group.bytes < 0 ? -1 : group.bytes + bytes;
        group.indices.push_back(i);
    }
    return s;
}

Json ModelSummary::toJson() const
{
    Json json = Json::object();
    json["schema"] = "tfjs-model/summary/1";
    json["kind"] = kind.toStdString();
    json["format"] = format.value_or(Json());
    json["generatedBy"] = generatedBy.value_or(Json());
    json["convertedBy"] = convertedBy.value_or(Json());
    json["kerasVersion"] = kerasVersion.empty() ? Json(nullptr) : Json(kerasVersion);
    json["backend"] = backend.empty() ? Json(nullptr) : Json(backend);

    Json weights = Json::object();
    weights["tensors"] = tensorCount;
    weights["params"] = params;
    weights["paramsByDtype"] = paramsByDtype; // std::map: an object, keys sorted
    weights["quantized"] = quantized;
    weights["optimizerTensors"] = optimizerTensorCount;
    weights["optimizerParams"] = optimizerParams;
    Json groupsJson = Json::array();
    for (const WeightGroupSummary &group : groups) {
        Json g = Json::object();
        g["prefix"] = group.prefix;
        g["tensorCount"] = group.tensors;
        g["params"] = group.params;
        g["bytes"] = group.bytes < 0 ? Json(nullptr) : Json(group.bytes);
        Json tensors = Json::array();
        for (const std::size_t index : group.indices) {
            const WeightSpec &spec = specs[index];
            Json t = Json::object();
            t["name"] = spec.name;
            t["dtype"] = dtypeName(spec.dtype);
            t["shape"] = spec.shape;
            t["quantization"] = spec.quantization ? Json(quantDTypeName(spec.quantization->dtype))
                                                  : Json(nullptr);
            tensors.push_back(t);
        }
        g["tensors"] = tensors;
        groupsJson.push_back(g);
    }
    weights["groups"] = groupsJson;
    json["weights"] = weights;

    json["layers"] = layers ? layers->toJson() : Json(nullptr);
    json["graph"] = graph ? graph->toJson() : Json(nullptr);
    json["trainingConfig"] = trainingConfig.value_or(Json());
    json["userDefinedMetadata"] = userDefinedMetadata.value_or(Json());
    return json;
}

QString ModelSummary::toText() const
{
    QString out;
    out += QStringLiteral("kind:           %1%2\n")
               .arg(kind, format && format->is_string() ? QString() : QStringLiteral(" (inferred)"));
    out += QStringLiteral("generatedBy:    %1\n").arg(jsonText(generatedBy));
    out += QStringLiteral("convertedBy:    %1\n").arg(jsonText(convertedBy));
    if (!kerasVersion.empty() || !backend.empty())
        out += QStringLiteral("keras_version:  %1 (backend %2)\n").arg(qs(kerasVersion), qs(backend));
    out += QStringLiteral("weights:        %1 tensors, %2 params").arg(tensorCount).arg(params);
    if (!quantized.empty())
        out += QStringLiteral(", quantized: %1").arg(countsText(quantized));
    if (optimizerTensorCount > 0)
        out += QStringLiteral("; optimizer: %1 tensors, %2 params").arg(optimizerTensorCount).arg(optimizerParams);
    out += QLatin1Char('\n');

    if (layers)
        layersText(out, *layers);
    else if (kind == QStringLiteral("layers-model"))
        out += QStringLiteral("The Keras config is not a Sequential, Model or Functional model.\n");
    if (graph)
        graphText(out, *graph);

    if (!layers && !graph) {
        out += QStringLiteral("tensors by name scope:\n");
        for (const WeightGroupSummary &group : groups) {
            out += QStringLiteral("  %1  (%2 tensors, %3 params)\n")
                       .arg(group.prefix.empty() ? QStringLiteral("(no scope)") : qs(group.prefix))
                       .arg(group.tensors)
                       .arg(group.params);
            for (const std::size_t index : group.indices) {
                const WeightSpec &spec = specs[index];
                out += QStringLiteral("    %1  %2 %3%4\n")
                           .arg(qs(spec.name), QLatin1String(dtypeName(spec.dtype)), shapeList(spec.shape),
                                spec.quantization
                                    ? QStringLiteral("  (%1)").arg(QLatin1String(quantDTypeName(spec.quantization->dtype)))
                                    : QString());
            }
        }
    }
    if (trainingConfig)
        out += QStringLiteral("trainingConfig: %1\n").arg(jsonText(trainingConfig));
    if (userDefinedMetadata)
        out += QStringLiteral("userDefinedMetadata: %1\n").arg(jsonText(userDefinedMetadata));
    return out;
}

} // namespace tfjs

#include "topologydiff.h"

#include "format/modeloverview.h"
#include "inspect/kerasmodel.h"
#include "inspect/modelsummary.h"

#include <map>

namespace tfjs {

namespace {

// One layer or node: what is compared, and its weights (for renames).
struct Entry
{
    std::string name;
    std::string type;
    Json value; // compared JSON, the name left out
    std::vector<std::string> weights;
};

struct Topology
{
    std::string kind;
    Json model = Json::object(); // model-level values
    std::vector<Entry> entries;
};

void readLayers(const Json &keras, const ModelSummary &summary, Topology &t)
{
    const auto model = keras::parseModel(keras);
    if (!model)
        return;
    t.model["class_name"] = model->className;
    std::map<std::string, const LayerRow *> rows;
    if (summary.layers) {
        for (const LayerRow &row : summary.layers->rows)
            rows.emplace(row.name, &row);
        Json inputs = Json::array();
        for (const std::string &ref : summary.layers->inputs)
            inputs.push_back(ref);
        Json outputs = Json::array();
        for (const std::string &ref : summary.layers->outputs)
            outputs.push_back(ref);
        t.model["inputs"] = inputs;
        t.model["outputs"] = outputs;
    }
    for (const keras::Layer &layer : model->layers) {
        if (layer.synthetic)
            continue;
        Entry e;
        e.name = layer.name;
        e.type = layer.className;
        e.value = Json::object();
        e.value["class_name"] = layer.className;
        Json config = layer.config ? *layer.config : Json::object();
        if (config.is_object())
            config.erase("name");
        e.value["config"] = config;
        if (const auto row = rows.find(layer.name); row != rows.end()) {
            e.value["output shape"] = shapesToJson(row->second->output);
            e.weights = row->second->weights;
            Json inbound = Json::array();
            for (const std::string &ref : row->second->inbound)
                inbound.push_back(ref);
            e.value["inputs"] = inbound;
        }
        t.entries.push_back(std::move(e));
    }
}

void readNodes(const Json &graph, const std::vector<WeightSpec> &specs, Topology &t)
{
    const Json *nodes = jsonMember(graph, "node");
    if (!nodes || !nodes->is_array())
        return;
    std::map<std::string, bool> weightNames;
    for (const WeightSpec &spec : specs)
        weightNames.emplace(spec.name, true);
    for (const Json &node : *nodes) {
        if (!node.is_object())
            continue;
        Entry e;
        e.name = jsonString(node, "name");
        e.type = jsonString(node, "op");
        e.value = node;
        e.value.erase("name");
        if (weightNames.contains(e.name))
            e.weights.push_back(e.name);
        t.entries.push_back(std::move(e));
    }
}

Topology readTopology(const ModelArtifacts &artifacts)
{
    const ModelSummary summary = summarizeModel(artifacts);
    Topology t;
    t.kind = summary.kind.toStdString();
    if (artifacts.format)
        t.model["format"] = *artifacts.format;
    if (!artifacts.hasTopology())
        return t;
    const Json &topology = *artifacts.modelTopology;
    if (const Json *keras = kerasModelConfig(topology))
        readLayers(*keras, summary, t);
    else
        readNodes(topology, summary.specs, t);
    return t;
}

bool renamed(
    const Entry &removed, const Entry &added, const std::map<std::string, std::string> &renames)
{
    if (removed.weights.empty() || removed.weights.size() != added.weights.size())
        return false;
    for (std::size_t i = 0; i < removed.weights.size(); ++i) {
        const auto it = renames.find(removed.weights[i]);
        if (it == renames.end() || it->second != added.weights[i])
            return false;
    }
    return true;
}

} // namespace

void diffJson(const Json &before, const Json &after, const std::string &prefix,
    std::vector<ValueChange> &changes)
{
    if (before.is_object() && after.is_object()) {
        const auto key
            = [&](const std::string &k) { return prefix.empty() ? k : prefix + '.' + k; };
        for (const auto &[k, v] : before.items()) {
            if (const Json *other = jsonMember(after, k.c_str()))
                diffJson(v, *other, key(k), changes);
            else
                changes.push_back({ key(k), v, std::nullopt });
        }
        for (const auto &[k, v] : after.items())
            if (!before.contains(k))
                changes.push_back({ key(k), std::nullopt, v });
        return;
    }
    if (before != after)
        changes.push_back({ prefix, before, after });
}

TopologyDiff diffTopology(const ModelArtifacts &modelA, const ModelArtifacts &modelB,
    const std::vector<TensorDiff> &weights)
{
    const Topology a = readTopology(modelA);
    const Topology b = readTopology(modelB);
    TopologyDiff diff;
    diff.kindA = a.kind;
    diff.kindB = b.kind;
    if (a.kind != b.kind)
        diff.model.push_back({ "kind", Json(a.kind), Json(b.kind) });
    diffJson(a.model, b.model, {}, diff.model);

    std::map<std::string, std::string> renames;
    for (const TensorDiff &w : weights)
        if (w.status == TensorDiff::Status::Renamed)
            renames.emplace(w.name, w.newName);
    std::map<std::string, std::size_t> indexA;
    std::map<std::string, std::size_t> indexB;
    for (std::size_t i = 0; i < a.entries.size(); ++i)
        indexA.emplace(a.entries[i].name, i);
    for (std::size_t i = 0; i < b.entries.size(); ++i)
        indexB.emplace(b.entries[i].name, i);

    std::vector<bool> usedB(b.entries.size(), false);
    for (const Entry &e : a.entries) {
        if (const auto it = indexB.find(e.name); it != indexB.end()) {
            usedB[it->second] = true;
            NodeDiff node { NodeDiff::Status::Changed, e.name, {}, b.entries[it->second].type, {} };
            diffJson(e.value, b.entries[it->second].value, {}, node.changes);
            if (!node.changes.empty())
                diff.nodes.push_back(std::move(node));
            continue;
        }
        NodeDiff node { NodeDiff::Status::Removed, e.name, {}, e.type, {} };
        for (std::size_t j = 0; j < b.entries.size(); ++j) {
            if (usedB[j] || indexA.contains(b.entries[j].name)
                || !renamed(e, b.entries[j], renames))
                continue;
            usedB[j] = true;
            node.status = NodeDiff::Status::Renamed;
            node.newName = b.entries[j].name;
            node.type = b.entries[j].type;
            diffJson(e.value, b.entries[j].value, {}, node.changes);
            break;
        }
        diff.nodes.push_back(std::move(node));
    }
    for (std::size_t j = 0; j < b.entries.size(); ++j)
        if (!usedB[j])
            diff.nodes.push_back(
                { NodeDiff::Status::Added, b.entries[j].name, {}, b.entries[j].type, {} });
    return diff;
}

} // namespace tfjs

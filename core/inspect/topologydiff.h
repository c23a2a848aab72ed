#pragma once

// The topology half of diffModels (modeldiff.h): layers of layers-models and nodes of
// graph-models, matched by name.

#include "base/json.h"
#include "format/artifacts.h"
#include "inspect/weightdiff.h"

#include <optional>
#include <string>
#include <vector>

namespace tfjs {

// A value that differs: `key` is a dotted path into the layer's or node's JSON ("config.units",
// "attr.T.type", "output shape"); nullopt when one side lacks the key.
struct ValueChange
{
    std::string key;
    std::optional<Json> before;
    std::optional<Json> after;
    Json toJson() const;
};

// A layer (layers-model) or node (graph-model) that differs.
struct NodeDiff
{
    enum class Status { Added, Removed, Renamed, Changed };
    Status status = Status::Changed;
    std::string name; // A's name (B's for Added)
    std::string newName; // Renamed: B's name
    std::string type; // layer class or op (B's when changed)
    std::vector<ValueChange> changes; // Changed and Renamed: what else differs (name aside)
    Json toJson() const;
};

struct TopologyDiff
{
    std::string kindA; // "layers-model", "graph-model", "weights-only", "unknown"
    std::string kindB;
    std::vector<ValueChange> model; // model-level: kind, format, model class, inputs, outputs
    std::vector<NodeDiff> nodes; // A's order (Removed, Renamed, Changed), then Added
    bool identical() const { return model.empty() && nodes.empty(); }
    Json toJson() const;
};

// Compares the topologies. Layers are Keras layers (class_name and config, the name aside, and
// the output shape inferred as `summary` infers it); nodes are GraphDef nodes (op, inputs,
// attrs, device). A Removed/Added pair is Renamed when both have weights and each weight of
// one was matched to the other's by `weights` (a Renamed TensorDiff, in order).
TopologyDiff diffTopology(
    const ModelArtifacts &a, const ModelArtifacts &b, const std::vector<TensorDiff> &weights);

// The dotted keys where two JSON values differ: objects are walked key by key, anything else
// (arrays included) compared whole. `prefix` starts the keys.
void diffJson(const Json &before, const Json &after, const std::string &prefix,
    std::vector<ValueChange> &changes);

} // namespace tfjs

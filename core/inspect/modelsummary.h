#pragma once

#include "format/artifacts.h"
#include "graphsummary.h"
#include "layersummary.h"

#include <QString>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tfjs {

// Tensors that share a name scope (everything before the last '/'; "" for names without one).
struct WeightGroupSummary
{
    std::string prefix;
    int tensors = 0;
    std::int64_t params = 0;
    qint64 bytes = 0; // -1 when the group holds string tensors (size only known from the data)
    std::vector<std::size_t> indices; // into ModelSummary::specs
};

// What `tfjs-model summary` shows: the topology read from the model JSON alone (no weight
// bytes), plus the weights' names, groups and totals.
struct ModelSummary
{
    QString kind; // "layers-model", "graph-model", "weights-only", "unknown"
    std::optional<Json> format;
    std::optional<Json> generatedBy;
    std::optional<Json> convertedBy;
    std::string kerasVersion;
    std::string backend;
    std::optional<LayersSummary> layers;
    std::optional<GraphSummary> graph;
    std::optional<Json> trainingConfig;
    std::optional<Json> userDefinedMetadata;

    int tensorCount = 0;          // model weights (group != "optimizer")
    int optimizerTensorCount = 0;
    std::int64_t params = 0;      // elements of the model weights
    std::int64_t optimizerParams = 0;
    std::map<std::string, std::int64_t> paramsByDtype;
    std::map<std::string, int> quantized; // tensors per quantization dtype
    std::vector<WeightGroupSummary> groups; // model weights by name scope, in first-seen order
    std::vector<WeightSpec> specs;          // what `groups` points into

    Json toJson() const;
    QString toText() const;
};

ModelSummary summarizeModel(const ModelArtifacts &artifacts);

} // namespace tfjs

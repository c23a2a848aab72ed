#pragma once

#include "layershapes.h"
#include "base/json.h"
#include "format/weightspec.h"

#include <QStringList>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tfjs {

// One layer of a layers-model, as tfjs-layers' model.summary() shows it, plus what the JSON
// alone tells: its trainable flag, its weights and, for a nested model, its own layers.
struct LayerRow
{
    std::string name;
    std::string className;
    bool trainable = true;
    // Input shapes of each inbound node (TF.js's "Input Shape" column); nullopt: not known.
    std::vector<std::optional<Shapes>> nodeInputs;
    // Output shapes (one per output tensor); nullopt: not known or, with outputMultiple, the
    // nodes disagree (TF.js prints "multiple").
    std::optional<Shapes> output;
    bool outputMultiple = false;
    std::int64_t params = 0; // TF.js's layer.countParams(), from the weight specs
    std::int64_t trainableParams = 0;
    std::int64_t nonTrainableParams = 0;
    std::vector<std::string> weights;
    // "layer[node][tensor]" for each input of each node the model uses ("Receives inputs").
    std::vector<std::string> inbound;
    std::vector<LayerRow> layers; // a nested model's own layers

    Json toJson() const;
};

struct LayersSummary
{
    std::string className; // "Sequential", "Model", "Functional"
    std::string name;
    bool sequentialLike = true; // TF.js's layout choice (no connection column)
    std::vector<LayerRow> rows; // in TF.js's model.layers order
    std::vector<std::string> inputs;  // "layer[node][tensor]"
    std::vector<std::string> outputs;
    std::optional<Shapes> inputShapes;
    std::optional<Shapes> outputShapes;
    // Totals over the weights assigned to layers (TF.js's countParams() and its split).
    std::int64_t totalParams = 0;
    std::int64_t trainableParams = 0;
    std::int64_t nonTrainableParams = 0;
    // Model weights whose names match no layer, and layers no output depends on (both are
    // left out of the rows and totals, as TF.js leaves them out of the model).
    std::vector<std::string> unassignedWeights;
    std::int64_t unassignedParams = 0;
    std::vector<std::string> unusedLayers;
    std::vector<std::string> notes; // what could not be read (a cycle, unknown references)

    Json toJson() const;
    // The lines tfjs-layers' model.summary() prints for this model (same widths and columns).
    // Shapes not known here print as "?".
    QStringList tfjsSummaryLines() const;
};

// Reads a Keras model config ({class_name, config}, already unwrapped from model_config) and
// assigns the model weights of `specs` (group != "optimizer") to layers by name. nullopt when
// the config is not a Sequential/Model/Functional model.
std::optional<LayersSummary> summarizeLayers(const Json &kerasModel, const std::vector<WeightSpec> &specs);

} // namespace tfjs

#pragma once

#include "artifacts.h"

#include <map>
#include <string>

namespace tfjs {

// What `info` shows: facts read from the model JSON alone (no weight bytes).
struct ModelOverview
{
    QString format;       // "layers-model", "graph-model" or "weights-only" (declared or inferred)
    bool formatDeclared = false;
    std::optional<Json> generatedBy;
    std::optional<Json> convertedBy;
    QString topologyKind; // "Sequential", "Functional", "Model", "GraphDef", "none"
    int layerCount = -1;  // layers-models
    int nodeCount = -1;   // graph-models (main graph)
    int functionCount = -1;
    int tensorCount = 0;
    int optimizerTensorCount = 0;
    std::map<std::string, std::int64_t> parametersByDtype; // element count per dtype
    std::map<std::string, int> quantizedByDtype;           // tensor count per quantization dtype
    struct Shard
    {
        QString path;
        qint64 bytes = 0;
    };
    std::vector<std::vector<Shard>> groups;
    bool hasTrainingConfig = false;
    bool hasUserDefinedMetadata = false;
    bool hasSignature = false;
    bool hasInitializer = false;
    ModelArtifactsInfo info;

    Json toJson() const;
};

ModelOverview overviewOf(const ModelArtifacts &artifacts);

// The Keras model config inside a layers-model topology (unwrapping {model_config: ...}), or
// null when the topology is not a layers-model.
const Json *kerasModelConfig(const Json &topology);

// The model's training config: top-level `trainingConfig` (TF.js saves), else the topology's
// `training_config` (tfjs-converter wraps a Keras h5 model's topology as {model_config,
// training_config}); null when neither is there or it is JSON null.
const Json *trainingConfigOf(const ModelArtifacts &artifacts);

} // namespace tfjs

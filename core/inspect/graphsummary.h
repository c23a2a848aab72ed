#pragma once

#include "layershapes.h"
#include "base/json.h"
#include "format/weightspec.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tfjs {

// What a graph-model's GraphDef JSON tells, read the way tfjs-converter's OperationMapper does.
struct GraphSummary
{
    struct Endpoint
    {
        std::string key;   // signature key ("" without a signature)
        std::string name;  // tensor name as written ("x:0") or node name
        std::string dtype; // "DT_FLOAT"; "" when not known
        std::optional<Shape> shape; // -1 dims are unknown (null); nullopt: unknown rank
        std::string op;    // the node's op, when the node exists
    };
    struct WeightUse
    {
        std::string name;
        bool hasNode = false; // a Const node of that name exists in the main graph
        std::vector<std::string> consumers; // main-graph nodes that take it as an input
    };

    int nodeCount = 0;
    std::map<std::string, int> ops; // op -> node count (main graph)
    int functionCount = 0;
    int functionNodeCount = 0;
    std::vector<std::string> functions;
    std::optional<std::int64_t> producer; // versions.producer
    std::vector<Endpoint> inputs;  // signature inputs, else Placeholder nodes
    std::vector<Endpoint> outputs; // signature outputs, else nodes nothing consumes
    bool fromSignature = false;
    std::map<std::string, int> controlFlowOps; // Switch, Merge, Enter, Exit, If, While, ...
    std::map<std::string, int> dynamicOps;     // ops TF.js runs only with executeAsync
    bool hasInitializer = false;
    int initializerNodeCount = 0;
    std::map<std::string, int> initializerOps;
    bool hasInitializerSignature = false;
    std::vector<WeightUse> weights; // model weights in manifest order
    std::vector<std::string> notes;

    // TF.js needs executeAsync (not execute) for control flow and dynamic ops.
    bool needsExecuteAsync() const { return !controlFlowOps.empty() || !dynamicOps.empty(); }
    Json toJson() const;
};

// `signature` is the model's signature (artifacts.signature, else
// userDefinedMetadata.signature); `initializer` is modelInitializer; either may be null.
std::optional<GraphSummary> summarizeGraph(const Json &graphDef, const Json &signature,
                                           const Json &initializer, bool hasInitializerSignature,
                                           const std::vector<WeightSpec> &specs);

} // namespace tfjs

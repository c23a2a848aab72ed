#include "graphsummary.h"

#include <set>
#include <unordered_map>

namespace tfjs {

namespace {

const std::set<std::string> &controlFlowNames()
{
    static const std::set<std::string> names = {
        "Switch", "Merge", "Enter", "Exit", "NextIteration", "LoopCond", "RefSwitch", "RefMerge",
        "RefEnter", "RefExit", "RefNextIteration", "_SwitchN", "If", "StatelessIf", "While",
        "StatelessWhile", "Case", "StatelessCase"};
    return names;
}

bool isDynamic(const std::string &op)
{
    // tfjs-converter's "dynamic" ops and the TensorArray/TensorList ops of control flow.
    return op.rfind("NonMaxSuppressionV", 0) == 0 || op == "Where" || op == "ListDiff"
           || op.rfind("TensorArray", 0) == 0 || op.rfind("TensorList", 0) == 0;
}

// "^name", "name:1", "name:output:0" -> "name" (tfjs getNodeNameAndIndex).
std::string nodeNameOf(const std::string &input)
{
    std::string name = !input.empty() && input[0] == '^' ? input.substr(1) : input;
    const std::size_t colon = name.find(':');
    return colon == std::string::npos ? name : name.substr(0, colon);
}

// A protobuf-JSON TensorShapeProto: {"dim":[{"size":"-1"},...]} or {"unknownRank":true}.
std::optional<Shape> shapeOfProto(const Json &proto)
{
    if (!proto.is_object() || jsonMember(proto, "unknownRank"))
        return std::nullopt;
    Shape shape;
    if (const Json *dims = jsonMember(proto, "dim"); dims && dims->is_array()) {
        for (const Json &dim : *dims) {
            const Json *size = jsonMember(dim, "size");
            std::int64_t value = 0; // an absent size is 0 in proto3 JSON
            if (size && size->is_string()) {
                try {
                    value = std::stoll(size->get<std::string>());
                } catch (...) {
                    return std::nullopt;
                }
            } else if (size && size->is_number_integer()) {
                value = size->get<std::int64_t>();
            }
            shape.push_back(value < 0 ? std::nullopt : Dim(value));
        }
    }
    return shape;
}

std::string attrType(const Json &node, const char *key)
{
    const Json *attr = jsonMember(node, "attr");
    const Json *entry = attr ? jsonMember(*attr, key) : nullptr;
    return entry ? jsonString(*entry, "type") : std::string();
}

std::optional<Shape> attrShape(const Json &node, const char *key)
{
    const Json *attr = jsonMember(node, "attr");
    const Json *entry = attr ? jsonMember(*attr, key) : nullptr;
    const Json *shape = entry ? jsonMember(*entry, "shape") : nullptr;
    return shape ? shapeOfProto(*shape) : std::nullopt;
}

std::vector<GraphSummary::Endpoint> signatureEntries(const Json *entries,
                                                     const std::unordered_map<std::string, const Json *> &nodes)
{
    std::vector<GraphSummary::Endpoint> list;
    if (!entries || !entries->is_object())
        return list;
    for (const auto &item : entries->items()) {
        GraphSummary::Endpoint endpoint;
        endpoint.key = item.key();
        endpoint.name = jsonString(item.value(), "name");
        endpoint.dtype = jsonString(item.value(), "dtype");
        if (const Json *shape = jsonMember(item.value(), "tensorShape"))
            endpoint.shape = shapeOfProto(*shape);
        if (const auto it = nodes.find(nodeNameOf(endpoint.name)); it != nodes.end())
            endpoint.op = jsonString(*it->second, "op");
        list.push_back(std::move(endpoint));
    }
    return list;
}

Json endpointJson(const GraphSummary::Endpoint &e)
{
    Json json = Json::object();
    json["key"] = e.key.empty() ? Json(nullptr) : Json(e.key);
    json["name"] = e.name;
    json["dtype"] = e.dtype.empty() ? Json(nullptr) : Json(e.dtype);
    json["shape"] = e.shape ? shapeToJson(*e.shape) : Json(nullptr);
    json["op"] = e.op.empty() ? Json(nullptr) : Json(e.op);
    return json;
}

// A broken graph could have a note per node; keep the first ones.
void addNote(GraphSummary &g, std::string note)
{
    constexpr std::size_t kMaxNotes = 50;
    if (g.notes.size() < kMaxNotes)
        g.notes.push_back(std::move(note));
    else if (g.notes.size() == kMaxNotes)
        g.notes.push_back("(further notes left out)");
}

} // namespace

Json GraphSummary::toJson() const
{
    Json json = Json::object();
    json["nodeCount"] = nodeCount;
    json["ops"] = ops;
    json["functionCount"] = functionCount;
    json["functionNodeCount"] = functionNodeCount;
    json["functions"] = functions;
    json["producer"] = producer ? Json(*producer) : Json(nullptr);
    json["fromSignature"] = fromSignature;
    Json in = Json::array();
    for (const Endpoint &e : inputs)
        in.push_back(endpointJson(e));
    json["inputs"] = in;
    Json out = Json::array();
    for (const Endpoint &e : outputs)
        out.push_back(endpointJson(e));
    json["outputs"] = out;
    json["controlFlowOps"] = controlFlowOps;
    json["dynamicOps"] = dynamicOps;
    json["needsExecuteAsync"] = needsExecuteAsync();
    Json init = Json::object();
    init["present"] = hasInitializer;
    init["nodeCount"] = initializerNodeCount;
    init["ops"] = initializerOps;
    init["signature"] = hasInitializerSignature;
    json["initializer"] = init;
    Json list = Json::array();
    for (const WeightUse &w : weights) {
        Json entry = Json::object();
        entry["name"] = w.name;
        entry["node"] = w.hasNode;
        entry["consumers"] = w.consumers;
        list.push_back(entry);
    }
    json["weights"] = list;
    json["notes"] = notes;
    return json;
}

std::optional<GraphSummary> summarizeGraph(const Json &graphDef, const Json &signature,
                                           const Json &initializer, bool hasInitializerSignature,
                                           const std::vector<WeightSpec> &specs)
{
    if (!graphDef.is_object())
        return std::nullopt;
    GraphSummary g;
    std::unordered_map<std::string, const Json *> nodes;
    std::vector<const Json *> order;
    if (const Json *list = jsonMember(graphDef, "node"); list && list->is_array()) {
        for (const Json &node : *list) {
            if (!node.is_object())
                continue;
            const std::string name = jsonString(node, "name");
            const std::string op = jsonString(node, "op");
            ++g.nodeCount;
            ++g.ops[op];
            if (controlFlowNames().contains(op))
                ++g.controlFlowOps[op];
            if (isDynamic(op))
                ++g.dynamicOps[op];
            if (!nodes.emplace(name, &node).second)
                addNote(g, "Node name '" + name + "' is used twice.");
            order.push_back(&node);
        }
    }
    // Who consumes what (data and control inputs alike, as tfjs counts children).
    std::unordered_map<std::string, std::vector<std::string>> consumers;
    for (const Json *node : order) {
        const Json *inputs = jsonMember(*node, "input");
        if (!inputs || !inputs->is_array())
            continue;
        const std::string name = jsonString(*node, "name");
        for (const Json &input : *inputs) {
            if (!input.is_string())
                continue;
            const std::string from = nodeNameOf(input.get<std::string>());
            if (!nodes.contains(from))
                addNote(g, "Node '" + name + "' takes input '" + from + "', which is no node.");
            std::vector<std::string> &list = consumers[from];
            if (list.empty() || list.back() != name)
                list.push_back(name);
        }
    }
    if (const Json *library = jsonMember(graphDef, "library")) {
        if (const Json *functions = jsonMember(*library, "function"); functions && functions->is_array()) {
            for (const Json &function : *functions) {
                ++g.functionCount;
                const Json *sig = jsonMember(function, "signature");
                g.functions.push_back(sig ? jsonString(*sig, "name") : std::string());
                if (const Json *defs = jsonMember(function, "nodeDef"); defs && defs->is_array()) {
                    for (const Json &def : *defs) {
                        const std::string op = jsonString(def, "op");
                        ++g.functionNodeCount;
                        if (controlFlowNames().contains(op))
                            ++g.controlFlowOps[op];
                        if (isDynamic(op))
                            ++g.dynamicOps[op];
                    }
                }
            }
        }
    }
    if (const Json *versions = jsonMember(graphDef, "versions")) {
        if (const Json *producer = jsonMember(*versions, "producer"); producer && producer->is_number_integer())
            g.producer = producer->get<std::int64_t>();
    }

    const Json *sigInputs = jsonMember(signature, "inputs");
    const Json *sigOutputs = jsonMember(signature, "outputs");
    g.inputs = signatureEntries(sigInputs, nodes);
    g.outputs = signatureEntries(sigOutputs, nodes);
    g.fromSignature = !g.inputs.empty() || !g.outputs.empty();
    if (g.inputs.empty()) {
        for (const Json *node : order) {
            const std::string op = jsonString(*node, "op");
            if (op.rfind("Placeholder", 0) != 0)
                continue;
            GraphSummary::Endpoint e;
            e.name = jsonString(*node, "name");
            e.op = op;
            e.dtype = attrType(*node, "dtype");
            e.shape = attrShape(*node, "shape");
            g.inputs.push_back(std::move(e));
        }
    }
    if (g.outputs.empty()) {
        for (const Json *node : order) {
            const std::string name = jsonString(*node, "name");
            if (consumers.contains(name))
                continue;
            GraphSummary::Endpoint e;
            e.name = name;
            e.op = jsonString(*node, "op");
            e.dtype = attrType(*node, "T");
            g.outputs.push_back(std::move(e));
        }
    }

    if (const Json *list = jsonMember(initializer, "node"); list && list->is_array()) {
        g.hasInitializer = !list->empty();
        for (const Json &node : *list) {
            ++g.initializerNodeCount;
            ++g.initializerOps[jsonString(node, "op")];
        }
    }
    g.hasInitializerSignature = hasInitializerSignature;

    for (const WeightSpec &spec : specs) {
        if (spec.group == "optimizer")
            continue;
        GraphSummary::WeightUse use;
        use.name = spec.name;
        const auto node = nodes.find(spec.name);
        use.hasNode = node != nodes.end() && jsonString(*node->second, "op") == "Const";
        if (const auto it = consumers.find(spec.name); it != consumers.end())
            use.consumers = it->second;
        g.weights.push_back(std::move(use));
    }
    return g;
}

} // namespace tfjs

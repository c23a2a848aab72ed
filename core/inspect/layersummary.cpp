#include "layersummary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace tfjs {

namespace {

constexpr int kMaxNesting = 32;
constexpr std::size_t kMaxRecursion = 256;

bool isModelClass(const std::string &className)
{
    return className == "Sequential" || className == "Model" || className == "Functional";
}

struct Ref
{
    std::string layer;
    int node = 0;
    int tensor = 0;

    std::string text() const
    {
        return layer + '[' + std::to_string(node) + "][" + std::to_string(tensor) + ']';
    }
};

// [name, node, tensor, kwargs?] (tfjs, Keras 2) or {"keras_history": [name, node, tensor]}.
std::optional<Ref> refFrom(const Json &entry)
{
    const Json *history = &entry;
    if (entry.is_object()) {
        const Json *config = jsonMember(entry, "config");
        history = config ? jsonMember(*config, "keras_history") : nullptr;
        if (!history)
            return std::nullopt;
    }
    if (!history->is_array() || history->size() < 3 || !(*history)[0].is_string()
        || !(*history)[1].is_number_integer() || !(*history)[2].is_number_integer())
        return std::nullopt;
    const auto node = (*history)[1].get<std::int64_t>();
    const auto tensor = (*history)[2].get<std::int64_t>();
    if (node < 0 || node > 1 << 20 || tensor < 0 || tensor > 1 << 20)
        return std::nullopt;
    return Ref{(*history)[0].get<std::string>(), int(node), int(tensor)};
}

// Keras 3 nodes: {"args": [...], "kwargs": {...}} with keras tensors anywhere inside.
void collectKerasTensors(const Json &value, std::vector<Ref> &refs, int depth = 0)
{
    if (depth > 16)
        return;
    if (value.is_object()) {
        if (jsonString(value, "class_name") == "__keras_tensor__") {
            if (auto ref = refFrom(value))
                refs.push_back(*ref);
            return;
        }
        for (const auto &item : value.items())
            collectKerasTensors(item.value(), refs, depth + 1);
    } else if (value.is_array()) {
        for (const Json &item : value)
            collectKerasTensors(item, refs, depth + 1);
    }
}

// input_layers / output_layers: [[name, node, tensor], ...] or one [name, node, tensor].
std::vector<Ref> refList(const Json *json)
{
    std::vector<Ref> refs;
    if (!json || !json->is_array())
        return refs;
    if (auto single = refFrom(*json))
        return {*single};
    for (const Json &entry : *json) {
        if (auto ref = refFrom(entry))
            refs.push_back(*ref);
    }
    return refs;
}

struct Model;

struct Node
{
    std::vector<Ref> inbound;
    bool internal = false; // a nested model's own node, made when it was built
};

struct Layer
{
    std::string name;
    std::string className;
    const Json *config = nullptr;
    bool trainable = true;
    bool synthetic = false; // the implicit input of a Sequential
    std::optional<Shape> batchInputShape;
    std::vector<Node> nodes;
    std::shared_ptr<Model> inner;
};

struct Model
{
    std::string className;
    std::string name;
    bool sequential = false;
    std::vector<Layer> layers;
    std::map<std::string, std::size_t> index;
    std::vector<Ref> inputs;
    std::vector<Ref> outputs;
    std::vector<std::string> notes;

    // Whether the model was built on its own inputs (so its first application is node 1).
    bool builtOnItsOwn() const
    {
        for (const Ref &ref : inputs) {
            const auto it = index.find(ref.layer);
            if (it == index.end() || !layers[it->second].batchInputShape)
                return false;
        }
        return !inputs.empty();
    }
};

std::optional<Shape> declaredInputShape(const Json *config)
{
    if (!config)
        return std::nullopt;
    for (const char *key : {"batch_input_shape", "batch_shape", "batchInputShape"}) {
        if (const Json *shape = jsonMember(*config, key)) {
            if (auto parsed = shapeFromJson(*shape))
                return parsed;
        }
    }
    return std::nullopt;
}

std::shared_ptr<Model> parseModel(const Json &json, int depth);

Layer layerFrom(const Json &entry, std::size_t position, int depth)
{
    Layer layer;
    layer.className = jsonString(entry, "class_name");
    layer.config = jsonMember(entry, "config");
    layer.name = jsonString(entry, "name");
    if (layer.config && layer.name.empty())
        layer.name = jsonString(*layer.config, "name");
    if (layer.name.empty())
        layer.name = "layer_" + std::to_string(position + 1);
    if (layer.config) {
        if (const Json *trainable = jsonMember(*layer.config, "trainable"); trainable && trainable->is_boolean())
            layer.trainable = trainable->get<bool>();
    }
    if (layer.className == "InputLayer")
        layer.trainable = false; // as tfjs-layers' InputLayer sets it
    layer.batchInputShape = declaredInputShape(layer.config);
    if (isModelClass(layer.className) && depth < kMaxNesting)
        layer.inner = parseModel(entry, depth + 1);
    return layer;
}

void indexLayers(Model &model)
{
    for (std::size_t i = 0; i < model.layers.size(); ++i) {
        if (!model.index.emplace(model.layers[i].name, i).second)
            model.notes.push_back("Layer name '" + model.layers[i].name + "' is used twice.");
    }
}

void parseSequential(Model &model, const Json &layers, int depth)
{
    std::vector<Layer> list;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].is_object())
            list.push_back(layerFrom(layers[i], i, depth));
    }
    Ref previous;
    std::size_t first = 0;
    if (!list.empty() && list[0].className == "InputLayer") {
        list[0].nodes.push_back(Node{});
        previous = Ref{list[0].name, 0, 0};
        first = 1;
    } else {
        Layer input;
        input.className = "InputLayer";
        input.synthetic = true;
        input.name = (list.empty() ? model.name : list[0].name) + "_input";
        if (!list.empty())
            input.batchInputShape = list[0].batchInputShape;
        input.nodes.push_back(Node{});
        previous = Ref{input.name, 0, 0};
        list.insert(list.begin(), std::move(input));
        first = 1;
    }
    model.inputs = {previous};
    for (std::size_t i = first; i < list.size(); ++i) {
        Layer &layer = list[i];
        if (layer.inner && layer.inner->builtOnItsOwn())
            layer.nodes.push_back(Node{{}, true});
        layer.nodes.push_back(Node{{previous}, false});
        previous = Ref{layer.name, int(layer.nodes.size()) - 1, 0};
    }
    model.outputs = {previous};
    model.layers = std::move(list);
    indexLayers(model);
}

void parseFunctional(Model &model, const Json &config, int depth)
{
    const Json *layers = jsonMember(config, "layers");
    if (layers && layers->is_array()) {
        for (std::size_t i = 0; i < layers->size(); ++i) {
            const Json &entry = (*layers)[i];
            if (!entry.is_object())
                continue;
            Layer layer = layerFrom(entry, i, depth);
            if (layer.inner && layer.inner->builtOnItsOwn())
                layer.nodes.push_back(Node{{}, true});
            if (const Json *nodes = jsonMember(entry, "inbound_nodes"); nodes && nodes->is_array()) {
                for (const Json &nodeJson : *nodes) {
                    Node node;
                    if (nodeJson.is_object()) {
                        collectKerasTensors(nodeJson, node.inbound);
                    } else if (nodeJson.is_array()) {
                        for (const Json &inbound : nodeJson) {
                            if (auto ref = refFrom(inbound))
                                node.inbound.push_back(*ref);
                        }
                    }
                    layer.nodes.push_back(std::move(node));
                }
            }
            if (layer.className == "InputLayer" && layer.nodes.empty())
                layer.nodes.push_back(Node{});
            model.layers.push_back(std::move(layer));
        }
    }
    model.inputs = refList(jsonMember(config, "input_layers"));
    model.outputs = refList(jsonMember(config, "output_layers"));
    indexLayers(model);
}

std::shared_ptr<Model> parseModel(const Json &json, int depth)
{
    const std::string className = jsonString(json, "class_name");
    const Json *config = jsonMember(json, "config");
    if (!isModelClass(className) || !config)
        return nullptr;
    auto model = std::make_shared<Model>();
    model->className = className;
    model->name = jsonString(*config, "name");
    if (className == "Sequential") {
        model->sequential = true;
        const Json *layers = config->is_array() ? config : jsonMember(*config, "layers");
        static const Json kNoLayers = Json::array();
        // (A conditional expression here would copy the layers and leave `config` dangling.)
        if (layers && layers->is_array())
            parseSequential(*model, *layers, depth);
        else
            parseSequential(*model, kNoLayers, depth);
    } else {
        parseFunctional(*model, *config, depth);
    }
    return model;
}

// Shapes flowing through one model, computed on demand (memoized, cycles give unknown).
class ShapeEval
{
public:
    struct Result
    {
        std::optional<Shapes> inputs;
        std::optional<Shapes> outputs;
    };

    ShapeEval(const Model &model, std::optional<Shapes> inputs)
        : m_model(model), m_override(std::move(inputs))
    {
    }

    static Result run(const Model &model, std::optional<Shapes> inputs, int depth)
    {
        ShapeEval eval(model, std::move(inputs));
        eval.m_depth = depth;
        return eval.result();
    }

    // The model's input and output shapes. Nodes are evaluated in the order the layers are
    // listed first (usually topological), which keeps the recursion shallow.
    Result result()
    {
        for (std::size_t li = 0; li < m_model.layers.size(); ++li) {
            for (std::size_t ni = 0; ni < m_model.layers[li].nodes.size(); ++ni)
                compute(li, ni);
        }
        return {gather(m_model.inputs), gather(m_model.outputs)};
    }

    std::optional<Shapes> nodeOutputs(std::size_t layer, std::size_t node)
    {
        return compute(layer, node).second;
    }
    std::optional<Shapes> nodeInputs(std::size_t layer, std::size_t node)
    {
        return compute(layer, node).first;
    }

private:
    using Pair = std::pair<std::optional<Shapes>, std::optional<Shapes>>;

    std::optional<Shapes> gather(const std::vector<Ref> &refs)
    {
        Shapes shapes;
        for (const Ref &ref : refs) {
            const auto it = m_model.index.find(ref.layer);
            if (it == m_model.index.end())
                return std::nullopt;
            const auto out = nodeOutputs(it->second, std::size_t(ref.node));
            if (!out || std::size_t(ref.tensor) >= out->size())
                return std::nullopt;
            shapes.push_back((*out)[std::size_t(ref.tensor)]);
        }
        return shapes;
    }

    Pair compute(std::size_t li, std::size_t ni)
    {
        const auto key = std::make_pair(li, ni);
        if (const auto it = m_memo.find(key); it != m_memo.end())
            return it->second;
        // A cycle, or a chain too long to follow recursively: unknown (and not remembered).
        if (m_busy.size() > kMaxRecursion || !m_busy.insert(key).second)
            return {};
        Pair result = evaluate(li, ni);
        m_busy.erase(key);
        m_memo[key] = result;
        return result;
    }

    Pair evaluate(std::size_t li, std::size_t ni)
    {
        const Layer &layer = m_model.layers[li];
        if (ni >= layer.nodes.size())
            return {};
        const Node &node = layer.nodes[ni];
        if (layer.className == "InputLayer") {
            std::optional<Shapes> shape;
            if (layer.batchInputShape)
                shape = Shapes{*layer.batchInputShape};
            for (std::size_t k = 0; k < m_model.inputs.size(); ++k) {
                if (m_model.inputs[k].layer == layer.name && m_override
                    && k < m_override->size())
                    shape = Shapes{(*m_override)[k]};
            }
            return {shape, shape};
        }
        if (node.internal) {
            if (!layer.inner || m_depth >= kMaxNesting)
                return {};
            const Result inner = run(*layer.inner, std::nullopt, m_depth + 1);
            return {inner.inputs, inner.outputs};
        }
        const std::optional<Shapes> inputs = gather(node.inbound);
        if (!inputs)
            return {};
        if (layer.inner) {
            if (m_depth >= kMaxNesting)
                return {inputs, std::nullopt};
            return {inputs, run(*layer.inner, inputs, m_depth + 1).outputs};
        }
        if (!layer.config)
            return {inputs, std::nullopt};
        return {inputs, layerOutputShapes(layer.className, *layer.config, *inputs)};
    }

    const Model &m_model;
    std::optional<Shapes> m_override;
    int m_depth = 0;
    std::map<std::pair<std::size_t, std::size_t>, Pair> m_memo;
    std::set<std::pair<std::size_t, std::size_t>> m_busy;
};

using NodeKey = std::pair<std::size_t, std::size_t>; // layer index, node index

// TF.js Container's graph walk: the layers in model.layers order, the nodes the outputs depend
// on, and whether the model prints as sequential.
struct GraphOrder
{
    std::vector<std::size_t> layers;
    std::set<NodeKey> relevant;
    bool sequentialLike = true;
    bool cycle = false;
};

GraphOrder graphOrder(const Model &model)
{
    GraphOrder order;
    if (model.sequential) {
        for (std::size_t i = 0; i < model.layers.size(); ++i) {
            if (!model.layers[i].synthetic)
                order.layers.push_back(i);
            for (std::size_t n = 0; n < model.layers[i].nodes.size(); ++n) {
                if (!model.layers[i].nodes[n].internal)
                    order.relevant.insert({i, n});
            }
        }
        return order;
    }
    std::map<std::size_t, int> layerIndices; // discovery order
    std::vector<NodeKey> decreasing;
    std::set<NodeKey> finished;
    std::set<NodeKey> inProgress;
    auto keyOf = [&](const Ref &ref) -> std::optional<NodeKey> {
        const auto it = model.index.find(ref.layer);
        if (it == model.index.end() || ref.node < 0
            || std::size_t(ref.node) >= model.layers[it->second].nodes.size())
            return std::nullopt;
        return NodeKey{it->second, std::size_t(ref.node)};
    };
    // Depth-first from the outputs, post-order, with an explicit stack (models can be deep).
    const auto visit = [&](NodeKey root) {
        if (finished.contains(root))
            return;
        std::vector<std::pair<NodeKey, std::size_t>> stack;
        layerIndices.emplace(root.first, int(layerIndices.size()));
        inProgress.insert(root);
        stack.emplace_back(root, 0);
        while (!stack.empty()) {
            const NodeKey key = stack.back().first;
            const std::vector<Ref> &inbound = model.layers[key.first].nodes[key.second].inbound;
            if (stack.back().second < inbound.size()) {
                const auto child = keyOf(inbound[stack.back().second++]);
                if (!child || finished.contains(*child))
                    continue;
                if (inProgress.contains(*child)) {
                    order.cycle = true;
                    continue;
                }
                layerIndices.emplace(child->first, int(layerIndices.size()));
                inProgress.insert(*child);
                stack.emplace_back(*child, 0);
                continue;
            }
            finished.insert(key);
            inProgress.erase(key);
            decreasing.push_back(key);
            stack.pop_back();
        }
    };
    for (const Ref &ref : model.outputs) {
        if (auto key = keyOf(ref))
            visit(*key);
    }
    std::map<NodeKey, int> nodeDepth;
    std::vector<NodeKey> nodeOrder; // insertion order of nodeDepth keys, as JS objects keep them
    std::map<std::size_t, int> layerDepth;
    auto setDepth = [&](NodeKey key, int depth) {
        if (nodeDepth.emplace(key, depth).second)
            nodeOrder.push_back(key);
        else
            nodeDepth[key] = depth;
    };
    for (auto it = decreasing.rbegin(); it != decreasing.rend(); ++it) {
        const NodeKey key = *it;
        if (!nodeDepth.contains(key))
            setDepth(key, 0);
        int depth = nodeDepth[key];
        const auto previous = layerDepth.find(key.first);
        depth = std::max(depth, previous == layerDepth.end() ? 0 : previous->second);
        layerDepth[key.first] = depth;
        setDepth(key, depth);
        for (const Ref &ref : model.layers[key.first].nodes[key.second].inbound) {
            const auto inbound = keyOf(ref);
            if (!inbound)
                continue;
            const auto before = nodeDepth.find(*inbound);
            setDepth(*inbound, std::max(depth + 1, before == nodeDepth.end() ? 0 : before->second));
        }
    }
    std::map<int, std::vector<std::size_t>, std::greater<>> layersByDepth;
    for (const auto &[layer, depth] : layerDepth)
        layersByDepth[depth].push_back(layer);
    for (auto &[depth, layers] : layersByDepth) {
        std::sort(layers.begin(), layers.end(),
                  [&](std::size_t a, std::size_t b) { return layerIndices[a] < layerIndices[b]; });
        order.layers.insert(order.layers.end(), layers.begin(), layers.end());
    }
    std::map<int, std::vector<NodeKey>> nodesByDepth;
    for (const NodeKey &key : nodeOrder) {
        order.relevant.insert(key);
        nodesByDepth[nodeDepth[key]].push_back(key);
    }
    // isModelSequentialLike
    for (const auto &[depth, nodes] : nodesByDepth) {
        if (nodes.size() > 1
            || (nodes.size() == 1 && model.layers[nodes[0].first].nodes[nodes[0].second].inbound.size() > 1)) {
            order.sequentialLike = false;
            break;
        }
    }
    if (order.sequentialLike) {
        for (std::size_t i = 0; i < model.layers.size(); ++i) {
            int seen = 0;
            for (std::size_t n = 0; n < model.layers[i].nodes.size(); ++n)
                seen += order.relevant.contains({i, n}) ? 1 : 0;
            if (seen > 1) {
                order.sequentialLike = false;
                break;
            }
        }
    }
    return order;
}

// Where each layer sits: the chain of layers from the top-level one down to it.
struct Placement
{
    std::vector<const Layer *> chain;
};

void placeLayers(const Model &model, std::vector<const Layer *> parents,
                 std::map<std::string, Placement> &placements, int depth)
{
    // Outer names first, so a name used at two depths means the outer layer.
    for (const Layer &layer : model.layers) {
        if (layer.synthetic)
            continue;
        std::vector<const Layer *> chain = parents;
        chain.push_back(&layer);
        placements.emplace(layer.name, Placement{chain});
    }
    if (depth >= kMaxNesting)
        return;
    for (const Layer &layer : model.layers) {
        if (!layer.inner)
            continue;
        std::vector<const Layer *> chain = parents;
        chain.push_back(&layer);
        placeLayers(*layer.inner, chain, placements, depth + 1);
    }
}

std::vector<std::string> splitName(const std::string &name)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = name.find('/', start);
        parts.push_back(name.substr(start, slash - start));
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    return parts;
}

struct Counts
{
    std::int64_t params = 0;
    std::int64_t trainable = 0;
    std::int64_t nonTrainable = 0;
    std::vector<std::string> weights;
};

struct Assignment
{
    std::map<const Layer *, Counts> byLayer;
    std::vector<std::string> unassigned;
    std::int64_t unassignedParams = 0;
};

Assignment assignWeights(const Model &model, const std::vector<WeightSpec> &specs)
{
    std::map<std::string, Placement> placements;
    placeLayers(model, {}, placements, 0);
    Assignment assignment;
    for (const WeightSpec &spec : specs) {
        if (spec.group == "optimizer")
            continue;
        const std::int64_t n = std::max<std::int64_t>(0, spec.elementCount());
        const std::vector<std::string> parts = splitName(spec.name);
        const Placement *top = nullptr;
        for (std::size_t i = 0; i + 1 < parts.size() && !top; ++i) {
            if (const auto it = placements.find(parts[i]); it != placements.end())
                top = &it->second;
        }
        if (!top) {
            assignment.unassigned.push_back(spec.name);
            assignment.unassignedParams += n;
            continue;
        }
        // The deepest layer named in the weight's path under the same top-level layer.
        const Placement *owner = top;
        for (std::size_t i = parts.size() - 1; i-- > 0;) {
            const auto it = placements.find(parts[i]);
            if (it != placements.end() && it->second.chain.front() == top->chain.front()) {
                owner = &it->second;
                break;
            }
        }
        const Layer &ownerLayer = *owner->chain.back();
        bool trainable = std::all_of(owner->chain.begin(), owner->chain.end(),
                                     [](const Layer *layer) { return layer->trainable; });
        const std::string &leaf = parts.back();
        if (ownerLayer.className == "BatchNormalization"
            && (leaf.rfind("moving_mean", 0) == 0 || leaf.rfind("moving_variance", 0) == 0))
            trainable = false; // added with trainable=false by tfjs-layers and Keras
        for (const Layer *layer : owner->chain) {
            Counts &counts = assignment.byLayer[layer];
            counts.params += n;
            (trainable ? counts.trainable : counts.nonTrainable) += n;
            counts.weights.push_back(spec.name);
        }
    }
    return assignment;
}

std::vector<LayerRow> rowsOf(const Model &model, const Assignment &assignment, int depth,
                             GraphOrder *orderOut = nullptr)
{
    GraphOrder order = graphOrder(model);
    ShapeEval eval(model, std::nullopt);
    eval.result(); // evaluates every node in listed order
    std::vector<LayerRow> rows;
    for (const std::size_t li : order.layers) {
        const Layer &layer = model.layers[li];
        LayerRow row;
        row.name = layer.name;
        row.className = layer.className;
        row.trainable = layer.trainable;
        std::vector<std::string> outputsSeen;
        bool outputsKnown = !layer.nodes.empty();
        std::optional<Shapes> firstOutput;
        for (std::size_t ni = 0; ni < layer.nodes.size(); ++ni) {
            row.nodeInputs.push_back(eval.nodeInputs(li, ni));
            const std::optional<Shapes> out = eval.nodeOutputs(li, ni);
            if (!out) {
                outputsKnown = false;
            } else {
                if (!firstOutput)
                    firstOutput = out;
                std::string text;
                for (const Shape &shape : *out)
                    text += shapeText(shape) + ';';
                if (std::find(outputsSeen.begin(), outputsSeen.end(), text) == outputsSeen.end())
                    outputsSeen.push_back(text);
            }
            if (!order.relevant.contains({li, ni}))
                continue;
            for (const Ref &ref : layer.nodes[ni].inbound) {
                const auto it = model.index.find(ref.layer);
                if (it != model.index.end() && model.layers[it->second].synthetic)
                    continue;
                row.inbound.push_back(ref.text());
            }
        }
        if (layer.nodes.empty() || outputsSeen.size() > 1) {
            row.outputMultiple = true;
        } else if (outputsKnown) {
            row.output = firstOutput;
        }
        if (const auto it = assignment.byLayer.find(&layer); it != assignment.byLayer.end()) {
            row.params = it->second.params;
            row.trainableParams = it->second.trainable;
            row.nonTrainableParams = it->second.nonTrainable;
            row.weights = it->second.weights;
        }
        if (layer.inner && depth < kMaxNesting)
            row.layers = rowsOf(*layer.inner, assignment, depth + 1);
        rows.push_back(std::move(row));
    }
    if (orderOut)
        *orderOut = std::move(order);
    return rows;
}

Json shapesJson(const std::optional<Shapes> &shapes)
{
    if (!shapes)
        return nullptr;
    Json list = Json::array();
    for (const Shape &shape : *shapes)
        list.push_back(shapeToJson(shape));
    return list;
}

// JSON.stringify(node.inputShapes) / layer.outputShape as TF.js prints them.
QString shapesText(const std::optional<Shapes> &shapes, bool unwrapSingle)
{
    if (!shapes)
        return QStringLiteral("?");
    if (unwrapSingle && shapes->size() == 1)
        return QString::fromStdString(shapeText((*shapes)[0]));
    QStringList parts;
    for (const Shape &shape : *shapes)
        parts << QString::fromStdString(shapeText(shape));
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

// tfjs-layers layer_utils.printRow
QString tfjsRow(const QStringList &fields, const std::vector<int> &positions)
{
    QString line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            line.chop(1);
            line += QLatin1Char(' ');
        }
        line += fields[i];
        line.truncate(positions[std::size_t(i)]);
        line += QString(positions[std::size_t(i)] - line.size(), QLatin1Char(' '));
    }
    return line;
}

} // namespace

Json LayerRow::toJson() const
{
    Json json = Json::object();
    json["name"] = name;
    json["className"] = className;
    json["trainable"] = trainable;
    Json inputs = Json::array();
    for (const auto &node : nodeInputs)
        inputs.push_back(shapesJson(node));
    json["inputShapes"] = inputs;
    json["outputShapes"] = outputMultiple ? Json("multiple") : shapesJson(output);
    json["params"] = params;
    json["trainableParams"] = trainableParams;
    json["nonTrainableParams"] = nonTrainableParams;
    json["inbound"] = inbound;
    json["weights"] = weights;
    Json nested = Json::array();
    for (const LayerRow &row : layers)
        nested.push_back(row.toJson());
    json["layers"] = nested;
    return json;
}

Json LayersSummary::toJson() const
{
    Json json = Json::object();
    json["className"] = className;
    json["name"] = name;
    json["sequentialLike"] = sequentialLike;
    json["inputs"] = inputs;
    json["outputs"] = outputs;
    json["inputShapes"] = shapesJson(inputShapes);
    json["outputShapes"] = shapesJson(outputShapes);
    Json list = Json::array();
    for (const LayerRow &row : rows)
        list.push_back(row.toJson());
    json["layers"] = list;
    Json totals = Json::object();
    totals["total"] = totalParams;
    totals["trainable"] = trainableParams;
    totals["nonTrainable"] = nonTrainableParams;
    json["params"] = totals;
    json["unassignedWeights"] = unassignedWeights;
    json["unassignedParams"] = unassignedParams;
    json["unusedLayers"] = unusedLayers;
    json["notes"] = notes;
    return json;
}

QStringList LayersSummary::tfjsSummaryLines() const
{
    const int lineLength = sequentialLike ? 90 : 115;
    const std::vector<double> relative = sequentialLike ? std::vector<double>{0.32, 0.61, 0.89, 1}
                                                        : std::vector<double>{0.24, 0.48, 0.70, 0.80, 1};
    std::vector<int> positions;
    for (const double p : relative)
        positions.push_back(int(std::floor(lineLength * p)));
    QStringList header = {QStringLiteral("Layer (type)"), QStringLiteral("Input Shape"),
                          QStringLiteral("Output shape"), QStringLiteral("Param #")};
    if (!sequentialLike)
        header << QStringLiteral("Receives inputs");
    QStringList lines;
    lines << QString(lineLength, QLatin1Char('_')) << tfjsRow(header, positions)
          << QString(lineLength, QLatin1Char('='));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const LayerRow &row = rows[i];
        QStringList inputs;
        for (const auto &node : row.nodeInputs)
            inputs << shapesText(node, false);
        const QString output = row.outputMultiple ? QStringLiteral("multiple")
                                                  : shapesText(row.output, true);
        QStringList fields = {QString::fromStdString(row.name + " (" + row.className + ")"),
                              inputs.join(QLatin1Char(',')), output, QString::number(row.params)};
        if (sequentialLike) {
            lines << tfjsRow(fields, positions);
        } else {
            fields << (row.inbound.empty() ? QString() : QString::fromStdString(row.inbound[0]));
            lines << tfjsRow(fields, positions);
            for (std::size_t c = 1; c < row.inbound.size(); ++c) {
                lines << tfjsRow({QString(), QString(), QString(), QString(),
                                  QString::fromStdString(row.inbound[c])},
                                 positions);
            }
        }
        lines << QString(lineLength, i + 1 == rows.size() ? QLatin1Char('=') : QLatin1Char('_'));
    }
    lines << QStringLiteral("Total params: %1").arg(totalParams)
          << QStringLiteral("Trainable params: %1").arg(trainableParams)
          << QStringLiteral("Non-trainable params: %1").arg(nonTrainableParams)
          << QString(lineLength, QLatin1Char('_'));
    return lines;
}

std::optional<LayersSummary> summarizeLayers(const Json &kerasModel, const std::vector<WeightSpec> &specs)
{
    const std::shared_ptr<Model> model = parseModel(kerasModel, 0);
    if (!model)
        return std::nullopt;
    LayersSummary summary;
    summary.className = model->className;
    summary.name = model->name;
    summary.notes = model->notes;
    const Assignment assignment = assignWeights(*model, specs);
    GraphOrder order;
    summary.rows = rowsOf(*model, assignment, 0, &order);
    summary.sequentialLike = order.sequentialLike;
    if (order.cycle)
        summary.notes.push_back("The layer graph has a cycle.");
    std::set<std::string> used;
    for (const LayerRow &row : summary.rows) {
        used.insert(row.name);
        summary.totalParams += row.params;
        summary.trainableParams += row.trainableParams;
        summary.nonTrainableParams += row.nonTrainableParams;
    }
    for (const Layer &layer : model->layers) {
        if (layer.synthetic || used.contains(layer.name))
            continue;
        summary.unusedLayers.push_back(layer.name);
        if (const auto it = assignment.byLayer.find(&layer); it != assignment.byLayer.end()) {
            summary.unassignedWeights.insert(summary.unassignedWeights.end(),
                                             it->second.weights.begin(), it->second.weights.end());
            summary.unassignedParams += it->second.params;
        }
    }
    summary.unassignedWeights.insert(summary.unassignedWeights.end(), assignment.unassigned.begin(),
                                     assignment.unassigned.end());
    summary.unassignedParams += assignment.unassignedParams;
    for (const Ref &ref : model->inputs) {
        if (!model->index.contains(ref.layer))
            summary.notes.push_back("Input '" + ref.layer + "' names no layer.");
        if (const auto it = model->index.find(ref.layer);
            it == model->index.end() || !model->layers[it->second].synthetic)
            summary.inputs.push_back(ref.text());
    }
    for (const Ref &ref : model->outputs) {
        if (!model->index.contains(ref.layer))
            summary.notes.push_back("Output '" + ref.layer + "' names no layer.");
        summary.outputs.push_back(ref.text());
    }
    const ShapeEval::Result shapes = ShapeEval::run(*model, std::nullopt, 0);
    summary.inputShapes = shapes.inputs;
    summary.outputShapes = shapes.outputs;
    return summary;
}

} // namespace tfjs

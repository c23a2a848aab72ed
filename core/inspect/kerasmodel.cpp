#include "kerasmodel.h"

namespace tfjs::keras {

namespace {

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

} // namespace

bool isModelClass(const std::string &className)
{
    return className == "Sequential" || className == "Model" || className == "Functional";
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

} // namespace tfjs::keras

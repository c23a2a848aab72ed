#pragma once

// A Keras model config read into layers, their nodes and the references between them, for
// summarizeLayers (layersummary.h). Internal to the inspection area; exposed in a header for
// the other summary files and their unit tests.

#include "inspect/layershapes.h"
#include "base/json.h"

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tfjs::keras {

// How deep nested models are followed.
constexpr int kMaxNesting = 32;

// "Sequential", "Model" or "Functional".
bool isModelClass(const std::string &className);

// Output `tensor` of node `node` of layer `layer`.
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

// Reads a Keras model config ({class_name, config}): a Sequential (its implicit input made a
// layer of its own, marked synthetic) or a Model/Functional (its layers' inbound nodes in the
// tfjs/Keras 2 form or Keras 3's keras tensors), nested models as far as kMaxNesting.
// Malformed entries are skipped and duplicate layer names noted. null when the config is not
// a model.
std::shared_ptr<Model> parseModel(const Json &json, int depth = 0);

} // namespace tfjs::keras

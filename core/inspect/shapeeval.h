#pragma once

// The shapes flowing through a Keras model, for summarizeLayers (layersummary.h). Internal to
// the inspection area; exposed in a header for unit tests.

#include "inspect/kerasmodel.h"
#include "inspect/layershapes.h"

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace tfjs::keras {

// The input and output shapes of each node of one model, computed on demand from the inputs'
// declared shapes and each layer's output-shape rule (layerOutputShapes), memoized. Unknown
// (nullopt) where a rule is not known, a reference names nothing, the graph has a cycle or a
// chain is too deep to follow; nested models are evaluated on the shapes they receive.
class ShapeEval
{
public:
    struct Result
    {
        std::optional<Shapes> inputs;
        std::optional<Shapes> outputs;
    };

    // `inputs`: shapes that replace the model's declared input shapes (a nested model applied
    // to its caller's tensors); nullopt: the declared ones.
    ShapeEval(const Model &model, std::optional<Shapes> inputs);

    // The shapes of `model`'s inputs and outputs, at nesting depth `depth`.
    static Result run(const Model &model, std::optional<Shapes> inputs, int depth);

    // The model's input and output shapes. Nodes are evaluated in the order the layers are
    // listed first (usually topological), which keeps the recursion shallow.
    Result result();

    std::optional<Shapes> nodeOutputs(std::size_t layer, std::size_t node);
    std::optional<Shapes> nodeInputs(std::size_t layer, std::size_t node);

private:
    using Pair = std::pair<std::optional<Shapes>, std::optional<Shapes>>;

    std::optional<Shapes> gather(const std::vector<Ref> &refs);
    Pair compute(std::size_t li, std::size_t ni);
    Pair evaluate(std::size_t li, std::size_t ni);

    const Model &m_model;
    std::optional<Shapes> m_override;
    int m_depth = 0;
    std::map<std::pair<std::size_t, std::size_t>, Pair> m_memo;
    std::set<std::pair<std::size_t, std::size_t>> m_busy;
};

} // namespace tfjs::keras

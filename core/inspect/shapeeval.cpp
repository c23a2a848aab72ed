#include "shapeeval.h"

namespace tfjs::keras {

namespace {

constexpr std::size_t kMaxRecursion = 256;

} // namespace

ShapeEval::ShapeEval(const Model &model, std::optional<Shapes> inputs)
    : m_model(model)
    , m_override(std::move(inputs))
{ }

ShapeEval::Result ShapeEval::run(const Model &model, std::optional<Shapes> inputs, int depth)
{
    ShapeEval eval(model, std::move(inputs));
    eval.m_depth = depth;
    return eval.result();
}

ShapeEval::Result ShapeEval::result()
{
    for (std::size_t li = 0; li < m_model.layers.size(); ++li) {
        for (std::size_t ni = 0; ni < m_model.layers[li].nodes.size(); ++ni)
            compute(li, ni);
    }
    return { gather(m_model.inputs), gather(m_model.outputs) };
}

std::optional<Shapes> ShapeEval::nodeOutputs(std::size_t layer, std::size_t node)
{
    return compute(layer, node).second;
}

std::optional<Shapes> ShapeEval::nodeInputs(std::size_t layer, std::size_t node)
{
    return compute(layer, node).first;
}

std::optional<Shapes> ShapeEval::gather(const std::vector<Ref> &refs)
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

ShapeEval::Pair ShapeEval::compute(std::size_t li, std::size_t ni)
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

ShapeEval::Pair ShapeEval::evaluate(std::size_t li, std::size_t ni)
{
    const Layer &layer = m_model.layers[li];
    if (ni >= layer.nodes.size())
        return {};
    const Node &node = layer.nodes[ni];
    if (layer.className == "InputLayer") {
        std::optional<Shapes> shape;
        if (layer.batchInputShape)
            shape = Shapes { *layer.batchInputShape };
        for (std::size_t k = 0; k < m_model.inputs.size(); ++k) {
            if (m_model.inputs[k].layer == layer.name && m_override && k < m_override->size())
                shape = Shapes { (*m_override)[k] };
        }
        return { shape, shape };
    }
    if (node.internal) {
        if (!layer.inner || m_depth >= kMaxNesting)
            return {};
        const Result inner = run(*layer.inner, std::nullopt, m_depth + 1);
        return { inner.inputs, inner.outputs };
    }
    const std::optional<Shapes> inputs = gather(node.inbound);
    if (!inputs)
        return {};
    if (layer.inner) {
        if (m_depth >= kMaxNesting)
            return { inputs, std::nullopt };
        return { inputs, run(*layer.inner, inputs, m_depth + 1).outputs };
    }
    if (!layer.config)
        return { inputs, std::nullopt };
    return { inputs, layerOutputShapes(layer.className, *layer.config, *inputs) };
}

} // namespace tfjs::keras

#include "weightassignment.h"

#include <algorithm>

namespace tfjs::keras {

namespace {

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

} // namespace

WeightAssignment assignWeights(const Model &model, const std::vector<WeightSpec> &specs)
{
    std::map<std::string, Placement> placements;
    placeLayers(model, {}, placements, 0);
    WeightAssignment assignment;
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
            LayerWeights &counts = assignment.byLayer[layer];
            counts.params += n;
            (trainable ? counts.trainable : counts.nonTrainable) += n;
            counts.weights.push_back(spec.name);
        }
    }
    return assignment;
}

} // namespace tfjs::keras

#pragma once

// The order summarizeLayers (layersummary.h) lists a model's layers in. Internal to the
// inspection area; exposed in a header for unit tests.

#include "inspect/kerasmodel.h"

#include <cstddef>
#include <set>
#include <utility>
#include <vector>

namespace tfjs::keras {

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

// The walk for `model`: a Sequential's layers as listed (its synthetic input left out, every
// node but a nested model's internal one relevant); otherwise TF.js's depth-first walk from
// the outputs, layers by decreasing depth and, at one depth, in discovery order.
GraphOrder graphOrder(const Model &model);

} // namespace tfjs::keras

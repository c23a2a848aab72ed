#pragma once

// Which layer owns each model weight, for summarizeLayers (layersummary.h). Internal to the
// inspection area; exposed in a header for unit tests.

#include "inspect/kerasmodel.h"
#include "format/weightspec.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tfjs::keras {

// What is assigned to one layer.
struct LayerWeights
{
    std::int64_t params = 0;
    std::int64_t trainable = 0;
    std::int64_t nonTrainable = 0;
    std::vector<std::string> weights; // names, in spec order
};

struct WeightAssignment
{
    std::map<const Layer *, LayerWeights> byLayer;
    std::vector<std::string> unassigned; // weights whose names match no layer
    std::int64_t unassignedParams = 0;
};

// Assigns the model weights of `specs` (group != "optimizer") to the layers of `model` (and
// its nested models) by name, as tfjs-layers names them: the top-level layer is the first
// path component that names a layer, the owner the deepest component naming a layer under
// it; the weight counts for the owner and every layer above it. Trainable unless a layer on
// that chain is not, or it is a BatchNormalization's moving mean or variance. Where a name is
// used at two depths, it means the outer layer.
WeightAssignment assignWeights(const Model &model, const std::vector<WeightSpec> &specs);

} // namespace tfjs::keras

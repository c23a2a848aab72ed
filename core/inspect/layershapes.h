#pragma once

#include "base/json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tfjs {

// A Keras tensor shape: a dimension is unknown (null) when nullopt, the batch usually is.
using Dim = std::optional<std::int64_t>;
using Shape = std::vector<Dim>;
using Shapes = std::vector<Shape>;

// The output shapes of a (non-model) Keras layer of class `className` and `config` applied to
// tensors of `inputs`, as tfjs-layers' computeOutputShape computes them; nullopt when the class
// is not known here or the result is not certain (an input shape unknown where it matters, an
// inconsistent config). Element-wise layers, Dense, convolutions and pooling (1D/2D/3D,
// transposed, depthwise, separable), global pooling, Flatten, Reshape, Permute, RepeatVector,
// padding/cropping/upsampling 2D, Embedding, SimpleRNN/GRU/LSTM, Bidirectional,
// TimeDistributed and the merge layers are known.
std::optional<Shapes> layerOutputShapes(const std::string &className, const Json &config,
                                        const Shapes &inputs);

// A shape read from Keras JSON ([null, 3]); nullopt unless an array of integers and nulls.
std::optional<Shape> shapeFromJson(const Json &json);
Json shapeToJson(const Shape &shape);
// A list of shapes as JSON; null when not known.
Json shapesToJson(const std::optional<Shapes> &shapes);
// JSON.stringify of the shape: "[null,3]".
std::string shapeText(const Shape &shape);

} // namespace tfjs

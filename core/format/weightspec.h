#pragma once

#include "dtype.h"
#include "base/error.h"
#include "base/json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tfjs {

struct Quantization
{
    QuantDType dtype = QuantDType::UInt8;
    std::optional<double> min;   // required for uint8/uint16
    std::optional<double> scale; // required for uint8/uint16
};

// One entry of a weights manifest group: {name, shape, dtype, group?, quantization?}.
struct WeightSpec
{
    std::string name;
    std::vector<std::int64_t> shape; // [] is a scalar
    DType dtype = DType::Float32;
    std::optional<std::string> group; // "model" | "optimizer" | other
    std::optional<Quantization> quantization;
    // The entry exactly as read (key order and unknown keys); null for specs built in code.
    Json json;

    // Number of elements: product of shape (1 for a scalar). Validated to fit in int64.
    std::int64_t elementCount() const;
    // Bytes on disk; -1 for string tensors (only known by walking the length prefixes).
    std::int64_t byteSize() const;
    // The JSON TF.js would write: `json` when read from a file, else built in TF.js key order.
    Json toJson() const;
};

// "[2,3]", as shapes appear in messages.
QString shapeText(const std::vector<std::int64_t> &shape);

// The element count of a spec built in code (parsed specs are validated): a Format error
// naming the tensor when a dimension is negative or the count overflows int64.
[[nodiscard]] Result<std::int64_t> checkedElementCount(const WeightSpec &spec);

// Parses and validates one manifest entry. `index` is used in messages.
// Checks: object, string name, shape of non-negative safe integers whose element count does
// not overflow, known dtype, quantization {dtype known, min/scale numbers when uint8/uint16,
// float16 only on float32, quantized base dtype float32 or int32}.
[[nodiscard]] Result<WeightSpec> parseWeightSpec(const Json &entry, const QString &where);

// Bounds on what a manifest may list, far above real models (TF.js writes a few hundred shards
// and tensors at most), so that a hostile one cannot make us open a million files or allocate
// for a million specs before any of them is read.
inline constexpr std::size_t kMaxWeightFiles = 100000;
inline constexpr std::size_t kMaxWeights = 1000000;

// Parses a flat weightSpecs array (as stores and local storage keep it), at most kMaxWeights.
[[nodiscard]] Result<std::vector<WeightSpec>> parseWeightSpecs(const Json &specs, const QString &where);

struct WeightsGroup
{
    std::vector<std::string> paths;
    std::vector<WeightSpec> weights;
};
using WeightsManifest = std::vector<WeightsGroup>;

// Parses a manifest array ([{paths, weights}...]); rejects duplicate weight names and more than
// kMaxWeightFiles paths or kMaxWeights weights in all.
[[nodiscard]] Result<WeightsManifest> parseWeightsManifest(const Json &manifest, const QString &where);
Json weightsManifestToJson(const WeightsManifest &manifest);

// The flat spec list TF.js calls weightSpecs (all groups concatenated).
std::vector<WeightSpec> flatSpecs(const WeightsManifest &manifest);
Json specsToJson(const std::vector<WeightSpec> &specs);

// Checks a manifest shard path for loading from a folder: not empty, not absolute, no "..",
// no NUL, no backslash drive tricks, not a URL. The error names the shard.
[[nodiscard]] Result<void> checkRelativeShardPath(const std::string &path, const QString &modelFile);

} // namespace tfjs

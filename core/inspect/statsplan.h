#pragma once

// How computeWeightStats (weightstats.h) turns one tensor into units of work: how its bytes
// become values, and the items it is cut into. Internal to the inspection area; exposed in a
// header for the other statistics files and their unit tests.

#include "io/bytesource.h"
#include "base/error.h"
#include "inspect/statskernels.h"
#include "format/weightlayout.h"
#include "format/weightspec.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace tfjs::stats {

// How a tensor's bytes become values.
enum class Kind {
    Float32, // raw float32 (complex64: its float32 components)
    Int32, // raw int32, as doubles
    FloatTable, // 1- or 2-byte codes looked up in a float table (uint8/uint16/float16 -> float32)
    DoubleTable, // 1- or 2-byte codes looked up in a double table (bool, quantized int32)
    String, // no numeric values
};

// A contiguous run of one tensor's values, the unit a worker takes.
struct Item
{
    qint64 offset = 0; // bytes, in the weight data
    qint64 bytes = 0;
    std::int64_t values = 0;
    Moments moments;
    bool hasNonFinite = false;
    CompensatedSum m2;
    ByteSource::View held; // kept between the passes when the tensor is held
};

// One tensor: how to read it, its items, where the passes over it stand and its results.
struct Plan
{
    std::size_t index = 0; // in the flat spec list
    Kind kind = Kind::Float32;
    int codeWidth = 0; // table kinds: bytes per code
    std::vector<float> floatTable;
    std::vector<double> doubleTable;
    TensorExtent layout; // from checkWeightLayout
    std::int64_t values = 0;
    std::vector<Item> items;
    bool hold = false; // items' bytes stay mapped between the passes
    // StatsOptions::histogramRange: the histogram's bins span this instead of [min, max].
    std::optional<std::pair<double, double>> histogramRange;

    // Scheduling state (guarded by the scheduler's mutex).
    std::size_t nextPass1 = 0;
    std::size_t donePass1 = 0;
    std::size_t nextPass2 = 0;
    std::size_t donePass2 = 0;
    bool pass2Ready = false;
    SpreadParams params;
    // Results.
    Moments moments;
    CompensatedSum m2;
    bool constant = false; // every finite value equal: mean is exact, std 0
    std::vector<std::int64_t> counts;
};

// The plan of tensor `index`, `spec`, which lies at `extent` of `source` (the weight layout's
// entry for it): raw float32/int32 values, or for quantized and bool tensors a table of every
// code decoded as the codec decodes tensors; cut into items of at most `chunkBytes` that do
// not cross a segment boundary of `source`, except for the one value a boundary may split
// (shards can end inside a value). Held when the tensor's bytes are at most `holdBytes`.
// Errors: a quantization the codec refuses (its error), or values statistics cannot handle
// (Unsupported, naming the tensor).
[[nodiscard]] Result<Plan> planTensor(std::size_t index, const WeightSpec &spec, const TensorExtent &extent,
    const ByteSource &source, qint64 chunkBytes, qint64 holdBytes);

// Bytes one value takes in the weight data (0 for strings).
int valueWidth(const Plan &plan);

} // namespace tfjs::stats

#pragma once

#include "format/artifacts.h"
#include "base/error.h"
#include "base/json.h"

#include <QStringList>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace tfjs {

class JobContext;

// Statistics over the values TF.js's decodeWeights produces (dequantized, float16 widened,
// bool as 0/1 bytes, complex64 as its re/im float components). Sums are in float64 and
// compensated; everything except the counts is over the finite values only.
struct ValueStats
{
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

    std::int64_t count = 0;  // values (complex64: 2 per element)
    std::int64_t finite = 0;
    std::int64_t nan = 0;
    std::int64_t posInf = 0;
    std::int64_t negInf = 0;
    std::int64_t zeros = 0;  // +0 and -0
    double min = kNone;      // finite min/max/mean/std/meanAbs: kNone when finite == 0
    double max = kNone;
    double mean = kNone;
    double std = kNone;      // population standard deviation
    double meanAbs = kNone;
    double l2 = 0;           // sqrt(sum x^2) over finite values

    // Fraction of zeros among all values (0 for an empty range).
    double sparsity() const { return count > 0 ? double(zeros) / double(count) : 0.0; }
    Json toJson() const;
};

// Equal-width bins over [min, max] of the finite values. The bin of x is
// min(bins - 1, floor((x - min) * (bins / (max - min)))) in float64; when min == max every
// finite value is in bin 0.
struct Histogram
{
    double min = 0;
    double max = 0;
    std::vector<std::int64_t> counts;
    Json toJson() const;
};

struct TensorStats
{
    std::size_t index = 0; // in the flat spec list
    std::string name;
    std::vector<std::int64_t> shape;
    DType dtype = DType::Float32;
    std::optional<std::string> group;
    std::optional<Quantization> quantization;
    // Quantized tensors: the spacing of representable values (the scale for uint8/uint16; for
    // float16 the spacing at the largest finite magnitude). kNone otherwise.
    double step = ValueStats::kNone;
    qint64 offset = 0; // in the concatenated weight data
    qint64 bytes = 0;  // on disk
    bool numeric = true; // string tensors: only values.count and bytes
    ValueStats values;
    std::optional<Histogram> histogram; // numeric, bins > 0 and at least one finite value
    Json toJson() const;
};

struct WeightStats
{
    int bins = 0;
    std::vector<TensorStats> tensors;
    // Over all float32 tensors (dequantized ones included) outside group "optimizer", and over
    // those in it. Tensors counts how many tensors each covers.
    ValueStats model;
    int modelTensors = 0;
    ValueStats optimizer;
    int optimizerTensors = 0;
    qint64 bytes = 0; // weight bytes the statistics cover
    Json toJson() const;
};

struct StatsOptions
{
    int bins = 20;          // 0: no histograms; at most kMaxBins
    QStringList tensors;    // only these tensors (by exact name); empty: all
    int threads = 0;        // 0: one per core
    qint64 chunkBytes = 4 << 20;  // unit of work
    qint64 holdBytes = 64 << 20;  // bytes kept mapped between the two passes over tensors
    // Histograms binned over [first, second] instead of each tensor's own [min, max] (widened
    // where a tensor's values fall outside), so two tensors' histograms share their bins: the
    // union of their ranges, from a first run without bins.
    std::optional<std::pair<double, double>> histogramRange;

    static constexpr int kMaxBins = 100000;
};

// Computes the statistics of every tensor of loaded artifacts (any scheme) in two streaming
// passes per tensor over bounded windows of the weight data, spread over worker threads that
// all end before it returns. Progress: the weight bytes covered, each counted once (0 to
// WeightStats::bytes, whatever passes a tensor needs), and tensors.
// Errors: bad options (InvalidArgument), an unknown --tensor name (NotFound), no weight specs
// (Format), weight data that disagrees with the specs (Weights, from checkWeightLayout), I/O
// errors, cancellation (cancelledError()).
[[nodiscard]] Result<WeightStats> computeWeightStats(const ModelArtifacts &artifacts, const StatsOptions &options,
                                       JobContext &ctx);

} // namespace tfjs

#pragma once

// The weight half of diffModels (modeldiff.h): tensors matched by name and compared value by
// value as TF.js decodes them, streamed over both models' weight data on worker threads.

#include "base/error.h"
#include "base/json.h"
#include "format/artifacts.h"

#include <QByteArray>
#include <QStringList>

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace tfjs {

class JobContext;

// One tensor of A, of B, or of both (matched by name, or by identical values when renamed).
struct TensorDiff
{
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    enum class Status { Identical, Changed, Added, Removed, Renamed };

    Status status = Status::Identical;
    std::string name; // A's name (B's for Added)
    std::string newName; // Renamed: B's name
    std::optional<WeightSpec> a; // absent for Added
    std::optional<WeightSpec> b; // absent for Removed
    // Values compared: both numeric or both strings, with the same shape and value count.
    bool compared = false;
    std::int64_t values = 0; // values compared (complex64: 2 per element)
    std::int64_t changed = 0; // values that differ (NaN equals NaN; -0 equals +0)
    std::int64_t nonFinite = 0; // differing pairs where a value is NaN or +-Inf
    // Over the pairs where both values are finite (numeric tensors only); kNone otherwise.
    double maxAbs = kNone; // max |a - b|
    double meanAbs = kNone; // mean |a - b|
    double relativeL2 = kNone; // ||a - b|| / ||a|| (Inf when ||a|| is 0 and a != b)
    double cosine = kNone; // a.b / (||a|| ||b||); kNone when either norm is 0
    // Sums behind the totals.
    double sumAbs = 0;
    double sumSquaredDiff = 0;
    double sumSquaredA = 0;
    std::int64_t finitePairs = 0;

    bool shapeChanged() const;
    bool dtypeChanged() const;
    // "float32", or "uint8>float32" for a quantized tensor.
    static std::string encoding(const WeightSpec &spec);
    Json toJson() const;
};

struct WeightDiffOptions
{
    QStringList tensors; // only these names (in A or B); empty: all
    int threads = 0; // 0: one per core
    qint64 chunkBytes = 4 << 20;
};

// Tensors of A in A's order (Removed or matched), then B's tensors A lacks (Added). An
// Added/Removed pair whose shapes and values are equal (SHA-256 of the decoded values) is
// one Renamed entry. Progress: the weight bytes read from both models.
// Errors: an unknown --tensor name (NotFound), weight data that disagrees with the specs
// (Weights, naming the model "A"/"B"), I/O errors, cancellation.
[[nodiscard]] Result<std::vector<TensorDiff>> diffWeights(const ModelArtifacts &a,
    const ModelArtifacts &b, const WeightDiffOptions &options, JobContext &ctx);

} // namespace tfjs

#pragma once

#include "base/error.h"
#include "io/weightdata.h"
#include "weightspec.h"

#include <functional>
#include <vector>

namespace tfjs {

class JobContext;

// Streams the concatenated weight data and hands each tensor's bytes, whole, to `visit`
// (specs in manifest order). Memory stays bounded by the largest tensor plus one chunk.
// The layout is checked first (checkWeightLayout: a tensor cut short, a string length prefix
// past the end, trailing bytes), so broken data is an error before any tensor is visited;
// then read errors, cancellation, or a visitor error, which stops the walk and is returned.
struct TensorBytes
{
    const WeightSpec &spec;
    std::size_t index;
    qint64 offset; // in the concatenated weight data
    const char *data;
    qint64 size;
};
using TensorVisitor = std::function<Result<void>(const TensorBytes &tensor)>;

[[nodiscard]] Result<void> walkTensors(const std::vector<WeightSpec> &specs, const WeightData &data,
                         const TensorVisitor &visit, JobContext *ctx = nullptr);

} // namespace tfjs

#pragma once

#include "artifacts.h"
#include "base/error.h"
#include "io/weightdata.h"
#include "weightspec.h"

#include <vector>

namespace tfjs {

class JobContext;

// Where one tensor lies in the concatenated weight data.
struct TensorExtent
{
    qint64 offset = 0;
    qint64 bytes = 0;
};
using WeightLayout = std::vector<TensorExtent>;

// The one rule for weight data against its specs, applied by every load that reads weights,
// by every save before it writes, and by the readers (validate, stats, the codec): the tensors
// lie back to back in spec order and fill the data exactly. String tensors are walked by their
// uint32 length prefixes through windows of the data (only the prefixes' pages are read;
// nothing is decoded); numeric tensors are sized from their specs without reading.
// Errors (ErrorCode::Weights, naming the tensor and its byte offset, the path and shard of the
// last shard): a tensor cut short, a length prefix that is missing or says more bytes than
// remain, bytes after the last tensor; an I/O error reading a prefix; cancelledError() when
// `ctx` is cancelled. `where` names the model in messages ("The weight files of <where>");
// empty: "The weight data". `firstOffset` is where `data` starts in the model's weight data
// (the codec checks one tensor's bytes), for offsets in messages.
[[nodiscard]] Result<WeightLayout> checkWeightLayout(const std::vector<WeightSpec> &specs, const WeightData &data,
    const QString &where = {}, JobContext *ctx = nullptr, qint64 firstOffset = 0);

// The rule as every save applies it before writing: the artifacts' specs (none when absent)
// against their weight data.
[[nodiscard]] Result<void> checkWeightLayout(const ModelArtifacts &artifacts, JobContext *ctx = nullptr);

// The part of that rule that needs no weight bytes, for data that cannot be read (an HTTP
// `info` knows the shards' sizes only): numeric tensors exactly, string tensors as at least
// their 4-byte length prefixes, and the exact total only when no tensor is a string.
[[nodiscard]] Result<void> checkWeightSizes(const std::vector<WeightSpec> &specs, const WeightData &data,
    const QString &where = {}, qint64 firstOffset = 0);

} // namespace tfjs

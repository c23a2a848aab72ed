#pragma once

#include "artifacts.h"
#include "base/error.h"
#include "base/json.h"

#include <QStringList>

#include <limits>
#include <string>
#include <vector>

namespace tfjs {

class JobContext;

struct QuantizeOptions
{
    QuantDType dtype = QuantDType::UInt8;
    QStringList only; // fnmatch globs on tensor names; empty: every tensor
    QStringList skip; // fnmatch globs of tensors to leave as they are
    // Only the report (a preview): nothing is spooled and the result's artifacts have the
    // quantized specs but no weight data.
    bool reportOnly = false;
    // Where the quantized bytes are spooled (a nameless temporary file); the system's
    // temporary folder when empty.
    QString spoolFolder;
};

// What happened to one tensor.
struct TensorQuantization
{
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

    std::string name;
    bool quantized = false;
    std::string reason; // why not: "int32", "already uint8", "skipped", "non-finite values", ...
    qint64 bytesBefore = 0;
    qint64 bytesAfter = 0;
    std::optional<Quantization> quantization;
    // Between the float32 values and what TF.js decodes from the quantized bytes.
    double maxAbs = kNone;
    double meanAbs = kNone;
    double relativeL2 = kNone; // ||q - x|| / ||x||; 0/0 is 0
    Json toJson() const;
};

struct QuantizeResult
{
    ModelArtifacts artifacts; // the quantized model, one weights group, ready to save
    std::vector<TensorQuantization> tensors;
    qint64 bytesBefore = 0;
    qint64 bytesAfter = 0;
    Json toJson() const;
};

// Quantizes the float32 tensors of `source` the way tfjs-converter's --quantize_uint8/uint16/
// float16 does (quantizeAffine/quantizeFloat16, the converter's rules; only float32 tensors
// whose names match `only` and no `skip` glob, as the converter's fnmatch). int32, bool,
// string and complex64 tensors, tensors already quantized and tensors holding NaN or +-Inf
// (the converter would write NaN ranges) are kept byte for byte, with the reason. The weights
// are streamed tensor by tensor (walkTensors) and the quantized bytes are written to a spool
// file as they come, so memory stays bounded by the largest tensor whatever the model's size;
// the result's weight data refers to the spool for the tensors quantized and to the source's
// data for the tensors kept.
// Errors: weight data that disagrees with the specs, I/O errors (the spool), cancellation.
[[nodiscard]] Result<QuantizeResult> quantizeModel(
    const ModelArtifacts &source, const QuantizeOptions &options, JobContext &ctx);

} // namespace tfjs

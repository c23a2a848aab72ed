#include "validate.h"

#include "codec.h"
#include "base/job.h"
#include "tensorwalk.h"

#include <cmath>

namespace tfjs {

namespace {

// Counts NaN and infinite values of a decoded float tensor (complex64 counts both parts).
std::pair<qint64, qint64> nonFinite(const Tensor &tensor)
{
    qint64 nans = 0;
    qint64 infs = 0;
    if (const auto *values = std::get_if<std::vector<float>>(&tensor.values)) {
        for (float v : *values) {
            nans += std::isnan(v);
            infs += std::isinf(v);
        }
    }
    return {nans, infs};
}

} // namespace

Result<ValidationReport> validateArtifacts(const ModelArtifacts &artifacts, JobContext &ctx)
{
    ValidationReport report;
    if (!artifacts.weightSpecs)
        return report;
    const std::vector<WeightSpec> &specs = *artifacts.weightSpecs;
    ctx.setStage(QStringLiteral("Decoding tensors"), artifacts.weightData.size(), int(specs.size()));
    auto walked = walkTensors(
        specs, artifacts.weightData,
        [&report](const TensorBytes &bytes) -> Result<void> {
            auto tensor = decodeTensor(bytes.spec, bytes.data, bytes.size, bytes.offset);
            if (!tensor) {
                report.problems.push_back(tensor.error());
                return {};
            }
            ++report.tensorsDecoded;
            report.bytesRead += bytes.size;
            const auto [nans, infs] = nonFinite(*tensor);
            if (nans || infs)
                report.notes << QStringLiteral("Tensor '%1' holds %2 NaN and %3 infinite values.")
                                    .arg(QString::fromStdString(bytes.spec.name))
                                    .arg(nans)
                                    .arg(infs);
            return {};
        },
        &ctx);
    if (!walked) {
        if (walked.error().isCancelled())
            return fail(walked.error());
        report.problems.push_back(walked.error());
    }
    return report;
}

} // namespace tfjs

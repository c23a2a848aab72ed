#include "quantize.h"

#include "base/job.h"
#include "base/jsonnumber.h"
#include "codec.h"
#include "io/spoolfile.h"
#include "tensorwalk.h"

#include <fnmatch.h>

#include <cmath>
#include <cstring>

namespace tfjs {

namespace {

bool matchesAny(const QStringList &globs, const std::string &name)
{
    for (const QString &glob : globs)
        if (::fnmatch(glob.toUtf8().constData(), name.c_str(), 0) == 0)
            return true;
    return false;
}

// Why a tensor stays as it is; empty when it is quantized.
std::string keepReason(const WeightSpec &spec, const QuantizeOptions &options)
{
    if (spec.quantization)
        return std::string("already ") + quantDTypeName(spec.quantization->dtype);
    if (spec.dtype != DType::Float32)
        return dtypeName(spec.dtype);
    if ((!options.only.isEmpty() && !matchesAny(options.only, spec.name))
        || matchesAny(options.skip, spec.name))
        return "not selected";
    return {};
}

// Error of `decoded` (what TF.js reads back) against `values`.
void measure(
    const std::vector<float> &values, const std::vector<float> &decoded, TensorQuantization &t)
{
    double maxAbs = 0, sumAbs = 0, squaredDiff = 0, squared = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double d = std::fabs(double(decoded[i]) - double(values[i]));
        maxAbs = std::max(maxAbs, d);
        sumAbs += d;
        squaredDiff += d * d;
        squared += double(values[i]) * double(values[i]);
    }
    if (values.empty())
        return;
    t.maxAbs = maxAbs;
    t.meanAbs = sumAbs / double(values.size());
    t.relativeL2 = squared > 0 ? std::sqrt(squaredDiff) / std::sqrt(squared)
                               : (squaredDiff > 0 ? INFINITY : 0.0);
}

// Writes `bytes` at `offset` of the spool, creating it in `folder` first when there is none.
Result<void> spoolBytes(std::shared_ptr<SpoolFile> &spool, qint64 offset, const QByteArray &bytes,
    const QString &folder)
{
    if (!spool) {
        auto made = SpoolFile::create(folder);
        if (!made)
            return fail(made.error());
        spool = std::move(*made);
    }
    return spool->writeAt(offset, bytes.constData(), bytes.size());
}

Error inTensor(Error error, const std::string &name)
{
    error.tensor = QString::fromStdString(name);
    error.message = QStringLiteral("Cannot keep the quantized tensor '%1' in a temporary file: %2")
                        .arg(error.tensor, error.message);
    return error;
}

} // namespace

Json TensorQuantization::toJson() const
{
    Json json { { "name", name }, { "quantized", quantized } };
    if (!quantized)
        json["reason"] = reason;
    json["bytesBefore"] = bytesBefore;
    json["bytesAfter"] = bytesAfter;
    if (quantization) {
        json["dtype"] = quantDTypeName(quantization->dtype);
        if (quantization->min)
            json["min"] = *quantization->min;
        if (quantization->scale)
            json["scale"] = *quantization->scale;
        json["maxAbs"] = finiteOrNull(maxAbs);
        json["meanAbs"] = finiteOrNull(meanAbs);
        json["relativeL2"] = finiteOrNull(relativeL2);
    }
    return json;
}

Json QuantizeResult::toJson() const
{
    Json list = Json::array();
    for (const TensorQuantization &t : tensors)
        list.push_back(t.toJson());
    return Json { { "tensors", list }, { "bytesBefore", bytesBefore },
        { "bytesAfter", bytesAfter } };
}

Result<QuantizeResult> quantizeModel(
    const ModelArtifacts &source, const QuantizeOptions &options, JobContext &ctx)
{
    QuantizeResult result;
    result.artifacts = source;
    result.artifacts.manifest.reset(); // one group, written by the save
    result.artifacts.jsonText.clear();
    result.artifacts.weightData = WeightData();
    if (!source.weightSpecs)
        return result;
    const std::vector<WeightSpec> &specs = *source.weightSpecs;
    std::vector<WeightSpec> out;
    out.reserve(specs.size());
    std::shared_ptr<SpoolFile> spool; // made at the first quantized tensor
    qint64 spooled = 0;
    ctx.setStage(QStringLiteral("Quantizing"), source.weightData.size(), int(specs.size()));
    auto walked = walkTensors(
        specs, source.weightData,
        [&](const TensorBytes &tensor) -> Result<void> {
            WeightSpec spec = tensor.spec;
            TensorQuantization t;
            t.name = spec.name;
            t.bytesBefore = tensor.size;
            t.reason = keepReason(spec, options);
            QByteArray bytes;
            if (t.reason.empty()) {
                std::vector<float> values(std::size_t(tensor.size / 4));
                std::memcpy(values.data(), tensor.data, values.size() * 4);
                const bool finite = std::all_of(
                    values.begin(), values.end(), [](float v) { return std::isfinite(v); });
                if (!finite) {
                    t.reason = "non-finite values";
                } else {
                    QuantizedData q = options.dtype == QuantDType::Float16
                        ? quantizeFloat16(values)
                        : quantizeAffine(values, options.dtype);
                    spec.quantization = q.quantization;
                    spec.json = Json(); // written from the fields, with the quantization
                    auto decoded = decodeTensor(spec, q.bytes.constData(), q.bytes.size(), 0);
                    if (!decoded)
                        return fail(decoded.error());
                    measure(values, std::get<std::vector<float>>(decoded->values), t);
                    t.quantized = true;
                    t.quantization = q.quantization;
                    bytes = std::move(q.bytes);
                }
            }
            t.bytesAfter = t.quantized ? bytes.size() : tensor.size;
            result.bytesBefore += t.bytesBefore;
            result.bytesAfter += t.bytesAfter;
            if (options.reportOnly) {
                // a preview keeps no bytes
            } else if (t.quantized) {
                if (auto written = spoolBytes(spool, spooled, bytes, options.spoolFolder); !written)
                    return fail(inTensor(written.error(), spec.name));
                result.artifacts.weightData.appendSpool(
                    spool, spooled, bytes.size(), QString::fromStdString(spec.name));
                spooled += bytes.size();
            } else { // a kept tensor stays where it is in the source: nothing copied
                result.artifacts.weightData.append(
                    source.weightData.slice(tensor.offset, tensor.size));
            }
            out.push_back(std::move(spec));
            result.tensors.push_back(std::move(t));
            ctx.addBytes(tensor.size);
            ctx.addItems();
            return {};
        },
        &ctx);
    if (!walked)
        return fail(walked.error());
    result.artifacts.weightSpecs = std::move(out);
    return result;
}

} // namespace tfjs

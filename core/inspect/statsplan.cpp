#include "statsplan.h"

#include "format/codec.h"

#include <algorithm>
#include <cstring>

namespace tfjs::stats {

namespace {

Result<void> buildTables(const WeightSpec &spec, Plan &plan)
{
    const bool boolean = !spec.quantization && spec.dtype == DType::Bool;
    const int width = boolean ? 1 : elementSize(spec.quantization->dtype);
    const int codes = width == 1 ? 256 : 65536;
    WeightSpec probe;
    probe.name = spec.name;
    probe.dtype = spec.dtype;
    probe.quantization = spec.quantization;
    probe.shape = { codes };
    QByteArray bytes(qsizetype(codes) * width, Qt::Uninitialized);
    for (int code = 0; code < codes; ++code) {
        if (width == 1) {
            bytes[code] = char(code);
        } else {
            const std::uint16_t value = std::uint16_t(code);
            std::memcpy(bytes.data() + 2 * code, &value, 2);
        }
    }
    // The codec decodes every possible code exactly as it decodes tensors (TF.js's rounding).
    auto decoded = decodeTensor(probe, bytes.constData(), bytes.size());
    if (!decoded)
        return fail(decoded.error());
    plan.codeWidth = width;
    if (const auto *floats = std::get_if<std::vector<float>>(&decoded->values)) {
        plan.kind = Kind::FloatTable;
        plan.floatTable = *floats;
    } else if (const auto *ints = std::get_if<std::vector<std::int32_t>>(&decoded->values)) {
        plan.kind = Kind::DoubleTable;
        plan.doubleTable.assign(ints->begin(), ints->end());
    } else if (const auto *raw = std::get_if<std::vector<std::uint8_t>>(&decoded->values)) {
        plan.kind = Kind::DoubleTable;
        plan.doubleTable.assign(raw->begin(), raw->end());
    } else {
        return fail(ErrorCode::Unsupported,
            QStringLiteral("Tensor '%1' decodes to values statistics cannot handle.")
                .arg(QString::fromStdString(spec.name)));
    }
    return {};
}

void cutItems(Plan &plan, const ByteSource &source, qint64 chunkBytes)
{
    const int width = valueWidth(plan);
    if (width == 0 || plan.values == 0)
        return;
    const qint64 begin = plan.layout.offset;
    const std::int64_t chunkValues = std::max<qint64>(1, chunkBytes / width);
    std::vector<std::int64_t> cuts = { 0, plan.values };
    for (const qint64 boundary : source.boundariesIn(begin, begin + plan.layout.bytes)) {
        const qint64 inside = boundary - begin;
        cuts.push_back(inside / width);
        cuts.push_back((inside + width - 1) / width);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
        for (std::int64_t from = cuts[c]; from < cuts[c + 1]; from += chunkValues) {
            Item item;
            item.values = std::min(chunkValues, cuts[c + 1] - from);
            item.offset = begin + from * width;
            item.bytes = item.values * width;
            plan.items.push_back(std::move(item));
        }
    }
}

} // namespace

int valueWidth(const Plan &plan)
{
    switch (plan.kind) {
    case Kind::Float32:
    case Kind::Int32:
        return 4;
    case Kind::FloatTable:
    case Kind::DoubleTable:
        return plan.codeWidth;
    case Kind::String:
        return 0;
    }
    return 0;
}

Result<Plan> planTensor(std::size_t index, const WeightSpec &spec, const TensorExtent &extent,
    const ByteSource &source, qint64 chunkBytes, qint64 holdBytes)
{
    Plan plan;
    plan.index = index;
    plan.layout = extent;
    if (spec.quantization || spec.dtype == DType::Bool) {
        if (auto built = buildTables(spec, plan); !built)
            return fail(built.error());
    } else if (spec.dtype == DType::String) {
        plan.kind = Kind::String;
    } else {
        plan.kind = spec.dtype == DType::Int32 ? Kind::Int32 : Kind::Float32;
    }
    // complex64: the re and im components are the values.
    if (plan.kind != Kind::String)
        plan.values = spec.elementCount() * (spec.dtype == DType::Complex64 ? 2 : 1);
    plan.hold = plan.layout.bytes <= holdBytes;
    cutItems(plan, source, chunkBytes);
    return plan;
}

} // namespace tfjs::stats

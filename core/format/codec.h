#pragma once

#include "base/error.h"
#include "weightspec.h"

#include <QByteArray>

#include <complex>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tfjs {

// A decoded tensor: the values TF.js's decodeWeights would produce.
struct Tensor
{
    WeightSpec spec;
    // float32 (also dequantized float and float16), int32 (also dequantized int), bool as
    // uint8 0/1, complex64 as interleaved re/im floats, string as raw byte strings.
    std::variant<std::vector<float>, std::vector<std::int32_t>, std::vector<std::uint8_t>,
                 std::vector<std::string>>
        values;
};

// IEEE 754 binary16 -> binary32, exact (subnormals, +-0, +-Inf, NaN), as TF.js's table decode.
float halfToFloat(std::uint16_t half);
// binary32 -> binary16, round to nearest even (what numpy's astype(float16) does).
std::uint16_t floatToHalf(float value);

// Decodes one tensor from exactly its bytes, which checkWeightLayout must accept for the spec
// alone (`baseOffset` = where `data` starts in the weight data, for offsets in messages).
[[nodiscard]] Result<Tensor> decodeTensor(const WeightSpec &spec, const char *data, std::int64_t size,
                            std::int64_t baseOffset = 0);

// Decodes every tensor of `specs` from the concatenated `data`, matching specs by order of the
// manifest (TF.js layout); names must be unique. The layout is checkWeightLayout's: trailing
// or missing bytes are errors naming the tensor and byte offset.
[[nodiscard]] Result<std::vector<Tensor>> decodeWeights(const std::vector<WeightSpec> &specs, const QByteArray &data);

// Encodes tensors as TF.js's encodeWeights does: specs {name, shape, dtype} and the bytes.
// Quantized specs are encoded back to their quantized bytes (inverse of dequantization, as the
// converter quantizes: q = round((x - min) / scale), clipped).
struct EncodedWeights
{
    std::vector<WeightSpec> specs;
    QByteArray data;
};
[[nodiscard]] Result<EncodedWeights> encodeWeights(const std::vector<Tensor> &tensors);

// The converter's affine quantization of float32 values (quantize_weights): computes scale and
// min (nudging min so 0 is exact when min <= 0 <= max), returns the quantization and bytes.
struct QuantizedData
{
    Quantization quantization;
    QByteArray bytes;
};
QuantizedData quantizeAffine(const std::vector<float> &values, QuantDType dtype);
QuantizedData quantizeFloat16(const std::vector<float> &values);

} // namespace tfjs

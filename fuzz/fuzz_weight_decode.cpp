// Weight decoding: a weightSpecs JSON list, a NUL, then the weight bytes. Covers every dtype,
// uint8/uint16/float16 quantization and string tensors' length prefixes; tensors that decode
// are encoded again.
#include "format/codec.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    QByteArrayView rest = fuzz::bytesOf(data, size);
    const auto json = parseJson(fuzz::textOf(fuzz::takeField(rest)), QStringLiteral("weightSpecs"));
    if (!json)
        return 0;
    const auto specs = parseWeightSpecs(*json, QStringLiteral("weightSpecs"));
    if (!specs)
        return 0;
    const auto tensors = decodeWeights(*specs, rest.toByteArray());
    if (tensors)
        (void)encodeWeights(*tensors);
    return 0;
}

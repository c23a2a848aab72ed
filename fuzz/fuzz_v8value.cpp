// V8 ValueSerializer output (Chromium's IndexedDB values after the Blink envelope), with a
// ValueInput over the input so ArrayBuffers are taken as references.
#include "browser/v8value.h"
#include "browser/valueinput.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    ValueInput input(bytes);
    (void)decodeV8Value(bytes, QStringLiteral("value"), &input);
    (void)decodeV8Value(bytes, QStringLiteral("value"));
    return 0;
}

// Firefox IndexedDB keys (firefoxkey.h); a key that decodes encodes back to the same bytes.
#include "browser/firefoxkey.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QByteArrayView key = fuzz::bytesOf(data, size);
    if (const auto text = decodeFirefoxStringKey(key, QStringLiteral("key")))
        (void)encodeFirefoxStringKey(*text);
    return 0;
}

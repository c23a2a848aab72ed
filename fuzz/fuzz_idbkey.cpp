// Chromium IndexedDB LevelDB keys and blob lists (idbkey.h): every decoder on the whole input,
// and the string decoders again on what follows a prefix.
#include "browser/idbkey.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QByteArrayView key = fuzz::bytesOf(data, size);
    if (const auto prefix = decodeIdbPrefix(key)) {
        const QByteArrayView rest = key.sliced(prefix->second);
        (void)decodeIdbStringKey(rest);
        (void)decodeIdbBlobList(rest);
    }
    (void)decodeIdbStringKey(key);
    (void)decodeIdbDatabaseNameKey(key);
    (void)decodeIdbStoreNameKey(key);
    (void)decodeIdbBlobList(key);
    (void)decodeUtf16Be(key);
    return 0;
}

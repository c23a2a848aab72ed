// Chromium's compressed values: raw snappy (LevelDB backend) and zstd frames (SQLite backend),
// through Debian's libsnappy and libzstd with our size checks around them.
#include "browser/decompress.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    (void)snappyUncompress(bytes, QStringLiteral("value"), 0);
    (void)zstdUncompress(bytes, QStringLiteral("value"), 0);
    return 0;
}

// Snappy: raw blocks and the framing format (Firefox's .snappy values), whole and chunk by
// chunk as FramedValueInput reads them.
#include "browser/snappydecode.h"

#include "fuzzinput.h"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    const QString where = QStringLiteral("value");
    (void)snappyUncompress(bytes, where);
    (void)snappyUnframe(bytes, where);
    const auto chunks = snappyFrameChunks(bytes, where);
    if (!chunks)
        return 0;
    for (const SnappyChunk &chunk : *chunks) {
        if (chunk.outSize > (1 << 20))
            continue;
        // One byte more: an empty chunk still gets a real pointer, as every caller passes.
        std::vector<char> out(std::size_t(chunk.outSize) + 1);
        (void)snappyChunkInto(bytes, chunk, out.data(), where);
    }
    return 0;
}

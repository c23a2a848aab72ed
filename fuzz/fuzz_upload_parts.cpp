// The model server's uploads after libmicrohttpd's multipart parser: the parts as it hands
// them to UploadSpool (name, offset, bytes), then the model they make. The input is a list of
// fields separated by NUL: a part name, then its bytes; each part arrives in two pieces.
#include "serve/uploadspool.h"

#include "fuzzinput.h"

#include <QDir>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    QByteArrayView rest = fuzz::bytesOf(data, size);
    UploadSpool spool(QDir::tempPath(), 1 << 20);
    while (!rest.isEmpty()) {
        const QByteArray name = fuzz::takeField(rest).toByteArray();
        const QByteArrayView part = fuzz::takeField(rest);
        const qsizetype half = part.size() / 2;
        if (!spool.add(name, 0, part.data(), half)
            || !spool.add(name, quint64(half), part.data() + half, part.size() - half))
            return 0;
    }
    (void)spool.finish(QStringLiteral("indexeddb://fuzz"));
    return 0;
}

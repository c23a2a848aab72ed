// HTTP/1.x answers as UploadReply reads them (ResponseParser): the input whole, then again in
// 7-byte pieces, then the connection closes.
#include "http/responseparser.h"

#include "fuzzinput.h"

namespace {

void parse(QByteArrayView raw, qsizetype step)
{
    tfjs::ResponseParser parser;
    for (qsizetype at = 0; at < raw.size(); at += step) {
        if (!parser.feed(raw.sliced(at, std::min(step, raw.size() - at)).toByteArray()))
            return;
    }
    if (!parser.isComplete())
        parser.connectionClosed();
    (void)parser.takeBody();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView raw = tfjs::fuzz::bytesOf(data, size);
    if (raw.isEmpty())
        return 0;
    parse(raw, raw.size());
    parse(raw, 7);
    return 0;
}

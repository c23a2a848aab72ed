#include "snappydecode.h"

#include <snappy.h>

#include <cstring>
#include <limits>

namespace tfjs {

namespace {

constexpr qsizetype kMaxChunkData = 65536; // uncompressed bytes per chunk, by the format
constexpr quint8 kCompressed = 0x00;
constexpr quint8 kUncompressed = 0x01;
constexpr quint8 kStreamIdentifier = 0xff;
constexpr quint8 kFirstSkippable = 0x80;
constexpr qsizetype kCrcSize = 4;
const QByteArrayView kMagic("sNaPpY");
// The most a raw block can expand: a 3-byte copy element writes at most 64 bytes, and nothing
// writes more per byte, so a block claiming more than this many times its size is refused
// before its output is allocated.
constexpr qsizetype kMaxExpansion = 22;

Error snappyError(const QString &where, const QString &message, qint64 offset)
{
    Error error{ErrorCode::Format, QStringLiteral("%1: %2").arg(where, message)};
    error.path = where;
    error.offset = offset;
    return error;
}

// Appends the uncompressed bytes of one raw block; false when it is not valid snappy.
bool appendUncompressed(QByteArrayView block, QByteArray &out, qsizetype limit, size_t &length)
{
    if (!snappy::GetUncompressedLength(block.data(), size_t(block.size()), &length))
        return false;
    if (length > size_t(limit))
        return false;
    const qsizetype start = out.size();
    out.resize(start + qsizetype(length));
    return snappy::RawUncompress(block.data(), size_t(block.size()), out.data() + start);
}

} // namespace

Result<QByteArray> snappyUncompress(QByteArrayView data, const QString &where)
{
    size_t claimed = 0;
    if (snappy::GetUncompressedLength(data.data(), size_t(data.size()), &claimed)
        && claimed > size_t(data.size()) * kMaxExpansion)
        return fail(snappyError(where,
                                QStringLiteral("the %1 snappy-compressed bytes claim %2 "
                                               "uncompressed bytes, more than %3 times their "
                                               "size, which snappy never writes.")
                                    .arg(data.size())
                                    .arg(qulonglong(claimed))
                                    .arg(kMaxExpansion),
                                0));
    QByteArray out;
    size_t length = 0;
    // QByteArray's own limit bounds what a block may claim.
    const qsizetype limit = std::numeric_limits<int>::max() - 64;
    if (!appendUncompressed(data, out, limit, length))
        return fail(snappyError(where,
                                QStringLiteral("the %1 bytes are not valid snappy-compressed "
                                               "data (or claim %2 bytes).")
                                    .arg(data.size())
                                    .arg(qulonglong(length)),
                                0));
    return out;
}

Result<std::vector<SnappyChunk>> snappyFrameChunks(QByteArrayView data, const QString &where)
{
    std::vector<SnappyChunk> chunks;
    qint64 out = 0;
    qsizetype pos = 0;
    bool identified = false;
    while (pos < data.size()) {
        if (data.size() - pos < 4)
            return fail(snappyError(where,
                                    QStringLiteral("the snappy stream is truncated at byte %1: a "
                                                   "chunk header needs 4 bytes, %2 left.")
                                        .arg(pos)
                                        .arg(data.size() - pos),
                                    pos));
        const quint8 type = quint8(data[pos]);
        const qsizetype length = qsizetype(quint8(data[pos + 1]))
                                 | (qsizetype(quint8(data[pos + 2])) << 8)
                                 | (qsizetype(quint8(data[pos + 3])) << 16);
        const qsizetype body = pos + 4;
        if (data.size() - body < length)
            return fail(snappyError(where,
                                    QStringLiteral("the snappy stream is truncated: the chunk at "
                                                   "byte %1 needs %2 bytes, %3 left.")
                                        .arg(pos)
                                        .arg(length)
                                        .arg(data.size() - body),
                                    pos));
        const QByteArrayView chunk = data.sliced(body, length);
        if (!identified && type != kStreamIdentifier)
            return fail(snappyError(where,
                                    QStringLiteral("not a snappy framed stream: it starts with "
                                                   "chunk type 0x%1, not the stream identifier.")
                                        .arg(type, 2, 16, QLatin1Char('0')),
                                    0));
        if (type == kStreamIdentifier) {
            if (chunk != kMagic)
                return fail(snappyError(where,
                                        QStringLiteral("the snappy stream identifier at byte %1 "
                                                       "is not \"sNaPpY\".")
                                            .arg(pos),
                                        pos));
            identified = true;
        } else if (type == kCompressed || type == kUncompressed) {
            if (length < kCrcSize)
                return fail(snappyError(where,
                                        QStringLiteral("the snappy chunk at byte %1 is %2 bytes, "
                                                       "too short for its checksum.")
                                            .arg(pos)
                                            .arg(length),
                                        pos));
            const QByteArrayView payload = chunk.sliced(kCrcSize);
            size_t produced = size_t(payload.size());
            if (type == kCompressed
                && !snappy::GetUncompressedLength(payload.data(), size_t(payload.size()),
                                                  &produced))
                return fail(snappyError(where,
                                        QStringLiteral("the compressed snappy chunk at byte %1 "
                                                       "is corrupt.")
                                            .arg(pos),
                                        pos));
            if (produced > size_t(kMaxChunkData))
                return fail(snappyError(where,
                                        QStringLiteral("the snappy chunk at byte %1 holds %2 "
                                                       "bytes, more than 65536.")
                                            .arg(pos)
                                            .arg(qulonglong(produced)),
                                        pos));
            chunks.push_back({body + kCrcSize, payload.size(), out, qint64(produced),
                              type == kCompressed});
            out += qint64(produced);
        } else if (type < kFirstSkippable) {
            return fail(snappyError(where,
                                    QStringLiteral("the snappy stream has a chunk of reserved "
                                                   "type 0x%1 at byte %2, which cannot be read.")
                                        .arg(type, 2, 16, QLatin1Char('0'))
                                        .arg(pos),
                                    pos));
        } // 0x80-0xfe: padding and skippable chunks
        pos = body + length;
    }
    if (!identified)
        return fail(snappyError(where, QStringLiteral("the snappy stream is empty."), 0));
    return chunks;
}

Result<void> snappyChunkInto(QByteArrayView data, const SnappyChunk &chunk, char *out,
                             const QString &where)
{
    const QByteArrayView payload = data.sliced(chunk.in, chunk.inSize);
    if (!chunk.compressed) {
        std::memcpy(out, payload.data(), size_t(chunk.outSize));
        return {};
    }
    if (!snappy::RawUncompress(payload.data(), size_t(payload.size()), out))
        return fail(snappyError(where,
                                QStringLiteral("the compressed snappy chunk at byte %1 is "
                                               "corrupt.")
                                    .arg(chunk.in - kCrcSize - 4),
                                chunk.in - kCrcSize - 4));
    return {};
}

Result<QByteArray> snappyUnframe(QByteArrayView data, const QString &where)
{
    auto chunks = snappyFrameChunks(data, where);
    if (!chunks)
        return fail(chunks.error());
    const qint64 total = chunks->empty() ? 0 : chunks->back().out + chunks->back().outSize;
    if (total > std::numeric_limits<int>::max() - 64)
        return fail(snappyError(where,
                                QStringLiteral("the snappy stream uncompresses to %1 bytes, "
                                               "more than can be held.")
                                    .arg(total),
                                0));
    QByteArray out(qsizetype(total), Qt::Uninitialized);
    for (const SnappyChunk &chunk : *chunks)
        if (auto into = snappyChunkInto(data, chunk, out.data() + chunk.out, where); !into)
            return fail(into.error());
    return out;
}

} // namespace tfjs

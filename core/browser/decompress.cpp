#include "browser/decompress.h"

#include <zstd.h>

namespace tfjs {

namespace {

constexpr quint64 kMaxUncompressed = quint64(1) << 30;
// The most a zstd frame expands: each block has a 3-byte header and at least one byte (an RLE
// block) and writes at most 128 KiB, so a frame claiming more than this many times its size
// is refused before its output is allocated.
constexpr quint64 kMaxZstdExpansion = (128 << 10) / 4;

std::unexpected<Error> corrupt(const QString &where, const QString &what, qint64 offset)
{
    Error error{ErrorCode::Format,
                QStringLiteral("%1: %2 (from byte %3).").arg(where, what).arg(offset)};
    error.path = where;
    error.offset = offset;
    return std::unexpected(error);
}

} // namespace

Result<QByteArray> snappyUncompress(QByteArrayView compressed, const QString &where, qint64 offset)
{
    // The one libsnappy wrapper (snappydecode.h); this adds the offset Chromium's values need.
    auto plain = snappyUncompress(compressed, where);
    if (!plain || quint64(plain->size()) > kMaxUncompressed)
        return corrupt(where, QStringLiteral("the snappy-compressed value is corrupt"), offset);
    return plain;
}

Result<QByteArray> zstdUncompress(QByteArrayView compressed, const QString &where, qint64 offset)
{
    const unsigned long long length
        = ZSTD_getFrameContentSize(compressed.data(), size_t(compressed.size()));
    if (length == ZSTD_CONTENTSIZE_ERROR || length == ZSTD_CONTENTSIZE_UNKNOWN
        || length > kMaxUncompressed)
        return corrupt(where, QStringLiteral("the zstd-compressed value has no valid frame size"),
                       offset);
    if (length > quint64(compressed.size()) * kMaxZstdExpansion)
        return corrupt(where,
                       QStringLiteral("the %1 zstd-compressed bytes claim %2 uncompressed bytes, "
                                      "more than %3 times their size, which zstd never writes")
                           .arg(compressed.size())
                           .arg(length)
                           .arg(kMaxZstdExpansion),
                       offset);
    QByteArray plain(qsizetype(length), Qt::Uninitialized);
    const size_t written = ZSTD_decompress(plain.data(), size_t(plain.size()), compressed.data(),
                                           size_t(compressed.size()));
    if (ZSTD_isError(written) || written != length)
        return corrupt(where, QStringLiteral("the zstd-compressed value is corrupt"), offset);
    return plain;
}

} // namespace tfjs

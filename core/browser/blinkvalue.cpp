#include "browser/blinkvalue.h"

#include "browser/browsererror.h"
#include "browser/decompress.h"
#include "browser/leveldblog.h"
#include "browser/v8value.h"

namespace tfjs {

namespace {

constexpr quint8 kVersionTag = 0xFF;
constexpr quint8 kWrapperVersion = 0x11; // Blink's "requires processing" pseudo-version 17
constexpr quint8 kReplaceWithBlob = 0x01;
constexpr quint8 kCompressedWithSnappy = 0x02;
constexpr quint8 kTrailerOffsetTag = 0xFE;
constexpr qsizetype kTrailerSize = 1 + 8 + 4;

} // namespace

Result<IdbRecordValue> unwrapIdbRecordValue(QByteArrayView value, const QString &where)
{
    IdbRecordValue out;
    qsizetype pos = 0;
    const auto version = readVarint(value, pos);
    if (!version)
        return fail(browserError(ErrorCode::Format, where,
                                 QStringLiteral("the record version is truncated at byte 0."), 0));
    out.version = *version;
    const QByteArrayView rest = value.sliced(pos);
    if (rest.size() < 2 || quint8(rest[0]) != kVersionTag || quint8(rest[1]) != kWrapperVersion) {
        out.blink = rest.toByteArray();
        return out;
    }
    if (rest.size() < 3)
        return fail(browserError(
            ErrorCode::Format, where,
            QStringLiteral("the value wrapper is truncated at byte %1.").arg(pos + 2), pos + 2));
    const quint8 kind = quint8(rest[2]);
    if (kind == kReplaceWithBlob) {
        qsizetype at = 3;
        const auto size = readVarint(rest, at);
        const auto index = size ? readVarint(rest, at) : std::nullopt;
        if (!index)
            return fail(browserError(
                ErrorCode::Format, where,
                QStringLiteral("the blob reference is truncated at byte %1.").arg(pos + 3),
                pos + 3));
        out.blobIndex = *index;
        out.blobSize = *size;
        return out;
    }
    if (kind != kCompressedWithSnappy)
        return fail(browserError(
            ErrorCode::Unsupported, where,
            QStringLiteral("unknown IndexedDB value wrapper kind %1.").arg(kind), pos + 2));
    auto plain = snappyUncompress(rest.sliced(3), where, pos + 3);
    if (!plain)
        return fail(plain.error());
    out.blink = std::move(*plain);
    out.wasCompressed = true;
    return out;
}

Result<QByteArrayView> v8FromBlinkEnvelope(QByteArrayView blink, const QString &where)
{
    if (blink.isEmpty() || quint8(blink[0]) != kVersionTag)
        return fail(browserError(
            ErrorCode::Format, where,
            QStringLiteral("the value does not start with Blink's version tag FF."), 0));
    qsizetype pos = 1;
    const auto version = readVarint(blink, pos);
    if (!version)
        return fail(browserError(ErrorCode::Format, where,
                                 QStringLiteral("Blink's version is truncated at byte 1."), 1));
    if (*version != kBlinkVersion)
        return fail(
            browserError(ErrorCode::Unsupported, where,
                         QStringLiteral("Blink serialization version %1 is not supported (%2 is).")
                             .arg(*version)
                             .arg(kBlinkVersion),
                         1));
    if (blink.size() - pos < kTrailerSize || quint8(blink[pos]) != kTrailerOffsetTag)
        return fail(browserError(
            ErrorCode::Format, where,
            QStringLiteral("Blink's trailer offset is missing or truncated at byte %1.").arg(pos),
            pos));
    return blink.sliced(pos + kTrailerSize);
}

Result<Json> decodeBlinkValue(QByteArrayView blink, const QString &where, ValueInput *input)
{
    auto v8 = v8FromBlinkEnvelope(blink, where);
    if (!v8)
        return fail(v8.error());
    return decodeV8Value(*v8, where, input);
}

} // namespace tfjs

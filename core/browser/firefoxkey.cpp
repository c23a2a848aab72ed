#include "firefoxkey.h"

namespace tfjs {

namespace {

constexpr quint8 kStringType = 0x30;
constexpr char16_t kOneByteLimit = 0x7E;  // code units up to here take one byte (u + 1)
constexpr char16_t kTwoByteLimit = 0x3FFF + 0x7F;
constexpr int kTwoByteAdjust = 0x7F;
constexpr int kThreeByteShift = 6;

Error keyError(const QString &where, const QString &message, qint64 offset)
{
    Error error{ErrorCode::Format, QStringLiteral("%1: %2").arg(where, message)};
    error.path = where;
    error.offset = offset;
    return error;
}

QString typeName(quint8 type)
{
    switch (type & 0xF0) {
    case 0x10:
        return QStringLiteral("a number");
    case 0x20:
        return QStringLiteral("a date");
    case 0x40:
        return QStringLiteral("a binary");
    case 0x50:
        return QStringLiteral("an array");
    default:
        return QStringLiteral("an unknown");
    }
}

} // namespace

Result<QString> decodeFirefoxStringKey(QByteArrayView key, const QString &where)
{
    if (key.isEmpty())
        return fail(keyError(where, QStringLiteral("the IndexedDB key is empty."), 0));
    const auto byte = [&key](qsizetype i) { return quint8(key[i]); };
    if (byte(0) != kStringType)
        return fail(keyError(where,
                             QStringLiteral("the IndexedDB key is %1 key (type byte 0x%2), not "
                                            "a string as TF.js writes.")
                                 .arg(typeName(byte(0)))
                                 .arg(byte(0), 2, 16, QLatin1Char('0')),
                             0));
    QString out;
    qsizetype i = 1;
    const qsizetype size = key.size();
    // A byte missing at the very end was a zero that Firefox trimmed.
    const auto at = [&](qsizetype j) -> quint32 { return j < size ? byte(j) : 0; };
    while (i < size && byte(i) != 0) {
        const quint8 lead = byte(i);
        if (!(lead & 0x80)) {
            out.append(QChar(char16_t(lead - 1)));
            i += 1;
        } else if (!(lead & 0x40)) {
            const quint32 c = (quint32(lead) << 8) | at(i + 1);
            out.append(QChar(char16_t((c & 0x3FFF) + kTwoByteAdjust)));
            i += 2;
        } else {
            const quint32 c = (quint32(lead) << 16) | (at(i + 1) << 8) | at(i + 2);
            out.append(QChar(char16_t((c >> kThreeByteShift) & 0xFFFF)));
            i += 3;
        }
    }
    if (i < size - 1) // the loop stopped at a terminator with bytes after it
        return fail(keyError(where,
                             QStringLiteral("the IndexedDB key has %1 bytes after its string's "
                                            "end at byte %2 (a compound key?).")
                                 .arg(size - i - 1)
                                 .arg(i),
                             i));
    return out;
}

QByteArray encodeFirefoxStringKey(const QString &key)
{
    QByteArray out;
    out.reserve(1 + key.size() * 3);
    out.append(char(kStringType));
    for (const QChar ch : key) {
        const char16_t u = ch.unicode();
        if (u <= kOneByteLimit) {
            out.append(char(u + 1));
        } else if (u <= kTwoByteLimit) {
            const quint16 c = quint16(u - kTwoByteAdjust) | 0x8000;
            out.append(char(c >> 8));
            out.append(char(c & 0xFF));
        } else {
            const quint32 c = (quint32(u) << kThreeByteShift) | 0x00C00000;
            out.append(char(c >> 16));
            out.append(char((c >> 8) & 0xFF));
            out.append(char(c & 0xFF));
        }
    }
    while (out.endsWith('\0'))
        out.chop(1);
    return out;
}

} // namespace tfjs

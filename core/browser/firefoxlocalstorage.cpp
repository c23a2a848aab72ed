#include "firefoxlocalstorage.h"

#include "snappydecode.h"

#include <QtEndian>

namespace tfjs {

namespace {

enum Conversion { kNoConversion = 0, kUtf8 = 1 };
enum Compression { kUncompressed = 0, kSnappy = 1 };

Error valueError(const QString &where, const QString &message)
{
    Error error{ErrorCode::Unsupported, QStringLiteral("%1: %2").arg(where, message)};
    error.path = where;
    return error;
}

} // namespace

Result<QString> decodeFirefoxLocalStorageValue(int conversionType, int compressionType,
                                               QByteArrayView value, const QString &where)
{
    if (conversionType != kNoConversion && conversionType != kUtf8)
        return fail(valueError(where, QStringLiteral("unknown localStorage conversion type %1 "
                                                     "(known: 0, 1).")
                                          .arg(conversionType)));
    QByteArray uncompressed;
    if (compressionType == kSnappy) {
        auto raw = snappyUncompress(value, where);
        if (!raw)
            return fail(raw.error());
        uncompressed = std::move(*raw);
        value = uncompressed;
    } else if (compressionType != kUncompressed) {
        return fail(valueError(where, QStringLiteral("unknown localStorage compression type %1 "
                                                     "(known: 0, 1).")
                                          .arg(compressionType)));
    }
    if (conversionType == kUtf8)
        return QString::fromUtf8(value);
    if (value.size() % 2 != 0) {
        Error error = valueError(where, QStringLiteral("a UTF-16 localStorage value has an odd "
                                                       "number of bytes (%1).")
                                            .arg(value.size()));
        error.code = ErrorCode::Format;
        return fail(error);
    }
    QString out(value.size() / 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < out.size(); ++i)
        out[i] = QChar(qFromLittleEndian<quint16>(value.data() + 2 * i));
    return out;
}

} // namespace tfjs

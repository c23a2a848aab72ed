#pragma once

#include "base/error.h"

#include <QString>

namespace tfjs {

// An error about a file or record of a browser profile: the message "<where>: <message>",
// `where` as its path, and the byte offset when one is known.
inline Error browserError(ErrorCode code, const QString &where, const QString &message,
                          qint64 offset = -1)
{
    Error error{code, QStringLiteral("%1: %2").arg(where, message)};
    error.path = where;
    error.offset = offset;
    return error;
}

} // namespace tfjs

#pragma once

#include "base/error.h"

#include <QByteArrayView>
#include <QString>

namespace tfjs {

// One value of Firefox's localStorage database (ls/data.sqlite, table data(key, utf16_length,
// conversion_type, compression_type, value)): compression 0 none, 1 raw snappy; conversion
// 1 UTF-8, 0 the string's UTF-16 code units as stored (little-endian here). Other types are
// refused by number; `where` names the item in messages.
[[nodiscard]] Result<QString> decodeFirefoxLocalStorageValue(int conversionType, int compressionType,
                                                             QByteArrayView value,
                                                             const QString &where);

} // namespace tfjs

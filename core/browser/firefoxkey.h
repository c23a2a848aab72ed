#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tfjs {

// Firefox's IndexedDB key encoding (the `key` column of object_data), for string keys, the
// only keys TF.js uses (its keyPath modelPath): the type byte 0x30, then per UTF-16 code unit
// u one byte u+1 (u < 0x7F), two bytes 0x8000|(u-0x7F) (u < 0x407F) or three bytes
// 0xC00000|(u<<6), big-endian; a 0x00 terminator; trailing zero bytes of the whole key are
// dropped. Surrogate pairs are two code units, so they come back as one character.

// The string of an encoded key. Other key types (numbers, dates, binary, arrays) and malformed
// keys are refused with a message naming the byte and its offset; `where` names the key.
[[nodiscard]] Result<QString> decodeFirefoxStringKey(QByteArrayView key, const QString &where);

// The encoded form of a string key, as Firefox stores it (to look a record up).
QByteArray encodeFirefoxStringKey(const QString &key);

} // namespace tfjs

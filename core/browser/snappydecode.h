#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tfjs {

// Snappy, through libsnappy. `where` names the data in messages (a file, a record).

// One raw snappy block (what Firefox keeps in IndexedDB's `data` column and compressed
// localStorage values).
[[nodiscard]] Result<QByteArray> snappyUncompress(QByteArrayView data, const QString &where);

// The snappy framing format (Firefox's external IndexedDB value files): a stream identifier
// chunk (0xff, "sNaPpY") first, then compressed (0x00) and uncompressed (0x01) chunks of at most
// 64 KiB each, padding and skippable chunks (0x80-0xfe) skipped; reserved chunk types
// (0x02-0x7f) refused, truncation reported with the chunk's byte offset. The chunks' masked
// CRC-32C is not checked (no library on the target systems offers CRC-32C).
[[nodiscard]] Result<QByteArray> snappyUnframe(QByteArrayView data, const QString &where);

} // namespace tfjs

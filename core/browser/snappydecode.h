#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <vector>

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

// One data chunk of a framed stream: its payload (after the checksum) in the stream, and where
// its bytes go in the uncompressed data.
struct SnappyChunk
{
    qint64 in = 0;       // payload offset in the framed data
    qint64 inSize = 0;
    qint64 out = 0;      // offset in the uncompressed data
    qint64 outSize = 0;
    bool compressed = false;
};

// The data chunks of a framed stream, checked as snappyUnframe checks them, without
// uncompressing any (a compressed chunk's length is read from its header).
[[nodiscard]] Result<std::vector<SnappyChunk>> snappyFrameChunks(QByteArrayView data,
                                                                 const QString &where);
// The chunk's bytes into `out` (chunk.outSize bytes); a corrupt chunk is an error naming it.
[[nodiscard]] Result<void> snappyChunkInto(QByteArrayView data, const SnappyChunk &chunk,
                                           char *out, const QString &where);

} // namespace tfjs

#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace tfjs {

// Readers of LevelDB's own file formats (leveldb/doc/log_format.md, impl.md), for reading a
// browser's LevelDB without opening it: the library's DB::Open may write (and refuses a
// database made with another comparator).

// A LevelDB varint (little-endian base 128) at `pos`, advancing it; nullopt when truncated
// or longer than 10 bytes.
std::optional<quint64> readVarint(QByteArrayView bytes, qsizetype &pos);

// LevelDB's masked CRC-32C of `bytes` (as its log records carry it).
quint32 maskedCrc32c(QByteArrayView bytes);

// The records of a file in LevelDB's log format (a .log write-ahead file or a MANIFEST):
// 32 KiB blocks of 7-byte-headed fragments (FULL, FIRST, MIDDLE, LAST) joined into records.
// A record cut short by the end of the file is dropped (the writer was stopped mid-record, as
// LevelDB's own reader treats it); a bad checksum, an unknown fragment type or fragments out
// of order are errors naming `path` and the byte offset.
[[nodiscard]] Result<std::vector<QByteArray>> readLevelDbLog(QByteArrayView bytes,
                                                             const QString &path);

// The newest state of one key: its value, or nullopt when a deletion is newest.
struct LevelDbEntry
{
    quint64 sequence = 0;
    std::optional<QByteArray> value;
};
using LevelDbEntries = std::map<QByteArray, LevelDbEntry>;

// Records `key` at `sequence` unless `entries` holds a newer state of it.
void mergeLevelDbEntry(LevelDbEntries &entries, QByteArray key, quint64 sequence,
                       std::optional<QByteArray> value);

// Merges one WriteBatch (a .log record: sequence u64, count u32, then Put/Delete operations)
// into `entries`. A truncated batch or an unknown operation is an error naming `path`.
[[nodiscard]] Result<void> mergeWriteBatch(QByteArrayView batch, LevelDbEntries &entries,
                                           const QString &path);

// What a MANIFEST's version edits leave live: the table files and the oldest log to replay.
struct LevelDbManifest
{
    QString comparator;
    quint64 logNumber = 0;
    quint64 prevLogNumber = 0;
    std::vector<quint64> tables; // live table file numbers, ascending
};
[[nodiscard]] Result<LevelDbManifest> parseLevelDbManifest(QByteArrayView bytes,
                                                           const QString &path);

} // namespace tfjs

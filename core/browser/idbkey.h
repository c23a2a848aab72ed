#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>
#include <vector>

namespace tfjs {

// Chromium's IndexedDB LevelDB keys (content/browser/indexed_db/indexed_db_leveldb_coding.cc).
// Every key starts with a prefix: one byte packing the byte lengths of the database, object
// store and index ids (3, 3 and 2 bits, each length minus one), then the ids little-endian.
struct IdbKeyPrefix
{
    quint64 database = 0;
    quint64 store = 0;
    quint64 index = 0;

    bool operator==(const IdbKeyPrefix &) const = default;
};

// The index ids of an object store's own rows.
inline constexpr quint64 kIdbRecordIndex = 1; // the records: key -> value
inline constexpr quint64 kIdbBlobIndex = 3; // the blob list of a record

QByteArray encodeIdbPrefix(const IdbKeyPrefix &prefix);
// The prefix at the start of `key` and its byte count; nullopt when `key` is too short.
std::optional<std::pair<IdbKeyPrefix, qsizetype>> decodeIdbPrefix(QByteArrayView key);

// An IndexedDB string key (01, varint length in UTF-16 units, UTF-16BE) filling `bytes`;
// nullopt for other key types or malformed bytes.
std::optional<QString> decodeIdbStringKey(QByteArrayView bytes);
QByteArray encodeIdbStringKey(const QString &key);

// The key naming a database: 00 00 00 00 C9, then origin and name as varint-length UTF-16BE.
struct IdbDatabaseName
{
    QString origin;
    QString name;
};
std::optional<IdbDatabaseName> decodeIdbDatabaseNameKey(QByteArrayView key);

// The key of an object store's name, prefix(db, 0, 0) 32 varint(store) 00; its value is the
// name in UTF-16BE. Returns (database, store).
std::optional<std::pair<quint64, quint64>> decodeIdbStoreNameKey(QByteArrayView key);
QString decodeUtf16Be(QByteArrayView bytes);

// A record's blob list (the value of prefix(db, store, 3) + key): the blob numbers in order.
// Each entry: is-file byte, varint blob number, type (varint length + UTF-16BE), then a
// varint size, or for a file its name and a varint modification time.
std::optional<std::vector<quint64>> decodeIdbBlobList(QByteArrayView value);

} // namespace tfjs

#pragma once

#include "base/error.h"
#include "base/json.h"
#include "browser/chromiumindexeddb.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

class QTemporaryDir;

namespace tfjs {

// Chromium's SQLite IndexedDB backend (feature IdbSqliteBackingStore): one SQLite file per
// database in <profile>/IndexedDB/<origin folder>/ with tables indexed_db_metadata(name),
// object_stores(id, name) (names UTF-16LE) and records(object_store_id, compression_type, key,
// value); a value is Blink's serialization, compressed as compression_type says: 0 none,
// 1 zstd, 2 snappy. Read from a private copy of the file (and its -wal), opened read-only:
// never in place.
class ChromiumSqliteIndexedDb
{
public:
    ~ChromiumSqliteIndexedDb();
    ChromiumSqliteIndexedDb(ChromiumSqliteIndexedDb &&) noexcept;

    // nullopt when the database in the file is not TF.js's ("tensorflowjs"); a file that is not
    // an IndexedDB database is a Format error. Errors name `file`.
    [[nodiscard]] static Result<std::optional<ChromiumSqliteIndexedDb>> read(const QString &file);

    [[nodiscard]] Result<std::vector<ChromiumIndexedDb::Info>> infos() const;
    // NotFound naming the record when there is none.
    [[nodiscard]] Result<Json> modelRecord(const QString &path) const;

private:
    ChromiumSqliteIndexedDb() = default;
    struct Record
    {
        QByteArray key;
        int compression = 0;
        QByteArray value;
    };
    [[nodiscard]] Result<std::vector<Record>> records(const QString &store,
                                                      const QByteArray *key) const;
    [[nodiscard]] Result<Json> decode(const Record &record, const QString &where) const;

    QString m_file; // in the profile, for messages
    QString m_connection; // the QSQLITE connection to the private copy
    std::unique_ptr<QTemporaryDir> m_copy;
};

// The file name the backend gives database `name`: SHA-256 of the name in UTF-16LE, in
// base32 (RFC 4648 alphabet, no padding). "tensorflowjs" gives 7T7JO6KENUV47J4I2QQ....
QString sqliteIdbFileName(const QString &name);

// The backend's string key: 0x30, then per UTF-16 code unit c: c + 1 below 0x7F; 0x80 | c >> 8,
// c & 0xff below 0x4000; else 0xFF, c >> 8, c & 0xff; then 0x00. nullopt for other keys.
std::optional<QString> decodeSqliteIdbStringKey(QByteArrayView bytes);
QByteArray encodeSqliteIdbStringKey(const QString &key);

} // namespace tfjs

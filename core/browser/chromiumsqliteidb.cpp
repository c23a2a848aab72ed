#include "browser/chromiumsqliteidb.h"

#include "browser/blinkvalue.h"
#include "browser/browsererror.h"
#include "browser/decompress.h"

#include <QAtomicInteger>
#include <QCryptographicHash>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

namespace tfjs {

namespace {

const QString kDatabase = QStringLiteral("tensorflowjs");
const QString kModelsStore = QStringLiteral("models_store");
const QString kInfoStore = QStringLiteral("model_info_store");
constexpr quint8 kStringKey = 0x30;

QString utf16Le(const QByteArray &bytes)
{
    return QString(reinterpret_cast<const QChar *>(bytes.constData()), bytes.size() / 2);
}

// Copies `file` and its -wal/-journal into `dir`; the copy's path.
Result<QString> copyDatabase(const QString &file, const QTemporaryDir &dir)
{
    const QString copy = dir.filePath(QStringLiteral("db.sqlite"));
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-journal")}) {
        if (!suffix.isEmpty() && !QFile::exists(file + suffix))
            continue;
        if (!QFile::copy(file + suffix, copy + suffix))
            return fail(
                browserError(QFile::exists(file + suffix) ? ErrorCode::Io : ErrorCode::NotFound,
                             file + suffix, QStringLiteral("cannot copy the database file.")));
    }
    return copy;
}

} // namespace

QString sqliteIdbFileName(const QString &name)
{
    const QByteArray hash = QCryptographicHash::hash(
        QByteArrayView(reinterpret_cast<const char *>(name.utf16()), name.size() * 2),
        QCryptographicHash::Sha256);
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    QString out;
    quint32 buffer = 0;
    int bits = 0;
    for (const char byte : hash) {
        buffer = (buffer << 8) | quint8(byte);
        for (bits += 8; bits >= 5; bits -= 5)
            out += QLatin1Char(alphabet[(buffer >> (bits - 5)) & 31]);
    }
    if (bits > 0)
        out += QLatin1Char(alphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

std::optional<QString> decodeSqliteIdbStringKey(QByteArrayView bytes)
{
    if (bytes.isEmpty() || quint8(bytes[0]) != kStringKey)
        return std::nullopt;
    QString out;
    for (qsizetype pos = 1; pos < bytes.size();) {
        const quint8 b = quint8(bytes[pos]);
        if (b == 0)
            return pos + 1 == bytes.size() ? std::optional(out) : std::nullopt;
        if (b < 0x80) {
            out += QChar(char16_t(b - 1));
            pos += 1;
        } else if (b < 0xC0 && pos + 1 < bytes.size()) {
            out += QChar(char16_t(((b & 0x3f) << 8) | quint8(bytes[pos + 1])));
            pos += 2;
        } else if (b == 0xFF && pos + 2 < bytes.size()) {
            out += QChar(char16_t((quint8(bytes[pos + 1]) << 8) | quint8(bytes[pos + 2])));
            pos += 3;
        } else {
            return std::nullopt;
        }
    }
    return std::nullopt; // no terminator
}

QByteArray encodeSqliteIdbStringKey(const QString &key)
{
    QByteArray out(1, char(kStringKey));
    for (const QChar c : key) {
        const char16_t u = c.unicode();
        if (u < 0x7F) {
            out += char(u + 1);
        } else if (u < 0x4000) {
            out += char(0x80 | (u >> 8));
            out += char(u & 0xff);
        } else {
            out += char(0xFF);
            out += char(u >> 8);
            out += char(u & 0xff);
        }
    }
    out += '\0';
    return out;
}

ChromiumSqliteIndexedDb::~ChromiumSqliteIndexedDb()
{
    if (!m_connection.isEmpty() && m_copy)
        QSqlDatabase::removeDatabase(m_connection);
}

ChromiumSqliteIndexedDb::ChromiumSqliteIndexedDb(ChromiumSqliteIndexedDb &&other) noexcept
    : m_file(std::move(other.m_file)), m_connection(std::move(other.m_connection)),
      m_copy(std::move(other.m_copy))
{}

Result<std::optional<ChromiumSqliteIndexedDb>> ChromiumSqliteIndexedDb::read(const QString &file)
{
    static QAtomicInteger<quint64> counter;
    ChromiumSqliteIndexedDb db;
    db.m_file = file;
    db.m_copy = std::make_unique<QTemporaryDir>();
    if (!db.m_copy->isValid())
        return fail(
            browserError(ErrorCode::Io, file, QStringLiteral("no temporary folder for a copy.")));
    auto copy = copyDatabase(file, *db.m_copy);
    if (!copy)
        return fail(copy.error());
    db.m_connection = QStringLiteral("chromium-sqlite-idb-%1").arg(counter.fetchAndAddRelaxed(1));
    QString openError;
    bool isTfjs = false;
    {
        QSqlDatabase sql = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), db.m_connection);
        sql.setDatabaseName(*copy);
        sql.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (sql.open()) {
            // The file carries TF.js's database name: one that is not an IndexedDB database
            // (no such table, not SQLite at all) is corrupt.
            QSqlQuery query(sql);
            if (query.exec(QStringLiteral("SELECT name FROM indexed_db_metadata")))
                isTfjs = query.next() && utf16Le(query.value(0).toByteArray()) == kDatabase;
            else
                openError = query.lastError().text();
        } else {
            openError = sql.lastError().text();
        }
    }
    if (!openError.isEmpty())
        return fail(
            browserError(ErrorCode::Format, file,
                         QStringLiteral("not a readable IndexedDB database (%1).").arg(openError)));
    if (!isTfjs)
        return std::optional<ChromiumSqliteIndexedDb>();
    return std::optional(std::move(db));
}

Result<std::vector<ChromiumSqliteIndexedDb::Record>>
ChromiumSqliteIndexedDb::records(const QString &store, const QByteArray *key) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    std::vector<Record> out;
    QSqlQuery stores(QSqlDatabase::database(m_connection, false));
    if (!stores.exec(QStringLiteral("SELECT id, name FROM object_stores")))
        return fail(browserError(
            ErrorCode::Format, m_file,
            QStringLiteral("no object_stores table (%1).").arg(stores.lastError().text())));
    std::optional<qint64> id;
    while (stores.next())
        if (utf16Le(stores.value(1).toByteArray()) == store)
            id = stores.value(0).toLongLong();
    if (!id)
        return out;
    query.prepare(key ? QStringLiteral("SELECT key, compression_type, value FROM records WHERE "
                                       "object_store_id = ? AND key = ?")
                      : QStringLiteral("SELECT key, compression_type, value FROM records WHERE "
                                       "object_store_id = ? ORDER BY key"));
    query.addBindValue(*id);
    if (key)
        query.addBindValue(*key);
    if (!query.exec())
        return fail(browserError(
            ErrorCode::Format, m_file,
            QStringLiteral("cannot read its records (%1).").arg(query.lastError().text())));
    while (query.next())
        out.push_back(
            {query.value(0).toByteArray(), query.value(1).toInt(), query.value(2).toByteArray()});
    return out;
}

Result<Json> ChromiumSqliteIndexedDb::decode(const Record &record, const QString &where) const
{
    Result<QByteArray> blink = record.value;
    if (record.compression == 1)
        blink = zstdUncompress(record.value, where, 0);
    else if (record.compression == 2)
        blink = snappyUncompress(record.value, where, 0);
    else if (record.compression != 0)
        return fail(
            browserError(ErrorCode::Unsupported, where,
                         QStringLiteral("unknown compression type %1.").arg(record.compression)));
    if (!blink)
        return fail(blink.error());
    if (blink->startsWith("\xff\x11"))
        return fail(browserError(
            ErrorCode::Unsupported, where,
            QStringLiteral("a wrapped value (FF 11), which this backend is not known to write.")));
    return decodeBlinkValue(*blink, where);
}

Result<std::vector<ChromiumIndexedDb::Info>> ChromiumSqliteIndexedDb::infos() const
{
    auto rows = records(kInfoStore, nullptr);
    if (!rows)
        return fail(rows.error());
    std::vector<ChromiumIndexedDb::Info> out;
    for (const Record &row : *rows) {
        const auto path = decodeSqliteIdbStringKey(row.key);
        if (!path)
            continue; // not a key TF.js writes
        const QString where = QStringLiteral("%1 %2 '%3'").arg(m_file, kInfoStore, *path);
        auto json = decode(row, where);
        if (!json)
            return fail(json.error());
        auto parsed = infoOfInfoRecord(*json, where);
        if (!parsed)
            return fail(parsed.error());
        out.push_back({*path, std::move(*parsed)});
    }
    return out;
}

Result<Json> ChromiumSqliteIndexedDb::modelRecord(const QString &path) const
{
    const QString where = QStringLiteral("%1 %2 '%3'").arg(m_file, kModelsStore, path);
    const QByteArray key = encodeSqliteIdbStringKey(path);
    auto rows = records(kModelsStore, &key);
    if (!rows)
        return fail(rows.error());
    if (rows->empty())
        return fail(browserError(ErrorCode::NotFound, where, QStringLiteral("no such record.")));
    return decode(rows->front(), where);
}

} // namespace tfjs

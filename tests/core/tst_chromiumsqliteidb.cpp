// Chromium's SQLite IndexedDB backend: its string keys (bytes Chromium 156 wrote) and a database
// file with Chromium's tables holding Chromium's values, read through a private copy.
#include "browser/chromiumsqliteidb.h"
#include "chromiumfixtures.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

QByteArray utf16Le(const QString &text)
{
    return QByteArray(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
}

// 'tiny''s model_info_store value: the SQLite backend keeps no record version.
const QByteArray kInfoValue = kTinyInfoRecord.mid(kBlinkStart);

// A database file with the tables Chromium creates and the given records.
struct Row
{
    int store;
    int compression;
    QByteArray key;
    QByteArray value;
};
void writeDatabase(const QString &file, const QString &name, const std::vector<Row> &rows)
{
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fixture"));
        db.setDatabaseName(file);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TABLE indexed_db_metadata (name BLOB NOT NULL, version INTEGER NOT NULL)")));
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TABLE object_stores (id INTEGER PRIMARY KEY, name BLOB NOT NULL, key_path "
            "BLOB, "
            "auto_increment INTEGER NOT NULL, key_generator_current_number INTEGER NOT NULL)")));
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TABLE records (row_id INTEGER PRIMARY KEY, object_store_id INTEGER NOT NULL, "
            "compression_type INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL)")));
        QVERIFY(q.prepare(QStringLiteral("INSERT INTO indexed_db_metadata VALUES (?, 1)")));
        q.addBindValue(utf16Le(name));
        QVERIFY(q.exec());
        for (const auto &[id, store] : {std::pair{1, QStringLiteral("models_store")},
                                        std::pair{2, QStringLiteral("model_info_store")}}) {
            QVERIFY(q.prepare(QStringLiteral("INSERT INTO object_stores VALUES (?, ?, ?, 0, 1)")));
            q.addBindValue(id);
            q.addBindValue(utf16Le(store));
            q.addBindValue(utf16Le(QStringLiteral("modelPath")));
            QVERIFY(q.exec());
        }
        for (const Row &row : rows) {
            QVERIFY(q.prepare(QStringLiteral("INSERT INTO records (object_store_id, "
                                             "compression_type, key, value) VALUES (?, ?, ?, ?)")));
            q.addBindValue(row.store);
            q.addBindValue(row.compression);
            q.addBindValue(row.key);
            q.addBindValue(row.value);
            QVERIFY(q.exec());
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("fixture"));
}

} // namespace

class TestChromiumSqliteIdb : public QObject
{
    Q_OBJECT

private slots:
    void keys_data();
    void keys();
    void malformedKeys();
    void fileNames();
    void readsRecords();
    void otherDatabase();
    void unknownCompression();
    void notSqlite();
};

void TestChromiumSqliteIdb::keys_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("key");
    QTest::newRow("tiny") << QByteArray::fromHex("30756a6f7a00") << QStringLiteral("tiny");
    QTest::newRow("cyrillic, latin-1, slash")
        << QByteArray::fromHex("30843c843e84348435843b844c3080fc6f80ef6480f66580e900")
        << u8("модель/ünïcödé");
    QTest::newRow("emoji") << QByteArray::fromHex("30666e706b6a2effd83effdde0ffd83dffde8000")
                           << u8("emoji-🧠🚀");
    QTest::newRow("0x7f") << QByteArray::fromHex("30807f00") << QString(QChar(0x7f));
    QTest::newRow("empty") << QByteArray::fromHex("3000") << QString();
}

void TestChromiumSqliteIdb::keys()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, key);
    QCOMPARE(decodeSqliteIdbStringKey(bytes), std::optional(key));
    QCOMPARE(encodeSqliteIdbStringKey(key), bytes);
}

void TestChromiumSqliteIdb::malformedKeys()
{
    QVERIFY(!decodeSqliteIdbStringKey(QByteArray::fromHex("30756a"))); // no terminator
    QVERIFY(!decodeSqliteIdbStringKey(QByteArray::fromHex("3075006a00"))); // bytes after it
    QVERIFY(!decodeSqliteIdbStringKey(QByteArray::fromHex("3084"))); // a two-byte unit cut
    QVERIFY(!decodeSqliteIdbStringKey(QByteArray::fromHex("30c000"))); // no such lead byte
    QVERIFY(!decodeSqliteIdbStringKey(QByteArray::fromHex("1000"))); // a number key
}

void TestChromiumSqliteIdb::fileNames()
{
    // As Chromium 156 named the database of the save page.
    QCOMPARE(sqliteIdbFileName(QStringLiteral("tensorflowjs")),
             QStringLiteral("7T7JO6KENUV47J4I2QQIQ5KKUO6PHF2YMZJQS6L2D47ZQKOFAVRQ"));
    QCOMPARE(sqliteIdbFileName(QString()).size(), 52);
}

void TestChromiumSqliteIdb::readsRecords()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("DB"));
    const QByteArray key = encodeSqliteIdbStringKey(QStringLiteral("tiny"));
    writeDatabase(file, QStringLiteral("tensorflowjs"),
                  {{1, 1, key, chromiumFixture("tiny-sqlite-zstd.bin")}, {2, 0, key, kInfoValue}});
    const Tree before = snapshot(dir.path());
    {
        auto db = ChromiumSqliteIndexedDb::read(file);
        TFJS_VERIFY_OK(db);
        QVERIFY(db->has_value());
        auto infos = (*db)->infos();
        TFJS_VERIFY_OK(infos);
        QCOMPARE(infos->size(), size_t(1));
        QCOMPARE(infos->front().path, QStringLiteral("tiny"));
        QCOMPARE(infos->front().info.weightDataBytes, qint64(32));
        auto record = (*db)->modelRecord(QStringLiteral("tiny"));
        TFJS_VERIFY_OK(record);
        QVERIFY((*record)["modelArtifacts"]["weightData"].is_binary());
        TFJS_COMPARE_ERROR((*db)->modelRecord(QStringLiteral("nope")), ErrorCode::NotFound,
                           file + QStringLiteral(" models_store 'nope': no such record."));
    }
    QCOMPARE(snapshot(dir.path()), before);
}

void TestChromiumSqliteIdb::otherDatabase()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("DB"));
    writeDatabase(file, QStringLiteral("another"), {});
    auto db = ChromiumSqliteIndexedDb::read(file);
    TFJS_VERIFY_OK(db);
    QVERIFY(!db->has_value());
}

void TestChromiumSqliteIdb::unknownCompression()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("DB"));
    writeDatabase(file, QStringLiteral("tensorflowjs"),
                  {{2, 7, encodeSqliteIdbStringKey(QStringLiteral("t")), kInfoValue}});
    auto db = ChromiumSqliteIndexedDb::read(file);
    TFJS_VERIFY_OK(db);
    QVERIFY(db->has_value());
    TFJS_COMPARE_ERROR((*db)->infos(), ErrorCode::Unsupported,
                       file + QStringLiteral(" model_info_store 't': unknown compression type 7."));
}

void TestChromiumSqliteIdb::notSqlite()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("DB"));
    QVERIFY(writeFile(file, QByteArray(4096, 'x')));
    auto db = ChromiumSqliteIndexedDb::read(file);
    QVERIFY(!db);
    QCOMPARE(db.error().code, ErrorCode::Format);
    QCOMPARE(db.error().path, file);
    QVERIFY2(db.error().message.startsWith(
                 file + QStringLiteral(": not a readable IndexedDB database (")),
             qPrintable(db.error().message));
    const auto missing = ChromiumSqliteIndexedDb::read(dir.filePath(QStringLiteral("gone")));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QCOMPARE(missing.error().message,
             dir.filePath(QStringLiteral("gone"))
                 + QStringLiteral(": cannot copy the database file."));
}

QTEST_GUILESS_MAIN(TestChromiumSqliteIdb)
#include "tst_chromiumsqliteidb.moc"

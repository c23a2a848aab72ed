// TF.js's database in one origin's IndexedDB LevelDB, laid out as Chromium 156 writes it (keys
// and values copied from a real profile) in a LevelDB written by libleveldb: stores found by
// name, infos listed, models decoded, values moved to blob files read from beside the folder.
#include "browser/chromiumindexeddb.h"
#include "browser/idbkey.h"
#include "chromiumfixtures.h"
#include "leveldbfixture.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

// The keys naming database 1 "tensorflowjs" and its stores 1 models_store, 2 model_info_store.
void writeSchema(LevelDbWriter &db)
{
    db.put(QByteArray::fromHex("00000000c9090066"
                               "0069006c0065005f005f003000400031"
                               "0c00740065006e0073006f00720066006c006f0077006a0073"),
           QByteArray::fromHex("01"));
    db.put(QByteArray::fromHex("00010000320100"),
           QByteArray::fromHex("006d006f00640065006c0073005f00730074006f00720065"));
    db.put(QByteArray::fromHex("00010000320200"),
           QByteArray::fromHex("006d006f00640065006c005f0069006e0066006f005f00730074006f00720065"));
}

} // namespace

class TestChromiumIndexedDb : public QObject
{
    Q_OBJECT

private slots:
    void origins_data();
    void origins();
    void inlineAndSnappyRecords();
    void blobRecord();
    void noTfjsDatabase();
};

void TestChromiumIndexedDb::origins_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("origin");
    QTest::newRow("file") << QStringLiteral("file__0") << QStringLiteral("file://");
    QTest::newRow("http") << QStringLiteral("http_127.0.0.1_8765")
                          << QStringLiteral("http://127.0.0.1:8765");
    QTest::newRow("default port") << QStringLiteral("https_example.com_0")
                                  << QStringLiteral("https://example.com");
    QTest::newRow("not an origin") << QStringLiteral("weird") << QStringLiteral("weird");
}

void TestChromiumIndexedDb::origins()
{
    QFETCH(QString, folder);
    QFETCH(QString, origin);
    QCOMPARE(ChromiumIndexedDb::originOfFolder(folder), origin);
}

void TestChromiumIndexedDb::inlineAndSnappyRecords()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("file__0.indexeddb.leveldb"));
    {
        LevelDbWriter db(folder);
        writeSchema(db);
        db.put(encodeIdbPrefix({1, 2, 1}) + encodeIdbStringKey(QStringLiteral("tiny")),
               kTinyInfoRecord);
        db.put(encodeIdbPrefix({1, 1, 1}) + encodeIdbStringKey(QStringLiteral("tiny")),
               chromiumFixture("tiny-models-store.bin"));
        db.put(encodeIdbPrefix({1, 1, 1}) + encodeIdbStringKey(QStringLiteral("zeros")),
               chromiumFixture("zeros-models-store.bin"));
        db.compact(); // into a table, then one more record in the log
        db.put(encodeIdbPrefix({1, 2, 1}) + encodeIdbStringKey(QStringLiteral("later")),
               kTinyInfoRecord);
    }
    auto db = ChromiumIndexedDb::read(folder);
    TFJS_VERIFY_OK(db);
    auto infos = db->infos();
    TFJS_VERIFY_OK(infos);
    QCOMPARE(infos->size(), size_t(2));
    // In key order: the string key's length comes first.
    QCOMPARE(infos->at(0).path, QStringLiteral("tiny"));
    QCOMPARE(infos->at(1).path, QStringLiteral("later"));
    QCOMPARE(infos->at(0).info.modelTopologyBytes, qint64(577));
    QCOMPARE(infos->at(0).info.dateSaved.toString(Qt::ISODateWithMs),
             QStringLiteral("2026-12-06T20:23:28.776Z"));
    auto tiny = db->modelRecord(QStringLiteral("tiny"));
    TFJS_VERIFY_OK(tiny);
    QCOMPARE(tiny->json["modelArtifacts"]["weightData"].get_binary().size(), size_t(32));
    auto zeros = db->modelRecord(QStringLiteral("zeros"));
    TFJS_VERIFY_OK(zeros);
    QCOMPARE(zeros->json["modelArtifacts"]["weightData"].get_binary().size(), size_t(100400));
    TFJS_COMPARE_ERROR(db->modelRecord(QStringLiteral("nope")), ErrorCode::NotFound,
                       folder + QStringLiteral(" models_store 'nope': no such record."));
}

void TestChromiumIndexedDb::blobRecord()
{
    // Chromium's record of 'medium': the value is blob entry 0, blob number 2, 101373 bytes;
    // here the blob holds the 'tiny' value's Blink bytes.
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("file__0.indexeddb.leveldb"));
    const QByteArray key = encodeIdbStringKey(QStringLiteral("medium"));
    const QByteArray blink = chromiumFixture("tiny-models-store.bin").mid(kBlinkStart);
    {
        LevelDbWriter db(folder);
        writeSchema(db);
        db.put(encodeIdbPrefix({1, 1, 1}) + key, QByteArray::fromHex("03ff1101fd970600"));
        QByteArray list = QByteArray::fromHex("000227");
        for (const QChar c : QStringLiteral("application/vnd.blink-idb-value-wrapper"))
            list += QByteArray(1, '\0') + char(c.unicode());
        db.put(encodeIdbPrefix({1, 1, 3}) + key, list + QByteArray::fromHex("fd9706"));
    }
    const QString blob = dir.filePath(QStringLiteral("file__0.indexeddb.blob/1/00/2"));
    auto missing = ChromiumIndexedDb::read(folder)->modelRecord(QStringLiteral("medium"));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QCOMPARE(missing.error().path, blob);
    QVERIFY(writeFile(blob, blink));
    auto record = ChromiumIndexedDb::read(folder)->modelRecord(QStringLiteral("medium"));
    TFJS_VERIFY_OK(record);
    QVERIFY(record->json["modelPath"] == Json("tiny"));
}

void TestChromiumIndexedDb::noTfjsDatabase()
{
    QTemporaryDir dir;
    {
        LevelDbWriter db(dir.path());
        db.put(QByteArray::fromHex("0000000000"), QByteArray::fromHex("05"));
    }
    auto db = ChromiumIndexedDb::read(dir.path());
    TFJS_VERIFY_OK(db);
    auto infos = db->infos();
    TFJS_VERIFY_OK(infos);
    QVERIFY(infos->empty());
    auto record = db->modelRecord(QStringLiteral("tiny"));
    QVERIFY(!record);
    QCOMPARE(record.error().code, ErrorCode::NotFound);
}

QTEST_GUILESS_MAIN(TestChromiumIndexedDb)
#include "tst_chromiumindexeddb.moc"

// LevelDB's log format, write batches and MANIFEST edits, read from files libleveldb wrote.
#include "browser/leveldblog.h"
#include "leveldbfixture.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

class TestLevelDbLog : public QObject
{
    Q_OBJECT

private slots:
    void varints_data();
    void varints();
    void crc();
    void recordsAcrossBlocks();
    void batchesInOrder();
    void cutTailIsDropped();
    void corruptFragment();
    void truncatedBatch();
    void unknownBatchOperation();
    void manifestNamesLiveTables();
    void malformedManifest();

private:
    // A folder with one .log holding `count` puts, the value of key i `pattern(size, i)`.
    QByteArray logOf(QTemporaryDir &dir, int count, qint64 size)
    {
        LevelDbWriter writer(dir.path());
        for (int i = 0; i < count; ++i)
            writer.put(QByteArray::number(i), pattern(size, i));
        writer.close();
        const QStringList logs = levelDbFiles(dir.path(), QStringLiteral("*.log"));
        return logs.isEmpty() ? QByteArray() : readFile(logs.last());
    }
};

void TestLevelDbLog::varints_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("value"); // -1: truncated
    QTest::addColumn<int>("end");
    QTest::newRow("zero") << QByteArray::fromHex("00") << qint64(0) << 1;
    QTest::newRow("127") << QByteArray::fromHex("7f") << qint64(127) << 1;
    QTest::newRow("300") << QByteArray::fromHex("ac02") << qint64(300) << 2;
    QTest::newRow("101373") << QByteArray::fromHex("fd9706") << qint64(101373) << 3;
    QTest::newRow("cut") << QByteArray::fromHex("ac") << qint64(-1) << 1;
    QTest::newRow("empty") << QByteArray() << qint64(-1) << 0;
    QTest::newRow("eleven bytes") << QByteArray(11, char(0x80)) << qint64(-1) << 10;
}

void TestLevelDbLog::varints()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, value);
    QFETCH(int, end);
    qsizetype pos = 0;
    const auto read = readVarint(bytes, pos);
    QCOMPARE(read ? qint64(*read) : qint64(-1), value);
    QCOMPARE(pos, qsizetype(end));
}

void TestLevelDbLog::crc()
{
    // CRC-32C("123456789") is 0xE3069283 (RFC 3720's check value); LevelDB masks it.
    const quint32 crc = 0xE3069283u;
    QCOMPARE(maskedCrc32c("123456789"), ((crc >> 15) | (crc << 17)) + 0xa282ead8u);
}

void TestLevelDbLog::recordsAcrossBlocks()
{
    QTemporaryDir dir;
    const QByteArray log = logOf(dir, 3, 100000); // each record spans FIRST, MIDDLE..., LAST
    QVERIFY(log.size() > 3 * 100000);
    auto records = readLevelDbLog(log, QStringLiteral("x.log"));
    TFJS_VERIFY_OK(records);
    QCOMPARE(records->size(), size_t(3));
    LevelDbEntries entries;
    for (const QByteArray &record : *records)
        TFJS_VERIFY_OK(mergeWriteBatch(record, entries, QStringLiteral("x.log")));
    QCOMPARE(entries.size(), size_t(3));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(entries[QByteArray::number(i)].value, std::optional(pattern(100000, i)));
}

void TestLevelDbLog::batchesInOrder()
{
    QTemporaryDir dir;
    {
        LevelDbWriter writer(dir.path());
        writer.put("a", "1");
        writer.put("b", "2");
        writer.put("a", "3");
        writer.remove("b");
        writer.put("c", "4");
    }
    const QByteArray log = readFile(levelDbFiles(dir.path(), QStringLiteral("*.log")).last());
    auto records = readLevelDbLog(log, QStringLiteral("x.log"));
    TFJS_VERIFY_OK(records);
    LevelDbEntries entries;
    // Merged newest first: the sequence numbers decide, not the order of merging.
    for (auto it = records->rbegin(); it != records->rend(); ++it)
        TFJS_VERIFY_OK(mergeWriteBatch(*it, entries, QStringLiteral("x.log")));
    QCOMPARE(entries["a"].value, std::optional<QByteArray>("3"));
    QCOMPARE(entries["b"].value, std::optional<QByteArray>());
    QCOMPARE(entries["c"].value, std::optional<QByteArray>("4"));
    QCOMPARE(entries["a"].sequence, quint64(3));
}

void TestLevelDbLog::cutTailIsDropped()
{
    QTemporaryDir dir;
    const QByteArray log = logOf(dir, 2, 50000);
    // Cut inside the second record: the first stays, the second is as if never written.
    auto records = readLevelDbLog(log.left(log.size() - 100), QStringLiteral("x.log"));
    TFJS_VERIFY_OK(records);
    QCOMPARE(records->size(), size_t(1));
    records = readLevelDbLog(log.left(3), QStringLiteral("x.log"));
    TFJS_VERIFY_OK(records);
    QCOMPARE(records->size(), size_t(0));
}

void TestLevelDbLog::corruptFragment()
{
    QTemporaryDir dir;
    QByteArray log = logOf(dir, 1, 100);
    log[20] = char(log[20] ^ 0x40);
    TFJS_COMPARE_ERROR(readLevelDbLog(log, QStringLiteral("/p/000003.log")), ErrorCode::Format,
                       QStringLiteral("/p/000003.log: log fragment checksum mismatch at byte 0."));
    QByteArray badType = logOf(dir, 1, 10);
    badType[6] = char(9);
    const auto result = readLevelDbLog(badType, QStringLiteral("x.log"));
    QVERIFY(!result);
    QCOMPARE(result.error().offset, qint64(0)); // the checksum covers the type: it fails first
}

void TestLevelDbLog::truncatedBatch()
{
    LevelDbEntries entries;
    TFJS_COMPARE_ERROR(mergeWriteBatch(QByteArray(5, '\0'), entries, QStringLiteral("x.log")),
                       ErrorCode::Format,
                       QStringLiteral("x.log: a write batch shorter than its header at byte 0."));
    // Sequence 1, two operations, one Put "k" -> "v" given.
    const QByteArray one = QByteArray::fromHex("0100000000000000"
                                               "02000000"
                                               "01016b0176");
    TFJS_COMPARE_ERROR(
        mergeWriteBatch(one, entries, QStringLiteral("x.log")), ErrorCode::Format,
        QStringLiteral("x.log: a write batch ends before operation 2 of 2 at byte 17."));
    const QByteArray cutValue = QByteArray::fromHex("0100000000000000"
                                                    "01000000"
                                                    "01016b0576");
    TFJS_COMPARE_ERROR(mergeWriteBatch(cutValue, entries, QStringLiteral("x.log")),
                       ErrorCode::Format,
                       QStringLiteral("x.log: a write batch value is truncated at byte 15."));
}

void TestLevelDbLog::unknownBatchOperation()
{
    LevelDbEntries entries;
    const QByteArray batch = QByteArray::fromHex("0100000000000000"
                                                 "01000000"
                                                 "07016b");
    TFJS_COMPARE_ERROR(mergeWriteBatch(batch, entries, QStringLiteral("x.log")), ErrorCode::Format,
                       QStringLiteral("x.log: unknown write batch operation 7 at byte 12."));
}

void TestLevelDbLog::manifestNamesLiveTables()
{
    QTemporaryDir dir;
    {
        LevelDbWriter writer(dir.path());
        for (int i = 0; i < 3; ++i) {
            writer.put(QByteArray::number(i), pattern(1000, i));
            writer.compact();
        }
        writer.put("after", "x");
    }
    const QString current
        = QString::fromLatin1(readFile(dir.filePath(QStringLiteral("CURRENT"))).trimmed());
    auto manifest = parseLevelDbManifest(readFile(dir.filePath(current)), current);
    TFJS_VERIFY_OK(manifest);
    QCOMPARE(manifest->comparator, QStringLiteral("leveldb.BytewiseComparator"));
    QStringList expected;
    for (const QString &path : levelDbFiles(dir.path(), QStringLiteral("*.ldb")))
        expected << QFileInfo(path).baseName();
    QStringList live;
    for (const quint64 number : manifest->tables)
        live << QStringLiteral("%1").arg(number, 6, 10, QLatin1Char('0'));
    QVERIFY(!live.isEmpty());
    QCOMPARE(live, expected); // compacted-away tables are deleted by the edits
    QVERIFY(manifest->logNumber > 0);
}

void TestLevelDbLog::malformedManifest()
{
    QTemporaryDir dir;
    {
        LevelDbWriter writer(dir.path());
    }
    const QString current
        = QString::fromLatin1(readFile(dir.filePath(QStringLiteral("CURRENT"))).trimmed());
    const QByteArray good = readFile(dir.filePath(current));
    auto records = readLevelDbLog(good, current);
    TFJS_VERIFY_OK(records);
    QVERIFY(!records->empty());
    // A version edit with tag 8 (never written by LevelDB 1.23): a log record of one byte.
    QByteArray record = QByteArray::fromHex("08");
    QByteArray header(7, '\0');
    const quint32 crc = maskedCrc32c(QByteArray(QByteArray(1, char(1)) + record));
    std::memcpy(header.data(), &crc, 4);
    header[4] = char(record.size());
    header[6] = char(1);
    TFJS_COMPARE_ERROR(
        parseLevelDbManifest(QByteArray(header + record), QStringLiteral("MANIFEST-000001")),
        ErrorCode::Format,
        QStringLiteral("MANIFEST-000001: unknown version edit tag 8 at byte 1."));
}

QTEST_GUILESS_MAIN(TestLevelDbLog)
#include "tst_leveldblog.moc"

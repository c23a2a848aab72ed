// A LevelDB folder read from its files (tables, logs, MANIFEST) without opening it.
#include "browser/leveldbfolder.h"
#include "leveldbfixture.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

using Entries = std::map<QByteArray, QByteArray>;

} // namespace

class TestLevelDbFolder : public QObject
{
    Q_OBJECT

private slots:
    void tablesAndLogs();
    void anyComparatorOrder();
    void filesStayUntouched();
    void missingCurrent();
    void corruptTable();
    void missingTable();
};

void TestLevelDbFolder::tablesAndLogs()
{
    QTemporaryDir dir;
    {
        LevelDbWriter writer(dir.path());
        writer.put("kept", "table");
        writer.put("replaced", "old");
        writer.put("deleted", "gone soon");
        writer.put("big", pattern(300000, 1));
        writer.compact();
        writer.put("replaced", "new");
        writer.remove("deleted");
        writer.put("logged", "log only");
    }
    QVERIFY(!levelDbFiles(dir.path(), QStringLiteral("*.ldb")).isEmpty());
    const Entries expected{{"big", pattern(300000, 1)},
                           {"kept", "table"},
                           {"logged", "log only"},
                           {"replaced", "new"}};
    auto entries = readLevelDbFolder(dir.path());
    TFJS_VERIFY_OK(entries);
    QCOMPARE(*entries, expected);
}

void TestLevelDbFolder::anyComparatorOrder()
{
    QTemporaryDir dir;
    ReverseComparator reverse;
    Entries expected;
    {
        LevelDbWriter writer(dir.path(), &reverse);
        for (int i = 0; i < 200; ++i) {
            const QByteArray key = QByteArray::number(i * 7919 % 1000);
            writer.put(key, pattern(500, i));
            expected[key] = pattern(500, i);
            if (i % 50 == 49)
                writer.compact();
        }
    }
    QVERIFY(levelDbFiles(dir.path(), QStringLiteral("*.ldb")).size() >= 1);
    auto entries = readLevelDbFolder(dir.path());
    TFJS_VERIFY_OK(entries);
    QCOMPARE(entries->size(), expected.size());
    QCOMPARE(*entries, expected);
}

void TestLevelDbFolder::filesStayUntouched()
{
    QTemporaryDir dir;
    {
        LevelDbWriter writer(dir.path());
        writer.put("a", "1");
        writer.compact();
        writer.put("b", "2");
    }
    const Tree before = snapshot(dir.path());
    TFJS_VERIFY_OK(readLevelDbFolder(dir.path()));
    QCOMPARE(snapshot(dir.path()), before);
}

void TestLevelDbFolder::missingCurrent()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("CURRENT"));
    const auto result = readLevelDbFolder(dir.path());
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::NotFound);
    QCOMPARE(result.error().path, path);
    QVERIFY(result.error().message.startsWith(path + QStringLiteral(": cannot read the file")));
}

void TestLevelDbFolder::corruptTable()
{
    QTemporaryDir dir;
    {
        LevelDbWriter writer(dir.path());
        writer.put("a", pattern(5000, 2));
        writer.compact();
    }
    const QString table = levelDbFiles(dir.path(), QStringLiteral("*.ldb")).value(0);
    QVERIFY(!table.isEmpty());
    QByteArray bytes = readFile(table);
    bytes[100] = char(bytes[100] ^ 0xff); // inside the data block: its checksum fails
    QVERIFY(writeFile(table, bytes));
    auto result = readLevelDbFolder(dir.path());
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Format);
    QCOMPARE(result.error().path, table);
    QVERIFY2(result.error().message.startsWith(table + QStringLiteral(": a corrupt LevelDB table")),
             qPrintable(result.error().message));
    QVERIFY(writeFile(table, bytes.left(20))); // shorter than a table's footer
    result = readLevelDbFolder(dir.path());
    QVERIFY(!result);
    QVERIFY2(
        result.error().message.startsWith(table + QStringLiteral(": not a readable LevelDB table")),
        qPrintable(result.error().message));
}

void TestLevelDbFolder::missingTable()
{
    QTemporaryDir dir;
    {
        LevelDbWriter writer(dir.path());
        writer.put("a", "1");
        writer.compact();
    }
    const QString table = levelDbFiles(dir.path(), QStringLiteral("*.ldb")).value(0);
    QVERIFY(QFile::remove(table));
    const QString sst = table.chopped(4) + QStringLiteral(".sst");
    const auto result = readLevelDbFolder(dir.path());
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::NotFound);
    QCOMPARE(result.error().path, sst); // tried .ldb, then the older .sst name
}

QTEST_GUILESS_MAIN(TestLevelDbFolder)
#include "tst_leveldbfolder.moc"

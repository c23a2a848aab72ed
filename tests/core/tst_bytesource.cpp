// ByteSource: random access to the concatenated bytes of a WeightData for the inspection
// workers. Windows inside one segment and across segment (shard) boundaries, the boundaries
// themselves, ranges outside the data, files that are missing or shorter than their segment,
// and views that outlive their source.
#include "io/bytesource.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace tfjs;
using namespace tfjs::test;

namespace {

// Three shards as file:// loads describe them, with a bytes segment and an empty one between:
//   [0, 1000)      shard1.bin bytes 10..1010
//   [1000, 1005)   "bytes" in memory
//   [1005, 1005)   an empty segment
//   [1005, 3005)   shard2.bin bytes 0..2000
//   [3005, 3105)   shard1.bin bytes 0..100
struct Shards
{
    Shards()
    {
        writeFile(first(), pattern(1010, 1));
        writeFile(second(), pattern(2000, 2));
        data.appendFile(first(), 10, 1000, QStringLiteral("shard1.bin"));
        data.appendBytes("bytes", QStringLiteral("memory"));
        data.appendBytes({}, QStringLiteral("empty"));
        data.appendFile(second(), 0, 2000, QStringLiteral("shard2.bin"));
        data.appendFile(first(), 0, 100, QStringLiteral("shard1.bin"));
        all = pattern(1010, 1).mid(10) + "bytes" + pattern(2000, 2) + pattern(1010, 1).left(100);
    }
    QString first() const { return dir.filePath(QStringLiteral("shard1.bin")); }
    QString second() const { return dir.filePath(QStringLiteral("shard2.bin")); }

    QTemporaryDir dir;
    WeightData data;
    QByteArray all;
};

QByteArray bytesOf(const ByteSource::View &view)
{
    return QByteArray(view.data, view.size);
}

} // namespace

class TestByteSource : public QObject
{
    Q_OBJECT

private slots:
    void views_data();
    void views();
    void viewInsideBytesIsNotCopied();
    void segmentEnd_data();
    void segmentEnd();
    void boundariesIn_data();
    void boundariesIn();
    void outsideTheData_data();
    void outsideTheData();
    void emptyData();
    void shortFile_data();
    void shortFile();
    void missingFile();
    void viewOutlivesSource();
    void threadsShareOneSource();
};

void TestByteSource::views_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("size");
    QTest::newRow("whole first shard") << 0LL << 1000LL;
    QTest::newRow("inside the first shard") << 17LL << 300LL;
    QTest::newRow("last byte of a shard") << 999LL << 1LL;
    QTest::newRow("bytes segment") << 1000LL << 5LL;
    QTest::newRow("across shard and bytes") << 990LL << 20LL;
    QTest::newRow("across the empty segment") << 1003LL << 10LL;
    QTest::newRow("across three segments") << 500LL << 1000LL;
    QTest::newRow("second shard from its start") << 1005LL << 2000LL;
    QTest::newRow("across the last boundary") << 3000LL << 10LL;
    QTest::newRow("to the end") << 3050LL << 55LL;
    QTest::newRow("everything") << 0LL << 3105LL;
    QTest::newRow("nothing, at the end") << 3105LL << 0LL;
    QTest::newRow("nothing, at a boundary") << 1005LL << 0LL;
}

void TestByteSource::views()
{
    QFETCH(qint64, offset);
    QFETCH(qint64, size);
    Shards shards;
    const ByteSource source(shards.data);
    QCOMPARE(source.size(), 3105);
    auto view = source.view(offset, size);
    TFJS_VERIFY_OK(view);
    QCOMPARE(view->size, size);
    QVERIFY(view->data != nullptr);
    QCOMPARE(bytesOf(*view), shards.all.mid(offset, size));
}

void TestByteSource::viewInsideBytesIsNotCopied()
{
    const QByteArray bytes = pattern(100);
    const ByteSource source(WeightData::fromBytes(bytes));
    auto view = source.view(10, 20);
    TFJS_VERIFY_OK(view);
    QCOMPARE(view->data, source.view(0, 100)->data + 10); // both point into the one buffer
    QCOMPARE(bytesOf(*view), bytes.mid(10, 20));
}

void TestByteSource::segmentEnd_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("end");
    QTest::newRow("start") << 0LL << 1000LL;
    QTest::newRow("last byte of the first shard") << 999LL << 1000LL;
    QTest::newRow("bytes segment") << 1000LL << 1005LL;
    QTest::newRow("after the empty segment") << 1005LL << 3005LL;
    QTest::newRow("last segment") << 3005LL << 3105LL;
    QTest::newRow("end") << 3105LL << 3105LL;
    QTest::newRow("past the end") << 5000LL << 3105LL;
}

void TestByteSource::segmentEnd()
{
    QFETCH(qint64, offset);
    QFETCH(qint64, end);
    Shards shards;
    QCOMPARE(ByteSource(shards.data).segmentEnd(offset), end);
}

void TestByteSource::boundariesIn_data()
{
    QTest::addColumn<qint64>("begin");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<std::vector<qint64>>("cuts");
    QTest::newRow("none inside one shard") << 10LL << 900LL << std::vector<qint64>{};
    QTest::newRow("not at the ends") << 1000LL << 1005LL << std::vector<qint64>{};
    QTest::newRow("one") << 990LL << 1003LL << std::vector<qint64>{1000};
    QTest::newRow("all") << 0LL << 3105LL << std::vector<qint64>{1000, 1005, 3005};
    QTest::newRow("from a boundary") << 1000LL << 3100LL << std::vector<qint64>{1005, 3005};
}

void TestByteSource::boundariesIn()
{
    QFETCH(qint64, begin);
    QFETCH(qint64, end);
    QFETCH(std::vector<qint64>, cuts);
    Shards shards;
    QCOMPARE(ByteSource(shards.data).boundariesIn(begin, end), cuts);
}

void TestByteSource::outsideTheData_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("size");
    QTest::newRow("negative offset") << -1LL << 10LL;
    QTest::newRow("negative size") << 10LL << -1LL;
    QTest::newRow("one byte past the end") << 3000LL << 106LL;
    QTest::newRow("offset past the end") << 3106LL << 0LL;
    QTest::newRow("size overflowing") << 10LL << std::numeric_limits<qint64>::max();
}

void TestByteSource::outsideTheData()
{
    QFETCH(qint64, offset);
    QFETCH(qint64, size);
    Shards shards;
    TFJS_COMPARE_ERROR(ByteSource(shards.data).view(offset, size), ErrorCode::InvalidArgument,
                       QStringLiteral("Byte range %1+%2 is outside the 3105 bytes of weight data")
                           .arg(offset)
                           .arg(size));
}

void TestByteSource::emptyData()
{
    const ByteSource source{WeightData()};
    QCOMPARE(source.size(), 0);
    QCOMPARE(source.segmentEnd(0), 0);
    QCOMPARE(source.boundariesIn(0, 0), std::vector<qint64>{});
    auto view = source.view(0, 0);
    TFJS_VERIFY_OK(view);
    QCOMPARE(view->size, 0);
    TFJS_COMPARE_ERROR(source.view(0, 1), ErrorCode::InvalidArgument,
                       QStringLiteral("Byte range 0+1 is outside the 0 bytes of weight data"));
}

void TestByteSource::shortFile_data()
{
    // shard2.bin shrinks to 1500 bytes after loading: every window touching its segment fails,
    // even one inside what is left (mapping past a file's end would fault later); others work.
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("fails");
    QTest::newRow("inside what is left") << 1005LL << 10LL << true;
    QTest::newRow("in the lost part") << 2600LL << 10LL << true;
    QTest::newRow("across into the shard") << 990LL << 100LL << true;
    QTest::newRow("across out of the shard") << 3000LL << 10LL << true;
    QTest::newRow("another shard") << 0LL << 1005LL << false;
    QTest::newRow("the same file's other segment") << 3005LL << 100LL << false;
}

void TestByteSource::shortFile()
{
    QFETCH(qint64, offset);
    QFETCH(qint64, size);
    QFETCH(bool, fails);
    Shards shards;
    const ByteSource source(shards.data);
    QVERIFY(QFile::resize(shards.second(), 1500));
    auto view = source.view(offset, size);
    if (!fails) {
        TFJS_VERIFY_OK(view);
        QCOMPARE(bytesOf(*view), shards.all.mid(offset, size));
        return;
    }
    TFJS_COMPARE_ERROR(view, ErrorCode::Io,
                       QStringLiteral("Cannot read weight file '%1': the file ends at byte 1500, "
                                      "2000 bytes expected")
                           .arg(shards.second()));
    QCOMPARE(view.error().path, shards.second());
    QCOMPARE(view.error().shard, QStringLiteral("shard2.bin"));
    QCOMPARE(view.error().offset, 1500);
}

void TestByteSource::missingFile()
{
    Shards shards;
    const ByteSource source(shards.data);
    QVERIFY(QFile::remove(shards.first()));
    QFile probe(shards.first());
    QVERIFY(!probe.open(QIODevice::ReadOnly));
    auto view = source.view(20, 5);
    TFJS_COMPARE_ERROR(view, ErrorCode::Io,
                       QStringLiteral("Cannot read weight file '%1': %2")
                           .arg(shards.first(), probe.errorString()));
    QCOMPARE(view.error().offset, 30); // byte 20 of the data is byte 30 of the file
    QCOMPARE(view.error().shard, QStringLiteral("shard1.bin"));
    // Segments of other files still work.
    auto other = source.view(1005, 100);
    TFJS_VERIFY_OK(other);
    QCOMPARE(bytesOf(*other), shards.all.mid(1005, 100));
}

void TestByteSource::viewOutlivesSource()
{
    ByteSource::View inFile;
    ByteSource::View across;
    QByteArray expected;
    {
        Shards shards;
        const ByteSource source(shards.data);
        inFile = *source.view(1005, 2000);
        across = *source.view(990, 30);
        expected = shards.all;
    } // the source, its data and the files are gone
    QCOMPARE(bytesOf(inFile), expected.mid(1005, 2000));
    QCOMPARE(bytesOf(across), expected.mid(990, 30));
}

void TestByteSource::threadsShareOneSource()
{
    Shards shards;
    const ByteSource source(shards.data);
    std::vector<std::unique_ptr<QThread>> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back(QThread::create([&, t] {
            for (qint64 offset = t; offset + 64 <= source.size(); offset += 61) {
                auto view = source.view(offset, 64);
                if (!view || bytesOf(*view) != shards.all.mid(offset, 64))
                    ++wrong;
            }
        }));
        threads.back()->start();
    }
    for (auto &thread : threads)
        QVERIFY(thread->wait());
    QCOMPARE(wrong.load(), 0);
}

QTEST_GUILESS_MAIN(TestByteSource)
#include "tst_bytesource.moc"

// MultipartBody: the multipart/form-data body of an upload, read lazily from WeightData
// segments. Its exact layout (as fetch()'s FormData writes it), random access for resends,
// and files that are missing, short, or that change while the body is read.
#include "http/multipartbody.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

using Parts = std::vector<MultipartBody::Part>;

QByteArray readInChunks(QIODevice &device, qint64 chunk)
{
    QByteArray out;
    QByteArray buffer(chunk, Qt::Uninitialized);
    while (true) {
        const qint64 n = device.read(buffer.data(), chunk);
        if (n <= 0)
            break;
        out.append(buffer.constData(), n);
    }
    return out;
}

QByteArray header(const QByteArray &boundary, const QByteArray &name, const QByteArray &filename,
                  const QByteArray &type)
{
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=" + name
           + "; filename=" + filename + "\r\nContent-Type: " + type + "\r\n\r\n";
}

WeightData fileRange(const QString &path, qint64 offset, qint64 size, const QString &label)
{
    WeightData data;
    data.appendFile(path, offset, size, label);
    return data;
}

// The body with one part holding `data`, and the bytes before that part's content.
struct OnePart
{
    explicit OnePart(const WeightData &data)
        : body("B", Parts{{"w", "w", "application/octet-stream", data}})
    {
    }
    MultipartBody body;
    const QByteArray prefix = header("B", "\"w\"", "\"w\"", "application/octet-stream");
};

} // namespace

class TestMultipartBody : public QObject
{
    Q_OBJECT

private slots:
    void layout_data();
    void layout();
    void boundary();
    void readsInChunksAndSeeks_data();
    void readsInChunksAndSeeks();
    void seekLimits();
    void rereadsForAResend();
    void refusesWrites();
    void unreadableFile_data();
    void unreadableFile();
    void fileDisappearsMidRead();
    void fileShrinksMidRead();
    void fileRemovedAfterOpenStillReads();
    void errorNamesFileAndShard();
};

void TestMultipartBody::layout_data()
{
    QTest::addColumn<QByteArray>("boundary");
    QTest::addColumn<Parts>("parts");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("no parts") << QByteArray("XyZ") << Parts{} << QByteArray("--XyZ--\r\n");
    QTest::newRow("model.json and weights")
        << QByteArray("XyZ")
        << Parts{{"model.json", "model.json", "application/json", WeightData::fromBytes("{}")},
                 {"model.weights.bin", "model.weights.bin", "application/octet-stream",
                  WeightData::fromBytes(QByteArray("\x00\x01\x02", 3))}}
        << header("XyZ", "\"model.json\"", "\"model.json\"", "application/json") + "{}\r\n"
               + header("XyZ", "\"model.weights.bin\"", "\"model.weights.bin\"",
                        "application/octet-stream")
               + QByteArray("\x00\x01\x02", 3) + "\r\n--XyZ--\r\n";
    QTest::newRow("empty content")
        << QByteArray("b") << Parts{{"w", "f", "application/octet-stream", WeightData()}}
        << header("b", "\"w\"", "\"f\"", "application/octet-stream") + "\r\n--b--\r\n";
    QTest::newRow("quotes and line breaks escaped in names")
        << QByteArray("b") << Parts{{"a\"b", "c\r\nd", "text/plain", WeightData::fromBytes("x")}}
        << header("b", "\"a%22b\"", "\"c%0D%0Ad\"", "text/plain") + "x\r\n--b--\r\n";
    WeightData pieces = WeightData::fromBytes("one");
    pieces.appendBytes({}, QStringLiteral("nothing"));
    pieces.appendBytes("two", {});
    QTest::newRow("content of several segments")
        << QByteArray("b") << Parts{{"w", "w", "application/octet-stream", pieces}}
        << header("b", "\"w\"", "\"w\"", "application/octet-stream") + "onetwo\r\n--b--\r\n";
}

void TestMultipartBody::layout()
{
    QFETCH(QByteArray, boundary);
    QFETCH(Parts, parts);
    QFETCH(QByteArray, expected);
    MultipartBody body(boundary, parts);
    QCOMPARE(body.size(), qint64(expected.size()));
    QCOMPARE(body.readAll(), expected);
    QVERIFY(body.atEnd());
    QCOMPARE(body.contentType(), "multipart/form-data; boundary=" + boundary);
    QCOMPARE(body.boundary(), boundary);
    QVERIFY(!body.isSequential());
    QVERIFY(body.isReadable());
    QVERIFY(!body.isWritable());
}

void TestMultipartBody::boundary()
{
    const QByteArray boundary = MultipartBody::makeBoundary();
    QVERIFY(boundary.startsWith("----tfjsFormBoundary"));
    QCOMPARE(boundary.size(), 20 + 24);
    for (char c : boundary.mid(20))
        QVERIFY2(std::isalnum(static_cast<unsigned char>(c)), boundary.constData());
    QVERIFY(boundary != MultipartBody::makeBoundary());
}

void TestMultipartBody::readsInChunksAndSeeks_data()
{
    QTest::addColumn<qint64>("chunk");
    for (qint64 chunk : {1, 3, 7, 64, 4096, 1 << 20})
        QTest::newRow(qPrintable(QStringLiteral("chunk %1").arg(chunk))) << chunk;
}

void TestMultipartBody::readsInChunksAndSeeks()
{
    QFETCH(qint64, chunk);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shard.bin"));
    QByteArray fileBytes;
    for (int i = 0; i < 5000; ++i)
        fileBytes += char(i * 7);
    QVERIFY(writeFile(path, fileBytes));

    WeightData data;
    data.appendBytes("head-bytes", QStringLiteral("a"));
    data.appendFile(path, 100, 3000, QStringLiteral("b")); // a slice of the file
    data.appendBytes({}, QStringLiteral("empty"));
    data.appendFile(path, 0, 5000, QStringLiteral("c"));
    const QByteArray weights = "head-bytes" + fileBytes.mid(100, 3000) + fileBytes;

    MultipartBody body("b0undary", {{"model.weights.bin", "model.weights.bin",
                                     "application/octet-stream", data}});
    const QByteArray prefix = "--b0undary\r\nContent-Disposition: form-data; "
                              "name=\"model.weights.bin\"; filename=\"model.weights.bin\"\r\n"
                              "Content-Type: application/octet-stream\r\n\r\n";
    const QByteArray expected = prefix + weights + "\r\n--b0undary--\r\n";
    QCOMPARE(body.size(), qint64(expected.size()));
    QCOMPARE(readInChunks(body, chunk), expected);
    for (qint64 at : {qint64(0), qint64(5), qint64(prefix.size() + 9), qint64(prefix.size() + 10),
                      qint64(prefix.size() + 3009), body.size() - 3, body.size()}) {
        QVERIFY(body.seek(at));
        QCOMPARE(readInChunks(body, chunk), expected.mid(at));
    }
    QVERIFY(!body.seek(body.size() + 1));
    QCOMPARE(body.errorString(), QStringLiteral("Unknown error"));
}

void TestMultipartBody::seekLimits()
{
    MultipartBody body("b", {{"w", "w", "text/plain", WeightData::fromBytes("abc")}});
    QVERIFY(!body.seek(-1));
    QVERIFY(!body.seek(body.size() + 1));
    QVERIFY(body.seek(body.size()));
    QVERIFY(body.atEnd());
    QCOMPARE(body.read(10), QByteArray());
    QVERIFY(body.seek(body.size() - 9));
    QCOMPARE(body.read(100), QByteArray("\r\n--b--\r\n"));
}

void TestMultipartBody::rereadsForAResend()
{
    // A 307/308 redirect sends the body again from the start.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.bin"));
    QVERIFY(writeFile(path, pattern(70000, 1)));
    OnePart one(fileRange(path, 0, 70000, QStringLiteral("w.bin")));
    const QByteArray first = readInChunks(one.body, 16384);
    QCOMPARE(first, one.prefix + pattern(70000, 1) + "\r\n--B--\r\n");
    QVERIFY(one.body.seek(0));
    QCOMPARE(readInChunks(one.body, 1000), first);
}

void TestMultipartBody::refusesWrites()
{
    MultipartBody body("b", {});
    QCOMPARE(body.write("x"), qint64(-1));
    QCOMPARE(body.readAll(), QByteArray("--b--\r\n"));
}

void TestMultipartBody::unreadableFile_data()
{
    QTest::addColumn<qint64>("fileSize"); // -1: no file
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<QString>("why"); // %1: the error string of opening a missing file
    QTest::newRow("missing") << qint64(-1) << 0LL << 8LL << QStringLiteral("%1");
    QTest::newRow("shorter than described") << 10LL << 0LL << 100LL
                                            << QStringLiteral("the file ends before byte 100");
    QTest::newRow("range past the end") << 10LL << 20LL << 5LL
                                        << QStringLiteral("the file ends before byte 25");
}

void TestMultipartBody::unreadableFile()
{
    QFETCH(qint64, fileSize);
    QFETCH(qint64, offset);
    QFETCH(qint64, size);
    QFETCH(QString, why);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.bin"));
    if (fileSize >= 0)
        QVERIFY(writeFile(path, QByteArray(fileSize, 'x')));
    QFile probe(path);
    QCOMPARE(probe.open(QIODevice::ReadOnly), fileSize >= 0);
    if (why == QStringLiteral("%1"))
        why = why.arg(probe.errorString());
    OnePart one(fileRange(path, offset, size, QStringLiteral("w.bin")));
    // The read stops where the file fails (bytes of the failing read may be held back), after
    // the part's header, and says why.
    const QByteArray got = readInChunks(one.body, 4096);
    const QByteArray available = one.prefix + QByteArray(std::max<qint64>(0, fileSize - offset), 'x');
    QVERIFY(got.size() >= one.prefix.size());
    QVERIFY(available.startsWith(got));
    QCOMPARE(one.body.errorString(),
             QStringLiteral("Cannot read weight file '%1': %2").arg(path, why));
    // Byte by byte from there, exactly what the file has comes, and the body never ends.
    QCOMPARE(got + readInChunks(one.body, 1), available);
    QVERIFY(!one.body.atEnd());
}

void TestMultipartBody::fileDisappearsMidRead()
{
    // Two shard files; the second is deleted while the first is being sent.
    QTemporaryDir dir;
    const QString first = dir.filePath(QStringLiteral("a.bin"));
    const QString second = dir.filePath(QStringLiteral("b.bin"));
    QVERIFY(writeFile(first, pattern(1000, 1)));
    QVERIFY(writeFile(second, pattern(1000, 2)));
    WeightData data = fileRange(first, 0, 1000, QStringLiteral("a.bin"));
    data.appendFile(second, 0, 1000, QStringLiteral("b.bin"));
    OnePart one(data);
    const QByteArray head = one.body.read(one.prefix.size() + 500);
    QCOMPARE(head, one.prefix + pattern(500, 1));
    QVERIFY(QFile::remove(second));
    QFile probe(second);
    QVERIFY(!probe.open(QIODevice::ReadOnly));
    // The rest of the first file comes, then the read ends; the next read fails.
    QCOMPARE(one.body.read(4096), pattern(1000, 1).mid(500));
    QCOMPARE(one.body.errorString(),
             QStringLiteral("Cannot read weight file '%1': %2").arg(second, probe.errorString()));
    char byte = 0;
    QCOMPARE(one.body.read(&byte, 1), qint64(-1));
}

void TestMultipartBody::fileShrinksMidRead()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.bin"));
    QVERIFY(writeFile(path, pattern(1000, 3)));
    OnePart one(fileRange(path, 0, 1000, QStringLiteral("w.bin")));
    QCOMPARE(one.body.read(one.prefix.size() + 300), one.prefix + pattern(300, 3));
    QVERIFY(QFile::resize(path, 400));
    // At most what is left comes (bytes of the failing read may be held back), then the error.
    const QByteArray rest = one.body.read(4096);
    QVERIFY(pattern(400, 3).mid(300).startsWith(rest));
    QCOMPARE(one.body.errorString(),
             QStringLiteral("Cannot read weight file '%1': the file ends before byte 1000")
                 .arg(path));
    // Byte by byte from there, exactly what is left comes, and the body never ends.
    QCOMPARE(rest + readInChunks(one.body, 1), pattern(400, 3).mid(300));
    QVERIFY(!one.body.atEnd());
}

void TestMultipartBody::fileRemovedAfterOpenStillReads()
{
    // A file already open is read to its end even once its name is gone (the body keeps it).
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.bin"));
    QVERIFY(writeFile(path, pattern(5000, 4)));
    OnePart one(fileRange(path, 0, 5000, QStringLiteral("w.bin")));
    QCOMPARE(one.body.read(one.prefix.size() + 10), one.prefix + pattern(10, 4));
    QVERIFY(QFile::remove(path));
    QCOMPARE(readInChunks(one.body, 1024), pattern(5000, 4).mid(10) + "\r\n--B--\r\n");
    QCOMPARE(one.body.errorString(), QStringLiteral("Unknown error"));
}

void TestMultipartBody::errorNamesFileAndShard()
{
    // The reason of a failed read comes with readFailed(), with each failed read.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("gone.bin"));
    QVERIFY(writeFile(path, QByteArray(10, 'x')));
    WeightData data;
    data.appendFile(path, 0, 100, QStringLiteral("gone.bin")); // 90 bytes more than the file has
    MultipartBody body("B", {{"w", "w", "application/octet-stream", data}});
    std::vector<Error> failures;
    connect(&body, &MultipartBody::readFailed, this,
            [&failures](const Error &error) { failures.push_back(error); });
    const QByteArray got = readInChunks(body, 4096);
    QVERIFY(got.size() < body.size());
    QVERIFY(!failures.empty());
    const Error &error = failures.front();
    QCOMPARE(error.code, ErrorCode::Io);
    QCOMPARE(error.message,
             QStringLiteral("Cannot read weight file '%1': the file ends before byte 100").arg(path));
    QCOMPARE(error.shard, QStringLiteral("gone.bin"));
    QCOMPARE(error.path, path);
    QCOMPARE(error.offset, 10);
    QCOMPARE(body.errorString(), error.message);
}

QTEST_GUILESS_MAIN(TestMultipartBody)
#include "tst_multipartbody.moc"

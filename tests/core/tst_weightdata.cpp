// WeightData (segments of files and bytes), walkTensors and validateArtifacts: everything that
// streams the concatenated weight bytes.
#include "format/codec.h"
#include "base/job.h"
#include "format/tensorwalk.h"
#include "testutil.h"
#include "format/validate.h"
#include "io/weightdata.h"
#include "format/weightlayout.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace tfjs;
using namespace tfjs::test;

namespace {

struct Piece
{
    QString file;  // empty: in memory
    qint64 offset; // into file
    QByteArray bytes;
};

// Builds weight data from pieces: file pieces are written to `dir` with `offset` junk bytes
// before them and 3 after, so only the segment's range is valid.
WeightData build(const QString &dir, const std::vector<Piece> &pieces)
{
    WeightData data;
    int n = 0;
    for (const Piece &piece : pieces) {
        const QString label = QStringLiteral("piece%1").arg(++n);
        if (piece.file.isEmpty()) {
            data.appendBytes(piece.bytes, label);
            continue;
        }
        const QString path = dir + QLatin1Char('/') + piece.file;
        writeFile(path, QByteArray(piece.offset, 'J') + piece.bytes + "XYZ");
        data.appendFile(path, piece.offset, piece.bytes.size(), label);
    }
    return data;
}

QByteArray joined(const std::vector<Piece> &pieces)
{
    QByteArray out;
    for (const Piece &piece : pieces)
        out += piece.bytes;
    return out;
}

WeightSpec spec(const char *json)
{
    auto parsed = parseWeightSpec(j(json), QStringLiteral("test"));
    if (!parsed)
        qFatal("bad spec: %s", qPrintable(parsed.error().message));
    return *parsed;
}

// a float32 [3] (12 bytes), b int32 [5] (20 bytes), c bool [7] (7 bytes): 39 bytes.
std::vector<WeightSpec> threeSpecs()
{
    return {spec(R"({"name":"a","shape":[3],"dtype":"float32"})"),
            spec(R"({"name":"b","shape":[5],"dtype":"int32"})"),
            spec(R"({"name":"c","shape":[7],"dtype":"bool"})")};
}
QByteArray threeBytes()
{
    return f32({1.0f, 2.5f, -3.0f}) + i32({1, 2, 3, 4, 5}) + QByteArray("\x01\x00\x01\x01\x00\x00\x01", 7);
}

struct Visit
{
    QString name;
    qint64 offset;
    QByteArray bytes;
};

Result<std::vector<Visit>> walk(const std::vector<WeightSpec> &specs, const WeightData &data)
{
    std::vector<Visit> visits;
    auto walked = walkTensors(specs, data, [&visits](const TensorBytes &t) -> Result<void> {
        visits.push_back({u8(t.spec.name), t.offset, QByteArray(t.data, t.size)});
        return {};
    });
    if (!walked)
        return fail(walked.error());
    return visits;
}

ModelArtifacts artifactsOf(std::vector<WeightSpec> specs, WeightData data)
{
    ModelArtifacts artifacts;
    artifacts.weightSpecs = std::move(specs);
    artifacts.weightData = std::move(data);
    return artifacts;
}

} // namespace

class TestWeightData : public QObject
{
    Q_OBJECT

private slots:
    // WeightData
    void empty();
    void segmentsAcrossFilesAndBytes();
    void readChunks_data();
    void readChunks();
    void sinkStops();
    void cancelledContext();
    void progressCountsBytes();
    void readRange_data();
    void readRange();
    void readRangeOutside_data();
    void readRangeOutside();
    void shortFile_data();
    void shortFile();
    void missingFile();
    void copiesShareSegments();
    void sliceAcrossSegments();

    // walkTensors
    void walkAcrossShards_data();
    void walkAcrossShards();
    void walkStringTensors();
    void walkTrailingBytes_data();
    void walkTrailingBytes();
    void walkEndsInsideTensor_data();
    void walkEndsInsideTensor();
    void walkHugeShapeFailsFast();
    void walkVisitorErrorStops();

    // validateArtifacts
    void validateNonFiniteNotes();
    void validateCollectsDecodeProblems();
    void validateStringPrefixOverrun();
    void validateStructuralProblemEndsWalk();
    void validateCancelled();
    void validateWithoutSpecs();
};

// ---------------------------------------------------------------- WeightData

void TestWeightData::empty()
{
    const WeightData data;
    QVERIFY(data.isEmpty());
    QCOMPARE(data.size(), 0);
    QVERIFY(data.segments().empty());
    auto all = data.readAll();
    TFJS_VERIFY_OK(all);
    QVERIFY(all->isEmpty());
    const WeightData bytes = WeightData::fromBytes("abc", QStringLiteral("label"));
    QCOMPARE(bytes.size(), 3);
    QCOMPARE(bytes.segments().front().label, QStringLiteral("label"));
    QCOMPARE(*bytes.readAll(), QByteArray("abc"));
}

void TestWeightData::segmentsAcrossFilesAndBytes()
{
    QTemporaryDir tmp;
    const std::vector<Piece> pieces = {{QStringLiteral("a.bin"), 3, "01234"},
                                       {{}, 0, "abc"},
                                       {QStringLiteral("b.bin"), 0, "XY"},
                                       {{}, 0, ""},
                                       {QStringLiteral("a2.bin"), 7, pattern(9000, 2)}};
    const WeightData data = build(tmp.path(), pieces);
    QCOMPARE(data.size(), joined(pieces).size());
    QCOMPARE(data.segments().size(), pieces.size());
    QCOMPARE(data.segments()[0].file, tmp.filePath(QStringLiteral("a.bin")));
    QCOMPARE(data.segments()[0].offset, 3);
    QCOMPARE(data.segments()[2].label, QStringLiteral("piece3"));
    QByteArray streamed;
    auto read = data.read([&streamed](const char *bytes, qint64 n) {
        streamed.append(bytes, n);
        return true;
    });
    TFJS_VERIFY_OK(read);
    QCOMPARE(streamed, joined(pieces));
    QCOMPARE(*data.readAll(), joined(pieces));
}

void TestWeightData::sliceAcrossSegments()
{
    // Every range of files and bytes mixed reads as the same range of the whole, and reads
    // nothing to be made.
    QTemporaryDir tmp;
    const std::vector<Piece> pieces = {{QStringLiteral("a.bin"), 3, "01234"},
                                       {{}, 0, "abc"},
                                       {{}, 0, ""},
                                       {QStringLiteral("b.bin"), 2, "XYZW"}};
    const WeightData data = build(tmp.path(), pieces);
    const QByteArray all = joined(pieces);
    for (qint64 offset = 0; offset <= all.size(); ++offset) {
        for (qint64 size = 0; offset + size <= all.size() + 2; ++size) {
            const WeightData part = data.slice(offset, size);
            const QByteArray expected = all.mid(offset, size);
            QCOMPARE(part.size(), expected.size());
            QCOMPARE(*part.readAll(), expected);
        }
    }
    const WeightData middle = data.slice(4, 6); // "4", "abc", "XY" of b.bin at offset 2
    QCOMPARE(middle.segments().size(), std::size_t(3));
    QCOMPARE(middle.segments()[0].offset, 7);
    QCOMPARE(middle.segments()[2].file, tmp.filePath(QStringLiteral("b.bin")));
    QCOMPARE(middle.segments()[2].offset, 2);
    QCOMPARE(middle.segments()[2].size, 2);

    WeightData appended = data.slice(0, 2);
    appended.append(middle);
    appended.append(appended);
    QCOMPARE(*appended.readAll(), all.mid(0, 2) + all.mid(4, 6) + all.mid(0, 2) + all.mid(4, 6));
    QCOMPARE(*data.readAll(), all); // the sliced data is untouched
}

void TestWeightData::readChunks_data()
{
    QTest::addColumn<QList<int>>("segmentSizes");
    QTest::addColumn<bool>("files");
    QTest::addColumn<qint64>("chunkSize");
    QTest::addColumn<QList<int>>("chunks");
    for (bool files : {false, true}) {
        const char *kind = files ? "files" : "bytes";
        QTest::addRow("%s: 10000 in 4096", kind)
            << QList<int>{10000} << files << qint64(4096) << QList<int>{4096, 4096, 1808};
        QTest::addRow("%s: chunks never cross segments", kind)
            << QList<int>{5000, 3000} << files << qint64(4096) << QList<int>{4096, 904, 3000};
        QTest::addRow("%s: chunk size below 4096 is raised to 4096", kind)
            << QList<int>{9000} << files << qint64(1) << QList<int>{4096, 4096, 808};
        QTest::addRow("%s: exact multiple", kind)
            << QList<int>{8192} << files << qint64(4096) << QList<int>{4096, 4096};
        QTest::addRow("%s: one big chunk", kind)
            << QList<int>{100, 7000} << files << qint64(1 << 20) << QList<int>{100, 7000};
        QTest::addRow("%s: empty segment gives no chunk", kind)
            << QList<int>{0, 10} << files << qint64(4096) << QList<int>{10};
    }
}

void TestWeightData::readChunks()
{
    QFETCH(QList<int>, segmentSizes);
    QFETCH(bool, files);
    QFETCH(qint64, chunkSize);
    QFETCH(QList<int>, chunks);
    QTemporaryDir tmp;
    std::vector<Piece> pieces;
    for (qsizetype i = 0; i < segmentSizes.size(); ++i)
        pieces.push_back({files ? QStringLiteral("s%1.bin").arg(i) : QString(), files ? 5 : 0,
                          pattern(segmentSizes[i], int(i))});
    const WeightData data = build(tmp.path(), pieces);
    QList<int> seen;
    QByteArray streamed;
    auto read = data.read(
        [&](const char *bytes, qint64 n) {
            seen << int(n);
            streamed.append(bytes, n);
            return true;
        },
        nullptr, chunkSize);
    TFJS_VERIFY_OK(read);
    QCOMPARE(seen, chunks);
    QCOMPARE(streamed, joined(pieces));
}

void TestWeightData::sinkStops()
{
    const WeightData data = WeightData::fromBytes(pattern(10000));
    int calls = 0;
    auto read = data.read([&calls](const char *, qint64) { return ++calls < 2; }, nullptr, 4096);
    TFJS_COMPARE_ERROR(read, ErrorCode::Cancelled, QStringLiteral("Cancelled."));
    QCOMPARE(calls, 2);
}

void TestWeightData::cancelledContext()
{
    QTemporaryDir tmp;
    for (bool files : {false, true}) {
        const WeightData data =
            build(tmp.path(), {{files ? QStringLiteral("c.bin") : QString(), 0, pattern(20000)}});
        JobContext ctx;
        int calls = 0;
        auto read = data.read(
            [&](const char *, qint64) {
                if (++calls == 2)
                    ctx.cancel();
                return true;
            },
            &ctx, 4096);
        TFJS_COMPARE_ERROR(read, ErrorCode::Cancelled, QStringLiteral("Cancelled."));
        QCOMPARE(calls, 2); // checked between chunks
        if (files) { // one in-memory segment is handed back without reading
            JobContext before;
            before.cancel();
            TFJS_COMPARE_ERROR(data.readAll(&before), ErrorCode::Cancelled, QStringLiteral("Cancelled."));
        }
    }
}

void TestWeightData::progressCountsBytes()
{
    QTemporaryDir tmp;
    const std::vector<Piece> pieces = {{QStringLiteral("p.bin"), 2, pattern(10000)}, {{}, 0, pattern(5000)}};
    const WeightData data = build(tmp.path(), pieces);
    Progress last;
    int reports = 0;
    JobContext ctx([&](const Progress &p) {
        last = p;
        ++reports;
    });
    ctx.setStage(QStringLiteral("Reading"), data.size());
    TFJS_VERIFY_OK(data.read([](const char *, qint64) { return true; }, &ctx, 4096));
    QCOMPARE(ctx.progress().bytesDone, 15000);
    QCOMPARE(last.bytesDone, 15000); // the final update is always delivered
    QCOMPARE(last.bytesTotal, 15000);
    QCOMPARE(last.stage, QStringLiteral("Reading"));
    QVERIFY(reports >= 2);
}

void TestWeightData::readRange_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("size");
    // Segments: file 5 bytes | bytes 3 | file 1 | bytes 0 | file 9  = 18 bytes
    QTest::newRow("inside the first") << qint64(1) << qint64(3);
    QTest::newRow("whole first") << qint64(0) << qint64(5);
    QTest::newRow("across first two") << qint64(3) << qint64(4);
    QTest::newRow("across three") << qint64(4) << qint64(6);
    QTest::newRow("the 1-byte segment") << qint64(8) << qint64(1);
    QTest::newRow("across the empty segment") << qint64(7) << qint64(5);
    QTest::newRow("everything") << qint64(0) << qint64(18);
    QTest::newRow("last byte") << qint64(17) << qint64(1);
    QTest::newRow("empty at the end") << qint64(18) << qint64(0);
    QTest::newRow("empty in the middle") << qint64(6) << qint64(0);
}

void TestWeightData::readRange()
{
    QFETCH(qint64, offset);
    QFETCH(qint64, size);
    QTemporaryDir tmp;
    const std::vector<Piece> pieces = {{QStringLiteral("a"), 4, "ABCDE"},
                                       {{}, 0, "fgh"},
                                       {QStringLiteral("b"), 0, "I"},
                                       {{}, 0, ""},
                                       {QStringLiteral("c"), 1, "jklmnopqr"}};
    const WeightData data = build(tmp.path(), pieces);
    auto range = data.readRange(offset, size);
    TFJS_VERIFY_OK(range);
    QCOMPARE(*range, joined(pieces).mid(offset, size));
}

void TestWeightData::readRangeOutside_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("size");
    QTest::newRow("negative offset") << qint64(-1) << qint64(1);
    QTest::newRow("negative size") << qint64(2) << qint64(-1);
    QTest::newRow("past the end") << qint64(10) << qint64(3);
    QTest::newRow("starts at the end") << qint64(12) << qint64(1);
    QTest::newRow("huge size") << qint64(0) << std::numeric_limits<qint64>::max() / 2;
}

void TestWeightData::readRangeOutside()
{
    QFETCH(qint64, offset);
    QFETCH(qint64, size);
    const WeightData data = build({}, {{{}, 0, "abcdef"}, {{}, 0, "ghijkl"}});
    TFJS_COMPARE_ERROR(data.readRange(offset, size), ErrorCode::InvalidArgument,
                       QStringLiteral("Byte range %1+%2 is outside the 12 bytes of weight data")
                           .arg(offset)
                           .arg(size));
}

void TestWeightData::shortFile_data()
{
    QTest::addColumn<qint64>("segmentOffset");
    QTest::addColumn<qint64>("segmentSize");
    QTest::addColumn<qint64>("fileSize");
    QTest::newRow("short from the start") << qint64(0) << qint64(100) << qint64(60);
    QTest::newRow("short after an offset") << qint64(10) << qint64(100) << qint64(60);
    QTest::newRow("short after several chunks") << qint64(3) << qint64(20000) << qint64(9000);
}

void TestWeightData::shortFile()
{
    QFETCH(qint64, segmentOffset);
    QFETCH(qint64, segmentSize);
    QFETCH(qint64, fileSize);
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("short.bin"));
    writeFile(file, pattern(fileSize));
    WeightData data;
    data.appendBytes("head", QStringLiteral("mem"));
    data.appendFile(file, segmentOffset, segmentSize, QStringLiteral("group1-shard1of1.bin"));

    QByteArray streamed;
    auto read = data.read(
        [&streamed](const char *bytes, qint64 n) {
            streamed.append(bytes, n);
            return true;
        },
        nullptr, 4096);
    TFJS_COMPARE_ERROR(read, ErrorCode::Io,
                       QStringLiteral("Cannot read weight file '%1': the file ends at byte %2, %3 "
                                      "bytes expected")
                           .arg(file)
                           .arg(fileSize)
                           .arg(segmentOffset + segmentSize));
    QCOMPARE(read.error().path, file);
    QCOMPARE(read.error().shard, QStringLiteral("group1-shard1of1.bin"));
    QCOMPARE(read.error().offset, fileSize);
    QCOMPARE(streamed, QByteArray("head") + pattern(fileSize).mid(segmentOffset));

    // A range that reaches past the file's end names the file and where it ended.
    auto range = data.readRange(4, segmentSize);
    TFJS_COMPARE_ERROR(range, ErrorCode::Io,
                       QStringLiteral("Cannot read weight file '%1': the file is shorter than "
                                      "expected")
                           .arg(file));
    QCOMPARE(range.error().offset, fileSize);
    QCOMPARE(range.error().shard, QStringLiteral("group1-shard1of1.bin"));
    // A range inside the part that exists still reads.
    auto inside = data.readRange(4, fileSize - segmentOffset);
    TFJS_VERIFY_OK(inside);
    QCOMPARE(*inside, pattern(fileSize).mid(segmentOffset));
}

void TestWeightData::missingFile()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("gone.bin"));
    WeightData data;
    data.appendFile(file, 8, 16, QStringLiteral("gone.bin"));
    QFile probe(file);
    QVERIFY(!probe.open(QIODevice::ReadOnly));
    auto read = data.readAll();
    TFJS_COMPARE_ERROR(read, ErrorCode::Io,
                       QStringLiteral("Cannot read weight file '%1': %2").arg(file, probe.errorString()));
    QCOMPARE(read.error().offset, 8);
    QCOMPARE(read.error().path, file);
    QCOMPARE(read.error().shard, QStringLiteral("gone.bin"));
    auto range = data.readRange(0, 4);
    QVERIFY(!range);
    QCOMPARE(errorCodeName(range.error().code), errorCodeName(ErrorCode::Io));
    QCOMPARE(range.error().offset, 8);
}

void TestWeightData::copiesShareSegments()
{
    WeightData original = WeightData::fromBytes("abc");
    WeightData copy = original;
    QCOMPARE(copy.segments().data(), original.segments().data()); // shared, not copied
    copy.appendBytes("def", {});
    QCOMPARE(original.size(), 3);
    QCOMPARE(*original.readAll(), QByteArray("abc"));
    QCOMPARE(*copy.readAll(), QByteArray("abcdef"));
    original.appendBytes("X", {});
    QCOMPARE(*copy.readAll(), QByteArray("abcdef"));
    QCOMPARE(*original.readAll(), QByteArray("abcX"));
}

// ---------------------------------------------------------------- walkTensors

void TestWeightData::walkAcrossShards_data()
{
    QTest::addColumn<QList<int>>("cuts"); // where the 39 bytes are split into files
    QTest::newRow("one shard") << QList<int>{};
    QTest::newRow("cut inside a") << QList<int>{5};
    QTest::newRow("cut at tensor boundaries") << QList<int>{12, 32};
    QTest::newRow("odd cuts everywhere") << QList<int>{1, 13, 14, 31, 38};
}

void TestWeightData::walkAcrossShards()
{
    QFETCH(QList<int>, cuts);
    QTemporaryDir tmp;
    const QByteArray bytes = threeBytes();
    std::vector<Piece> pieces;
    int from = 0;
    cuts << int(bytes.size());
    for (qsizetype i = 0; i < cuts.size(); ++i) {
        pieces.push_back({QStringLiteral("shard%1").arg(i), 0, bytes.mid(from, cuts[i] - from)});
        from = cuts[i];
    }
    JobContext ctx;
    ctx.setStage(QStringLiteral("walk"), 0, 3);
    std::vector<Visit> visits;
    auto walked = walkTensors(
        threeSpecs(), build(tmp.path(), pieces),
        [&visits](const TensorBytes &t) -> Result<void> {
            visits.push_back({u8(t.spec.name), t.offset, QByteArray(t.data, t.size)});
            return {};
        },
        &ctx);
    TFJS_VERIFY_OK(walked);
    QCOMPARE(visits.size(), std::size_t(3));
    const qint64 offsets[] = {0, 12, 32};
    const qint64 sizes[] = {12, 20, 7};
    const char *names[] = {"a", "b", "c"};
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(visits[i].name, QString::fromLatin1(names[i]));
        QCOMPARE(visits[i].offset, offsets[i]);
        QCOMPARE(visits[i].bytes, bytes.mid(offsets[i], sizes[i]));
    }
    QCOMPARE(ctx.progress().itemsDone, 3);
}

void TestWeightData::walkStringTensors()
{
    // A string tensor's size is only known from its prefixes; split it across shards.
    QTemporaryDir tmp;
    const std::vector<WeightSpec> specs = {spec(R"({"name":"s","shape":[3],"dtype":"string"})"),
                                           spec(R"({"name":"f","shape":[1],"dtype":"float32"})"),
                                           spec(R"({"name":"e","shape":[2],"dtype":"string"})")};
    const QByteArray s = stringTensor({"ab", "", "вес"});
    const QByteArray e = stringTensor({"", "重み"});
    const QByteArray bytes = s + f32({0.5f}) + e;
    const WeightData data = build(tmp.path(), {{QStringLiteral("1"), 0, bytes.left(3)},
                                               {QStringLiteral("2"), 0, bytes.mid(3, 7)},
                                               {QStringLiteral("3"), 0, bytes.mid(10)}});
    auto visits = walk(specs, data);
    TFJS_VERIFY_OK(visits);
    QCOMPARE(visits->size(), std::size_t(3));
    QCOMPARE((*visits)[0].bytes, s);
    QCOMPARE((*visits)[1].offset, s.size());
    QCOMPARE((*visits)[1].bytes, f32({0.5f}));
    QCOMPARE((*visits)[2].bytes, e);
}

void TestWeightData::walkTrailingBytes_data()
{
    QTest::addColumn<QList<int>>("pieces"); // sizes of in-memory segments of 39 + 11 bytes
    QTest::newRow("one segment") << QList<int>{50};
    QTest::newRow("trailing bytes in their own segment") << QList<int>{39, 11};
    QTest::newRow("trailing bytes across segments") << QList<int>{45, 5};
    QTest::newRow("trailing bytes across three segments") << QList<int>{42, 4, 4};
}

void TestWeightData::walkTrailingBytes()
{
    QFETCH(QList<int>, pieces);
    const QByteArray bytes = threeBytes() + pattern(11);
    WeightData data;
    int from = 0;
    for (int size : pieces) {
        data.appendBytes(bytes.mid(from, size), {});
        from += size;
    }
    int visited = 0;
    auto walked = walkTensors(threeSpecs(), data, [&visited](const TensorBytes &) -> Result<void> {
        ++visited;
        return {};
    });
    // Same message however the bytes are cut: the count of all trailing bytes and where
    // they start; refused before any tensor is visited.
    TFJS_COMPARE_ERROR(walked, ErrorCode::Weights,
                       QStringLiteral("The weight data is too long: 11 bytes follow the last "
                                      "tensor 'c', which ends at byte 39; the data ends at byte "
                                      "50."));
    QCOMPARE(walked.error().offset, 39);
    QCOMPARE(walked.error().tensor, QStringLiteral("c"));
    QCOMPARE(visited, 0);
}

void TestWeightData::walkEndsInsideTensor_data()
{
    QTest::addColumn<int>("available");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<qint64>("offset");
    QTest::newRow("inside b") << 30
                              << QStringLiteral("The weight data is too short: tensor 'b' starts "
                                                "at byte 12 and needs 20 bytes, but the data ends "
                                                "at byte 30, the end of the last shard, piece2 (shards: "
                                                "piece1 15 bytes, piece2 15 bytes).")
                              << QStringLiteral("b") << qint64(12);
    QTest::newRow("between b and c") << 32
                                     << QStringLiteral("The weight data is too short: tensor 'c' "
                                                       "starts at byte 32 and needs 7 bytes, but "
                                                       "the data ends at byte 32, the end of the "
                                                       "last shard, piece2 (shards: piece1 16 bytes, "
                                                       "piece2 16 bytes).")
                                     << QStringLiteral("c") << qint64(32);
    QTest::newRow("no data") << 0
                             << QStringLiteral("The weight data is too short: tensor 'a' starts "
                                               "at byte 0 and needs 12 bytes, but the data ends at "
                                               "byte 0, the end of the last shard, piece2 (shards: "
                                               "piece1 0 bytes, piece2 0 bytes).")
                             << QStringLiteral("a") << qint64(0);
}

void TestWeightData::walkEndsInsideTensor()
{
    QFETCH(int, available);
    QFETCH(QString, message);
    QFETCH(QString, tensor);
    QFETCH(qint64, offset);
    QTemporaryDir tmp;
    const QByteArray bytes = threeBytes().left(available);
    const WeightData data = build(tmp.path(), {{QStringLiteral("x"), 0, bytes.left(available / 2)},
                                               {{}, 0, bytes.mid(available / 2)}});
    auto visits = walk(threeSpecs(), data);
    TFJS_COMPARE_ERROR(visits, ErrorCode::Weights, message);
    QCOMPARE(visits.error().tensor, tensor);
    QCOMPARE(visits.error().offset, offset);
}

void TestWeightData::walkHugeShapeFailsFast()
{
    // Claims of 40 GB (fixed size) and a billion strings over 16 bytes: refused by the sizes
    // alone, with no allocation sized by the claim and no walk over a billion elements.
    const WeightData data = WeightData::fromBytes(stringTensor({"", "ab", ""}) + "xx");
    auto fixed = walk({spec(R"({"name":"w","shape":[100000,100000],"dtype":"float32"})")}, data);
    TFJS_COMPARE_ERROR(fixed, ErrorCode::Weights,
                       QStringLiteral("The weight data is too short: tensor 'w' starts at byte "
                                      "0 and needs 40000000000 bytes, but the data ends at byte "
                                      "16."));
    auto variable = walk({spec(R"({"name":"s","shape":[1000000000],"dtype":"string"})")}, data);
    TFJS_COMPARE_ERROR(variable, ErrorCode::Weights,
                       QStringLiteral("The weight data is too short: string tensor 's' starts at "
                                      "byte 0 and needs at least 4000000000 bytes, a 4-byte length "
                                      "prefix for each of its 1000000000 elements, but the data "
                                      "ends at byte 16."));
    QCOMPARE(variable.error().tensor, QStringLiteral("s"));
    QCOMPARE(variable.error().offset, 0);
}

void TestWeightData::walkVisitorErrorStops()
{
    int visited = 0;
    auto walked = walkTensors(threeSpecs(), WeightData::fromBytes(threeBytes()),
                              [&visited](const TensorBytes &t) -> Result<void> {
                                  if (++visited == 2)
                                      return fail(ErrorCode::Weights,
                                                  QStringLiteral("stop at %1").arg(u8(t.spec.name)));
                                  return {};
                              });
    TFJS_COMPARE_ERROR(walked, ErrorCode::Weights, QStringLiteral("stop at b"));
    QCOMPARE(visited, 2);
}

// ---------------------------------------------------------------- validateArtifacts

void TestWeightData::validateNonFiniteNotes()
{
    constexpr float nan = std::numeric_limits<float>::quiet_NaN();
    constexpr float inf = std::numeric_limits<float>::infinity();
    const std::vector<WeightSpec> specs = {
        spec(R"({"name":"a","shape":[4],"dtype":"float32"})"),
        spec(R"({"name":"z","shape":[2],"dtype":"complex64"})"),
        spec(R"({"name":"ok","shape":[2],"dtype":"float32"})"),
        spec(R"({"name":"h","shape":[3],"dtype":"float32","quantization":{"dtype":"float16"}})"),
    };
    const QByteArray halves("\x00\x7c\x00\x7e\x00\x34", 6); // +Inf, NaN, 0.25
    const QByteArray bytes = f32({nan, inf, -inf, 1.0f}) + f32({1.0f, nan, nan, 2.0f})
                             + f32({1.0f, 2.0f}) + halves;
    QTemporaryDir tmp;
    const auto artifacts = artifactsOf(specs, build(tmp.path(), {{QStringLiteral("x"), 0, bytes.left(9)},
                                                                 {{}, 0, bytes.mid(9)}}));
    JobContext ctx;
    auto report = validateArtifacts(artifacts, ctx);
    TFJS_VERIFY_OK(report);
    QVERIFY(report->ok());
    QCOMPARE(report->tensorsDecoded, 4);
    QCOMPARE(report->bytesRead, bytes.size());
    QCOMPARE(report->notes, (QStringList{QStringLiteral("Tensor 'a' holds 1 NaN and 2 infinite values."),
                                         QStringLiteral("Tensor 'z' holds 2 NaN and 0 infinite values."),
                                         QStringLiteral("Tensor 'h' holds 1 NaN and 1 infinite values.")}));
}

void TestWeightData::validateCollectsDecodeProblems()
{
    // Specs built in code can carry what parsing refuses; every decode problem is collected
    // and the walk goes on.
    WeightSpec q1;
    q1.name = "q1";
    q1.shape = {2};
    q1.quantization = Quantization{QuantDType::UInt8, std::nullopt, std::nullopt};
    WeightSpec q2 = q1;
    q2.name = "q2";
    q2.quantization = Quantization{QuantDType::UInt16, 0.0, std::nullopt};
    const std::vector<WeightSpec> specs = {q1, spec(R"({"name":"a","shape":[1],"dtype":"float32"})"),
                                           q2, spec(R"({"name":"b","shape":[1],"dtype":"int32"})")};
    const QByteArray bytes = QByteArray("\x01\x02", 2) + f32({1.0f}) + QByteArray(4, '\0') + i32({3});
    JobContext ctx;
    auto report = validateArtifacts(artifactsOf(specs, WeightData::fromBytes(bytes)), ctx);
    TFJS_VERIFY_OK(report);
    QVERIFY(!report->ok());
    QCOMPARE(report->problems.size(), std::size_t(2));
    QCOMPARE(report->problems[0].tensor, QStringLiteral("q1"));
    QCOMPARE(report->problems[1].tensor, QStringLiteral("q2"));
    // The texts are the codec's for the same tensors.
    QCOMPARE(report->problems[0].message, decodeTensor(q1, bytes.constData(), 2).error().message);
    QCOMPARE(report->problems[1].message,
             decodeTensor(q2, bytes.constData() + 6, 4, 6).error().message);
    QCOMPARE(report->tensorsDecoded, 2);
    QCOMPARE(report->bytesRead, 8);
}

void TestWeightData::validateStringPrefixOverrun()
{
    // Two strings; the second's prefix claims 100 bytes where 3 remain: validate reports the
    // layout rule's error (which a load reports too).
    const WeightSpec s = spec(R"({"name":"s","shape":[2],"dtype":"string"})");
    const QByteArray bytes = stringTensor({"ok"}) + le<std::uint32_t>({100}) + "abc";
    JobContext ctx;
    auto report = validateArtifacts(artifactsOf({s}, WeightData::fromBytes(bytes)), ctx);
    TFJS_VERIFY_OK(report);
    QCOMPARE(report->problems.size(), std::size_t(1));
    const Error &problem = report->problems.front();
    QCOMPARE(errorCodeName(problem.code), errorCodeName(ErrorCode::Weights));
    QCOMPARE(problem.tensor, QStringLiteral("s"));
    QCOMPARE(problem.offset, 6); // the prefix that overruns
    QCOMPARE(problem.message,
             checkWeightLayout({s}, WeightData::fromBytes(bytes)).error().message);
    QVERIFY2(problem.message.contains(QStringLiteral("'s'")), qPrintable(problem.message));
    QCOMPARE(report->tensorsDecoded, 0);
}

void TestWeightData::validateStructuralProblemEndsWalk()
{
    JobContext ctx;
    auto report = validateArtifacts(
        artifactsOf(threeSpecs(), WeightData::fromBytes(threeBytes().left(20))), ctx);
    TFJS_VERIFY_OK(report);
    QCOMPARE(report->problems.size(), std::size_t(1));
    QCOMPARE(report->problems[0].message,
             QStringLiteral("The weight data is too short: tensor 'b' starts at byte 12 and needs "
                            "20 bytes, but the data ends at byte 20."));
    QCOMPARE(report->tensorsDecoded, 0); // the layout is refused before any tensor is decoded
    QCOMPARE(report->bytesRead, 0);
}

void TestWeightData::validateCancelled()
{
    JobContext ctx;
    ctx.cancel();
    auto report =
        validateArtifacts(artifactsOf(threeSpecs(), WeightData::fromBytes(threeBytes())), ctx);
    TFJS_COMPARE_ERROR(report, ErrorCode::Cancelled, QStringLiteral("Cancelled."));
}

void TestWeightData::validateWithoutSpecs()
{
    JobContext ctx;
    auto report = validateArtifacts(ModelArtifacts{}, ctx);
    TFJS_VERIFY_OK(report);
    QVERIFY(report->ok());
    QCOMPARE(report->tensorsDecoded, 0);
    QVERIFY(report->notes.isEmpty());
}

QTEST_GUILESS_MAIN(TestWeightData)
#include "tst_weightdata.moc"

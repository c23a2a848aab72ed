// tfjs-model quantize, in-process through tfjs::cli::run: what is quantized and kept, the
// report, globs, and the refusals (usage 2, failures 1 with nothing written).
#include "clirun.h"
#include "format/codec.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

Json readJson(const QString &path)
{
    const QByteArray bytes = readFile(path);
    auto json = parseJson(std::string_view(bytes.constData(), std::size_t(bytes.size())), path);
    if (!json)
        qFatal("%s is not JSON", qPrintable(path));
    return *json;
}

} // namespace

class TestQuantizeCli : public QObject
{
    Q_OBJECT

private slots:
    void listed();
    void uint8KeepsInt32();
    void globs_data();
    void globs();
    void usageErrors_data();
    void usageErrors();
    void failuresWriteNothing();
    void shardSizeDownloads();
    void shardSizeStoreNote();
};

void TestQuantizeCli::listed()
{
    const CliRun run = runCli({ QStringLiteral("--help") });
    QVERIFY(run.out.contains(QStringLiteral("  quantize    Quantize a model's float32 weights")));
}

void TestQuantizeCli::uint8KeepsInt32()
{
    // The small model: dense/kernel float32 [2,3] (quantized), dense/bias int32 [3] (kept).
    QTemporaryDir dir;
    const QString source = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const QString destination = dir.filePath(QStringLiteral("q"));
    const CliRun run = runCli({ QStringLiteral("quantize"), source, destination,
        QStringLiteral("--dtype"), QStringLiteral("uint8"), QStringLiteral("--json") });
    QCOMPARE(run.code, 0);
    QVERIFY(run.err.isEmpty());
    const Json report = stdoutJson(run.out);
    const Json &kernel = report["tensors"][0];
    QCOMPARE(kernel["quantized"].get<bool>(), true);
    QCOMPARE(kernel["bytesBefore"].get<int>(), 24);
    QCOMPARE(kernel["bytesAfter"].get<int>(), 6);
    const Json &bias = report["tensors"][1];
    QCOMPARE(bias["quantized"].get<bool>(), false);
    QCOMPARE(bias["reason"].get<std::string>(), std::string("int32"));
    QCOMPARE(report["bytesAfter"].get<int>(), 6 + 12);

    // The converter's quantization, written as TF.js reads it; the int32 bytes as they were.
    const std::vector<float> values = { 1.5f, -2.0f, 0.25f, 3.0f, 4.0f, -0.5f };
    const QuantizedData expected = quantizeAffine(values, QuantDType::UInt8);
    const Json model = readJson(destination + QStringLiteral("/model.json"));
    const Json &spec = model["weightsManifest"][0]["weights"][0];
    QCOMPARE(spec["quantization"]["dtype"].get<std::string>(), std::string("uint8"));
    QCOMPARE(spec["quantization"]["min"].get<double>(), *expected.quantization.min);
    QCOMPARE(spec["quantization"]["scale"].get<double>(), *expected.quantization.scale);
    QCOMPARE(kernel["scale"].get<double>(), *expected.quantization.scale);
    QCOMPARE(
        readFile(destination + QStringLiteral("/weights.bin")), expected.bytes + i32({ 7, -8, 9 }));

    // Quantizing it again keeps the quantized tensor as it is.
    const CliRun again = runCli({ QStringLiteral("quantize"),
        destination + QStringLiteral("/model.json"), dir.filePath(QStringLiteral("q2")),
        QStringLiteral("--dtype"), QStringLiteral("float16") });
    QCOMPARE(again.code, 0);
    QVERIFY2(again.out.contains(QStringLiteral("  = dense/kernel  kept (already uint8)\n")),
        qPrintable(again.out));
    QVERIFY(again.out.contains(
        QStringLiteral("0 of 2 tensors quantized to float16; weights 18 -> 18 bytes\n")));
}

void TestQuantizeCli::globs_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<bool>("kernel");
    QTest::newRow("only matching")
        << QStringList { QStringLiteral("--only"), QStringLiteral("dense/*") } << true;
    QTest::newRow("only other") << QStringList { QStringLiteral("--only"), QStringLiteral("conv*") }
                                << false;
    QTest::newRow("skip matching")
        << QStringList { QStringLiteral("--skip"), QStringLiteral("*kern?l") } << false;
    QTest::newRow("skip other") << QStringList { QStringLiteral("--skip"), QStringLiteral("*bias") }
                                << true;
    QTest::newRow("skip wins over only") << QStringList { QStringLiteral("--only"),
        QStringLiteral("*"), QStringLiteral("--skip"), QStringLiteral("dense/kernel") }
                                         << false;
}

void TestQuantizeCli::globs()
{
    QFETCH(QStringList, options);
    QFETCH(bool, kernel);
    QTemporaryDir dir;
    const QString source = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const CliRun run = runCli(
        QStringList { QStringLiteral("quantize"), source, dir.filePath(QStringLiteral("q")),
            QStringLiteral("--dtype"), QStringLiteral("uint16"), QStringLiteral("--json") }
        + options);
    QCOMPARE(run.code, 0);
    const Json report = stdoutJson(run.out);
    const Json &t = report["tensors"][0];
    QCOMPARE(t["quantized"].get<bool>(), kernel);
    if (!kernel)
        QCOMPARE(t["reason"].get<std::string>(), std::string("not selected"));
}

void TestQuantizeCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no dtype") << QStringList {
        QStringLiteral("quantize"), QStringLiteral("a"), QStringLiteral("b")
    } << QStringLiteral("tfjs-model: --dtype takes uint8, uint16 or float16.");
    QTest::newRow("bad dtype") << QStringList {
        QStringLiteral("quantize"), QStringLiteral("--dtype"), QStringLiteral("int8"),
        QStringLiteral("a"), QStringLiteral("b")
    } << QStringLiteral("tfjs-model: --dtype takes uint8, uint16 or float16.");
    QTest::newRow("one URL") << QStringList { QStringLiteral("quantize"), QStringLiteral("--dtype"),
        QStringLiteral("uint8"), QStringLiteral("a") }
                             << QStringLiteral("tfjs-model: quantize takes SRC and DST.");
    QTest::newRow("shard size 0") << QStringList{QStringLiteral("quantize"), QStringLiteral("--shard-size"), QStringLiteral("0"),
                                                 QStringLiteral("--dtype"), QStringLiteral("uint8"), QStringLiteral("a"), QStringLiteral("b")}
                                  << QStringLiteral("tfjs-model: --shard-size takes a number of bytes greater than 0.");
    QTest::newRow("shard size not a number")
        << QStringList{QStringLiteral("quantize"), QStringLiteral("--shard-size"), QStringLiteral("4MiB"), QStringLiteral("--dtype"),
                       QStringLiteral("uint8"), QStringLiteral("a"), QStringLiteral("b")}
        << QStringLiteral("tfjs-model: --shard-size takes a number of bytes greater than 0.");
}

void TestQuantizeCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QCOMPARE(run.code, 2);
    QVERIFY2(run.err.startsWith(message + QStringLiteral("\n\nUsage: tfjs-model quantize")),
        qPrintable(run.err));
}

void TestQuantizeCli::failuresWriteNothing()
{
    QTemporaryDir dir;
    const QString source = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const QString taken = QFileInfo(writeSmallModel(dir.filePath(QStringLiteral("taken")))).path();
    const Tree before = snapshot(dir.path());
    const QStringList dtype = { QStringLiteral("--dtype"), QStringLiteral("uint8") };

    const CliRun missing = runCli(
        QStringList { QStringLiteral("quantize"), dir.filePath(QStringLiteral("nope/model.json")),
            dir.filePath(QStringLiteral("out")) }
        + dtype);
    QCOMPARE(missing.code, 1);
    QCOMPARE(missing.err,
        QStringLiteral("tfjs-model: Path %1 does not exist: loading failed [path: %1]\n")
            .arg(dir.filePath(QStringLiteral("nope/model.json"))));

    const CliRun exists = runCli(QStringList { QStringLiteral("quantize"), source, taken } + dtype);
    QCOMPARE(exists.code, 1);
    QVERIFY2(exists.err.contains(QStringLiteral("already exists; use --overwrite to replace it.")),
        qPrintable(exists.err));

    const CliRun same = runCli(QStringList { QStringLiteral("quantize"), source, source } + dtype);
    QCOMPARE(same.code, 1);
    QCOMPARE(same.err,
        QStringLiteral("tfjs-model: Old path and new path are the same: '%1'\n").arg(source));

    // The destination is refused before the source is loaded (a missing source says nothing).
    const CliRun first = runCli(
        QStringList { QStringLiteral("quantize"), dir.filePath(QStringLiteral("nope/model.json")), taken } + dtype);
    QCOMPARE(first.code, 1);
    QCOMPARE(first.err,
        QStringLiteral("tfjs-model: file://%1 already exists; use --overwrite to replace it. [path: %1, url: file://%1]\n")
            .arg(taken));
    QVERIFY(missing.out.isEmpty() && exists.out.isEmpty() && same.out.isEmpty());
    QCOMPARE(snapshot(dir.path()), before);
}

void TestQuantizeCli::shardSizeDownloads()
{
    // float16: kernel 6 x 2 bytes + int32 bias 12 bytes = 24 bytes, in shards of 10.
    QTemporaryDir dir;
    const QString source = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const QString downloads = dir.filePath(QStringLiteral("dl"));
    QVERIFY(QDir().mkpath(downloads));
    const CliRun run = runCli({ QStringLiteral("quantize"), QStringLiteral("--downloads"),
        downloads, QStringLiteral("--shard-size"), QStringLiteral("10"), source,
        QStringLiteral("downloads://m"), QStringLiteral("--dtype"), QStringLiteral("float16") });
    QCOMPARE(run.code, 0);
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    const QStringList names = { QStringLiteral("m.group1-shard1of3.bin"),
        QStringLiteral("m.group1-shard2of3.bin"), QStringLiteral("m.group1-shard3of3.bin") };
    QCOMPARE(
        QDir(downloads).entryList(QDir::Files), names + QStringList { QStringLiteral("m.json") });
    const Json model = readJson(downloads + QStringLiteral("/m.json"));
    QByteArray bytes;
    for (int i = 0; i < names.size(); ++i) {
        QCOMPARE(model["weightsManifest"][0]["paths"][i].get<std::string>(),
            "./" + names[i].toStdString());
        bytes += readFile(downloads + QLatin1Char('/') + names[i]);
    }
    QCOMPARE(model["weightsManifest"][0]["paths"].size(), std::size_t(3));
    QCOMPARE(readFile(downloads + QLatin1Char('/') + names[2]).size(), qsizetype(4));
    const QByteArray half = quantizeFloat16({ 1.5f, -2.0f, 0.25f, 3.0f, 4.0f, -0.5f }).bytes;
    QCOMPARE(bytes, half + i32({ 7, -8, 9 }));
}

void TestQuantizeCli::shardSizeStoreNote()
{
    // A store keeps one buffer: the option is noted on stderr, the save goes on.
    QTemporaryDir dir;
    const QString source = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const CliRun run = runCli({ QStringLiteral("quantize"), QStringLiteral("--store"),
        dir.filePath(QStringLiteral("store")), QStringLiteral("--shard-size"), QStringLiteral("10"),
        source, QStringLiteral("indexeddb://m"), QStringLiteral("--dtype"),
        QStringLiteral("uint8") });
    QCOMPARE(run.code, 0);
    QCOMPARE(run.err,
        QStringLiteral("tfjs-model: note: --shard-size applies to file:// and downloads:// saves; "
                       "indexeddb:// keeps the weights as one buffer, as TF.js does\n"));
    const CliRun plain = runCli({ QStringLiteral("quantize"), QStringLiteral("--store"),
        dir.filePath(QStringLiteral("store")), source, QStringLiteral("indexeddb://n"),
        QStringLiteral("--dtype"), QStringLiteral("uint8") });
    QCOMPARE(plain.code, 0);
    QVERIFY(plain.err.isEmpty());
}

QTEST_GUILESS_MAIN(TestQuantizeCli)
#include "tst_quantizecli.moc"

// quantizeModel: the quantized bytes are spooled to a temporary file (bounded memory) and equal,
// byte for byte, the tensors quantized one by one and concatenated as the in-memory version
// wrote them; a report-only run gives the same report and keeps nothing; a spool that cannot be
// made is an error naming the tensor and the folder.
#include "base/job.h"
#include "format/codec.h"
#include "format/quantize.h"
#include "io/spoolfile.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace tfjs;
using namespace tfjs::test;

Q_DECLARE_METATYPE(tfjs::QuantDType)

namespace {

WeightSpec spec(std::string name, std::vector<std::int64_t> shape, DType dtype = DType::Float32)
{
    WeightSpec s;
    s.name = std::move(name);
    s.shape = std::move(shape);
    s.dtype = dtype;
    return s;
}

std::vector<float> seeded(std::size_t count, int seed)
{
    std::vector<float> values(count);
    for (std::size_t i = 0; i < count; ++i)
        values[i] = float(std::sin(double(i * 7 + std::size_t(seed) * 13)) * (seed + 1));
    return values;
}

QByteArray bytesOf(const std::vector<float> &values)
{
    return QByteArray(reinterpret_cast<const char *>(values.data()), qsizetype(values.size() * 4));
}

QuantizedData quantized(const std::vector<float> &values, QuantDType dtype)
{
    return dtype == QuantDType::Float16 ? quantizeFloat16(values) : quantizeAffine(values, dtype);
}

// Float kernels and biases, an int32 tensor, a skipped float tensor and one with a NaN, as a
// weights file on disk (the way file:// loads describe them: file segments).
struct Model
{
    ModelArtifacts artifacts;
    std::vector<std::vector<float>> floats; // the tensors to quantize, in order
    QByteArray ints, skipped, nonFinite;
};

Model writeModel(const QString &folder)
{
    Model m;
    m.floats = { seeded(300, 1), seeded(20, 2), seeded(4096, 3) };
    m.ints = i32({ 7, -8, 9 });
    m.skipped = bytesOf(seeded(10, 4));
    m.nonFinite = f32({ 1.0f, NAN });
    const QByteArray all = bytesOf(m.floats[0]) + m.ints + bytesOf(m.floats[1]) + m.skipped
        + m.nonFinite + bytesOf(m.floats[2]);
    const QString file = folder + QStringLiteral("/weights.bin");
    if (!writeFile(file, all))
        qFatal("cannot write %s", qPrintable(file));
    m.artifacts.modelTopology = Json::object();
    m.artifacts.weightSpecs = std::vector<WeightSpec> { spec("a/kernel", { 30, 10 }),
        spec("a/index", { 3 }, DType::Int32), spec("a/bias", { 20 }), spec("keep/kernel", { 10 }),
        spec("nan/kernel", { 2 }), spec("b/kernel", { 64, 64 }) };
    m.artifacts.weightData.appendFile(file, 0, all.size(), QStringLiteral("weights.bin"));
    return m;
}

QuantizeOptions optionsFor(QuantDType dtype)
{
    QuantizeOptions options;
    options.dtype = dtype;
    options.skip = { QStringLiteral("keep/*") };
    return options;
}

} // namespace

class TestQuantize : public QObject
{
    Q_OBJECT

private slots:
    void spooledEqualsInMemory_data();
    void spooledEqualsInMemory();
    void reportOnlyKeepsNothing();
    void spoolFolderMissing();
    void cancelled();
};

void TestQuantize::spooledEqualsInMemory_data()
{
    QTest::addColumn<QuantDType>("dtype");
    QTest::newRow("uint8") << QuantDType::UInt8;
    QTest::newRow("uint16") << QuantDType::UInt16;
    QTest::newRow("float16") << QuantDType::Float16;
}

void TestQuantize::spooledEqualsInMemory()
{
    QFETCH(QuantDType, dtype);
    QTemporaryDir dir;
    const Model m = writeModel(dir.path());
    JobContext ctx;
    auto result = quantizeModel(m.artifacts, optionsFor(dtype), ctx);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));

    // What the in-memory version produced: each tensor quantized on its own, in order.
    std::vector<QuantizedData> q;
    for (const std::vector<float> &values : m.floats)
        q.push_back(quantized(values, dtype));
    const QByteArray expected
        = q[0].bytes + m.ints + q[1].bytes + m.skipped + m.nonFinite + q[2].bytes;
    auto bytes = result->artifacts.weightData.readAll();
    QVERIFY(bytes);
    QCOMPARE(*bytes, expected);

    // The quantized bytes live in one spool file, not in memory; kept tensors in the source.
    std::shared_ptr<SpoolFile> spool;
    for (const WeightData::Segment &segment : result->artifacts.weightData.segments()) {
        QVERIFY(segment.bytes.isEmpty());
        if (segment.spool) {
            QVERIFY(!spool || spool == segment.spool);
            spool = segment.spool;
        } else {
            QCOMPARE(segment.file, dir.filePath(QStringLiteral("weights.bin")));
        }
    }
    QVERIFY(spool);
    QCOMPARE(spool->size(), qint64(q[0].bytes.size() + q[1].bytes.size() + q[2].bytes.size()));

    // The report and the specs.
    const std::vector<TensorQuantization> &t = result->tensors;
    QCOMPARE(t.size(), std::size_t(6));
    QVERIFY(t[0].quantized && t[2].quantized && t[5].quantized);
    QCOMPARE(t[1].reason, std::string("int32"));
    QCOMPARE(t[3].reason, std::string("not selected"));
    QCOMPARE(t[4].reason, std::string("non-finite values"));
    QCOMPARE(t[5].bytesAfter, qint64(q[2].bytes.size()));
    QCOMPARE(result->bytesAfter, qint64(expected.size()));
    const std::vector<WeightSpec> &specs = *result->artifacts.weightSpecs;
    QCOMPARE(specs[5].quantization->dtype, dtype);
    QVERIFY(specs[5].quantization->scale == q[2].quantization.scale); // none for float16
    QVERIFY(!specs[1].quantization);
}

void TestQuantize::reportOnlyKeepsNothing()
{
    QTemporaryDir dir;
    const Model m = writeModel(dir.path());
    JobContext ctx;
    auto full = quantizeModel(m.artifacts, optionsFor(QuantDType::UInt8), ctx);
    QVERIFY(full);
    QuantizeOptions options = optionsFor(QuantDType::UInt8);
    options.reportOnly = true;
    options.spoolFolder = dir.filePath(QStringLiteral("missing")); // never needed
    JobContext previewCtx;
    auto preview = quantizeModel(m.artifacts, options, previewCtx);
    QVERIFY2(preview, qPrintable(preview ? QString() : preview.error().toString()));
    QVERIFY(preview->toJson() == full->toJson());
    QVERIFY(preview->artifacts.weightData.segments().empty());
    QCOMPARE(preview->artifacts.weightSpecs->size(), std::size_t(6));
    QCOMPARE(preview->artifacts.weightSpecs->at(0).quantization->scale.value_or(-1),
        full->artifacts.weightSpecs->at(0).quantization->scale.value_or(-2));
}

void TestQuantize::spoolFolderMissing()
{
    QTemporaryDir dir;
    const Model m = writeModel(dir.path());
    QuantizeOptions options = optionsFor(QuantDType::Float16);
    options.spoolFolder = dir.filePath(QStringLiteral("missing"));
    JobContext ctx;
    auto result = quantizeModel(m.artifacts, options, ctx);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Io);
    QCOMPARE(result.error().tensor, QStringLiteral("a/kernel"));
    QCOMPARE(result.error().path, options.spoolFolder);
    QVERIFY2(result.error().message.startsWith(QStringLiteral(
                 "Cannot keep the quantized tensor 'a/kernel' in a temporary file: "))
            && result.error().message.contains(options.spoolFolder),
        qPrintable(result.error().message));
}

void TestQuantize::cancelled()
{
    QTemporaryDir dir;
    const Model m = writeModel(dir.path());
    JobContext ctx;
    ctx.cancel();
    auto result = quantizeModel(m.artifacts, optionsFor(QuantDType::UInt8), ctx);
    QVERIFY(!result);
    QVERIFY(result.error().isCancelled());
}

QTEST_GUILESS_MAIN(TestQuantize)
#include "tst_quantize.moc"

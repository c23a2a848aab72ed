#include "format/codec.h"
#include "inspect/statskernels.h"
#include "inspect/weightstats.h"
#include "base/job.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <random>
#include <future>
#include <thread>

using namespace tfjs;
using namespace tfjs::test;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

Json j(const char *text)
{
    auto value = parseJson(text, QStringLiteral("test"));
    if (!value)
        qFatal("bad JSON in test: %s", qPrintable(value.error().message));
    return *value;
}

WeightSpec spec(const char *json)
{
    auto parsed = parseWeightSpec(j(json), QStringLiteral("test"));
    if (!parsed)
        qFatal("bad spec in test: %s", qPrintable(parsed.error().message));
    return *parsed;
}

std::vector<float> normals(std::size_t n, float mean, float sd, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(mean, sd);
    std::vector<float> values(n);
    for (float &v : values)
        v = dist(rng);
    return values;
}

QByteArray bytesOf(const std::vector<float> &values)
{
    return QByteArray(reinterpret_cast<const char *>(values.data()), qsizetype(values.size() * 4));
}

// A model exercising every path: specs and their concatenated bytes.
struct Model
{
    std::vector<WeightSpec> specs;
    QByteArray data;

    void add(const WeightSpec &s, const QByteArray &bytes)
    {
        specs.push_back(s);
        data += bytes;
    }
};

Model richModel()
{
    Model m;
    std::vector<float> big = normals(70000, 0.01f, 0.05f, 1);
    big[5] = kNaN;
    big[4095] = kInf;    // the last value of a 16 KiB chunk
    big[4096] = -kInf;
    big[30000] = -0.0f;
    big[30001] = 1e-45f; // subnormal
    big[69999] = 0.0f;
    m.add(spec(R"({"name":"dense/kernel","shape":[700,100],"dtype":"float32"})"), bytesOf(big));
    m.add(spec(R"({"name":"flag","shape":[],"dtype":"bool"})"), QByteArray(1, char(1)));
    m.add(spec(R"({"name":"dense/bias","shape":[5],"dtype":"float32"})"),
          f32({kNaN, 3.4028235e38f, -3.4028235e38f, 0.5f, -0.25f}));
    m.add(spec(R"({"name":"empty","shape":[3,0],"dtype":"float32"})"), QByteArray());
    m.add(spec(R"({"name":"all_nan","shape":[2],"dtype":"float32"})"), f32({kNaN, kNaN}));
    m.add(spec(R"({"name":"const","shape":[6],"dtype":"float32"})"),
          f32({0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f}));
    // Far from zero compared with its spread: the std needs the exact second pass.
    std::vector<float> offset = normals(9000, 1000.0f, 0.001f, 2);
    m.add(spec(R"({"name":"bn/moving_mean","shape":[9000],"dtype":"float32"})"), bytesOf(offset));
    m.add(spec(R"({"name":"ids","shape":[6],"dtype":"int32"})"),
          i32({-2147483647 - 1, 2147483647, 0, -5, 5, 123456789}));
    QByteArray u8;
    for (int i = 0; i < 3001; ++i)
        u8 += char((i * 37) & 0xff);
    m.add(spec(R"({"name":"q/u8","shape":[3001],"dtype":"float32",
                    "quantization":{"dtype":"uint8","min":-1.27,"scale":0.01}})"), u8);
    m.add(spec(R"({"name":"q/u8int","shape":[3001],"dtype":"int32",
                    "quantization":{"dtype":"uint8","min":-100,"scale":0.75}})"), u8);
    QByteArray halves;
    for (int code = 0; code < 65536; ++code)
        halves += le<std::uint16_t>({std::uint16_t(code)});
    m.add(spec(R"({"name":"q/f16","shape":[65536],"dtype":"float32","quantization":{"dtype":"float16"}})"),
          halves);
    QByteArray u16;
    for (int i = 0; i < 5000; ++i)
        u16 += le<std::uint16_t>({std::uint16_t((i * 7919) & 0xffff)});
    m.add(spec(R"({"name":"q/u16","shape":[5000],"dtype":"float32",
                    "quantization":{"dtype":"uint16","min":-3.5,"scale":0.0001}})"), u16);
    m.add(spec(R"({"name":"mask","shape":[5],"dtype":"bool"})"), QByteArray("\x01\x00\x01\x01\x00", 5));
    m.add(spec(R"({"name":"z","shape":[3],"dtype":"complex64"})"), f32({1, -1, 0.5f, 0, kNaN, 2}));
    m.add(spec(R"({"name":"vocab","shape":[3],"dtype":"string"})"), stringTensor({"", "ab", "xyz"}));
    m.add(spec(R"({"name":"opt/m","shape":[4],"dtype":"float32","group":"optimizer"})"),
          f32({1, 2, 3, 4}));
    return m;
}

// Exactly rounded sum (Shewchuk's partials, as Python's math.fsum), in long double.
class ExactSum
{
public:
    void add(long double x)
    {
        std::size_t i = 0;
        for (long double y : m_partials) {
            if (std::fabs(x) < std::fabs(y))
                std::swap(x, y);
            const long double hi = x + y;
            const long double lo = y - (hi - x);
            if (lo != 0)
                m_partials[i++] = lo;
            x = hi;
        }
        m_partials.resize(i);
        m_partials.push_back(x);
    }
    long double value() const
    {
        long double total = 0;
        for (auto it = m_partials.rbegin(); it != m_partials.rend(); ++it)
            total += *it;
        return total;
    }

private:
    std::vector<long double> m_partials;
};

// The reference: decode with the codec (TF.js's values), sum exactly, one value at a time,
// with the histogram formula of docs/stats-json.md.
struct Reference
{
    std::int64_t count = 0, finite = 0, nan = 0, posInf = 0, negInf = 0, zeros = 0;
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    ExactSum exactSum, exactAbs, exactSquares;
    long double sum = 0, sumAbs = 0, sumSquares = 0;
    std::vector<double> values; // finite ones
};

std::vector<double> decodedValues(const WeightSpec &s, const QByteArray &bytes)
{
    auto tensor = decodeTensor(s, bytes.constData(), bytes.size());
    if (!tensor)
        qFatal("decode failed: %s", qPrintable(tensor.error().message));
    std::vector<double> out;
    std::visit(
        [&](const auto &values) {
            using T = typename std::decay_t<decltype(values)>::value_type;
            if constexpr (!std::is_same_v<T, std::string>)
                out.assign(values.begin(), values.end());
        },
        tensor->values);
    return out;
}

Reference reference(const std::vector<double> &values)
{
    Reference r;
    r.count = std::int64_t(values.size());
    for (const double v : values) {
        if (std::isnan(v)) {
            ++r.nan;
        } else if (std::isinf(v)) {
            ++(v > 0 ? r.posInf : r.negInf);
        } else {
            ++r.finite;
            r.zeros += v == 0 ? 1 : 0;
            r.min = r.finite == 1 ? v : std::min(r.min, v);
            r.max = r.finite == 1 ? v : std::max(r.max, v);
            r.exactSum.add(v);
            r.exactAbs.add(std::fabs(v));
            r.exactSquares.add(static_cast<long double>(v) * v);
            r.values.push_back(v);
        }
    }
    r.sum = r.exactSum.value();
    r.sumAbs = r.exactAbs.value();
    r.sumSquares = r.exactSquares.value();
    return r;
}

void compareClose(double actual, long double expected, const char *what, const QString &name)
{
    const long double error = std::fabs(static_cast<long double>(actual) - expected);
    const long double bound = 1e-12L * std::fabs(expected);
    if (error > bound)
        QFAIL(qPrintable(QStringLiteral("%1: %2 is %3, expected %4").arg(name, QLatin1String(what))
                             .arg(actual, 0, 'g', 17).arg(double(expected), 0, 'g', 17)));
}

void compareStats(const ValueStats &s, const Reference &r, const QString &name)
{
    QCOMPARE(s.count, r.count);
    QCOMPARE(s.finite, r.finite);
    QCOMPARE(s.nan, r.nan);
    QCOMPARE(s.posInf, r.posInf);
    QCOMPARE(s.negInf, r.negInf);
    QCOMPARE(s.zeros, r.zeros);
    compareClose(s.l2, std::sqrt(r.sumSquares), "l2", name);
    if (r.finite == 0) {
        QVERIFY2(std::isnan(s.min) && std::isnan(s.mean) && std::isnan(s.std), qPrintable(name));
        return;
    }
    QCOMPARE(s.min, r.min);
    QCOMPARE(s.max, r.max);
    const long double n = r.finite;
    const long double mean = r.sum / n;
    long double m2 = 0;
    for (const double v : r.values)
        m2 += (v - mean) * (v - mean);
    compareClose(s.mean, mean, "mean", name);
    compareClose(s.meanAbs, r.sumAbs / n, "meanAbs", name);
    if (r.min == r.max)
        QCOMPARE(s.std, 0.0);
    else
        compareClose(s.std, std::sqrt(m2 / n), "std", name);
}

std::vector<std::int64_t> referenceHistogram(const Reference &r, int bins)
{
    std::vector<std::int64_t> counts(std::size_t(bins), 0);
    const double scale = double(bins) / (r.max - r.min);
    for (const double v : r.values) {
        const std::size_t bin = r.min == r.max ? 0
                                               : std::size_t(std::min<double>(bins - 1, std::floor((v - r.min) * scale)));
        ++counts[bin];
    }
    return counts;
}

// The model's bytes in memory, or written to files cut at the given offsets.
ModelArtifacts artifactsOf(const Model &m, const QString &dir, const std::vector<qint64> &cuts)
{
    ModelArtifacts a;
    a.weightSpecs = m.specs;
    if (dir.isEmpty()) {
        a.weightData = WeightData::fromBytes(m.data, QStringLiteral("weights.bin"));
        return a;
    }
    qint64 from = 0;
    std::vector<qint64> ends = cuts;
    ends.push_back(m.data.size());
    for (std::size_t i = 0; i < ends.size(); ++i) {
        const QString name = QStringLiteral("shard%1.bin").arg(i + 1);
        const QString path = dir + QLatin1Char('/') + name;
        if (!writeFile(path, m.data.mid(from, ends[i] - from)))
            qFatal("cannot write %s", qPrintable(path));
        a.weightData.appendFile(path, 0, ends[i] - from, name);
        from = ends[i];
    }
    return a;
}

} // namespace

class TestWeightStats : public QObject
{
    Q_OBJECT

private slots:
    void matchesReference_data();
    void matchesReference();
    void sameResultWhateverTheThreads();
    void quantizationFields();
    void stringTensors();
    void selectedTensors();
    void histogramRange();
    void noWeights();
    void jsonOfAnEmptyTensor();
    void progressAndItems_data();
    void progressAndItems();
    void cancelledBeforeStart();
    void cancelledWhileRunning();
    void cancelledFromAnotherThread();

    void invalidOptions_data();
    void invalidOptions();
    void unknownTensor();
    void dataSizeErrors_data();
    void dataSizeErrors();
    void missingShard();
    void shrunkShard();

    void kernelsAgainstLoops_data();
    void kernelsAgainstLoops();
    void m2FromMomentsOnlyWhenAccurate();
};

void TestWeightStats::matchesReference_data()
{
    QTest::addColumn<bool>("files");
    QTest::addColumn<qint64>("chunkBytes");
    QTest::addColumn<qint64>("holdBytes");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("bins");
    QTest::newRow("in memory, defaults") << false << qint64(4 << 20) << qint64(64 << 20) << 0 << 20;
    QTest::newRow("in memory, small chunks, 4 threads") << false << qint64(16384) << qint64(64 << 20) << 4 << 20;
    QTest::newRow("shards, defaults") << true << qint64(4 << 20) << qint64(64 << 20) << 0 << 20;
    QTest::newRow("shards, 16 KiB chunks, 3 threads, 7 bins") << true << qint64(16384) << qint64(64 << 20) << 3 << 7;
    QTest::newRow("shards, nothing held between passes") << true << qint64(16384) << qint64(0) << 2 << 20;
    QTest::newRow("shards, 100-byte chunks, 1 thread, 1 bin") << true << qint64(100) << qint64(1024) << 1 << 1;
    QTest::newRow("shards, no histogram") << true << qint64(8192) << qint64(64 << 20) << 2 << 0;
    QTest::newRow("in memory, 1000 bins") << false << qint64(4 << 20) << qint64(64 << 20) << 2 << 1000;
}

void TestWeightStats::matchesReference()
{
    QFETCH(bool, files);
    QFETCH(qint64, chunkBytes);
    QFETCH(qint64, holdBytes);
    QFETCH(int, threads);
    QFETCH(int, bins);
    const Model m = richModel();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Cuts inside float values, inside the big tensor, and around small tensors.
    const ModelArtifacts a = artifactsOf(m, files ? dir.path() : QString(),
                                         {1001, 16387, 100001, 280002, 280003, m.data.size() - 7});
    StatsOptions options;
    options.bins = bins;
    options.chunkBytes = chunkBytes;
    options.holdBytes = holdBytes;
    options.threads = threads;
    JobContext ctx;
    auto stats = computeWeightStats(a, options, ctx);
    QVERIFY2(stats.has_value(), stats ? "" : qPrintable(stats.error().toString()));
    QCOMPARE(stats->tensors.size(), m.specs.size());
    QCOMPARE(stats->bins, bins);

    qint64 offset = 0;
    std::vector<double> model;
    std::vector<double> optimizer;
    for (std::size_t i = 0; i < m.specs.size(); ++i) {
        const WeightSpec &s = m.specs[i];
        const TensorStats &t = stats->tensors[i];
        const QString name = QString::fromStdString(s.name);
        QCOMPARE(t.name, s.name);
        QCOMPARE(t.offset, offset);
        const QByteArray bytes = m.data.mid(offset, t.bytes);
        offset += t.bytes;
        if (s.dtype == DType::String) {
            QVERIFY(!t.numeric);
            QCOMPARE(t.values.count, s.elementCount());
            continue;
        }
        const std::vector<double> values = decodedValues(s, bytes);
        const Reference r = reference(values);
        compareStats(t.values, r, name);
        if (bins == 0 || r.finite == 0) {
            QVERIFY2(!t.histogram, qPrintable(name));
        } else {
            QVERIFY2(t.histogram.has_value(), qPrintable(name));
            QCOMPARE(t.histogram->min, r.min);
            QCOMPARE(t.histogram->max, r.max);
            QCOMPARE(t.histogram->counts, referenceHistogram(r, bins));
        }
        if (s.dtype == DType::Float32) {
            std::vector<double> &into = s.group == "optimizer" ? optimizer : model;
            into.insert(into.end(), values.begin(), values.end());
        }
    }
    QCOMPARE(offset, qint64(m.data.size()));
    QCOMPARE(stats->bytes, qint64(m.data.size()));
    compareStats(stats->model, reference(model), QStringLiteral("model"));
    compareStats(stats->optimizer, reference(optimizer), QStringLiteral("optimizer"));
    QCOMPARE(stats->optimizerTensors, 1);
    QCOMPARE(stats->modelTensors, 9); // the float32 ones outside group "optimizer"
}

void TestWeightStats::sameResultWhateverTheThreads()
{
    const Model m = richModel();
    QTemporaryDir dir;
    const ModelArtifacts a = artifactsOf(m, dir.path(), {4099, 77777, 200001});
    std::string first;
    for (const int threads : {1, 2, 5}) {
        StatsOptions options;
        options.threads = threads;
        options.chunkBytes = 8192;
        JobContext ctx;
        auto stats = computeWeightStats(a, options, ctx);
        QVERIFY(stats.has_value());
        // Every float prints with 17 significant digits: equal text means equal bits.
        const std::string text = stats->toJson().dump();
        if (first.empty())
            first = text;
        else
            QCOMPARE(text, first);
    }
}

void TestWeightStats::quantizationFields()
{
    const Model m = richModel();
    const ModelArtifacts a = artifactsOf(m, {}, {});
    JobContext ctx;
    auto stats = computeWeightStats(a, {}, ctx);
    QVERIFY(stats.has_value());
    const auto byName = [&](const char *name) -> const TensorStats & {
        for (const TensorStats &t : stats->tensors) {
            if (t.name == name)
                return t;
        }
        qFatal("no tensor %s", name);
    };
    const TensorStats &u8 = byName("q/u8");
    QVERIFY(u8.quantization.has_value());
    QCOMPARE(u8.quantization->dtype, QuantDType::UInt8);
    QCOMPARE(u8.step, 0.01);
    const Json q = u8.toJson()["quantization"];
    QCOMPARE(q["dtype"].get<std::string>(), std::string("uint8"));
    QCOMPARE(q["min"].get<double>(), -1.27);
    QCOMPARE(q["scale"].get<double>(), 0.01);
    // float16: the spacing at the largest finite magnitude, 65504 = 1.1111111111b * 2^15.
    QCOMPARE(byName("q/f16").step, 32.0);
    QCOMPARE(byName("q/f16").values.nan, std::int64_t(2 * 1023));
    QCOMPARE(byName("q/f16").values.posInf, std::int64_t(1));
    QVERIFY(std::isnan(byName("dense/kernel").step));
    QVERIFY(byName("dense/kernel").toJson()["quantization"].is_null());
}

void TestWeightStats::stringTensors()
{
    Model m;
    m.add(spec(R"({"name":"a","shape":[2],"dtype":"float32"})"), f32({1, 2}));
    m.add(spec(R"({"name":"words","shape":[4],"dtype":"string"})"), stringTensor({"x", "", "yz", "\xc3\xa9"}));
    m.add(spec(R"({"name":"b","shape":[1],"dtype":"float32"})"), f32({3}));
    JobContext ctx;
    auto stats = computeWeightStats(artifactsOf(m, {}, {}), {}, ctx);
    QVERIFY(stats.has_value());
    const TensorStats &words = stats->tensors[1];
    QVERIFY(!words.numeric);
    QCOMPARE(words.values.count, std::int64_t(4));
    QCOMPARE(words.bytes, qint64(16 + 5));
    QCOMPARE(words.offset, qint64(8));
    QVERIFY(!words.histogram);
    QCOMPARE(stats->tensors[2].offset, qint64(8 + 21));
    QCOMPARE(stats->tensors[2].values.max, 3.0);
    QCOMPARE(words.toJson()["numeric"].get<bool>(), false);
}

void TestWeightStats::selectedTensors()
{
    const Model m = richModel();
    StatsOptions options;
    options.tensors = {QStringLiteral("const"), QStringLiteral("dense/bias")};
    JobContext ctx;
    auto stats = computeWeightStats(artifactsOf(m, {}, {}), options, ctx);
    QVERIFY(stats.has_value());
    QCOMPARE(stats->tensors.size(), std::size_t(2));
    QCOMPARE(stats->tensors[0].name, std::string("dense/bias")); // manifest order
    QCOMPARE(stats->tensors[1].name, std::string("const"));
    QCOMPARE(stats->modelTensors, 2);
    QCOMPARE(stats->model.count, std::int64_t(11));
    QCOMPARE(stats->model.nan, std::int64_t(1));
    QCOMPARE(stats->bytes, qint64(44));
}

void TestWeightStats::histogramRange()
{
    Model m;
    m.add(spec(R"({"name":"ramp","shape":[4],"dtype":"float32"})"), bytesOf({0.f, 1.f, 2.f, 3.5f}));
    m.add(spec(R"({"name":"flat","shape":[3],"dtype":"float32"})"), bytesOf({2.f, 2.f, 2.f}));
    const ModelArtifacts artifacts = artifactsOf(m, {}, {});
    JobContext ctx;
    StatsOptions options;
    options.bins = 8;
    options.histogramRange = std::pair(-4.0, 4.0); // bins of width 1
    auto stats = computeWeightStats(artifacts, options, ctx);
    QVERIFY(stats.has_value());
    const Histogram &ramp = *stats->tensors[0].histogram;
    QCOMPARE(ramp.min, -4.0);
    QCOMPARE(ramp.max, 4.0);
    QCOMPARE(ramp.counts, (std::vector<std::int64_t>{0, 0, 0, 0, 1, 1, 1, 1}));
    // Every value equal: its bin within the range, not the first.
    const Histogram &flat = *stats->tensors[1].histogram;
    QCOMPARE(flat.counts, (std::vector<std::int64_t>{0, 0, 0, 0, 0, 0, 3, 0}));
    QCOMPARE(stats->tensors[0].values.min, 0.0); // the statistics are the tensor's own
    QCOMPARE(stats->tensors[0].values.max, 3.5);

    // A range narrower than the values is widened to hold them.
    options.bins = 2;
    options.histogramRange = std::pair(1.0, 2.0);
    stats = computeWeightStats(artifacts, options, ctx);
    QVERIFY(stats.has_value());
    QCOMPARE(stats->tensors[0].histogram->min, 0.0);
    QCOMPARE(stats->tensors[0].histogram->max, 3.5);
    QCOMPARE(stats->tensors[0].histogram->counts, (std::vector<std::int64_t>{2, 2}));

    for (const auto &bad : {std::pair(2.0, 1.0), std::pair(0.0, double(kInf)), std::pair(double(kNaN), 1.0)}) {
        options.histogramRange = bad;
        stats = computeWeightStats(artifacts, options, ctx);
        QVERIFY(!stats.has_value());
        QCOMPARE(stats.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(stats.error().message.startsWith(
                     QStringLiteral("A histogram range must be two finite numbers, the lower first")),
                 qPrintable(stats.error().message));
    }
}

void TestWeightStats::noWeights()
{
    ModelArtifacts a; // a topology-only model: no manifest
    JobContext ctx;
    auto stats = computeWeightStats(a, {}, ctx);
    QVERIFY(stats.has_value());
    QVERIFY(stats->tensors.empty());
    QCOMPARE(stats->model.count, std::int64_t(0));
    QVERIFY(stats->toJson()["optimizer"].is_null());
}

void TestWeightStats::jsonOfAnEmptyTensor()
{
    Model m;
    m.add(spec(R"({"name":"e","shape":[0],"dtype":"float32"})"), QByteArray());
    JobContext ctx;
    auto stats = computeWeightStats(artifactsOf(m, {}, {}), {}, ctx);
    QVERIFY(stats.has_value());
    const Json t = stats->toJson()["tensors"][0];
    QCOMPARE(t["count"].get<std::int64_t>(), std::int64_t(0));
    for (const char *key : {"min", "max", "mean", "std", "meanAbs", "histogram"})
        QVERIFY2(t[key].is_null(), key);
    QCOMPARE(t["l2"].get<double>(), 0.0);
    QCOMPARE(t["sparsity"].get<double>(), 0.0);
}

void TestWeightStats::progressAndItems_data()
{
    QTest::addColumn<qint64>("chunkBytes");
    QTest::addColumn<int>("bins");
    QTest::addColumn<int>("threads");
    // Small chunks: tensors of many items (two passes, or one when the first decides); large:
    // one item per tensor (both passes in one go); no bins: most tensors need no second pass.
    QTest::newRow("small chunks") << qint64(4096) << 20 << 0;
    QTest::newRow("one chunk per tensor") << qint64(4 << 20) << 20 << 0;
    QTest::newRow("small chunks, no histograms") << qint64(4096) << 0 << 0;
    QTest::newRow("one thread") << qint64(4096) << 20 << 1;
}

void TestWeightStats::progressAndItems()
{
    QFETCH(qint64, chunkBytes);
    QFETCH(int, bins);
    QFETCH(int, threads);
    Model m = richModel();
    // A constant tensor of many chunks: its first pass ends the work on it.
    m.add(spec(R"({"name":"flat","shape":[5000],"dtype":"float32"})"), bytesOf(std::vector<float>(5000, 2.5f)));
    std::vector<Progress> seen;
    std::mutex mutex;
    JobContext ctx([&](const Progress &p) {
        std::lock_guard lock(mutex);
        seen.push_back(p);
    });
    StatsOptions options;
    options.chunkBytes = chunkBytes;
    options.bins = bins;
    options.threads = threads;
    auto stats = computeWeightStats(artifactsOf(m, {}, {}), options, ctx);
    QVERIFY(stats.has_value());
    // Each weight byte is counted once, from 0 to the model's weight bytes, whatever the passes.
    const Progress last = ctx.progress();
    QCOMPARE(last.bytesTotal, qint64(m.data.size()));
    QCOMPARE(last.bytesTotal, stats->bytes);
    QCOMPARE(last.bytesDone, last.bytesTotal);
    QCOMPARE(last.itemsTotal, int(m.specs.size()));
    QCOMPARE(last.itemsDone, last.itemsTotal);
    QCOMPARE(last.stage, QStringLiteral("Computing weight statistics"));
    for (const Progress &p : seen)
        QVERIFY2(p.bytesDone <= p.bytesTotal, qPrintable(QStringLiteral("%1 of %2").arg(p.bytesDone).arg(p.bytesTotal)));
    // Handlers may run in any order across threads; the final state is reported at least once.
    QVERIFY(std::any_of(seen.begin(), seen.end(), [](const Progress &p) {
        return p.bytesTotal > 0 && p.bytesDone == p.bytesTotal;
    }));
}

void TestWeightStats::cancelledBeforeStart()
{
    JobContext ctx;
    ctx.cancel();
    auto stats = computeWeightStats(artifactsOf(richModel(), {}, {}), {}, ctx);
    QVERIFY(!stats.has_value());
    QVERIFY(stats.error().isCancelled());
}

void TestWeightStats::cancelledWhileRunning()
{
    // Cancelled once the statistics stage has started (after planning, as the workers start):
    // the call returns the cancellation, its workers joined, with the work not done.
    Model m;
    const std::vector<float> values = normals(100000, 0, 1, 3);
    for (int t = 0; t < 8; ++t)
        m.add(spec(qPrintable(QStringLiteral(R"({"name":"w%1","shape":[100000],"dtype":"float32"})").arg(t))),
              bytesOf(values));
    JobContext *self = nullptr;
    JobContext ctx([&](const Progress &p) {
        if (p.stage == QStringLiteral("Computing weight statistics") && self)
            self->cancel();
    });
    self = &ctx;
    StatsOptions options;
    options.chunkBytes = 4096;
    options.threads = 3;
    auto stats = computeWeightStats(artifactsOf(m, {}, {}), options, ctx);
    QVERIFY(!stats.has_value());
    QVERIFY(stats.error().isCancelled());
    QCOMPARE(ctx.progress().bytesDone, qint64(0));
    QCOMPARE(ctx.progress().itemsDone, 0);
}

void TestWeightStats::cancelledFromAnotherThread()
{
    // Cancel from another thread as soon as work has started. Whether the workers stop early
    // depends on scheduling; the outcome is the cancellation either way.
    Model m;
    const std::vector<float> values = normals(400000, 0, 1, 3);
    for (int t = 0; t < 8; ++t)
        m.add(spec(qPrintable(QStringLiteral(R"({"name":"w%1","shape":[400000],"dtype":"float32"})").arg(t))),
              bytesOf(values));
    // The worker that reports the first bytes waits until the other thread has cancelled, so
    // the cancel lands mid-work even when this thread is scheduled late (a busy machine).
    std::promise<void> cancelled;
    const std::shared_future<void> cancelledSeen = cancelled.get_future().share();
    JobContext ctx([cancelledSeen](const Progress &progress) {
        if (progress.bytesDone > 0)
            cancelledSeen.wait();
    });
    std::atomic<bool> finished{false};
    std::thread watcher([&] {
        while (!finished.load() && ctx.progress().bytesDone == 0)
            std::this_thread::yield();
        ctx.cancel();
        cancelled.set_value();
    });
    StatsOptions options;
    options.chunkBytes = 4096;
    options.threads = 3;
    auto stats = computeWeightStats(artifactsOf(m, {}, {}), options, ctx);
    finished = true;
    watcher.join();
    QVERIFY(!stats.has_value());
    QVERIFY(stats.error().isCancelled());
}

void TestWeightStats::invalidOptions_data()
{
    QTest::addColumn<int>("bins");
    QTest::addColumn<qint64>("chunkBytes");
    QTest::addColumn<QString>("message");
    QTest::newRow("negative bins") << -1 << qint64(4096)
                                   << QStringLiteral("The number of histogram bins must be between 0 and 100000, not -1.");
    QTest::newRow("too many bins") << 100001 << qint64(4096)
                                   << QStringLiteral("The number of histogram bins must be between 0 and 100000, not 100001.");
    QTest::newRow("zero chunk") << 20 << qint64(0)
                                << QStringLiteral("Statistics options need a positive chunk size, a hold budget and a "
                                                  "thread count that are not negative.");
}

void TestWeightStats::invalidOptions()
{
    QFETCH(int, bins);
    QFETCH(qint64, chunkBytes);
    QFETCH(QString, message);
    StatsOptions options;
    options.bins = bins;
    options.chunkBytes = chunkBytes;
    JobContext ctx;
    auto stats = computeWeightStats(artifactsOf(richModel(), {}, {}), options, ctx);
    QVERIFY(!stats.has_value());
    QCOMPARE(stats.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(stats.error().message, message);
}

void TestWeightStats::unknownTensor()
{
    StatsOptions options;
    options.tensors = {QStringLiteral("const"), QStringLiteral("no/such")};
    JobContext ctx;
    auto stats = computeWeightStats(artifactsOf(richModel(), {}, {}), options, ctx);
    QVERIFY(!stats.has_value());
    QCOMPARE(stats.error().code, ErrorCode::NotFound);
    QCOMPARE(stats.error().message, QStringLiteral("The model has no tensor named 'no/such'."));
    QCOMPARE(stats.error().tensor, QStringLiteral("no/such"));
}

void TestWeightStats::dataSizeErrors_data()
{
    QTest::addColumn<QByteArray>("specs");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QString>("message");
    const QByteArray two = R"([{"name":"a","shape":[2],"dtype":"float32"},{"name":"b","shape":[3],"dtype":"float32"}])";
    QTest::newRow("ends inside a tensor") << two << f32({1, 2, 3}) << QStringLiteral("b") << qint64(8)
        << QStringLiteral("The weight data is too short: tensor 'b' starts at byte 8 and needs 12 "
                          "bytes, but the data ends at byte 12.");
    QTest::newRow("bytes after the last tensor") << two << (f32({1, 2, 3, 4, 5}) + "xyz")
        << QStringLiteral("b") << qint64(20)
        << QStringLiteral("The weight data is too long: 3 bytes follow the last tensor 'b', which "
                          "ends at byte 20; the data ends at byte 23.");
    QTest::newRow("string prefix past the end")
        << QByteArray(R"([{"name":"s","shape":[2],"dtype":"string"}])") << stringTensor({"ab"})
        << QStringLiteral("s") << qint64(0)
        << QStringLiteral("The weight data is too short: string tensor 's' starts at byte 0 and "
                          "needs at least 8 bytes, a 4-byte length prefix for each of its 2 "
                          "elements, but the data ends at byte 6.");
    QTest::newRow("string longer than the data")
        << QByteArray(R"([{"name":"s","shape":[1],"dtype":"string"}])")
        << (le<std::uint32_t>({100}) + QByteArray("abc"))
        << QStringLiteral("s") << qint64(0)
        << QStringLiteral("The weight data is too short: the length prefix of string element 0 of "
                          "tensor 's' (which starts at byte 0) at byte 0 says 100 bytes, which "
                          "would end at byte 104, but the data ends at byte 7.");
}

void TestWeightStats::dataSizeErrors()
{
    QFETCH(QByteArray, specs);
    QFETCH(QByteArray, data);
    QFETCH(QString, tensor);
    QFETCH(qint64, offset);
    QFETCH(QString, message);
    ModelArtifacts a;
    std::vector<WeightSpec> list;
    for (const Json &entry : j(specs.constData()))
        list.push_back(*parseWeightSpec(entry, QStringLiteral("test")));
    a.weightSpecs = list;
    a.weightData = WeightData::fromBytes(data);
    JobContext ctx;
    auto stats = computeWeightStats(a, {}, ctx);
    QVERIFY(!stats.has_value());
    QCOMPARE(stats.error().code, ErrorCode::Weights);
    QCOMPARE(stats.error().message, message);
    QCOMPARE(stats.error().tensor, tensor);
    QCOMPARE(stats.error().offset, offset);
}

void TestWeightStats::missingShard()
{
    QTemporaryDir dir;
    const Model m = richModel();
    ModelArtifacts a = artifactsOf(m, dir.path(), {5000});
    const QString second = dir.filePath(QStringLiteral("shard2.bin"));
    QVERIFY(QFile::remove(second));
    JobContext ctx;
    auto stats = computeWeightStats(a, {}, ctx);
    QVERIFY(!stats.has_value());
    QCOMPARE(stats.error().code, ErrorCode::Io);
    QVERIFY2(stats.error().message.startsWith(QStringLiteral("Cannot read weight file '%1': ").arg(second)),
             qPrintable(stats.error().message));
    QCOMPARE(stats.error().path, second);
    QCOMPARE(stats.error().shard, QStringLiteral("shard2.bin"));
}

void TestWeightStats::shrunkShard()
{
    // A shard cut short after loading must be an error, never a fault from reading a mapping
    // past the end of the file.
    QTemporaryDir dir;
    const Model m = richModel();
    ModelArtifacts a = artifactsOf(m, dir.path(), {5000});
    const QString first = dir.filePath(QStringLiteral("shard1.bin"));
    QVERIFY(QFile::resize(first, 4000));
    JobContext ctx;
    auto stats = computeWeightStats(a, {}, ctx);
    QVERIFY(!stats.has_value());
    QCOMPARE(stats.error().code, ErrorCode::Io);
    QCOMPARE(stats.error().message,
             QStringLiteral("Cannot read weight file '%1': the file ends at byte 4000, 5000 bytes expected")
                 .arg(first));
    QCOMPARE(stats.error().offset, qint64(4000));
}

void TestWeightStats::kernelsAgainstLoops_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("special"); // every special-th value is NaN/+Inf/-Inf/0 in turn; 0: none
    QTest::newRow("one block") << 512 << 0;
    QTest::newRow("blocks and a tail") << 5000 << 0;
    QTest::newRow("tail only") << 37 << 0;
    QTest::newRow("specials everywhere") << 5000 << 97;
    QTest::newRow("specials in the tail only") << 1030 << 1029;
    QTest::newRow("empty") << 0 << 0;
}

void TestWeightStats::kernelsAgainstLoops()
{
    QFETCH(int, length);
    QFETCH(int, special);
    std::vector<float> values = normals(std::size_t(length), 0.3f, 2.0f, unsigned(length));
    const float specials[] = {kNaN, kInf, -kInf, 0.0f};
    for (int i = 0, k = 0; special > 0 && i < length; i += special, ++k)
        values[std::size_t(i)] = specials[k % 4];
    stats::Moments m;
    bool nonFinite = false;
    stats::momentsF32(values.data(), length, m, nonFinite);
    std::vector<double> asDouble(values.begin(), values.end());
    const Reference r = reference(asDouble);
    QCOMPARE(m.count, r.count);
    QCOMPARE(m.finite, r.finite);
    QCOMPARE(m.nan, r.nan);
    QCOMPARE(m.posInf + m.negInf, r.posInf + r.negInf);
    QCOMPARE(m.zeros, r.zeros);
    QCOMPARE(nonFinite, r.nan + r.posInf + r.negInf > 0);
    if (length == 0)
        return;
    QCOMPARE(m.min, r.min);
    QCOMPARE(m.max, r.max);
    compareClose(m.sum.value(), r.sum, "sum", QStringLiteral("kernel"));
    compareClose(m.sumSquares.value(), r.sumSquares, "sumSquares", QStringLiteral("kernel"));

    stats::SpreadParams p;
    p.lo = m.min;
    p.bins = 13;
    p.scale = 13.0 / (m.max - m.min);
    p.mean = m.sum.value() / double(m.finite);
    stats::Spread s;
    stats::spreadF32(values.data(), length, p, nonFinite, s);
    long double m2 = 0;
    for (const double v : r.values)
        m2 += (v - p.mean) * (v - p.mean);
    compareClose(s.m2.value(), m2, "m2", QStringLiteral("kernel"));
    QCOMPARE(s.counts, referenceHistogram(r, 13));
    // The same through the double kernel.
    stats::Moments md;
    stats::momentsF64(asDouble.data(), length, md);
    QCOMPARE(md.finite, m.finite);
    QCOMPARE(md.min, m.min);
    compareClose(md.sum.value(), r.sum, "sum (double kernel)", QStringLiteral("kernel"));
    stats::Spread sd;
    stats::spreadF64(asDouble.data(), length, p, sd);
    QCOMPARE(sd.counts, s.counts);
}

void TestWeightStats::m2FromMomentsOnlyWhenAccurate()
{
    const auto momentsOf = [](const std::vector<float> &values) {
        stats::Moments m;
        bool nonFinite = false;
        stats::momentsF32(values.data(), std::int64_t(values.size()), m, nonFinite);
        return m;
    };
    // Centred data: taken from the sums, and accurate.
    const std::vector<float> centred = normals(10000, 0.1f, 1.0f, 9);
    const auto fast = stats::m2FromMoments(momentsOf(centred));
    QVERIFY(fast.has_value());
    long double mean = 0;
    for (const float v : centred)
        mean += v;
    mean /= centred.size();
    long double m2 = 0;
    for (const float v : centred)
        m2 += (v - mean) * (v - mean);
    compareClose(*fast, m2, "m2", QStringLiteral("centred"));
    // Far from zero compared with the spread: refused (the second pass computes it).
    QVERIFY(!stats::m2FromMoments(momentsOf(normals(10000, 1000.0f, 0.01f, 9))).has_value());
    // Nothing finite, or all zeros: refused.
    QVERIFY(!stats::m2FromMoments(momentsOf({kNaN, kInf})).has_value());
    QVERIFY(!stats::m2FromMoments(momentsOf({0.0f, 0.0f})).has_value());
}

QTEST_APPLESS_MAIN(TestWeightStats)
#include "tst_weightstats.moc"

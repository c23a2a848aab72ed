#include "format/codec.h"
#include "inspect/statspasses.h"
#include "testutil.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace tfjs;
using namespace tfjs::stats;
using namespace tfjs::test;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// One tensor at byte `at` of its data (the bytes before it are padding), planned in chunks.
struct Fixture
{
    WeightSpec spec;
    WeightData data;
    ByteSource source;
    Plan plan;

    Fixture(const char *json, const QByteArray &bytes, qint64 chunkBytes, qint64 at = 0)
        : spec(specOf(json))
        , data(WeightData::fromBytes(QByteArray(at, '\0') + bytes))
        , source(data)
    {
        auto planned = planTensor(0, spec, { at, bytes.size() }, source, chunkBytes, 0);
        if (!planned)
            qFatal("plan failed: %s", qPrintable(planned.error().message));
        plan = std::move(*planned);
    }

    const char *bytesOf(const Item &item, std::vector<ByteSource::View> &keep) const
    {
        auto view = source.view(item.offset, item.bytes);
        if (!view)
            qFatal("view failed: %s", qPrintable(view.error().message));
        keep.push_back(*view);
        return view->data;
    }

    // Both passes, as the scheduler takes them, with one worker's scratch.
    bool runBoth(int bins)
    {
        Scratch scratch;
        std::vector<ByteSource::View> keep;
        for (Item &item : plan.items)
            runPass1(plan, item, bytesOf(item, keep), scratch);
        if (!prepareSecondPass(plan, bins))
            return false;
        for (Item &item : plan.items) {
            runPass2(plan, item, bytesOf(item, keep), scratch);
            addCounts(plan, scratch);
        }
        for (const Item &item : plan.items)
            plan.m2.add(item.m2);
        return true;
    }
};

// The values the codec decodes, as doubles.
std::vector<double> decoded(const WeightSpec &s, const QByteArray &bytes)
{
    auto tensor = decodeTensor(s, bytes.constData(), bytes.size());
    if (!tensor)
        qFatal("decode failed: %s", qPrintable(tensor.error().message));
    std::vector<double> out;
    std::visit([&](const auto &values) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(values[0])>, std::string>)
            out.assign(values.begin(), values.end());
    },
        tensor->values);
    return out;
}

void compareMoments(const Moments &actual, const Moments &expected)
{
    QCOMPARE(actual.count, expected.count);
    QCOMPARE(actual.finite, expected.finite);
    QCOMPARE(actual.nan, expected.nan);
    QCOMPARE(actual.posInf, expected.posInf);
    QCOMPARE(actual.negInf, expected.negInf);
    QCOMPARE(actual.zeros, expected.zeros);
    QCOMPARE(actual.min, expected.min);
    QCOMPARE(actual.max, expected.max);
    QCOMPARE(actual.sum.value(), expected.sum.value());
    QCOMPARE(actual.sumAbs.value(), expected.sumAbs.value());
    QCOMPARE(actual.sumSquares.value(), expected.sumSquares.value());
}

std::vector<float> ramp(int n, float from, float step)
{
    std::vector<float> values(std::size_t(n), 0.0f);
    for (int i = 0; i < n; ++i)
        values[std::size_t(i)] = from + step * float(i);
    return values;
}

QByteArray bytesOf(const std::vector<float> &values)
{
    return QByteArray(reinterpret_cast<const char *>(values.data()), qsizetype(values.size() * 4));
}

} // namespace

class TestStatsPasses : public QObject
{
    Q_OBJECT

private slots:
    void firstPassIsTheKernelsOverEachItem_data();
    void firstPassIsTheKernelsOverEachItem();
    void unalignedFloatsGiveTheSameMoments();
    void secondPassNeeded_data();
    void secondPassNeeded();
    void histogramAndSpread();
};

void TestStatsPasses::firstPassIsTheKernelsOverEachItem_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("floats"); // the float kernels (else the double ones)
    std::vector<float> values = ramp(20000, -1.0f, 0.0001f);
    values[12345] = kNaN;
    QTest::newRow("float32 with a NaN")
        << QByteArray(R"({"name":"w","shape":[20000],"dtype":"float32"})") << bytesOf(values)
        << true;
    QTest::newRow("int32") << QByteArray(R"({"name":"i","shape":[5],"dtype":"int32"})")
                           << i32({ -2147483647 - 1, 2147483647, 0, -5, 5 }) << false;
    QByteArray codes;
    for (int i = 0; i < 9000; ++i)
        codes += char((i * 37) & 0xff);
    QTest::newRow("uint8 -> float32")
        << QByteArray(R"({"name":"q","shape":[9000],"dtype":"float32",
                          "quantization":{"dtype":"uint8","min":-1.27,"scale":0.01}})")
        << codes << true;
    QTest::newRow("uint8 -> int32")
        << QByteArray(R"({"name":"q","shape":[9000],"dtype":"int32",
                          "quantization":{"dtype":"uint8","min":-100,"scale":0.75}})")
        << codes << false;
    QTest::newRow("bool") << QByteArray(R"({"name":"b","shape":[5],"dtype":"bool"})")
                          << QByteArray("\x01\x00\x01\x01\x00", 5) << false;
}

void TestStatsPasses::firstPassIsTheKernelsOverEachItem()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, bytes);
    QFETCH(bool, floats);
    Fixture f(json.constData(), bytes, 4096);
    const std::vector<double> values = decoded(f.spec, bytes);
    QCOMPARE(std::int64_t(values.size()), f.plan.values);
    Scratch scratch;
    std::vector<ByteSource::View> keep;
    std::int64_t first = 0;
    for (Item &item : f.plan.items) {
        runPass1(f.plan, item, f.bytesOf(item, keep), scratch);
        Moments expected;
        bool nonFinite = false;
        if (floats) {
            const std::vector<float> part(values.begin() + first, values.begin() + first + item.values);
            momentsF32(part.data(), item.values, expected, nonFinite);
        } else {
            momentsF64(values.data() + first, item.values, expected);
        }
        compareMoments(item.moments, expected);
        QCOMPARE(item.hasNonFinite, nonFinite);
        first += item.values;
    }
    QCOMPARE(first, f.plan.values);
}

void TestStatsPasses::unalignedFloatsGiveTheSameMoments()
{
    // The tensor at byte 1: its floats are copied into the scratch buffer before the kernels.
    const QByteArray bytes = bytesOf(ramp(30000, 0.5f, -0.00003f));
    const char *json = R"({"name":"w","shape":[30000],"dtype":"float32"})";
    Fixture aligned(json, bytes, 1 << 20);
    Fixture unaligned(json, bytes, 1 << 20, 1);
    QVERIFY(aligned.runBoth(10));
    QVERIFY(unaligned.runBoth(10));
    compareMoments(unaligned.plan.moments, aligned.plan.moments);
    QCOMPARE(unaligned.plan.m2.value(), aligned.plan.m2.value());
    QCOMPARE(unaligned.plan.counts, aligned.plan.counts);
}

void TestStatsPasses::secondPassNeeded_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("bins");
    QTest::addColumn<bool>("needed");
    QTest::addColumn<bool>("constant");
    QTest::addColumn<std::vector<std::int64_t>>("counts"); // when no second pass
    const QByteArray spread = bytesOf(ramp(1000, -1.0f, 0.002f));
    QTest::newRow("all equal") << f32({ 0.1f, 0.1f, 0.1f, kNaN }) << 4 << false << true
                               << std::vector<std::int64_t> { 3, 0, 0, 0 };
    QTest::newRow("all equal, no bins")
        << f32({ 0.1f, 0.1f, 0.1f, kNaN }) << 0 << false << true << std::vector<std::int64_t> {};
    QTest::newRow("no finite value") << f32({ kNaN, kNaN, kNaN, kNaN }) << 4 << false << false
                                     << std::vector<std::int64_t> {};
    QTest::newRow("no bins, std from the sums")
        << spread << 0 << false << false << std::vector<std::int64_t> {};
    QTest::newRow("bins") << spread << 8 << true << false << std::vector<std::int64_t> {};
    // Far from zero compared with their spread: the sums cancel, the std needs the data again.
    QTest::newRow("no bins, far from zero")
        << bytesOf(ramp(1000, 1000.0f, 0.0001f)) << 0 << true << false
        << std::vector<std::int64_t> {};
}

void TestStatsPasses::secondPassNeeded()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, bins);
    QFETCH(bool, needed);
    QFETCH(bool, constant);
    QFETCH(std::vector<std::int64_t>, counts);
    const QByteArray json
        = QStringLiteral(R"({"name":"w","shape":[%1],"dtype":"float32"})").arg(bytes.size() / 4).toUtf8();
    Fixture f(json.constData(), bytes, 512);
    Scratch scratch;
    std::vector<ByteSource::View> keep;
    Moments all;
    for (Item &item : f.plan.items) {
        runPass1(f.plan, item, f.bytesOf(item, keep), scratch);
        all.merge(item.moments);
    }
    QCOMPARE(prepareSecondPass(f.plan, bins), needed);
    compareMoments(f.plan.moments, all); // merged in item order
    QCOMPARE(f.plan.constant, constant);
    if (!needed) {
        QCOMPARE(f.plan.counts, counts);
        return;
    }
    const Moments &m = f.plan.moments;
    QCOMPARE(f.plan.params.bins, bins);
    QCOMPARE(f.plan.params.lo, m.min);
    QCOMPARE(f.plan.params.scale, double(bins) / (m.max - m.min));
    QCOMPARE(f.plan.params.mean, m.sum.value() / double(m.finite));
    QCOMPARE(f.plan.params.m2, !m2FromMoments(m).has_value());
    QCOMPARE(f.plan.counts, std::vector<std::int64_t>(std::size_t(bins), 0));
}

void TestStatsPasses::histogramAndSpread()
{
    std::vector<float> values = ramp(10000, -2.0f, 0.0005f);
    values[77] = kNaN;
    values[78] = std::numeric_limits<float>::infinity();
    const QByteArray bytes = bytesOf(values);
    for (const int bins : { 1, 7, 100 }) {
        Fixture f(R"({"name":"w","shape":[10000],"dtype":"float32"})", bytes, 1000);
        QVERIFY(f.runBoth(bins));
        // The histogram formula of docs/stats-json.md and the squared deviations, plainly.
        const double lo = f.plan.moments.min;
        const double scale = double(bins) / (f.plan.moments.max - lo);
        const double mean = f.plan.moments.sum.value() / double(f.plan.moments.finite);
        std::vector<std::int64_t> counts(std::size_t(bins), 0);
        long double m2 = 0;
        for (const float v : values) {
            if (!std::isfinite(v))
                continue;
            ++counts[std::size_t(std::min<double>(bins - 1, std::floor((double(v) - lo) * scale)))];
            m2 += (static_cast<long double>(v) - mean) * (static_cast<long double>(v) - mean);
        }
        QCOMPARE(f.plan.counts, counts);
        QVERIFY2(std::fabs(f.plan.m2.value() - double(m2)) <= 1e-12 * double(m2),
            qPrintable(QStringLiteral("m2 %1 vs %2").arg(f.plan.m2.value()).arg(double(m2))));
    }
}

QTEST_GUILESS_MAIN(TestStatsPasses)
#include "tst_statspasses.moc"

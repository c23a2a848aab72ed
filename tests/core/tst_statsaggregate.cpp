#include "inspect/statsaggregate.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace tfjs;
using namespace tfjs::stats;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A finished plan over `values` (finite or not), as the passes leave it.
Plan planOf(const std::vector<double> &values)
{
    Plan plan;
    momentsF64(values.data(), std::int64_t(values.size()), plan.moments);
    plan.constant = plan.moments.finite > 0 && plan.moments.min == plan.moments.max;
    if (plan.moments.finite > 0 && !plan.constant) {
        const double mean = plan.moments.sum.value() / double(plan.moments.finite);
        for (const double v : values) {
            if (std::isfinite(v))
                plan.m2.add((v - mean) * (v - mean));
        }
    }
    plan.values = std::int64_t(values.size());
    return plan;
}

void compareClose(double actual, double expected, const char *what)
{
    QVERIFY2(std::fabs(actual - expected) <= 1e-12 * std::fabs(expected),
        qPrintable(QStringLiteral("%1: %2, expected %3")
                       .arg(QLatin1String(what))
                       .arg(actual, 0, 'g', 17)
                       .arg(expected, 0, 'g', 17)));
}

} // namespace

class TestStatsAggregate : public QObject
{
    Q_OBJECT

private slots:
    void valueStatsOfMoments();
    void constantAndEmpty();
    void float16Steps_data();
    void float16Steps();
    void aggregateIsTheStatisticsOfAllValues();
    void aggregateOfConstantsAndNothing();
    void tensorStatsFields();
};

void TestStatsAggregate::valueStatsOfMoments()
{
    const std::vector<double> values = { 1, -2, 0, 4, kNaN, INFINITY, -INFINITY, 0 };
    const Plan plan = planOf(values);
    const ValueStats v = valueStats(plan.moments, plan.m2.value(), false);
    QCOMPARE(v.count, std::int64_t(8));
    QCOMPARE(v.finite, std::int64_t(5));
    QCOMPARE(v.nan, std::int64_t(1));
    QCOMPARE(v.posInf, std::int64_t(1));
    QCOMPARE(v.negInf, std::int64_t(1));
    QCOMPARE(v.zeros, std::int64_t(2));
    QCOMPARE(v.min, -2.0);
    QCOMPARE(v.max, 4.0);
    QCOMPARE(v.mean, 0.6);
    QCOMPARE(v.meanAbs, 1.4);
    compareClose(v.std, std::sqrt((0.16 + 6.76 + 0.36 + 11.56 + 0.36) / 5), "std");
    compareClose(v.l2, std::sqrt(21.0), "l2");
    QCOMPARE(v.sparsity(), 0.25);
}

void TestStatsAggregate::constantAndEmpty()
{
    const Plan constant = planOf({ 0.1, 0.1, 0.1 });
    const ValueStats c = valueStats(constant.moments, 0, true);
    QCOMPARE(c.mean, 0.1); // exact, not a sum divided
    QCOMPARE(c.meanAbs, 0.1);
    QCOMPARE(c.std, 0.0);
    const Plan none = planOf({ kNaN });
    const ValueStats n = valueStats(none.moments, 0, false);
    QCOMPARE(n.count, std::int64_t(1));
    QVERIFY(std::isnan(n.min) && std::isnan(n.max) && std::isnan(n.mean) && std::isnan(n.std)
        && std::isnan(n.meanAbs));
    QCOMPARE(n.l2, 0.0);
}

void TestStatsAggregate::float16Steps_data()
{
    QTest::addColumn<double>("magnitude");
    QTest::addColumn<double>("step");
    QTest::newRow("1") << 1.0 << std::ldexp(1.0, -10);
    QTest::newRow("just below 1") << 0.99951171875 << std::ldexp(1.0, -11);
    QTest::newRow("largest half") << 65504.0 << 32.0;
    QTest::newRow("smallest normal") << std::ldexp(1.0, -14) << std::ldexp(1.0, -24);
    QTest::newRow("subnormal") << 1e-6 << std::ldexp(1.0, -24);
    QTest::newRow("zero") << 0.0 << std::ldexp(1.0, -24);
}

void TestStatsAggregate::float16Steps()
{
    QFETCH(double, magnitude);
    QFETCH(double, step);
    QCOMPARE(float16Step(magnitude), step);
    QVERIFY(std::isnan(float16Step(INFINITY)));
}

void TestStatsAggregate::aggregateIsTheStatisticsOfAllValues()
{
    // Three tensors far apart in mean: the spread between them must come in (Chan et al.).
    const std::vector<std::vector<double>> parts
        = { { 1, 2, 3, 4 }, { 100.5, 99.5, kNaN }, { -7, -7.25, -6.75, -7, 0 } };
    std::vector<Plan> plans;
    std::vector<double> all;
    for (const auto &part : parts) {
        plans.push_back(planOf(part));
        all.insert(all.end(), part.begin(), part.end());
    }
    Aggregate aggregate;
    for (const Plan &plan : plans)
        aggregate.add(plan);
    QCOMPARE(aggregate.tensors, 3);
    const Plan whole = planOf(all);
    const ValueStats expected = valueStats(whole.moments, whole.m2.value(), false);
    const ValueStats actual = aggregate.result();
    QCOMPARE(actual.count, expected.count);
    QCOMPARE(actual.finite, expected.finite);
    QCOMPARE(actual.nan, expected.nan);
    QCOMPARE(actual.zeros, expected.zeros);
    QCOMPARE(actual.min, expected.min);
    QCOMPARE(actual.max, expected.max);
    compareClose(actual.mean, expected.mean, "mean");
    compareClose(actual.meanAbs, expected.meanAbs, "meanAbs");
    compareClose(actual.std, expected.std, "std");
    compareClose(actual.l2, expected.l2, "l2");
}

void TestStatsAggregate::aggregateOfConstantsAndNothing()
{
    Aggregate empty;
    QCOMPARE(empty.tensors, 0);
    QVERIFY(std::isnan(empty.result().mean));
    QCOMPARE(empty.result().count, std::int64_t(0));
    // Two constant tensors of one value: the aggregate is constant too (std exactly 0).
    const Plan a = planOf({ 0.1, 0.1 });
    const Plan b = planOf({ 0.1, kNaN });
    Aggregate same;
    same.add(a);
    same.add(b);
    QCOMPARE(same.result().std, 0.0);
    QCOMPARE(same.result().mean, 0.1);
    QCOMPARE(same.result().finite, std::int64_t(3));
    // Two constants of different values: mean 0.5, std 0.5.
    const Plan zero = planOf({ 0, 0 });
    const Plan one = planOf({ 1, 1 });
    Aggregate two;
    two.add(zero);
    two.add(one);
    QCOMPARE(two.result().mean, 0.5);
    QCOMPARE(two.result().std, 0.5);
}

void TestStatsAggregate::tensorStatsFields()
{
    WeightSpec spec;
    spec.name = "q";
    spec.shape = { 2, 2 };
    spec.group = "model";
    spec.quantization = Quantization { QuantDType::UInt8, -1.0, 0.5 };
    Plan plan = planOf({ -1, -0.5, 0.5, 1 });
    plan.index = 3;
    plan.layout = { 40, 4 };
    plan.counts = { 2, 0, 2 };
    const TensorStats t = tensorStats(plan, spec, 3);
    QCOMPARE(t.index, std::size_t(3));
    QCOMPARE(t.name, std::string("q"));
    QCOMPARE(t.shape, (std::vector<std::int64_t> { 2, 2 }));
    QCOMPARE(t.group, std::optional<std::string>("model"));
    QCOMPARE(t.offset, qint64(40));
    QCOMPARE(t.bytes, qint64(4));
    QVERIFY(t.numeric);
    QCOMPARE(t.step, 0.5); // the scale
    QCOMPARE(t.values.mean, 0.0);
    QVERIFY(t.histogram.has_value());
    QCOMPARE(t.histogram->min, -1.0);
    QCOMPARE(t.histogram->max, 1.0);
    QCOMPARE(t.histogram->counts, (std::vector<std::int64_t> { 2, 0, 2 }));
    QVERIFY(!tensorStats(plan, spec, 0).histogram.has_value()); // no bins

    WeightSpec half = spec;
    half.quantization = Quantization { QuantDType::Float16, std::nullopt, std::nullopt };
    QCOMPARE(tensorStats(plan, half, 0).step, std::ldexp(1.0, -10)); // at magnitude 1
    QVERIFY(std::isnan(tensorStats(planOf({ kNaN }), half, 0).step));
    WeightSpec plain = spec;
    plain.quantization.reset();
    QVERIFY(std::isnan(tensorStats(plan, plain, 0).step));

    WeightSpec strings;
    strings.name = "vocab";
    strings.shape = { 3 };
    strings.dtype = DType::String;
    Plan text;
    text.kind = Kind::String;
    text.layout = { 0, 17 };
    const TensorStats s = tensorStats(text, strings, 20);
    QVERIFY(!s.numeric);
    QCOMPARE(s.values.count, std::int64_t(3));
    QCOMPARE(s.bytes, qint64(17));
    QVERIFY(!s.histogram.has_value());
}

QTEST_GUILESS_MAIN(TestStatsAggregate)
#include "tst_statsaggregate.moc"

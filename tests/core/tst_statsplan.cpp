#include "format/codec.h"
#include "inspect/statsplan.h"
#include "testutil.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::stats;
using namespace tfjs::test;

namespace {

// Bytes in segments of the given sizes (the last takes the rest).
WeightData segmented(const QByteArray &bytes, const std::vector<qint64> &sizes)
{
    WeightData data;
    qint64 at = 0;
    for (const qint64 size : sizes) {
        data.appendBytes(bytes.mid(at, size), QStringLiteral("shard"));
        at += size;
    }
    data.appendBytes(bytes.mid(at), QStringLiteral("shard"));
    return data;
}

struct Span
{
    qint64 offset;
    qint64 bytes;
    std::int64_t values;
    bool operator==(const Span &) const = default;
};

std::vector<Span> spans(const Plan &plan)
{
    std::vector<Span> out;
    for (const Item &item : plan.items)
        out.push_back({ item.offset, item.bytes, item.values });
    return out;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<Span>)
Q_DECLARE_METATYPE(Kind)

class TestStatsPlan : public QObject
{
    Q_OBJECT

private slots:
    void itemsFollowChunksAndShards_data();
    void itemsFollowChunksAndShards();
    void kindsAndTables_data();
    void kindsAndTables();
    void complexValuesAreComponents();
    void stringsAndEmptyTensorsHaveNoItems();
    void holdFollowsTheBudget();
    void quantizationTheCodecRefuses();
};

void TestStatsPlan::itemsFollowChunksAndShards_data()
{
    QTest::addColumn<std::vector<qint64>>("segments");
    QTest::addColumn<qint64>("chunkBytes");
    QTest::addColumn<std::vector<Span>>("expected");
    // A float32 tensor of 5 values at byte 8, after an int32 tensor of 2 values; segment
    // sizes are where shards end.
    QTest::newRow("one segment, one chunk") << std::vector<qint64> {} << qint64(1 << 20)
                                            << std::vector<Span> { { 8, 20, 5 } };
    QTest::newRow("one segment, 8-byte chunks")
        << std::vector<qint64> {} << qint64(8)
        << std::vector<Span> { { 8, 8, 2 }, { 16, 8, 2 }, { 24, 4, 1 } };
    QTest::newRow("chunk below a value") << std::vector<qint64> {} << qint64(3)
                                         << std::vector<Span> { { 8, 4, 1 }, { 12, 4, 1 },
                                                { 16, 4, 1 }, { 20, 4, 1 }, { 24, 4, 1 } };
    QTest::newRow("shard ends between values")
        << std::vector<qint64> { 16 } << qint64(1 << 20)
        << std::vector<Span> { { 8, 8, 2 }, { 16, 12, 3 } };
    // A shard ending inside value 1 (byte 14): the value it splits is an item of its own.
    QTest::newRow("shard ends inside a value")
        << std::vector<qint64> { 14 } << qint64(1 << 20)
        << std::vector<Span> { { 8, 4, 1 }, { 12, 4, 1 }, { 16, 12, 3 } };
    QTest::newRow("shards outside the tensor")
        << std::vector<qint64> { 4, 24 } << qint64(1 << 20)
        << std::vector<Span> { { 8, 20, 5 } };
}

void TestStatsPlan::itemsFollowChunksAndShards()
{
    QFETCH(std::vector<qint64>, segments);
    QFETCH(qint64, chunkBytes);
    QFETCH(std::vector<Span>, expected);
    const std::vector<WeightSpec> specs
        = { specOf(R"({"name":"ids","shape":[2],"dtype":"int32"})"),
              specOf(R"({"name":"w","shape":[5],"dtype":"float32"})") };
    const QByteArray bytes = i32({ 1, 2 }) + f32({ 1, 2, 3, 4, 5 });
    const WeightData data = segmented(bytes, segments);
    const auto layout = checkWeightLayout(specs, data);
    QVERIFY(layout.has_value());
    const ByteSource source(data);
    auto plan = planTensor(1, specs[1], (*layout)[1], source, chunkBytes, 0);
    QVERIFY(plan.has_value());
    QCOMPARE(plan->index, std::size_t(1));
    QCOMPARE(plan->kind, Kind::Float32);
    QCOMPARE(plan->layout.offset, qint64(8));
    QCOMPARE(plan->layout.bytes, qint64(20));
    QCOMPARE(plan->values, std::int64_t(5));
    QCOMPARE(spans(*plan), expected);
}

void TestStatsPlan::kindsAndTables_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<int>("codeWidth");
    QTest::addColumn<int>("width");
    QTest::newRow("float32") << QByteArray(R"({"name":"t","shape":[4],"dtype":"float32"})")
                             << Kind::Float32 << 0 << 4;
    QTest::newRow("int32") << QByteArray(R"({"name":"t","shape":[4],"dtype":"int32"})")
                           << Kind::Int32 << 0 << 4;
    QTest::newRow("bool") << QByteArray(R"({"name":"t","shape":[4],"dtype":"bool"})")
                          << Kind::DoubleTable << 1 << 1;
    QTest::newRow("uint8 -> float32")
        << QByteArray(R"({"name":"t","shape":[4],"dtype":"float32",
                          "quantization":{"dtype":"uint8","min":-1.27,"scale":0.01}})")
        << Kind::FloatTable << 1 << 1;
    QTest::newRow("uint16 -> float32")
        << QByteArray(R"({"name":"t","shape":[4],"dtype":"float32",
                          "quantization":{"dtype":"uint16","min":-3.5,"scale":0.0001}})")
        << Kind::FloatTable << 2 << 2;
    QTest::newRow("float16") << QByteArray(R"({"name":"t","shape":[4],"dtype":"float32",
                                              "quantization":{"dtype":"float16"}})")
                             << Kind::FloatTable << 2 << 2;
    QTest::newRow("uint8 -> int32")
        << QByteArray(R"({"name":"t","shape":[4],"dtype":"int32",
                          "quantization":{"dtype":"uint8","min":-100,"scale":0.75}})")
        << Kind::DoubleTable << 1 << 1;
}

void TestStatsPlan::kindsAndTables()
{
    QFETCH(QByteArray, json);
    QFETCH(Kind, kind);
    QFETCH(int, codeWidth);
    QFETCH(int, width);
    const WeightSpec s = specOf(json.constData());
    const WeightData data = WeightData::fromBytes(QByteArray(s.byteSize(), '\0'));
    const ByteSource source(data);
    auto plan = planTensor(0, s, { 0, s.byteSize() }, source, 1 << 20, 0);
    QVERIFY(plan.has_value());
    QCOMPARE(plan->kind, kind);
    QCOMPARE(plan->codeWidth, codeWidth);
    QCOMPARE(valueWidth(*plan), width);
    QCOMPARE(plan->values, std::int64_t(4));
    if (codeWidth == 0)
        return;
    // Every code's table entry is what the codec decodes that code to.
    const int codes = codeWidth == 1 ? 256 : 65536;
    QCOMPARE(qsizetype(plan->floatTable.size() + plan->doubleTable.size()), qsizetype(codes));
    WeightSpec one = s;
    one.shape = {};
    for (int code = 0; code < codes; code += codeWidth == 1 ? 1 : 257) {
        const QByteArray bytes = codeWidth == 1 ? QByteArray(1, char(code))
                                                : le<std::uint16_t>({ std::uint16_t(code) });
        auto decoded = decodeTensor(one, bytes.constData(), bytes.size());
        QVERIFY(decoded.has_value());
        double expected = 0;
        std::visit([&](const auto &values) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(values[0])>, std::string>)
                expected = double(values[0]);
        },
            decoded->values);
        const double actual = kind == Kind::FloatTable ? double(plan->floatTable[code])
                                                       : plan->doubleTable[code];
        if (std::isnan(expected))
            QVERIFY(std::isnan(actual));
        else
            QCOMPARE(actual, expected);
    }
}

void TestStatsPlan::complexValuesAreComponents()
{
    const WeightSpec s = specOf(R"({"name":"z","shape":[3],"dtype":"complex64"})");
    const WeightData data = WeightData::fromBytes(f32({ 1, -1, 0.5f, 0, 2, 3 }));
    const ByteSource source(data);
    auto plan = planTensor(0, s, { 0, 24 }, source, 8, 0);
    QVERIFY(plan.has_value());
    QCOMPARE(plan->kind, Kind::Float32);
    QCOMPARE(plan->values, std::int64_t(6));
    QCOMPARE(spans(*plan), (std::vector<Span> { { 0, 8, 2 }, { 8, 8, 2 }, { 16, 8, 2 } }));
}

void TestStatsPlan::stringsAndEmptyTensorsHaveNoItems()
{
    const WeightSpec strings = specOf(R"({"name":"vocab","shape":[2],"dtype":"string"})");
    const WeightSpec empty = specOf(R"({"name":"e","shape":[3,0],"dtype":"float32"})");
    const QByteArray bytes = stringTensor({ "ab", "xyz" });
    const WeightData data = WeightData::fromBytes(bytes);
    const ByteSource source(data);
    auto plan = planTensor(0, strings, { 0, bytes.size() }, source, 4, 0);
    QVERIFY(plan.has_value());
    QCOMPARE(plan->kind, Kind::String);
    QCOMPARE(plan->values, std::int64_t(0));
    QVERIFY(plan->items.empty());
    auto none = planTensor(1, empty, { bytes.size(), 0 }, source, 4, 0);
    QVERIFY(none.has_value());
    QCOMPARE(none->kind, Kind::Float32);
    QVERIFY(none->items.empty());
}

void TestStatsPlan::holdFollowsTheBudget()
{
    const WeightSpec s = specOf(R"({"name":"w","shape":[4],"dtype":"float32"})");
    const WeightData data = WeightData::fromBytes(f32({ 1, 2, 3, 4 }));
    const ByteSource source(data);
    QVERIFY(planTensor(0, s, { 0, 16 }, source, 8, 16)->hold);
    QVERIFY(!planTensor(0, s, { 0, 16 }, source, 8, 15)->hold);
}

void TestStatsPlan::quantizationTheCodecRefuses()
{
    // A spec built in code (parsing would refuse it): uint8 quantization without min/scale.
    WeightSpec s = specOf(R"({"name":"q","shape":[2],"dtype":"float32"})");
    s.quantization = Quantization { QuantDType::UInt8, std::nullopt, std::nullopt };
    const WeightData data = WeightData::fromBytes(QByteArray(2, '\0'));
    const ByteSource source(data);
    auto plan = planTensor(0, s, { 0, 2 }, source, 8, 0);
    QVERIFY(!plan.has_value());
    QCOMPARE(plan.error().code, ErrorCode::Format);
    QCOMPARE(plan.error().message,
        QStringLiteral("Weight q with quantization uint8 doesn't have corresponding metadata min "
                       "and scale."));
    QCOMPARE(plan.error().tensor, QStringLiteral("q"));
}

QTEST_GUILESS_MAIN(TestStatsPlan)
#include "tst_statsplan.moc"

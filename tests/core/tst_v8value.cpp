// V8's serialization decoded into Json by tfjsrecord.h's rules, on hand-written values for each
// tag and on records Chromium 156 wrote (tests/core/data/chromium).
#include "browser/tfjsrecord.h"
#include "browser/v8value.h"
#include "chromiumfixtures.h"

#include <QTest>

#include <cmath>

using namespace tfjs;
using namespace tfjs::test;

namespace {

const QString kWhere = QStringLiteral("r");
const QByteArray kHeader = QByteArray::fromHex("ff10");

} // namespace

Q_DECLARE_METATYPE(tfjs::ErrorCode)

class TestV8Value : public QObject
{
    Q_OBJECT

private slots:
    void realInfoRecord();
    void realModelRecord();
    void values_data();
    void values();
    void arrayBuffers();
    void errors_data();
    void errors();
    void truncatedAnywhere();
    void depthLimit();
    void backReferencesLimited();
    void dateOutOfRange();
};

void TestV8Value::realInfoRecord()
{
    // model_info_store's record of 'tiny', after its envelope.
    const QByteArray bytes = kTinyInfoRecord.mid(kV8Start);
    auto json = decodeV8Value(bytes, kWhere);
    TFJS_VERIFY_OK(json);
    QCOMPARE(QString::fromStdString(stringify(*json)),
             QStringLiteral(
                 R"({"modelPath":"tiny","modelArtifactsInfo":{"dateSaved":1796588608776,)"
                 R"("modelTopologyType":"JSON","modelTopologyBytes":577,"weightSpecsBytes":123,)"
                 R"("weightDataBytes":32}})"));
}

void TestV8Value::realModelRecord()
{
    auto json = decodeV8Value(chromiumFixture("tiny-models-store.bin").mid(kV8Start), kWhere);
    TFJS_VERIFY_OK(json);
    const Json &artifacts = (*json)["modelArtifacts"];
    QVERIFY(artifacts["modelTopology"]["class_name"] == Json("Sequential"));
    const Json &layer = artifacts["modelTopology"]["config"]["layers"][0];
    QVERIFY(layer["config"]["kernel_initializer"]["config"]["stddev"] == Json(0.05));
    QVERIFY(layer["config"]["batch_input_shape"] == j("[null,3]"));
    QVERIFY(!layer["config"].contains("kernel_regularizer")
            || layer["config"]["kernel_regularizer"].is_null());
    QVERIFY(artifacts["weightData"].is_binary());
    QCOMPARE(artifacts["weightData"].get_binary().size(), size_t(32));
    QVERIFY(artifacts["weightSpecs"][0]["shape"] == j("[3,2]"));
    QVERIFY(artifacts["format"] == Json("layers-model"));
    QVERIFY(artifacts["convertedBy"].is_null());
}

void TestV8Value::values_data()
{
    QTest::addColumn<QByteArray>("body"); // after the header FF 10
    QTest::addColumn<QString>("json");
    QTest::newRow("int32") << QByteArray::fromHex("4904") << QStringLiteral("2");
    QTest::newRow("negative int32") << QByteArray::fromHex("4903") << QStringLiteral("-2");
    QTest::newRow("uint32") << QByteArray::fromHex("55ffffffff0f") << QStringLiteral("4294967295");
    QTest::newRow("double") << QByteArray::fromHex("4e000000000000f83f") << QStringLiteral("1.5");
    QTest::newRow("true") << QByteArray::fromHex("54") << QStringLiteral("true");
    QTest::newRow("false") << QByteArray::fromHex("46") << QStringLiteral("false");
    QTest::newRow("null") << QByteArray::fromHex("30") << QStringLiteral("null");
    QTest::newRow("undefined") << QByteArray::fromHex("5f") << QStringLiteral("null");
    QTest::newRow("latin-1") << QByteArray::fromHex("2203e974e9") << u8(R"("été")");
    QTest::newRow("utf-16") << QByteArray::fromHex("63043dd800de") << u8(R"("😀")");
    QTest::newRow("padded utf-16") << QByteArray::fromHex("0063043dd800de") << u8(R"("😀")");
    QTest::newRow("utf-8") << QByteArray::fromHex("5304f09f9880") << u8(R"("😀")");
    QTest::newRow("undefined member dropped")
        << QByteArray::fromHex("6f2201615f22016249027b02") << QStringLiteral(R"({"b":1})");
    QTest::newRow("number key") << QByteArray::fromHex("6f4902220278787b01")
                                << QStringLiteral(R"({"1":"xx"})");
    QTest::newRow("dense with hole")
        << QByteArray::fromHex("410349022d5f240003") << QStringLiteral("[1,null,null]");
    QTest::newRow("sparse") << QByteArray::fromHex("6103490222017840"
                                                   "0103")
                            << QStringLiteral(R"([null,"x",null])");
    QTest::newRow("date") << QByteArray::fromHex("440000000000408f40") << QStringLiteral("1000");
    QTest::newRow("back-reference") << QByteArray::fromHex("6f2201616f7b002201625e017b02")
                                    << QStringLiteral(R"({"a":{},"b":{}})");
    QTest::newRow("back-reference to an array holding one")
        << QByteArray::fromHex("41026f22016149027b015e01"
                               "240002")
        << QStringLiteral(R"([{"a":1},{"a":1}])");
    QTest::newRow("Boolean object") << QByteArray::fromHex("79") << QStringLiteral("true");
    QTest::newRow("Number object")
        << QByteArray::fromHex("6e000000000000f03f") << QStringLiteral("1");
    QTest::newRow("String object") << QByteArray::fromHex("73220161") << QStringLiteral(R"("a")");
    QTest::newRow("object count check") << QByteArray::fromHex("3f024904") << QStringLiteral("2");
}

void TestV8Value::values()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, json);
    auto value = decodeV8Value(QByteArray(kHeader + body), kWhere);
    TFJS_VERIFY_OK(value);
    QCOMPARE(QString::fromStdString(stringify(*value)), json);
}

void TestV8Value::arrayBuffers()
{
    auto buffer = decodeV8Value(QByteArray(kHeader + QByteArray::fromHex("420401020304")), kWhere);
    TFJS_VERIFY_OK(buffer);
    QVERIFY(buffer->is_binary());
    QVERIFY(buffer->get_binary() == Json::binary_t({1, 2, 3, 4}));
    // A Uint8Array view ('B') of bytes 1..2, flags 0: the view's bytes.
    auto view = decodeV8Value(QByteArray(kHeader
                                         + QByteArray::fromHex("42040102030456"
                                                               "42"
                                                               "01"
                                                               "02"
                                                               "00")),
                              kWhere);
    TFJS_VERIFY_OK(view);
    QVERIFY(view->get_binary() == Json::binary_t({2, 3}));
    // An array (object 0) of a view (object 2) of 1 byte of a buffer (object 1), then the
    // buffer referred back to.
    auto both = decodeV8Value(QByteArray(kHeader
                                         + QByteArray::fromHex("4102"
                                                               "420201025642000100"
                                                               "5e01"
                                                               "240002")),
                              kWhere);
    TFJS_VERIFY_OK(both);
    QVERIFY((*both)[0].get_binary() == Json::binary_t({1}));
    QVERIFY((*both)[1].get_binary() == Json::binary_t({1, 2}));
}

void TestV8Value::errors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, const char *hex, ErrorCode code, const char *message) {
        QTest::newRow(name) << QByteArray::fromHex(hex) << code << QString::fromUtf8(message);
    };
    row("no header", "4902", ErrorCode::Format,
        "r: the V8 value does not start with its version tag FF at byte 0.");
    row("version 15", "ff0f4902", ErrorCode::Unsupported,
        "r: V8 serialization version 15 is not supported (16 is).");
    row("version 17", "ff114902", ErrorCode::Unsupported,
        "r: V8 serialization version 17 is not supported (16 is).");
    row("empty body", "ff10", ErrorCode::Format, "r: the V8 value is truncated at byte 2.");
    row("BigInt", "ff105a00", ErrorCode::Unsupported,
        "r: V8 tag 'Z' (0x5a) at byte 2 is not read.");
    row("host object", "ff105c00", ErrorCode::Unsupported,
        "r: V8 tag '\\' (0x5c) at byte 2 is not read.");
    row("Map", "ff103b3a00", ErrorCode::Unsupported, "r: V8 tag ';' (0x3b) at byte 2 is not read.");
    row("unknown back-reference", "ff105e05", ErrorCode::Format,
        "r: a back-reference to object 5, unknown or not complete at byte 2 of the V8 value.");
    row("cycle", "ff106f2201615e007b01", ErrorCode::Format,
        "r: a back-reference to object 0, unknown or not complete at byte 6 of the V8 value.");
    row("view outside its buffer", "ff10420201025642010500", ErrorCode::Format,
        "r: a view outside its ArrayBuffer at byte 7 of the V8 value.");
    row("odd UTF-16", "ff106303000000", ErrorCode::Format,
        "r: a UTF-16 string of odd byte length at byte 4 of the V8 value.");
    row("huge sparse array", "ff1061ffffffff0f", ErrorCode::Format,
        "r: a sparse array of length 4294967295 (more than 16777216) at byte 2 of the V8 value.");
    row("dense array past the end", "ff1041ffff0349", ErrorCode::Format,
        "r: a dense array longer (65535) than the bytes left at byte 2 of the V8 value.");
    row("object key", "ff106f5449027b01", ErrorCode::Format,
        "r: a property key that is neither a string nor a number at byte 3 of the V8 value.");
    row("string past the end", "ff10220561", ErrorCode::Format,
        "r: the V8 value is truncated at byte 4.");
}

void TestV8Value::errors()
{
    QFETCH(QByteArray, bytes);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    TFJS_COMPARE_ERROR(decodeV8Value(bytes, kWhere), code, message);
}

void TestV8Value::truncatedAnywhere()
{
    const QByteArray whole = chromiumFixture("tiny-models-store.bin").mid(kV8Start);
    TFJS_VERIFY_OK(decodeV8Value(whole, kWhere));
    for (qsizetype size = 0; size < whole.size(); ++size) {
        const auto result = decodeV8Value(whole.left(size), kWhere);
        QVERIFY2(!result, qPrintable(QStringLiteral("decoded with %1 bytes").arg(size)));
        QCOMPARE(result.error().code, ErrorCode::Format);
        QVERIFY(result.error().offset >= 0 && result.error().offset <= size);
    }
}

void TestV8Value::depthLimit()
{
    QByteArray nestedObjects = kHeader;
    for (int i = 0; i < 300; ++i)
        nestedObjects += QByteArray::fromHex("6f220161");
    const auto result = decodeV8Value(nestedObjects, kWhere);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Format);
    QVERIFY2(result.error().message.startsWith(
                 QStringLiteral("r: the V8 value nests deeper than 256 at byte ")),
             qPrintable(result.error().message));
}

void TestV8Value::backReferencesLimited()
{
    // Each array holds two back-references to the one before: every level doubles what they
    // would decode. Refused once that passes 4 times the value's size plus 1 MiB.
    const int levels = 40;
    QByteArray bytes = kHeader + QByteArray::fromHex("41") + char(levels + 1)
        + QByteArray::fromHex("410249024902240002");
    for (int level = 1; level <= levels; ++level)
        bytes += QByteArray::fromHex("41025e") + char(level) + QByteArray::fromHex("5e")
            + char(level) + QByteArray::fromHex("240002");
    bytes += QByteArray::fromHex("2400") + char(levels + 1);
    const auto result = decodeV8Value(bytes, kWhere);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Format);
    QVERIFY2(result.error().message.startsWith(
                 QStringLiteral("r: back-references decoding more than %1 bytes again at byte ")
                     .arg(4 * bytes.size() + (1 << 20))),
             qPrintable(result.error().message));
    // A few levels are fine: level 3 is 2^3 ones.
    QByteArray few = kHeader + QByteArray::fromHex("4104410249024902240002");
    for (int level = 1; level <= 3; ++level)
        few += QByteArray::fromHex("41025e") + char(level) + QByteArray::fromHex("5e") + char(level)
            + QByteArray::fromHex("240002");
    few += QByteArray::fromHex("240004");
    auto value = decodeV8Value(few, kWhere);
    TFJS_VERIFY_OK(value);
    QCOMPARE(QString::fromStdString(stringify((*value)[2])),
             QStringLiteral("[[[1,1],[1,1]],[[1,1],[1,1]]]"));
}

// Found by fuzz_blinkvalue (fuzz/regressions/blinkvalue/): a Date of 2.4e166 ms was converted
// to qint64 (undefined behaviour) instead of being refused.
void TestV8Value::dateOutOfRange()
{
    auto json = decodeV8Value(kTinyInfoRecord.mid(kV8Start), kWhere);
    TFJS_VERIFY_OK(json);
    Json info = (*json)["modelArtifactsInfo"];
    TFJS_VERIFY_OK(infoFromIndexedDbRecord(info, kWhere));
    info["dateSaved"] = 2.4e166;
    TFJS_COMPARE_ERROR(infoFromIndexedDbRecord(info, kWhere), ErrorCode::Format,
                       QStringLiteral("r: modelArtifactsInfo.dateSaved (2.4e+166) is not a valid date."));
    info["dateSaved"] = std::nan("");
    TFJS_COMPARE_ERROR(infoFromIndexedDbRecord(info, kWhere), ErrorCode::Format,
                       QStringLiteral("r: modelArtifactsInfo.dateSaved (nan) is not a valid date."));
    info["dateSaved"] = -8.64e15; // the earliest Date there is
    TFJS_VERIFY_OK(infoFromIndexedDbRecord(info, kWhere));
}

QTEST_GUILESS_MAIN(TestV8Value)
#include "tst_v8value.moc"

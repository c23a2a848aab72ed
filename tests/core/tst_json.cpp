// Expected outputs were produced with Node 20 (JSON.stringify) and are written out literally.
#include "base/json.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace tfjs;

namespace {

QByteArray str(const std::string &s)
{
    return QByteArray::fromStdString(s);
}

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), static_cast<size_t>(bytes.size())};
}

// The error message of a failed result, for QVERIFY2 (which evaluates it either way).
QByteArray why(const Result<Json> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

struct Item
{
    int id;
    Json toJson() const { return Json{{"id", id}}; }
};

} // namespace

class TestJson : public QObject
{
    Q_OBJECT

private slots:
    void numbers_data();
    void numbers();
    void integers_data();
    void integers();
    void nonFinite();
    void strings_data();
    void strings();
    void objectsKeepInsertionOrder();
    void undefinedAndBinary();
    void sizeOfParsed_data();
    void sizeOfParsed();
    void parseRestringify_data();
    void parseRestringify();
    void duplicateKeysLastWins();
    void manyKeys();
    void appendMembersSkipsPresentKeys();
    void toJsonArrayKeepsOrder();
    void depthLimit_data();
    void depthLimit();
    void parseErrors_data();
    void parseErrors();
    void parseErrorFields();
};

void TestJson::numbers_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("negative zero") << -0.0 << QByteArray("0");
    QTest::newRow("one") << 1.0 << QByteArray("1");
    QTest::newRow("minus one") << -1.0 << QByteArray("-1");
    QTest::newRow("5.0") << 5.0 << QByteArray("5");
    QTest::newRow("100") << 100.0 << QByteArray("100");
    QTest::newRow("0.1") << 0.1 << QByteArray("0.1");
    QTest::newRow("4.35") << 4.35 << QByteArray("4.35");
    QTest::newRow("0.3-0.1") << 0.3 - 0.1 << QByteArray("0.19999999999999998");
    QTest::newRow("1/3") << 1.0 / 3.0 << QByteArray("0.3333333333333333");
    QTest::newRow("1e-5") << 1e-5 << QByteArray("0.00001");
    QTest::newRow("1e-6") << 1e-6 << QByteArray("0.000001");
    QTest::newRow("1e-7") << 1e-7 << QByteArray("1e-7");
    QTest::newRow("-1e-7") << -1e-7 << QByteArray("-1e-7");
    QTest::newRow("123e-20") << 123e-20 << QByteArray("1.23e-18");
    QTest::newRow("12345.678e-15") << 12345.678e-15 << QByteArray("1.2345678e-11");
    QTest::newRow("-1.5e-10") << -1.5e-10 << QByteArray("-1.5e-10");
    QTest::newRow("0.000123") << 0.000123 << QByteArray("0.000123");
    QTest::newRow("3.14e-05") << 3.14e-05 << QByteArray("0.0000314");
    QTest::newRow("255/65535") << 255.0 / 65535.0 << QByteArray("0.0038910505836575876");
    QTest::newRow("1e20") << 1e20 << QByteArray("100000000000000000000");
    QTest::newRow("1e21") << 1e21 << QByteArray("1e+21");
    QTest::newRow("1.5e21") << 1.5e21 << QByteArray("1.5e+21");
    QTest::newRow("1e22") << 1e22 << QByteArray("1e+22");
    QTest::newRow("123456789012345680000")
        << 123456789012345680000.0 << QByteArray("123456789012345680000");
    QTest::newRow("2^53+1 as double") << 9007199254740993.0 << QByteArray("9007199254740992");
    QTest::newRow("max double") << 1.7976931348623157e308 << QByteArray("1.7976931348623157e+308");
    QTest::newRow("min subnormal") << 5e-324 << QByteArray("5e-324");
    QTest::newRow("3 min subnormal") << 1.5e-323 << QByteArray("1.5e-323");
    QTest::newRow("float32 0.1")
        << static_cast<double>(0.1f) << QByteArray("0.10000000149011612");
    QTest::newRow("float32 1/3")
        << static_cast<double>(1.0f / 3.0f) << QByteArray("0.3333333432674408");
}

void TestJson::numbers()
{
    QFETCH(double, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(str(formatNumber(value)), expected);
    // stringify and stringifiedSize of a float-typed value agree with it.
    QCOMPARE(str(stringify(Json(value))), expected);
    QCOMPARE(stringifiedSize(Json(value)), expected.size());
}

void TestJson::integers_data()
{
    QTest::addColumn<Json>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("int 123") << Json(std::int64_t{123}) << QByteArray("123");
    QTest::newRow("int -7") << Json(std::int64_t{-7}) << QByteArray("-7");
    QTest::newRow("int 2^53") << Json(std::int64_t{1} << 53) << QByteArray("9007199254740992");
    QTest::newRow("int 2^53+1")
        << Json((std::int64_t{1} << 53) + 1) << QByteArray("9007199254740992");
    QTest::newRow("int -(2^53+1)")
        << Json(-((std::int64_t{1} << 53) + 1)) << QByteArray("-9007199254740992");
    QTest::newRow("int64 min")
        << Json(std::numeric_limits<std::int64_t>::min()) << QByteArray("-9223372036854776000");
    QTest::newRow("uint 2^63")
        << Json(std::uint64_t{1} << 63) << QByteArray("9223372036854776000");
    QTest::newRow("uint64 max")
        << Json(std::numeric_limits<std::uint64_t>::max()) << QByteArray("18446744073709552000");
}

void TestJson::integers()
{
    QFETCH(Json, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(str(stringify(value)), expected);
    QCOMPARE(stringifiedSize(value), expected.size());
}

void TestJson::nonFinite()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QCOMPARE(str(formatNumber(nan)), QByteArray("null"));
    QCOMPARE(str(formatNumber(-inf)), QByteArray("null"));
    const Json value = Json::array({nan, inf, -inf, 1.5});
    QCOMPARE(str(stringify(value)), QByteArray("[null,null,null,1.5]"));
    QCOMPARE(stringifiedSize(value), 20);
}

void TestJson::strings_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty") << QByteArray("") << QByteArray(R"("")");
    QTest::newRow("quotes") << QByteArray(R"(say "hi")") << QByteArray(R"("say \"hi\"")");
    QTest::newRow("backslash") << QByteArray(R"(back\slash)") << QByteArray(R"("back\\slash")");
    QTest::newRow("short escapes") << QByteArray("\b\f\n\r\t") << QByteArray(R"("\b\f\n\r\t")");
    QTest::newRow("other controls")
        << QByteArray("\x00\x01\x1f", 3) << QByteArray(R"("\u0000\u0001\u001f")");
    QTest::newRow("lower-case hex") << QByteArray("\x10x\x1b") << QByteArray(R"("\u0010x\u001b")");
    QTest::newRow("DEL raw") << QByteArray("\x7f") << QByteArray("\"\x7f\"");
    QTest::newRow("slash unescaped")
        << QByteArray("a/b</script>") << QByteArray(R"("a/b</script>")");
    QTest::newRow("emoji") << QByteArray("\xf0\x9f\x98\x80") << QByteArray("\"\xf0\x9f\x98\x80\"");
    QTest::newRow("Cyrillic") << QByteArray("Привет") << QByteArray("\"Привет\"");
    QTest::newRow("CJK") << QByteArray("中文") << QByteArray("\"中文\"");
    QTest::newRow("U+2028 U+2029 raw")
        << QByteArray("\xe2\x80\xa8\xe2\x80\xa9") << QByteArray("\"\xe2\x80\xa8\xe2\x80\xa9\"");
}

void TestJson::strings()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const Json value(input.toStdString());
    QCOMPARE(str(stringify(value)), expected);
    QCOMPARE(stringifiedSize(value), expected.size());

    // Keys are escaped the same way.
    Json object = Json::object();
    object[input.toStdString()] = 1;
    QCOMPARE(str(stringify(object)), QByteArray("{" + expected + ":1}"));
    QCOMPARE(stringifiedSize(object), expected.size() + 4);

    // What we write parses back to the same string.
    const auto parsed = parseJson(view(expected), QStringLiteral("test"));
    QVERIFY(parsed.has_value());
    QCOMPARE(str(parsed->get<std::string>()), input);
}

void TestJson::objectsKeepInsertionOrder()
{
    Json value = Json::object();
    value["z"] = 1;
    value["a"] = Json::array({true, false, nullptr});
    value["m"]["b"] = "x";
    value["m"]["a"] = Json::object();
    value["e"] = Json::array();
    value["n"] = -0.0;
    const QByteArray expected(R"({"z":1,"a":[true,false,null],"m":{"b":"x","a":{}},"e":[],"n":0})");
    QCOMPARE(str(stringify(value)), expected);
    QCOMPARE(stringifiedSize(value), expected.size());
}

void TestJson::undefinedAndBinary()
{
    // `discarded` stands for undefined: dropped from objects, null in arrays, nothing at the top.
    const Json undefined(Json::value_t::discarded);
    Json object = Json::object();
    object["u"] = undefined;
    object["a"] = 1;
    object["v"] = undefined;
    QCOMPARE(str(stringify(object)), QByteArray(R"({"a":1})"));
    QCOMPARE(stringifiedSize(object), 7);
    Json onlyUndefined = Json::object();
    onlyUndefined["u"] = undefined;
    QCOMPARE(str(stringify(onlyUndefined)), QByteArray("{}"));
    QCOMPARE(stringifiedSize(onlyUndefined), 2);
    const Json array = Json::array({undefined, 1});
    QCOMPARE(str(stringify(array)), QByteArray("[null,1]"));
    QCOMPARE(stringifiedSize(array), 8);
    QCOMPARE(str(stringify(undefined)), QByteArray());
    QCOMPARE(stringifiedSize(undefined), 0);

    // binary is written like a Uint8Array.
    const Json bytes = Json::binary({1, 255});
    QCOMPARE(str(stringify(bytes)), QByteArray(R"({"0":1,"1":255})"));
    QCOMPARE(stringifiedSize(bytes), 15);
}

void TestJson::sizeOfParsed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("size"); // Buffer.byteLength(JSON.stringify(JSON.parse(text)))

    QTest::newRow("null") << QByteArray("null") << qint64(4);
    QTest::newRow("false") << QByteArray("false") << qint64(5);
    QTest::newRow("empty array") << QByteArray("[ ]") << qint64(2);
    QTest::newRow("empty object") << QByteArray("{ }") << qint64(2);
    QTest::newRow("spec list")
        << QByteArray(R"([{"name": "dense/kernel", "shape": [784, 32], "dtype": "float32"}])")
        << qint64(60);
    QTest::newRow("non-ASCII name")
        << QByteArray(R"([{"name": "\u0432\u0435\u0441/\u6743\u91cd", "shape": [], "dtype": "int32"}])")
        << qint64(53);
    QTest::newRow("numbers") << QByteArray("[1.0, 1e-07, -0.0, 1e21]") << qint64(16);
}

void TestJson::sizeOfParsed()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, size);
    const auto value = parseJson(view(text), QStringLiteral("test"));
    QVERIFY(value.has_value());
    QCOMPARE(stringifiedSize(*value), size);
    QCOMPARE(qint64(stringify(*value).size()), size);
}

void TestJson::parseRestringify_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    // Python json.dump style: ", " and ": ", \uXXXX escapes (with a surrogate pair), 1.0, 1e-07.
    QTest::newRow("python spec")
        << QByteArray(R"({"name": "dense/kernel", "shape": [3, 4], "dtype": "float32", )"
                      R"("quantization": {"min": -1.0, "scale": 1e-07, "dtype": "uint8"}, )"
                      R"("caf\u00e9": "\u043f\u0440\u0438 \ud83d\ude00", )"
                      R"("list": [1.5, 2.0, -0.0, 1e+22, 3.14e-05]})")
        << QByteArray(R"({"name":"dense/kernel","shape":[3,4],"dtype":"float32",)"
                      R"("quantization":{"min":-1,"scale":1e-7,"dtype":"uint8"},)"
                      "\"caf\xc3\xa9\":\"\xd0\xbf\xd1\x80\xd0\xb8 \xf0\x9f\x98\x80\","
                      R"("list":[1.5,2,0,1e+22,0.0000314]})");
    QTest::newRow("TF.js compact unchanged")
        << QByteArray(R"({"format":"layers-model","convertedBy":null,"w":[{"name":"a","shape":[2],"dtype":"bool"}]})")
        << QByteArray(R"({"format":"layers-model","convertedBy":null,"w":[{"name":"a","shape":[2],"dtype":"bool"}]})");
    QTest::newRow("whitespace and newlines")
        << QByteArray("\n{\n  \"b\" : [ 1 ,\t2 ],\r\n  \"a\" : { }\n}\n")
        << QByteArray(R"({"b":[1,2],"a":{}})");
    QTest::newRow("escaped slash and U+2028")
        << QByteArray(R"(["a\/b", "\u2028", "\u001F"])")
        << QByteArray("[\"a/b\",\"\xe2\x80\xa8\",\"\\u001f\"]");
    QTest::newRow("big integers as JS doubles")
        << QByteArray("[9007199254740993, 18446744073709551616, -9223372036854775808, "
                      "123456789012345680000]")
        << QByteArray("[9007199254740992,18446744073709552000,-9223372036854776000,"
                      "123456789012345680000]");
    QTest::newRow("UTF-8 BOM skipped") << QByteArray("\xef\xbb\xbf[1]") << QByteArray("[1]");
    QTest::newRow("brackets inside strings do not count")
        << QByteArray("[\"" + QByteArray(1000, '[') + "\\\"{\"]")
        << QByteArray("[\"" + QByteArray(1000, '[') + "\\\"{\"]");
}

void TestJson::parseRestringify()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const auto value = parseJson(view(input), QStringLiteral("test"));
    QVERIFY2(value.has_value(), why(value).constData());
    const QByteArray written = str(stringify(*value));
    QCOMPARE(written, expected);
    // Our own output parses back to the same value.
    const auto again = parseJson(view(written), QStringLiteral("test"));
    QVERIFY(again.has_value());
    QCOMPARE(str(stringify(*again)), expected);
}

void TestJson::duplicateKeysLastWins()
{
    // As JSON.parse: the last value wins, at the position of the first occurrence.
    const auto value = parseJson(R"({"a":1,"b":2,"a":3})", QStringLiteral("test"));
    QVERIFY(value.has_value());
    QCOMPARE(str(stringify(*value)), QByteArray(R"({"a":3,"b":2})"));
}

void TestJson::manyKeys()
{
    // Objects past the first few dozen keys are parsed through a hash index of their keys (an
    // object of 100,000 keys took 8 s of CPU before): the same result as JSON.parse, duplicates
    // included, on both sides of the switch.
    constexpr int kKeys = 100000;
    std::string text = "{";
    for (int i = 0; i < kKeys; ++i)
        text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    text += R"("k5":"five","k40000":"forty thousand","k100000":-1})";
    const auto value = parseJson(text, QStringLiteral("test"));
    QVERIFY(value.has_value());
    QCOMPARE(value->size(), std::size_t(kKeys + 1));
    QCOMPARE(str(stringify((*value)["k5"])), QByteArray(R"("five")"));
    QCOMPARE(str(stringify((*value)["k40000"])), QByteArray(R"("forty thousand")"));
    QCOMPARE(str(stringify((*value)["k39999"])), QByteArray(R"(39999)"));
    QCOMPARE(str(stringify((*value)["k100000"])), QByteArray(R"(-1)"));
    // Order of first appearance: k5 stays sixth, the new key comes last.
    auto it = value->begin();
    std::advance(it, 5);
    QCOMPARE(it.key(), std::string("k5"));
    QCOMPARE((--value->end()).key(), std::string("k100000"));
    // Nested objects keep their own keys apart.
    const auto nested = parseJson(R"({"a":{"x":1,"x":2},"x":3})", QStringLiteral("test"));
    QVERIFY(nested.has_value());
    QCOMPARE(str(stringify(*nested)), QByteArray(R"({"a":{"x":2},"x":3})"));
}

void TestJson::appendMembersSkipsPresentKeys()
{
    Json object = Json::parse(R"({"a":1,"b":2})");
    appendNewKey(object, "c", Json(3));
    appendMembers(object, Json::parse(R"({"b":20,"d":4,"skip":5,"e":6})"), {"skip"});
    QCOMPARE(str(stringify(object)), QByteArray(R"({"a":1,"b":2,"c":3,"d":4,"e":6})"));
    appendMembers(object, Json(nullptr)); // not an object: nothing
    QCOMPARE(object.size(), std::size_t(5));
}

void TestJson::toJsonArrayKeepsOrder()
{
    QCOMPARE(str(stringify(toJsonArray(std::vector<Item>{{3}, {1}, {2}}))),
             QByteArray(R"([{"id":3},{"id":1},{"id":2}])"));
    QCOMPARE(str(stringify(toJsonArray(std::vector<Item>{}))), QByteArray("[]"));
}

void TestJson::depthLimit_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("offset"); // -1: accepted

    const int limit = kMaxJsonDepth;
    QTest::newRow("arrays at the limit")
        << QByteArray(QByteArray(limit, '[') + QByteArray(limit, ']')) << qint64(-1);
    QTest::newRow("arrays one past")
        << QByteArray(QByteArray(limit + 1, '[') + QByteArray(limit + 1, ']')) << qint64(limit);
    QByteArray objects;
    for (int i = 0; i < limit; ++i)
        objects += "{\"a\":";
    objects += "1" + QByteArray(limit, '}');
    QTest::newRow("objects at the limit") << objects << qint64(-1);
    QTest::newRow("objects one past")
        << QByteArray("[" + objects + "]") << qint64(5 * (limit - 1) + 1);
    QTest::newRow("100000 open brackets") << QByteArray(100000, '[') << qint64(limit);
    QTest::newRow("100000 nested, closed")
        << QByteArray(QByteArray(100000, '[') + QByteArray(100000, ']')) << qint64(limit);
    QTest::newRow("after a string holding brackets")
        << QByteArray("[\"[[[\\\"[\"," + QByteArray(limit, '[')) << qint64(10 + limit - 1);
    QTest::newRow("siblings do not add up")
        << QByteArray("[" + QByteArray(limit - 1, '[') + QByteArray(limit - 1, ']') + ","
                      + QByteArray(limit - 1, '[') + QByteArray(limit - 1, ']') + "]")
        << qint64(-1);
}

void TestJson::depthLimit()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, offset);
    const auto value = parseJson(view(text), QStringLiteral("deep.json"));
    if (offset < 0) {
        QVERIFY2(value.has_value(), why(value).constData());
        QCOMPARE(stringify(*value).size(), size_t(text.size()));
        return;
    }
    QVERIFY(!value.has_value());
    QCOMPARE(value.error().code, ErrorCode::Parse);
    QCOMPARE(value.error().offset, offset);
    QCOMPARE(value.error().message,
             QStringLiteral("Invalid JSON in deep.json at byte %1: arrays and objects are nested "
                            "deeper than 256 levels.")
                 .arg(offset));
}

void TestJson::parseErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QString>("reason");

    QTest::newRow("empty") << QByteArray() << qint64(0)
                           << QStringLiteral("syntax error while parsing value - unexpected end "
                                             "of input; expected '[', '{', or a literal.");
    QTest::newRow("only whitespace")
        << QByteArray(" \n") << qint64(2)
        << QStringLiteral("syntax error while parsing value - unexpected end of input; expected "
                          "'[', '{', or a literal.");
    QTest::newRow("truncated array")
        << QByteArray("[1,") << qint64(3)
        << QStringLiteral("syntax error while parsing value - unexpected end of input; expected "
                          "'[', '{', or a literal.");
    QTest::newRow("truncated object")
        << QByteArray(R"({"a")") << qint64(4)
        << QStringLiteral("syntax error while parsing object separator - unexpected end of input; "
                          "expected ':'.");
    QTest::newRow("trailing comma")
        << QByteArray("[1,]") << qint64(3)
        << QStringLiteral("syntax error while parsing value - unexpected ']'; expected '[', '{', "
                          "or a literal.");
    QTest::newRow("trailing garbage")
        << QByteArray("{} x") << qint64(3)
        << QStringLiteral("syntax error while parsing value - invalid literal; last read: '{} x'; "
                          "expected end of input.");
    QTest::newRow("second value")
        << QByteArray("{}{}") << qint64(2)
        << QStringLiteral("syntax error while parsing value - unexpected '{'; expected end of "
                          "input.");
    QTest::newRow("invalid UTF-8")
        << QByteArray("[\"a\xff\"]") << qint64(3)
        << QStringLiteral("syntax error while parsing value - invalid string: ill-formed UTF-8 "
                          "byte; last read: '\"a\uFFFD'.");
    QTest::newRow("raw newline in string")
        << QByteArray("\"a\nb\"") << qint64(2)
        << QStringLiteral("syntax error while parsing value - invalid string: control character "
                          "U+000A (LF) must be escaped to \\u000A or \\n; last read: '\"a<U+000A>'.");
    QTest::newRow("lone surrogate escape")
        << QByteArray(R"("\ud800")") << qint64(7)
        << QStringLiteral("syntax error while parsing value - invalid string: surrogate "
                          "U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: "
                          "'\"\\ud800\"'.");
    QTest::newRow("misspelled literal")
        << QByteArray("nul") << qint64(3)
        << QStringLiteral("syntax error while parsing value - invalid literal; last read: 'nul'.");
    QTest::newRow("Python NaN")
        << QByteArray("[NaN]") << qint64(1)
        << QStringLiteral("syntax error while parsing value - invalid literal; last read: '[N'.");
    QTest::newRow("number overflow")
        << QByteArray("[1, -1e400]") << qint64(4)
        << QStringLiteral("number overflow parsing '-1e400'.");
    QTest::newRow("single quotes")
        << QByteArray("{'a':1}") << qint64(1)
        << QStringLiteral("syntax error while parsing object key - invalid literal; last read: "
                          "'{''; expected string literal.");
}

void TestJson::parseErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, offset);
    QFETCH(QString, reason);
    const auto value = parseJson(view(text), QStringLiteral("model.json"));
    QVERIFY(!value.has_value());
    QCOMPARE(value.error().code, ErrorCode::Parse);
    QCOMPARE(value.error().offset, offset);
    QCOMPARE(value.error().message,
             QStringLiteral("Invalid JSON in model.json at byte %1: %2").arg(offset).arg(reason));
}

void TestJson::parseErrorFields()
{
    const auto value = parseJson("[1,]", QStringLiteral("/models/a/model.json"));
    QVERIFY(!value.has_value());
    const Error &error = value.error();
    QCOMPARE(error.code, ErrorCode::Parse);
    QCOMPARE(error.path, QStringLiteral("/models/a/model.json"));
    QCOMPARE(error.offset, qint64(3));
    QVERIFY(error.tensor.isEmpty());
    QVERIFY(error.shard.isEmpty());
    QCOMPARE(errorCodeName(error.code), QStringLiteral("parse"));
}

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"

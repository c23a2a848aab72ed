#include "format/dtype.h"
#include "format/weightspec.h"

#include <QTest>

#include <limits>

using namespace tfjs;

namespace {

const QString kWhere = QStringLiteral("model.json");

// Parses test JSON written in the table; the tables only hold valid JSON.
Json j(const char *text)
{
    auto value = parseJson(text, QStringLiteral("test table"));
    if (!value) {
        qFatal("bad JSON in test table: %s", qPrintable(value.error().message));
    }
    return *value;
}

QByteArray str(const Json &value)
{
    return QByteArray::fromStdString(stringify(value));
}

template <typename T>
QByteArray why(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

} // namespace

class TestWeightSpec : public QObject
{
    Q_OBJECT

private slots:
    void dtypes_data();
    void dtypes();
    void quantDtypes_data();
    void quantDtypes();
    void unknownDtypeNames();

    void validSpecs_data();
    void validSpecs();
    void invalidSpecs_data();
    void invalidSpecs();
    void nonFiniteQuantization_data();
    void nonFiniteQuantization();

    void specsBuiltInCode();
    void toJsonBuiltInCode();

    void manifest();
    void manifestWithoutWeightsKey();
    void invalidManifests_data();
    void invalidManifests();
    void countLimits();

    void shardPaths_data();
    void shardPaths();
    void emptyAndNulShardPaths();
};

void TestWeightSpec::dtypes_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<DType>("dtype");
    QTest::addColumn<int>("size");

    QTest::newRow("float32") << QByteArray("float32") << DType::Float32 << 4;
    QTest::newRow("int32") << QByteArray("int32") << DType::Int32 << 4;
    QTest::newRow("bool") << QByteArray("bool") << DType::Bool << 1;
    QTest::newRow("string") << QByteArray("string") << DType::String << 0;
    QTest::newRow("complex64") << QByteArray("complex64") << DType::Complex64 << 8;
}

void TestWeightSpec::dtypes()
{
    QFETCH(QByteArray, name);
    QFETCH(DType, dtype);
    QFETCH(int, size);
    QCOMPARE(dtypeFromName(name.toStdString()), std::optional<DType>(dtype));
    QCOMPARE(QByteArray(dtypeName(dtype)), name);
    QCOMPARE(elementSize(dtype), size);
}

void TestWeightSpec::quantDtypes_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QuantDType>("dtype");
    QTest::addColumn<int>("size");

    QTest::newRow("uint8") << QByteArray("uint8") << QuantDType::UInt8 << 1;
    QTest::newRow("uint16") << QByteArray("uint16") << QuantDType::UInt16 << 2;
    QTest::newRow("float16") << QByteArray("float16") << QuantDType::Float16 << 2;
}

void TestWeightSpec::quantDtypes()
{
    QFETCH(QByteArray, name);
    QFETCH(QuantDType, dtype);
    QFETCH(int, size);
    QCOMPARE(quantDTypeFromName(name.toStdString()), std::optional<QuantDType>(dtype));
    QCOMPARE(QByteArray(quantDTypeName(dtype)), name);
    QCOMPARE(elementSize(dtype), size);
}

void TestWeightSpec::unknownDtypeNames()
{
    for (const char *name : {"float64", "Float32", "", "int8", "uint8", "float16 "})
        QVERIFY2(!dtypeFromName(name), name);
    for (const char *name : {"int8", "UINT8", "", "float32", "uint32"})
        QVERIFY2(!quantDTypeFromName(name), name);
}

void TestWeightSpec::validSpecs_data()
{
    QTest::addColumn<Json>("entry");
    QTest::addColumn<QByteArray>("shape"); // stringified
    QTest::addColumn<DType>("dtype");
    QTest::addColumn<QByteArray>("group"); // empty: none
    QTest::addColumn<QByteArray>("quant"); // "dtype min scale", empty: none
    QTest::addColumn<qint64>("count");
    QTest::addColumn<qint64>("bytes");

    QTest::newRow("float32 matrix")
        << j(R"({"name":"dense/kernel","shape":[784,32],"dtype":"float32"})")
        << QByteArray("[784,32]") << DType::Float32 << QByteArray() << QByteArray()
        << qint64(25088) << qint64(100352);
    QTest::newRow("int32 scalar")
        << j(R"({"name":"step","shape":[],"dtype":"int32"})") << QByteArray("[]") << DType::Int32
        << QByteArray() << QByteArray() << qint64(1) << qint64(4);
    QTest::newRow("bool")
        << j(R"({"name":"mask","shape":[5],"dtype":"bool"})") << QByteArray("[5]") << DType::Bool
        << QByteArray() << QByteArray() << qint64(5) << qint64(5);
    QTest::newRow("complex64")
        << j(R"({"name":"c","shape":[2,3],"dtype":"complex64"})") << QByteArray("[2,3]")
        << DType::Complex64 << QByteArray() << QByteArray() << qint64(6) << qint64(48);
    QTest::newRow("string size unknown")
        << j(R"({"name":"vocab","shape":[3],"dtype":"string"})") << QByteArray("[3]")
        << DType::String << QByteArray() << QByteArray() << qint64(3) << qint64(-1);
    QTest::newRow("zero dimension")
        << j(R"({"name":"empty","shape":[0,5],"dtype":"float32"})") << QByteArray("[0,5]")
        << DType::Float32 << QByteArray() << QByteArray() << qint64(0) << qint64(0);
    QTest::newRow("zero after huge dimensions")
        << j(R"({"name":"e","shape":[9007199254740991,9007199254740991,0],"dtype":"int32"})")
        << QByteArray("[9007199254740991,9007199254740991,0]") << DType::Int32 << QByteArray()
        << QByteArray() << qint64(0) << qint64(0);
    QTest::newRow("largest safe dimension")
        << j(R"({"name":"big","shape":[9007199254740991],"dtype":"bool"})")
        << QByteArray("[9007199254740991]") << DType::Bool << QByteArray() << QByteArray()
        << qint64(9007199254740991) << qint64(9007199254740991);
    QTest::newRow("Python float dimensions")
        << j(R"({"name": "w", "shape": [3.0, -0.0, 2], "dtype": "float32"})")
        << QByteArray("[3,0,2]") << DType::Float32 << QByteArray() << QByteArray() << qint64(0)
        << qint64(0);
    QTest::newRow("optimizer group")
        << j(R"({"name":"Adam/iter","shape":[],"dtype":"int32","group":"optimizer"})")
        << QByteArray("[]") << DType::Int32 << QByteArray("optimizer") << QByteArray() << qint64(1)
        << qint64(4);
    QTest::newRow("non-string group ignored")
        << j(R"({"name":"g","shape":[1],"dtype":"int32","group":7})") << QByteArray("[1]")
        << DType::Int32 << QByteArray() << QByteArray() << qint64(1) << qint64(4);
    QTest::newRow("uint8 float32")
        << j(R"({"name":"q","shape":[10],"dtype":"float32",)"
             R"("quantization":{"dtype":"uint8","min":-1,"scale":0.1}})")
        << QByteArray("[10]") << DType::Float32 << QByteArray() << QByteArray("uint8 -1 0.1")
        << qint64(10) << qint64(10);
    QTest::newRow("uint16 int32, Python style")
        << j(R"({"name": "q", "shape": [2, 4], "dtype": "int32", "quantization": )"
             R"({"min": -1.0, "scale": 1e-07, "dtype": "uint16", "original_dtype": "int32"}})")
        << QByteArray("[2,4]") << DType::Int32 << QByteArray() << QByteArray("uint16 -1 1e-7")
        << qint64(8) << qint64(16);
    QTest::newRow("float16 without min and scale")
        << j(R"({"name":"h","shape":[3],"dtype":"float32","quantization":{"dtype":"float16"}})")
        << QByteArray("[3]") << DType::Float32 << QByteArray() << QByteArray("float16 - -")
        << qint64(3) << qint64(6);
    QTest::newRow("unknown keys kept")
        << j(R"({"shape":[1],"extra":{"a":[1]},"name":"u","dtype":"float32"})") << QByteArray("[1]")
        << DType::Float32 << QByteArray() << QByteArray() << qint64(1) << qint64(4);
    QTest::newRow("non-ASCII name")
        << j(R"({"name":"\u0432\u0435\u0441/\u6743\u91cd","shape":[1],"dtype":"float32"})")
        << QByteArray("[1]") << DType::Float32 << QByteArray() << QByteArray() << qint64(1)
        << qint64(4);
}

void TestWeightSpec::validSpecs()
{
    QFETCH(Json, entry);
    QFETCH(QByteArray, shape);
    QFETCH(DType, dtype);
    QFETCH(QByteArray, group);
    QFETCH(QByteArray, quant);
    QFETCH(qint64, count);
    QFETCH(qint64, bytes);

    const auto spec = parseWeightSpec(entry, kWhere);
    QVERIFY2(spec.has_value(), why(spec).constData());
    QCOMPARE(spec->name, entry["name"].get<std::string>());
    QCOMPARE(str(Json(spec->shape)), shape);
    QCOMPARE(spec->dtype, dtype);
    QCOMPARE(spec->group.has_value(), !group.isEmpty());
    if (spec->group)
        QCOMPARE(QByteArray::fromStdString(*spec->group), group);
    QCOMPARE(spec->quantization.has_value(), !quant.isEmpty());
    if (spec->quantization) {
        const Quantization &q = *spec->quantization;
        const auto show = [](const std::optional<double> &v) {
            return v ? formatNumber(*v) : std::string("-");
        };
        QCOMPARE(QByteArray::fromStdString(std::string(quantDTypeName(q.dtype)) + " "
                                           + show(q.min) + " " + show(q.scale)),
                 quant);
    }
    QCOMPARE(spec->elementCount(), count);
    QCOMPARE(spec->byteSize(), bytes);
    // The entry is kept exactly as read, key order and unknown keys included.
    QCOMPARE(str(spec->toJson()), str(entry));
}

void TestWeightSpec::invalidSpecs_data()
{
    QTest::addColumn<Json>("entry");
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<QString>("message");

    QTest::newRow("not an object")
        << j("[1]") << QString() << QStringLiteral("A weight entry in model.json is not an object.");
    QTest::newRow("no name") << j(R"({"shape":[],"dtype":"float32"})") << QString()
                             << QStringLiteral("A weight entry in model.json has no string 'name'.");
    QTest::newRow("numeric name") << j(R"({"name":5,"shape":[],"dtype":"float32"})") << QString()
                                  << QStringLiteral("A weight entry in model.json has no string "
                                                    "'name'.");
    QTest::newRow("no shape") << j(R"({"name":"x","dtype":"float32"})") << QStringLiteral("x")
                              << QStringLiteral("Weight 'x' has no 'shape' array.");
    QTest::newRow("shape not an array")
        << j(R"({"name":"x","shape":5,"dtype":"float32"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has no 'shape' array.");
    QTest::newRow("negative dimension")
        << j(R"({"name":"dense/kernel","shape":[2,-3],"dtype":"float32"})")
        << QStringLiteral("dense/kernel")
        << QStringLiteral("Weight 'dense/kernel' has an invalid shape: dimension 1 is -3.");
    QTest::newRow("fractional dimension")
        << j(R"({"name":"x","shape":[1.5],"dtype":"float32"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has an invalid shape: dimension 0 is 1.5, not a whole "
                          "number.");
    QTest::newRow("negative fractional dimension")
        << j(R"({"name":"x","shape":[4,-0.5],"dtype":"float32"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has an invalid shape: dimension 1 is -0.5, not a whole "
                          "number.");
    QTest::newRow("negative float dimension")
        << j(R"({"name":"x","shape":[-2.0],"dtype":"float32"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has an invalid shape: dimension 0 is -2.");
    QTest::newRow("string dimension")
        << j(R"({"name":"x","shape":["3"],"dtype":"float32"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has an invalid shape: dimension 0 is \"3\", not a number.");
    QTest::newRow("null dimension")
        << j(R"({"name":"x","shape":[1,null],"dtype":"float32"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has an invalid shape: dimension 1 is null, not a number.");
    QTest::newRow("dimension 2^53")
        << j(R"({"name":"x","shape":[9007199254740992],"dtype":"float32"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has an invalid shape: dimension 0 is 9007199254740992, more "
                          "than 2^53 - 1.");
    QTest::newRow("dimension 2^53+1 shown exactly")
        << j(R"({"name":"x","shape":[9007199254740993],"dtype":"float32"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has an invalid shape: dimension 0 is 9007199254740993, more "
                          "than 2^53 - 1.");
    QTest::newRow("float dimension 1e300")
        << j(R"({"name":"x","shape":[1e300],"dtype":"float32"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has an invalid shape: dimension 0 is 1e+300, more than "
                          "2^53 - 1.");
    QTest::newRow("element count overflow")
        << j(R"({"name":"x","shape":[4294967296,4294967296],"dtype":"bool"})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has an invalid shape: [4294967296,4294967296] holds more "
                          "than 2^63 - 1 elements.");
    QTest::newRow("byte size overflow")
        << j(R"({"name":"x","shape":[9007199254740991,1024],"dtype":"float32"})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' is too large: its 9223372036854774784 elements take more "
                          "than 2^63 - 1 bytes.");
    QTest::newRow("no dtype") << j(R"({"name":"x","shape":[]})") << QStringLiteral("x")
                              << QStringLiteral("Weight 'x' has no string 'dtype'.");
    QTest::newRow("unknown dtype")
        << j(R"({"name":"x","shape":[],"dtype":"float64"})") << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has unknown dtype 'float64'.");
    QTest::newRow("quantization null")
        << j(R"({"name":"x","shape":[],"dtype":"float32","quantization":null})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has a 'quantization' that is not an object.");
    QTest::newRow("quantization without dtype")
        << j(R"({"name":"x","shape":[],"dtype":"float32","quantization":{"min":0,"scale":1}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has quantization without a string 'dtype'.");
    QTest::newRow("quantization unknown dtype")
        << j(R"({"name":"x","shape":[],"dtype":"float32","quantization":{"dtype":"int4"}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has quantization with unknown dtype 'int4'.");
    QTest::newRow("uint8 without min and scale")
        << j(R"({"name":"x","shape":[],"dtype":"float32","quantization":{"dtype":"uint8"}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has uint8 quantization without 'min' and 'scale'; uint8 "
                          "quantization requires 'min' and 'scale'.");
    QTest::newRow("uint16 without scale")
        << j(R"({"name":"x","shape":[],"dtype":"int32","quantization":{"dtype":"uint16","min":0}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has uint16 quantization without 'scale'; uint16 "
                          "quantization requires 'min' and 'scale'.");
    QTest::newRow("uint8 without min")
        << j(R"({"name":"x","shape":[],"dtype":"float32","quantization":{"dtype":"uint8","scale":1}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has uint8 quantization without 'min'; uint8 quantization "
                          "requires 'min' and 'scale'.");
    QTest::newRow("string min")
        << j(R"({"name":"x","shape":[],"dtype":"float32",)"
             R"("quantization":{"dtype":"uint8","min":"0","scale":1}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has a quantization 'min' that is not a finite number.");
    QTest::newRow("null scale")
        << j(R"({"name":"x","shape":[],"dtype":"float32",)"
             R"("quantization":{"dtype":"uint8","min":0,"scale":null}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has a quantization 'scale' that is not a finite number.");
    QTest::newRow("float16 on int32")
        << j(R"({"name":"x","shape":[],"dtype":"int32","quantization":{"dtype":"float16"}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has float16 quantization, which TF.js allows only on "
                          "float32 weights, not int32.");
    QTest::newRow("quantized bool")
        << j(R"({"name":"x","shape":[],"dtype":"bool",)"
             R"("quantization":{"dtype":"uint8","min":0,"scale":1}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has dtype bool, which cannot be quantized (only float32 "
                          "and int32 can).");
    QTest::newRow("quantized string")
        << j(R"({"name":"x","shape":[],"dtype":"string","quantization":{"dtype":"float16"}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has dtype string, which cannot be quantized (only float32 "
                          "and int32 can).");
    QTest::newRow("quantized complex64")
        << j(R"({"name":"x","shape":[],"dtype":"complex64",)"
             R"("quantization":{"dtype":"uint16","min":0,"scale":1}})")
        << QStringLiteral("x")
        << QStringLiteral("Weight 'x' has dtype complex64, which cannot be quantized (only "
                          "float32 and int32 can).");
}

void TestWeightSpec::invalidSpecs()
{
    QFETCH(Json, entry);
    QFETCH(QString, tensor);
    QFETCH(QString, message);
    const auto spec = parseWeightSpec(entry, kWhere);
    QVERIFY(!spec.has_value());
    QCOMPARE(spec.error().code, ErrorCode::Format);
    QCOMPARE(spec.error().message, message);
    QCOMPARE(spec.error().tensor, tensor);
    QCOMPARE(spec.error().path, kWhere);
}

void TestWeightSpec::nonFiniteQuantization_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<double>("value");

    QTest::newRow("NaN scale") << QByteArray("scale") << std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("infinite min") << QByteArray("min") << -std::numeric_limits<double>::infinity();
}

void TestWeightSpec::nonFiniteQuantization()
{
    // JSON text cannot hold these; a spec built in code can.
    QFETCH(QByteArray, key);
    QFETCH(double, value);
    Json entry = j(R"({"name":"w","shape":[2],"dtype":"float32",)"
                   R"("quantization":{"dtype":"uint8","min":0,"scale":1}})");
    entry["quantization"][key.toStdString()] = value;
    const auto spec = parseWeightSpec(entry, kWhere);
    QVERIFY(!spec.has_value());
    QCOMPARE(spec.error().code, ErrorCode::Format);
    QCOMPARE(spec.error().tensor, QStringLiteral("w"));
    QCOMPARE(spec.error().message,
             QStringLiteral("Weight 'w' has a quantization '%1' that is not a finite number.")
                 .arg(QLatin1String(key)));
}

void TestWeightSpec::specsBuiltInCode()
{
    WeightSpec spec;
    spec.name = "w";
    spec.shape = {3, 4};
    QCOMPARE(spec.elementCount(), 12);
    QCOMPARE(spec.byteSize(), 48);
    spec.dtype = DType::Complex64;
    QCOMPARE(spec.byteSize(), 96);
    spec.dtype = DType::Bool;
    QCOMPARE(spec.byteSize(), 12);
    spec.dtype = DType::String;
    QCOMPARE(spec.byteSize(), -1);
    spec.dtype = DType::Int32;
    spec.quantization = Quantization{QuantDType::UInt8, 0.0, 1.0};
    QCOMPARE(spec.byteSize(), 12);
    spec.quantization->dtype = QuantDType::UInt16;
    QCOMPARE(spec.byteSize(), 24);
    spec.quantization.reset();

    spec.shape = {};
    QCOMPARE(spec.elementCount(), 1);
    spec.shape = {5, -1};
    QCOMPARE(spec.elementCount(), -1);
    QCOMPARE(spec.byteSize(), -1);
    spec.shape = {std::int64_t{1} << 62, 4};
    QCOMPARE(spec.elementCount(), -1);
    spec.shape = {std::int64_t{1} << 61, 2};
    QCOMPARE(spec.elementCount(), std::int64_t{1} << 62);
    QCOMPARE(spec.byteSize(), -1); // 2^64 bytes do not fit
    spec.shape = {std::int64_t{1} << 62, 4, 0};
    QCOMPARE(spec.elementCount(), 0);
}

void TestWeightSpec::toJsonBuiltInCode()
{
    WeightSpec spec;
    spec.name = "dense/bias";
    spec.shape = {32};
    QCOMPARE(str(spec.toJson()), QByteArray(R"({"name":"dense/bias","shape":[32],"dtype":"float32"})"));

    spec.dtype = DType::Int32;
    spec.group = "optimizer";
    spec.quantization = Quantization{QuantDType::UInt16, -1.0, 1e-7};
    QCOMPARE(str(spec.toJson()),
             QByteArray(R"({"name":"dense/bias","shape":[32],"dtype":"int32","group":"optimizer",)"
                        R"("quantization":{"dtype":"uint16","min":-1,"scale":1e-7}})"));

    spec.dtype = DType::Float32;
    spec.group.reset();
    spec.quantization = Quantization{QuantDType::Float16, std::nullopt, std::nullopt};
    QCOMPARE(str(spec.toJson()),
             QByteArray(R"({"name":"dense/bias","shape":[32],"dtype":"float32",)"
                        R"("quantization":{"dtype":"float16"}})"));

    // What toJson builds parses back to the same spec.
    const auto again = parseWeightSpec(spec.toJson(), kWhere);
    QVERIFY2(again.has_value(), why(again).constData());
    QCOMPARE(str(again->toJson()), str(spec.toJson()));

    // A spec read from a file is written back exactly, whatever was changed in code.
    const Json entry = j(R"({"dtype": "float32", "name": "k", "shape": [1.0], "x": null})");
    auto parsed = parseWeightSpec(entry, kWhere);
    QVERIFY(parsed.has_value());
    parsed->group = "model";
    QCOMPARE(str(parsed->toJson()), QByteArray(R"({"dtype":"float32","name":"k","shape":[1],"x":null})"));
}

void TestWeightSpec::manifest()
{
    const Json json = j(R"([
        {"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"],
         "weights": [{"name": "a", "shape": [2, 2], "dtype": "float32"},
                     {"name": "b", "shape": [3], "dtype": "int32"}]},
        {"paths": [], "weights": []},
        {"paths": ["group3-shard1of1.bin"],
         "weights": [{"name": "c", "shape": [], "dtype": "bool", "group": "optimizer"}]}
    ])");
    const auto manifest = parseWeightsManifest(json, kWhere);
    QVERIFY2(manifest.has_value(), why(manifest).constData());
    QCOMPARE(manifest->size(), size_t(3));
    QCOMPARE(manifest->at(0).paths,
             (std::vector<std::string>{"group1-shard1of2.bin", "group1-shard2of2.bin"}));
    QCOMPARE(manifest->at(0).weights.size(), size_t(2));
    QVERIFY(manifest->at(1).paths.empty());
    QVERIFY(manifest->at(1).weights.empty());
    QCOMPARE(manifest->at(2).weights.at(0).group, std::optional<std::string>("optimizer"));

    const std::vector<WeightSpec> flat = flatSpecs(*manifest);
    QCOMPARE(flat.size(), size_t(3));
    QCOMPARE(flat[0].name, std::string("a"));
    QCOMPARE(flat[1].name, std::string("b"));
    QCOMPARE(flat[2].name, std::string("c"));

    QCOMPARE(str(specsToJson(flat)),
             QByteArray(R"([{"name":"a","shape":[2,2],"dtype":"float32"},)"
                        R"({"name":"b","shape":[3],"dtype":"int32"},)"
                        R"({"name":"c","shape":[],"dtype":"bool","group":"optimizer"}])"));
    QCOMPARE(str(weightsManifestToJson(*manifest)), str(json));
    QCOMPARE(str(specsToJson({})), QByteArray("[]"));
    QCOMPARE(str(weightsManifestToJson({})), QByteArray("[]"));
}

void TestWeightSpec::manifestWithoutWeightsKey()
{
    // TF.js drops `weights` when a model has no weights.
    const auto manifest = parseWeightsManifest(j(R"([{"paths":["./model.weights.bin"]}])"), kWhere);
    QVERIFY2(manifest.has_value(), why(manifest).constData());
    QCOMPARE(manifest->size(), size_t(1));
    QVERIFY(manifest->at(0).weights.empty());
    QVERIFY(flatSpecs(*manifest).empty());
    QCOMPARE(str(weightsManifestToJson(*manifest)),
             QByteArray(R"([{"paths":["./model.weights.bin"],"weights":[]}])"));
}

void TestWeightSpec::invalidManifests_data()
{
    QTest::addColumn<Json>("manifest");
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<QString>("message");

    QTest::newRow("object") << j(R"({"paths":[]})") << QString()
                            << QStringLiteral("The weights manifest in model.json is not an array.");
    QTest::newRow("null") << j("null") << QString()
                          << QStringLiteral("The weights manifest in model.json is not an array.");
    QTest::newRow("group not an object")
        << j(R"([{"paths":[]}, "x"])") << QString()
        << QStringLiteral("Group weightsManifest[1] in model.json is not an object.");
    QTest::newRow("no paths") << j(R"([{"weights":[]}])") << QString()
                              << QStringLiteral("Group weightsManifest[0] in model.json has no "
                                                "'paths' array.");
    QTest::newRow("paths a string")
        << j(R"([{"paths":"w.bin"}])") << QString()
        << QStringLiteral("Group weightsManifest[0] in model.json has no 'paths' array.");
    QTest::newRow("path not a string")
        << j(R"([{"paths":["a.bin", 2]}])") << QString()
        << QStringLiteral("Path weightsManifest[0].paths[1] in model.json is not a string.");
    QTest::newRow("weights not an array")
        << j(R"([{"paths":[],"weights":{}}])") << QString()
        << QStringLiteral("Group weightsManifest[0] in model.json has a 'weights' value that is "
                          "not an array.");
    QTest::newRow("weights null")
        << j(R"([{"paths":[],"weights":null}])") << QString()
        << QStringLiteral("Group weightsManifest[0] in model.json has a 'weights' value that is "
                          "not an array.");
    QTest::newRow("entry not an object")
        << j(R"([{"paths":[],"weights":[]},{"paths":[],"weights":[3]}])") << QString()
        << QStringLiteral("Entry weightsManifest[1].weights[0] in model.json is not an object.");
    QTest::newRow("entry without name")
        << j(R"([{"paths":[],"weights":[{"name":"a","shape":[],"dtype":"int32"},{"shape":[]}]}])")
        << QString()
        << QStringLiteral("Entry weightsManifest[0].weights[1] in model.json has no string "
                          "'name'.");
    QTest::newRow("bad entry names its tensor")
        << j(R"([{"paths":[],"weights":[{"name":"dense/kernel","shape":[2,-3],"dtype":"float32"}]}])")
        << QStringLiteral("dense/kernel")
        << QStringLiteral("Weight 'dense/kernel' has an invalid shape: dimension 1 is -3.");
    QTest::newRow("duplicate in one group")
        << j(R"([{"paths":[],"weights":[{"name":"a","shape":[],"dtype":"int32"},)"
             R"({"name":"a","shape":[2],"dtype":"float32"}]}])")
        << QStringLiteral("a") << QStringLiteral("Weight 'a' is listed twice in model.json.");
    QTest::newRow("duplicate across groups")
        << j(R"([{"paths":["1.bin"],"weights":[{"name":"a","shape":[],"dtype":"int32"},)"
             R"({"name":"conv/bias","shape":[],"dtype":"int32"}]},)"
             R"({"paths":["2.bin"],"weights":[{"name":"conv/bias","shape":[2],"dtype":"float32"}]}])")
        << QStringLiteral("conv/bias")
        << QStringLiteral("Weight 'conv/bias' is listed twice in model.json.");
}

void TestWeightSpec::invalidManifests()
{
    QFETCH(Json, manifest);
    QFETCH(QString, tensor);
    QFETCH(QString, message);
    const auto parsed = parseWeightsManifest(manifest, kWhere);
    QVERIFY(!parsed.has_value());
    QCOMPARE(parsed.error().code, ErrorCode::Format);
    QCOMPARE(parsed.error().message, message);
    QCOMPARE(parsed.error().tensor, tensor);
    QCOMPARE(parsed.error().path, kWhere);
}

void TestWeightSpec::countLimits()
{
    // Paths are counted across groups, before any is read.
    const auto manifestOf = [](std::size_t paths, std::size_t weights) {
        Json first = Json::object();
        first["paths"] = Json::array();
        for (std::size_t i = 0; i < paths / 2; ++i)
            first["paths"].push_back("a.bin");
        Json second = Json::object();
        second["paths"] = Json::array();
        for (std::size_t i = paths / 2; i < paths; ++i)
            second["paths"].push_back("b.bin");
        second["weights"] = Json::array();
        for (std::size_t i = 0; i < weights; ++i)
            second["weights"].push_back(nullptr); // counted before any is read
        Json manifest = Json::array();
        manifest.push_back(std::move(first));
        manifest.push_back(std::move(second));
        return manifest;
    };
    const auto tooManyFiles = parseWeightsManifest(manifestOf(kMaxWeightFiles + 1, 0), kWhere);
    QVERIFY(!tooManyFiles);
    QCOMPARE(tooManyFiles.error().message,
             QStringLiteral("The weights manifest in model.json lists 100001 weight files; at "
                            "most 100000 are accepted (TF.js models have a few hundred at most)."));
    QCOMPARE(tooManyFiles.error().path, kWhere);
    QVERIFY(parseWeightsManifest(manifestOf(kMaxWeightFiles, 0), kWhere));

    const auto tooManyWeights = parseWeightsManifest(manifestOf(2, kMaxWeights + 1), kWhere);
    QVERIFY(!tooManyWeights);
    QCOMPARE(tooManyWeights.error().message,
             QStringLiteral("The weights manifest in model.json lists 1000001 weights; at most "
                            "1000000 are accepted (TF.js models have a few thousand at most)."));
    // At the limit the entries themselves are read (and these are not objects).
    const auto atLimit = parseWeightsManifest(manifestOf(2, kMaxWeights), kWhere);
    QVERIFY(!atLimit);
    QCOMPARE(atLimit.error().message,
             QStringLiteral("Entry weightsManifest[1].weights[0] in model.json is not an object."));

    // The flat list stores and local storage keep.
    Json flat = Json::array();
    for (std::size_t i = 0; i <= kMaxWeights; ++i)
        flat.push_back(nullptr);
    const auto tooManySpecs = parseWeightSpecs(flat, kWhere);
    QVERIFY(!tooManySpecs);
    QCOMPARE(tooManySpecs.error().message,
             QStringLiteral("The weightSpecs array of model.json lists 1000001 weights; at most "
                            "1000000 are accepted (TF.js models have a few thousand at most)."));
    Json one = Json::array();
    one.push_back(j(R"({"name":"a","shape":[2],"dtype":"float32"})"));
    const auto parsed = parseWeightSpecs(one, kWhere);
    QVERIFY2(parsed, why(parsed).constData());
    QCOMPARE(parsed->size(), std::size_t(1));
}

void TestWeightSpec::shardPaths_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("problem"); // empty: accepted

    const QString absolute =
        QStringLiteral("is absolute; it must be relative to the model's folder.");
    const QString url = QStringLiteral("is a URL; it must name a file in the model's folder.");
    const QString leaves = QStringLiteral("leaves the model's folder.");

    QTest::newRow("plain") << QByteArray("weights.bin") << QString();
    QTest::newRow("dot slash") << QByteArray("./model.weights.bin") << QString();
    QTest::newRow("shard name") << QByteArray("group1-shard1of2.bin") << QString();
    QTest::newRow("pre-1.0 shard name") << QByteArray("group1-shard1of2") << QString();
    QTest::newRow("subfolder") << QByteArray("sub/dir/w.bin") << QString();
    QTest::newRow("backslash subfolder") << QByteArray("sub\\w.bin") << QString();
    QTest::newRow("dots inside a name") << QByteArray("a..b.bin") << QString();
    QTest::newRow("three dots") << QByteArray("...") << QString();
    QTest::newRow("dot components") << QByteArray("sub/./w.bin") << QString();
    QTest::newRow("colon after a slash") << QByteArray("sub/a:b.bin") << QString();
    QTest::newRow("non-ASCII") << QByteArray("веса/权重.bin") << QString();

    QTest::newRow("root") << QByteArray("/etc/passwd") << absolute;
    QTest::newRow("backslash root") << QByteArray("\\w.bin") << absolute;
    QTest::newRow("UNC") << QByteArray("\\\\server\\share\\w.bin") << absolute;
    QTest::newRow("drive backslash") << QByteArray("C:\\w.bin") << absolute;
    QTest::newRow("drive slash") << QByteArray("c:/w.bin") << absolute;
    QTest::newRow("drive relative") << QByteArray("D:w.bin") << absolute;
    QTest::newRow("http") << QByteArray("http://evil.example/w.bin") << url;
    QTest::newRow("https") << QByteArray("https://x/y") << url;
    QTest::newRow("file scheme") << QByteArray("file:w.bin") << url;
    QTest::newRow("data URL") << QByteArray("data:application/octet-stream;base64,AAAA") << url;
    QTest::newRow("parent") << QByteArray("../evil.bin") << leaves;
    QTest::newRow("only parent") << QByteArray("..") << leaves;
    QTest::newRow("parent at the end") << QByteArray("a/..") << leaves;
    QTest::newRow("parent in the middle") << QByteArray("a/../../b.bin") << leaves;
    QTest::newRow("backslash parent") << QByteArray("a\\..\\b.bin") << leaves;
    QTest::newRow("mixed separators") << QByteArray("sub/..\\..\\x.bin") << leaves;
}

void TestWeightSpec::shardPaths()
{
    QFETCH(QByteArray, path);
    QFETCH(QString, problem);
    const auto result = checkRelativeShardPath(path.toStdString(), kWhere);
    if (problem.isEmpty()) {
        QVERIFY2(result.has_value(), why(result).constData());
        return;
    }
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, ErrorCode::Format);
    QCOMPARE(result.error().message, QStringLiteral("Shard path '%1' in model.json %2")
                                         .arg(QString::fromUtf8(path), problem));
    QCOMPARE(result.error().shard, QString::fromUtf8(path));
    QCOMPARE(result.error().path, kWhere);
}

void TestWeightSpec::emptyAndNulShardPaths()
{
    const auto empty = checkRelativeShardPath(std::string(), kWhere);
    QVERIFY(!empty.has_value());
    QCOMPARE(empty.error().code, ErrorCode::Format);
    QCOMPARE(empty.error().message, QStringLiteral("A shard path in model.json is empty."));
    QCOMPARE(empty.error().path, kWhere);

    // The NUL is shown as \0 so that the message and the shard field stay printable.
    const auto nul = checkRelativeShardPath(std::string("w\0.bin\0", 7), kWhere);
    QVERIFY(!nul.has_value());
    QCOMPARE(nul.error().code, ErrorCode::Format);
    QCOMPARE(nul.error().message,
             QStringLiteral("Shard path 'w\\0.bin\\0' in model.json contains a NUL byte."));
    QCOMPARE(nul.error().shard, QStringLiteral("w\\0.bin\\0"));
    QCOMPARE(nul.error().path, kWhere);
}

QTEST_APPLESS_MAIN(TestWeightSpec)
#include "tst_weightspec.moc"

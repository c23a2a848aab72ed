// ModelArtifacts <-> model JSON (both TF.js key orders) and ModelArtifactsInfo (spec §1, §3).
#include "format/artifacts.h"
#include "testutil.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

const QString kWhere = QStringLiteral("m.json");

ModelArtifacts parse(std::string_view text)
{
    auto artifacts = artifactsFromModelJson(j(text), kWhere);
    if (!artifacts)
        qFatal("cannot read test model JSON: %s", qPrintable(artifacts.error().message));
    return *artifacts;
}

// Every field set, each value naming its key, plus two unknown keys.
ModelArtifacts everything()
{
    return parse(R"({"x_first":1,"trainingConfig":{"t":1},"initializerSignature":{"is":1},)"
                 R"("modelInitializer":{"mi":1},"userDefinedMetadata":{"u":1},"signature":{"s":1},)"
                 R"("convertedBy":"c","generatedBy":"g","format":"f",)"
                 R"("weightsManifest":[{"paths":["a.bin"],"weights":[{"name":"w","shape":[],"dtype":"int32"}]}],)"
                 R"("modelTopology":{"m":1},"x_last":[2]})");
}

const QByteArray kManifest = R"([{"paths":["weights.bin"],"weights":[{"name":"w","shape":[],"dtype":"int32"}]}])";

} // namespace

class TestArtifacts : public QObject
{
    Q_OBJECT

private slots:
    void readLayersModel();
    void readGraphModel();
    void readBareManifest();
    void readNullManifest();
    void readUnknownKeysInOrder();
    void wrongTypes_data();
    void wrongTypes();

    void nodeLayout();
    void browserLayout();
    void nullsInLayouts_data();
    void nullsInLayouts();
    void noSpecsDropsWeightsKey();
    void knownKeysWinOverExtra();
    void singleGroup();

    void infoByteCounts_data();
    void infoByteCounts();
    void infoWithoutTopologyOrSpecs();
    void infoJson();
    void infoFromJsonErrors_data();
    void infoFromJsonErrors();
};

void TestArtifacts::readLayersModel()
{
    Json json = smallModelJson({QStringLiteral("a.bin"), QStringLiteral("b.bin")});
    json["trainingConfig"] = j(R"({"loss":"mse"})");
    json["userDefinedMetadata"] = j(R"([1,"x"])"); // any JSON
    const ModelArtifacts a = parse(compact(json).toStdString());
    QCOMPARE(compact(a.modelTopology), compact(smallTopology()));
    QCOMPARE(compact(a.format), QByteArray(R"("layers-model")"));
    QCOMPARE(compact(a.convertedBy), QByteArray("null"));
    QCOMPARE(compact(a.trainingConfig), QByteArray(R"({"loss":"mse"})"));
    QCOMPARE(compact(a.userDefinedMetadata), QByteArray(R"([1,"x"])"));
    QCOMPARE(compact(a.signature), QByteArray("<absent>"));
    QVERIFY(a.manifest);
    QCOMPARE(a.manifest->size(), std::size_t(1));
    QCOMPARE(a.manifest->front().paths, (std::vector<std::string>{"a.bin", "b.bin"}));
    QCOMPARE(compact(specsToJson(*a.weightSpecs)), compact(smallSpecs()));
    QVERIFY(a.hasTopology());
    QVERIFY(a.weightData.isEmpty()); // no weight bytes are touched
}

void TestArtifacts::readGraphModel()
{
    const ModelArtifacts a = everything();
    QCOMPARE(compact(a.signature), QByteArray(R"({"s":1})"));
    QCOMPARE(compact(a.modelInitializer), QByteArray(R"({"mi":1})"));
    QCOMPARE(compact(a.initializerSignature), QByteArray(R"({"is":1})"));
    QCOMPARE(compact(a.generatedBy), QByteArray(R"("g")"));
}

void TestArtifacts::readBareManifest()
{
    const ModelArtifacts a = parse(R"([{"paths":["x.bin"],"weights":[{"name":"w","shape":[2],"dtype":"bool"}]},)"
                                   R"({"paths":[]}])");
    QVERIFY(!a.modelTopology);
    QVERIFY(!a.hasTopology());
    QCOMPARE(a.manifest->size(), std::size_t(2));
    QCOMPARE(a.weightSpecs->size(), std::size_t(1));
    QCOMPARE(a.weightSpecs->front().name, std::string("w"));
    QVERIFY(a.extra.empty());
}

void TestArtifacts::readNullManifest()
{
    const ModelArtifacts a = parse(R"({"modelTopology":null,"weightsManifest":null})");
    QVERIFY(!a.manifest);
    QVERIFY(!a.weightSpecs);
    QVERIFY(a.modelTopology.has_value()); // present, null
    QVERIFY(!a.hasTopology());
}

void TestArtifacts::readUnknownKeysInOrder()
{
    const ModelArtifacts a = everything();
    QCOMPARE(compact(a.extra), QByteArray(R"({"x_first":1,"x_last":[2]})"));
}

void TestArtifacts::wrongTypes_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("string") << QByteArray(R"("model")")
                            << QStringLiteral("m.json is not a TensorFlow.js model JSON: expected "
                                              "an object or a weights manifest array, found string.");
    QTest::newRow("null") << QByteArray("null")
                          << QStringLiteral("m.json is not a TensorFlow.js model JSON: expected an "
                                            "object or a weights manifest array, found null.");
    QTest::newRow("empty object") << QByteArray("{}")
                                  << QStringLiteral("m.json is not a TensorFlow.js model JSON: it has "
                                                    "neither 'modelTopology' nor 'weightsManifest'.");
    QTest::newRow("topology string") << QByteArray(R"({"modelTopology":"x"})")
                                     << QStringLiteral("In m.json, 'modelTopology' must be an object, "
                                                       "found string.");
    QTest::newRow("convertedBy number") << QByteArray(R"({"modelTopology":{},"convertedBy":1})")
                                        << QStringLiteral("In m.json, 'convertedBy' must be a "
                                                          "string, found number.");
    QTest::newRow("modelInitializer array")
        << QByteArray(R"({"modelTopology":{},"modelInitializer":[]})")
        << QStringLiteral("In m.json, 'modelInitializer' must be an object, found array.");
    QTest::newRow("initializerSignature boolean")
        << QByteArray(R"({"modelTopology":{},"initializerSignature":true})")
        << QStringLiteral("In m.json, 'initializerSignature' must be an object, found boolean.");
    QTest::newRow("manifest string") << QByteArray(R"({"weightsManifest":"x"})")
                                     << QStringLiteral("The weights manifest in m.json is not an "
                                                       "array.");
}

void TestArtifacts::wrongTypes()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    auto a = artifactsFromModelJson(j(json.toStdString()), kWhere);
    TFJS_COMPARE_ERROR(a, ErrorCode::Format, message);
    QCOMPARE(a.error().path, kWhere);
}

void TestArtifacts::nodeLayout()
{
    // tfjs-node's file_system.ts order, then the initializer keys it drops, then unknown keys.
    const ModelArtifacts a = everything();
    WeightsManifest manifest = singleGroupManifest(a, "weights.bin");
    QCOMPARE(compact(modelJson(a, manifest, JsonLayout::Node)),
             QByteArray(R"({"modelTopology":{"m":1},"weightsManifest":)") + kManifest
                 + R"(,"format":"f","generatedBy":"g","convertedBy":"c","trainingConfig":{"t":1},)"
                   R"("signature":{"s":1},"userDefinedMetadata":{"u":1},"modelInitializer":{"mi":1},)"
                   R"("initializerSignature":{"is":1},"x_first":1,"x_last":[2]})");
}

void TestArtifacts::browserLayout()
{
    // io_utils.getModelJSONForModelArtifacts order.
    const ModelArtifacts a = everything();
    QCOMPARE(compact(modelJson(a, singleGroupManifest(a, "./model.weights.bin"), JsonLayout::Browser)),
             QByteArray(R"({"modelTopology":{"m":1},"format":"f","generatedBy":"g","convertedBy":"c",)"
                        R"("weightsManifest":[{"paths":["./model.weights.bin"],"weights":[{"name":"w","shape":[],"dtype":"int32"}]}],)"
                        R"("signature":{"s":1},"userDefinedMetadata":{"u":1},"modelInitializer":{"mi":1},)"
                        R"("initializerSignature":{"is":1},"trainingConfig":{"t":1},"x_first":1,"x_last":[2]})"));
}

void TestArtifacts::nullsInLayouts_data()
{
    QTest::addColumn<int>("layout");
    QTest::addColumn<QByteArray>("expected");
    // Header keys keep null (JSON.stringify keeps null); optional ones are added only when
    // non-null; absent ones vanish.
    QTest::newRow("node") << int(JsonLayout::Node)
                          << QByteArray(R"({"modelTopology":null,"format":null,"convertedBy":null})");
    QTest::newRow("browser") << int(JsonLayout::Browser)
                             << QByteArray(R"({"modelTopology":null,"format":null,"convertedBy":null})");
}

void TestArtifacts::nullsInLayouts()
{
    QFETCH(int, layout);
    QFETCH(QByteArray, expected);
    const ModelArtifacts a = parse(R"({"modelTopology":null,"format":null,"convertedBy":null,)"
                                   R"("trainingConfig":null,"signature":null,"userDefinedMetadata":null,)"
                                   R"("modelInitializer":null,"initializerSignature":null})");
    QCOMPARE(compact(modelJson(a, std::nullopt, JsonLayout(layout))), expected);
}

void TestArtifacts::noSpecsDropsWeightsKey()
{
    // TF.js: {paths, weights: undefined} -> no "weights" key.
    ModelArtifacts a;
    a.modelTopology = j(R"({"m":1})");
    const WeightsManifest manifest = singleGroupManifest(a, "./model.weights.bin");
    QCOMPARE(manifest.size(), std::size_t(1));
    QVERIFY(manifest.front().weights.empty());
    QCOMPARE(compact(modelJson(a, manifest, JsonLayout::Browser)),
             QByteArray(R"({"modelTopology":{"m":1},"weightsManifest":[{"paths":["./model.weights.bin"]}]})"));
    // An empty spec list is not "no specs".
    a.weightSpecs = std::vector<WeightSpec>{};
    QCOMPARE(compact(modelJson(a, singleGroupManifest(a, "w.bin"), JsonLayout::Node)),
             QByteArray(R"({"modelTopology":{"m":1},"weightsManifest":[{"paths":["w.bin"],"weights":[]}]})"));
}

void TestArtifacts::knownKeysWinOverExtra()
{
    ModelArtifacts a;
    a.modelTopology = j("{}");
    a.format = Json("layers-model");
    a.extra["format"] = "stale";
    a.extra["zz"] = 1;
    QCOMPARE(compact(modelJson(a, std::nullopt, JsonLayout::Node)),
             QByteArray(R"({"modelTopology":{},"format":"layers-model","zz":1})"));
}

void TestArtifacts::singleGroup()
{
    const ModelArtifacts a = parse(R"({"weightsManifest":[)"
                                   R"({"paths":["1.bin"],"weights":[{"name":"a","shape":[1],"dtype":"int32"}]},)"
                                   R"({"paths":["2.bin","3.bin"],"weights":[{"name":"b","shape":[1],"dtype":"bool"}]}]})");
    const WeightsManifest manifest = singleGroupManifest(a, "weights.bin");
    QCOMPARE(manifest.size(), std::size_t(1));
    QCOMPARE(manifest.front().paths, std::vector<std::string>{"weights.bin"});
    QCOMPARE(compact(specsToJson(manifest.front().weights)),
             QByteArray(R"([{"name":"a","shape":[1],"dtype":"int32"},{"name":"b","shape":[1],"dtype":"bool"}])"));
}

void TestArtifacts::infoByteCounts_data()
{
    // Input in Python's json.dump style (\u escapes, 1.0); expected = what JSON.stringify
    // writes, as UTF-8 literals whose byte length is the count TF.js reports.
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("topology");
    QTest::addColumn<QByteArray>("specs");
    QTest::newRow("ASCII")
        << QByteArray(R"({"modelTopology": {"a": 1.0}, "weightsManifest": [{"paths": [], "weights": [{"name": "w", "shape": [2], "dtype": "float32"}]}]})")
        << QByteArray(R"({"a":1})") << QByteArray(R"([{"name":"w","shape":[2],"dtype":"float32"}])");
    QTest::newRow("Cyrillic and CJK names")
        << QByteArray(R"({"modelTopology": {"name": "\u043c\u043e\u0434\u0435\u043b\u044c"}, "weightsManifest": [)"
                      R"({"paths": ["a"], "weights": [{"name": "\u0432\u0435\u0441/\u044f\u0434\u0440\u043e", "shape": [2, 1], "dtype": "float32"}]},)"
                      R"({"paths": ["b"], "weights": [{"name": "\u91cd\u307f", "shape": [], "dtype": "int32"}]}]})")
        << QByteArray(R"({"name":"модель"})")
        << QByteArray(R"([{"name":"вес/ядро","shape":[2,1],"dtype":"float32"},{"name":"重み","shape":[],"dtype":"int32"}])");
    QTest::newRow("emoji, escapes and control characters")
        << QByteArray(R"({"modelTopology": {"e": "\ud83d\ude42", "q": "a\"b\\c\n\u0001", "n": 1e-07}, "weightsManifest": [)"
                      R"({"paths": [], "weights": [{"name": "\ud83d\ude42", "shape": [1], "dtype": "bool", "x": "\u00e9"}]}]})")
        << QByteArray(R"({"e":"🙂","q":"a\"b\\c\n\u0001","n":1e-7})")
        << QByteArray(R"([{"name":"🙂","shape":[1],"dtype":"bool","x":"é"}])");
}

void TestArtifacts::infoByteCounts()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, topology);
    QFETCH(QByteArray, specs);
    ModelArtifacts a = parse(input.toStdString());
    a.weightData.appendBytes(pattern(13), {});
    a.weightData.appendBytes(pattern(7), {});
    const QDateTime when = QDateTime::fromString(QStringLiteral("2018-06-13T17:35:39.116Z"),
                                                 Qt::ISODateWithMs);
    const ModelArtifactsInfo info = artifactsInfo(a, when);
    QCOMPARE(info.dateSaved, when);
    QCOMPARE(info.modelTopologyType, QStringLiteral("JSON"));
    QCOMPARE(info.modelTopologyBytes, topology.size());
    QCOMPARE(info.weightSpecsBytes, specs.size());
    QCOMPARE(info.weightDataBytes, 20);
    // The same text, so the count measured the right thing.
    QCOMPARE(compact(a.modelTopology), topology);
    QCOMPARE(compact(specsToJson(*a.weightSpecs)), specs);
}

void TestArtifacts::infoWithoutTopologyOrSpecs()
{
    ModelArtifacts a;
    ModelArtifactsInfo info = artifactsInfo(a);
    QCOMPARE(info.modelTopologyBytes, 0);
    QCOMPARE(info.weightSpecsBytes, 0);
    QCOMPARE(info.weightDataBytes, 0);
    QVERIFY(info.dateSaved.isValid());
    a.modelTopology = Json(nullptr);
    a.weightSpecs = std::vector<WeightSpec>{};
    info = artifactsInfo(a);
    QCOMPARE(info.modelTopologyBytes, 0);
    QCOMPARE(info.weightSpecsBytes, 2); // "[]"
}

void TestArtifacts::infoJson()
{
    ModelArtifactsInfo info;
    info.dateSaved = QDateTime::fromString(QStringLiteral("2018-06-13T17:35:39.116Z"), Qt::ISODateWithMs);
    info.modelTopologyBytes = 10;
    info.weightSpecsBytes = 20;
    info.weightDataBytes = 5000000000;
    QCOMPARE(compact(info.toJson()),
             QByteArray(R"({"dateSaved":"2018-06-13T17:35:39.116Z","modelTopologyType":"JSON",)"
                        R"("modelTopologyBytes":10,"weightSpecsBytes":20,"weightDataBytes":5000000000})"));
    auto back = ModelArtifactsInfo::fromJson(info.toJson());
    TFJS_VERIFY_OK(back);
    QCOMPARE(back->dateSaved, info.dateSaved);
    QCOMPARE(back->modelTopologyBytes, 10);
    QCOMPARE(back->weightSpecsBytes, 20);
    QCOMPARE(back->weightDataBytes, 5000000000);
    // Missing counts are 0.
    auto partial = ModelArtifactsInfo::fromJson(j(R"({"modelTopologyType":"JSON"})"));
    TFJS_VERIFY_OK(partial);
    QCOMPARE(partial->weightDataBytes, 0);
}

void TestArtifacts::infoFromJsonErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    const QString count = QStringLiteral("Model info has a byte count that is not a number from 0 to 2^53.");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("Model info is not a JSON object.");
    QTest::newRow("negative") << QByteArray(R"({"weightDataBytes":-1})") << count;
    QTest::newRow("string") << QByteArray(R"({"modelTopologyBytes":"10"})") << count;
    QTest::newRow("null") << QByteArray(R"({"weightSpecsBytes":null})") << count;
    // Found by fuzz_store_records (fuzz/regressions/store_records/): converted to qint64, which
    // is undefined behaviour beyond its range.
    QTest::newRow("beyond qint64") << QByteArray(R"({"weightSpecsBytes":1.3e119})") << count;
    QTest::newRow("beyond 2^53") << QByteArray(R"({"weightDataBytes":10000000000000000})") << count;
    QTest::newRow("2^64 - 1") << QByteArray(R"({"weightDataBytes":18446744073709551615})") << count;
}

void TestArtifacts::infoFromJsonErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    TFJS_COMPARE_ERROR(ModelArtifactsInfo::fromJson(j(json.toStdString())), ErrorCode::Format, message);
}

QTEST_GUILESS_MAIN(TestArtifacts)
#include "tst_artifacts.moc"

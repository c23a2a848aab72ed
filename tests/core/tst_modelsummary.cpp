#include "inspect/modelsummary.h"

#include <QTest>

using namespace tfjs;

namespace {

Json j(const char *text)
{
    auto value = parseJson(text, QStringLiteral("test"));
    if (!value)
        qFatal("bad JSON in test: %s", qPrintable(value.error().message));
    return *value;
}

ModelArtifacts artifacts(const char *modelJson)
{
    auto a = artifactsFromModelJson(j(modelJson), QStringLiteral("model.json"));
    if (!a)
        qFatal("bad model in test: %s", qPrintable(a.error().message));
    return *a;
}

} // namespace

class TestModelSummary : public QObject
{
    Q_OBJECT

private slots:
    void kinds_data();
    void kinds();
    void layersModel();
    void convertedKerasModelKeepsTrainingConfig();
    void graphModelSignatureFromMetadata();
    void weightGroups();
    void jsonSchema();
};

void TestModelSummary::kinds_data()
{
    QTest::addColumn<QByteArray>("model");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("layers");
    QTest::addColumn<bool>("graph");
    QTest::newRow("layers") << QByteArray(R"({"modelTopology":{"class_name":"Sequential","config":{"name":"s","layers":[]}},"weightsManifest":[]})")
                            << QStringLiteral("layers-model") << true << false;
    QTest::newRow("graph") << QByteArray(R"({"modelTopology":{"node":[]},"weightsManifest":[]})")
                           << QStringLiteral("graph-model") << false << true;
    QTest::newRow("weights only") << QByteArray(R"([{"paths":["a.bin"],"weights":[{"name":"w","shape":[1],"dtype":"float32"}]}])")
                                  << QStringLiteral("weights-only") << false << false;
    QTest::newRow("unknown topology") << QByteArray(R"({"modelTopology":{"what":1},"weightsManifest":[]})")
                                      << QStringLiteral("unknown") << false << false;
    QTest::newRow("a Keras layer, not a model") << QByteArray(R"({"modelTopology":{"class_name":"Dense","config":{}},"weightsManifest":[]})")
                                                << QStringLiteral("layers-model") << false << false;
}

void TestModelSummary::kinds()
{
    QFETCH(QByteArray, model);
    QFETCH(QString, kind);
    QFETCH(bool, layers);
    QFETCH(bool, graph);
    const ModelSummary s = summarizeModel(artifacts(model.constData()));
    QCOMPARE(s.kind, kind);
    QCOMPARE(s.layers.has_value(), layers);
    QCOMPARE(s.graph.has_value(), graph);
    QVERIFY(!s.toText().isEmpty());
}

void TestModelSummary::layersModel()
{
    const ModelSummary s = summarizeModel(artifacts(R"({
        "modelTopology":{"class_name":"Sequential","config":{"name":"m","layers":[
            {"class_name":"Dense","config":{"units":2,"name":"d","batch_input_shape":[null,3]}}]},
            "keras_version":"tfjs-layers 4.22.0","backend":"tensor_flow.js"},
        "format":"layers-model","generatedBy":"TensorFlow.js tfjs-layers v4.22.0","convertedBy":null,
        "weightsManifest":[{"paths":["weights.bin"],"weights":[{"name":"d/kernel","shape":[3,2],"dtype":"float32"},
            {"name":"d/bias","shape":[2],"dtype":"float32"},{"name":"iter","shape":[],"dtype":"int32","group":"optimizer"}]}],
        "trainingConfig":{"loss":"mse","optimizer_config":{"class_name":"SGD","config":{}}},
        "userDefinedMetadata":{"note":"hi"}})"));
    QCOMPARE(s.kerasVersion, std::string("tfjs-layers 4.22.0"));
    QCOMPARE(s.backend, std::string("tensor_flow.js"));
    QVERIFY(s.layers.has_value());
    QCOMPARE(s.layers->totalParams, std::int64_t(8));
    QCOMPARE(s.tensorCount, 2);
    QCOMPARE(s.params, std::int64_t(8));
    QCOMPARE(s.optimizerTensorCount, 1);
    QCOMPARE(s.optimizerParams, std::int64_t(1));
    QVERIFY(s.trainingConfig.has_value());
    QVERIFY(s.userDefinedMetadata.has_value());
    const QString text = s.toText();
    QVERIFY(text.contains(QStringLiteral("d (Dense)                   [[null,3]]                [null,2]                  8         ")));
    QVERIFY(text.contains(QStringLiteral("Total params: 8\n")));
    QVERIFY(text.contains(QStringLiteral(R"(userDefinedMetadata: {"note":"hi"})")));
    QVERIFY(text.contains(QStringLiteral("; optimizer: 1 tensors, 1 params")));
    QVERIFY(text.contains(QStringLiteral("generatedBy:    TensorFlow.js tfjs-layers v4.22.0\n")));
    QVERIFY(text.contains(QStringLiteral("convertedBy:    null\n")));
}

void TestModelSummary::convertedKerasModelKeepsTrainingConfig()
{
    const ModelSummary s = summarizeModel(artifacts(R"({"modelTopology":{
        "model_config":{"class_name":"Sequential","config":{"name":"k","layers":[]}},
        "training_config":{"loss":"categorical_crossentropy"}},"weightsManifest":[]})"));
    QCOMPARE(s.kind, QStringLiteral("layers-model"));
    QVERIFY(s.layers.has_value());
    QVERIFY(s.trainingConfig.has_value());
    QCOMPARE(QString::fromStdString(stringify(*s.trainingConfig)), QStringLiteral(R"({"loss":"categorical_crossentropy"})"));
}

void TestModelSummary::graphModelSignatureFromMetadata()
{
    const ModelSummary s = summarizeModel(artifacts(R"({"modelTopology":{"node":[
            {"name":"x","op":"Placeholder"},{"name":"y","op":"Relu","input":["x"]}]},
        "weightsManifest":[],
        "userDefinedMetadata":{"signature":{"inputs":{"in":{"name":"x:0"}},"outputs":{"out":{"name":"y:0"}}}}})"));
    QVERIFY(s.graph.has_value());
    QVERIFY(s.graph->fromSignature);
    QCOMPARE(s.graph->inputs[0].key, std::string("in"));
    QVERIFY(s.toText().contains(QStringLiteral("inputs (signature):\n  in = x:0")));
}

void TestModelSummary::weightGroups()
{
    const ModelSummary s = summarizeModel(artifacts(R"([{"paths":["a.bin"],"weights":[
        {"name":"block1/conv/kernel","shape":[3,3,1,2],"dtype":"float32"},
        {"name":"block1/conv/bias","shape":[2],"dtype":"float32"},
        {"name":"step","shape":[],"dtype":"int32"},
        {"name":"vocab","shape":[3],"dtype":"string"},
        {"name":"block2/dense/kernel","shape":[4,2],"dtype":"float32","quantization":{"dtype":"uint8","min":-1,"scale":0.01}}]}])"));
    QCOMPARE(s.groups.size(), std::size_t(3));
    QCOMPARE(s.groups[0].prefix, std::string("block1/conv"));
    QCOMPARE(s.groups[0].tensors, 2);
    QCOMPARE(s.groups[0].params, std::int64_t(20));
    QCOMPARE(s.groups[0].bytes, qint64(80));
    QCOMPARE(s.groups[1].prefix, std::string(""));
    QCOMPARE(s.groups[1].bytes, qint64(-1)); // holds a string tensor
    QCOMPARE(s.groups[2].bytes, qint64(8));  // quantized: one byte each
    QCOMPARE(s.quantized.at("uint8"), 1);
    QCOMPARE(s.paramsByDtype.at("float32"), std::int64_t(28));
    const QString text = s.toText();
    QVERIFY(text.contains(QStringLiteral("  block1/conv  (2 tensors, 20 params)\n    block1/conv/kernel  float32 [3,3,1,2]\n")));
    QVERIFY(text.contains(QStringLiteral("  (no scope)  (2 tensors, 4 params)\n")));
    QVERIFY(text.contains(QStringLiteral("block2/dense/kernel  float32 [4,2]  (uint8)")));
}

void TestModelSummary::jsonSchema()
{
    const ModelSummary s = summarizeModel(artifacts(R"({"modelTopology":{"node":[]},"format":"graph-model",
        "weightsManifest":[{"paths":["w.bin"],"weights":[{"name":"a/b","shape":[2],"dtype":"float32"}]}]})"));
    const Json json = s.toJson();
    QStringList keys;
    for (auto it = json.begin(); it != json.end(); ++it)
        keys << QString::fromStdString(it.key());
    QCOMPARE(keys, QStringList({QStringLiteral("schema"), QStringLiteral("kind"), QStringLiteral("format"),
                                QStringLiteral("generatedBy"), QStringLiteral("convertedBy"),
                                QStringLiteral("kerasVersion"), QStringLiteral("backend"), QStringLiteral("weights"),
                                QStringLiteral("layers"), QStringLiteral("graph"), QStringLiteral("trainingConfig"),
                                QStringLiteral("userDefinedMetadata")}));
    QCOMPARE(json["schema"].get<std::string>(), std::string("tfjs-model/summary/1"));
    QCOMPARE(json["format"].get<std::string>(), std::string("graph-model"));
    QVERIFY(json["layers"].is_null());
    QVERIFY(json["generatedBy"].is_null());
    QCOMPARE(json["weights"]["groups"][0]["tensors"][0]["name"].get<std::string>(), std::string("a/b"));
    QCOMPARE(json["graph"]["nodeCount"].get<int>(), 0);
}

QTEST_APPLESS_MAIN(TestModelSummary)
#include "tst_modelsummary.moc"

#include "inspect/layersummary.h"

#include <QTest>

using namespace tfjs;

namespace {

Json j(const std::string &text)
{
    auto value = parseJson(text, QStringLiteral("test"));
    if (!value)
        qFatal("bad JSON in test: %s", qPrintable(value.error().message));
    return *value;
}

QString text(const Json &value)
{
    return QString::fromStdString(stringify(value));
}

std::vector<WeightSpec> specs(const std::string &json)
{
    std::vector<WeightSpec> out;
    for (const Json &entry : j(json)) {
        auto spec = parseWeightSpec(entry, QStringLiteral("test"));
        if (!spec)
            qFatal("bad spec in test: %s", qPrintable(spec.error().message));
        out.push_back(*spec);
    }
    return out;
}

std::string dense(const char *name, int units, const char *extra = "")
{
    return std::string(R"({"name":")") + name + R"(","class_name":"Dense","config":{"units":)"
           + std::to_string(units) + R"(,"name":")" + name + "\"" + extra + "}}";
}

// The model of tests/interop/test_inspect_summary.mjs "nested_shared_frozen", as tfjs-layers
// 4.22 saves it (configs trimmed to what matters): two inputs, a Dense shared by both, a nested
// Sequential (Dense + BatchNormalization) built on its own input, a Dense with
// trainable=false, and an Add of the shared layer's two outputs.
const std::string kNested = R"({"class_name":"Model","config":{"name":"outer","layers":[
  {"name":"x","class_name":"InputLayer","config":{"batch_input_shape":[null,3],"dtype":"float32","name":"x"},"inbound_nodes":[]},
  {"name":"shared","class_name":"Dense","config":{"units":3,"name":"shared","trainable":true},
   "inbound_nodes":[[["x",0,0,{}]],[["y",0,0,{}]]]},
  {"name":"y","class_name":"InputLayer","config":{"batch_input_shape":[null,3],"dtype":"float32","name":"y"},"inbound_nodes":[]},
  {"name":"inner","class_name":"Sequential","config":{"name":"inner","layers":[
     {"class_name":"Dense","config":{"units":4,"name":"in_d1","trainable":true,"batch_input_shape":[null,3]}},
     {"class_name":"BatchNormalization","config":{"axis":-1,"name":"in_bn","trainable":true}}]},
   "inbound_nodes":[[["shared",0,0,{}]]]},
  {"name":"frozen","class_name":"Dense","config":{"units":2,"name":"frozen","trainable":false},
   "inbound_nodes":[[["inner",1,0,{}]]]},
  {"name":"add","class_name":"Add","config":{"name":"add","trainable":true},
   "inbound_nodes":[[["shared",1,0,{}],["shared",0,0,{}]]]}],
 "input_layers":[["x",0,0],["y",0,0]],"output_layers":[["frozen",0,0],["add",0,0]]},
 "keras_version":"tfjs-layers 4.22.0","backend":"tensor_flow.js"})";

const std::string kNestedSpecs = R"([{"name":"shared/kernel","shape":[3,3],"dtype":"float32"},
  {"name":"shared/bias","shape":[3],"dtype":"float32"},{"name":"in_d1/kernel","shape":[3,4],"dtype":"float32"},
  {"name":"in_d1/bias","shape":[4],"dtype":"float32"},{"name":"in_bn/gamma","shape":[4],"dtype":"float32"},
  {"name":"in_bn/beta","shape":[4],"dtype":"float32"},{"name":"in_bn/moving_mean","shape":[4],"dtype":"float32"},
  {"name":"in_bn/moving_variance","shape":[4],"dtype":"float32"},{"name":"frozen/kernel","shape":[4,2],"dtype":"float32"},
  {"name":"frozen/bias","shape":[2],"dtype":"float32"},
  {"name":"frozen/kernel/m","shape":[4,2],"dtype":"float32","group":"optimizer"}])";

} // namespace

class TestLayerSummary : public QObject
{
    Q_OBJECT

private slots:
    void functionalTableIsWhatTfjsPrints();
    void functionalRowsAndTotals();
    void nestedModelRows();
    void sequentialWithImplicitInput();
    void sequentialWithExplicitInputLayer();
    void batchNormMovingStatsAreNotTrainable();
    void unassignedWeightsAndUnusedLayers();
    void keras3InboundNodes();
    void notAModel_data();
    void notAModel();
    void cycleDoesNotHang();
    void longChain();
    void malformedEntriesAreSkipped();
    void json();
};

void TestLayerSummary::functionalTableIsWhatTfjsPrints()
{
    const auto summary = summarizeLayers(j(kNested), specs(kNestedSpecs));
    QVERIFY(summary.has_value());
    // Captured from model.summary() of this model in TF.js 4.22 (Node, tfjs cpu backend).
    const QStringList tfjs = {
        QStringLiteral("___________________________________________________________________________________________________________________"),
        QStringLiteral("Layer (type)               Input Shape                 Output shape             Param #     Receives inputs        "),
        QStringLiteral("==================================================================================================================="),
        QStringLiteral("x (InputLayer)             [[null,3]]                  [null,3]                 0                                  "),
        QStringLiteral("___________________________________________________________________________________________________________________"),
        QStringLiteral("shared (Dense)             [[null,3]],[[null,3]]       [null,3]                 12          x[0][0]                "),
        QStringLiteral("                                                                                            y[0][0]                "),
        QStringLiteral("___________________________________________________________________________________________________________________"),
        QStringLiteral("y (InputLayer)             [[null,3]]                  [null,3]                 0                                  "),
        QStringLiteral("___________________________________________________________________________________________________________________"),
        QStringLiteral("inner (Sequential)         [[null,3]],[[null,3]]       [null,4]                 32          shared[0][0]           "),
        QStringLiteral("___________________________________________________________________________________________________________________"),
        QStringLiteral("frozen (Dense)             [[null,4]]                  [null,2]                 10          inner[1][0]            "),
        QStringLiteral("___________________________________________________________________________________________________________________"),
        QStringLiteral("add (Add)                  [[null,3],[null,3]]         [null,3]                 0           shared[1][0]           "),
        QStringLiteral("                                                                                            shared[0][0]           "),
        QStringLiteral("==================================================================================================================="),
        QStringLiteral("Total params: 54"),
        QStringLiteral("Trainable params: 36"),
        QStringLiteral("Non-trainable params: 18"),
        QStringLiteral("___________________________________________________________________________________________________________________"),
    };
    QCOMPARE(summary->tfjsSummaryLines(), tfjs);
}

void TestLayerSummary::functionalRowsAndTotals()
{
    const auto summary = summarizeLayers(j(kNested), specs(kNestedSpecs));
    QVERIFY(summary.has_value());
    QCOMPARE(summary->className, std::string("Model"));
    QCOMPARE(summary->name, std::string("outer"));
    QVERIFY(!summary->sequentialLike);
    QStringList names;
    for (const LayerRow &row : summary->rows)
        names << QString::fromStdString(row.name);
    QCOMPARE(names, QStringList({QStringLiteral("x"), QStringLiteral("shared"), QStringLiteral("y"),
                                 QStringLiteral("inner"), QStringLiteral("frozen"), QStringLiteral("add")}));
    // Optimizer weights are not model parameters.
    QCOMPARE(summary->totalParams, std::int64_t(54));
    QCOMPARE(summary->trainableParams, std::int64_t(36));
    QCOMPARE(summary->nonTrainableParams, std::int64_t(18));
    const LayerRow &frozen = summary->rows[4];
    QVERIFY(!frozen.trainable);
    QCOMPARE(frozen.trainableParams, std::int64_t(0));
    QCOMPARE(frozen.nonTrainableParams, std::int64_t(10));
    QCOMPARE(frozen.weights, (std::vector<std::string>{"frozen/kernel", "frozen/bias"}));
    QCOMPARE(summary->inputs, (std::vector<std::string>{"x[0][0]", "y[0][0]"}));
    QCOMPARE(summary->outputs, (std::vector<std::string>{"frozen[0][0]", "add[0][0]"}));
    QVERIFY(summary->outputShapes.has_value());
    QCOMPARE(shapeText((*summary->outputShapes)[0]), std::string("[null,2]"));
    QCOMPARE(shapeText((*summary->outputShapes)[1]), std::string("[null,3]"));
    QVERIFY(summary->unassignedWeights.empty());
    QVERIFY(summary->notes.empty());
}

void TestLayerSummary::nestedModelRows()
{
    const auto summary = summarizeLayers(j(kNested), specs(kNestedSpecs));
    QVERIFY(summary.has_value());
    const LayerRow &inner = summary->rows[3];
    QCOMPARE(inner.params, std::int64_t(32));
    QCOMPARE(inner.trainableParams, std::int64_t(24));
    QCOMPARE(inner.nodeInputs.size(), std::size_t(2)); // its own input node, then its use
    QCOMPARE(inner.layers.size(), std::size_t(2));
    QCOMPARE(inner.layers[0].name, std::string("in_d1"));
    QCOMPARE(inner.layers[0].params, std::int64_t(16));
    QCOMPARE(inner.layers[1].name, std::string("in_bn"));
    QCOMPARE(inner.layers[1].nonTrainableParams, std::int64_t(8));
    QVERIFY(inner.layers[1].output.has_value());
    QCOMPARE(shapeText((*inner.layers[1].output)[0]), std::string("[null,4]"));
}

void TestLayerSummary::sequentialWithImplicitInput()
{
    const std::string model = R"({"class_name":"Sequential","config":{"name":"mlp","layers":[
        {"class_name":"Dense","config":{"units":16,"name":"d1","batch_input_shape":[null,8]}},
        {"class_name":"Dropout","config":{"rate":0.25,"name":"drop"}},
        {"class_name":"Dense","config":{"units":4,"name":"d2"}}]}})";
    const auto summary = summarizeLayers(j(model), specs(R"([{"name":"d1/kernel","shape":[8,16],"dtype":"float32"},
        {"name":"d1/bias","shape":[16],"dtype":"float32"},{"name":"d2/kernel","shape":[16,4],"dtype":"float32"},
        {"name":"d2/bias","shape":[4],"dtype":"float32"}])"));
    QVERIFY(summary.has_value());
    QVERIFY(summary->sequentialLike);
    QCOMPARE(summary->rows.size(), std::size_t(3)); // the implicit input is not a layer
    QCOMPARE(summary->rows[0].params, std::int64_t(144));
    QCOMPARE(summary->rows[2].params, std::int64_t(68));
    QCOMPARE(summary->totalParams, std::int64_t(212));
    QCOMPARE(summary->rows[1].nodeInputs.size(), std::size_t(1));
    QCOMPARE(shapeText((*summary->rows[2].output)[0]), std::string("[null,4]"));
    QVERIFY(summary->inputs.empty());
    QCOMPARE(summary->outputs, (std::vector<std::string>{"d2[0][0]"}));
    const QStringList lines = summary->tfjsSummaryLines();
    QCOMPARE(lines[0].size(), 90);
    QCOMPARE(lines[3], QStringLiteral("d1 (Dense)                  [[null,8]]                [null,16]                 144       "));
}

void TestLayerSummary::sequentialWithExplicitInputLayer()
{
    // Keras >= 2.4 writes the InputLayer into the Sequential; tfjs keeps it as a layer.
    const std::string model = R"({"class_name":"Sequential","config":{"name":"keras_seq","layers":[
        {"class_name":"InputLayer","config":{"batch_input_shape":[null,5],"dtype":"float32","sparse":false,"name":"inp"}},
        {"class_name":"Dense","config":{"units":3,"name":"d1","activation":"linear","use_bias":true}},
        {"class_name":"Reshape","config":{"target_shape":[-1,1],"name":"r"}}]},
        "keras_version":"2.15.0","backend":"tensorflow"})";
    const auto summary = summarizeLayers(j(model), specs(R"([{"name":"d1/kernel","shape":[5,3],"dtype":"float32"},
        {"name":"d1/bias","shape":[3],"dtype":"float32"}])"));
    QVERIFY(summary.has_value());
    // Captured from model.summary() of tf.models.modelFromJSON of this topology in TF.js 4.22.
    const QStringList tfjs = {
        QStringLiteral("__________________________________________________________________________________________"),
        QStringLiteral("Layer (type)                Input Shape               Output shape              Param #   "),
        QStringLiteral("=========================================================================================="),
        QStringLiteral("inp (InputLayer)            [[null,5]]                [null,5]                  0         "),
        QStringLiteral("__________________________________________________________________________________________"),
        QStringLiteral("d1 (Dense)                  [[null,5]]                [null,3]                  18        "),
        QStringLiteral("__________________________________________________________________________________________"),
        QStringLiteral("r (Reshape)                 [[null,3]]                [null,null,1]             0         "),
        QStringLiteral("=========================================================================================="),
        QStringLiteral("Total params: 18"),
        QStringLiteral("Trainable params: 18"),
        QStringLiteral("Non-trainable params: 0"),
        QStringLiteral("__________________________________________________________________________________________"),
    };
    QCOMPARE(summary->tfjsSummaryLines(), tfjs);
    QVERIFY(!summary->rows[0].trainable); // an InputLayer never trains
}

void TestLayerSummary::batchNormMovingStatsAreNotTrainable()
{
    const std::string model = R"({"class_name":"Sequential","config":{"name":"s","layers":[
        {"class_name":"BatchNormalization","config":{"name":"bn","batch_input_shape":[null,6]}},
        {"class_name":"BatchNormalization","config":{"name":"bn_frozen","trainable":false}}]}})";
    const auto summary = summarizeLayers(j(model), specs(R"([
        {"name":"bn/gamma","shape":[6],"dtype":"float32"},{"name":"bn/beta","shape":[6],"dtype":"float32"},
        {"name":"bn/moving_mean","shape":[6],"dtype":"float32"},{"name":"bn/moving_variance","shape":[6],"dtype":"float32"},
        {"name":"bn_frozen/gamma","shape":[6],"dtype":"float32"},{"name":"bn_frozen/moving_mean","shape":[6],"dtype":"float32"}])"));
    QVERIFY(summary.has_value());
    QCOMPARE(summary->rows[0].trainableParams, std::int64_t(12));
    QCOMPARE(summary->rows[0].nonTrainableParams, std::int64_t(12));
    QCOMPARE(summary->rows[1].trainableParams, std::int64_t(0));
    QCOMPARE(summary->rows[1].nonTrainableParams, std::int64_t(12));
    QCOMPARE(summary->trainableParams, std::int64_t(12));
    QCOMPARE(summary->nonTrainableParams, std::int64_t(24));
}

void TestLayerSummary::unassignedWeightsAndUnusedLayers()
{
    const std::string model = R"({"class_name":"Functional","config":{"name":"f","layers":[
        {"name":"in","class_name":"InputLayer","config":{"batch_input_shape":[null,2],"name":"in"},"inbound_nodes":[]},
        )" + dense("used", 3, "") + R"(,
        )" + dense("orphan", 3, "") + R"(],
        "input_layers":[["in",0,0]],"output_layers":[["used",0,0]]}})";
    Json topology = j(model);
    topology["config"]["layers"][1]["inbound_nodes"] = j(R"([[["in",0,0,{}]]])");
    topology["config"]["layers"][2]["inbound_nodes"] = j(R"([[["in",0,0,{}]]])");
    const auto summary = summarizeLayers(topology, specs(R"([{"name":"used/kernel","shape":[2,3],"dtype":"float32"},
        {"name":"orphan/kernel","shape":[2,3],"dtype":"float32"},{"name":"stray","shape":[7],"dtype":"float32"},
        {"name":"nobody/kernel","shape":[5],"dtype":"float32"}])"));
    QVERIFY(summary.has_value());
    QCOMPARE(summary->rows.size(), std::size_t(2)); // in, used
    QCOMPARE(summary->unusedLayers, (std::vector<std::string>{"orphan"}));
    QCOMPARE(summary->unassignedWeights, (std::vector<std::string>{"orphan/kernel", "stray", "nobody/kernel"}));
    QCOMPARE(summary->unassignedParams, std::int64_t(18));
    QCOMPARE(summary->totalParams, std::int64_t(6));
    QVERIFY(summary->sequentialLike); // a chain: printed without connections, like TF.js
}

void TestLayerSummary::keras3InboundNodes()
{
    const std::string model = R"({"class_name":"Functional","config":{"name":"k3","layers":[
        {"name":"a","class_name":"InputLayer","config":{"batch_shape":[null,4],"name":"a"},"inbound_nodes":[]},
        {"name":"b","class_name":"InputLayer","config":{"batch_shape":[null,4],"name":"b"},"inbound_nodes":[]},
        {"name":"sum","class_name":"Add","config":{"name":"sum"},"inbound_nodes":[{"args":[[
            {"class_name":"__keras_tensor__","config":{"shape":[null,4],"dtype":"float32","keras_history":["a",0,0]}},
            {"class_name":"__keras_tensor__","config":{"shape":[null,4],"dtype":"float32","keras_history":["b",0,0]}}]],
            "kwargs":{}}]}],
        "input_layers":[["a",0,0],["b",0,0]],"output_layers":["sum",0,0]}})";
    const auto summary = summarizeLayers(j(model), {});
    QVERIFY(summary.has_value());
    QCOMPARE(summary->rows.back().name, std::string("sum"));
    QCOMPARE(summary->rows.back().inbound, (std::vector<std::string>{"a[0][0]", "b[0][0]"}));
    QCOMPARE(shapeText((*summary->rows.back().output)[0]), std::string("[null,4]"));
    QCOMPARE(summary->outputs, (std::vector<std::string>{"sum[0][0]"}));
}

void TestLayerSummary::notAModel_data()
{
    QTest::addColumn<QString>("topology");
    QTest::newRow("a layer") << QStringLiteral(R"({"class_name":"Dense","config":{"units":2}})");
    QTest::newRow("no config") << QStringLiteral(R"({"class_name":"Sequential"})");
    QTest::newRow("not an object") << QStringLiteral("[1,2]");
    QTest::newRow("graph") << QStringLiteral(R"({"node":[]})");
}

void TestLayerSummary::notAModel()
{
    QFETCH(QString, topology);
    QVERIFY(!summarizeLayers(j(topology.toStdString()), {}).has_value());
}

void TestLayerSummary::cycleDoesNotHang()
{
    const std::string model = R"({"class_name":"Model","config":{"name":"loop","layers":[
        {"name":"in","class_name":"InputLayer","config":{"batch_input_shape":[null,2],"name":"in"},"inbound_nodes":[]},
        {"name":"p","class_name":"Add","config":{"name":"p"},"inbound_nodes":[[["in",0,0,{}],["q",0,0,{}]]]},
        {"name":"q","class_name":"Dense","config":{"units":2,"name":"q"},"inbound_nodes":[[["p",0,0,{}]]]}],
        "input_layers":[["in",0,0]],"output_layers":[["q",0,0]]}})";
    const auto summary = summarizeLayers(j(model), {});
    QVERIFY(summary.has_value());
    QVERIFY(std::find(summary->notes.begin(), summary->notes.end(), "The layer graph has a cycle.")
            != summary->notes.end());
    QVERIFY(!summary->rows.back().output.has_value()); // unknown, not a guess
}

void TestLayerSummary::longChain()
{
    // 3000 layers: walks and shape inference must not recurse once per layer.
    constexpr int n = 3000;
    Json layers = Json::array();
    layers.push_back(j(R"({"name":"l0","class_name":"InputLayer","config":{"batch_input_shape":[null,4],"name":"l0"},"inbound_nodes":[]})"));
    for (int i = 1; i <= n; ++i) {
        Json layer = j(dense(("l" + std::to_string(i)).c_str(), 4));
        layer["inbound_nodes"] = Json::array({Json::array({Json::array({"l" + std::to_string(i - 1), 0, 0, Json::object()})})});
        layers.push_back(layer);
    }
    Json model = Json::object();
    model["class_name"] = "Model";
    model["config"] = {{"name", "chain"}, {"layers", layers}, {"input_layers", j(R"([["l0",0,0]])")},
                       {"output_layers", Json::array({Json::array({"l" + std::to_string(n), 0, 0})})}};
    std::vector<WeightSpec> weights;
    for (int i = 1; i <= n; ++i) {
        WeightSpec w;
        w.name = "l" + std::to_string(i) + "/kernel";
        w.shape = {4, 4};
        weights.push_back(w);
    }
    const auto summary = summarizeLayers(model, weights);
    QVERIFY(summary.has_value());
    QCOMPARE(summary->rows.size(), std::size_t(n + 1));
    QCOMPARE(summary->totalParams, std::int64_t(16 * n));
    QVERIFY(summary->rows.back().output.has_value());
    QCOMPARE(shapeText((*summary->rows.back().output)[0]), std::string("[null,4]"));
    QVERIFY(summary->sequentialLike);
}

void TestLayerSummary::malformedEntriesAreSkipped()
{
    const std::string model = R"({"class_name":"Model","config":{"name":"odd","layers":[
        3, "x", {"name":"in","class_name":"InputLayer","config":{"batch_input_shape":"bad","name":"in"},"inbound_nodes":[]},
        {"name":"d","class_name":"Dense","config":{"units":"many","name":"d"},"inbound_nodes":[[["in",0,0,{}],["ghost",9,9]],7,"z"]}],
        "input_layers":[["in",0,0],["nope",0,0]],"output_layers":[["d",0,0],[1,2,3]]}})";
    const auto summary = summarizeLayers(j(model), {});
    QVERIFY(summary.has_value());
    QCOMPARE(summary->rows.size(), std::size_t(2));
    QVERIFY(!summary->rows[1].output.has_value());
    QVERIFY(std::find(summary->notes.begin(), summary->notes.end(), "Input 'nope' names no layer.")
            != summary->notes.end());
}

void TestLayerSummary::json()
{
    const auto summary = summarizeLayers(j(kNested), specs(kNestedSpecs));
    QVERIFY(summary.has_value());
    const Json json = summary->toJson();
    QCOMPARE(json["params"]["total"].get<std::int64_t>(), std::int64_t(54));
    QCOMPARE(json["layers"].size(), std::size_t(6));
    const Json &shared = json["layers"][1];
    QCOMPARE(text(shared["inbound"]), QStringLiteral(R"(["x[0][0]","y[0][0]"])"));
    QCOMPARE(text(shared["outputShapes"]), QStringLiteral("[[null,3]]"));
    QCOMPARE(text(shared["inputShapes"]), QStringLiteral("[[[null,3]],[[null,3]]]"));
    QCOMPARE(json["layers"][3]["layers"][1]["name"].get<std::string>(), std::string("in_bn"));
    QCOMPARE(json["sequentialLike"].get<bool>(), false);
}

QTEST_APPLESS_MAIN(TestLayerSummary)
#include "tst_layersummary.moc"

#include "inspect/kerasmodel.h"
#include "kerastestutil.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::keras;
using namespace tfjs::test;

namespace {

std::vector<std::string> names(const Model &model)
{
    std::vector<std::string> out;
    for (const Layer &layer : model.layers)
        out.push_back(layer.name);
    return out;
}

// Each node's inbound references as text, "layer[node][tensor] ...", one entry per node.
std::vector<std::string> nodes(const Layer &layer)
{
    std::vector<std::string> out;
    for (const Node &node : layer.nodes) {
        std::string text = node.internal ? "internal:" : "";
        for (const Ref &ref : node.inbound)
            text += ref.text() + ' ';
        out.push_back(text);
    }
    return out;
}

std::vector<std::string> texts(const std::vector<Ref> &refs)
{
    std::vector<std::string> out;
    for (const Ref &ref : refs)
        out.push_back(ref.text());
    return out;
}

using Strings = std::vector<std::string>;

} // namespace

class TestKerasModel : public QObject
{
    Q_OBJECT

private slots:
    void sequentialGetsItsImplicitInput();
    void sequentialKeepsAnExplicitInputLayer();
    void sequentialAsALayerList();
    void functionalNodesBothForms();
    void nestedModelBuiltOnItsOwn();
    void layerNamesAndTrainable();
    void duplicateNamesAreNoted();
    void notAModel();
    void nestingStopsAtTheLimit();
};

void TestKerasModel::sequentialGetsItsImplicitInput()
{
    const ParsedModel model(R"({"class_name":"Sequential","config":{"name":"mlp","layers":[
        {"class_name":"Dense","config":{"units":16,"name":"d1","batch_input_shape":[null,8]}},
        {"class_name":"Dense","config":{"units":4,"name":"d2"}}]}})");
    QVERIFY(model->sequential);
    QCOMPARE(model->className, std::string("Sequential"));
    QCOMPARE(model->name, std::string("mlp"));
    QCOMPARE(names(*model), (Strings { "d1_input", "d1", "d2" }));
    const Layer &input = model->layers[0];
    QVERIFY(input.synthetic);
    QCOMPARE(input.className, std::string("InputLayer"));
    QCOMPARE(shapeText(*input.batchInputShape), std::string("[null,8]"));
    QCOMPARE(nodes(input), Strings { "" });
    QCOMPARE(nodes(model->layers[1]), Strings { "d1_input[0][0] " });
    QCOMPARE(nodes(model->layers[2]), Strings { "d1[0][0] " });
    QCOMPARE(texts(model->inputs), Strings { "d1_input[0][0]" });
    QCOMPARE(texts(model->outputs), Strings { "d2[0][0]" });
    QCOMPARE(model->index.at("d2"), std::size_t(2));
    QVERIFY(model->notes.empty());
}

void TestKerasModel::sequentialKeepsAnExplicitInputLayer()
{
    const ParsedModel model(R"({"class_name":"Sequential","config":{"name":"s","layers":[
        {"class_name":"InputLayer","config":{"batch_input_shape":[null,5],"name":"inp"}},
        {"class_name":"Dense","config":{"units":3,"name":"d1"}}]}})");
    QCOMPARE(names(*model), (Strings { "inp", "d1" }));
    QVERIFY(!model->layers[0].synthetic);
    QVERIFY(!model->layers[0].trainable); // an InputLayer never trains
    QCOMPARE(nodes(model->layers[1]), Strings { "inp[0][0] " });
    QCOMPARE(texts(model->inputs), Strings { "inp[0][0]" });
}

void TestKerasModel::sequentialAsALayerList()
{
    // Old Keras writes a Sequential's config as the list of its layers.
    const ParsedModel model(R"({"class_name":"Sequential","config":[
        {"class_name":"Dense","config":{"units":2,"name":"only","batch_input_shape":[null,1]}}]})");
    QCOMPARE(names(*model), (Strings { "only_input", "only" }));
}

void TestKerasModel::functionalNodesBothForms()
{
    // tfjs / Keras 2 nodes ([name, node, tensor, kwargs]) and Keras 3 keras tensors; a single
    // output given as one reference rather than a list of them.
    const ParsedModel model(R"({"class_name":"Functional","config":{"name":"f","layers":[
        {"name":"a","class_name":"InputLayer","config":{"batch_shape":[null,4],"name":"a"},"inbound_nodes":[]},
        {"name":"b","class_name":"Dense","config":{"units":4,"name":"b"},"inbound_nodes":[[["a",0,0,{}]]]},
        {"name":"sum","class_name":"Add","config":{"name":"sum"},"inbound_nodes":[{"args":[[
            {"class_name":"__keras_tensor__","config":{"keras_history":["a",0,0]}},
            {"class_name":"__keras_tensor__","config":{"keras_history":["b",0,0]}}]],"kwargs":{}}]}],
        "input_layers":[["a",0,0]],"output_layers":["sum",0,0]}})");
    QVERIFY(!model->sequential);
    QCOMPARE(names(*model), (Strings { "a", "b", "sum" }));
    QCOMPARE(nodes(model->layers[0]), Strings { "" }); // an input gets its one node
    QCOMPARE(shapeText(*model->layers[0].batchInputShape), std::string("[null,4]"));
    QCOMPARE(nodes(model->layers[1]), Strings { "a[0][0] " });
    QCOMPARE(nodes(model->layers[2]), Strings { "a[0][0] b[0][0] " });
    QCOMPARE(texts(model->inputs), Strings { "a[0][0]" });
    QCOMPARE(texts(model->outputs), Strings { "sum[0][0]" });
}

void TestKerasModel::nestedModelBuiltOnItsOwn()
{
    const ParsedModel model(R"({"class_name":"Model","config":{"name":"outer","layers":[
        {"name":"x","class_name":"InputLayer","config":{"batch_input_shape":[null,3],"name":"x"},"inbound_nodes":[]},
        {"name":"inner","class_name":"Sequential","config":{"name":"inner","layers":[
            {"class_name":"Dense","config":{"units":4,"name":"in_d1","batch_input_shape":[null,3]}}]},
         "inbound_nodes":[[["x",0,0,{}]]]},
        {"name":"loose","class_name":"Sequential","config":{"name":"loose","layers":[
            {"class_name":"Dense","config":{"units":4,"name":"l_d1"}}]},
         "inbound_nodes":[[["x",0,0,{}]]]}],
        "input_layers":[["x",0,0]],"output_layers":[["inner",1,0]]}})");
    const Layer &inner = model->layers[1];
    QVERIFY(inner.inner);
    QVERIFY(inner.inner->builtOnItsOwn());
    QCOMPARE(names(*inner.inner), (Strings { "in_d1_input", "in_d1" }));
    // Built on its own input first (node 0), then applied to x (node 1).
    QCOMPARE(nodes(inner), (Strings { "internal:", "x[0][0] " }));
    const Layer &loose = model->layers[2];
    QVERIFY(loose.inner);
    QVERIFY(!loose.inner->builtOnItsOwn()); // no declared input shape
    QCOMPARE(nodes(loose), Strings { "x[0][0] " });
}

void TestKerasModel::layerNamesAndTrainable()
{
    const ParsedModel model(R"({"class_name":"Model","config":{"name":"m","layers":[
        {"class_name":"Dense","config":{"units":1,"name":"from_config","trainable":false}},
        {"class_name":"Dense","config":{"units":1}},
        {"name":"outer_name","class_name":"Dense","config":{"units":1,"name":"config_name"}},
        {"class_name":"InputLayer","config":{"name":"in","trainable":true}}]}})");
    QCOMPARE(names(*model), (Strings { "from_config", "layer_2", "outer_name", "in" }));
    QVERIFY(!model->layers[0].trainable);
    QVERIFY(model->layers[1].trainable);
    QVERIFY(!model->layers[3].trainable);
}

void TestKerasModel::duplicateNamesAreNoted()
{
    const ParsedModel model(R"({"class_name":"Model","config":{"name":"m","layers":[
        {"name":"d","class_name":"Dense","config":{"units":1}},
        {"name":"d","class_name":"Dense","config":{"units":2}}]}})");
    QCOMPARE(model->notes, Strings { "Layer name 'd' is used twice." });
    QCOMPARE(model->index.at("d"), std::size_t(0)); // the first keeps the name
}

void TestKerasModel::notAModel()
{
    QVERIFY(!parseModel(j(R"({"class_name":"Dense","config":{"units":2}})")));
    QVERIFY(!parseModel(j(R"({"class_name":"Sequential"})")));
    QVERIFY(!parseModel(j("[1,2]")));
    QVERIFY(isModelClass("Functional"));
    QVERIFY(!isModelClass("Dense"));
}

void TestKerasModel::nestingStopsAtTheLimit()
{
    Json model = j(R"({"class_name":"Sequential","config":{"name":"leaf","layers":[]}})");
    for (int depth = 0; depth < kMaxNesting + 5; ++depth) {
        Json outer = j(R"({"class_name":"Sequential","config":{"layers":[]}})");
        outer["config"]["name"] = "m" + std::to_string(depth);
        outer["config"]["layers"].push_back(model);
        model = outer;
    }
    const auto parsed = parseModel(model);
    QVERIFY(parsed);
    int depth = 0;
    for (const Model *m = parsed.get(); m; ++depth) {
        const Layer &last = m->layers.back();
        m = last.inner.get();
    }
    QCOMPARE(depth, kMaxNesting + 1); // the top model and kMaxNesting levels below it
}

QTEST_APPLESS_MAIN(TestKerasModel)
#include "tst_kerasmodel.moc"

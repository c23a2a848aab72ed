#include "inspect/graphsummary.h"

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

std::vector<WeightSpec> specs(const char *json)
{
    std::vector<WeightSpec> out;
    for (const Json &entry : j(json))
        out.push_back(*parseWeightSpec(entry, QStringLiteral("test")));
    return out;
}

// Placeholders x and flag, weights w and b, a Switch/Merge conditional, a leaf Identity with a
// control input; and a function whose body holds a While.
const char *kGraph = R"({"node":[
  {"name":"x","op":"Placeholder","attr":{"dtype":{"type":"DT_FLOAT"},"shape":{"shape":{"dim":[{"size":"-1"},{"size":"3"}]}}}},
  {"name":"flag","op":"Placeholder","attr":{"dtype":{"type":"DT_BOOL"},"shape":{"shape":{"unknownRank":true}}}},
  {"name":"w","op":"Const","attr":{"dtype":{"type":"DT_FLOAT"}}},
  {"name":"b","op":"Const","attr":{"dtype":{"type":"DT_FLOAT"}}},
  {"name":"mm","op":"MatMul","input":["x","w"],"attr":{"T":{"type":"DT_FLOAT"}}},
  {"name":"logits","op":"BiasAdd","input":["mm","b"],"attr":{"T":{"type":"DT_FLOAT"}}},
  {"name":"sw","op":"Switch","input":["logits","flag"]},
  {"name":"relu","op":"Relu","input":["sw:1"]},
  {"name":"merge","op":"Merge","input":["sw","relu"]},
  {"name":"nms","op":"NonMaxSuppressionV5","input":["merge","merge"]},
  {"name":"probs","op":"Softmax","input":["merge"],"attr":{"T":{"type":"DT_FLOAT"}}},
  {"name":"side","op":"Identity","input":["b","^mm"]}],
 "library":{"function":[{"signature":{"name":"body_fn"},"nodeDef":[{"name":"loop","op":"StatelessWhile"},{"name":"add","op":"AddV2"}]}]},
 "versions":{"producer":1645}})";

const char *kSpecs = R"([{"name":"w","shape":[3,2],"dtype":"float32"},{"name":"b","shape":[2],"dtype":"float32"},
  {"name":"not_a_node","shape":[1],"dtype":"float32"},{"name":"w/m","shape":[3,2],"dtype":"float32","group":"optimizer"}])";

std::vector<std::string> names(const std::vector<GraphSummary::Endpoint> &list)
{
    std::vector<std::string> out;
    for (const auto &e : list)
        out.push_back(e.key.empty() ? e.name : e.key + "=" + e.name);
    return out;
}

} // namespace

class TestGraphSummary : public QObject
{
    Q_OBJECT

private slots:
    void opsAndFunctions();
    void inputsAndOutputsWithoutSignature();
    void inputsAndOutputsFromSignature();
    void controlFlowAndDynamicOps();
    void weightsAndConsumers();
    void initializer();
    void notes();
    void notAGraph();
};

void TestGraphSummary::opsAndFunctions()
{
    const auto g = summarizeGraph(j(kGraph), Json(), Json(), false, specs(kSpecs));
    QVERIFY(g.has_value());
    QCOMPARE(g->nodeCount, 12);
    QCOMPARE(g->ops.at("Placeholder"), 2);
    QCOMPARE(g->ops.at("Const"), 2);
    QCOMPARE(g->ops.size(), std::size_t(10));
    QCOMPARE(g->functionCount, 1);
    QCOMPARE(g->functionNodeCount, 2);
    QCOMPARE(g->functions, (std::vector<std::string>{"body_fn"}));
    QCOMPARE(g->producer, std::optional<std::int64_t>(1645));
}

void TestGraphSummary::inputsAndOutputsWithoutSignature()
{
    const auto g = summarizeGraph(j(kGraph), Json(), Json(), false, {});
    QVERIFY(g.has_value());
    QVERIFY(!g->fromSignature);
    QCOMPARE(names(g->inputs), (std::vector<std::string>{"x", "flag"}));
    QCOMPARE(g->inputs[0].dtype, std::string("DT_FLOAT"));
    QCOMPARE(shapeText(*g->inputs[0].shape), std::string("[null,3]"));
    QVERIFY(!g->inputs[1].shape.has_value()); // unknown rank
    // tfjs-converter: every node nothing consumes (control inputs count as consumers).
    QCOMPARE(names(g->outputs), (std::vector<std::string>{"nms", "probs", "side"}));
    QCOMPARE(g->outputs[1].op, std::string("Softmax"));
}

void TestGraphSummary::inputsAndOutputsFromSignature()
{
    const Json signature = j(R"({"inputs":{"features":{"name":"x:0","dtype":"DT_FLOAT","tensorShape":{"dim":[{"size":"-1"},{"size":"3"}]}}},
                                 "outputs":{"probabilities":{"name":"probs:0","dtype":"DT_FLOAT","tensorShape":{"dim":[{"size":"-1"},{"size":"2"}]}},
                                            "gone":{"name":"missing:0","dtype":"DT_FLOAT"}}})");
    const auto g = summarizeGraph(j(kGraph), signature, Json(), false, {});
    QVERIFY(g.has_value());
    QVERIFY(g->fromSignature);
    QCOMPARE(names(g->inputs), (std::vector<std::string>{"features=x:0"}));
    QCOMPARE(names(g->outputs), (std::vector<std::string>{"probabilities=probs:0", "gone=missing:0"}));
    QCOMPARE(g->outputs[0].op, std::string("Softmax"));
    QVERIFY(g->outputs[1].op.empty());
    QVERIFY(!g->outputs[1].shape.has_value());
    QCOMPARE(shapeText(*g->outputs[0].shape), std::string("[null,2]"));
}

void TestGraphSummary::controlFlowAndDynamicOps()
{
    const auto g = summarizeGraph(j(kGraph), Json(), Json(), false, {});
    QVERIFY(g.has_value());
    QCOMPARE(g->controlFlowOps.size(), std::size_t(3)); // Switch, Merge, and StatelessWhile in the function
    QCOMPARE(g->controlFlowOps.at("StatelessWhile"), 1);
    QCOMPARE(g->dynamicOps.at("NonMaxSuppressionV5"), 1);
    QVERIFY(g->needsExecuteAsync());
    const auto plain = summarizeGraph(j(R"({"node":[{"name":"a","op":"Placeholder"},{"name":"b","op":"Relu","input":["a"]}]})"),
                                      Json(), Json(), false, {});
    QVERIFY(plain.has_value());
    QVERIFY(!plain->needsExecuteAsync());
}

void TestGraphSummary::weightsAndConsumers()
{
    const auto g = summarizeGraph(j(kGraph), Json(), Json(), false, specs(kSpecs));
    QVERIFY(g.has_value());
    QCOMPARE(g->weights.size(), std::size_t(3)); // optimizer weights are not the graph's
    QCOMPARE(g->weights[0].name, std::string("w"));
    QVERIFY(g->weights[0].hasNode);
    QCOMPARE(g->weights[0].consumers, (std::vector<std::string>{"mm"}));
    QCOMPARE(g->weights[1].consumers, (std::vector<std::string>{"logits", "side"}));
    QVERIFY(!g->weights[2].hasNode);
    QVERIFY(g->weights[2].consumers.empty());
    const Json json = g->toJson();
    QCOMPARE(json["weights"][1]["consumers"].size(), std::size_t(2));
    QCOMPARE(json["needsExecuteAsync"].get<bool>(), true);
}

void TestGraphSummary::initializer()
{
    const Json init = j(R"({"node":[{"name":"t","op":"HashTableV2"},{"name":"i","op":"LookupTableImportV2","input":["t"]}]})");
    const auto g = summarizeGraph(j(kGraph), Json(), init, true, {});
    QVERIFY(g.has_value());
    QVERIFY(g->hasInitializer);
    QVERIFY(g->hasInitializerSignature);
    QCOMPARE(g->initializerNodeCount, 2);
    QCOMPARE(g->initializerOps.at("HashTableV2"), 1);
    const auto none = summarizeGraph(j(kGraph), Json(), Json(), false, {});
    QVERIFY(!none->hasInitializer);
}

void TestGraphSummary::notes()
{
    const auto g = summarizeGraph(j(R"({"node":[{"name":"a","op":"Relu","input":["ghost:0"]},{"name":"a","op":"Relu"}, 5]})"),
                                  Json(), Json(), false, {});
    QVERIFY(g.has_value());
    QCOMPARE(g->nodeCount, 2);
    QCOMPARE(g->notes, (std::vector<std::string>{"Node name 'a' is used twice.",
                                                 "Node 'a' takes input 'ghost', which is no node."}));
}

void TestGraphSummary::notAGraph()
{
    QVERIFY(!summarizeGraph(j("[]"), Json(), Json(), false, {}).has_value());
}

QTEST_APPLESS_MAIN(TestGraphSummary)
#include "tst_graphsummary.moc"

#include "inspect/graphorder.h"
#include "kerastestutil.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::keras;
using namespace tfjs::test;

namespace {

using Strings = std::vector<std::string>;

Strings ordered(const Model &m, const GraphOrder &order)
{
    Strings out;
    for (const std::size_t layer : order.layers)
        out.push_back(m.layers[layer].name);
    return out;
}

// A functional layer entry: `inbound` is its nodes' JSON.
std::string layer(const std::string &name, const std::string &className, const std::string &inbound)
{
    return R"({"name":")" + name + R"(","class_name":")" + className + R"(","config":{"name":")"
        + name + R"("},"inbound_nodes":)" + inbound + "}";
}

std::string functional(const std::vector<std::string> &layers, const std::string &outputs)
{
    std::string list;
    for (const std::string &entry : layers)
        list += (list.empty() ? "" : ",") + entry;
    return R"({"class_name":"Model","config":{"name":"m","layers":[)" + list
        + R"(],"input_layers":[["in",0,0]],"output_layers":)" + outputs + "}}";
}

} // namespace

class TestGraphOrder : public QObject
{
    Q_OBJECT

private slots:
    void sequentialAsListed();
    void diamondByDepthThenDiscovery();
    void layersNoOutputNeedsAreLeftOut();
    void sharedLayerIsNotSequential();
    void cycleIsFlagged();
    void longChainDoesNotRecurse();
};

void TestGraphOrder::sequentialAsListed()
{
    const ParsedModel m(R"({"class_name":"Sequential","config":{"name":"s","layers":[
        {"class_name":"Dense","config":{"units":2,"name":"d1","batch_input_shape":[null,2]}},
        {"class_name":"Sequential","config":{"name":"inner","layers":[
            {"class_name":"Dense","config":{"units":2,"name":"i1","batch_input_shape":[null,2]}}]}},
        {"class_name":"Dense","config":{"units":2,"name":"d2"}}]}})");
    const GraphOrder order = graphOrder(*m);
    QCOMPARE(ordered(*m, order), (Strings { "d1", "inner", "d2" })); // not the implicit input
    QVERIFY(order.sequentialLike);
    QVERIFY(!order.cycle);
    // Every node but the nested model's own (internal) one.
    const std::set<NodeKey> relevant = { { 0, 0 }, { 1, 0 }, { 2, 1 }, { 3, 0 } };
    QCOMPARE(order.relevant, relevant);
}

void TestGraphOrder::diamondByDepthThenDiscovery()
{
    // in -> a, in -> b, add(a, b): TF.js lists by decreasing depth, then in the order its walk
    // from the outputs discovered the layers (add, a, in, b).
    const ParsedModel m(functional({ layer("in", "InputLayer", "[]"),
                                        layer("b", "Dense", R"([[["in",0,0,{}]]])"),
                                        layer("a", "Dense", R"([[["in",0,0,{}]]])"),
                                        layer("add", "Add", R"([[["a",0,0,{}],["b",0,0,{}]]])") },
        R"([["add",0,0]])"));
    const GraphOrder order = graphOrder(*m);
    QCOMPARE(ordered(*m, order), (Strings { "in", "a", "b", "add" }));
    QVERIFY(!order.sequentialLike); // two nodes at one depth
    QCOMPARE(order.relevant.size(), std::size_t(4));
}

void TestGraphOrder::layersNoOutputNeedsAreLeftOut()
{
    const ParsedModel m(functional({ layer("in", "InputLayer", "[]"),
                                        layer("used", "Dense", R"([[["in",0,0,{}]]])"),
                                        layer("orphan", "Dense", R"([[["in",0,0,{}]]])") },
        R"([["used",0,0]])"));
    const GraphOrder order = graphOrder(*m);
    QCOMPARE(ordered(*m, order), (Strings { "in", "used" }));
    QVERIFY(order.sequentialLike); // a chain
    QVERIFY(!order.relevant.contains({ 2, 0 }));
}

void TestGraphOrder::sharedLayerIsNotSequential()
{
    // One layer applied twice in a chain: each depth has one node, but the layer has two
    // relevant nodes, so TF.js does not print it as sequential.
    const ParsedModel m(functional({ layer("in", "InputLayer", "[]"),
                                        layer("d", "Dense", R"([[["in",0,0,{}]],[["d",0,0,{}]]])") },
        R"([["d",1,0]])"));
    const GraphOrder order = graphOrder(*m);
    QCOMPARE(ordered(*m, order), (Strings { "in", "d" }));
    QVERIFY(!order.sequentialLike);
    QCOMPARE(order.relevant, (std::set<NodeKey> { { 0, 0 }, { 1, 0 }, { 1, 1 } }));
}

void TestGraphOrder::cycleIsFlagged()
{
    const ParsedModel m(functional({ layer("in", "InputLayer", "[]"),
                                        layer("p", "Add", R"([[["in",0,0,{}],["q",0,0,{}]]])"),
                                        layer("q", "Dense", R"([[["p",0,0,{}]]])") },
        R"([["q",0,0]])"));
    const GraphOrder order = graphOrder(*m);
    QVERIFY(order.cycle);
    QCOMPARE(order.layers.size(), std::size_t(3));
}

void TestGraphOrder::longChainDoesNotRecurse()
{
    constexpr int n = 20000;
    std::vector<std::string> layers = { layer("l0", "InputLayer", "[]") };
    for (int i = 1; i <= n; ++i)
        layers.push_back(layer("l" + std::to_string(i), "Dense",
            R"([[["l)" + std::to_string(i - 1) + R"(",0,0,{}]]])"));
    const ParsedModel m(functional(layers, R"([["l)" + std::to_string(n) + R"(",0,0]])"));
    const GraphOrder order = graphOrder(*m);
    QCOMPARE(order.layers.size(), std::size_t(n + 1));
    QCOMPARE(order.layers.front(), std::size_t(0));
    QCOMPARE(order.layers.back(), std::size_t(n));
    QVERIFY(order.sequentialLike);
}

QTEST_APPLESS_MAIN(TestGraphOrder)
#include "tst_graphorder.moc"

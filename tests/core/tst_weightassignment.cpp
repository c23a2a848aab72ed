#include "inspect/weightassignment.h"
#include "kerastestutil.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::keras;
using namespace tfjs::test;

namespace {

using Strings = std::vector<std::string>;

// outer (Model): x, d, frozen (trainable=false), block (a nested Sequential: inner_d, bn).
constexpr std::string_view kModel = R"({"class_name":"Model","config":{"name":"outer","layers":[
    {"name":"x","class_name":"InputLayer","config":{"batch_input_shape":[null,3],"name":"x"},"inbound_nodes":[]},
    {"name":"d","class_name":"Dense","config":{"units":3,"name":"d"},"inbound_nodes":[[["x",0,0,{}]]]},
    {"name":"frozen","class_name":"Sequential","config":{"name":"frozen","trainable":false,"layers":[
        {"class_name":"Dense","config":{"units":3,"name":"fz_d"}}]},"inbound_nodes":[[["d",0,0,{}]]]},
    {"name":"block","class_name":"Sequential","config":{"name":"block","layers":[
        {"class_name":"Dense","config":{"units":3,"name":"inner_d"}},
        {"class_name":"BatchNormalization","config":{"name":"bn"}},
        {"class_name":"Dense","config":{"units":3,"name":"d"}}]},"inbound_nodes":[[["frozen",0,0,{}]]]}],
    "input_layers":[["x",0,0]],"output_layers":[["block",0,0]]}})";

std::vector<WeightSpec> specs(const std::vector<std::pair<std::string, std::int64_t>> &list,
    const std::string &group = {})
{
    std::vector<WeightSpec> out;
    for (const auto &[name, size] : list) {
        WeightSpec spec;
        spec.name = name;
        spec.shape = { size };
        if (!group.empty())
            spec.group = group;
        out.push_back(spec);
    }
    return out;
}

const Layer &named(const Model &model, const std::string &name)
{
    return model.layers[model.index.at(name)];
}

} // namespace

class TestWeightAssignment : public QObject
{
    Q_OBJECT

private slots:
    void weightsGoToTheLayersTheyName();
    void nestedWeightsCountForEveryLayerAbove();
    void frozenAndMovingStatisticsAreNotTrainable();
    void unassignedAndOptimizerWeights();
};

void TestWeightAssignment::weightsGoToTheLayersTheyName()
{
    const ParsedModel m(kModel);
    // A scope before the layer's name ("outer/") names no layer and is passed over.
    const WeightAssignment a = assignWeights(*m, specs({ { "d/kernel", 9 }, { "outer/d/bias", 3 } }));
    const LayerWeights &d = a.byLayer.at(&named(*m, "d"));
    QCOMPARE(d.weights, (Strings { "d/kernel", "outer/d/bias" }));
    QCOMPARE(d.params, std::int64_t(12));
    QCOMPARE(d.trainable, std::int64_t(12));
    QCOMPARE(d.nonTrainable, std::int64_t(0));
    // "d" is also a layer inside block: the outer layer wins.
    QCOMPARE(a.byLayer.size(), std::size_t(1));
    QVERIFY(a.unassigned.empty());
}

void TestWeightAssignment::nestedWeightsCountForEveryLayerAbove()
{
    const ParsedModel m(kModel);
    const Layer &block = named(*m, "block");
    const WeightAssignment a = assignWeights(*m, specs({ { "inner_d/kernel", 9 }, { "block/inner_d/bias", 3 } }));
    const Layer &innerD = named(*block.inner, "inner_d");
    QCOMPARE(a.byLayer.at(&innerD).params, std::int64_t(12));
    QCOMPARE(a.byLayer.at(&block).params, std::int64_t(12));
    QCOMPARE(a.byLayer.at(&block).weights, (Strings { "inner_d/kernel", "block/inner_d/bias" }));
    QCOMPARE(a.byLayer.size(), std::size_t(2));
}

void TestWeightAssignment::frozenAndMovingStatisticsAreNotTrainable()
{
    const ParsedModel m(kModel);
    const WeightAssignment a = assignWeights(*m,
        specs({ { "fz_d/kernel", 9 }, { "bn/gamma", 3 }, { "bn/moving_mean", 3 },
            { "bn/moving_variance", 3 } }));
    const Layer &frozen = named(*m, "frozen");
    const Layer &fzD = named(*frozen.inner, "fz_d");
    // fz_d trains, but the model holding it does not.
    QVERIFY(fzD.trainable);
    QCOMPARE(a.byLayer.at(&fzD).nonTrainable, std::int64_t(9));
    QCOMPARE(a.byLayer.at(&frozen).nonTrainable, std::int64_t(9));
    const Layer &block = named(*m, "block");
    const Layer &bn = named(*block.inner, "bn");
    QCOMPARE(a.byLayer.at(&bn).trainable, std::int64_t(3));
    QCOMPARE(a.byLayer.at(&bn).nonTrainable, std::int64_t(6));
    QCOMPARE(a.byLayer.at(&block).params, std::int64_t(9));
}

void TestWeightAssignment::unassignedAndOptimizerWeights()
{
    const ParsedModel m(kModel);
    std::vector<WeightSpec> list = specs({ { "stray", 7 }, { "nobody/kernel", 5 }, { "x", 2 } });
    const std::vector<WeightSpec> optimizer = specs({ { "d/kernel/m", 9 } }, "optimizer");
    list.insert(list.end(), optimizer.begin(), optimizer.end());
    const WeightAssignment a = assignWeights(*m, list);
    // A bare name has no layer part; the optimizer's slots are not model weights.
    QCOMPARE(a.unassigned, (Strings { "stray", "nobody/kernel", "x" }));
    QCOMPARE(a.unassignedParams, std::int64_t(14));
    QVERIFY(a.byLayer.empty());
}

QTEST_APPLESS_MAIN(TestWeightAssignment)
#include "tst_weightassignment.moc"

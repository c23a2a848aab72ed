// diffModels: topology changes, per-tensor value differences (streamed over segments and
// chunks on worker threads), renames, quantized against float, and its errors.
#include "base/job.h"
#include "format/codec.h"
#include "inspect/modeldiff.h"
#include "testutil.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace tfjs;
using namespace tfjs::test;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

QByteArray bytesOf(const std::vector<float> &values)
{
    return QByteArray(reinterpret_cast<const char *>(values.data()), qsizetype(values.size() * 4));
}

// The data as segments cut at `cuts` (inside values too), as shards of a folder would be.
WeightData segments(const QByteArray &data, const std::vector<qint64> &cuts)
{
    WeightData out;
    qint64 from = 0;
    std::vector<qint64> ends = cuts;
    ends.push_back(data.size());
    for (const qint64 end : ends) {
        out.appendBytes(data.mid(from, end - from), QStringLiteral("shard%1").arg(end));
        from = end;
    }
    return out;
}

ModelArtifacts model(const Json &topology, const Json &specs, WeightData data)
{
    Json json = Json::object();
    if (!topology.is_null())
        json["modelTopology"] = topology;
    json["weightsManifest"]
        = Json::array({ Json { { "paths", Json::array({ "w.bin" }) }, { "weights", specs } } });
    auto artifacts = artifactsFromModelJson(json, QStringLiteral("test"));
    if (!artifacts)
        qFatal("bad model in test: %s", qPrintable(artifacts.error().message));
    artifacts->weightData = std::move(data);
    return *artifacts;
}

Json dense(const char *name, int units)
{
    return Json { { "class_name", "Dense" },
        { "config",
            { { "units", units }, { "name", name }, { "batch_input_shape", { nullptr, 4 } } } } };
}

Json sequential(const Json &layers)
{
    return Json { { "class_name", "Sequential" },
        { "config", { { "name", "seq" }, { "layers", layers } } },
        { "keras_version", "tfjs-layers 4.22.0" }, { "backend", "tensor_flow.js" } };
}

Json denseSpecs(const std::string &layer, int units)
{
    return Json::array(
        { Json { { "name", layer + "/kernel" }, { "shape", { 4, units } }, { "dtype", "float32" } },
            Json { { "name", layer + "/bias" }, { "shape", { units } }, { "dtype", "float32" } } });
}

Result<ModelDiff> diff(const ModelArtifacts &a, const ModelArtifacts &b, DiffOptions options = {})
{
    JobContext ctx;
    return diffModels(a, b, options, ctx);
}

const TensorDiff &tensor(const ModelDiff &d, const std::string &name)
{
    for (const TensorDiff &t : d.tensors)
        if (t.name == name)
            return t;
    qFatal("no tensor %s in the diff", name.c_str());
}

std::vector<float> ramp(int n)
{
    std::vector<float> values(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        values[std::size_t(i)] = float((i * 37) % 101 - 50) / 8.0f; // exact in float32
    return values;
}

} // namespace

class TestModelDiff : public QObject
{
    Q_OBJECT

private slots:
    void modelWithItselfIsIdentical();
    void perturbedValuesAcrossChunksAndShards();
    void quantizedAgainstFloat();
    void nonFiniteValues();
    void shapeDtypeAddedRemoved();
    void configChangeOfALayer();
    void renamedLayerWithTheSameWeights();
    void graphNodes();
    void stringTensors();
    void onlyNamedTensors();
    void errors();
};

void TestModelDiff::modelWithItselfIsIdentical()
{
    const std::vector<float> v = ramp(25);
    const ModelArtifacts a = model(sequential(Json::array({ dense("d", 5) })), denseSpecs("d", 5),
        WeightData::fromBytes(bytesOf(v)));
    auto d = diff(a, a);
    QVERIFY(d);
    QVERIFY(d->identical());
    QVERIFY(d->topology.identical());
    const ModelDiff::Totals t = d->totals();
    QCOMPARE(t.identical, 2);
    QCOMPARE(t.values, std::int64_t(25));
    QCOMPARE(t.changedValues, std::int64_t(0));
    QCOMPARE(t.maxAbs, 0.0);
    QCOMPARE(tensor(*d, "d/kernel").cosine, 1.0);
    QCOMPARE(tensor(*d, "d/kernel").relativeL2, 0.0);
}

void TestModelDiff::perturbedValuesAcrossChunksAndShards()
{
    // 4000 values in chunks of 16 values, B cut into shards inside values: every perturbation
    // is found exactly, and the sums agree with a plain loop.
    const int n = 4000;
    const std::vector<float> a = ramp(n);
    std::vector<float> b = a;
    const std::vector<std::pair<int, float>> perturbed
        = { { 0, 0.375f }, { 17, -0.125f }, { 1999, 0.5f }, { 3999, -0.25f } };
    for (const auto &[i, delta] : perturbed)
        b[std::size_t(i)] += delta;
    const Json specs
        = Json::array({ Json { { "name", "w" }, { "shape", { n } }, { "dtype", "float32" } } });
    const ModelArtifacts ma = model(nullptr, specs, segments(bytesOf(a), { 1001, 8002 }));
    const ModelArtifacts mb = model(nullptr, specs, segments(bytesOf(b), { 6, 4003, 15998 }));
    DiffOptions options;
    options.chunkBytes = 64;
    options.threads = 3;
    auto d = diff(ma, mb, options);
    QVERIFY(d);
    QVERIFY(!d->identical());
    const TensorDiff &w = tensor(*d, "w");
    QCOMPARE(w.status, TensorDiff::Status::Changed);
    QVERIFY(w.compared);
    QCOMPARE(w.values, std::int64_t(n));
    QCOMPARE(w.changed, std::int64_t(perturbed.size()));
    QCOMPARE(w.maxAbs, 0.5);
    double sumAbs = 0, squaredDiff = 0, squaredA = 0, squaredB = 0, dot = 0;
    for (int i = 0; i < n; ++i) {
        const double x = a[std::size_t(i)], y = b[std::size_t(i)];
        sumAbs += std::fabs(x - y);
        squaredDiff += (x - y) * (x - y);
        squaredA += x * x;
        squaredB += y * y;
        dot += x * y;
    }
    QCOMPARE(w.meanAbs, sumAbs / n);
    QCOMPARE(w.relativeL2, std::sqrt(squaredDiff) / std::sqrt(squaredA));
    QCOMPARE(w.cosine, dot / (std::sqrt(squaredA) * std::sqrt(squaredB)));
    QCOMPARE(d->totals().maxAbs, 0.5);
    QCOMPARE(d->totals().changedValues, std::int64_t(4));
}

void TestModelDiff::quantizedAgainstFloat()
{
    // B is A quantized to uint8 and uint16 as the converter does; the diff compares the values
    // TF.js decodes from B against A.
    const std::vector<float> a = ramp(300);
    for (const QuantDType dtype : { QuantDType::UInt8, QuantDType::UInt16, QuantDType::Float16 }) {
        const QuantizedData q
            = dtype == QuantDType::Float16 ? quantizeFloat16(a) : quantizeAffine(a, dtype);
        WeightSpec spec;
        spec.name = "weight"; // not one letter: GCC 12 -Werror=restrict false positive under ASan
        spec.shape = { 300 };
        spec.quantization = q.quantization;
        auto decoded = decodeTensor(spec, q.bytes.constData(), q.bytes.size());
        QVERIFY(decoded);
        const auto &values = std::get<std::vector<float>>(decoded->values);
        double maxAbs = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            maxAbs = std::max(maxAbs, std::fabs(double(values[i]) - double(a[i])));

        const ModelArtifacts ma = model(nullptr,
            Json::array({ Json { { "name", "weight" }, { "shape", { 300 } }, { "dtype", "float32" } } }),
            WeightData::fromBytes(bytesOf(a)));
        const ModelArtifacts mb
            = model(nullptr, specsToJson({ spec }), WeightData::fromBytes(q.bytes));
        auto d = diff(ma, mb);
        QVERIFY(d);
        const TensorDiff &w = tensor(*d, "weight");
        QCOMPARE(w.status, TensorDiff::Status::Changed); // the encoding differs
        QCOMPARE(w.maxAbs, maxAbs);
        QCOMPARE(TensorDiff::encoding(*w.b), std::string(quantDTypeName(dtype)) + ">float32");
        if (dtype != QuantDType::Float16)
            QVERIFY(maxAbs > 0 && maxAbs <= *q.quantization.scale / 2 + 1e-6);
    }
}

void TestModelDiff::nonFiniteValues()
{
    const Json specs
        = Json::array({ Json { { "name", "w" }, { "shape", { 4 } }, { "dtype", "float32" } } });
    const ModelArtifacts a
        = model(nullptr, specs, WeightData::fromBytes(f32({ kNaN, kInf, 1, -0.0f })));
    const ModelArtifacts b
        = model(nullptr, specs, WeightData::fromBytes(f32({ kNaN, 2, 1, 0.0f })));
    auto d = diff(a, b);
    QVERIFY(d);
    const TensorDiff &w = tensor(*d, "w");
    QCOMPARE(w.changed, std::int64_t(1)); // NaN equals NaN, -0 equals +0
    QCOMPARE(w.nonFinite, std::int64_t(1));
    QCOMPARE(w.finitePairs, std::int64_t(2));
    QCOMPARE(w.maxAbs, 0.0);
}

void TestModelDiff::shapeDtypeAddedRemoved()
{
    const ModelArtifacts a = model(nullptr, j(R"([{"name":"s","shape":[2],"dtype":"float32"},
        {"name":"t","shape":[2],"dtype":"float32"},{"name":"gone","shape":[1],"dtype":"float32"}])"),
        WeightData::fromBytes(f32({ 1, 2, 3, 4, 5 })));
    const ModelArtifacts b = model(nullptr, j(R"([{"name":"s","shape":[1,2],"dtype":"float32"},
        {"name":"t","shape":[2],"dtype":"int32"},{"name":"new","shape":[1],"dtype":"float32"}])"),
        WeightData::fromBytes(f32({ 1, 2 }) + i32({ 3, 4 }) + f32({ 9 })));
    auto d = diff(a, b);
    QVERIFY(d);
    QCOMPARE(d->tensors.size(), std::size_t(4));
    const TensorDiff &s = tensor(*d, "s");
    QCOMPARE(s.status, TensorDiff::Status::Changed);
    QVERIFY(s.shapeChanged());
    QVERIFY(!s.compared);
    const TensorDiff &t = tensor(*d, "t");
    QCOMPARE(t.status, TensorDiff::Status::Changed); // same values, another dtype
    QVERIFY(t.dtypeChanged());
    QVERIFY(t.compared);
    QCOMPARE(t.changed, std::int64_t(0));
    QCOMPARE(tensor(*d, "gone").status, TensorDiff::Status::Removed);
    QCOMPARE(tensor(*d, "new").status, TensorDiff::Status::Added);
    QCOMPARE(d->tensors.back().name, std::string("new")); // B's additions come last
    const ModelDiff::Totals totals = d->totals();
    QCOMPARE(totals.changed, 2);
    QCOMPARE(totals.added, 1);
    QCOMPARE(totals.removed, 1);
}

void TestModelDiff::configChangeOfALayer()
{
    Json layerB = dense("d", 5);
    layerB["config"]["activation"] = "relu";
    layerB["config"]["units"] = 5;
    Json layerA = dense("d", 5);
    layerA["config"]["activation"] = "linear";
    layerA["config"]["use_bias"] = true;
    const WeightData data = WeightData::fromBytes(bytesOf(ramp(25)));
    const ModelArtifacts a = model(sequential(Json::array({ layerA })), denseSpecs("d", 5), data);
    const ModelArtifacts b = model(sequential(Json::array({ layerB })), denseSpecs("d", 5), data);
    auto d = diff(a, b);
    QVERIFY(d);
    QVERIFY(!d->identical());
    QCOMPARE(d->totals().identical, 2);
    QCOMPARE(d->topology.nodes.size(), std::size_t(1));
    const NodeDiff &node = d->topology.nodes[0];
    QCOMPARE(node.status, NodeDiff::Status::Changed);
    QCOMPARE(node.name, std::string("d"));
    QCOMPARE(node.type, std::string("Dense"));
    QCOMPARE(node.changes.size(), std::size_t(2));
    QCOMPARE(node.changes[0].key, std::string("config.activation"));
    QVERIFY(*node.changes[0].before == Json("linear"));
    QVERIFY(*node.changes[0].after == Json("relu"));
    QCOMPARE(node.changes[1].key, std::string("config.use_bias"));
    QVERIFY(!node.changes[1].after);

    // A changed shape: units 5 -> 3 changes the output shape and the weights' shapes.
    const ModelArtifacts c = model(sequential(Json::array({ dense("d", 3) })), denseSpecs("d", 3),
        WeightData::fromBytes(bytesOf(ramp(15))));
    auto e = diff(a, c);
    QVERIFY(e);
    std::vector<std::string> keys;
    for (const ValueChange &change : e->topology.nodes.at(0).changes)
        keys.push_back(change.key);
    QVERIFY(std::find(keys.begin(), keys.end(), "config.units") != keys.end());
    QVERIFY(std::find(keys.begin(), keys.end(), "output shape") != keys.end());
    QVERIFY(tensor(*e, "d/kernel").shapeChanged());
}

void TestModelDiff::renamedLayerWithTheSameWeights()
{
    const WeightData data = WeightData::fromBytes(bytesOf(ramp(25)));
    const ModelArtifacts a
        = model(sequential(Json::array({ dense("d", 5) })), denseSpecs("d", 5), data);
    const ModelArtifacts b
        = model(sequential(Json::array({ dense("e", 5) })), denseSpecs("e", 5), data);
    auto d = diff(a, b);
    QVERIFY(d);
    QCOMPARE(d->totals().renamed, 2);
    QCOMPARE(tensor(*d, "d/kernel").newName, std::string("e/kernel"));
    QCOMPARE(d->topology.nodes.size(), std::size_t(1));
    QCOMPARE(d->topology.nodes[0].status, NodeDiff::Status::Renamed);
    QCOMPARE(d->topology.nodes[0].newName, std::string("e"));
    QVERIFY(d->topology.nodes[0].changes.empty());

    // Other weights: not a rename, one layer removed and one added.
    const ModelArtifacts c = model(sequential(Json::array({ dense("e", 5) })), denseSpecs("e", 5),
        WeightData::fromBytes(bytesOf(ramp(26)).mid(4)));
    auto e = diff(a, c);
    QVERIFY(e);
    QCOMPARE(e->topology.nodes.size(), std::size_t(2));
    QCOMPARE(e->topology.nodes[0].status, NodeDiff::Status::Removed);
    QCOMPARE(e->topology.nodes[1].status, NodeDiff::Status::Added);
    QCOMPARE(e->totals().removed, 2);
    QCOMPARE(e->totals().added, 2);
}

void TestModelDiff::graphNodes()
{
    const Json graphA = j(R"({"node":[
        {"name":"x","op":"Placeholder","attr":{"dtype":{"type":"DT_FLOAT"}}},
        {"name":"w","op":"Const","attr":{"dtype":{"type":"DT_FLOAT"}}},
        {"name":"m","op":"MatMul","input":["x","w"],"attr":{"T":{"type":"DT_FLOAT"}}},
        {"name":"r","op":"Relu","input":["m"]}],"versions":{"producer":1}})");
    const Json graphB = j(R"({"node":[
        {"name":"x","op":"Placeholder","attr":{"dtype":{"type":"DT_FLOAT"}}},
        {"name":"w2","op":"Const","attr":{"dtype":{"type":"DT_FLOAT"}}},
        {"name":"m","op":"MatMul","input":["x","w2"],"attr":{"T":{"type":"DT_HALF"}}},
        {"name":"s","op":"Sigmoid","input":["m"]}],"versions":{"producer":1}})");
    const WeightData data = WeightData::fromBytes(f32({ 1, 2, 3, 4 }));
    const ModelArtifacts a
        = model(graphA, j(R"([{"name":"w","shape":[2,2],"dtype":"float32"}])"), data);
    const ModelArtifacts b
        = model(graphB, j(R"([{"name":"w2","shape":[2,2],"dtype":"float32"}])"), data);
    auto d = diff(a, b);
    QVERIFY(d);
    QCOMPARE(d->topology.kindA, std::string("graph-model"));
    QCOMPARE(d->topology.nodes.size(), std::size_t(4));
    QCOMPARE(d->topology.nodes[0].status, NodeDiff::Status::Renamed); // w -> w2, same values
    QCOMPARE(d->topology.nodes[0].newName, std::string("w2"));
    const NodeDiff &m = d->topology.nodes[1];
    QCOMPARE(m.status, NodeDiff::Status::Changed);
    QCOMPARE(m.changes.size(), std::size_t(2));
    QCOMPARE(m.changes[0].key, std::string("input")); // in the node's key order
    QCOMPARE(m.changes[1].key, std::string("attr.T.type"));
    QCOMPARE(d->topology.nodes[2].status, NodeDiff::Status::Removed);
    QCOMPARE(d->topology.nodes[2].type, std::string("Relu"));
    QCOMPARE(d->topology.nodes[3].status, NodeDiff::Status::Added);
    QCOMPARE(d->topology.nodes[3].name, std::string("s"));
}

void TestModelDiff::stringTensors()
{
    const Json specs = j(R"([{"name":"v","shape":[3],"dtype":"string"}])");
    const ModelArtifacts a
        = model(nullptr, specs, WeightData::fromBytes(stringTensor({ "a", "bc", "d" })));
    const ModelArtifacts b
        = model(nullptr, specs, WeightData::fromBytes(stringTensor({ "a", "bd", "d" })));
    auto d = diff(a, b);
    QVERIFY(d);
    const TensorDiff &v = tensor(*d, "v");
    QVERIFY(v.compared);
    QCOMPARE(v.values, std::int64_t(3));
    QCOMPARE(v.changed, std::int64_t(1));
    QVERIFY(std::isnan(v.maxAbs));
    auto same = diff(a, a);
    QVERIFY(same && same->identical());
}

void TestModelDiff::onlyNamedTensors()
{
    const ModelArtifacts a = model(nullptr,
        j(R"([{"name":"p","shape":[1],"dtype":"float32"},{"name":"q","shape":[1],"dtype":"float32"}])"),
        WeightData::fromBytes(f32({ 1, 2 })));
    const ModelArtifacts b = model(nullptr,
        j(R"([{"name":"p","shape":[1],"dtype":"float32"},{"name":"q","shape":[1],"dtype":"float32"}])"),
        WeightData::fromBytes(f32({ 1, 5 })));
    DiffOptions options;
    options.tensors = { QStringLiteral("p") };
    auto d = diff(a, b, options);
    QVERIFY(d);
    QCOMPARE(d->tensors.size(), std::size_t(1));
    QVERIFY(d->identical());
}

void TestModelDiff::errors()
{
    const Json specs = j(R"([{"name":"p","shape":[2],"dtype":"float32"}])");
    const ModelArtifacts good = model(nullptr, specs, WeightData::fromBytes(f32({ 1, 2 })));
    const ModelArtifacts shortData = model(nullptr, specs, WeightData::fromBytes(f32({ 1 })));

    DiffOptions options;
    options.tensors = { QStringLiteral("nope") };
    auto unknown = diff(good, good, options);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    QCOMPARE(unknown.error().message, QStringLiteral("Neither model has a tensor named 'nope'."));
    QCOMPARE(unknown.error().tensor, QStringLiteral("nope"));

    auto broken = diff(good, shortData);
    QVERIFY(!broken);
    QCOMPARE(broken.error().code, ErrorCode::Weights);
    QVERIFY2(broken.error().message.contains(QStringLiteral("model B")),
        qPrintable(broken.error().message));
    QCOMPARE(broken.error().tensor, QStringLiteral("p"));

    JobContext cancelled;
    cancelled.cancel();
    auto stopped = diffModels(good, good, {}, cancelled);
    QVERIFY(!stopped);
    QVERIFY(stopped.error().isCancelled());
}

QTEST_APPLESS_MAIN(TestModelDiff)
#include "tst_modeldiff.moc"

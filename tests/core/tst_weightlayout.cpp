// checkWeightLayout: the one rule for weight data against its specs, and everything that must
// apply it alike: loads (file, http), every save (file, downloads, both stores, http upload),
// walkTensors, validateArtifacts, computeWeightStats and the codec.
#include "format/codec.h"
#include "file/filehandler.h"
#include "schemes/schemes.h"
#include "http/httploader.h"
#include "inspect/weightstats.h"
#include "base/job.h"
#include "format/tensorwalk.h"
#include "testutil.h"
#include "tst_http_fixtures.h"
#include "format/validate.h"
#include "format/weightlayout.h"

#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

WeightSpec spec(const char *json)
{
    auto parsed = parseWeightSpec(j(json), QStringLiteral("test"));
    if (!parsed)
        qFatal("bad test spec %s", json);
    return *parsed;
}

// A broken layout written under `root`, read back as artifacts whose shards are file
// segments (as loaders describe them) without checking the layout.
struct Written
{
    QString json;
    QString dir;
    ModelArtifacts artifacts;
    QByteArray bytes; // all shards, concatenated
};

Written writeLayout(const BrokenLayout &layout, const QString &root)
{
    Written out;
    out.json = writeBrokenModel(layout.model, root);
    out.dir = QFileInfo(out.json).absolutePath();
    auto json = readJsonFile(out.json);
    auto artifacts = artifactsFromModelJson(*json, out.json);
    if (!artifacts)
        qFatal("%s", qPrintable(artifacts.error().toString()));
    out.artifacts = std::move(*artifacts);
    for (const WeightsGroup &group : *out.artifacts.manifest) {
        for (const std::string &path : group.paths) {
            const QString label = u8(path);
            const QString file = out.dir + QLatin1Char('/') + label;
            const QByteArray bytes = readFile(file);
            out.artifacts.weightData.appendFile(file, 0, bytes.size(), label);
            out.bytes += bytes;
        }
    }
    return out;
}

// The message checkWeightLayout gives without a model name ("The weight data is ...").
QString anonymous(QString message, const QString &json)
{
    return message.replace(QStringLiteral("The weight files of %1 are").arg(json),
        QStringLiteral("The weight data is"));
}

void addLayoutRows()
{
    QTest::addColumn<int>("index");
    const auto layouts = brokenStringLayouts();
    for (std::size_t i = 0; i < layouts.size(); ++i)
        QTest::newRow(layouts[i].model.name) << int(i);
}

} // namespace

class TestWeightLayout : public QObject
{
    Q_OBJECT

private slots:
    void broken_data() { addLayoutRows(); }
    void broken();
    void readersAgree_data() { addLayoutRows(); }
    void readersAgree();
    void savesRefuse_data();
    void savesRefuse();
    void httpLoad_data() { addLayoutRows(); }
    void httpLoad();

    void stringsAcrossEveryCut();
    void numericSpecsReadNothing();
    void unreadableStringShard();
    void sizesOnly();
    void cancelled();
    void invalidSpecsBuiltInCode();
    void emptyModels();
};

void TestWeightLayout::broken()
{
    QFETCH(int, index);
    const BrokenLayout layout = brokenStringLayouts().at(std::size_t(index));
    QTemporaryDir tmp;
    const Written w = writeLayout(layout, tmp.path());
    const QString expected = expand(layout.model.message, tmp.path(), w.dir, w.json);

    // File segments, named by the model: what a load reports.
    auto checked = checkWeightLayout(*w.artifacts.weightSpecs, w.artifacts.weightData, w.json);
    TFJS_COMPARE_ERROR(checked, ErrorCode::Weights, expected);
    QCOMPARE(checked.error().tensor, layout.tensor);
    QCOMPARE(checked.error().offset, layout.offset);
    QCOMPARE(checked.error().path, w.artifacts.weightData.segments().back().file);
    QCOMPARE(checked.error().shard, w.artifacts.weightData.segments().back().label);

    // The same bytes in memory, unnamed: the shard is called by its label.
    WeightData memory;
    for (const WeightData::Segment &segment : w.artifacts.weightData.segments())
        memory.appendBytes(readFile(segment.file), segment.label);
    auto inMemory = checkWeightLayout(*w.artifacts.weightSpecs, memory);
    TFJS_COMPARE_ERROR(inMemory, ErrorCode::Weights,
        anonymous(expected, w.json).replace(w.dir + QLatin1Char('/'), QString()));
    QCOMPARE(inMemory.error().tensor, layout.tensor);
    QCOMPARE(inMemory.error().offset, layout.offset);

    // A load refuses the model with that very error.
    JobContext ctx;
    auto loaded = FileHandler(w.json).load(ctx);
    TFJS_COMPARE_ERROR(loaded, ErrorCode::Weights, expected);
    auto info = FileHandler(w.json).load(ctx, LoadOptions::withoutWeights());
    TFJS_COMPARE_ERROR(info, ErrorCode::Weights, expected);
}

void TestWeightLayout::readersAgree()
{
    // Artifacts that bypassed a load (built in code, say) meet the same rule in every reader.
    QFETCH(int, index);
    const BrokenLayout layout = brokenStringLayouts().at(std::size_t(index));
    QTemporaryDir tmp;
    const Written w = writeLayout(layout, tmp.path());
    const std::vector<WeightSpec> &specs = *w.artifacts.weightSpecs;
    auto rule = checkWeightLayout(specs, w.artifacts.weightData);
    QVERIFY(!rule);
    const Error &expected = rule.error();

    int visited = 0;
    auto walked = walkTensors(specs, w.artifacts.weightData, [&visited](const TensorBytes &) {
        ++visited;
        return Result<void> {};
    });
    TFJS_COMPARE_ERROR(walked, ErrorCode::Weights, expected.message);
    QCOMPARE(visited, 0); // refused before any tensor is handed out

    JobContext ctx;
    auto report = validateArtifacts(w.artifacts, ctx);
    TFJS_VERIFY_OK(report);
    QCOMPARE(report->problems.size(), std::size_t(1));
    QCOMPARE(report->problems.front().toString(), expected.toString());
    QCOMPARE(report->tensorsDecoded, 0);

    auto stats = computeWeightStats(w.artifacts, {}, ctx);
    TFJS_COMPARE_ERROR(stats, ErrorCode::Weights, expected.message);
    QCOMPARE(stats.error().toString(), expected.toString());

    // One buffer has no shards to name.
    auto decoded = decodeWeights(specs, w.bytes);
    const QString note = QStringLiteral(", the end of the last shard, ");
    TFJS_COMPARE_ERROR(decoded, ErrorCode::Weights,
        expected.message.left(expected.message.indexOf(note)) + QLatin1Char('.'));
    QCOMPARE(decoded.error().tensor, layout.tensor);
    QCOMPARE(decoded.error().offset, layout.offset);
}

void TestWeightLayout::savesRefuse_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("url"); // {port}: a listening socket that must see no connection
    const auto layouts = brokenStringLayouts();
    const QStringList urls = { QStringLiteral("file"), QStringLiteral("downloads://m"),
        QStringLiteral("indexeddb://m"), QStringLiteral("localstorage://m"),
        QStringLiteral("http://127.0.0.1:{port}/upload") };
    for (std::size_t i = 0; i < layouts.size(); ++i) {
        for (const QString &url : urls)
            QTest::addRow(
                "%s, %s", layouts[i].model.name, qPrintable(url.section(QLatin1Char(':'), 0, 0)))
                << int(i) << url;
    }
}

void TestWeightLayout::savesRefuse()
{
    QFETCH(int, index);
    QFETCH(QString, url);
    const BrokenLayout layout = brokenStringLayouts().at(std::size_t(index));
    QTemporaryDir tmp;
    const Written w = writeLayout(layout, tmp.filePath(QStringLiteral("source")));
    const QString places = tmp.filePath(QStringLiteral("places"));
    QVERIFY(QDir().mkpath(places + QStringLiteral("/store")));
    QVERIFY(QDir().mkpath(places + QStringLiteral("/Downloads")));
    HandlerOptions options;
    options.storeDir = places + QStringLiteral("/store");
    options.downloadsDir = places + QStringLiteral("/Downloads");
    const HandlerRegistry registry = makeDefaultRegistry(options);
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    url.replace(QStringLiteral("{port}"), QString::number(listener.serverPort()));
    if (url == QStringLiteral("file"))
        url = places + QStringLiteral("/folder");
    const Tree before = snapshot(places);

    // As a Job: HTTP transfers refuse the main thread.
    auto saved = httptest::runJob<SaveResult>(
        [&](JobContext &ctx) { return registry.save(url, w.artifacts, ctx); });
    auto rule = checkWeightLayout(w.artifacts);
    QVERIFY(!rule);
    TFJS_COMPARE_ERROR(saved, ErrorCode::Weights, rule.error().message);
    QCOMPARE(saved.error().tensor, layout.tensor);
    QCOMPARE(saved.error().offset, layout.offset);
    // Nothing written, not even a temporary file; a store may have created its (empty)
    // database when it was opened.
    Tree after = snapshot(places);
    for (const char *database : { "store/tensorflowjs.sqlite", "store/localstorage.sqlite" })
        after.erase(QString::fromLatin1(database));
    QCOMPARE(after, before);
    if (url.startsWith(QStringLiteral("indexeddb:"))
        || url.startsWith(QStringLiteral("localstorage:"))) {
        auto loaded = httptest::runJob<ModelArtifacts>(
            [&](JobContext &ctx) { return registry.load(url, ctx); });
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().code, ErrorCode::NotFound);
    }
    QVERIFY(!listener.hasPendingConnections());
    QVERIFY(!listener.waitForNewConnection(0));
}

void TestWeightLayout::httpLoad()
{
    // Over HTTP a load with weights refuses the model as a local load does; `info` sees only
    // the shards' sizes (HEAD) and cannot walk string prefixes it never downloads.
    QFETCH(int, index);
    const BrokenLayout layout = brokenStringLayouts().at(std::size_t(index));
    QTemporaryDir tmp;
    const Written w = writeLayout(layout, tmp.path());
    httptest::FaultServer server;
    server.serve(QStringLiteral("/model.json"), readFile(w.json), "application/json");
    for (const WeightData::Segment &segment : w.artifacts.weightData.segments())
        server.serve(QLatin1Char('/') + segment.label, readFile(segment.file));
    const QString url = server.url(QStringLiteral("/model.json"));
    const auto load = [&url](const LoadOptions &options) {
        return httptest::runJob<ModelArtifacts>(
            [&](JobContext &ctx) { return loadModelOverHttp(url, {}, ctx, options); });
    };

    auto loaded = load({});
    const QString expected = expand(layout.model.message, tmp.path(), w.dir, url)
                                 .replace(w.dir + QLatin1Char('/'), QString());
    TFJS_COMPARE_ERROR(loaded, ErrorCode::Weights, expected);
    QCOMPARE(loaded.error().url, url);
    QCOMPARE(loaded.error().tensor, layout.tensor);
    QCOMPARE(loaded.error().offset, layout.offset);

    // `info` knows the shards by their URLs only.
    auto info = load(LoadOptions::withoutWeights());
    auto sizes = checkWeightSizes(*w.artifacts.weightSpecs, w.artifacts.weightData);
    QCOMPARE(info.has_value(), sizes.has_value());
    if (!info)
        QCOMPARE(info.error().message,
            expand(layout.model.message, tmp.path(), server.url(QString()), url));
}

void TestWeightLayout::stringsAcrossEveryCut()
{
    // Strings, a number and strings again, cut into shards at every byte and at every pair of
    // bytes: the prefixes are found wherever the shard boundaries fall.
    const std::vector<WeightSpec> specs = { spec(R"({"name":"s","shape":[3],"dtype":"string"})"),
        spec(R"({"name":"f","shape":[1],"dtype":"float32"})"),
        spec(R"({"name":"e","shape":[2],"dtype":"string"})"),
        spec(R"({"name":"z","shape":[0],"dtype":"string"})") };
    const QByteArray s = stringTensor({ "ab", "", "вес" });
    const QByteArray e = stringTensor({ "", "重み" });
    const QByteArray bytes = s + f32({ 0.5f }) + e;
    const WeightLayout expected
        = { { 0, s.size() }, { s.size(), 4 }, { s.size() + 4, e.size() }, { bytes.size(), 0 } };
    QTemporaryDir tmp;
    int checks = 0;
    for (qsizetype a = 0; a <= bytes.size(); ++a) {
        for (qsizetype b = a; b <= bytes.size(); b += (a % 5 == 0 ? 1 : bytes.size())) {
            WeightData data;
            const qsizetype cuts[] = { 0, a, b, bytes.size() };
            for (int k = 0; k < 3; ++k) {
                const QString file
                    = tmp.filePath(QStringLiteral("%1-%2-%3.bin").arg(a).arg(b).arg(k));
                writeFile(file, bytes.mid(cuts[k], cuts[k + 1] - cuts[k]));
                data.appendFile(file, 0, cuts[k + 1] - cuts[k], QString::number(k));
            }
            auto layout = checkWeightLayout(specs, data);
            TFJS_VERIFY_OK(layout);
            QCOMPARE(layout->size(), expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i) {
                QCOMPARE((*layout)[i].offset, expected[i].offset);
                QCOMPARE((*layout)[i].bytes, expected[i].bytes);
            }
            ++checks;
        }
    }
    QVERIFY(checks > bytes.size());
}

void TestWeightLayout::numericSpecsReadNothing()
{
    // Without string tensors the specs alone settle the layout: shards that do not even exist
    // are never opened.
    const std::vector<WeightSpec> specs = { spec(R"({"name":"a","shape":[2,3],"dtype":"float32"})"),
        spec(R"({"name":"b","shape":[3],"dtype":"int32"})") };
    WeightData data;
    data.appendFile(QStringLiteral("/nonexistent/a.bin"), 0, 30, QStringLiteral("a.bin"));
    data.appendFile(QStringLiteral("/nonexistent/b.bin"), 0, 6, QStringLiteral("b.bin"));
    auto layout = checkWeightLayout(specs, data);
    TFJS_VERIFY_OK(layout);
    QCOMPARE((*layout)[1].offset, 24);
    QCOMPARE((*layout)[1].bytes, 12);
}

void TestWeightLayout::unreadableStringShard()
{
    const std::vector<WeightSpec> specs = { spec(R"({"name":"s","shape":[1],"dtype":"string"})") };
    WeightData data;
    data.appendFile(QStringLiteral("/nonexistent/s.bin"), 0, 6, QStringLiteral("s.bin"));
    auto layout = checkWeightLayout(specs, data);
    QVERIFY(!layout);
    QCOMPARE(errorCodeName(layout.error().code), errorCodeName(ErrorCode::Io));
    QVERIFY2(layout.error().message.startsWith(
                 QStringLiteral("Cannot read weight file '/nonexistent/s.bin': ")),
        qPrintable(layout.error().message));
    QCOMPARE(layout.error().shard, QStringLiteral("s.bin"));
    QCOMPARE(layout.error().offset, 0);
}

void TestWeightLayout::sizesOnly()
{
    // What HTTP `info` can check from the shards' sizes alone: every layout whose sizes
    // already tell is refused with the full rule's message; the others pass.
    int refused = 0;
    for (const BrokenLayout &layout : brokenStringLayouts()) {
        QTemporaryDir tmp;
        const Written w = writeLayout(layout, tmp.path());
        auto sizes = checkWeightSizes(*w.artifacts.weightSpecs, w.artifacts.weightData, w.json);
        if (!sizes) {
            ++refused;
            QCOMPARE(
                sizes.error().message, expand(layout.model.message, tmp.path(), w.dir, w.json));
        }
    }
    QCOMPARE(refused, 1); // fewer bytes than the length prefixes
}

void TestWeightLayout::cancelled()
{
    const WeightData data = WeightData::fromBytes(stringTensor({ "a", "b" }));
    JobContext ctx;
    ctx.cancel();
    auto layout = checkWeightLayout(
        { spec(R"({"name":"s","shape":[2],"dtype":"string"})") }, data, {}, &ctx);
    QVERIFY(!layout);
    QVERIFY(layout.error().isCancelled());
}

void TestWeightLayout::invalidSpecsBuiltInCode()
{
    WeightSpec negative;
    negative.name = "n";
    negative.shape = { 2, -1 };
    TFJS_COMPARE_ERROR(checkWeightLayout({ negative }, WeightData::fromBytes("12345678")),
        ErrorCode::Format,
        QStringLiteral("Weight 'n' has an invalid shape: [2,-1] has a negative dimension."));
    WeightSpec huge;
    huge.name = "h";
    huge.shape = { std::int64_t(1) << 62 };
    TFJS_COMPARE_ERROR(checkWeightLayout({ huge }, WeightData()), ErrorCode::Format,
        QStringLiteral("Weight 'h' is too large: its 4611686018427387904 elements "
                       "take more than 2^63 - 1 bytes."));
}

void TestWeightLayout::emptyModels()
{
    TFJS_VERIFY_OK(checkWeightLayout({}, WeightData()));
    TFJS_VERIFY_OK(checkWeightLayout(ModelArtifacts {}));
    ModelArtifacts bytesWithoutSpecs;
    bytesWithoutSpecs.weightData = WeightData::fromBytes("abc", QStringLiteral("x.bin"));
    auto refused = checkWeightLayout(bytesWithoutSpecs);
    TFJS_COMPARE_ERROR(refused, ErrorCode::Weights,
        QStringLiteral("The weight data is too long: the specs list no tensors; the "
                       "data ends at byte 3, the end of the last shard, x.bin."));
    QCOMPARE(refused.error().offset, 0);
}

QTEST_GUILESS_MAIN(TestWeightLayout)
#include "tst_weightlayout.moc"

// file:// loads and saves (tfjs-node's NodeFileSystem, spec §4.6), through FileHandler.
#include "file/filehandler.h"
#include "base/job.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

using namespace tfjs;
using namespace tfjs::test;

namespace {

Result<ModelArtifacts> loadPath(const QString &path)
{
    JobContext ctx;
    return FileHandler(path).load(ctx);
}

Result<SaveResult> savePath(const QString &path, const ModelArtifacts &artifacts,
                            Existing existing = Existing::Refuse)
{
    JobContext ctx;
    FileHandler handler(path);
    handler.setExisting(existing);
    return handler.save(artifacts, ctx);
}

QByteArray allBytes(const ModelArtifacts &artifacts)
{
    auto bytes = artifacts.weightData.readAll();
    return bytes ? *bytes : QByteArray("<read error: ") + bytes.error().message.toUtf8() + '>';
}

QStringList specNames(const ModelArtifacts &artifacts)
{
    QStringList out;
    if (artifacts.weightSpecs) {
        for (const WeightSpec &spec : *artifacts.weightSpecs)
            out << u8(spec.name);
    }
    return out;
}

// Three tensors of 12, 20 and 7 bytes: a float32 [3], b int32 [5], c bool [7].
const char *const kThreeSpecs[] = {
    R"({"name":"a","shape":[3],"dtype":"float32"})",
    R"({"name":"b","shape":[5],"dtype":"int32"})",
    R"({"name":"c","shape":[7],"dtype":"bool"})",
};
constexpr int kThreeSizes[] = {12, 20, 7};

} // namespace

class TestFileHandler : public QObject
{
    Q_OBJECT

private slots:
    void loadShardLayouts_data();
    void loadShardLayouts();
    void loadNamedJson();
    void loadBareManifest();
    void loadKeepsTheJsonTextAsWritten();
    void loadFolderHoldingModelJson();
    void loadRefusesShardLinksLeavingTheFolder();
    void loadRefusesShardsThatAreNotFiles_data();
    void loadRefusesShardsThatAreNotFiles();
    void loadLayersModelMetadata();
    void loadGraphModelMetadata();
    void loadTopologyOnly();
    void loadDescribesShardsWithoutReading();
    void loadCancelled();

    void broken_data();
    void broken();
    void stringMinimumOverflows();
    void jsonOverOneGiB();

    void roundTripKeepsKeysInNodeOrder();
    void saveWritesModelJsonAndWeightsBin();
    void saveBytesFromMemory();
    void saveTopologyOnly();
    void saveInShards_data();
    void saveInShards();
    void overwriteReplacesOnlyTheModelFiles();
    void saveOntoFile();
    void saveOntoItsOwnFolder();
    void saveFailingMidwayChangesNothing_data();
    void saveFailingMidwayChangesNothing();
    void sourceReplacedAfterLoadSavesWhatWasLoaded();
    void saveIntoReadOnlyFolder();
    void cancelBeforeSave_data();
    void cancelBeforeSave();
    void cancelAfterWeightsWritten();
};

// ---------------------------------------------------------------- loading

void TestFileHandler::loadShardLayouts_data()
{
    // Tensors a, b, c go to the groups in order: tensorsPerGroup; each group's bytes are cut
    // into shards of the given sizes (cuts at odd bytes put a tensor across two files).
    QTest::addColumn<QList<int>>("tensorsPerGroup");
    QTest::addColumn<QList<QList<int>>>("shardSizes");
    QTest::newRow("1 group, 1 path") << QList<int>{3} << QList<QList<int>>{{39}};
    QTest::newRow("1 group, 2 paths split at byte 13")
        << QList<int>{3} << QList<QList<int>>{{13, 26}};
    QTest::newRow("1 group, 3 paths, 1-byte middle shard")
        << QList<int>{3} << QList<QList<int>>{{11, 1, 27}};
    QTest::newRow("2 groups, 1 path each") << QList<int>{2, 1} << QList<QList<int>>{{32}, {7}};
    QTest::newRow("2 groups, tensor a across two files")
        << QList<int>{2, 1} << QList<QList<int>>{{5, 27}, {7}};
    QTest::newRow("2 groups x 2 paths") << QList<int>{1, 2} << QList<QList<int>>{{7, 5}, {17, 10}};
    QTest::newRow("empty group") << QList<int>{3, 0} << QList<QList<int>>{{39}, {}};
}

void TestFileHandler::loadShardLayouts()
{
    QFETCH(QList<int>, tensorsPerGroup);
    QFETCH(QList<QList<int>>, shardSizes);
    QTemporaryDir tmp;
    const QByteArray data = pattern(39, 1);

    Json manifest = Json::array();
    std::vector<ShardFile> shards;
    QStringList allPaths;
    int tensor = 0;
    qint64 at = 0;
    for (qsizetype g = 0; g < tensorsPerGroup.size(); ++g) {
        Json group = Json::object();
        group["paths"] = Json::array();
        group["weights"] = Json::array();
        for (int t = 0; t < tensorsPerGroup[g]; ++t)
            group["weights"].push_back(j(kThreeSpecs[tensor++]));
        for (qsizetype s = 0; s < shardSizes[g].size(); ++s) {
            const QString path = QStringLiteral("group%1-shard%2of%3.bin")
                                     .arg(g + 1)
                                     .arg(s + 1)
                                     .arg(shardSizes[g].size());
            group["paths"].push_back(path.toStdString());
            shards.push_back({path, data.mid(at, shardSizes[g][s])});
            allPaths << path;
            at += shardSizes[g][s];
        }
        manifest.push_back(group);
    }
    QCOMPARE(at, data.size());
    Json json = smallModelJson({});
    json["weightsManifest"] = manifest;
    const QString jsonPath = writeModel(tmp.path(), compact(json), shards);

    auto loaded = loadPath(jsonPath);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(specNames(*loaded), (QStringList{QStringLiteral("a"), QStringLiteral("b"),
                                              QStringLiteral("c")}));
    QCOMPARE(allBytes(*loaded), data);
    QCOMPARE(loaded->weightData.size(), 39);
    QVERIFY(loaded->manifest.has_value());
    QCOMPARE(qsizetype(loaded->manifest->size()), tensorsPerGroup.size());
    QStringList labels;
    for (const auto &segment : loaded->weightData.segments())
        labels << segment.label;
    QCOMPARE(labels, allPaths);
    QCOMPARE(compact(loaded->format), compact(Json("layers-model")));
    QCOMPARE(compact(loaded->convertedBy), compact(Json(nullptr)));
    QCOMPARE(compact(loaded->modelTopology), compact(smallTopology()));
    // Byte ranges across shard boundaries come out of the right files.
    auto tensorB = loaded->weightData.readRange(kThreeSizes[0], kThreeSizes[1]);
    TFJS_VERIFY_OK(tensorB);
    QCOMPARE(*tensorB, data.mid(12, 20));
}

void TestFileHandler::loadNamedJson()
{
    // downloads:// style: <prefix>.json naming "./<prefix>.weights.bin".
    QTemporaryDir tmp;
    const QString jsonPath =
        writeModel(tmp.path(), compact(smallModelJson({QStringLiteral("./mymodel.weights.bin")})),
                   {{QStringLiteral("mymodel.weights.bin"), smallWeights()}},
                   QStringLiteral("mymodel.json"));
    writeFile(tmp.filePath(QStringLiteral("model.json")), "not this one");
    auto loaded = loadPath(jsonPath);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(allBytes(*loaded), smallWeights());
    QCOMPARE(loaded->manifest->front().paths, std::vector<std::string>{"./mymodel.weights.bin"});
    QCOMPARE(loaded->weightData.segments().front().userPath(),
             tmp.filePath(QStringLiteral("mymodel.weights.bin")));
}

void TestFileHandler::loadBareManifest()
{
    QTemporaryDir tmp;
    Json manifest = Json::array();
    manifest.push_back(Json::object());
    manifest[0]["paths"] = Json::array({"group1-shard1of2.bin", "group1-shard2of2.bin"});
    manifest[0]["weights"] = smallSpecs();
    const auto shards = splitShards(smallWeights(), {17});
    const QString jsonPath = writeModel(tmp.path(), compact(manifest), shards,
                                        QStringLiteral("x_weights_manifest.json"));
    auto loaded = loadPath(jsonPath);
    TFJS_VERIFY_OK(loaded);
    QVERIFY(!loaded->modelTopology.has_value());
    QVERIFY(!loaded->hasTopology());
    QVERIFY(!loaded->format.has_value());
    QCOMPARE(specNames(*loaded),
             (QStringList{QStringLiteral("dense/kernel"), QStringLiteral("dense/bias")}));
    QCOMPARE(allBytes(*loaded), smallWeights());
    // The file's bytes as read (the JSON tab shows them): a bare manifest stays an array.
    QCOMPARE(loaded->jsonText, readFile(jsonPath));
}

void TestFileHandler::loadKeepsTheJsonTextAsWritten()
{
    QTemporaryDir tmp;
    // Hand-written: its own spacing and key order, which no save reproduces.
    const QByteArray text = "{ \"weightsManifest\" : [ ],\n  \"modelTopology\": {\"node\": [ ]},\n"
                            "  \"format\": \"graph-model\" }\n";
    const QString jsonPath = writeModel(tmp.path(), text, {});
    auto loaded = loadPath(jsonPath);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(loaded->jsonText, text);
}

void TestFileHandler::loadFolderHoldingModelJson()
{
    QTemporaryDir tmp;
    writeSmallModel(tmp.path());
    for (const QString &path : QStringList{tmp.path(), tmp.path() + QLatin1Char('/')}) {
        auto loaded = loadPath(path);
        TFJS_VERIFY_OK(loaded);
        QCOMPARE(allBytes(*loaded), smallWeights());
        QCOMPARE(compact(loaded->modelTopology), compact(smallTopology()));
    }
}

void TestFileHandler::loadRefusesShardLinksLeavingTheFolder()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("model"));
    const QString json = writeModel(dir, compact(smallModelJson({QStringLiteral("weights.bin")})));
    const QString outside = tmp.filePath(QStringLiteral("secret.bin"));
    QVERIFY(writeFile(outside, smallWeights()));
    QVERIFY(QFile::link(outside, dir + QStringLiteral("/weights.bin")));
    auto loaded = loadPath(json);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::Format);
    QCOMPARE(loaded.error().message,
             QStringLiteral("Weight file %1/weights.bin is a link to %2, outside the model's folder "
                            "%1: refusing to read it.")
                 .arg(QFileInfo(dir).canonicalFilePath(), QFileInfo(outside).canonicalFilePath()));
    QCOMPARE(loaded.error().shard, QStringLiteral("weights.bin"));

    // A link to a file inside the folder is fine, as is a model folder reached through a link.
    QVERIFY(QFile::remove(dir + QStringLiteral("/weights.bin")));
    QVERIFY(writeFile(dir + QStringLiteral("/real.bin"), smallWeights()));
    QVERIFY(QFile::link(dir + QStringLiteral("/real.bin"), dir + QStringLiteral("/weights.bin")));
    const QString linkedDir = tmp.filePath(QStringLiteral("linked"));
    QVERIFY(QFile::link(dir, linkedDir));
    for (const QString &path : QStringList{json, linkedDir + QStringLiteral("/model.json")}) {
        auto ok = loadPath(path);
        TFJS_VERIFY_OK(ok);
        QCOMPARE(allBytes(*ok), smallWeights());
    }
}

void TestFileHandler::loadRefusesShardsThatAreNotFiles_data()
{
    QTest::addColumn<QString>("kind");
    // A folder: in the broken-model table.
    QTest::newRow("fifo") << QStringLiteral("a FIFO");
    QTest::newRow("link to /dev/zero") << QStringLiteral("a link to /dev/zero, a device");
}

void TestFileHandler::loadRefusesShardsThatAreNotFiles()
{
    // Not "does not exist": what the shard is, and nothing read (a FIFO would block, /dev/zero
    // never end).
    QFETCH(QString, kind);
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("model"));
    const QString json = writeModel(dir, compact(smallModelJson({QStringLiteral("weights.bin")})));
    const QString shard = dir + QStringLiteral("/weights.bin");
    if (kind == QLatin1String("a FIFO"))
        QCOMPARE(::mkfifo(QFile::encodeName(shard).constData(), 0600), 0);
    else
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), shard));
    auto loaded = loadPath(json);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::Format);
    QCOMPARE(loaded.error().message,
             QStringLiteral("Weight file %1 is %2, not a file: loading failed").arg(shard, kind));
    QCOMPARE(loaded.error().shard, QStringLiteral("weights.bin"));
}

void TestFileHandler::loadLayersModelMetadata()
{
    QTemporaryDir tmp;
    Json json = smallModelJson({QStringLiteral("weights.bin")});
    json["trainingConfig"] = j(R"({"loss":"meanSquaredError","metrics":["acc"],)"
                               R"("optimizer_config":{"class_name":"Adam","config":{"lr":0.001}}})");
    json["userDefinedMetadata"] = j(R"({"labels":["кошка","犬"],"nested":{"x":[1,2]}})");
    const QString path = writeModel(tmp.path(), compact(json),
                                    {{QStringLiteral("weights.bin"), smallWeights()}});
    auto loaded = loadPath(path);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(compact(loaded->trainingConfig), compact(json["trainingConfig"]));
    QCOMPARE(compact(loaded->userDefinedMetadata), compact(json["userDefinedMetadata"]));
    QCOMPARE(compact(loaded->generatedBy), compact(json["generatedBy"]));
    QVERIFY(!loaded->signature.has_value());
    QVERIFY(!loaded->modelInitializer.has_value());
    QVERIFY(loaded->extra.empty());
}

void TestFileHandler::loadGraphModelMetadata()
{
    QTemporaryDir tmp;
    const Json json = j(R"({"format":"graph-model","generatedBy":"2.15.0",)"
                        R"("convertedBy":"TensorFlow.js Converter v4.22.0",)"
                        R"("modelTopology":{"node":[{"name":"w","op":"Const","attr":{}},)"
                        R"({"name":"x","op":"Placeholder"}],"library":{},"versions":{"producer":1}},)"
                        R"("weightsManifest":[{"paths":["group1-shard1of1.bin"],)"
                        R"("weights":[{"name":"w","shape":[2,2],"dtype":"float32"}]}],)"
                        R"("signature":{"inputs":{"x:0":{"name":"x:0","dtype":"DT_FLOAT"}},"outputs":{}},)"
                        R"("modelInitializer":{"node":[{"name":"table","op":"HashTableV2"}]},)"
                        R"("initializerSignature":{"outputs":{"t:0":{"name":"t:0"}}}})");
    const QString path = writeModel(tmp.path(), compact(json),
                                    {{QStringLiteral("group1-shard1of1.bin"), sixteen()}});
    auto loaded = loadPath(path);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(compact(loaded->signature), compact(json["signature"]));
    QCOMPARE(compact(loaded->modelInitializer), compact(json["modelInitializer"]));
    QCOMPARE(compact(loaded->initializerSignature), compact(json["initializerSignature"]));
    QCOMPARE(compact(loaded->format), compact(Json("graph-model")));
    QCOMPARE(allBytes(*loaded), sixteen());
}

void TestFileHandler::loadTopologyOnly()
{
    QTemporaryDir tmp;
    Json json = Json::object();
    json["modelTopology"] = smallTopology();
    const QString path = writeModel(tmp.path(), compact(json));
    auto loaded = loadPath(path);
    TFJS_VERIFY_OK(loaded);
    QVERIFY(!loaded->weightSpecs.has_value());
    QVERIFY(!loaded->manifest.has_value());
    QVERIFY(loaded->weightData.isEmpty());
}

void TestFileHandler::loadDescribesShardsWithoutReading()
{
    // info must not read weight bytes: the shards come back as file ranges, not bytes.
    QTemporaryDir tmp;
    const auto shards = splitShards(smallWeights(), {10, 21});
    QStringList paths;
    for (const ShardFile &shard : shards)
        paths << shard.path;
    const QString jsonPath = writeModel(tmp.path(), compact(smallModelJson(paths)), shards);
    auto loaded = loadPath(jsonPath);
    TFJS_VERIFY_OK(loaded);
    const auto &segments = loaded->weightData.segments();
    QCOMPARE(segments.size(), std::size_t(3));
    const qint64 sizes[] = {10, 11, 15};
    for (std::size_t i = 0; i < segments.size(); ++i) {
        QCOMPARE(segments[i].userPath(), tmp.filePath(paths[qsizetype(i)]));
        QCOMPARE(segments[i].offset, 0);
        QCOMPARE(segments[i].size, sizes[i]);
        QVERIFY(segments[i].bytes.isEmpty());
    }
}

void TestFileHandler::loadCancelled()
{
    QTemporaryDir tmp;
    const QString jsonPath = writeSmallModel(tmp.path());
    JobContext ctx;
    ctx.cancel();
    auto loaded = FileHandler(jsonPath).load(ctx);
    TFJS_COMPARE_ERROR(loaded, ErrorCode::Cancelled, QStringLiteral("Cancelled."));
}

// ---------------------------------------------------------------- broken input

void TestFileHandler::broken_data()
{
    QTest::addColumn<int>("index");
    const auto models = brokenModels();
    for (std::size_t i = 0; i < models.size(); ++i)
        QTest::newRow(models[i].name) << int(i);
}

void TestFileHandler::broken()
{
    QFETCH(int, index);
    const BrokenModel model = brokenModels().at(std::size_t(index));
    QTemporaryDir tmp;
    const QString root = tmp.path();
    const QString dir = root + QStringLiteral("/model");
    const QString target = writeBrokenModel(model, root);
    const Tree before = snapshot(root);

    AccessWatch outside(root + QStringLiteral("/outside.bin"));
    QVERIFY(outside.isValid());

    QElapsedTimer timer;
    timer.start();
    auto loaded = loadPath(target);
    // Huge shapes and deep nesting fail fast: no allocation or walk sized by the claim.
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));

    QString expected = expand(model.message, root, dir, target);
    if (model.code == ErrorCode::Parse) {
        const QByteArray text = readFile(target);
        auto parsed = parseJson(std::string_view(text.constData(), std::size_t(text.size())), target);
        QVERIFY(!parsed);
        expected = parsed.error().message;
        QVERIFY2(expected.startsWith(QStringLiteral("Invalid JSON in %1 at byte ").arg(target)),
                 qPrintable(expected));
    }
    TFJS_COMPARE_ERROR(loaded, model.code, expected);
    if (model.code == ErrorCode::Parse)
        QVERIFY(loaded.error().offset >= 0);
    QVERIFY(!loaded.error().path.isEmpty());

    QVERIFY2(!outside.touched(), "a file outside the model folder was opened");
    QCOMPARE(snapshot(root), before); // loading writes nothing
    // The watch is live: reading the file now is seen.
    QVERIFY(!readFile(root + QStringLiteral("/outside.bin")).isEmpty());
    QVERIFY(outside.touched());
}

void TestFileHandler::stringMinimumOverflows()
{
    // 2^62 strings need at least 2^64 bytes of length prefixes: far more than 16 bytes, even
    // though 4 * 2^62 does not fit in 64 bits.
    QTemporaryDir tmp;
    const QString jsonPath = writeModel(
        tmp.path(), oneWeight(R"({"name":"w","shape":[2147483648,2147483648],"dtype":"string"})"),
        {{QStringLiteral("w.bin"), sixteen()}});
    auto loaded = loadPath(jsonPath);
    QVERIFY2(!loaded, "a string tensor of 2^62 elements loaded from 16 bytes");
    QCOMPARE(errorCodeName(loaded.error().code), errorCodeName(ErrorCode::Weights));
    QCOMPARE(loaded.error().tensor, QStringLiteral("w"));
    QVERIFY2(loaded.error().message.startsWith(
                 QStringLiteral("The weight files of %1 are too short: string tensor 'w' starts "
                                "at byte 0 and needs at least ")
                     .arg(jsonPath)),
             qPrintable(loaded.error().message));
}

void TestFileHandler::jsonOverOneGiB()
{
    // A sparse file: refused by its size, before any of it is read.
    QTemporaryDir tmp;
    const QString jsonPath = tmp.filePath(QStringLiteral("model.json"));
    writeFile(jsonPath, "{");
    QVERIFY(QFile::resize(jsonPath, (qint64(1) << 30) + 1));
    TFJS_COMPARE_ERROR(loadPath(jsonPath), ErrorCode::Format,
                       QStringLiteral("%1 is 1073741825 bytes; model JSON files over 1 GiB are "
                                      "refused.")
                           .arg(jsonPath));
}

// ---------------------------------------------------------------- saving

void TestFileHandler::roundTripKeepsKeysInNodeOrder()
{
    // Python-style JSON with the keys scrambled, unknown top-level and spec keys, and values
    // that JSON.stringify writes differently (1.0, 1e-07, \u escapes).
    const QByteArray input =
        R"({"format": "graph-model", "x_custom": {"a": 1.0}, "weightsManifest": [)"
        R"({"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"], "weights": [)"
        R"({"dtype": "float32", "shape": [2, 3], "name": "\u0432\u0435\u0441/\u044f\u0434\u0440\u043e", "x_spec_note": "keep me"}]}, )"
        R"({"paths": ["group2-shard1of1.bin"], "weights": [{"name": "bias", "shape": [3], "dtype": "int32", )"
        R"("quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.1, "original_dtype": "int32"}}]}], )"
        R"("userDefinedMetadata": {"k": [1, 2.5, 1e-07]}, "initializerSignature": {"outputs": {}}, )"
        R"("modelInitializer": {"node": []}, "convertedBy": "TensorFlow.js Converter v4.22.0", )"
        R"("signature": {"inputs": {}}, "generatedBy": "2.15.0", "trainingConfig": null, )"
        R"("modelTopology": {"node": [{"name": "x", "op": "Placeholder"}], "versions": {"producer": 1}}, )"
        R"("x_later": [true, null]})";
    // What tfjs-node would write (modelTopology, weightsManifest, format, generatedBy,
    // convertedBy, trainingConfig, signature, userDefinedMetadata), then the initializer keys it
    // would drop and the unknown keys in file order. Null trainingConfig is dropped.
    const QByteArray expected =
        R"({"modelTopology":{"node":[{"name":"x","op":"Placeholder"}],"versions":{"producer":1}},)"
        R"("weightsManifest":[{"paths":["weights.bin"],"weights":[)"
        R"({"dtype":"float32","shape":[2,3],"name":"вес/ядро","x_spec_note":"keep me"},)"
        R"({"name":"bias","shape":[3],"dtype":"int32","quantization":{"dtype":"uint8","min":-1,"scale":0.1,"original_dtype":"int32"}}]}],)"
        R"("format":"graph-model","generatedBy":"2.15.0","convertedBy":"TensorFlow.js Converter v4.22.0",)"
        R"("signature":{"inputs":{}},"userDefinedMetadata":{"k":[1,2.5,1e-7]},)"
        R"("modelInitializer":{"node":[]},"initializerSignature":{"outputs":{}},)"
        R"("x_custom":{"a":1},"x_later":[true,null]})";
    const QByteArray data = pattern(27, 5); // 24 bytes of float32 + 3 bytes of uint8
    QTemporaryDir tmp;
    const QString source = writeModel(tmp.filePath(QStringLiteral("src")), input,
                                      {{QStringLiteral("group1-shard1of2.bin"), data.left(11)},
                                       {QStringLiteral("group1-shard2of2.bin"), data.mid(11, 13)},
                                       {QStringLiteral("group2-shard1of1.bin"), data.mid(24)}});
    auto loaded = loadPath(source);
    TFJS_VERIFY_OK(loaded);
    const QString out = tmp.filePath(QStringLiteral("out"));
    auto saved = savePath(out, *loaded);
    TFJS_VERIFY_OK(saved);
    QCOMPARE(readFile(out + QStringLiteral("/model.json")), expected);
    QCOMPARE(readFile(out + QStringLiteral("/weights.bin")), data);

    // Saving what was saved gives the same bytes again.
    auto reloaded = loadPath(out);
    TFJS_VERIFY_OK(reloaded);
    const QString again = tmp.filePath(QStringLiteral("again"));
    TFJS_VERIFY_OK(savePath(again, *reloaded));
    QCOMPARE(readFile(again + QStringLiteral("/model.json")), expected);
    QCOMPARE(readFile(again + QStringLiteral("/weights.bin")), data);
}

void TestFileHandler::saveWritesModelJsonAndWeightsBin()
{
    QTemporaryDir tmp;
    const auto shards = splitShards(smallWeights(), {7, 23});
    QStringList paths;
    for (const ShardFile &shard : shards)
        paths << shard.path;
    const QString source =
        writeModel(tmp.filePath(QStringLiteral("src")), compact(smallModelJson(paths)), shards);
    auto loaded = loadPath(source);
    TFJS_VERIFY_OK(loaded);

    const QString out = tmp.filePath(QStringLiteral("new/nested/out")); // parents are created
    auto saved = savePath(out, *loaded);
    TFJS_VERIFY_OK(saved);
    QCOMPARE(listing(out), (QStringList{QStringLiteral("model.json"), QStringLiteral("weights.bin")}));
    QCOMPARE(saved->files, (QStringList{out + QStringLiteral("/weights.bin"),
                                        out + QStringLiteral("/model.json")}));
    QCOMPARE(readFile(out + QStringLiteral("/weights.bin")), smallWeights());

    const Json written = j(readFile(out + QStringLiteral("/model.json")).toStdString());
    Json expected = smallModelJson({QStringLiteral("weights.bin")});
    // Node order: modelTopology, weightsManifest, format, generatedBy, convertedBy.
    Json ordered = Json::object();
    for (const char *key :
         {"modelTopology", "weightsManifest", "format", "generatedBy", "convertedBy"})
        ordered[key] = expected[key];
    QCOMPARE(compact(written), compact(ordered));
    QCOMPARE(compact(written["weightsManifest"][0]["paths"]), QByteArray(R"(["weights.bin"])"));

    const ModelArtifactsInfo &info = saved->modelArtifactsInfo;
    QCOMPARE(info.modelTopologyType, QStringLiteral("JSON"));
    QCOMPARE(info.modelTopologyBytes, compact(smallTopology()).size());
    QCOMPARE(info.weightSpecsBytes, compact(smallSpecs()).size());
    QCOMPARE(info.weightDataBytes, smallWeights().size());
    QVERIFY(info.dateSaved.isValid());
    QVERIFY(qAbs(info.dateSaved.secsTo(QDateTime::currentDateTimeUtc())) < 60);
}

void TestFileHandler::saveBytesFromMemory()
{
    QTemporaryDir tmp;
    ModelArtifacts artifacts;
    artifacts.modelTopology = smallTopology();
    auto manifest = parseWeightsManifest(
        Json::array({Json{{"paths", Json::array({"x.bin"})}, {"weights", smallSpecs()}}}),
        QStringLiteral("test"));
    TFJS_VERIFY_OK(manifest);
    artifacts.weightSpecs = flatSpecs(*manifest);
    artifacts.weightData.appendBytes(smallWeights().left(5), QStringLiteral("one"));
    artifacts.weightData.appendBytes(smallWeights().mid(5), QStringLiteral("two"));
    const QString out = tmp.filePath(QStringLiteral("out"));
    TFJS_VERIFY_OK(savePath(out, artifacts));
    QCOMPARE(readFile(out + QStringLiteral("/weights.bin")), smallWeights());
    auto loaded = loadPath(out);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(allBytes(*loaded), smallWeights());
}

void TestFileHandler::saveInShards_data()
{
    QTest::addColumn<qint64>("shardSize");
    QTest::addColumn<QList<int>>("sizes");
    QTest::newRow("one shard") << qint64(36) << QList<int>{36};
    QTest::newRow("cut inside tensors") << qint64(10) << QList<int>{10, 10, 10, 6};
    QTest::newRow("bigger than the data") << qint64(4 << 20) << QList<int>{36};
}

void TestFileHandler::saveInShards()
{
    // The converter's layout: group1-shardIofK.bin of shardSize bytes, the last the rest.
    QFETCH(qint64, shardSize);
    QFETCH(QList<int>, sizes);
    QTemporaryDir tmp;
    auto source = loadPath(writeSmallModel(tmp.filePath(QStringLiteral("src"))));
    TFJS_VERIFY_OK(source);
    const QString out = tmp.filePath(QStringLiteral("out"));
    JobContext ctx;
    FileHandler handler(out);
    handler.setShardSize(shardSize);
    auto saved = handler.save(*source, ctx);
    TFJS_VERIFY_OK(saved);
    QStringList names;
    QByteArray joinedShards;
    for (int i = 0; i < sizes.size(); ++i) {
        names << QStringLiteral("group1-shard%1of%2.bin").arg(i + 1).arg(sizes.size());
        const QByteArray bytes = readFile(out + QLatin1Char('/') + names.back());
        QCOMPARE(bytes.size(), sizes[i]);
        joinedShards += bytes;
    }
    QCOMPARE(joinedShards, smallWeights());
    QCOMPARE(listing(out), QStringList(names) << QStringLiteral("model.json"));
    auto loaded = loadPath(out);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(loaded->manifest->front().paths.size(), std::size_t(sizes.size()));
    QCOMPARE(allBytes(*loaded), smallWeights());
}

void TestFileHandler::saveTopologyOnly()
{
    // No weights manifest: only model.json (tfjs-node would throw on the missing weightData).
    QTemporaryDir tmp;
    ModelArtifacts artifacts;
    artifacts.modelTopology = smallTopology();
    artifacts.format = Json("layers-model");
    const QString out = tmp.filePath(QStringLiteral("out"));
    auto saved = savePath(out, artifacts);
    TFJS_VERIFY_OK(saved);
    QCOMPARE(listing(out), QStringList{QStringLiteral("model.json")});
    QCOMPARE(readFile(out + QStringLiteral("/model.json")),
             QByteArray(R"({"modelTopology":)") + compact(smallTopology())
                 + R"(,"format":"layers-model"})");
    QCOMPARE(saved->modelArtifactsInfo.weightSpecsBytes, 0);
    QCOMPARE(saved->modelArtifactsInfo.weightDataBytes, 0);
}

void TestFileHandler::overwriteReplacesOnlyTheModelFiles()
{
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("out"));
    writeModel(out, "{\"old\":true}",
               {{QStringLiteral("weights.bin"), "old weights"},
                {QStringLiteral("notes.txt"), "keep me"},
                {QStringLiteral("group1-shard1of1.bin"), "old shard"},
                {QStringLiteral("sub/x.bin"), "nested"}});
    Tree expected = snapshot(out);
    const QString source = writeSmallModel(tmp.filePath(QStringLiteral("src")));
    auto loaded = loadPath(source);
    TFJS_VERIFY_OK(loaded);
    TFJS_VERIFY_OK(savePath(out, *loaded, Existing::Replace));

    expected[QStringLiteral("weights.bin")] = smallWeights();
    expected[QStringLiteral("model.json")] = readFile(out + QStringLiteral("/model.json"));
    QCOMPARE(snapshot(out), expected);
    QCOMPARE(compact(j(expected[QStringLiteral("model.json")].toStdString())["weightsManifest"]),
             compact(smallModelJson({QStringLiteral("weights.bin")})["weightsManifest"]));
}

void TestFileHandler::saveOntoFile()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("plain.txt"));
    writeFile(file, "a file");
    const QString source = writeSmallModel(tmp.filePath(QStringLiteral("src")));
    auto loaded = loadPath(source);
    TFJS_VERIFY_OK(loaded);
    const Tree before = snapshot(tmp.path());
    auto saved = savePath(file, *loaded);
    TFJS_COMPARE_ERROR(saved, ErrorCode::Exists,
                       QStringLiteral("Path %1 exists as a file. The path must be nonexistent or "
                                      "point to a directory.")
                           .arg(file));
    QCOMPARE(saved.error().path, file);
    QCOMPARE(snapshot(tmp.path()), before);
}

void TestFileHandler::saveOntoItsOwnFolder()
{
    // The writes go to temporary files first, so a model can be saved over the shards it is
    // being read from.
    QTemporaryDir tmp;
    writeModel(tmp.path(), compact(smallModelJson({QStringLiteral("weights.bin")})),
               {{QStringLiteral("weights.bin"), smallWeights()}});
    auto loaded = loadPath(tmp.path());
    TFJS_VERIFY_OK(loaded);
    TFJS_VERIFY_OK(savePath(tmp.path(), *loaded, Existing::Replace));
    QCOMPARE(readFile(tmp.filePath(QStringLiteral("weights.bin"))), smallWeights());
    QCOMPARE(listing(tmp.path()), (QStringList{QStringLiteral("model.json"), QStringLiteral("weights.bin")}));
    auto again = loadPath(tmp.path());
    TFJS_VERIFY_OK(again);
    QCOMPARE(allBytes(*again), smallWeights());
}

void TestFileHandler::saveFailingMidwayChangesNothing_data()
{
    QTest::addColumn<int>("shard");       // which of the two source shards, shortened after loading
    QTest::addColumn<bool>("existing");   // the destination holds an older model
    for (bool existing : {false, true}) {
        const char *where = existing ? ", existing destination" : ", new destination";
        QTest::addRow("second shard shortened%s", where) << 1 << existing;
        QTest::addRow("first shard shortened%s", where) << 0 << existing;
    }
}

void TestFileHandler::saveFailingMidwayChangesNothing()
{
    QFETCH(int, shard);
    QFETCH(bool, existing);
    QTemporaryDir tmp;
    const auto shards = splitShards(smallWeights(), {19});
    const QString source = writeModel(
        tmp.filePath(QStringLiteral("src")),
        compact(smallModelJson({shards[0].path, shards[1].path})), shards);
    auto loaded = loadPath(source);
    TFJS_VERIFY_OK(loaded);

    const QString out = tmp.filePath(existing ? QStringLiteral("out") : QStringLiteral("out/a/b"));
    if (existing)
        writeModel(out, "{\"old\":1}", {{QStringLiteral("weights.bin"), "old weights"},
                                        {QStringLiteral("other.txt"), "other"}});
    const Tree before = snapshot(tmp.filePath(QStringLiteral("out")));

    const QString shardFile = tmp.filePath(QStringLiteral("src/") + shards[std::size_t(shard)].path);
    const qint64 shardSize = shards[std::size_t(shard)].bytes.size();
    QVERIFY(QFile::resize(shardFile, 4));
    const QString expected =
        QStringLiteral("Cannot read weight file '%1': the file ends at byte 4, %2 bytes expected")
            .arg(shardFile)
            .arg(shardSize);
    auto saved = savePath(out, *loaded, Existing::Replace);
    QVERIFY(!saved);
    QCOMPARE(errorCodeName(saved.error().code), errorCodeName(ErrorCode::Io));
    QCOMPARE(saved.error().message, expected);
    QCOMPARE(saved.error().path, shardFile);
    QCOMPARE(snapshot(tmp.filePath(QStringLiteral("out"))), before);
    QCOMPARE(tempFiles(tmp.path()), QStringList());
}

void TestFileHandler::sourceReplacedAfterLoadSavesWhatWasLoaded()
{
    // A load holds its weight files open: removing a shard, putting a folder in its place or
    // replacing a shard by another file after the load changes nothing of what a save of it
    // writes (a file changed in place would).
    QTemporaryDir tmp;
    const auto shards = splitShards(smallWeights(), {19});
    const QString source = writeModel(tmp.filePath(QStringLiteral("src")),
                                      compact(smallModelJson({shards[0].path, shards[1].path})), shards);
    auto loaded = loadPath(source);
    TFJS_VERIFY_OK(loaded);
    QVERIFY(QFile::remove(tmp.filePath(QStringLiteral("src/") + shards[1].path)));
    QVERIFY(QDir().mkdir(tmp.filePath(QStringLiteral("src/") + shards[1].path)));
    QByteArray other = smallWeights();
    std::reverse(other.begin(), other.end());
    // Replaced as saves replace files: a new file renamed over the old one.
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("new")), other.left(shards[0].bytes.size())));
    QCOMPARE(::rename(QFile::encodeName(tmp.filePath(QStringLiteral("new"))).constData(),
                      QFile::encodeName(tmp.filePath(QStringLiteral("src/") + shards[0].path)).constData()),
             0);

    const QString out = tmp.filePath(QStringLiteral("out"));
    auto saved = savePath(out, *loaded, Existing::Refuse);
    TFJS_VERIFY_OK(saved);
    auto copy = loadPath(out);
    TFJS_VERIFY_OK(copy);
    QCOMPARE(allBytes(*copy), smallWeights());
}

void TestFileHandler::saveIntoReadOnlyFolder()
{
    if (::geteuid() == 0)
        QSKIP("Running as root, which may write into a 0555 folder; the shortened-source rows "
              "of saveFailingMidwayChangesNothing cover the failed-save path.");
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("out"));
    writeModel(out, "{\"old\":1}", {{QStringLiteral("weights.bin"), "old weights"}});
    const Tree before = snapshot(out);
    QVERIFY(::chmod(QFile::encodeName(out).constData(), 0555) == 0);
    auto loaded = loadPath(writeSmallModel(tmp.filePath(QStringLiteral("src"))));
    TFJS_VERIFY_OK(loaded);
    auto saved = savePath(out, *loaded, Existing::Replace);
    ::chmod(QFile::encodeName(out).constData(), 0755);
    QVERIFY(!saved);
    QCOMPARE(errorCodeName(saved.error().code), errorCodeName(ErrorCode::Io));
    QCOMPARE(snapshot(out), before);
}

void TestFileHandler::cancelBeforeSave_data()
{
    QTest::addColumn<bool>("existing");
    QTest::addColumn<bool>("weights");
    QTest::newRow("new destination") << false << true;
    QTest::newRow("existing destination") << true << true;
    QTest::newRow("topology only, new destination") << false << false;
    QTest::newRow("topology only, existing destination") << true << false;
}

void TestFileHandler::cancelBeforeSave()
{
    QFETCH(bool, existing);
    QFETCH(bool, weights);
    QTemporaryDir tmp;
    auto loaded = loadPath(writeSmallModel(tmp.filePath(QStringLiteral("src"))));
    TFJS_VERIFY_OK(loaded);
    if (!weights) {
        loaded->weightSpecs.reset();
        loaded->manifest.reset();
        loaded->weightData = {};
    }
    const QString out = tmp.filePath(QStringLiteral("out"));
    if (existing)
        writeModel(out, "{\"old\":1}", {{QStringLiteral("weights.bin"), "old weights"}});
    const Tree before = snapshot(out);
    JobContext ctx;
    ctx.cancel();
    FileHandler handler(out);
    handler.setExisting(Existing::Replace);
    auto saved = handler.save(*loaded, ctx);
    TFJS_COMPARE_ERROR(saved, ErrorCode::Cancelled, QStringLiteral("Cancelled."));
    QCOMPARE(snapshot(out), before);
    QCOMPARE(tempFiles(tmp.path()), QStringList());
}

void TestFileHandler::cancelAfterWeightsWritten()
{
    QTemporaryDir tmp;
    auto loaded = loadPath(writeSmallModel(tmp.filePath(QStringLiteral("src"))));
    TFJS_VERIFY_OK(loaded);
    const QString out = tmp.filePath(QStringLiteral("out"));
    writeModel(out, "{\"old\":1}", {{QStringLiteral("weights.bin"), "old weights"}});
    const Tree before = snapshot(out);
    JobContext *self = nullptr;
    qint64 seen = 0;
    JobContext ctx([&self, &seen](const Progress &progress) {
        seen = std::max(seen, progress.bytesDone);
        if (progress.bytesTotal > 0 && progress.bytesDone >= progress.bytesTotal)
            self->cancel(); // all weight bytes are in the temporary file
    });
    self = &ctx;
    FileHandler handler(out);
    handler.setExisting(Existing::Replace);
    auto saved = handler.save(*loaded, ctx);
    TFJS_COMPARE_ERROR(saved, ErrorCode::Cancelled, QStringLiteral("Cancelled."));
    QCOMPARE(seen, smallWeights().size());
    QCOMPARE(snapshot(out), before);
    QCOMPARE(tempFiles(tmp.path()), QStringList());
}

QTEST_GUILESS_MAIN(TestFileHandler)
#include "tst_filehandler.moc"

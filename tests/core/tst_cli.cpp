// tfjs-model: verbs info, validate and copy, in-process through tfjs::cli::run and as the real
// binary (exit codes 0 success, 1 failure, 2 usage).
#include "clirun.h"
#include "file/filehandler.h"
#include "schemes/schemes.h"
#include "storetestdata.h"
#include "testutil.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace tfjs;
using namespace tfjs::test;

namespace {

QString binary()
{
    return QStringLiteral(TFJS_BIN_DIR "/tfjs-model");
}

QStringList verbNames()
{
    QStringList names;
    for (const cli::Command &command : cli::commands())
        names << command.name;
    return names;
}

QString str(const Json &value)
{
    return value.is_string() ? u8(value.get<std::string>()) : QStringLiteral("<not a string>");
}

Error loadError(const QString &path)
{
    JobContext ctx;
    auto loaded = FileHandler(path).load(ctx);
    return loaded ? Error{} : loaded.error();
}

// The small model with its weights in two shards (17 + 19 bytes); returns the folder.
QString writeTwoShardModel(const QString &dir)
{
    const auto shards = splitShards(smallWeights(), {17});
    writeModel(dir, compact(smallModelJson({shards[0].path, shards[1].path})), shards);
    return dir;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void noArguments();
    void globalHelp_data();
    void globalHelp();
    void helpForVerb();
    void verbHelp_data();
    void verbHelp();
    void unknownVerb();
    void wrongArgumentCount_data();
    void wrongArgumentCount();
    void unknownOption();

    void infoText();
    void infoJson();
    void infoJsonGraphModel();
    void infoJsonWeightsOnly();
    void infoReadsNoWeightBytes();
    void infoMissing();

    void validateOk();
    void validateNotes();
    void validateProblems();
    void validateMissing();
    void validateChangedStoreBlob();

    void copy_data();
    void copy();
    void copyJson();
    void copyOntoExistingModel();
    void copyOntoItself_data();
    void copyOntoItself();
    void copyBroken_data();
    void copyBroken();
    void copyOntoFile();
    void copyUnknownScheme();

    void binaryExitCodes_data();
    void binaryExitCodes();
    void binaryVersion();

private:
    QTemporaryDir m_store;
};

void TestCli::initTestCase()
{
    // Keep the stores of the default registry out of the user's data folder.
    QVERIFY(m_store.isValid());
    qputenv("TFJS_STORE_DIR", QFile::encodeName(m_store.path()));
}

// ---------------------------------------------------------------- usage

void TestCli::noArguments()
{
    const CliRun run = runCli({});
    QCOMPARE(run.code, 2);
    QVERIFY2(run.err.startsWith(QStringLiteral("Usage: tfjs-model VERB")), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

void TestCli::globalHelp_data()
{
    QTest::addColumn<QString>("arg");
    QTest::newRow("--help") << QStringLiteral("--help");
    QTest::newRow("-h") << QStringLiteral("-h");
    QTest::newRow("help") << QStringLiteral("help");
}

void TestCli::globalHelp()
{
    QFETCH(QString, arg);
    const CliRun run = runCli({arg});
    QCOMPARE(run.code, 0);
    QVERIFY2(run.out.startsWith(QStringLiteral("Usage: tfjs-model VERB [options] ARGS...\n")),
             qPrintable(run.out));
    for (const QString &verb : verbNames())
        QVERIFY2(run.out.contains(QStringLiteral("\n  ") + verb + QLatin1Char(' ')), qPrintable(verb));
    QVERIFY(run.out.contains(QStringLiteral("Exit status: 0 success, 1 failure")));
    QVERIFY(run.err.isEmpty());
}

void TestCli::helpForVerb()
{
    const CliRun run = runCli({QStringLiteral("help"), QStringLiteral("copy")});
    QCOMPARE(run.code, 0);
    QVERIFY2(run.out.startsWith(QStringLiteral("Usage: tfjs-model copy [options] SRC DST")),
             qPrintable(run.out));
}

void TestCli::verbHelp_data()
{
    QTest::addColumn<QString>("verb");
    for (const QString &verb : verbNames())
        QTest::newRow(qPrintable(verb)) << verb;
    QVERIFY(verbNames().contains(QStringLiteral("info")));
    QVERIFY(verbNames().contains(QStringLiteral("validate")));
    QVERIFY(verbNames().contains(QStringLiteral("copy")));
}

void TestCli::verbHelp()
{
    QFETCH(QString, verb);
    for (const QString &flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
        const CliRun run = runCli({verb, flag});
        QCOMPARE(run.code, 0);
        QVERIFY2(run.out.startsWith(QStringLiteral("Usage: tfjs-model %1 [options]").arg(verb)),
                 qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral("Global options (any verb):")));
        QVERIFY(run.err.isEmpty());
    }
}

void TestCli::unknownVerb()
{
    const CliRun run = runCli({QStringLiteral("frob"), QStringLiteral("x")});
    QCOMPARE(run.code, 2);
    QVERIFY2(run.err.startsWith(QStringLiteral("tfjs-model: unknown verb 'frob'.\n\nUsage: tfjs-model VERB")),
             qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

void TestCli::wrongArgumentCount_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString info = QStringLiteral("info takes one URL.");
    const QString validate = QStringLiteral("validate takes one URL.");
    const QString copy = QStringLiteral("copy takes SRC and DST.");
    QTest::newRow("info, none") << QStringList{QStringLiteral("info")} << info;
    QTest::newRow("info, two") << QStringList{QStringLiteral("info"), QStringLiteral("a"), QStringLiteral("b")} << info;
    QTest::newRow("info --json, none") << QStringList{QStringLiteral("info"), QStringLiteral("--json")} << info;
    QTest::newRow("validate, none") << QStringList{QStringLiteral("validate")} << validate;
    QTest::newRow("validate, two")
        << QStringList{QStringLiteral("validate"), QStringLiteral("a"), QStringLiteral("b")} << validate;
    QTest::newRow("copy, none") << QStringList{QStringLiteral("copy")} << copy;
    QTest::newRow("copy, one") << QStringList{QStringLiteral("copy"), QStringLiteral("a")} << copy;
    QTest::newRow("copy, three")
        << QStringList{QStringLiteral("copy"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}
        << copy;
}

void TestCli::wrongArgumentCount()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QCOMPARE(run.code, 2);
    const QString expected = QStringLiteral("tfjs-model: ") + message + QStringLiteral("\n\nUsage: tfjs-model ")
                             + args.front() + QStringLiteral(" [options]");
    QVERIFY2(run.err.startsWith(expected), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

void TestCli::unknownOption()
{
    const CliRun run = runCli({QStringLiteral("info"), QStringLiteral("--bogus"), QStringLiteral("x")});
    QCOMPARE(run.code, 2);
    // Every message tfjs-model prints on stderr starts with "tfjs-model: ".
    QVERIFY2(run.err.startsWith(QStringLiteral("tfjs-model: ")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("Unknown option 'bogus'.")), qPrintable(run.err));
    QVERIFY(run.err.contains(QStringLiteral("Usage: tfjs-model info [options]")));
    QVERIFY(run.out.isEmpty());
}

// ---------------------------------------------------------------- info

void TestCli::infoText()
{
    QTemporaryDir tmp;
    const QString model = writeTwoShardModel(tmp.path());
    const CliRun run = runCli({QStringLiteral("info"), model});
    QCOMPARE(run.code, 0);
    QVERIFY(run.err.isEmpty());
    const QString expected =
        QStringLiteral("model:          %1\n"
                       "format:         layers-model\n"
                       "generatedBy:    TensorFlow.js tfjs-layers v4.22.0\n"
                       "convertedBy:    null\n"
                       "topology:       Sequential, 1 layers\n"
                       "tensors:        2\n"
                       "parameters:     9 (float32 6, int32 3)\n"
                       "weights:        1 groups, 2 shards, 36 bytes (36 B)\n"
                       "  group 1: group1-shard1of2.bin  17 bytes\n"
                       "  group 1: group1-shard2of2.bin  19 bytes\n"
                       "artifacts info: modelTopologyBytes=%2 weightSpecsBytes=%3 weightDataBytes=36\n")
            .arg(model)
            .arg(compact(smallTopology()).size())
            .arg(compact(smallSpecs()).size());
    QCOMPARE(run.out, expected);
}

void TestCli::infoJson()
{
    QTemporaryDir tmp;
    const QString model = writeTwoShardModel(tmp.path());
    const CliRun run = runCli({QStringLiteral("info"), QStringLiteral("--json"), model});
    QCOMPARE(run.code, 0);
    QVERIFY(run.err.isEmpty());
    Json json = j(run.out.toStdString());
    QCOMPARE(str(json["url"]), model);
    QCOMPARE(str(json["format"]), QStringLiteral("layers-model"));
    QCOMPARE(json["formatDeclared"].get<bool>(), true);
    QCOMPARE(compact(json["generatedBy"]), QByteArray(R"("TensorFlow.js tfjs-layers v4.22.0")"));
    QVERIFY(json["convertedBy"].is_null());
    QCOMPARE(str(json["topology"]), QStringLiteral("Sequential"));
    QCOMPARE(json["layerCount"].get<int>(), 1);
    QVERIFY(!json.contains("nodeCount"));
    QCOMPARE(json["tensorCount"].get<int>(), 2);
    QCOMPARE(json["optimizerTensorCount"].get<int>(), 0);
    QCOMPARE(compact(json["parameters"]), QByteArray(R"({"float32":6,"int32":3})"));
    QCOMPARE(json["parameterCount"].get<int>(), 9);
    QCOMPARE(compact(json["quantized"]), QByteArray("{}"));
    QCOMPARE(json["shardCount"].get<int>(), 2);
    QCOMPARE(compact(json["groups"]),
             QByteArray(R"([[{"path":"group1-shard1of2.bin","bytes":17},{"path":"group1-shard2of2.bin","bytes":19}]])"));
    for (const char *key : {"hasTrainingConfig", "hasUserDefinedMetadata", "hasSignature", "hasInitializer"})
        QCOMPARE(json[key].get<bool>(), false);
    QCOMPARE(compact(json["modelArtifactsInfo"]),
             QByteArray(R"({"modelTopologyType":"JSON","modelTopologyBytes":)")
                 + QByteArray::number(compact(smallTopology()).size())
                 + R"(,"weightSpecsBytes":)" + QByteArray::number(compact(smallSpecs()).size())
                 + R"(,"weightDataBytes":36})");
}

void TestCli::infoJsonGraphModel()
{
    QTemporaryDir tmp;
    const QByteArray json =
        R"({"format":"graph-model","generatedBy":"2.15.0","convertedBy":"TensorFlow.js Converter v4.22.0",)"
        R"("modelTopology":{"node":[{"name":"a"},{"name":"b"},{"name":"c"}],"library":{"function":[{}]},"versions":{}},)"
        R"("weightsManifest":[{"paths":["g1.bin"],"weights":[)"
        R"({"name":"q","shape":[4],"dtype":"float32","quantization":{"dtype":"uint8","min":0,"scale":1}},)"
        R"({"name":"h","shape":[2],"dtype":"float32","quantization":{"dtype":"float16"}},)"
        R"({"name":"s","shape":[],"dtype":"string"}]},)"
        R"({"paths":["g2.bin"],"weights":[{"name":"opt/m","shape":[2],"dtype":"float32","group":"optimizer"}]}],)"
        R"("signature":{"inputs":{}},"modelInitializer":{"node":[]},"trainingConfig":{"loss":"x"},)"
        R"("userDefinedMetadata":{"k":1}})";
    writeModel(tmp.path(), json,
               {{QStringLiteral("g1.bin"), pattern(8) + stringTensor({"hi"})},
                {QStringLiteral("g2.bin"), pattern(8)}});
    const CliRun run = runCli({QStringLiteral("info"), QStringLiteral("--json"),
                         QStringLiteral("file://") + tmp.filePath(QStringLiteral("model.json"))});
    QCOMPARE(run.code, 0);
    Json out = j(run.out.toStdString());
    QCOMPARE(str(out["format"]), QStringLiteral("graph-model"));
    QCOMPARE(str(out["topology"]), QStringLiteral("GraphDef"));
    QCOMPARE(out["nodeCount"].get<int>(), 3);
    QCOMPARE(out["functionCount"].get<int>(), 1);
    QVERIFY(!out.contains("layerCount"));
    QCOMPARE(out["tensorCount"].get<int>(), 4);
    QCOMPARE(out["optimizerTensorCount"].get<int>(), 1);
    QCOMPARE(compact(out["parameters"]), QByteArray(R"({"float32":8,"string":1})"));
    QCOMPARE(out["parameterCount"].get<int>(), 9);
    QCOMPARE(compact(out["quantized"]), QByteArray(R"({"float16":1,"uint8":1})"));
    QCOMPARE(compact(out["groups"]),
             QByteArray(R"([[{"path":"g1.bin","bytes":14}],[{"path":"g2.bin","bytes":8}]])"));
    for (const char *key : {"hasTrainingConfig", "hasUserDefinedMetadata", "hasSignature", "hasInitializer"})
        QCOMPARE(out[key].get<bool>(), true);
    QCOMPARE(out["modelArtifactsInfo"]["weightDataBytes"].get<int>(), 22);
}

void TestCli::infoJsonWeightsOnly()
{
    QTemporaryDir tmp;
    const QString path = writeModel(
        tmp.path(), R"([{"paths":["w.bin"],"weights":[)" + kGoodSpec + "]}]", {{QStringLiteral("w.bin"), sixteen()}},
        QStringLiteral("x_weights_manifest.json"));
    const CliRun run = runCli({QStringLiteral("info"), QStringLiteral("--json"), path});
    QCOMPARE(run.code, 0);
    Json out = j(run.out.toStdString());
    QCOMPARE(str(out["format"]), QStringLiteral("weights-only"));
    QCOMPARE(out["formatDeclared"].get<bool>(), false);
    QCOMPARE(str(out["topology"]), QStringLiteral("none"));
    QCOMPARE(out["modelArtifactsInfo"]["modelTopologyBytes"].get<int>(), 0);
}

void TestCli::infoReadsNoWeightBytes()
{
    QTemporaryDir tmp;
    const QString model = writeTwoShardModel(tmp.path());
    AccessWatch shard(tmp.filePath(QStringLiteral("group1-shard2of2.bin")));
    QVERIFY(shard.isValid());
    QCOMPARE(runCli({QStringLiteral("info"), model}).code, 0);
    QVERIFY2(!shard.touched(), "info opened a weight file");
    QCOMPARE(runCli({QStringLiteral("validate"), model}).code, 0);
    QVERIFY(shard.touched()); // validate does read it: the watch works
}

void TestCli::infoMissing()
{
    QTemporaryDir tmp;
    const QString missing = tmp.filePath(QStringLiteral("nope/model.json"));
    const CliRun run = runCli({QStringLiteral("info"), missing});
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err, QStringLiteral("tfjs-model: Path %1 does not exist: loading failed [path: %1]\n")
                          .arg(missing));
    QVERIFY(run.out.isEmpty());
}

// ---------------------------------------------------------------- validate

void TestCli::validateOk()
{
    QTemporaryDir tmp;
    const QString model = writeTwoShardModel(tmp.path());
    const CliRun run = runCli({QStringLiteral("validate"), model});
    QCOMPARE(run.code, 0);
    QCOMPARE(run.out, QStringLiteral("%1: OK, 2 tensors, 36 bytes decoded.\n").arg(model));
    QVERIFY(run.err.isEmpty());
}

void TestCli::validateNotes()
{
    QTemporaryDir tmp;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    writeModel(tmp.path(), oneWeight(kGoodSpec), {{QStringLiteral("w.bin"), f32({1, nan, 2, nan})}});
    const CliRun run = runCli({QStringLiteral("validate"), tmp.path()});
    QCOMPARE(run.code, 0);
    QCOMPARE(run.out, QStringLiteral("note: Tensor 'w' holds 2 NaN and 0 infinite values.\n"
                                     "%1: OK, 1 tensors, 16 bytes decoded.\n")
                          .arg(tmp.path()));
}

void TestCli::validateProblems()
{
    // A string tensor whose second prefix overruns: the load refuses it (as it does for every
    // verb; tst_cliagreement runs them all), so validate fails with the load's error.
    QTemporaryDir tmp;
    writeModel(tmp.path(), oneWeight(R"({"name":"s","shape":[2],"dtype":"string"})"),
               {{QStringLiteral("w.bin"), stringTensor({"ok"}) + le<std::uint32_t>({100}) + "abc"}});
    const Error expected = loadError(tmp.path());
    QCOMPARE(expected.tensor, QStringLiteral("s"));
    QCOMPARE(expected.offset, 6);

    const CliRun run = runCli({QStringLiteral("validate"), tmp.path()});
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err, QStringLiteral("tfjs-model: %1\n").arg(expected.toString()));
    QVERIFY(run.out.isEmpty());
}

void TestCli::validateMissing()
{
    QTemporaryDir tmp;
    const CliRun run = runCli({QStringLiteral("validate"), tmp.path()});
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err, QStringLiteral("tfjs-model: The folder %1 holds no model JSON file; give the "
                                     "path of the model JSON file to load. [path: %1]\n")
                          .arg(tmp.path()));
}

void TestCli::validateChangedStoreBlob()
{
    // The store's blobs are named by their SHA-256: validate hashes them, so bytes changed in
    // place (same size) are found; the load alone would not read them.
    QTemporaryDir tmp;
    HandlerOptions options;
    options.storeDir = tmp.filePath(QStringLiteral("store"));
    JobContext ctx;
    QVERIFY(makeDefaultRegistry(options).save(QStringLiteral("indexeddb://m"),
                                              storetest::randomModel(1, 64, 7), ctx));
    const QStringList args{QStringLiteral("validate"), QStringLiteral("indexeddb://m"),
                           QStringLiteral("--store"), options.storeDir};
    QCOMPARE(runCli(args).code, 0);
    QDirIterator blobs(options.storeDir + QStringLiteral("/tensorflowjs.blobs"), QDir::Files,
                       QDirIterator::Subdirectories);
    QVERIFY(blobs.hasNext());
    const QString blob = blobs.next();
    QFile file(blob);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.seek(10));
    QCOMPARE(file.write("\x7f", 1), qint64(1));
    file.close();
    const CliRun run = runCli(args);
    QCOMPARE(run.code, 1);
    QVERIFY2(run.err.contains(QStringLiteral("refers to weight blob %1 of 256 bytes, which does not "
                                             "match its hash: its bytes were changed").arg(blob)),
             qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

// ---------------------------------------------------------------- copy

void TestCli::copy_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("default (relaxed)") << QStringList{};
    QTest::newRow("--durable") << QStringList{QStringLiteral("--durable")};
}

void TestCli::copy()
{
    QFETCH(QStringList, options);
    QTemporaryDir tmp;
    const QString source = writeTwoShardModel(tmp.filePath(QStringLiteral("src")));
    // A folder that does not exist yet, two levels deep: --durable syncs the created parents.
    const QString dest = tmp.filePath(QStringLiteral("new/dest"));
    const CliRun run = runCli(QStringList{QStringLiteral("copy"), source, QStringLiteral("file://") + dest} + options);
    QCOMPARE(run.code, 0);
    QVERIFY(run.err.isEmpty());
    QCOMPARE(run.out, QStringLiteral("wrote %1/weights.bin\nwrote %1/model.json\n"
                                     "modelTopologyBytes=%2 weightSpecsBytes=%3 weightDataBytes=36\n")
                          .arg(dest)
                          .arg(compact(smallTopology()).size())
                          .arg(compact(smallSpecs()).size()));
    QCOMPARE(listing(dest), (QStringList{QStringLiteral("model.json"), QStringLiteral("weights.bin")}));
    QCOMPARE(readFile(dest + QStringLiteral("/weights.bin")), smallWeights());
    // The copy is a valid model holding the same tensors.
    QCOMPARE(runCli({QStringLiteral("validate"), dest}).code, 0);
}

void TestCli::copyJson()
{
    QTemporaryDir tmp;
    const QString source = writeTwoShardModel(tmp.filePath(QStringLiteral("src")));
    const QString dest = tmp.filePath(QStringLiteral("dest"));
    const CliRun run = runCli({QStringLiteral("copy"), QStringLiteral("--json"), source, dest});
    QCOMPARE(run.code, 0);
    Json out = j(run.out.toStdString());
    const QByteArray files = "[\"" + dest.toUtf8() + "/weights.bin\",\"" + dest.toUtf8()
                             + "/model.json\"]";
    QCOMPARE(compact(out["files"]), files);
    Json &info = out["modelArtifactsInfo"];
    QCOMPARE(str(info["modelTopologyType"]), QStringLiteral("JSON"));
    QCOMPARE(info["weightDataBytes"].get<int>(), 36);
    QCOMPARE(info["modelTopologyBytes"].get<qint64>(), compact(smallTopology()).size());
    QVERIFY(QDateTime::fromString(QString::fromStdString(info["dateSaved"].get<std::string>()),
                                  Qt::ISODateWithMs)
                .isValid());
}

void TestCli::copyOntoExistingModel()
{
    QTemporaryDir tmp;
    const QString source = writeTwoShardModel(tmp.filePath(QStringLiteral("src")));
    const QString dest = tmp.filePath(QStringLiteral("dest"));
    writeModel(dest, "{\"old\":1}", {{QStringLiteral("weights.bin"), "old"}, {QStringLiteral("keep.txt"), "k"}});
    // Refused unless asked, naming the model and the option; nothing is written.
    const Tree before = snapshot(dest);
    const CliRun refused = runCli({QStringLiteral("copy"), source, dest});
    QCOMPARE(refused.code, 1);
    QCOMPARE(refused.err, QStringLiteral("tfjs-model: file://%1 already exists; use --overwrite to "
                                         "replace it. [path: %1, url: file://%1]\n")
                              .arg(dest));
    QVERIFY(refused.out.isEmpty());
    QCOMPARE(snapshot(dest), before);
    QCOMPARE(runCli({QStringLiteral("copy"), source, dest, QStringLiteral("--overwrite")}).code, 0);
    QCOMPARE(listing(dest), (QStringList{QStringLiteral("keep.txt"), QStringLiteral("model.json"),
                                         QStringLiteral("weights.bin")}));
    QCOMPARE(readFile(dest + QStringLiteral("/weights.bin")), smallWeights());
    QCOMPARE(readFile(dest + QStringLiteral("/keep.txt")), QByteArray("k"));
}

void TestCli::copyOntoItself_data()
{
    QTest::addColumn<QString>("source"); // {dir} = the model folder
    QTest::addColumn<QString>("dest");
    QTest::newRow("same text") << QStringLiteral("{dir}") << QStringLiteral("{dir}");
    QTest::newRow("same file URL") << QStringLiteral("file://{dir}") << QStringLiteral("file://{dir}");
    QTest::newRow("model.json inside the destination")
        << QStringLiteral("{dir}/model.json") << QStringLiteral("{dir}");
    QTest::newRow("file URL and plain path") << QStringLiteral("file://{dir}") << QStringLiteral("{dir}");
    QTest::newRow("trailing slash") << QStringLiteral("{dir}/") << QStringLiteral("{dir}");
    QTest::newRow("dot segments") << QStringLiteral("{dir}/../model/model.json")
                                  << QStringLiteral("file://{dir}/.");
}

void TestCli::copyOntoItself()
{
    QFETCH(QString, source);
    QFETCH(QString, dest);
    QTemporaryDir tmp;
    const QString dir = writeTwoShardModel(tmp.filePath(QStringLiteral("model")));
    source.replace(QStringLiteral("{dir}"), dir);
    dest.replace(QStringLiteral("{dir}"), dir);
    const Tree before = snapshot(dir);
    const CliRun run = runCli({QStringLiteral("copy"), source, dest});
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err, QStringLiteral("tfjs-model: Old path and new path are the same: '%1'\n").arg(source));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(snapshot(dir), before);
}

void TestCli::copyBroken_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("existing");
    const auto models = brokenModels();
    for (std::size_t i = 0; i < models.size(); ++i) {
        QTest::addRow("%s, new destination", models[i].name) << int(i) << false;
        QTest::addRow("%s, existing destination", models[i].name) << int(i) << true;
    }
}

void TestCli::copyBroken()
{
    QFETCH(int, index);
    QFETCH(bool, existing);
    const BrokenModel model = brokenModels().at(std::size_t(index));
    QTemporaryDir tmp;
    const QString source = writeBrokenModel(model, tmp.path());
    const QString dest = tmp.filePath(QStringLiteral("dest"));
    if (existing)
        writeModel(dest, "{\"old\":1}", {{QStringLiteral("weights.bin"), "old"}});
    const Tree before = snapshot(dest);
    const Error expected = loadError(source);
    QVERIFY(!expected.message.isEmpty());

    // Onto an existing model only --overwrite gets as far as loading the source.
    QStringList args = {QStringLiteral("copy"), source, dest};
    if (existing)
        args << QStringLiteral("--overwrite");
    const CliRun run = runCli(args);
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err, QStringLiteral("tfjs-model: ") + expected.toString() + QLatin1Char('\n'));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(snapshot(dest), before); // absent, or unchanged
    QCOMPARE(tempFiles(tmp.path()), QStringList());
}

void TestCli::copyOntoFile()
{
    QTemporaryDir tmp;
    const QString source = writeTwoShardModel(tmp.filePath(QStringLiteral("src")));
    const QString file = tmp.filePath(QStringLiteral("file.txt"));
    writeFile(file, "text");
    const CliRun run = runCli({QStringLiteral("copy"), source, file});
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err, QStringLiteral("tfjs-model: Path %1 exists as a file. The path must be "
                                     "nonexistent or point to a directory. [path: %1]\n")
                          .arg(file));
    QCOMPARE(readFile(file), QByteArray("text"));
}

void TestCli::copyUnknownScheme()
{
    QTemporaryDir tmp;
    const QString source = writeTwoShardModel(tmp.filePath(QStringLiteral("src")));
    const QString schemes = makeDefaultRegistry().schemes().join(QStringLiteral(", "));
    const CliRun run = runCli({QStringLiteral("copy"), source, QStringLiteral("gopher://x/y")});
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err, QStringLiteral("tfjs-model: Cannot find a handler for scheme 'gopher' (in "
                                     "'gopher://x/y'). Supported schemes are: %1. [url: gopher://x/y]\n")
                          .arg(schemes));
}

// ---------------------------------------------------------------- the real binary

void TestCli::binaryExitCodes_data()
{
    // {good} a valid model folder, {bad} one validate rejects, {missing} nothing, {dest} a new
    // folder.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    const QString good = QStringLiteral("{good}");
    QTest::newRow("no arguments") << QStringList{} << 2;
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << 0;
    QTest::newRow("unknown verb") << QStringList{QStringLiteral("frob")} << 2;
    for (const QString &verb : {QStringLiteral("info"), QStringLiteral("validate"), QStringLiteral("copy")}) {
        QTest::addRow("%s --help", qPrintable(verb)) << QStringList{verb, QStringLiteral("--help")} << 0;
        QTest::addRow("%s without arguments", qPrintable(verb)) << QStringList{verb} << 2;
        QTest::addRow("%s with an unknown option", qPrintable(verb))
            << QStringList{verb, QStringLiteral("--bogus"), good, QStringLiteral("{dest}")} << 2;
    }
    QTest::newRow("info") << QStringList{QStringLiteral("info"), good} << 0;
    QTest::newRow("info --json") << QStringList{QStringLiteral("info"), QStringLiteral("--json"), good} << 0;
    QTest::newRow("info missing") << QStringList{QStringLiteral("info"), QStringLiteral("{missing}")} << 1;
    QTest::newRow("info too many") << QStringList{QStringLiteral("info"), good, good} << 2;
    QTest::newRow("validate") << QStringList{QStringLiteral("validate"), good} << 0;
    QTest::newRow("validate bad") << QStringList{QStringLiteral("validate"), QStringLiteral("{bad}")} << 1;
    QTest::newRow("validate missing") << QStringList{QStringLiteral("validate"), QStringLiteral("{missing}")} << 1;
    QTest::newRow("copy") << QStringList{QStringLiteral("copy"), good, QStringLiteral("{dest}")} << 0;
    QTest::newRow("copy onto itself") << QStringList{QStringLiteral("copy"), good, good} << 1;
    QTest::newRow("copy missing") << QStringList{QStringLiteral("copy"), QStringLiteral("{missing}"),
                                                 QStringLiteral("{dest}")} << 1;
    QTest::newRow("copy one argument") << QStringList{QStringLiteral("copy"), good} << 2;
}

void TestCli::binaryExitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QTemporaryDir tmp;
    const QString good = writeTwoShardModel(tmp.filePath(QStringLiteral("good")));
    const QString bad = tmp.filePath(QStringLiteral("bad"));
    writeModel(bad, oneWeight(R"({"name":"s","shape":[2],"dtype":"string"})"),
               {{QStringLiteral("w.bin"), stringTensor({"ok"}) + le<std::uint32_t>({100}) + "abc"}});
    // The in-process run below gets a destination of its own (a copy never replaces unasked).
    const auto expand = [&](QStringList list, const QString &dest) {
        for (QString &arg : list) {
            arg.replace(QStringLiteral("{good}"), good)
                .replace(QStringLiteral("{bad}"), bad)
                .replace(QStringLiteral("{missing}"), tmp.filePath(QStringLiteral("missing")))
                .replace(QStringLiteral("{dest}"), tmp.filePath(dest));
        }
        return list;
    };
    const QStringList inProcess = expand(args, QStringLiteral("dest2"));
    args = expand(args, QStringLiteral("dest"));
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TFJS_STORE_DIR"), m_store.path());
    process.setProcessEnvironment(env);
    process.start(binary(), args);
    QVERIFY2(process.waitForFinished(60000), qPrintable(process.errorString()));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), code);
    if (code == 0) {
        QVERIFY2(err.isEmpty(), qPrintable(err)); // no progress bar when stderr is not a terminal
        QVERIFY(!out.isEmpty());
    } else {
        QVERIFY2(out.isEmpty(), qPrintable(out));
        // Failures start "tfjs-model: "; usage errors at least name the program (the
        // unknown-option text is checked by unknownOption()).
        if (code == 1)
            QVERIFY2(err.startsWith(QStringLiteral("tfjs-model: ")), qPrintable(err));
        else if (!args.isEmpty())
            QVERIFY2(err.startsWith(QStringLiteral("tfjs-model")), qPrintable(err));
    }
    // The in-process entry point agrees.
    QCOMPARE(runCli(inProcess).code, code);
}

void TestCli::binaryVersion()
{
    QProcess process;
    process.start(binary(), {QStringLiteral("--version")});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    // The project's version and, in a git checkout, the commit it was built from.
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    static const QRegularExpression expected(
        QStringLiteral("^tfjs-model %1( \\(git [0-9a-f]{12,}(-dirty)?\\))?\n$")
            .arg(QRegularExpression::escape(QStringLiteral(TFJS_VERSION))));
    QVERIFY2(expected.match(out).hasMatch(), qPrintable(out));
    if (QFileInfo::exists(QStringLiteral(TFJS_SOURCE_DIR "/.git")))
        QVERIFY2(out.contains(QStringLiteral(" (git ")), qPrintable(out));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

// FileListHandler: a model JSON plus weight files chosen by a user, as tf.io.browserFiles
// (spec §4.7; the "downloads and files" rows of §6).
#include "file/filelisthandler.h"
#include "base/job.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace tfjs;
using namespace tfjs::test;

namespace {

Result<ModelArtifacts> loadFiles(const QStringList &files)
{
    JobContext ctx;
    return FileListHandler(files).load(ctx);
}

// a float32 [3], b int32 [5] | c bool [7]: 39 bytes.
const char *const kSpecs[] = {
    R"({"name":"a","shape":[3],"dtype":"float32"})",
    R"({"name":"b","shape":[5],"dtype":"int32"})",
    R"({"name":"c","shape":[7],"dtype":"bool"})",
};

// A model whose manifest lists `paths` in one group holding kGoodSpec (16 bytes).
QByteArray modelWithPaths(const QStringList &paths)
{
    Json list = Json::array();
    for (const QString &path : paths)
        list.push_back(path.toStdString());
    return manifestJson(compact(list), "[" + kGoodSpec + "]");
}

} // namespace

class TestFileListHandler : public QObject
{
    Q_OBJECT

private slots:
    void anyOrder_data();
    void anyOrder();
    void jsonAlone();
    void jsonAloneFromNamedDownload();
    void progressReachesTotal();

    void errors_data();
    void errors();
    void invalidJson();
    void noFiles();
    void missingJsonFile();
    void jsonOverOneGiB();
    void missingWeightFile();
    void cannotSave();
};

void TestFileListHandler::anyOrder_data()
{
    QTest::addColumn<int>("groups");
    QTest::addColumn<int>("pathsPerGroup");
    QTest::addColumn<QList<int>>("order"); // which shard each chosen file is
    for (int groups : {1, 2}) {
        for (int paths : {1, 2}) {
            QList<int> order;
            for (int i = 0; i < groups * paths; ++i)
                order << i;
            do {
                QStringList shown;
                for (int i : order)
                    shown << QString::number(i);
                QTest::addRow("%d groups x %d paths, files %s", groups, paths,
                              qPrintable(shown.join(QLatin1Char(','))))
                    << groups << paths << order;
            } while (std::next_permutation(order.begin(), order.end()));
        }
    }
}

void TestFileListHandler::anyOrder()
{
    QFETCH(int, groups);
    QFETCH(int, pathsPerGroup);
    QFETCH(QList<int>, order);
    QTemporaryDir tmp;
    const QByteArray data = pattern(39, 4);
    // Group 1 holds a and b (32 bytes), group 2 holds c (7 bytes); one group holds all three.
    const QList<int> groupBytes = groups == 1 ? QList<int>{39} : QList<int>{32, 7};
    const QList<int> groupTensors = groups == 1 ? QList<int>{3} : QList<int>{2, 1};
    Json manifest = Json::array();
    QStringList manifestPaths; // in manifest order
    QStringList shardFiles;    // where each shard's file lives, in manifest order
    int tensor = 0;
    int at = 0;
    for (int g = 0; g < groups; ++g) {
        Json group = Json::object();
        group["paths"] = Json::array();
        group["weights"] = Json::array();
        for (int t = 0; t < groupTensors[g]; ++t)
            group["weights"].push_back(j(kSpecs[tensor++]));
        const int cut = groupBytes[g] / 2 | 1; // an odd byte
        for (int p = 0; p < pathsPerGroup; ++p) {
            const int size = pathsPerGroup == 1 ? groupBytes[g] : (p == 0 ? cut : groupBytes[g] - cut);
            // Manifest paths carry folders; only the basename is matched.
            const QString name = QStringLiteral("group%1-shard%2of%3.bin").arg(g + 1).arg(p + 1).arg(pathsPerGroup);
            const QString manifestPath = QStringLiteral("./weights/") + name;
            const QString file = tmp.filePath(QStringLiteral("picked%1/").arg(manifestPaths.size()) + name);
            writeFile(file, data.mid(at, size));
            at += size;
            group["paths"].push_back(manifestPath.toStdString());
            manifestPaths << manifestPath;
            shardFiles << file;
        }
        manifest.push_back(group);
    }
    QCOMPARE(at, 39);
    Json json = smallModelJson({});
    json["weightsManifest"] = manifest;
    const QString jsonPath = writeModel(tmp.filePath(QStringLiteral("json")), compact(json));

    QStringList files{jsonPath};
    for (int i : order)
        files << shardFiles[i];
    auto loaded = loadFiles(files);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(*loaded->weightData.readAll(), data);
    QStringList labels;
    QStringList used;
    for (const auto &segment : loaded->weightData.segments()) {
        labels << segment.label;
        used << segment.file;
    }
    QCOMPARE(labels, manifestPaths);
    QCOMPARE(used, shardFiles);
    QCOMPARE(loaded->weightSpecs->size(), std::size_t(3));
    QCOMPARE(compact(loaded->modelTopology), compact(smallTopology()));
    QCOMPARE(compact(loaded->format), QByteArray(R"("layers-model")"));
}

void TestFileListHandler::jsonAlone()
{
    // TF.js returns only the topology when no weight files are given.
    QTemporaryDir tmp;
    const QString jsonPath = writeSmallModel(tmp.path());
    auto loaded = loadFiles({jsonPath});
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(compact(loaded->modelTopology), compact(smallTopology()));
    QVERIFY(!loaded->weightSpecs);
    QVERIFY(!loaded->manifest);
    QVERIFY(loaded->weightData.isEmpty());
    QCOMPARE(loaded->jsonText, readFile(jsonPath)); // the document as read, for showing
}

void TestFileListHandler::jsonAloneFromNamedDownload()
{
    QTemporaryDir tmp;
    const QString jsonPath = writeModel(
        tmp.path(), compact(smallModelJson({QStringLiteral("./my.weights.bin")})), {},
        QStringLiteral("my.json"));
    auto loaded = loadFiles({jsonPath});
    TFJS_VERIFY_OK(loaded);
    QVERIFY(loaded->hasTopology());
    QVERIFY(!loaded->weightSpecs);
}

void TestFileListHandler::progressReachesTotal()
{
    QTemporaryDir tmp;
    const auto shards = splitShards(smallWeights(), {9});
    const QString jsonPath = writeModel(
        tmp.path(), compact(smallModelJson({shards[0].path, shards[1].path})), shards);
    Progress last;
    JobContext ctx([&last](const Progress &p) { last = p; });
    auto loaded = FileListHandler({jsonPath, tmp.filePath(shards[1].path), tmp.filePath(shards[0].path)})
                      .load(ctx);
    TFJS_VERIFY_OK(loaded);
    QCOMPARE(*loaded->weightData.readAll(), smallWeights());
    // A finished load reports all its items done (the final update is always delivered).
    QVERIFY(last.itemsTotal > 0);
    QCOMPARE(last.itemsDone, last.itemsTotal);
}

void TestFileListHandler::errors_data()
{
    // json: the model JSON; manifest paths are matched against `files` (basenames, each file
    // written with 16 bytes unless its name says "short"); {json} is the JSON's path.
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    const QString fmt = errorCodeName(ErrorCode::Format);
    const QString notFound = errorCodeName(ErrorCode::NotFound);
    const QString invalid = errorCodeName(ErrorCode::InvalidArgument);
    const QByteArray one = modelWithPaths({QStringLiteral("w.bin")});

    QTest::newRow("count mismatch: one extra file")
        << one << QStringList{QStringLiteral("a/w.bin"), QStringLiteral("b/extra.bin")} << invalid
        << QStringLiteral("Mismatch in the number of files in weights manifest (1) and the number "
                          "of weight files provided (2): not in the manifest: extra.bin.");
    QTest::newRow("count mismatch: two extra files")
        << modelWithPaths({QStringLiteral("w1.bin"), QStringLiteral("w2.bin")})
        << QStringList{QStringLiteral("z.bin"), QStringLiteral("w2.bin"), QStringLiteral("w1.bin"),
                       QStringLiteral("c.bin")}
        << invalid
        << QStringLiteral("Mismatch in the number of files in weights manifest (2) and the number "
                          "of weight files provided (4): not in the manifest: c.bin, z.bin.");
    QTest::newRow("missing basename")
        << modelWithPaths({QStringLiteral("./w1.bin"), QStringLiteral("./w2.bin")})
        << QStringList{QStringLiteral("w1.bin")} << notFound
        << QStringLiteral("Weight file with basename 'w2.bin' is not provided.");
    QTest::newRow("wrong name") << one << QStringList{QStringLiteral("W.bin")} << notFound
                                << QStringLiteral("Weight file with basename 'w.bin' is not provided.");
    QTest::newRow("duplicate basenames in the manifest")
        << modelWithPaths({QStringLiteral("a/w.bin"), QStringLiteral("b/w.bin")})
        << QStringList{QStringLiteral("w.bin"), QStringLiteral("x/w2.bin")} << fmt
        << QStringLiteral("Duplicate file basename found in weights manifest: 'w.bin'");
    QTest::newRow("duplicate basenames in the chosen files")
        << one << QStringList{QStringLiteral("a/w.bin"), QStringLiteral("b/w.bin")} << invalid
        << QStringLiteral("Two weight files are named 'w.bin': {dir}/a/w.bin and {dir}/b/w.bin.");
    QTest::newRow("missing manifest")
        << QByteArray(R"({"modelTopology":{"class_name":"Sequential"}})")
        << QStringList{QStringLiteral("w.bin")} << fmt
        << QStringLiteral("weightsManifest field is missing from file model.json");
    QTest::newRow("missing topology")
        << QByteArray(R"({"weightsManifest":[{"paths":["w.bin"],"weights":[)" + kGoodSpec + "]}]}")
        << QStringList{QStringLiteral("w.bin")} << fmt
        << QStringLiteral("modelTopology field is missing from file model.json");
    QTest::newRow("missing topology, JSON alone")
        << QByteArray(R"({"weightsManifest":[{"paths":["w.bin"],"weights":[)" + kGoodSpec + "]}]}")
        << QStringList{} << fmt << QStringLiteral("modelTopology field is missing from file model.json");
    QTest::newRow("bad manifest") << manifestJson("[\"w.bin\"]", R"([{"name":"w"}])")
                                  << QStringList{QStringLiteral("w.bin")} << fmt
                                  << QStringLiteral("Weight 'w' has no 'shape' array.");
    // The JSON lives in {dir}/json, the chosen weight files under {dir}.
    QTest::newRow("short file") << one << QStringList{QStringLiteral("short/w.bin")}
                                << errorCodeName(ErrorCode::Weights)
                                << QStringLiteral("The weight files of {json} are too short: tensor "
                                                  "'w' starts at byte 0 and needs 16 bytes, but "
                                                  "the data ends at byte 15, the end of the last "
                                                  "shard, {dir}/short/w.bin.");
}

void TestFileListHandler::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, files);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QTemporaryDir tmp;
    const QString jsonPath = writeModel(tmp.filePath(QStringLiteral("json")), json);
    QStringList chosen{jsonPath};
    for (const QString &file : std::as_const(files)) {
        const QString path = tmp.filePath(file);
        writeFile(path, file.startsWith(QStringLiteral("short")) ? pattern(15) : sixteen());
        chosen << path;
    }
    auto loaded = loadFiles(chosen);
    QVERIFY2(!loaded, "expected an error");
    QCOMPARE(errorCodeName(loaded.error().code), code);
    QCOMPARE(loaded.error().message,
             QString(message).replace(QStringLiteral("{dir}"), tmp.path())
                 .replace(QStringLiteral("{json}"), jsonPath));
}

void TestFileListHandler::invalidJson()
{
    QTemporaryDir tmp;
    const QByteArray text = R"({"modelTopology": {"class_name": )";
    const QString jsonPath = writeModel(tmp.path(), text);
    writeFile(tmp.filePath(QStringLiteral("w.bin")), sixteen());
    auto loaded = loadFiles({jsonPath, tmp.filePath(QStringLiteral("w.bin"))});
    const QString expected =
        parseJson(std::string_view(text.constData(), std::size_t(text.size())), jsonPath).error().message;
    QVERIFY(expected.startsWith(QStringLiteral("Invalid JSON in %1 at byte ").arg(jsonPath)));
    TFJS_COMPARE_ERROR(loaded, ErrorCode::Parse, expected);
}

void TestFileListHandler::noFiles()
{
    TFJS_COMPARE_ERROR(loadFiles({}), ErrorCode::InvalidArgument,
                       QStringLiteral("At least 1 file is required (the model JSON), but received 0."));
}

void TestFileListHandler::missingJsonFile()
{
    QTemporaryDir tmp;
    const QString jsonPath = tmp.filePath(QStringLiteral("model.json"));
    QFile probe(jsonPath);
    QVERIFY(!probe.open(QIODevice::ReadOnly));
    auto loaded = loadFiles({jsonPath});
    TFJS_COMPARE_ERROR(loaded, ErrorCode::Io,
                       QStringLiteral("Cannot read %1: %2").arg(jsonPath, probe.errorString()));
    QCOMPARE(loaded.error().path, jsonPath);
}

void TestFileListHandler::jsonOverOneGiB()
{
    // Chosen files get the same size limit as file:// (a sparse file: nothing should be read).
    QTemporaryDir tmp;
    const QString jsonPath = tmp.filePath(QStringLiteral("model.json"));
    writeFile(jsonPath, "{");
    QVERIFY(QFile::resize(jsonPath, (qint64(1) << 30) + 1));
    TFJS_COMPARE_ERROR(loadFiles({jsonPath}), ErrorCode::Format,
                       QStringLiteral("%1 is 1073741825 bytes; model JSON files over 1 GiB are "
                                      "refused.")
                           .arg(jsonPath));
}

void TestFileListHandler::missingWeightFile()
{
    QTemporaryDir tmp;
    const QString jsonPath = writeModel(tmp.path(), modelWithPaths({QStringLiteral("./w.bin")}));
    const QString gone = tmp.filePath(QStringLiteral("elsewhere/w.bin"));
    auto loaded = loadFiles({jsonPath, gone});
    TFJS_COMPARE_ERROR(loaded, ErrorCode::NotFound,
                       QStringLiteral("Weight file %1 does not exist.").arg(gone));
    QCOMPARE(loaded.error().shard, QStringLiteral("./w.bin"));
}

void TestFileListHandler::cannotSave()
{
    FileListHandler handler({QStringLiteral("model.json")});
    QVERIFY(handler.canLoad());
    QVERIFY(!handler.canSave());
    JobContext ctx;
    TFJS_COMPARE_ERROR(handler.save(ModelArtifacts{}, ctx), ErrorCode::Unsupported,
                       QStringLiteral("A set of chosen files can only be loaded, not saved to."));
}

QTEST_GUILESS_MAIN(TestFileListHandler)
#include "tst_filelisthandler.moc"

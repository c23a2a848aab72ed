// scanForModels: the model JSONs of a folder tree, as the app's browser lists a folder.
#include "base/job.h"
#include "file/modelscan.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace tfjs;
using namespace tfjs::test;

namespace {
const FoundModel *find(const ModelScan &scan, const QString &name)
{
    const auto it = std::find_if(scan.models.begin(), scan.models.end(),
                                 [&](const FoundModel &m) { return m.name == name; });
    return it == scan.models.end() ? nullptr : &*it;
}
} // namespace

class TestModelScan : public QObject
{
    Q_OBJECT

private slots:
    void findsModelsRecursively();
    void missingFolder();
    void cancelled();
};

void TestModelScan::findsModelsRecursively()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeSmallModel(dir.filePath(QStringLiteral("a")));
    writeSmallModel(dir.filePath(QStringLiteral("deep/er/b")));
    writeModel(dir.filePath(QStringLiteral("named")),
               compact(smallModelJson({QStringLiteral("net.weights.bin")})),
               {{QStringLiteral("net.weights.bin"), smallWeights()}}, QStringLiteral("net.json"));
    // A bare weights manifest is a model too.
    writeModel(dir.filePath(QStringLiteral("bare")),
               R"([{"paths":["w.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]}])",
               {{QStringLiteral("w.bin"), f32({1, 2})}}, QStringLiteral("manifest.json"));
    // Not models, or not looked at.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("package.json")), R"({"name":"x","version":"1.0.0"})"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("broken.json")), "{not json"));
    writeSmallModel(dir.filePath(QStringLiteral(".hidden/c")));
    writeSmallModel(dir.filePath(QStringLiteral("node_modules/d")));
    // A model whose shard is missing is listed with its problem.
    writeModel(dir.filePath(QStringLiteral("missing")),
               compact(smallModelJson({QStringLiteral("weights.bin")})));

    JobContext ctx;
    auto scan = scanForModels(dir.path(), ctx);
    QVERIFY2(scan, qPrintable(scan ? QString() : scan.error().toString()));
    QStringList names;
    for (const FoundModel &model : scan->models)
        names << model.name;
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("a"), QStringLiteral("bare/manifest"),
                                 QStringLiteral("deep/er/b"), QStringLiteral("missing"),
                                 QStringLiteral("named/net")}));
    const FoundModel *a = find(*scan, QStringLiteral("a"));
    QCOMPARE(a->path, dir.filePath(QStringLiteral("a/model.json")));
    QCOMPARE(a->format, QStringLiteral("layers-model"));
    QCOMPARE(a->size, QFileInfo(a->path).size() + smallWeights().size());
    QCOMPARE(a->modified, QFileInfo(a->path).lastModified().toUTC());
    QVERIFY(a->problem.isEmpty());
    QCOMPARE(find(*scan, QStringLiteral("bare/manifest"))->format, QStringLiteral("weights-only"));
    QCOMPARE(find(*scan, QStringLiteral("missing"))->problem,
             QStringLiteral("Weight file %1 does not exist: loading failed")
                 .arg(dir.filePath(QStringLiteral("missing/weights.bin"))));
    QVERIFY(scan->directories.contains(dir.filePath(QStringLiteral("deep/er/b"))));
    QVERIFY(!scan->directories.contains(dir.filePath(QStringLiteral("node_modules"))));
    QVERIFY(!scan->truncated);
    QCOMPARE(scan->files.size(), 5);
}

void TestModelScan::missingFolder()
{
    JobContext ctx;
    auto scan = scanForModels(QStringLiteral("/nonexistent/folder"), ctx);
    QVERIFY(!scan);
    QCOMPARE(scan.error().code, ErrorCode::NotFound);
    QCOMPARE(scan.error().path, QStringLiteral("/nonexistent/folder"));
    QCOMPARE(scan.error().message, QStringLiteral("The folder /nonexistent/folder does not exist."));
}

void TestModelScan::cancelled()
{
    QTemporaryDir dir;
    writeSmallModel(dir.filePath(QStringLiteral("a")));
    JobContext ctx;
    ctx.cancel();
    auto scan = scanForModels(dir.path(), ctx);
    QVERIFY(!scan);
    QCOMPARE(scan.error().code, ErrorCode::Cancelled);
}

QTEST_GUILESS_MAIN(TestModelScan)
#include "tst_modelscan.moc"

#include "folderscan.h"

#include "testmodels.h"

#include "base/job.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace tfjs;
using namespace tfjs::ui;

namespace {
const BrowserEntry *find(const FolderScan &scan, const QString &name)
{
    const auto it = std::find_if(scan.entries.begin(), scan.entries.end(),
                                 [&](const BrowserEntry &e) { return e.name == name; });
    return it == scan.entries.end() ? nullptr : &*it;
}
} // namespace

class TestFolderScan : public QObject
{
    Q_OBJECT

private slots:
    void findsModelsRecursively()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        uitest::writeDenseModel(dir.filePath(QStringLiteral("a")));
        uitest::writeDenseModel(dir.filePath(QStringLiteral("deep/er/b")));
        uitest::writeDenseModel(dir.filePath(QStringLiteral("named")), QStringLiteral("net.json"),
                                QStringLiteral("net.weights.bin"));
        // A bare weights manifest is a model too.
        uitest::writeFile(dir.filePath(QStringLiteral("bare/manifest.json")),
                          R"([{"paths":["w.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]}])");
        uitest::writeFile(dir.filePath(QStringLiteral("bare/w.bin")), uitest::floats({1, 2}));
        // Not models, or not looked at.
        uitest::writeFile(dir.filePath(QStringLiteral("package.json")), R"({"name":"x","version":"1.0.0"})");
        uitest::writeFile(dir.filePath(QStringLiteral("broken.json")), "{not json");
        uitest::writeDenseModel(dir.filePath(QStringLiteral(".hidden/c")));
        uitest::writeDenseModel(dir.filePath(QStringLiteral("node_modules/d")));
        // A model whose shard is missing is listed with its problem.
        uitest::writeFile(dir.filePath(QStringLiteral("missing/model.json")), uitest::denseModelJson());

        JobContext ctx;
        auto scan = scanFolder(dir.path(), ctx);
        QVERIFY2(scan, qPrintable(scan ? QString() : scan.error().toString()));
        QStringList names;
        for (const BrowserEntry &entry : scan->entries)
            names << entry.name;
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("a"), QStringLiteral("bare/manifest"), QStringLiteral("deep/er/b"),
                                     QStringLiteral("missing"), QStringLiteral("named/net")}));
        const BrowserEntry *a = find(*scan, QStringLiteral("a"));
        QCOMPARE(a->format, QStringLiteral("layers-model"));
        QCOMPARE(a->size, QFileInfo(dir.filePath(QStringLiteral("a/model.json"))).size() + 32);
        QVERIFY(a->date.isValid());
        QVERIFY(a->problem.isEmpty());
        QCOMPARE(find(*scan, QStringLiteral("bare/manifest"))->format, QStringLiteral("weights-only"));
        QCOMPARE(find(*scan, QStringLiteral("missing"))->problem,
                 QStringLiteral("Weight file %1 does not exist: loading failed")
                     .arg(dir.filePath(QStringLiteral("missing/weights.bin"))));
        QVERIFY(scan->directories.contains(dir.filePath(QStringLiteral("deep/er/b"))));
        QVERIFY(!scan->truncated);
        QCOMPARE(scan->files.size(), 5);
    }

    void missingFolderAndCancel()
    {
        JobContext ctx;
        auto scan = scanFolder(QStringLiteral("/nonexistent/folder"), ctx);
        QVERIFY(!scan);
        QCOMPARE(scan.error().code, ErrorCode::NotFound);
        QCOMPARE(scan.error().message, QStringLiteral("The folder /nonexistent/folder does not exist."));

        QTemporaryDir dir;
        uitest::writeDenseModel(dir.filePath(QStringLiteral("a")));
        ctx.cancel();
        scan = scanFolder(dir.path(), ctx);
        QVERIFY(!scan);
        QCOMPARE(scan.error().code, ErrorCode::Cancelled);
    }

    void watcherReportsChanges()
    {
        QTemporaryDir dir;
        uitest::writeDenseModel(dir.filePath(QStringLiteral("a")));
        JobContext ctx;
        auto scan = scanFolder(dir.path(), ctx);
        QVERIFY(scan);
        FolderWatcher watcher(nullptr, 50);
        watcher.watch(dir.path(), scan->directories, scan->files);
        QVERIFY(watcher.watchedPaths().contains(dir.filePath(QStringLiteral("a"))));
        QSignalSpy changed(&watcher, &FolderWatcher::changed);
        // A new model in a watched subfolder, and an edit of a watched JSON, are reported
        // (debounced into one signal per burst).
        uitest::writeDenseModel(dir.filePath(QStringLiteral("a/b")), QStringLiteral("second.json"));
        QVERIFY(changed.wait(5000));
        QCOMPARE(changed.front().front().toString(), dir.path());
        changed.clear();
        uitest::writeFile(dir.filePath(QStringLiteral("a/model.json")), uitest::denseModelJson());
        QVERIFY(changed.wait(5000));
        watcher.unwatch(dir.path());
        QVERIFY(watcher.watchedPaths().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFolderScan)
#include "tst_folderscan.moc"

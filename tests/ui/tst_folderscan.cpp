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
    // The browser's entries are core's scan, field by field (tests/core/tst_modelscan tests
    // the scan itself).
    void entriesAreCoreScan()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        uitest::writeDenseModel(dir.filePath(QStringLiteral("a")));
        uitest::writeFile(dir.filePath(QStringLiteral("missing/model.json")), uitest::denseModelJson());
        JobContext ctx;
        auto found = scanForModels(dir.path(), ctx);
        auto scan = scanFolder(dir.path(), ctx);
        QVERIFY(found && scan);
        QCOMPARE(scan->entries.size(), found->models.size());
        QCOMPARE(scan->entries.size(), std::size_t(2));
        for (const FoundModel &model : found->models) {
            const BrowserEntry *entry = find(*scan, model.name);
            QVERIFY(entry);
            QCOMPARE(entry->url, model.path);
            QCOMPARE(entry->format, model.format);
            QCOMPARE(entry->size, model.size);
            QCOMPARE(entry->date, model.modified);
            QCOMPARE(entry->problem, model.problem);
            QCOMPARE(entry->trashId, -1);
        }
        QVERIFY(!find(*scan, QStringLiteral("missing"))->problem.isEmpty());
        QCOMPARE(scan->directories, found->directories);
        QCOMPARE(scan->files, found->files);

        scan = scanFolder(QStringLiteral("/nonexistent/folder"), ctx);
        QVERIFY(!scan);
        QCOMPARE(scan.error().code, ErrorCode::NotFound);
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

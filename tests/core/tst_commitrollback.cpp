// A file:// or downloads:// save whose commit fails halfway (a rename into the folder failing
// with EIO) puts the old files back; here the writer is also killed at every step of that
// roll-back, and of the commit before it. A small library loaded with LD_PRELOAD
// (tests/faults/renamefault.cpp) makes the chosen rename fail and kills the tfjs-model process
// before or after a chosen rename. After a kill, the next load of the folder (which finishes or
// undoes a dead writer's commit) must find the old or the new model whole and no file of the
// writer; a writer that was not killed must have failed and left the folder exactly as it was.
#include "base/job.h"
#include "preload.h"
#include "schemes/schemes.h"
#include "store/sha256.h"
#include "storetestdata.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <sys/stat.h>

using namespace tfjs;
using namespace storetest;

namespace {

constexpr qint64 kShardBytes = 64 * 1024;

// The model at `url` as versionOf() names it, or the error.
QString loadedVersion(const HandlerRegistry &registry, const QString &url)
{
    auto handler = registry.handlerFor(url);
    if (!handler)
        return handler.error().toString();
    JobContext ctx;
    auto loaded = (*handler)->load(ctx);
    if (!loaded)
        return loaded.error().toString();
    auto bytes = loaded->weightData.readAll();
    return bytes ? versionOf(*loaded, *bytes) : bytes.error().toString();
}

bool copyFolder(const QString &from, const QString &to)
{
    if (!QDir().mkpath(to))
        return false;
    const QDir source(from);
    for (const QString &name : source.entryList(QDir::Files | QDir::Hidden)) {
        if (!QFile::copy(source.filePath(name), to + QLatin1Char('/') + name))
            return false;
    }
    return true;
}

struct Run
{
    bool killed = false;
    int exitCode = 0;
    QString errors;
};

// `tfjs-model ARGS` with the rename faults `faults` in `folder`.
Run runWithFaults(const QStringList &args, const QString &folder,
                  const std::map<QString, int> &faults)
{
    QProcess child;
    QProcessEnvironment env = test::preloadEnvironment(QStringLiteral(TFJS_RENAME_FAULT));
    env.insert(QStringLiteral("TFJS_FAULT_DIR"), folder);
    for (const auto &[name, value] : faults)
        env.insert(name, QString::number(value));
    child.setProcessEnvironment(env);
    child.start(QStringLiteral(TFJS_BIN_DIR "/tfjs-model"), args + QStringList{QStringLiteral("--no-progress")});
    Run run;
    if (!child.waitForFinished(60000)) {
        child.kill();
        child.waitForFinished();
        run.exitCode = -1;
        run.errors = QStringLiteral("the child did not end");
        return run;
    }
    run.killed = child.exitStatus() == QProcess::CrashExit;
    run.exitCode = child.exitCode();
    run.errors = QString::fromUtf8(child.readAllStandardError());
    return run;
}

} // namespace

class TestCommitRollback : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killedDuringRollBack_data();
    void killedDuringRollBack();

private:
    QTemporaryDir m_dir;
    HandlerRegistry m_registry = makeDefaultRegistry({});
    QString m_versionA;
    QString m_versionB;
};

void TestCommitRollback::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Three tensors of 64 KiB: three shards of kShardBytes, or one weights.bin.
    ModelArtifacts a = randomModel(3, kShardBytes / 4, 7);
    ModelArtifacts b = randomModel(3, kShardBytes / 4, 8);
    (*a.modelTopology)["config"]["name"] = "version A";
    (*b.modelTopology)["config"]["name"] = "version B";
    m_versionA = versionOf(a, bytesOf(a.weightData));
    m_versionB = versionOf(b, bytesOf(b.weightData));
    JobContext ctx;
    for (const auto &[name, model] : {std::pair{"a", &a}, std::pair{"b", &b}}) {
        auto handler = m_registry.handlerFor(QStringLiteral("file://") + m_dir.filePath(QLatin1String(name)));
        QVERIFY(handler);
        auto saved = (*handler)->save(*model, ctx);
        if (!saved)
            QFAIL(qPrintable(saved.error().toString()));
    }
}

void TestCommitRollback::killedDuringRollBack_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("oldWeights"); // how the old model in the folder is cut
    QTest::addColumn<bool>("shardNew");
    QTest::newRow("file: sharded over sharded") << "file" << "sharded" << true;
    QTest::newRow("file: sharded over one weights.bin") << "file" << "whole" << true;
    QTest::newRow("file: one weights.bin over sharded") << "file" << "sharded" << false;
    QTest::newRow("file: into an empty folder") << "file" << "none" << true;
    QTest::newRow("downloads: beside an older download") << "downloads" << "sharded" << true;
}

void TestCommitRollback::killedDuringRollBack()
{
    QFETCH(QString, scheme);
    QFETCH(QString, oldWeights);
    QFETCH(bool, shardNew);
    const bool downloads = scheme == QLatin1String("downloads");
    const QString row = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'));
    const QString work = m_dir.filePath(row.left(row.indexOf(QLatin1Char(':'))) + QString::number(qHash(row)));
    const QString a = QStringLiteral("file://") + m_dir.filePath(QStringLiteral("a"));
    const QString b = QStringLiteral("file://") + m_dir.filePath(QStringLiteral("b"));

    // The folder before each run: model A (for downloads, a download of A named "m"), cut as
    // the row says, and a file no model names.
    const QString pristine = work + QStringLiteral("/pristine");
    QVERIFY(QDir().mkpath(pristine));
    {
        QFile notes(pristine + QStringLiteral("/notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("not a model file\n") > 0);
    }
    if (oldWeights != QLatin1String("none")) {
        QStringList args{QStringLiteral("copy"), a,
                         downloads ? QStringLiteral("downloads://m") : QStringLiteral("file://") + pristine};
        if (downloads)
            args << QStringLiteral("--downloads") << pristine;
        if (oldWeights == QLatin1String("sharded"))
            args << QStringLiteral("--shard-size") << QString::number(kShardBytes);
        const Run made = runWithFaults(args, QString(), {});
        QVERIFY2(!made.killed && made.exitCode == 0, qPrintable(made.errors));
    }
    // The save under test: B over A (a download of B also named "m": it must land beside A's
    // under "m (1)", never over it).
    const auto saveArgs = [&](const QString &folder) {
        QStringList args{QStringLiteral("copy"), b,
                         downloads ? QStringLiteral("downloads://m") : QStringLiteral("file://") + folder};
        args << (downloads ? QStringList{QStringLiteral("--downloads"), folder}
                           : QStringList{QStringLiteral("--overwrite")});
        if (shardNew)
            args << QStringLiteral("--shard-size") << QString::number(kShardBytes);
        return args;
    };
    const QString oldUrl = downloads ? QStringLiteral("file://%1/m.json") : QStringLiteral("file://%1");
    const QString newUrl = downloads ? QStringLiteral("file://%1/m (1).json") : QStringLiteral("file://%1");

    int runs = 0;
    int kills = 0;
    bool commitSucceeded = false;
    // The n-th rename into the folder fails; the writer is killed before or after the k-th
    // (k = 0: not killed). Each kill point up to the one the writer no longer reaches.
    for (int failAt = 1; !commitSucceeded; ++failAt) {
        QVERIFY2(failAt < 40, "the save never got past its faults");
        for (const char *when : {"TFJS_FAULT_KILL_BEFORE", "TFJS_FAULT_KILL_AFTER"}) {
            for (int killAt = when[16] == 'B' ? 0 : 1;; ++killAt) {
                const QString folder = work + QStringLiteral("/run%1").arg(++runs);
                QVERIFY(copyFolder(pristine, folder));
                const auto before = stampsIn(folder);
                std::map<QString, int> faults{{QStringLiteral("TFJS_FAULT_FAIL"), failAt}};
                if (killAt > 0)
                    faults[QLatin1String(when)] = killAt;
                const Run run = runWithFaults(saveArgs(folder), folder, faults);
                const QString what = QStringLiteral("rename %1 failing, killed %2 %3")
                                         .arg(failAt)
                                         .arg(QLatin1String(when[16] == 'B' ? "before" : "after"))
                                         .arg(killAt);
                if (!run.killed) { // not asked to, or the kill point was past its last rename
                    if (run.exitCode == 0) {
                        commitSucceeded = true; // failAt is past the commit's renames
                        QCOMPARE(loadedVersion(m_registry, newUrl.arg(folder)), m_versionB);
                    } else {
                        QVERIFY2(run.errors.contains(QLatin1String("Input/output error")),
                                 qPrintable(what + QStringLiteral(": ") + run.errors));
                        QVERIFY2(stampsIn(folder) == before,
                                 qPrintable(what + QStringLiteral(": the folder changed")));
                    }
                    QVERIFY(QDir(folder).removeRecursively());
                    if (killAt == 0)
                        continue;
                    break;
                }
                ++kills;
                // Killed: the next load finishes or undoes the commit.
                const QString old = loadedVersion(m_registry, oldUrl.arg(folder));
                const QString fresh = downloads ? loadedVersion(m_registry, newUrl.arg(folder)) : old;
                if (downloads) {
                    QVERIFY2(old == m_versionA, qPrintable(what + QStringLiteral(": ") + old));
                    QVERIFY2(fresh == m_versionB || fresh.contains(QLatin1String("does not exist")),
                             qPrintable(what + QStringLiteral(": ") + fresh));
                } else if (oldWeights == QLatin1String("none")) {
                    QVERIFY2(old == m_versionB || old.contains(QLatin1String("holds no model JSON")),
                             qPrintable(what + QStringLiteral(": ") + old));
                } else {
                    QVERIFY2(old == m_versionA || old == m_versionB,
                             qPrintable(what + QStringLiteral(": neither version: ") + old));
                }
                const auto after = stampsIn(folder);
                for (const auto &[name, stamp] : after)
                    QVERIFY2(!name.startsWith(QLatin1Char('.')),
                             qPrintable(what + QStringLiteral(": left ") + name));
                QCOMPARE(after.at(QStringLiteral("notes.txt")), before.at(QStringLiteral("notes.txt")));
                QVERIFY(QDir(folder).removeRecursively());
            }
        }
    }
    qInfo("%d runs, %d killed", runs, kills);
    QVERIFY(kills > 4);
}

QTEST_GUILESS_MAIN(TestCommitRollback)
#include "tst_commitrollback.moc"

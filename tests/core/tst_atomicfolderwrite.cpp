// AtomicFolderWrite and writeWeightData: a failed or abandoned write leaves the folder as it was.
#include "io/atomicdir.h"
#include "io/foldercommit.h"
#include "base/job.h"
#include "testutil.h"
#include "io/weightdata.h"

#include <QDir>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>

#include <sys/stat.h>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

AtomicFolderWrite::Writer bytesWriter(const QByteArray &bytes)
{
    return [bytes](QFile &file) { return writeAllBytes(file, bytes.constData(), bytes.size()); };
}

// A writer tag ("PID-ID") of a process that has ended.
QString deadWriterTag(const char *id)
{
    QProcess process;
    process.start(QStringLiteral("/bin/true"), {});
    if (!process.waitForStarted())
        qFatal("cannot start /bin/true");
    const qint64 pid = process.processId();
    process.waitForFinished();
    return QStringLiteral("%1-%2").arg(pid).arg(QLatin1String(id));
}

QStringList everyFileIn(const QString &folder)
{
    return QDir(folder).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

} // namespace

class TestAtomicFolderWrite : public QObject
{
    Q_OBJECT

private slots:
    void writesIntoNewNestedFolder();
    void abandonRemovesCreatedFoldersAndTemps();
    void replaceKeepsOtherFiles();
    void recoveryFinishesAKilledCommit();
    void recoveryRemovesADeadWritersFiles();
    void replaceKeepsModes();
    void refuseExisting();
    void refuseTargetAppearingBeforeCommit();
    void renameNoReplace_data();
    void renameNoReplace();
    void beginOnFile();
    void beginEmpty();
    void writerFailureLeavesFolderAsItWas();
    void moveTransfersOwnership();

    void weightDataFromFilesAndBytes();
    void weightDataShortSource();
    void weightDataMissingSource();
    void weightDataCancelled();
    void weightDataProgress();
};

void TestAtomicFolderWrite::writesIntoNewNestedFolder()
{
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("a/b/c"));
    auto write = AtomicFolderWrite::begin(folder, AtomicFolderWrite::Existing::Replace);
    TFJS_VERIFY_OK(write);
    QCOMPARE(write->folder(), folder);
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("one.bin"), bytesWriter("1")));
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("two.json"), bytesWriter("{}")));
    // Before commit only hidden temporary files exist.
    QCOMPARE(listing(folder).size(), 2);
    QCOMPARE(tempFiles(folder).size(), 2);
    for (const QString &name : listing(folder))
        QVERIFY2(name.startsWith(QLatin1Char('.')), qPrintable(name));
    auto files = write->commit();
    TFJS_VERIFY_OK(files);
    QCOMPARE(*files, (QStringList{folder + QStringLiteral("/one.bin"),
                                  folder + QStringLiteral("/two.json")}));
    QCOMPARE(listing(folder), (QStringList{QStringLiteral("one.bin"), QStringLiteral("two.json")}));
    QCOMPARE(readFile(folder + QStringLiteral("/two.json")), QByteArray("{}"));
}

void TestAtomicFolderWrite::abandonRemovesCreatedFoldersAndTemps()
{
    QTemporaryDir tmp;
    {
        auto write = AtomicFolderWrite::begin(tmp.filePath(QStringLiteral("x/y")),
                                              AtomicFolderWrite::Existing::Replace);
        TFJS_VERIFY_OK(write);
        TFJS_VERIFY_OK(write->addFile(QStringLiteral("f"), bytesWriter("data")));
        QVERIFY(QFileInfo::exists(tmp.filePath(QStringLiteral("x/y"))));
    } // destroyed without commit
    QCOMPARE(listing(tmp.path()), QStringList());

    // An existing folder stays, only the temporaries go.
    writeFile(tmp.filePath(QStringLiteral("keep/old.txt")), "old");
    const Tree before = snapshot(tmp.path());
    {
        auto write = AtomicFolderWrite::begin(tmp.filePath(QStringLiteral("keep")),
                                              AtomicFolderWrite::Existing::Replace);
        TFJS_VERIFY_OK(write);
        TFJS_VERIFY_OK(write->addFile(QStringLiteral("old.txt"), bytesWriter("new")));
    }
    QCOMPARE(snapshot(tmp.path()), before);
}

void TestAtomicFolderWrite::recoveryFinishesAKilledCommit()
{
    // A writer killed after its first rename: weights.bin is new (the old one kept as .old),
    // model.json still old. The next begin() in the folder finishes the commit.
    QTemporaryDir tmp;
    const QString dead = deadWriterTag("0123456789ab");
    const QString live = QStringLiteral("%1-aaaaaaaaaaaa").arg(QCoreApplication::applicationPid());
    writeFile(tmp.filePath(QStringLiteral("model.json")), "old json");
    writeFile(tmp.filePath(QStringLiteral("weights.bin")), "new bin");
    writeFile(tmp.filePath(QStringLiteral(".weights.bin.tfjs-") + dead + QStringLiteral(".old")), "old bin");
    writeFile(tmp.filePath(QStringLiteral(".model.json.tfjs-") + dead), "new json");
    writeFile(tmp.filePath(QStringLiteral(".model.json.tfjs-") + live), "a live writer's"); // kept
    writeFile(tmp.filePath(QStringLiteral("other.txt")), "other");
    TFJS_VERIFY_OK(writeCommitMarker(tmp.path(), dead, false,
                                     {{QStringLiteral(".weights.bin.tfjs-") + dead, QStringLiteral("weights.bin")},
                                      {QStringLiteral(".model.json.tfjs-") + dead, QStringLiteral("model.json")}},
                                     Durability::Strict));
    QVERIFY(commitInProgress(tmp.path()));
    {
        auto write = AtomicFolderWrite::begin(tmp.path(), AtomicFolderWrite::Existing::Replace);
        TFJS_VERIFY_OK(write);
    }
    QVERIFY(!commitInProgress(tmp.path()));
    QCOMPARE(readFile(tmp.filePath(QStringLiteral("model.json"))), QByteArray("new json"));
    QCOMPARE(readFile(tmp.filePath(QStringLiteral("weights.bin"))), QByteArray("new bin"));
    QCOMPARE(everyFileIn(tmp.path()),
             QStringList({QStringLiteral(".model.json.tfjs-") + live, QStringLiteral("model.json"),
                          QStringLiteral("other.txt"), QStringLiteral("weights.bin")}));

    // Without replacing: a target taken meanwhile is kept, the dead writer's file dropped.
    const QString again = deadWriterTag("ba9876543210");
    writeFile(tmp.filePath(QStringLiteral(".new.json.tfjs-") + again), "new");
    writeFile(tmp.filePath(QStringLiteral(".other.txt.tfjs-") + again), "replaced?");
    TFJS_VERIFY_OK(writeCommitMarker(tmp.path(), again, true,
                                     {{QStringLiteral(".new.json.tfjs-") + again, QStringLiteral("new.json")},
                                      {QStringLiteral(".other.txt.tfjs-") + again, QStringLiteral("other.txt")}},
                                     Durability::Relaxed));
    QCOMPARE(recoverFolder(tmp.path()), 1);
    QCOMPARE(readFile(tmp.filePath(QStringLiteral("new.json"))), QByteArray("new"));
    QCOMPARE(readFile(tmp.filePath(QStringLiteral("other.txt"))), QByteArray("other"));
    QCOMPARE(everyFileIn(tmp.path()).size(), 5);
}

void TestAtomicFolderWrite::recoveryRemovesADeadWritersFiles()
{
    // Killed before its commit marker was complete: the folder keeps the old files, and the
    // dead writer's temporary files and unfinished marker go.
    QTemporaryDir tmp;
    const QString dead = deadWriterTag("0123456789ab");
    writeFile(tmp.filePath(QStringLiteral("model.json")), "old json");
    writeFile(tmp.filePath(QStringLiteral(".model.json.tfjs-") + dead), "new json");
    writeFile(tmp.filePath(QStringLiteral(".weights.bin.tfjs-") + dead), "new bin");
    writeFile(tmp.filePath(QStringLiteral(".tfjs-commit-") + dead + QStringLiteral(".part")), "tfjs-commit 1 replace\n");
    writeFile(tmp.filePath(QStringLiteral(".hidden")), "a user's"); // not ours: kept
    QVERIFY(!commitInProgress(tmp.path()));
    QCOMPARE(recoverFolder(tmp.path()), 0);
    QCOMPARE(everyFileIn(tmp.path()), QStringList({QStringLiteral(".hidden"), QStringLiteral("model.json")}));
    QCOMPARE(readFile(tmp.filePath(QStringLiteral("model.json"))), QByteArray("old json"));
}

void TestAtomicFolderWrite::replaceKeepsOtherFiles()
{
    QTemporaryDir tmp;
    writeFile(tmp.filePath(QStringLiteral("model.json")), "old json");
    writeFile(tmp.filePath(QStringLiteral("weights.bin")), "old bin");
    writeFile(tmp.filePath(QStringLiteral("other.txt")), "other");
    auto write = AtomicFolderWrite::begin(tmp.path(), AtomicFolderWrite::Existing::Replace);
    TFJS_VERIFY_OK(write);
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("weights.bin"), bytesWriter("new bin")));
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("model.json"), bytesWriter("new json")));
    TFJS_VERIFY_OK(write->commit());
    Tree expected;
    expected[QStringLiteral("model.json")] = "new json";
    expected[QStringLiteral("weights.bin")] = "new bin";
    expected[QStringLiteral("other.txt")] = "other";
    QCOMPARE(snapshot(tmp.path()), expected);
}

void TestAtomicFolderWrite::replaceKeepsModes()
{
    // A 0600 model replaced stays 0600, and a file new to it (another weights name) too; a new
    // folder's files follow the umask (0644 under the usual 022).
    QTemporaryDir tmp;
    const auto perms = [&](const QString &name) {
        return QFile::permissions(tmp.filePath(name)) & (QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther);
    };
    const QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
    writeFile(tmp.filePath(QStringLiteral("model.json")), "old json");
    writeFile(tmp.filePath(QStringLiteral("weights.bin")), "old bin");
    QVERIFY(QFile::setPermissions(tmp.filePath(QStringLiteral("model.json")), ownerOnly));
    QVERIFY(QFile::setPermissions(tmp.filePath(QStringLiteral("weights.bin")),
                                  ownerOnly | QFile::ReadGroup));
    auto write = AtomicFolderWrite::begin(tmp.path(), AtomicFolderWrite::Existing::Replace);
    TFJS_VERIFY_OK(write);
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("weights.bin"), bytesWriter("new bin")));
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("shard2.bin"), bytesWriter("new shard")));
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("model.json"), bytesWriter("new json")));
    TFJS_VERIFY_OK(write->commit());
    QCOMPARE(perms(QStringLiteral("model.json")), ownerOnly);
    QCOMPARE(perms(QStringLiteral("weights.bin")), ownerOnly | QFile::ReadGroup);
    QCOMPARE(perms(QStringLiteral("shard2.bin")), ownerOnly | QFile::ReadGroup); // first replaced

    const mode_t mask = ::umask(022);
    const auto restore = qScopeGuard([mask] { ::umask(mask); });
    auto fresh = AtomicFolderWrite::begin(tmp.filePath(QStringLiteral("new")),
                                          AtomicFolderWrite::Existing::Replace);
    TFJS_VERIFY_OK(fresh);
    TFJS_VERIFY_OK(fresh->addFile(QStringLiteral("model.json"), bytesWriter("json")));
    TFJS_VERIFY_OK(fresh->commit());
    QCOMPARE(perms(QStringLiteral("new/model.json")), ownerOnly | QFile::ReadGroup | QFile::ReadOther);
}

void TestAtomicFolderWrite::refuseExisting()
{
    QTemporaryDir tmp;
    const QString target = tmp.filePath(QStringLiteral("taken.bin"));
    writeFile(target, "mine");
    auto write = AtomicFolderWrite::begin(tmp.path(), AtomicFolderWrite::Existing::Refuse);
    TFJS_VERIFY_OK(write);
    auto added = write->addFile(QStringLiteral("taken.bin"), bytesWriter("theirs"));
    TFJS_COMPARE_ERROR(added, ErrorCode::Exists, QStringLiteral("%1 already exists.").arg(target));
    QCOMPARE(added.error().path, target);
    QCOMPARE(readFile(target), QByteArray("mine"));
    QCOMPARE(listing(tmp.path()), QStringList{QStringLiteral("taken.bin")});
}

void TestAtomicFolderWrite::refuseTargetAppearingBeforeCommit()
{
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("new"));
    {
        auto write = AtomicFolderWrite::begin(folder, AtomicFolderWrite::Existing::Refuse);
        TFJS_VERIFY_OK(write);
        TFJS_VERIFY_OK(write->addFile(QStringLiteral("a"), bytesWriter("A")));
        TFJS_VERIFY_OK(write->addFile(QStringLiteral("b"), bytesWriter("B")));
        writeFile(folder + QStringLiteral("/b"), "someone else's"); // appears meanwhile
        auto files = write->commit();
        TFJS_COMPARE_ERROR(files, ErrorCode::Exists,
                           QStringLiteral("%1 already exists.").arg(folder + QStringLiteral("/b")));
        // "a" was already renamed in and must have been taken out again.
        QVERIFY(!QFileInfo::exists(folder + QStringLiteral("/a")));
    }
    QCOMPARE(listing(folder), QStringList{QStringLiteral("b")});
    QCOMPARE(readFile(folder + QStringLiteral("/b")), QByteArray("someone else's"));
}

void TestAtomicFolderWrite::renameNoReplace_data()
{
    // Each way renameNoReplace can go: the file system here takes RENAME_NOREPLACE, so the
    // fallbacks are started directly.
    QTest::addColumn<int>("method");
    QTest::newRow("renameat2") << int(NoReplaceMethod::RenameAt2);
    QTest::newRow("link + unlink") << int(NoReplaceMethod::Link);
    QTest::newRow("check + rename") << int(NoReplaceMethod::CheckThenRename);
}

void TestAtomicFolderWrite::renameNoReplace()
{
    QFETCH(int, method);
    const auto how = NoReplaceMethod(method);
    QTemporaryDir tmp;
    const QString from = tmp.filePath(QStringLiteral("new"));
    const QString to = tmp.filePath(QStringLiteral("target"));
    writeFile(from, "new");
    writeFile(to, "old");
    QCOMPARE(tfjs::renameNoReplace(from, to, how), EEXIST);
    QCOMPARE(readFile(from), QByteArray("new"));
    QCOMPARE(readFile(to), QByteArray("old"));
    // A dangling symbolic link is in the way too.
    const QString link = tmp.filePath(QStringLiteral("link"));
    QVERIFY(QFile::link(tmp.filePath(QStringLiteral("nowhere")), link));
    QCOMPARE(tfjs::renameNoReplace(from, link, how), EEXIST);
    QVERIFY(QFile::remove(to));
    QCOMPARE(tfjs::renameNoReplace(from, to, how), 0);
    QCOMPARE(readFile(to), QByteArray("new"));
    QCOMPARE(listing(tmp.path()), (QStringList{QStringLiteral("link"), QStringLiteral("target")}));
    QCOMPARE(tfjs::renameNoReplace(from, tmp.filePath(QStringLiteral("x")), how), ENOENT);
}

void TestAtomicFolderWrite::beginOnFile()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("file"));
    writeFile(file, "x");
    auto write = AtomicFolderWrite::begin(file, AtomicFolderWrite::Existing::Replace);
    TFJS_COMPARE_ERROR(write, ErrorCode::Exists,
                       QStringLiteral("Path %1 exists as a file. The path must be nonexistent or "
                                      "point to a directory.")
                           .arg(file));
    QCOMPARE(write.error().path, file);
    // A file standing where a parent folder should be.
    auto below = AtomicFolderWrite::begin(file + QStringLiteral("/sub"),
                                          AtomicFolderWrite::Existing::Replace);
    QVERIFY(!below);
    QCOMPARE(readFile(file), QByteArray("x"));
}

void TestAtomicFolderWrite::beginEmpty()
{
    TFJS_COMPARE_ERROR(AtomicFolderWrite::begin({}, AtomicFolderWrite::Existing::Replace),
                       ErrorCode::InvalidArgument, QStringLiteral("The folder to save to is empty."));
}

void TestAtomicFolderWrite::writerFailureLeavesFolderAsItWas()
{
    QTemporaryDir tmp;
    writeFile(tmp.filePath(QStringLiteral("out/model.json")), "old");
    const Tree before = snapshot(tmp.path());
    {
        auto write = AtomicFolderWrite::begin(tmp.filePath(QStringLiteral("out")),
                                              AtomicFolderWrite::Existing::Replace);
        TFJS_VERIFY_OK(write);
        TFJS_VERIFY_OK(write->addFile(QStringLiteral("weights.bin"), bytesWriter("partial")));
        auto added = write->addFile(QStringLiteral("model.json"), [](QFile &file) -> Result<void> {
            file.write("half");
            return fail(ErrorCode::Weights, QStringLiteral("writer gave up"));
        });
        TFJS_COMPARE_ERROR(added, ErrorCode::Weights, QStringLiteral("writer gave up"));
    }
    QCOMPARE(snapshot(tmp.path()), before);
}

void TestAtomicFolderWrite::moveTransfersOwnership()
{
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("moved"));
    auto write = AtomicFolderWrite::begin(folder, AtomicFolderWrite::Existing::Replace);
    TFJS_VERIFY_OK(write);
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("f"), bytesWriter("F")));
    {
        AtomicFolderWrite moved(std::move(*write));
        TFJS_VERIFY_OK(moved.commit());
    }
    // The moved-from object must not abandon (delete) what the new owner committed.
    write = fail(ErrorCode::InvalidArgument, QStringLiteral("reset")); // destroys the old one
    QCOMPARE(readFile(folder + QStringLiteral("/f")), QByteArray("F"));
}

void TestAtomicFolderWrite::weightDataFromFilesAndBytes()
{
    QTemporaryDir tmp;
    const QString a = tmp.filePath(QStringLiteral("a.bin"));
    const QString b = tmp.filePath(QStringLiteral("b.bin"));
    writeFile(a, "junk" + pattern(70000, 1) + "tail");
    writeFile(b, pattern(10, 2));
    WeightData data;
    data.appendFile(a, 4, 70000, QStringLiteral("a.bin"));
    data.appendBytes("middle", {});
    data.appendFile(b, 0, 10, QStringLiteral("b.bin"));
    data.appendFile(b, 3, 0, QStringLiteral("empty"));
    auto write = AtomicFolderWrite::begin(tmp.filePath(QStringLiteral("out")),
                                          AtomicFolderWrite::Existing::Replace);
    TFJS_VERIFY_OK(write);
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("weights.bin"), [&data](QFile &file) {
        return writeWeightData(file, data, nullptr);
    }));
    TFJS_VERIFY_OK(write->commit());
    QCOMPARE(readFile(tmp.filePath(QStringLiteral("out/weights.bin"))),
             pattern(70000, 1) + "middle" + pattern(10, 2));
}

void TestAtomicFolderWrite::weightDataShortSource()
{
    QTemporaryDir tmp;
    const QString source = tmp.filePath(QStringLiteral("short.bin"));
    writeFile(source, pattern(60));
    WeightData data;
    data.appendBytes("head", {});
    data.appendFile(source, 10, 100, QStringLiteral("group1-shard1of1.bin"));
    writeFile(tmp.filePath(QStringLiteral("out/weights.bin")), "old");
    const Tree before = snapshot(tmp.filePath(QStringLiteral("out")));
    Result<void> written;
    {
        auto write = AtomicFolderWrite::begin(tmp.filePath(QStringLiteral("out")),
                                              AtomicFolderWrite::Existing::Replace);
        TFJS_VERIFY_OK(write);
        written = write->addFile(QStringLiteral("weights.bin"), [&data](QFile &file) {
            return writeWeightData(file, data, nullptr);
        });
    }
    TFJS_COMPARE_ERROR(written, ErrorCode::Io,
                       QStringLiteral("Cannot read weight file '%1': the file ends at byte 60, 110 bytes expected").arg(source));
    QCOMPARE(written.error().path, source);
    QCOMPARE(written.error().shard, QStringLiteral("group1-shard1of1.bin"));
    QCOMPARE(written.error().offset, 60);
    QCOMPARE(snapshot(tmp.filePath(QStringLiteral("out"))), before);
}

void TestAtomicFolderWrite::weightDataMissingSource()
{
    QTemporaryDir tmp;
    const QString source = tmp.filePath(QStringLiteral("missing.bin"));
    WeightData data;
    data.appendFile(source, 0, 8, QStringLiteral("missing.bin"));
    QFile probe(source);
    QVERIFY(!probe.open(QIODevice::ReadOnly));
    auto write = AtomicFolderWrite::begin(tmp.filePath(QStringLiteral("out")),
                                          AtomicFolderWrite::Existing::Replace);
    TFJS_VERIFY_OK(write);
    auto written = write->addFile(QStringLiteral("weights.bin"), [&data](QFile &file) {
        return writeWeightData(file, data, nullptr);
    });
    TFJS_COMPARE_ERROR(written, ErrorCode::Io,
                       QStringLiteral("Cannot read weight file '%1': %2").arg(source, probe.errorString()));
    QCOMPARE(written.error().path, source);
}

void TestAtomicFolderWrite::weightDataCancelled()
{
    QTemporaryDir tmp;
    const QString source = tmp.filePath(QStringLiteral("src.bin"));
    writeFile(source, pattern(100));
    for (bool fromFile : {true, false}) {
        WeightData data;
        if (fromFile)
            data.appendFile(source, 0, 100, {});
        else
            data.appendBytes(pattern(100), {});
        JobContext ctx;
        ctx.cancel();
        auto write = AtomicFolderWrite::begin(tmp.filePath(QStringLiteral("out")),
                                              AtomicFolderWrite::Existing::Replace);
        TFJS_VERIFY_OK(write);
        auto written = write->addFile(QStringLiteral("weights.bin"), [&](QFile &file) {
            return writeWeightData(file, data, &ctx);
        });
        TFJS_COMPARE_ERROR(written, ErrorCode::Cancelled, QStringLiteral("Cancelled."));
    }
    QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("out"))));
}

void TestAtomicFolderWrite::weightDataProgress()
{
    QTemporaryDir tmp;
    const QString source = tmp.filePath(QStringLiteral("src.bin"));
    writeFile(source, pattern(5000));
    WeightData data;
    data.appendFile(source, 0, 5000, {});
    data.appendBytes(pattern(3000), {});
    qint64 lastDone = 0;
    JobContext ctx([&lastDone](const Progress &p) { lastDone = p.bytesDone; });
    ctx.setStage(QStringLiteral("Writing"), data.size());
    auto write = AtomicFolderWrite::begin(tmp.filePath(QStringLiteral("out")),
                                          AtomicFolderWrite::Existing::Replace);
    TFJS_VERIFY_OK(write);
    TFJS_VERIFY_OK(write->addFile(QStringLiteral("w"), [&](QFile &file) {
        return writeWeightData(file, data, &ctx);
    }));
    QCOMPARE(ctx.progress().bytesDone, 8000);
    QCOMPARE(lastDone, 8000);
}

QTEST_GUILESS_MAIN(TestAtomicFolderWrite)
#include "tst_atomicfolderwrite.moc"

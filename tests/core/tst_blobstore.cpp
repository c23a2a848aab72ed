// BlobStore: the content-addressed weight files of the IndexedDB-like store. Names and paths,
// the write / publish / sweep protocol (bytes invisible until published, an existing blob kept,
// a broken one replaced), errors that leave nothing behind, and what writers killed at each
// step leave (this binary in "child" mode is the writer that gets killed).
#include "base/job.h"
#include "store/blobstore.h"
#include "store/sha256.h"
#include "testutil.h"
#include "io/spoolfile.h"
#include "io/weightdata.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace tfjs;
using namespace tfjs::test;

namespace {

QString hashOf(const QByteArray &bytes)
{
    return QString::fromLatin1(Sha256::hash(bytes).toHex());
}

ino_t inodeOf(const QString &path)
{
    struct stat st{};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

// Every file under `dir`, relative to it, sorted.
QStringList filesUnder(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(dir).relativeFilePath(it.next());
    out.sort();
    return out;
}

// Child mode: `tst_blobstore child DIR STEP` writes a 1 MiB blob of pattern(1 MiB, 9) into the
// store at DIR and kills itself with SIGKILL: "writing" in the middle of the copy,
// "published" after publish() (before any commit would reference it).
int runChild(const QString &dir, const QString &step)
{
    const QString source = dir + QStringLiteral("-source.bin");
    if (!writeFile(source, pattern(1 << 20, 9)))
        return 3;
    WeightData data;
    data.appendFile(source, 0, 1 << 20, QStringLiteral("source.bin"));
    BlobStore store(dir);
    JobContext ctx([&step](const Progress &progress) {
        if (step == QLatin1String("writing") && progress.bytesDone > 0)
            ::raise(SIGKILL);
    });
    auto pending = store.write(data, &ctx, Durability::Strict);
    if (!pending || !store.publish(*pending))
        return 4;
    ::raise(SIGKILL);
    return 5;
}

} // namespace

class TestBlobStore : public QObject
{
    Q_OBJECT

private slots:
    void isHash_data();
    void isHash();
    void paths();
    void writeIsInvisibleUntilPublished();
    void unpublishedIsDiscarded();
    void publishKeepsAnExistingBlob();
    void publishReplacesABrokenBlob();
    void writeErrorsLeaveNothing_data();
    void writeErrorsLeaveNothing();
    void cancelledWriteLeavesNothing();
    void progressCountsEveryByte();
    void emptyBlob();
    void wholeSpoolBecomesTheBlob();
    void spoolOnAnotherFileSystemIsCopied();
    void hashingKeepsResidentMemoryBounded();
    void sweep();
    void killedWriterLeftovers_data();
    void killedWriterLeftovers();
};

void TestBlobStore::isHash_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("hash");
    QTest::newRow("sha-256 hex") << hashOf("x") << true;
    QTest::newRow("all zeros") << QString(64, QLatin1Char('0')) << true;
    QTest::newRow("upper case") << hashOf("x").toUpper() << false;
    QTest::newRow("63 digits") << hashOf("x").left(63) << false;
    QTest::newRow("65 digits") << hashOf("x") + QLatin1Char('a') << false;
    QTest::newRow("not hex") << QString(63, QLatin1Char('a')) + QLatin1Char('g') << false;
    QTest::newRow("empty") << QString() << false;
}

void TestBlobStore::isHash()
{
    QFETCH(QString, text);
    QFETCH(bool, hash);
    QCOMPARE(BlobStore::isHash(text), hash);
}

void TestBlobStore::paths()
{
    QTemporaryDir tmp;
    BlobStore store(tmp.filePath(QStringLiteral("a/../blobs")));
    QCOMPARE(store.dir(), tmp.filePath(QStringLiteral("blobs")));
    const QString hash = hashOf("weights");
    const QString path = store.pathFor(hash);
    QCOMPARE(path, store.dir() + QLatin1Char('/') + hash.left(2) + QLatin1Char('/') + hash);
    // hashOfPath knows only this store's blob files (which must exist to be found).
    QCOMPARE(store.hashOfPath(path), QString());
    QVERIFY(writeFile(path, "weights"));
    QCOMPARE(store.hashOfPath(path), hash);
    const QString wrongFolder = store.dir() + QStringLiteral("/00/") + hash;
    QVERIFY(writeFile(wrongFolder, "weights"));
    QCOMPARE(store.hashOfPath(wrongFolder), QString());
    const QString elsewhere = tmp.filePath(QStringLiteral("other/") + hash.left(2) + QLatin1Char('/') + hash);
    QVERIFY(writeFile(elsewhere, "weights"));
    QCOMPARE(store.hashOfPath(elsewhere), QString());
    const QString notAHash = store.dir() + QLatin1Char('/') + hash.left(2) + QStringLiteral("/x.bin");
    QVERIFY(writeFile(notAHash, "weights"));
    QCOMPARE(store.hashOfPath(notAHash), QString());
}

void TestBlobStore::writeIsInvisibleUntilPublished()
{
    QTemporaryDir tmp;
    const QString shard = tmp.filePath(QStringLiteral("shard.bin"));
    QVERIFY(writeFile(shard, "pad" + pattern(10 << 20, 1)));
    WeightData data = WeightData::fromBytes("head");
    data.appendFile(shard, 3, 10 << 20, QStringLiteral("shard.bin"));
    data.appendBytes("tail", {});
    const QByteArray bytes = "head" + pattern(10 << 20, 1) + "tail";
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));

    auto pending = store.write(data, nullptr, Durability::Strict);
    TFJS_VERIFY_OK(pending);
    QCOMPARE(pending->hash, hashOf(bytes));
    QCOMPARE(pending->size, bytes.size());
    QCOMPARE(store.hashes(), QStringList{});
    QVERIFY(!store.isComplete(pending->hash, pending->size));
    QCOMPARE(filesUnder(store.dir()), QStringList{}); // an unnamed file

    TFJS_VERIFY_OK(store.publish(*pending));
    TFJS_VERIFY_OK(store.syncPublished(*pending));
    QCOMPARE(store.hashes(), QStringList{hashOf(bytes)});
    QVERIFY(store.isComplete(hashOf(bytes), bytes.size()));
    QVERIFY(!store.isComplete(hashOf(bytes), bytes.size() + 1));
    QVERIFY(readFile(store.pathFor(hashOf(bytes))) == bytes);
    QCOMPARE(filesUnder(store.dir()), QStringList{hashOf(bytes).left(2) + QLatin1Char('/') + hashOf(bytes)});
}

void TestBlobStore::unpublishedIsDiscarded()
{
    QTemporaryDir tmp;
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    {
        auto pending = store.write(WeightData::fromBytes("dropped"), nullptr, Durability::Relaxed);
        TFJS_VERIFY_OK(pending);
        BlobStore::Pending moved = std::move(*pending); // ownership moves with it
        QCOMPARE(moved.hash, hashOf("dropped"));
    }
    QCOMPARE(filesUnder(store.dir()), QStringList{});
    QCOMPARE(store.hashes(), QStringList{});
    // Publishing twice is harmless: the second finds the blob complete.
    auto first = store.write(WeightData::fromBytes("kept"), nullptr, Durability::Relaxed);
    TFJS_VERIFY_OK(first);
    TFJS_VERIFY_OK(store.publish(*first));
    TFJS_VERIFY_OK(store.publish(*first));
    QCOMPARE(store.hashes(), QStringList{hashOf("kept")});
}

void TestBlobStore::publishKeepsAnExistingBlob()
{
    QTemporaryDir tmp;
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    auto first = store.write(WeightData::fromBytes(pattern(5000)), nullptr, Durability::Relaxed);
    TFJS_VERIFY_OK(first);
    TFJS_VERIFY_OK(store.publish(*first));
    const QString path = store.pathFor(first->hash);
    const ino_t inode = inodeOf(path);
    auto second = store.write(WeightData::fromBytes(pattern(5000)), nullptr, Durability::Strict);
    TFJS_VERIFY_OK(second);
    QCOMPARE(second->hash, first->hash);
    TFJS_VERIFY_OK(store.publish(*second));
    TFJS_VERIFY_OK(store.syncPublished(*second));
    QCOMPARE(inodeOf(path), inode);
    QCOMPARE(filesUnder(store.dir()), QStringList{first->hash.left(2) + QLatin1Char('/') + first->hash});
}

void TestBlobStore::publishReplacesABrokenBlob()
{
    // A blob file of the right name but the wrong size (a damaged disk, a foreign tool) is
    // replaced by the complete bytes.
    QTemporaryDir tmp;
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    const QByteArray bytes = pattern(5000, 2);
    QVERIFY(writeFile(store.pathFor(hashOf(bytes)), bytes.left(100)));
    auto pending = store.write(WeightData::fromBytes(bytes), nullptr, Durability::Strict);
    TFJS_VERIFY_OK(pending);
    TFJS_VERIFY_OK(store.publish(*pending));
    QCOMPARE(readFile(store.pathFor(hashOf(bytes))), bytes);
    QCOMPARE(filesUnder(store.dir()), QStringList{hashOf(bytes).left(2) + QLatin1Char('/') + hashOf(bytes)});
}

void TestBlobStore::writeErrorsLeaveNothing_data()
{
    QTest::addColumn<qint64>("fileSize"); // -1: no file
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<qint64>("errorOffset");
    QTest::addColumn<QString>("why"); // empty: the OS's message for a missing file
    QTest::newRow("missing file") << -1LL << 0LL << 10LL << 0LL << QString();
    QTest::newRow("short file") << 60LL << 10LL << 100LL << 60LL
                                << QStringLiteral("the file ends at byte 60, 110 bytes expected");
    QTest::newRow("short after whole steps")
        << qint64(17 << 20) << 0LL << qint64(20 << 20) << qint64(17 << 20)
        << QStringLiteral("the file ends at byte %1, %2 bytes expected").arg(17 << 20).arg(20 << 20);
}

void TestBlobStore::writeErrorsLeaveNothing()
{
    QFETCH(qint64, fileSize);
    QFETCH(qint64, offset);
    QFETCH(qint64, size);
    QFETCH(qint64, errorOffset);
    QFETCH(QString, why);
    QTemporaryDir tmp;
    const QString shard = tmp.filePath(QStringLiteral("shard.bin"));
    if (fileSize >= 0)
        QVERIFY(writeFile(shard, pattern(fileSize)));
    if (why.isEmpty())
        why = QStringLiteral("No such file or directory");
    WeightData data = WeightData::fromBytes("bytes first");
    data.appendFile(shard, offset, size, QStringLiteral("group1-shard1of1.bin"));
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    auto pending = store.write(data, nullptr, Durability::Strict);
    TFJS_COMPARE_ERROR(pending, ErrorCode::Io,
                       QStringLiteral("Cannot read weight file '%1': %2").arg(shard, why));
    QCOMPARE(pending.error().path, shard);
    QCOMPARE(pending.error().shard, QStringLiteral("group1-shard1of1.bin"));
    QCOMPARE(pending.error().offset, errorOffset);
    QCOMPARE(filesUnder(store.dir()), QStringList{});
}

void TestBlobStore::cancelledWriteLeavesNothing()
{
    QTemporaryDir tmp;
    const QString shard = tmp.filePath(QStringLiteral("shard.bin"));
    QVERIFY(writeFile(shard, pattern(24 << 20)));
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    for (bool fromFile : {true, false}) {
        WeightData data;
        if (fromFile)
            data.appendFile(shard, 0, 24 << 20, QStringLiteral("shard.bin"));
        else
            data.appendBytes(pattern(24 << 20), {});
        JobContext ctx;
        ctx.setProgressHandler([&ctx](const Progress &progress) {
            if (progress.bytesDone > 0)
                ctx.cancel(); // Cancel pressed once the first bytes are in
        });
        auto pending = store.write(data, &ctx, Durability::Strict);
        TFJS_COMPARE_ERROR(pending, ErrorCode::Cancelled, QStringLiteral("Cancelled."));
        QVERIFY(ctx.progress().bytesDone > 0);
        QVERIFY(ctx.progress().bytesDone < 24 << 20);
        QCOMPARE(filesUnder(store.dir()), QStringList{});
    }
}

void TestBlobStore::progressCountsEveryByte()
{
    QTemporaryDir tmp;
    const QString shard = tmp.filePath(QStringLiteral("shard.bin"));
    QVERIFY(writeFile(shard, pattern(9 << 20, 3)));
    WeightData data;
    data.appendFile(shard, 0, 9 << 20, QStringLiteral("a"));
    data.appendBytes(pattern(5 << 20, 4), {});
    data.appendFile(shard, 1, 1000, QStringLiteral("b"));
    qint64 lastReported = 0;
    JobContext ctx([&lastReported](const Progress &progress) { lastReported = progress.bytesDone; });
    ctx.setStage(QStringLiteral("Saving"), data.size());
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    auto pending = store.write(data, &ctx, Durability::Relaxed);
    TFJS_VERIFY_OK(pending);
    QCOMPARE(ctx.progress().bytesDone, data.size());
    QCOMPARE(lastReported, data.size());
    QCOMPARE(pending->hash, hashOf(pattern(9 << 20, 3) + pattern(5 << 20, 4) + pattern(9 << 20, 3).mid(1, 1000)));
}

namespace {

// A spool file in `folder` holding `bytes` (written in two pieces, as an upload arrives).
std::shared_ptr<SpoolFile> spoolOf(const QString &folder, const QByteArray &bytes)
{
    auto spool = SpoolFile::create(folder);
    if (!spool)
        return nullptr;
    const qint64 half = bytes.size() / 2;
    if (!(*spool)->writeAt(0, bytes.constData(), half)
        || !(*spool)->writeAt(half, bytes.constData() + half, bytes.size() - half))
        return nullptr;
    return *spool;
}

} // namespace

void TestBlobStore::wholeSpoolBecomesTheBlob()
{
    // An upload the server spooled beside the store: the blob is that file, not a copy.
    QTemporaryDir tmp;
    const QByteArray bytes = pattern(3 << 20, 4);
    auto spool = spoolOf(tmp.path(), bytes);
    QVERIFY(spool);
    WeightData data;
    data.appendSpool(spool, 0, bytes.size(), QStringLiteral("model.weights.bin"));
    JobContext ctx;
    ctx.setStage(QStringLiteral("Saving"), data.size());
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    auto pending = store.write(data, &ctx, Durability::Strict);
    TFJS_VERIFY_OK(pending);
    QCOMPARE(pending->hash, hashOf(bytes));
    QCOMPARE(pending->size, bytes.size());
    QCOMPARE(ctx.progress().bytesDone, data.size());
    QCOMPARE(filesUnder(store.dir()), QStringList{}); // unnamed until published
    TFJS_VERIFY_OK(store.publish(*pending));
    TFJS_VERIFY_OK(store.syncPublished(*pending));
    const QString path = store.pathFor(hashOf(bytes));
    QCOMPARE(inodeOf(path), inodeOf(spool->path()));
    QVERIFY(readFile(path) == bytes);
    // It has its one name now: a later save elsewhere copies instead of linking it.
    const auto linked = spool->linkTo(tmp.filePath(QStringLiteral("other.bin")), Durability::Relaxed);
    QVERIFY(!linked);
    QCOMPARE(linked.error().message, QStringLiteral("The downloaded weights already have a name."));
    auto again = store.write(data, nullptr, Durability::Relaxed);
    TFJS_VERIFY_OK(again);
    QCOMPARE(again->hash, hashOf(bytes));
    // Part of a spool is copied.
    auto other = spoolOf(tmp.path(), pattern(5000, 5));
    QVERIFY(other);
    WeightData part;
    part.appendSpool(other, 10, 4000, QStringLiteral("model.weights.bin"));
    auto copied = store.write(part, nullptr, Durability::Relaxed);
    TFJS_VERIFY_OK(copied);
    TFJS_VERIFY_OK(store.publish(*copied));
    QCOMPARE(copied->hash, hashOf(pattern(5000, 5).mid(10, 4000)));
    QVERIFY(inodeOf(store.pathFor(copied->hash)) != inodeOf(other->path()));
    TFJS_VERIFY_OK(other->linkTo(tmp.filePath(QStringLiteral("other.bin")), Durability::Relaxed));
}

void TestBlobStore::spoolOnAnotherFileSystemIsCopied()
{
    QTemporaryDir tmp;
    const QString shm = QStringLiteral("/dev/shm");
    struct stat a{};
    struct stat b{};
    if (::stat(QFile::encodeName(tmp.path()).constData(), &a) != 0
        || ::stat(QFile::encodeName(shm).constData(), &b) != 0 || a.st_dev == b.st_dev)
        QSKIP("The copy between file systems needs /dev/shm (a tmpfs on every Debian 12) on "
              "another file system than the temporary folder; here both are one (TMPDIR on "
              "/dev/shm?), so only the same-file-system case, wholeSpoolBecomesTheBlob, runs.");
    const QByteArray bytes = pattern(1 << 20, 6);
    auto spool = spoolOf(shm, bytes);
    QVERIFY(spool);
    WeightData data;
    data.appendSpool(spool, 0, bytes.size(), QStringLiteral("model.weights.bin"));
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    auto pending = store.write(data, nullptr, Durability::Strict);
    TFJS_VERIFY_OK(pending);
    TFJS_VERIFY_OK(store.publish(*pending));
    QCOMPARE(pending->hash, hashOf(bytes));
    QVERIFY(readFile(store.pathFor(pending->hash)) == bytes);
    QVERIFY(inodeOf(store.pathFor(pending->hash)) != inodeOf(spool->path()));
}

void TestBlobStore::emptyBlob()
{
    QTemporaryDir tmp;
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    auto pending = store.write(WeightData(), nullptr, Durability::Strict);
    TFJS_VERIFY_OK(pending);
    QCOMPARE(pending->hash, hashOf({}));
    QCOMPARE(pending->size, 0);
    TFJS_VERIFY_OK(store.publish(*pending));
    QVERIFY(store.isComplete(hashOf({}), 0));
}

// The hasher reads the blob through a mapping; the pages it has hashed must not stay in the
// process's resident set (a 1 GiB model saved by the model server peaked at 1 GiB RSS).
void TestBlobStore::hashingKeepsResidentMemoryBounded()
{
    const auto peakKb = [] {
        QFile status(QStringLiteral("/proc/self/status"));
        if (!status.open(QIODevice::ReadOnly))
            return qint64(-1);
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("VmHWM:"))
                return line.mid(6).trimmed().split(' ').front().toLongLong();
        return qint64(-1);
    };
    QTemporaryDir tmp;
    const QString shard = tmp.filePath(QStringLiteral("shard.bin"));
    constexpr qint64 kSize = qint64(128) << 20;
    {
        QFile file(shard);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray chunk = pattern(1 << 20, 5);
        for (qint64 done = 0; done < kSize; done += chunk.size())
            QCOMPARE(file.write(chunk), chunk.size());
    }
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    if (!clearRefs.open(QIODevice::WriteOnly) || clearRefs.write("5") != 1)
        QSKIP("Needs /proc/self/clear_refs (Linux 4.0 and later) to reset the peak resident set "
              "size before the save: without it the peak measured is the test process's "
              "earlier one, not the save's. Every Debian 12 kernel has it; this run's does not.");
    clearRefs.close();
    const qint64 before = peakKb();
    QVERIFY(before > 0);
    WeightData data;
    data.appendFile(shard, 0, kSize, QStringLiteral("shard.bin"));
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    auto pending = store.write(data, nullptr, Durability::Relaxed);
    TFJS_VERIFY_OK(pending);
    QCOMPARE(pending->size, kSize);
    const qint64 grown = peakKb() - before;
    QVERIFY2(grown < (32 << 10), qPrintable(QStringLiteral("the peak RSS grew by %1 KiB").arg(grown)));
}

void TestBlobStore::sweep()
{
    QTemporaryDir tmp;
    BlobStore store(tmp.filePath(QStringLiteral("blobs")));
    QStringList published;
    for (const char *text : {"one", "two", "three"}) {
        auto pending = store.write(WeightData::fromBytes(text), nullptr, Durability::Relaxed);
        TFJS_VERIFY_OK(pending);
        TFJS_VERIFY_OK(store.publish(*pending));
        published << pending->hash;
    }
    // Leftovers: a temporary file of an ended process, one of this process (a write under way),
    // one of this process older than a day (a pid reused since), and files sweep must not touch.
    QProcess ended;
    ended.start(QStringLiteral("true"), {});
    QVERIFY(ended.waitForStarted());
    const qint64 endedPid = ended.processId();
    QVERIFY(ended.waitForFinished());
    QVERIFY(endedPid > 0);
    const QString deadTemp = store.dir() + QStringLiteral("/tmp/%1-a").arg(endedPid);
    const QString liveTemp = store.dir() + QStringLiteral("/tmp/%1-b").arg(::getpid());
    const QString staleTemp = store.dir() + QStringLiteral("/tmp/%1-c").arg(::getpid());
    for (const QString &path : {deadTemp, liveTemp, staleTemp})
        QVERIFY(writeFile(path, "partial"));
    QFile stale(staleTemp);
    QVERIFY(stale.open(QIODevice::ReadWrite));
    QVERIFY(stale.setFileTime(QDateTime::currentDateTimeUtc().addDays(-2),
                              QFileDevice::FileModificationTime));
    stale.close();
    const QString foreign = store.dir() + QLatin1Char('/') + published[0].left(2) + QStringLiteral("/notes.txt");
    QVERIFY(writeFile(foreign, "mine"));
    const QString misplaced = store.dir() + QStringLiteral("/zz/") + published[1];
    QVERIFY(writeFile(misplaced, "two"));

    QStringList asked;
    const int deleted = store.sweep([&](const QString &hash) {
        asked << hash;
        return hash == published[1];
    });
    QCOMPARE(deleted, 4); // two blobs, the dead and the stale temporary files
    asked.sort();
    QStringList blobs = published;
    blobs.sort();
    QCOMPARE(asked, blobs);
    QCOMPARE(store.hashes(), QStringList{published[1]});
    QVERIFY(!QFileInfo::exists(deadTemp));
    QVERIFY(!QFileInfo::exists(staleTemp));
    QVERIFY(QFileInfo::exists(liveTemp));
    QVERIFY(QFileInfo::exists(foreign));
    QVERIFY(QFileInfo::exists(misplaced));
    // A store that was never written: nothing to do.
    QCOMPARE(BlobStore(tmp.filePath(QStringLiteral("none"))).sweep([](const QString &) { return false; }), 0);
}

void TestBlobStore::killedWriterLeftovers_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<bool>("leavesBlob");
    QTest::newRow("killed while writing") << QStringLiteral("writing") << false;
    QTest::newRow("killed after publishing") << QStringLiteral("published") << true;
}

void TestBlobStore::killedWriterLeftovers()
{
    QFETCH(QString, step);
    QFETCH(bool, leavesBlob);
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("blobs"));
    QProcess child;
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("child"), dir, step});
    QVERIFY(child.waitForFinished(60000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    BlobStore store(dir);
    const QString hash = hashOf(pattern(1 << 20, 9));
    // An unnamed file vanishes with its process; a published one stays until a sweep finds no
    // reference to it (the commit that would have referenced it never happened).
    QCOMPARE(store.hashes(), leavesBlob ? QStringList{hash} : QStringList{});
    QCOMPARE(filesUnder(dir + QStringLiteral("/tmp")), QStringList{});
    QCOMPARE(store.sweep([](const QString &) { return false; }), leavesBlob ? 1 : 0);
    QCOMPARE(filesUnder(dir), QStringList{});
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 4 && args.at(1) == QLatin1String("child"))
        return runChild(args.at(2), args.at(3));
    TestBlobStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_blobstore.moc"

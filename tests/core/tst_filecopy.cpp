// copyFileRange: the one routine that copies file ranges (weight shards into a saved folder or
// a store blob, one download spool into another). Real files on the temporary folder's file
// system and on a tmpfs (another file system, where the kernel refuses to copy and read/write
// takes over), offsets, the switch to read/write in the middle of a copy, short sources, OS
// errors naming the side, cancel and progress.
#include "io/filecopy.h"
#include "base/job.h"
#include "testutil.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tfjs;
using namespace tfjs::test;

namespace {

constexpr qint64 kMiB = 1 << 20;

// An open file descriptor, closed when it goes.
class Fd
{
public:
    Fd(const QString &path, int flags) : m_fd(::open(QFile::encodeName(path).constData(), flags, 0644)) {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    qint64 position() const { return ::lseek(m_fd, 0, SEEK_CUR); }

private:
    int m_fd;
};

dev_t deviceOf(const QString &path)
{
    struct stat st{};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_dev : dev_t(0);
}

// A folder on a file system other than the temporary folder's: a tmpfs mounted for the test
// (as root, `size` bounding it), else /dev/shm when that is another file system.
class OtherFileSystem
{
public:
    explicit OtherFileSystem(const QString &sizeOption = QStringLiteral("size=256m"))
    {
        if (::geteuid() == 0
            && ::mount("tfjs-test", QFile::encodeName(m_mountPoint.path()).constData(), "tmpfs",
                       0, sizeOption.toLatin1().constData())
                   == 0) {
            m_mounted = true;
            m_path = m_mountPoint.path();
        } else if (sizeOption == QStringLiteral("size=256m")
                   && deviceOf(QStringLiteral("/dev/shm")) != deviceOf(QDir::tempPath())) {
            m_shm.emplace(QStringLiteral("/dev/shm/tst_filecopy-XXXXXX"));
            if (m_shm->isValid())
                m_path = m_shm->path();
        }
    }
    ~OtherFileSystem()
    {
        if (m_mounted)
            ::umount(QFile::encodeName(m_mountPoint.path()).constData());
    }
    // Empty when there is no other file system to use.
    QString path() const { return m_path; }

private:
    QTemporaryDir m_mountPoint;
    std::optional<QTemporaryDir> m_shm;
    QString m_path;
    bool m_mounted = false;
};

// A source and a target file, written and opened for a test. Folders default to a
// temporary folder of the fixture's own.
struct Files
{
    struct Options
    {
        QByteArray sourceBytes = {};
        QByteArray targetBytes = {};
        int sourceFlags = O_RDONLY;
        int targetFlags = O_RDWR;
        QString sourceFolder = {};
        QString targetFolder = {};
    };
    explicit Files(const Options &options)
        : source((options.sourceFolder.isEmpty() ? tmp.path() : options.sourceFolder)
                 + QStringLiteral("/src")),
          target((options.targetFolder.isEmpty() ? tmp.path() : options.targetFolder)
                 + QStringLiteral("/dst")),
          written(writeFile(source, options.sourceBytes) && writeFile(target, options.targetBytes)),
          in(source, options.sourceFlags), out(target, options.targetFlags)
    {
    }
    FileCopy range(qint64 sourceOffset, qint64 targetOffset, qint64 size) const
    {
        return {.source = in.get(),
                .sourceOffset = sourceOffset,
                .target = out.get(),
                .targetOffset = targetOffset,
                .size = size,
                .sourcePath = source,
                .targetPath = target};
    }

    QTemporaryDir tmp;
    const QString source;
    const QString target;
    const bool written;
    Fd in;
    Fd out;
};

// The target ranges `copied` was called with.
struct Steps
{
    std::vector<std::pair<qint64, qint64>> ranges;
    qint64 total() const
    {
        qint64 sum = 0;
        for (const auto &range : ranges)
            sum += range.second;
        return sum;
    }
    // Each range starts where the one before ended, the first at `start`.
    bool contiguousFrom(qint64 start) const
    {
        for (const auto &range : ranges) {
            if (range.first != start)
                return false;
            start += range.second;
        }
        return true;
    }
};

} // namespace

class TestFileCopy : public QObject
{
    Q_OBJECT

private slots:
    void copies_data();
    void copies();
    void shortSource_data();
    void shortSource();
    void unreadableSource();
    void unwritableTarget();
    void fullTarget();
    void describeWordsErrors();
    void cancelMidCopy_data();
    void cancelMidCopy();
    void cancelledBeforeStart();
    void copiedErrorStopsTheCopy();
    void progressTotals();
};

void TestFileCopy::copies_data()
{
    QTest::addColumn<bool>("sourceElsewhere"); // on the other file system
    QTest::addColumn<bool>("targetElsewhere");
    QTest::addColumn<qint64>("sourceOffset");
    QTest::addColumn<qint64>("targetOffset");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<int>("kernelSteps");
    const qint64 big = 20 * kMiB + 3; // three steps, the last short
    QTest::newRow("same fs, small") << false << false << 0LL << 0LL << 1000LL << -1;
    QTest::newRow("same fs, offsets, steps") << false << false << 123LL << 4567LL << big << -1;
    QTest::newRow("same fs, empty") << false << false << 10LL << 20LL << 0LL << -1;
    QTest::newRow("same fs, read/write from the start") << false << false << 7LL << 9LL << big << 0;
    QTest::newRow("same fs, read/write from the second step") << false << false << 7LL << 9LL << big << 1;
    QTest::newRow("same fs, read/write for the last step") << false << false << 1LL << 0LL << big << 2;
    QTest::newRow("tmp to tmpfs") << false << true << 5LL << 11LL << big << -1;
    QTest::newRow("tmpfs to tmp") << true << false << 11LL << 5LL << big << -1;
    QTest::newRow("tmpfs to tmpfs") << true << true << 0LL << 3LL << 3 * kMiB << -1;
}

void TestFileCopy::copies()
{
    QFETCH(bool, sourceElsewhere);
    QFETCH(bool, targetElsewhere);
    QFETCH(qint64, sourceOffset);
    QFETCH(qint64, targetOffset);
    QFETCH(qint64, size);
    QFETCH(int, kernelSteps);
    OtherFileSystem other;
    if ((sourceElsewhere || targetElsewhere) && other.path().isEmpty())
        QSKIP("no second file system: not root (to mount a tmpfs) and /dev/shm is not one");
    const QByteArray sourceBytes = pattern(sourceOffset + size + 50, 1);
    const QByteArray before = pattern(targetOffset + size + 40, 2); // kept around the range
    Files files({.sourceBytes = sourceBytes,
                 .targetBytes = before,
                 .sourceFolder = sourceElsewhere ? other.path() : QString(),
                 .targetFolder = targetElsewhere ? other.path() : QString()});
    QVERIFY(files.written);
    QVERIFY(::lseek(files.in.get(), 3, SEEK_SET) == 3);

    Steps steps;
    FileCopy copy = files.range(sourceOffset, targetOffset, size);
    copy.kernelSteps = kernelSteps;
    copy.copied = [&steps](qint64 at, qint64 bytes) -> Result<void> {
        steps.ranges.emplace_back(at, bytes);
        return {};
    };
    JobContext ctx;
    TFJS_VERIFY_OK(copyFileRange(copy, &ctx));

    QByteArray expected = before;
    expected.replace(targetOffset, size, sourceBytes.mid(sourceOffset, size));
    const QByteArray after = readFile(files.target);
    QCOMPARE(after.size(), expected.size());
    QVERIFY(after == expected); // (not QCOMPARE: it would print megabytes)
    QCOMPARE(ctx.progress().bytesDone, size);
    QCOMPARE(steps.total(), size);
    QVERIFY(steps.contiguousFrom(targetOffset));
    QCOMPARE(steps.ranges.size(), std::size_t((size + 8 * kMiB - 1) / (8 * kMiB)));
    // Neither file position moved.
    QCOMPARE(files.in.position(), 3);
    QCOMPARE(files.out.position(), 0);
}

void TestFileCopy::shortSource_data()
{
    QTest::addColumn<bool>("sourceElsewhere");
    QTest::addColumn<int>("kernelSteps");
    QTest::addColumn<qint64>("fileSize");
    QTest::addColumn<qint64>("sourceOffset");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<qint64>("endsAt"); // where the copy finds the end
    QTest::newRow("same fs") << false << -1 << 60LL << 10LL << 100LL << 60LL;
    QTest::newRow("same fs, read/write") << false << 0 << 60LL << 10LL << 100LL << 60LL;
    QTest::newRow("across file systems") << true << -1 << 60LL << 10LL << 100LL << 60LL;
    QTest::newRow("after whole steps") << false << -1 << 16 * kMiB + 5 << 0LL << 20 * kMiB << 16 * kMiB + 5;
    QTest::newRow("empty file") << false << -1 << 0LL << 0LL << 1LL << 0LL;
    QTest::newRow("offset past the end") << false << -1 << 60LL << 70LL << 5LL << 60LL;
}

void TestFileCopy::shortSource()
{
    QFETCH(bool, sourceElsewhere);
    QFETCH(int, kernelSteps);
    QFETCH(qint64, fileSize);
    QFETCH(qint64, sourceOffset);
    QFETCH(qint64, size);
    QFETCH(qint64, endsAt);
    OtherFileSystem other;
    if (sourceElsewhere && other.path().isEmpty())
        QSKIP("no second file system: not root (to mount a tmpfs) and /dev/shm is not one");
    Files files({.sourceBytes = pattern(fileSize, 4),
                 .sourceFolder = sourceElsewhere ? other.path() : QString()});
    QVERIFY(files.written);
    FileCopy copy = files.range(sourceOffset, 0, size);
    copy.kernelSteps = kernelSteps;
    JobContext ctx;
    auto copied = copyFileRange(copy, &ctx);
    TFJS_COMPARE_ERROR(copied, ErrorCode::Io,
                       QStringLiteral("Cannot read %1: the file ends at byte %2, %3 bytes expected")
                           .arg(files.source)
                           .arg(endsAt)
                           .arg(sourceOffset + size));
    QCOMPARE(copied.error().path, files.source);
    QCOMPARE(copied.error().offset, endsAt);
    // What was there was copied (and counted) before the end was found.
    const qint64 got = std::max<qint64>(0, endsAt - sourceOffset);
    QCOMPARE(ctx.progress().bytesDone, got);
    QVERIFY(readFile(files.target) == pattern(fileSize, 4).mid(sourceOffset, got));
}

void TestFileCopy::unreadableSource()
{
    // Opened for writing only: the kernel copy and pread both refuse it; the error names it.
    Files files({.sourceBytes = pattern(100), .sourceFlags = O_WRONLY});
    QVERIFY(files.written);
    auto copied = copyFileRange(files.range(40, 0, 10));
    TFJS_COMPARE_ERROR(copied, ErrorCode::Io,
                       QStringLiteral("Cannot read %1 at byte 40: Bad file descriptor")
                           .arg(files.source));
    QCOMPARE(copied.error().path, files.source);
    QCOMPARE(copied.error().offset, 40);
    QCOMPARE(QFileInfo(files.target).size(), 0);
}

void TestFileCopy::unwritableTarget()
{
    Files files({.sourceBytes = pattern(100), .targetBytes = "kept", .targetFlags = O_RDONLY});
    QVERIFY(files.written);
    auto copied = copyFileRange(files.range(0, 7, 100));
    TFJS_COMPARE_ERROR(copied, ErrorCode::Io,
                       QStringLiteral("Cannot write %1 at byte 7: Bad file descriptor")
                           .arg(files.target));
    QCOMPARE(copied.error().path, files.target);
    QCOMPARE(copied.error().offset, 7);
    QCOMPARE(readFile(files.target), QByteArray("kept"));
}

void TestFileCopy::fullTarget()
{
    // A 64 KiB tmpfs takes 16 pages of a 1 MiB copy, then the disk is full.
    OtherFileSystem small(QStringLiteral("size=64k"));
    if (small.path().isEmpty())
        QSKIP("needs root to mount a small tmpfs");
    Files files({.sourceBytes = pattern(kMiB), .targetFolder = small.path()});
    QVERIFY(files.written);
    auto copied = copyFileRange(files.range(0, 0, kMiB));
    TFJS_COMPARE_ERROR(copied, ErrorCode::Io,
                       QStringLiteral("Cannot write %1 at byte 65536: No space left on device")
                           .arg(files.target));
    QCOMPARE(copied.error().path, files.target);
    QCOMPARE(copied.error().offset, 65536);
}

void TestFileCopy::describeWordsErrors()
{
    std::vector<CopyFailure> seen;
    const auto describe = [&seen](const CopyFailure &failure) {
        seen.push_back(failure);
        return Error{ErrorCode::Weights, QStringLiteral("worded by the caller: ") + failure.why};
    };
    Files shortSource({.sourceBytes = pattern(30)});
    QVERIFY(shortSource.written);
    FileCopy copy = shortSource.range(20, 0, 15);
    copy.describe = describe;
    TFJS_COMPARE_ERROR(copyFileRange(copy), ErrorCode::Weights,
                       QStringLiteral("worded by the caller: the file ends at byte 30, 35 bytes "
                                      "expected"));
    Files readOnlyTarget({.sourceBytes = pattern(30), .targetFlags = O_RDONLY});
    QVERIFY(readOnlyTarget.written);
    copy = readOnlyTarget.range(0, 3, 15);
    copy.describe = describe;
    TFJS_COMPARE_ERROR(copyFileRange(copy), ErrorCode::Weights,
                       QStringLiteral("worded by the caller: Bad file descriptor"));
    QCOMPARE(seen.size(), std::size_t(2));
    QCOMPARE(seen[0].side, CopyFailure::Side::Source);
    QCOMPARE(seen[0].offset, 30);
    QVERIFY(seen[0].sourceEnded);
    QCOMPARE(seen[1].side, CopyFailure::Side::Target);
    QCOMPARE(seen[1].offset, 3);
    QVERIFY(!seen[1].sourceEnded);
}

void TestFileCopy::cancelMidCopy_data()
{
    QTest::addColumn<int>("kernelSteps");
    QTest::addColumn<bool>("targetElsewhere");
    QTest::newRow("kernel copy") << -1 << false;
    QTest::newRow("read/write") << 0 << false;
    QTest::newRow("across file systems") << -1 << true;
}

void TestFileCopy::cancelMidCopy()
{
    QFETCH(int, kernelSteps);
    QFETCH(bool, targetElsewhere);
    OtherFileSystem other;
    if (targetElsewhere && other.path().isEmpty())
        QSKIP("no second file system: not root (to mount a tmpfs) and /dev/shm is not one");
    Files files({.sourceBytes = pattern(32 * kMiB, 5),
                 .targetFolder = targetElsewhere ? other.path() : QString()});
    QVERIFY(files.written);
    JobContext ctx;
    int calls = 0;
    FileCopy copy = files.range(0, 0, 32 * kMiB);
    copy.kernelSteps = kernelSteps;
    copy.copied = [&](qint64, qint64) -> Result<void> {
        ++calls;
        ctx.cancel(); // the user presses Cancel while the first step is written
        return {};
    };
    TFJS_COMPARE_ERROR(copyFileRange(copy, &ctx), ErrorCode::Cancelled, QStringLiteral("Cancelled."));
    QCOMPARE(calls, 1);
    QCOMPARE(ctx.progress().bytesDone, 8 * kMiB);
    QCOMPARE(QFileInfo(files.target).size(), 8 * kMiB);
}

void TestFileCopy::cancelledBeforeStart()
{
    Files files({.sourceBytes = pattern(100)});
    QVERIFY(files.written);
    JobContext ctx;
    ctx.cancel();
    TFJS_COMPARE_ERROR(copyFileRange(files.range(0, 0, 100), &ctx), ErrorCode::Cancelled,
                       QStringLiteral("Cancelled."));
    QCOMPARE(ctx.progress().bytesDone, 0);
    QCOMPARE(QFileInfo(files.target).size(), 0);
}

void TestFileCopy::copiedErrorStopsTheCopy()
{
    Files files({.sourceBytes = pattern(20 * kMiB)});
    QVERIFY(files.written);
    int calls = 0;
    FileCopy copy = files.range(0, 0, 20 * kMiB);
    copy.copied = [&calls](qint64 at, qint64) -> Result<void> {
        if (++calls == 2)
            return fail(ErrorCode::Io, QStringLiteral("hash failed at %1").arg(at));
        return {};
    };
    TFJS_COMPARE_ERROR(copyFileRange(copy), ErrorCode::Io,
                       QStringLiteral("hash failed at %1").arg(8 * kMiB));
    QCOMPARE(calls, 2);
}

void TestFileCopy::progressTotals()
{
    // Two copies into one job: the handler sees every byte, and the final report is the total.
    Files files({.sourceBytes = pattern(12 * kMiB + 17)});
    QVERIFY(files.written);
    std::vector<Progress> reports;
    JobContext ctx([&reports](const Progress &progress) { reports.push_back(progress); });
    const qint64 total = 12 * kMiB + 17 + 5 * kMiB;
    ctx.setStage(QStringLiteral("Copying"), total);
    TFJS_VERIFY_OK(copyFileRange(files.range(0, 0, 12 * kMiB + 17), &ctx));
    FileCopy second = files.range(kMiB, 12 * kMiB + 17, 5 * kMiB);
    second.kernelSteps = 0;
    TFJS_VERIFY_OK(copyFileRange(second, &ctx));
    QCOMPARE(ctx.progress().bytesDone, total);
    QCOMPARE(ctx.progress().bytesTotal, total);
    QVERIFY(!reports.empty());
    QCOMPARE(reports.back().bytesDone, total);
    QCOMPARE(reports.back().bytesTotal, total);
    for (std::size_t i = 1; i < reports.size(); ++i)
        QVERIFY(reports[i].bytesDone >= reports[i - 1].bytesDone);
    QCOMPARE(QFileInfo(files.target).size(), total);
}

QTEST_GUILESS_MAIN(TestFileCopy)
#include "tst_filecopy.moc"

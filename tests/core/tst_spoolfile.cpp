// SpoolFile (the unnamed file downloads are written into) and AtomicFolderWrite::addWeights,
// which names a whole spool in place instead of copying it.
#include "io/atomicdir.h"
#include "base/job.h"
#include "io/spoolfile.h"
#include "io/weightdata.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace tfjs;

namespace {

QStringList entriesOf(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                                  QDir::Name);
}

QByteArray contentsOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(unreadable)");
}

ino_t inodeOf(const QString &path)
{
    struct stat st{};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

std::shared_ptr<SpoolFile> spoolWith(const QString &folder, const QByteArray &bytes)
{
    auto spool = SpoolFile::create(folder);
    if (!spool || !(*spool)->writeAt(0, bytes.constData(), bytes.size()))
        return {};
    return *spool;
}

// One shard named "shard": `size` bytes of `spool` from `offset`.
WeightData rangeOf(const std::shared_ptr<SpoolFile> &spool, qint64 offset, qint64 size)
{
    WeightData data;
    data.appendSpool(spool, offset, size, QStringLiteral("shard"));
    return data;
}

} // namespace

class TestSpoolFile : public QObject
{
    Q_OBJECT

private slots:
    void writesAtOffsetsWithoutAName();
    void createInMissingFolderFails();
    void linksOnce();
    void wholeSpoolOnlyWhenExactlyTheFile();
    void addWeightsNamesTheSpool();
    void addWeightsCopiesPartOfASpool();
    void abandonedWriteRemovesTheName();
    void readErrorsNameTheShard();
};

void TestSpoolFile::writesAtOffsetsWithoutAName()
{
    QTemporaryDir dir;
    auto spool = SpoolFile::create(dir.path());
    QVERIFY2(spool, qPrintable(spool ? QString() : spool.error().toString()));
    QVERIFY((*spool)->writeAt(4, "tail", 4));
    QVERIFY((*spool)->writeAt(0, "head", 4));
    QCOMPARE((*spool)->size(), qint64(8));
    QCOMPARE(contentsOf((*spool)->path()), QByteArray("headtail"));
    QCOMPARE(entriesOf(dir.path()), QStringList());
    spool->reset();
    QCOMPARE(entriesOf(dir.path()), QStringList());
}

void TestSpoolFile::createInMissingFolderFails()
{
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("missing"));
    auto spool = SpoolFile::create(missing);
    QVERIFY(!spool);
    QCOMPARE(spool.error().code, ErrorCode::Io);
    QCOMPARE(spool.error().path, missing);
    QVERIFY2(spool.error().message.startsWith(
                 QStringLiteral("Cannot create a temporary file in %1 for the downloaded weights: ")
                     .arg(missing)),
             qPrintable(spool.error().message));
}

void TestSpoolFile::linksOnce()
{
    QTemporaryDir dir;
    auto spool = spoolWith(dir.path(), "bytes");
    QVERIFY(spool);
    const QString first = dir.filePath(QStringLiteral("first.bin"));
    QVERIFY(spool->linkTo(first, Durability::Strict));
    QCOMPARE(contentsOf(first), QByteArray("bytes"));
    // A second name would make two saves share one file: refused, the caller copies.
    auto second = spool->linkTo(dir.filePath(QStringLiteral("second.bin")), Durability::Relaxed);
    QVERIFY(!second);
    QCOMPARE(second.error().message, QStringLiteral("The downloaded weights already have a name."));
    spool.reset();
    QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("first.bin")});
    QCOMPARE(contentsOf(first), QByteArray("bytes"));
}

void TestSpoolFile::wholeSpoolOnlyWhenExactlyTheFile()
{
    QTemporaryDir dir;
    auto spool = spoolWith(dir.path(), "abcdef");
    QVERIFY(spool);
    WeightData whole;
    whole.appendSpool(spool, 0, 2, QStringLiteral("s1"));
    whole.appendSpool(spool, 2, 4, QStringLiteral("s2"));
    QCOMPARE(whole.wholeSpool(), spool);
    QCOMPARE(*whole.readAll(), QByteArray("abcdef"));

    WeightData part;
    part.appendSpool(spool, 0, 5, QStringLiteral("s1"));
    QVERIFY(!part.wholeSpool());
    WeightData reordered;
    reordered.appendSpool(spool, 2, 4, QStringLiteral("s2"));
    reordered.appendSpool(spool, 0, 2, QStringLiteral("s1"));
    QVERIFY(!reordered.wholeSpool());
    WeightData mixed = whole;
    mixed.appendBytes("x", QStringLiteral("s3"));
    QVERIFY(!mixed.wholeSpool());
    QVERIFY(!WeightData::fromBytes("abcdef").wholeSpool());
}

void TestSpoolFile::addWeightsNamesTheSpool()
{
    QTemporaryDir dir;
    auto spool = spoolWith(dir.path(), "weights!");
    QVERIFY(spool);
    WeightData data = rangeOf(spool, 0, 8);
    const QString folder = dir.filePath(QStringLiteral("model"));
    auto write = AtomicFolderWrite::begin(folder, AtomicFolderWrite::Existing::Replace,
                                          Durability::Relaxed);
    QVERIFY(write);
    JobContext ctx;
    QVERIFY(write->addWeights(QStringLiteral("weights.bin"), data, &ctx));
    QCOMPARE(ctx.progress().bytesDone, qint64(8));
    QVERIFY(write->commit());
    const QString target = folder + QStringLiteral("/weights.bin");
    QCOMPARE(contentsOf(target), QByteArray("weights!"));
    QCOMPARE(inodeOf(target), inodeOf(spool->path())); // named, not copied
    QCOMPARE(entriesOf(folder), QStringList{QStringLiteral("weights.bin")});

    // Saving the same data again copies: the two saves do not share a file.
    const QString other = dir.filePath(QStringLiteral("other"));
    auto again = AtomicFolderWrite::begin(other, AtomicFolderWrite::Existing::Replace);
    QVERIFY(again);
    QVERIFY(again->addWeights(QStringLiteral("weights.bin"), data, nullptr));
    QVERIFY(again->commit());
    QCOMPARE(contentsOf(other + QStringLiteral("/weights.bin")), QByteArray("weights!"));
    QVERIFY(inodeOf(other + QStringLiteral("/weights.bin")) != inodeOf(target));
}

void TestSpoolFile::addWeightsCopiesPartOfASpool()
{
    QTemporaryDir dir;
    auto spool = spoolWith(dir.path(), "weights!");
    QVERIFY(spool);
    WeightData data = rangeOf(spool, 2, 5);
    auto write = AtomicFolderWrite::begin(dir.filePath(QStringLiteral("m")),
                                          AtomicFolderWrite::Existing::Replace);
    QVERIFY(write);
    QVERIFY(write->addWeights(QStringLiteral("weights.bin"), data, nullptr));
    QVERIFY(write->commit());
    const QString target = dir.filePath(QStringLiteral("m/weights.bin"));
    QCOMPARE(contentsOf(target), QByteArray("ights"));
    QVERIFY(inodeOf(target) != inodeOf(spool->path()));
}

void TestSpoolFile::abandonedWriteRemovesTheName()
{
    QTemporaryDir dir;
    auto spool = spoolWith(dir.path(), "weights!");
    QVERIFY(spool);
    WeightData data = rangeOf(spool, 0, 8);
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("model")));
    const QString folder = dir.filePath(QStringLiteral("model"));
    {
        auto write = AtomicFolderWrite::begin(folder, AtomicFolderWrite::Existing::Replace);
        QVERIFY(write);
        QVERIFY(write->addWeights(QStringLiteral("weights.bin"), data, nullptr));
        QCOMPARE(entriesOf(folder).size(), 1); // the hidden temporary name
    }
    QCOMPARE(entriesOf(folder), QStringList());
    spool.reset();
    data = {};
    QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("model")});
}

void TestSpoolFile::readErrorsNameTheShard()
{
    QTemporaryDir dir;
    auto spool = spoolWith(dir.path(), "abc");
    QVERIFY(spool);
    WeightData data;
    data.appendSpool(spool, 0, 8, QStringLiteral("group1-shard1of1.bin")); // 5 bytes missing
    auto all = data.readAll();
    QVERIFY(!all);
    QCOMPARE(all.error().shard, QStringLiteral("group1-shard1of1.bin"));
    QVERIFY(all.error().path.isEmpty()); // /proc/self/fd/N means nothing to a user
    QVERIFY2(all.error().message.startsWith(
                 QStringLiteral("Cannot read weight file 'group1-shard1of1.bin': ")),
             qPrintable(all.error().message));
}

QTEST_GUILESS_MAIN(TestSpoolFile)
#include "tst_spoolfile.moc"

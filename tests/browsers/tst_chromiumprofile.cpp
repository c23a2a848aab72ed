// ChromiumProfileReader on profiles headless Chromium makes from the save page: every model
// listed, infos right, weights byte-identical (SHA-256 of the page's report), topology equal,
// the profile's files untouched, and the same while Chromium still runs. Fails (not skips)
// without chromium.
#include "base/job.h"
#include "browser/blinkvalue.h"
#include "browser/chromiumprofile.h"
#include "browser/idbkey.h"
#include "browser/leveldbfolder.h"
#include "chromiumprofilemaker.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

const QString kIdbFolder = QStringLiteral("/IndexedDB/file__0.indexeddb.leveldb");
const QString kBlobFolder = QStringLiteral("/IndexedDB/file__0.indexeddb.blob");

BrowserStorage storageOf(const SavedModel &saved)
{
    return *browserStorageFromName(saved.storage);
}

QString sha256Of(const ModelArtifacts &artifacts)
{
    auto bytes = artifacts.weightData.readAll();
    return bytes
        ? QString::fromLatin1(QCryptographicHash::hash(*bytes, QCryptographicHash::Sha256).toHex())
        : bytes.error().toString();
}

// A copy of a profile folder, to break.
bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = to + path.mid(from.size());
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(path, target))
            return false;
    }
    return true;
}

} // namespace

class TestChromiumProfile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsEveryModel();
    void loadsWeightsAndTopology();
    void blobAndSnappyValues();
    void filesStayUntouched();
    void missingProfile();
    void unknownModels();
    void missingBlobFile();
    void corruptLog();
    void readsWhileChromiumRuns();
    void sqliteBackend();

private:
    // Every model of the report through the reader; weights compared with the report.
    void checkModels(const QString &profile, const std::vector<SavedModel> &report,
                     bool onlyIndexedDb);

    QTemporaryDir m_userData;
    QString m_profile;
    std::vector<SavedModel> m_report;
};

void TestChromiumProfile::initTestCase()
{
    if (chromiumExecutable().isEmpty())
        QFAIL("chromium is not installed (scripts/debian-packages.txt lists it)");
    QVERIFY(m_userData.isValid());
    QString why;
    auto report = makeChromiumProfile(m_userData.path(), why);
    QVERIFY2(report, qPrintable(why));
    m_report = std::move(*report);
    m_profile = m_userData.filePath(QStringLiteral("Default"));
    QVERIFY(m_report.size() >= 10);
}

void TestChromiumProfile::checkModels(const QString &profile, const std::vector<SavedModel> &report,
                                      bool onlyIndexedDb)
{
    ChromiumProfileReader reader(profile);
    JobContext ctx;
    auto models = reader.listModels(ctx);
    QVERIFY2(models, qPrintable(models ? QString() : models.error().toString()));
    for (const SavedModel &saved : report) {
        if (onlyIndexedDb && saved.storage != QLatin1String("indexeddb"))
            continue;
        const BrowserModelRef ref{profile, kSavePageOrigin, storageOf(saved), saved.path};
        const auto listed
            = std::find_if(models->begin(), models->end(),
                           [&ref](const BrowserModel &model) { return model.ref == ref; });
        QVERIFY2(listed != models->end(),
                 qPrintable(saved.storage + QStringLiteral("://") + saved.path));
        QCOMPARE(listed->info.weightDataBytes, saved.weightBytes);
        QCOMPARE(listed->info.modelTopologyType, QStringLiteral("JSON"));
        QCOMPARE(listed->info.modelTopologyBytes, qint64(stringify(saved.topology).size()));
        QVERIFY(listed->info.dateSaved.isValid());

        auto artifacts = reader.loadModel(ref, ctx, LoadOptions{});
        QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
        QCOMPARE(sha256Of(*artifacts), saved.sha256);
        QVERIFY(artifacts->modelTopology);
        QCOMPARE(stringify(*artifacts->modelTopology), stringify(saved.topology));
        QVERIFY(artifacts->weightSpecs && !artifacts->weightSpecs->empty());

        auto withoutWeights = reader.loadModel(ref, ctx, LoadOptions::withoutWeights());
        QVERIFY(withoutWeights);
        QCOMPARE(withoutWeights->weightData.size(), qint64(0));
    }
}

void TestChromiumProfile::listsEveryModel()
{
    ChromiumProfileReader reader(m_profile);
    JobContext ctx;
    auto models = reader.listModels(ctx);
    QVERIFY2(models, qPrintable(models ? QString() : models.error().toString()));
    QCOMPARE(models->size(), m_report.size()); // nothing more than the page saved
    for (qsizetype i = 1; i < qsizetype(models->size()); ++i) { // sorted by origin, storage, path
        const BrowserModelRef &a = (*models)[i - 1].ref;
        const BrowserModelRef &b = (*models)[i].ref;
        QVERIFY(std::tie(a.origin, a.storage, a.path) < std::tie(b.origin, b.storage, b.path));
    }
}

void TestChromiumProfile::loadsWeightsAndTopology()
{
    checkModels(m_profile, m_report, false);
}

void TestChromiumProfile::blobAndSnappyValues()
{
    // The ways Chromium stored the records the reader just decoded: at least one moved to a
    // blob file (the ~100 KB and ~2 MB models) and one kept inline snappy-compressed (zeros-wide).
    auto entries = readLevelDbFolder(m_profile + kIdbFolder);
    QVERIFY2(entries, qPrintable(entries ? QString() : entries.error().toString()));
    QStringList inBlob, compressed;
    for (const auto &[key, value] : *entries) {
        const auto prefix = decodeIdbPrefix(key);
        if (!prefix || prefix->first.database == 0 || prefix->first.index != kIdbRecordIndex)
            continue;
        const auto path = decodeIdbStringKey(QByteArrayView(key).sliced(prefix->second));
        auto unwrapped = unwrapIdbRecordValue(value, QStringLiteral("record"));
        QVERIFY(path && unwrapped);
        if (unwrapped->blobIndex)
            inBlob << *path;
        if (unwrapped->wasCompressed)
            compressed << *path;
    }
    QVERIFY2(inBlob.contains(QStringLiteral("medium")), qPrintable(inBlob.join(u' ')));
    QVERIFY2(inBlob.contains(QStringLiteral("large")), qPrintable(inBlob.join(u' ')));
    QVERIFY2(compressed.contains(QStringLiteral("zeros-wide")), qPrintable(compressed.join(u' ')));
    QVERIFY(!fileStamps(m_profile + kBlobFolder).empty());
}

void TestChromiumProfile::filesStayUntouched()
{
    const auto before = fileStamps(m_userData.path());
    ChromiumProfileReader reader(m_profile);
    JobContext ctx;
    auto models = reader.listModels(ctx);
    QVERIFY(models);
    for (const BrowserModel &model : *models)
        QVERIFY(reader.loadModel(model.ref, ctx, LoadOptions{}));
    QCOMPARE(fileStamps(m_userData.path()), before);
}

void TestChromiumProfile::missingProfile()
{
    const QString missing = m_userData.filePath(QStringLiteral("Profile 9"));
    ChromiumProfileReader reader(missing);
    JobContext ctx;
    auto models = reader.listModels(ctx);
    QVERIFY(!models);
    QCOMPARE(models.error().code, ErrorCode::NotFound);
    QCOMPARE(models.error().message,
             missing + QStringLiteral(": no such Chromium profile folder."));
}

void TestChromiumProfile::unknownModels()
{
    ChromiumProfileReader reader(m_profile);
    JobContext ctx;
    auto idb = reader.loadModel(
        {m_profile, kSavePageOrigin, BrowserStorage::IndexedDb, QStringLiteral("nope")}, ctx, {});
    QVERIFY(!idb);
    QCOMPARE(idb.error().code, ErrorCode::NotFound);
    QCOMPARE(idb.error().message,
             m_profile + kIdbFolder + QStringLiteral(" models_store 'nope': no such record."));
    auto origin = reader.loadModel({m_profile, QStringLiteral("http://example.com"),
                                    BrowserStorage::IndexedDb, QStringLiteral("tiny")},
                                   ctx, {});
    QVERIFY(!origin);
    QCOMPARE(origin.error().message,
             m_profile + QStringLiteral(": no IndexedDB of origin http://example.com."));
    auto local = reader.loadModel(
        {m_profile, kSavePageOrigin, BrowserStorage::LocalStorage, QStringLiteral("nope")}, ctx,
        {});
    QVERIFY(!local);
    QCOMPARE(local.error().code, ErrorCode::NotFound);
    QVERIFY2(local.error().message.contains(
                 QStringLiteral("In local storage, there is no model with name 'nope'")),
             qPrintable(local.error().message));
}

void TestChromiumProfile::missingBlobFile()
{
    QTemporaryDir copy;
    QVERIFY(copyTree(m_profile, copy.path()));
    // Remove every blob file: the ~100 KB model's record now points at nothing.
    const auto blobs = fileStamps(copy.path() + kBlobFolder);
    QVERIFY(!blobs.empty());
    for (const auto &[path, stamp] : blobs)
        QVERIFY(QFile::remove(path));
    ChromiumProfileReader reader(copy.path());
    JobContext ctx;
    auto artifacts = reader.loadModel(
        {copy.path(), kSavePageOrigin, BrowserStorage::IndexedDb, QStringLiteral("medium")}, ctx,
        {});
    QVERIFY(!artifacts);
    QCOMPARE(artifacts.error().code, ErrorCode::NotFound);
    QVERIFY2(blobs.contains(artifacts.error().path), qPrintable(artifacts.error().path));
    QVERIFY2(artifacts.error().message.startsWith(
                 artifacts.error().path + QStringLiteral(": cannot read the blob file of ")),
             qPrintable(artifacts.error().message));
    // The other models still load.
    QVERIFY(reader.loadModel(
        {copy.path(), kSavePageOrigin, BrowserStorage::IndexedDb, QStringLiteral("tiny")}, ctx,
        {}));
}

void TestChromiumProfile::corruptLog()
{
    QTemporaryDir copy;
    QVERIFY(copyTree(m_profile, copy.path()));
    const QDir dir(copy.path() + kIdbFolder);
    const QString log
        = dir.filePath(dir.entryList({QStringLiteral("*.log")}, QDir::Files).value(0));
    QFile file(log);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    QVERIFY(bytes.size() > 100);
    bytes[50] = char(bytes[50] ^ 0x5a);
    QVERIFY(file.seek(0) && file.write(bytes) == bytes.size());
    file.close();
    ChromiumProfileReader reader(copy.path());
    JobContext ctx;
    auto models = reader.listModels(ctx);
    QVERIFY(!models);
    QCOMPARE(models.error().code, ErrorCode::Format);
    QCOMPARE(models.error().path, log);
    // The fragment holding byte 50 (its header's offset) is named.
    QVERIFY(models.error().offset >= 0 && models.error().offset <= 50);
    QCOMPARE(models.error().message,
             log
                 + QStringLiteral(": log fragment checksum mismatch at byte %1.")
                       .arg(models.error().offset));
}

void TestChromiumProfile::readsWhileChromiumRuns()
{
    // Chromium opens the profile again (its localStorage moves into a .ldb table on reopening),
    // the page saves every model once more and stays open: read it all meanwhile.
    ChromiumRun run;
    QVERIFY(run.start(m_userData.path(), QStringLiteral("?stay=1")));
    QString why;
    auto report = run.waitForReport(why);
    QVERIFY2(report, qPrintable(why));
    QVERIFY(run.isRunning());
    // Reopening moved the first run's localStorage into a table Chromium wrote: read through
    // leveldb::Table.
    QVERIFY(!QDir(m_profile + QStringLiteral("/Local Storage/leveldb"))
                 .entryList({QStringLiteral("*.ldb")}, QDir::Files)
                 .isEmpty());
    checkModels(m_profile, *report, false);
    QVERIFY(run.isRunning());
    run.kill();
}

void TestChromiumProfile::sqliteBackend()
{
    // The same page on a fresh profile with Chromium's SQLite IndexedDB backend: one SQLite
    // file under IndexedDB/file__0/, values zstd-compressed or plain, all inline.
    QTemporaryDir userData;
    QString why;
    auto report
        = makeChromiumProfile(userData.path(), why, QStringLiteral("IdbSqliteBackingStore"));
    QVERIFY2(report, qPrintable(why));
    const QString profile = userData.filePath(QStringLiteral("Default"));
    QVERIFY(QFileInfo(profile + QStringLiteral("/IndexedDB/file__0")).isDir());
    QVERIFY(!QFileInfo::exists(profile + kIdbFolder));
    const auto before = fileStamps(userData.path());
    checkModels(profile, *report, true);
    QCOMPARE(fileStamps(userData.path()), before);

    // While Chromium runs (its database open, writes in its -wal file): read it all.
    ChromiumRun run;
    QVERIFY(run.start(userData.path(), QStringLiteral("?stay=1"),
                      QStringLiteral("IdbSqliteBackingStore")));
    auto again = run.waitForReport(why);
    QVERIFY2(again, qPrintable(why));
    QVERIFY(run.isRunning());
    checkModels(profile, *again, true);
    QVERIFY(run.isRunning());
    run.kill();
}

QTEST_GUILESS_MAIN(TestChromiumProfile)
#include "tst_chromiumprofile.moc"

// FirefoxProfileReader on profiles that headless Firefox makes here: every model the save page
// saved is listed, its weights are byte-identical (SHA-256 from the page), its topology equal;
// the profile's files do not change; broken copies of the profile give errors naming the file;
// a profile is read while Firefox still runs.

#include "profilemaker.h"

#include "base/job.h"
#include "browser/firefoxprofile.h"
#include "file/filehandler.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace tfjs;
using namespace tfjs::test;

namespace {

QString sha256Of(const WeightData &data)
{
    auto bytes = data.readAll();
    if (!bytes)
        return QStringLiteral("<%1>").arg(bytes.error().message);
    return QString::fromLatin1(QCryptographicHash::hash(*bytes, QCryptographicHash::Sha256).toHex());
}

BrowserStorage storageOf(const SavedModel &saved)
{
    return *browserStorageFromName(saved.storage);
}

// Copies a folder tree (to break a copy of the profile, never the profile itself).
bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = to + QLatin1Char('/') + QDir(from).relativeFilePath(path);
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(path, target))
            return false;
    }
    return true;
}

// Runs `sql` on a database file of a profile copy (a test's own change).
bool execOn(const QString &file, const QString &sql)
{
    const QString name = QUuid::createUuid().toString();
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        ok = db.open() && QSqlQuery(db).exec(sql);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

class TestFirefoxProfile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_profile;
    PageReport m_report;
    FileStamps m_stamps;

    QString originFolder(const QString &profile) const
    {
        return profile + QStringLiteral("/storage/default/")
               + FirefoxProfileReader::originFolderName(savePageOrigin());
    }
    QString idbFile(const QString &profile) const
    {
        const QStringList files = QDir(originFolder(profile) + QStringLiteral("/idb"))
                                      .entryList({QStringLiteral("*.sqlite")});
        return files.isEmpty() ? QString()
                               : originFolder(profile) + QStringLiteral("/idb/") + files.first();
    }
    // A copy of the profile that a test may break.
    QString profileCopy(QTemporaryDir &dir)
    {
        const QString copy = dir.filePath(QStringLiteral("profile"));
        if (!copyTree(m_profile + QStringLiteral("/storage"), copy + QStringLiteral("/storage")))
            return {};
        return copy;
    }
    BrowserModelRef refOf(const SavedModel &saved, const QString &profile = {}) const
    {
        return {profile.isEmpty() ? m_profile : profile, savePageOrigin(), storageOf(saved),
                saved.path};
    }
    // What listing a (broken) copy of the profile fails with, or loading `url` from it; an
    // Error without message when it works.
    Error failureOf(const QString &copy, const QString &url = {}) const
    {
        FirefoxProfileReader reader(copy);
        JobContext ctx;
        if (url.isEmpty()) {
            auto models = reader.listModels(ctx);
            return models ? Error() : models.error();
        }
        auto artifacts = reader.loadModel(refOf(saved(url), copy), ctx, LoadOptions());
        return artifacts ? Error() : artifacts.error();
    }
    const SavedModel &saved(const QString &url) const
    {
        for (const SavedModel &model : m_report.models) {
            if (model.url == url)
                return model;
        }
        qFatal("no model %s in the report", qPrintable(url));
    }

private slots:
    void initTestCase()
    {
        if (firefoxExecutable().isEmpty())
            QFAIL("firefox-esr is not installed (scripts/install-deps.sh installs it); the "
                  "browser tests need it.");
        QVERIFY(m_dir.isValid());
        m_profile = m_dir.filePath(QStringLiteral("profile"));
        QVERIFY(QDir().mkpath(m_profile));
        QString why;
        auto report = makeFirefoxProfile(m_profile, why);
        QVERIFY2(report, qPrintable(why));
        m_report = *report;
        qInfo("Firefox made the profile in %lld ms (%zu models saved)", m_report.elapsedMs,
              m_report.models.size());
        QCOMPARE(m_report.models.size(), std::size_t(12)); // 7 in IndexedDB, 5 in localStorage
        m_stamps = fileStamps(m_profile);
    }

    void listsEveryModel()
    {
        FirefoxProfileReader reader(m_profile);
        JobContext ctx;
        auto models = reader.listModels(ctx);
        QVERIFY2(models, qPrintable(models ? QString() : models.error().message));
        QCOMPARE(models->size(), m_report.models.size());
        for (const SavedModel &saved : m_report.models) {
            const auto found = std::find_if(models->begin(), models->end(), [&](const BrowserModel &m) {
                return m.ref == refOf(saved);
            });
            QVERIFY2(found != models->end(), qPrintable(saved.url));
            QCOMPARE(found->info.weightDataBytes, saved.weightBytes);
            QCOMPARE(found->info.modelTopologyType, QStringLiteral("JSON"));
            QVERIFY(found->info.modelTopologyBytes > 0);
            QVERIFY(found->info.weightSpecsBytes > 0);
            QVERIFY(found->info.dateSaved.isValid());
            QVERIFY(qAbs(found->info.dateSaved.secsTo(QDateTime::currentDateTimeUtc())) < 3600);
        }
        // Sorted by origin, storage, path.
        for (std::size_t i = 1; i < models->size(); ++i) {
            const BrowserModelRef &a = (*models)[i - 1].ref;
            const BrowserModelRef &b = (*models)[i].ref;
            QVERIFY(std::tie(a.origin, a.storage, a.path) < std::tie(b.origin, b.storage, b.path));
        }
    }

    // Weights byte-identical, topology equal, and the export predicts as in the browser.
    void loadsWhatThePageSaved_data()
    {
        QTest::addColumn<QString>("url");
        for (const SavedModel &saved : m_report.models)
            QTest::newRow(qPrintable(saved.url)) << saved.url;
    }
    void loadsWhatThePageSaved()
    {
        QFETCH(QString, url);
        const SavedModel &model = saved(url);
        FirefoxProfileReader reader(m_profile);
        JobContext ctx;
        auto artifacts = reader.loadModel(refOf(model), ctx, LoadOptions());
        QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().message));
        QCOMPARE(artifacts->weightData.size(), model.weightBytes);
        QCOMPARE(sha256Of(artifacts->weightData), model.sha256);
        QVERIFY(artifacts->modelTopology);
        QCOMPARE(QByteArray::fromStdString(artifacts->modelTopology->dump()),
                 QByteArray::fromStdString(model.topology.dump()));
        QVERIFY(artifacts->weightSpecs);
        QCOMPARE(artifacts->weightSpecs->size(), std::size_t(2)); // kernel and bias

        // Saved with the file:// handler, it loads in TF.js and predicts what the page
        // predicted (exactly: same backend, same float32 weights).
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("export"));
        auto written = FileHandler(folder).save(*artifacts, ctx);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
        const QByteArray prediction = predictInNode(folder + QStringLiteral("/model.json"), model.input);
        QVERIFY2(!prediction.startsWith("error:"), prediction.constData());
        // As numbers: nlohmann and JavaScript print some doubles differently (1e-07, 1e-7).
        const Json values = Json::parse(prediction.toStdString(), nullptr, false);
        QVERIFY2(values.is_array(), prediction.constData());
        QCOMPARE(values.size(), model.prediction.size());
        for (std::size_t i = 0; i < values.size(); ++i) { // exactly (QCOMPARE is fuzzy)
            const double got = values[i].get<double>();
            const double want = model.prediction[i].get<double>();
            QVERIFY2(got == want, qPrintable(QStringLiteral("output %1: %2, the page had %3")
                                                 .arg(i)
                                                 .arg(got, 0, 'g', 17)
                                                 .arg(want, 0, 'g', 17)));
        }
    }

    void loadsWithoutWeights()
    {
        FirefoxProfileReader reader(m_profile);
        JobContext ctx;
        auto artifacts = reader.loadModel(refOf(saved(QStringLiteral("indexeddb://large"))), ctx,
                                          LoadOptions::withoutWeights());
        QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().message));
        QVERIFY(artifacts->hasTopology());
        QVERIFY(artifacts->weightSpecs);
    }

    void missingModelsAreNotFound_data()
    {
        QTest::addColumn<int>("storage");
        QTest::addColumn<QString>("origin");
        QTest::addColumn<QString>("path");
        QTest::newRow("indexeddb path") << int(BrowserStorage::IndexedDb) << savePageOrigin() << "nope";
        QTest::newRow("localstorage path") << int(BrowserStorage::LocalStorage) << savePageOrigin() << "nope";
        QTest::newRow("localstorage large") << int(BrowserStorage::LocalStorage) << savePageOrigin() << "large";
        QTest::newRow("origin") << int(BrowserStorage::IndexedDb) << "http://127.0.0.1:1" << "tiny";
    }
    void missingModelsAreNotFound()
    {
        QFETCH(int, storage);
        QFETCH(QString, origin);
        QFETCH(QString, path);
        const BrowserModelRef ref{m_profile, origin, BrowserStorage(storage), path};
        FirefoxProfileReader reader(m_profile);
        JobContext ctx;
        auto artifacts = reader.loadModel(ref, ctx, LoadOptions());
        QVERIFY(!artifacts);
        QCOMPARE(artifacts.error().code, ErrorCode::NotFound);
        QCOMPARE(artifacts.error().message,
                 QStringLiteral("The Firefox profile %1 has no %2 model '%3' of origin %4.")
                     .arg(m_profile, browserStorageName(BrowserStorage(storage)), path, origin));
    }

    void originFolderNames_data()
    {
        QTest::addColumn<QString>("origin");
        QTest::addColumn<QString>("folder");
        QTest::newRow("http") << "http://127.0.0.1:8765" << "http+++127.0.0.1+8765";
        QTest::newRow("file") << "file:///a/b.html" << "file++++a+b.html";
        QTest::newRow("all") << "x:/\\*?\"<>|y" << "x+++++++++y";
    }
    void originFolderNames()
    {
        QFETCH(QString, origin);
        QFETCH(QString, folder);
        QCOMPARE(FirefoxProfileReader::originFolderName(origin), folder);
    }

    void otherProfileIsRefused()
    {
        FirefoxProfileReader reader(m_profile);
        JobContext ctx;
        BrowserModelRef ref = refOf(saved(QStringLiteral("indexeddb://tiny")));
        ref.profile = m_dir.filePath(QStringLiteral("other"));
        auto artifacts = reader.loadModel(ref, ctx, LoadOptions());
        QVERIFY(!artifacts);
        QCOMPARE(artifacts.error().code, ErrorCode::InvalidArgument);
    }

    void missingProfileIsNotFound()
    {
        FirefoxProfileReader reader(m_dir.filePath(QStringLiteral("absent")));
        JobContext ctx;
        auto models = reader.listModels(ctx);
        QVERIFY(!models);
        QCOMPARE(models.error().code, ErrorCode::NotFound);
        QCOMPARE(models.error().message,
                 QStringLiteral("The Firefox profile folder %1 does not exist.")
                     .arg(m_dir.filePath(QStringLiteral("absent"))));
    }

    void cancelledListing()
    {
        FirefoxProfileReader reader(m_profile);
        JobContext ctx;
        ctx.cancel();
        auto models = reader.listModels(ctx);
        QVERIFY(!models);
        QVERIFY(models.error().isCancelled());
    }

    // Broken copies of the profile: each error names the file at fault.
    void corruptDatabaseNamesTheFile()
    {
        QTemporaryDir dir;
        const QString copy = profileCopy(dir);
        QVERIFY(!copy.isEmpty());
        const QString file = idbFile(copy);
        QFile::remove(file + QStringLiteral("-wal"));
        QVERIFY(QFile::resize(file, 0) && QFile::resize(file, 4096)); // 4 KiB of zeros
        QFile garbage(file);
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(4096, 'x'));
        garbage.close();
        const Error error = failureOf(copy);
        QCOMPARE(error.code, ErrorCode::Format);
        QCOMPARE(error.path, file);
        QVERIFY2(error.message.startsWith(QStringLiteral("Firefox IndexedDB database %1: it "
                                                         "cannot be read as a SQLite database")
                                              .arg(file)),
                 qPrintable(error.message));
    }

    // Other sites' databases are not opened (not even copied): a broken one does not matter.
    void otherDatabasesAreNotOpened()
    {
        QTemporaryDir dir;
        const QString copy = profileCopy(dir);
        const QString other = originFolder(copy) + QStringLiteral("/idb/1844916564agbfced.sqlite");
        QFile garbage(other);
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(4096, 'x'));
        garbage.close();
        QCOMPARE(failureOf(copy).message, QString());
        QCOMPARE(failureOf(copy, QStringLiteral("indexeddb://tiny")).message, QString());
    }

    // A container tab's storage (Firefox's Multi-Account Containers): the origin carries
    // "^userContextId=N" in its folder and databases. Made from a copy of the profile, moved
    // into a container as Firefox lays it out; every model lists and loads under that origin.
    void containerOrigins()
    {
        QTemporaryDir dir;
        const QString copy = profileCopy(dir);
        const QString suffix = QStringLiteral("^userContextId=2");
        const QString container = originFolder(copy) + suffix;
        QVERIFY(QDir().rename(originFolder(copy), container));
        for (const QString &file : QDir(container + QStringLiteral("/idb")).entryList({QStringLiteral("*.sqlite")}))
            QVERIFY(execOn(container + QStringLiteral("/idb/") + file,
                           QStringLiteral("UPDATE database SET origin = origin || '%1'").arg(suffix)));
        QVERIFY(execOn(container + QStringLiteral("/ls/data.sqlite"),
                       QStringLiteral("UPDATE database SET origin = origin || '%1'").arg(suffix)));
        FirefoxProfileReader reader(copy);
        JobContext ctx;
        auto models = reader.listModels(ctx);
        QVERIFY2(models, qPrintable(models ? QString() : models.error().message));
        QCOMPARE(models->size(), m_report.models.size());
        for (const BrowserModel &model : *models)
            QCOMPARE(model.ref.origin, savePageOrigin() + suffix);
        for (const QString &url : {QStringLiteral("indexeddb://large"), QStringLiteral("localstorage://tiny")}) {
            const SavedModel &model = saved(url);
            BrowserModelRef ref = refOf(model, copy);
            ref.origin += suffix;
            auto artifacts = reader.loadModel(ref, ctx, LoadOptions());
            QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().message));
            QCOMPARE(sha256Of(artifacts->weightData), model.sha256);
        }
    }

    void newerSchemaIsRefused()
    {
        QTemporaryDir dir;
        const QString copy = profileCopy(dir);
        const QString file = idbFile(copy);
        QVERIFY(execOn(file, QStringLiteral("PRAGMA user_version = %1").arg(27 << 4)));
        const Error error = failureOf(copy);
        QCOMPARE(error.code, ErrorCode::Unsupported);
        QCOMPARE(error.message,
                 QStringLiteral("Firefox IndexedDB database %1: its schema version 27.0 is not "
                                "the one this program reads (26.x).")
                     .arg(file));
    }

    void unknownLocalStorageCompressionIsRefused()
    {
        QTemporaryDir dir;
        const QString copy = profileCopy(dir);
        const QString file = originFolder(copy) + QStringLiteral("/ls/data.sqlite");
        QVERIFY(execOn(file, QStringLiteral("UPDATE data SET compression_type = 7 WHERE key = "
                                            "'tensorflowjs_models/tiny/info'")));
        const Error error = failureOf(copy);
        QCOMPARE(error.code, ErrorCode::Unsupported);
        QCOMPARE(error.message,
                 QStringLiteral("%1 item 'tensorflowjs_models/tiny/info': unknown localStorage "
                                "compression type 7 (known: 0, 1).")
                     .arg(file));
    }

    void missingValueFileNamesTheFile()
    {
        QTemporaryDir dir;
        const QString copy = profileCopy(dir);
        const QString files = idbFile(copy).chopped(7) + QStringLiteral(".files");
        const QStringList ids = QDir(files).entryList(QDir::Files);
        QCOMPARE(ids.size(), 1); // the ~2 MB model went external
        QVERIFY(QFile::remove(files + QLatin1Char('/') + ids.first()));
        const Error error = failureOf(copy, QStringLiteral("indexeddb://large"));
        QCOMPARE(error.code, ErrorCode::NotFound);
        QCOMPARE(error.path, files + QLatin1Char('/') + ids.first());
        QVERIFY2(error.message.startsWith(files + QLatin1Char('/') + ids.first()
                                          + QStringLiteral(": cannot read the record's value file")),
                 qPrintable(error.message));
        // The listing reads model_info_store only: it still works.
        QCOMPARE(failureOf(copy).message, QString());
    }

    void truncatedValueFileNamesTheFile()
    {
        QTemporaryDir dir;
        const QString copy = profileCopy(dir);
        const QString files = idbFile(copy).chopped(7) + QStringLiteral(".files");
        const QString file = files + QLatin1Char('/') + QDir(files).entryList(QDir::Files).first();
        QVERIFY(QFile::resize(file, QFileInfo(file).size() / 2));
        const Error error = failureOf(copy, QStringLiteral("indexeddb://large"));
        QCOMPARE(error.code, ErrorCode::Format);
        QCOMPARE(error.path, file);
        QVERIFY2(error.message.startsWith(file + QStringLiteral(": the snappy stream is truncated")),
                 qPrintable(error.message));
    }

    // A page that saves and stays open: the models are read while Firefox runs (IndexedDB is
    // on disk; localStorage reaches the disk only when Firefox exits). The page comes from a
    // server on 127.0.0.1 (an http:// origin) and also saves 100 more tiny models: the time of
    // listing 107 models is printed.
    void readsWhileFirefoxRuns()
    {
        const QString profile = m_dir.filePath(QStringLiteral("running"));
        QVERIFY(QDir().mkpath(profile));
        RepositoryServer server;
        QVERIFY(server.start());
        FirefoxRun run;
        QVERIFY(run.start(profile, server.pageUrl(QStringLiteral("?stay=1&many=100"))));
        QString why;
        auto report = run.waitForReport(why);
        QVERIFY2(report, qPrintable(why));
        qInfo("Firefox saved %zu models in %lld ms", report->models.size(), report->elapsedMs);
        FirefoxProfileReader reader(profile);
        JobContext ctx;
        QElapsedTimer timer;
        timer.start();
        auto models = reader.listModels(ctx);
        qInfo("listing %zu models of the running Firefox's profile took %lld ms",
              models ? models->size() : 0, timer.elapsed());
        QVERIFY2(models, qPrintable(models ? QString() : models.error().message));
        int indexedDb = 0;
        for (const BrowserModel &model : *models)
            indexedDb += model.ref.storage == BrowserStorage::IndexedDb;
        QCOMPARE(indexedDb, 107);
        QCOMPARE(models->front().ref.origin, server.origin());
        QVERIFY(QFileInfo::exists(profile + QStringLiteral("/storage/default/")
                                  + FirefoxProfileReader::originFolderName(server.origin())));
        timer.restart();
        int loaded = 0;
        for (const SavedModel &saved : report->models) {
            if (saved.storage != QLatin1String("indexeddb"))
                continue;
            auto artifacts = reader.loadModel({profile, server.origin(), BrowserStorage::IndexedDb,
                                               saved.path},
                                              ctx, LoadOptions());
            QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().message));
            QCOMPARE(sha256Of(artifacts->weightData), saved.sha256);
            ++loaded;
        }
        qInfo("loading the %d models one by one took %lld ms", loaded, timer.elapsed());
        run.kill();
    }

    // Last: nothing of the profile changed while the tests above read it.
    void profileFilesUnchanged()
    {
        const FileStamps now = fileStamps(m_profile);
        QCOMPARE(now.size(), m_stamps.size());
        for (const auto &[path, stamp] : m_stamps)
            QCOMPARE(now.at(path), stamp);
    }
};

QTEST_GUILESS_MAIN(TestFirefoxProfile)
#include "tst_firefoxprofile.moc"

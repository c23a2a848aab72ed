// The team store (team://) against a real PostgreSQL server: a throwaway cluster (initdb +
// pg_ctl in a temporary folder, see pgcluster.h), one new database per test.
#include "pgcluster.h"
#include "storetestdata.h"

#include "base/job.h"
#include "handlers/modelmanager.h"
#include "schemes/schemes.h"
#include "team/teamstore.h"

#include <QHostInfo>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace tfjs;
using namespace storetest;

class TestTeamStore : public QObject
{
    Q_OBJECT

private:
    tfjs::test::PgCluster m_cluster;
    int m_databases = 0;

    // A new database (a store not made yet); its URI.
    QString freshStore()
    {
        const QString uri = m_cluster.createDatabase(QStringLiteral("t%1").arg(++m_databases));
        if (uri.isEmpty())
            qFatal("cannot create a database: %s", qPrintable(m_cluster.error()));
        return uri;
    }
    static std::unique_ptr<TeamStore> open(const QString &uri, TeamStore::Access access = TeamStore::Access::Write)
    {
        auto store = TeamStore::open(uri, access);
        if (!store)
            qFatal("cannot open the team store: %s", qPrintable(store.error().toString()));
        return std::move(*store);
    }
    static Result<ModelArtifactsInfo> save(const QString &uri, const QString &path, const ModelArtifacts &model,
                                           Existing existing = Existing::Refuse, JobContext *ctx = nullptr)
    {
        JobContext own;
        return open(uri)->saveModel(path, model, ctx ? ctx : &own, existing);
    }
    static Result<ModelArtifacts> load(const QString &uri, const QString &path)
    {
        JobContext ctx;
        return open(uri, TeamStore::Access::Read)->loadModel(path, true, {}, &ctx);
    }

private slots:
    void initTestCase() { QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error())); }

    void roundTripByteExact()
    {
        const QString uri = freshStore();
        // 3 tensors of 300,001 floats: 3.4 MiB, so whole chunks and a short last one.
        const ModelArtifacts model = randomModel(3, 300001, 7);
        HandlerOptions options;
        options.teamUri = uri;
        const HandlerRegistry registry = makeDefaultRegistry(options);
        JobContext ctx;
        auto saved = registry.save(QStringLiteral("team://mnist/v1"), model, ctx);
        QVERIFY2(saved, why(saved).constData());
        QCOMPARE(saved->files, QStringList{QStringLiteral("team://mnist/v1")});
        auto loaded = registry.load(QStringLiteral("team://mnist/v1"), ctx);
        QVERIFY2(loaded, why(loaded).constData());
        QCOMPARE(text(artifactsObject(*loaded)), text(artifactsObject(model)));
        QCOMPARE(bytesOf(loaded->weightData), bytesOf(model.weightData));
        // The info only, without reading a weight byte.
        auto info = registry.load(QStringLiteral("team://mnist/v1"), ctx, LoadOptions::withoutWeights());
        QVERIFY2(info, why(info).constData());
        QVERIFY(info->weightData.isEmpty());
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT count(*) FROM tfjs.blob_chunks"),
                                uri.section(QLatin1Char('/'), 3, 3).section(QLatin1Char('?'), 0, 0)),
                 QStringLiteral("4"));
    }

    void listShowsWhoSavedWhat()
    {
        const QString uri = freshStore();
        QVERIFY(save(uri, QStringLiteral("b"), artifactsV0()));
        QVERIFY(save(uri, QStringLiteral("a"), artifacts1()));
        auto models = open(uri, TeamStore::Access::Read)->listModels();
        QVERIFY2(models, why(models).constData());
        QCOMPARE(models->size(), 2u);
        QCOMPARE(models->at(0).path, QStringLiteral("a"));
        QCOMPARE(models->at(1).path, QStringLiteral("b"));
        const QString who = tfjs::test::PgCluster::superuser() + QLatin1Char('@') + QHostInfo::localHostName();
        QCOMPARE(models->at(0).savedBy, who);
        QCOMPARE(models->at(0).info.weightDataBytes, 16);
        QVERIFY(models->at(0).info.dateSaved.secsTo(QDateTime::currentDateTimeUtc()) < 60);
    }

    void emptyStoreReadsAsEmptyAndIsNotCreated()
    {
        const QString uri = freshStore();
        auto models = open(uri, TeamStore::Access::Read)->listModels();
        QVERIFY2(models, why(models).constData());
        QVERIFY(models->empty());
        auto missing = load(uri, QStringLiteral("nothing"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY2(missing.error().message.contains(QStringLiteral("'nothing'")), qPrintable(missing.error().message));
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname = 'tfjs'"),
                                QStringLiteral("t%1").arg(m_databases)),
                 QStringLiteral("0"));
    }

    void weightsAreSharedAndCollected()
    {
        const QString uri = freshStore();
        const ModelArtifacts model = randomModel(2, 1000, 3);
        QVERIFY(save(uri, QStringLiteral("one"), model));
        QVERIFY(save(uri, QStringLiteral("two"), model));
        QCOMPARE(open(uri)->blobHashes()->size(), 1);
        auto store = open(uri);
        QVERIFY(store->removeModel(QStringLiteral("one")));
        QVERIFY(store->emptyTrash({}));
        QCOMPARE(store->blobHashes()->size(), 1); // "two" still uses them
        QVERIFY(store->deleteModel(QStringLiteral("team://two")));
        QCOMPARE(store->blobHashes()->size(), 0);
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT count(*) FROM tfjs.blob_chunks"),
                                QStringLiteral("t%1").arg(m_databases)),
                 QStringLiteral("0"));
    }

    void existingIsRefusedOrTrashed()
    {
        const QString uri = freshStore();
        const ModelArtifacts first = randomModel(1, 100, 1);
        const ModelArtifacts second = randomModel(1, 200, 2);
        QVERIFY(save(uri, QStringLiteral("m"), first));
        auto refused = save(uri, QStringLiteral("m"), second);
        QVERIFY(!refused);
        QVERIFY2(isExistsError(refused.error()), qPrintable(refused.error().message));
        QCOMPARE(open(uri)->blobHashes()->size(), 1); // nothing of `second` was sent
        QVERIFY(save(uri, QStringLiteral("m"), second, Existing::Replace));
        QCOMPARE(bytesOf(load(uri, QStringLiteral("m"))->weightData), bytesOf(second.weightData));
        auto trash = open(uri)->listTrash();
        QVERIFY2(trash, why(trash).constData());
        QCOMPARE(trash->size(), 1u);
        QCOMPARE(trash->front().reason, TrashReason::Replaced);
        auto restored = open(uri)->restoreFromTrash(trash->front().id, QStringLiteral("m-old"), Existing::Refuse);
        QVERIFY2(restored, why(restored).constData());
        QCOMPARE(bytesOf(load(uri, QStringLiteral("m-old"))->weightData), bytesOf(first.weightData));
    }

    // LoadOptions::weightsHash (the model server's TAG): the weights a load saw, after the model
    // was replaced or removed, while a model or trash entry refers to them; then NotFound.
    void weightsByHashOutliveTheirModel()
    {
        const QString uri = freshStore();
        const ModelArtifacts first = randomModel(2, 3000, 41);
        const ModelArtifacts second = randomModel(2, 5000, 42);
        QVERIFY(save(uri, QStringLiteral("m"), first));
        JobContext ctx;
        auto seen = open(uri, TeamStore::Access::Read)->loadModel(QStringLiteral("m"), false, {}, &ctx);
        QVERIFY2(seen, why(seen).constData());
        QCOMPARE(seen->weightData.size(), 0);
        QCOMPARE(seen->weightsHash.size(), 64); // SHA-256 in hex
        QCOMPARE(load(uri, QStringLiteral("m"))->weightsHash, seen->weightsHash);

        HandlerOptions handlerOptions;
        handlerOptions.teamUri = uri;
        const HandlerRegistry registry = makeDefaultRegistry(handlerOptions);
        LoadOptions options;
        options.weightsHash = seen->weightsHash;
        const auto byHash = [&] { return registry.load(QStringLiteral("team://m"), ctx, options); };
        QVERIFY(save(uri, QStringLiteral("m"), second, Existing::Replace));
        auto old = byHash();
        QVERIFY2(old, why(old).constData());
        QCOMPARE(old->weightsHash, seen->weightsHash);
        QCOMPARE(bytesOf(old->weightData), bytesOf(first.weightData));
        QVERIFY(open(uri)->removeModel(QStringLiteral("m")));
        QCOMPARE(bytesOf(byHash()->weightData), bytesOf(first.weightData)); // both in the trash
        QVERIFY(open(uri)->emptyTrash({}));
        auto gone = byHash();
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, ErrorCode::NotFound);
        QVERIFY2(gone.error().message.contains(QStringLiteral("are no longer in the team store")),
                 qPrintable(gone.error().message));
    }

    void renameAndRemove()
    {
        const QString uri = freshStore();
        QVERIFY(save(uri, QStringLiteral("a"), artifacts1()));
        QVERIFY(save(uri, QStringLiteral("b"), artifactsV0()));
        auto store = open(uri);
        auto clash = store->renameModel(QStringLiteral("a"), QStringLiteral("b"), Existing::Refuse);
        QVERIFY(!clash);
        QVERIFY(isExistsError(clash.error()));
        QVERIFY(store->renameModel(QStringLiteral("team://a"), QStringLiteral("team://c"), Existing::Refuse));
        QVERIFY(!store->hasModel(QStringLiteral("a")).value());
        QVERIFY(store->hasModel(QStringLiteral("c")).value());
        auto missing = store->removeModel(QStringLiteral("a"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        auto removed = store->removeModel(QStringLiteral("c"));
        QVERIFY2(removed, why(removed).constData());
        QCOMPARE(removed->weightDataBytes, 16);
        QCOMPARE(store->listTrash()->size(), 1u);
        auto gone = store->deleteFromTrash({store->listTrash()->front().id, 999});
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, ErrorCode::NotFound);
        QCOMPARE(store->listTrash()->size(), 1u); // all or nothing
    }

    void readOnlyRoleCanReadButNotWrite()
    {
        const QString uri = freshStore();
        const QString database = QStringLiteral("t%1").arg(m_databases);
        const ModelArtifacts model = randomModel(1, 5000, 4);
        QVERIFY(save(uri, QStringLiteral("shared"), model));
        QVERIFY(!m_cluster.psql(QStringLiteral("CREATE ROLE reader LOGIN; GRANT USAGE ON SCHEMA tfjs TO reader; "
                                               "GRANT SELECT ON ALL TABLES IN SCHEMA tfjs TO reader"),
                                database)
                     .isNull());
        const QString readerUri = m_cluster.uri(database, QStringLiteral("reader"));
        auto models = open(readerUri, TeamStore::Access::Read)->listModels();
        QVERIFY2(models, why(models).constData());
        QCOMPARE(models->size(), 1u);
        auto loaded = load(readerUri, QStringLiteral("shared"));
        QVERIFY2(loaded, why(loaded).constData());
        QCOMPARE(bytesOf(loaded->weightData), bytesOf(model.weightData));

        auto refused = save(readerUri, QStringLiteral("mine"), randomModel(1, 3000, 5));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(QStringLiteral("Permission denied by the team store "
                                                                 "postgresql:///%1").arg(database)),
                 qPrintable(refused.error().message));
        auto removed = open(readerUri)->removeModel(QStringLiteral("shared"));
        QVERIFY(!removed);
        QVERIFY2(removed.error().message.contains(QStringLiteral("Permission denied")),
                 qPrintable(removed.error().message));
        // A move out is refused before it copies: the destination is never made.
        QTemporaryDir elsewhere;
        HandlerOptions options;
        options.teamUri = readerUri;
        const HandlerRegistry registry = makeDefaultRegistry(options);
        JobContext ctx;
        const QString folder = elsewhere.filePath(QStringLiteral("moved"));
        auto moved = ModelManager(registry).moveModel(QStringLiteral("team://shared"),
                                                      QStringLiteral("file://") + folder, ctx);
        QVERIFY(!moved);
        QVERIFY2(moved.error().message.startsWith(QStringLiteral("Cannot move team://shared, nothing "
                                                                 "was copied: Permission denied")),
                 qPrintable(moved.error().message));
        QVERIFY(!QFileInfo::exists(folder));
        // Nothing partial: one model, one blob, as before.
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT (SELECT count(*) FROM tfjs.models) || ' ' || "
                                               "(SELECT count(*) FROM tfjs.blobs)"),
                                database),
                 QStringLiteral("1 1"));
    }

    void droppedConnectionKeepsTheOldVersion()
    {
        const QString uri = freshStore();
        const QString database = QStringLiteral("t%1").arg(m_databases);
        const ModelArtifacts first = randomModel(1, 1000, 8);
        const ModelArtifacts second = randomModel(4, 4 << 20, 9); // 64 MiB: 64 chunks
        QVERIFY(save(uri, QStringLiteral("m"), first));
        std::atomic<bool> terminated = false;
        JobContext ctx([&](const Progress &progress) {
            if (progress.stage.startsWith(QStringLiteral("Uploading")) && progress.bytesDone > 0
                && !terminated.exchange(true))
                m_cluster.psql(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                              "WHERE datname = '%1' AND pid <> pg_backend_pid()")
                                   .arg(database));
        });
        auto saved = save(uri, QStringLiteral("m"), second, Existing::Replace, &ctx);
        QVERIFY(terminated);
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, ErrorCode::Network);
        QVERIFY2(saved.error().message.contains(QStringLiteral("was lost")), qPrintable(saved.error().message));
        auto loaded = load(uri, QStringLiteral("m"));
        QVERIFY2(loaded, why(loaded).constData());
        QCOMPARE(bytesOf(loaded->weightData), bytesOf(first.weightData));
        QCOMPARE(open(uri)->blobHashes()->size(), 1);
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT count(*) FROM tfjs.blob_chunks"), database),
                 QStringLiteral("1"));
    }

    void cancelledSaveKeepsNothing()
    {
        const QString uri = freshStore();
        JobContext ctx([&ctx](const Progress &progress) {
            if (progress.stage.startsWith(QStringLiteral("Uploading")) && progress.bytesDone > 0)
                ctx.cancel();
        });
        auto saved = save(uri, QStringLiteral("m"), randomModel(2, 2 << 20, 10), Existing::Refuse, &ctx);
        QVERIFY(!saved);
        QVERIFY(saved.error().isCancelled());
        QVERIFY(open(uri)->listModels()->empty());
        QCOMPARE(open(uri)->blobHashes()->size(), 0);
    }

    void readersSeeOldOrNew()
    {
        const QString uri = freshStore();
        const ModelArtifacts versions[] = {randomModel(2, 300000, 11), randomModel(2, 300000, 12)};
        QVERIFY(save(uri, QStringLiteral("shared"), versions[0]));
        std::atomic<bool> done = false;
        QStringList errors;
        std::thread writer([&] {
            for (int i = 1; i <= 6; ++i) {
                if (auto saved = save(uri, QStringLiteral("shared"), versions[i % 2], Existing::Replace); !saved)
                    errors << saved.error().message;
                if (i % 3 == 0) { // and empty the trash, which deletes blobs
                    if (auto emptied = open(uri)->emptyTrash({}); !emptied)
                        errors << emptied.error().message;
                }
            }
            done = true;
        });
        int reads = 0;
        while (!done || reads < 3) {
            auto loaded = load(uri, QStringLiteral("shared"));
            if (!loaded) {
                writer.join();
                QFAIL(why(loaded).constData());
            }
            const QByteArray bytes = bytesOf(loaded->weightData);
            if (bytes != bytesOf(versions[0].weightData) && bytes != bytesOf(versions[1].weightData)) {
                writer.join();
                QFAIL("a reader saw weights of neither version");
            }
            ++reads;
        }
        writer.join();
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        QVERIFY(reads >= 3);
    }

    void olderSchemaIsMigrated()
    {
        const QString uri = freshStore();
        // Made once: its dateSaved is now, which two calls could see in different seconds.
        const ModelArtifactsInfo info = artifactsInfo(artifactsV0());
        {
            auto db = PgConnection::open(uri);
            QVERIFY2(db, why(db).constData());
            auto first = TeamStore::migrations();
            first.resize(1);
            QVERIFY((*db)->migrate(first));
            QCOMPARE((*db)->schemaVersion().value(), 1);
            // A model as release 1 saved it (no weights).
            auto put = (*db)->exec(QStringLiteral("INSERT INTO models (modelPath, modelArtifacts, "
                                                  "modelArtifactsInfo, weightDataBytes, savedBy) "
                                                  "VALUES (?, ?, ?, 0, 'old@host')"),
                                   {QStringLiteral("old"), QString::fromUtf8(text(artifactsObject(artifactsV0()))),
                                    QString::fromUtf8(text(info.toJson()))});
            QVERIFY2(put, why(put).constData());
        }
        auto store = open(uri);
        QCOMPARE(store->connection().schemaVersion().value(), int(TeamStore::migrations().size()));
        auto models = store->listModels();
        QCOMPARE(models->size(), 1u);
        QCOMPARE(models->front().savedBy, QStringLiteral("old@host"));
        // Release 3 lists the info from columns, filled from release 1's JSON records.
        QCOMPARE(models->front().info.modelTopologyBytes, info.modelTopologyBytes);
        QCOMPARE(models->front().info.weightSpecsBytes, info.weightSpecsBytes);
        QCOMPARE(models->front().info.weightDataBytes, 0);
        QCOMPARE(models->front().info.modelTopologyType, QStringLiteral("JSON"));
        QCOMPARE(models->front().info.dateSaved.toSecsSinceEpoch(), info.dateSaved.toSecsSinceEpoch());
        QVERIFY(store->removeModel(QStringLiteral("old"))); // the trash of release 2 works
        QCOMPARE(store->listTrash()->size(), 1u);
    }

    void newerSchemaIsRefused()
    {
        const QString uri = freshStore();
        QVERIFY(save(uri, QStringLiteral("m"), artifacts1()));
        QVERIFY(!m_cluster.psql(QStringLiteral("UPDATE tfjs.schema_version SET version = 99"),
                                QStringLiteral("t%1").arg(m_databases))
                     .isNull());
        auto store = TeamStore::open(uri, TeamStore::Access::Read);
        QVERIFY(!store);
        QVERIFY2(store.error().message.contains(QStringLiteral("version 99, newer than this program")),
                 qPrintable(store.error().message));
    }

    void foreignSchemaIsLeftAlone()
    {
        const QString uri = freshStore();
        const QString database = QStringLiteral("t%1").arg(m_databases);
        QVERIFY(!m_cluster.psql(QStringLiteral("CREATE SCHEMA tfjs; CREATE TABLE tfjs.other (x int)"), database)
                     .isNull());
        auto store = TeamStore::open(uri, TeamStore::Access::Write);
        QVERIFY(!store);
        QVERIFY2(store.error().message.contains(QStringLiteral("not a TFJS Model Manager team store")),
                 qPrintable(store.error().message));
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'tfjs'"), database),
                 QStringLiteral("1"));
    }

    void damagedWeightsAreNamed()
    {
        const QString uri = freshStore();
        const QString database = QStringLiteral("t%1").arg(m_databases);
        QVERIFY(save(uri, QStringLiteral("m"), randomModel(1, 600000, 13))); // 3 chunks
        QVERIFY(!m_cluster.psql(QStringLiteral("DELETE FROM tfjs.blob_chunks WHERE n = 1"), database).isNull());
        auto lost = load(uri, QStringLiteral("m"));
        QVERIFY(!lost);
        QCOMPARE(lost.error().code, ErrorCode::Store);
        QVERIFY2(lost.error().message.contains(QStringLiteral("lack chunk 1 (bytes from 1048576)")),
                 qPrintable(lost.error().message));
        QVERIFY(!m_cluster.psql(QStringLiteral("INSERT INTO tfjs.blob_chunks SELECT hash, 1, data FROM "
                                               "tfjs.blob_chunks WHERE n = 0"),
                                database)
                     .isNull());
        auto changed = load(uri, QStringLiteral("m"));
        QVERIFY(!changed);
        QVERIFY2(changed.error().message.contains(QStringLiteral("do not match their hash")),
                 qPrintable(changed.error().message));
    }

    // Passwords come from where libpq looks (PGPASSWORD, a password file) or from the user (the
    // app's prompt hands it in); none is ever shown.
    void passwordsComeFromLibpqsPlaces()
    {
        freshStore();
        const QString database = QStringLiteral("t%1").arg(m_databases);
        QVERIFY2(m_cluster.requirePassword(QStringLiteral("alice"), QStringLiteral("s3cret-pw")),
                 qPrintable(m_cluster.error()));
        const QString uri = m_cluster.uri(database, QStringLiteral("alice"));
        const QByteArray oldPassword = qgetenv("PGPASSWORD");
        const QByteArray oldFile = qgetenv("PGPASSFILE");
        const auto restore = qScopeGuard([&] {
            oldPassword.isNull() ? qunsetenv("PGPASSWORD") : qputenv("PGPASSWORD", oldPassword);
            oldFile.isNull() ? qunsetenv("PGPASSFILE") : qputenv("PGPASSFILE", oldFile);
        });
        qunsetenv("PGPASSWORD");
        qputenv("PGPASSFILE", "/nonexistent");

        auto none = TeamStore::open(uri, TeamStore::Access::Read);
        QVERIFY(!none);
        QVERIFY2(none.error().message.startsWith(QStringLiteral("Cannot connect to the team store postgresql:///%1")
                                                     .arg(database))
                     && none.error().message.contains(QStringLiteral("password")),
                 qPrintable(none.error().message));
        auto wrong = TeamStore::open(uri, TeamStore::Access::Read, QStringLiteral("not-the-pw"));
        QVERIFY(!wrong);
        QVERIFY(!wrong.error().toString().contains(QStringLiteral("not-the-pw")));

        QVERIFY2(TeamStore::open(uri, TeamStore::Access::Read, QStringLiteral("s3cret-pw")), "typed (the app's prompt)");
        qputenv("PGPASSWORD", "s3cret-pw");
        QVERIFY2(TeamStore::open(uri, TeamStore::Access::Read), "PGPASSWORD");
        qunsetenv("PGPASSWORD");
        QTemporaryDir home;
        const QString file = home.filePath(QStringLiteral("pgpass"));
        QVERIFY(tfjs::test::PgCluster::writePrivate(file, "*:*:*:alice:s3cret-pw\n"));
        qputenv("PGPASSFILE", QFile::encodeName(file));
        QVERIFY2(TeamStore::open(uri, TeamStore::Access::Read), "a password file (~/.pgpass)");
    }

    void connectionErrorsSayWhatAndWhere()
    {
        HandlerOptions options;
        qunsetenv("TFJS_TEAM");
        const HandlerRegistry unconfigured = makeDefaultRegistry(options);
        JobContext ctx;
        auto none = unconfigured.load(QStringLiteral("team://m"), ctx);
        QVERIFY(!none);
        QVERIFY2(none.error().message.contains(QStringLiteral("--team URI or set TFJS_TEAM")),
                 qPrintable(none.error().message));
        QVERIFY(!unconfigured.storeSchemes().contains(QStringLiteral("team")));

        auto bad = TeamStore::open(QStringLiteral("postgresql://[oops"), TeamStore::Access::Read);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);

        // No server there; the password in the URI is never shown.
        const QString nowhere = QStringLiteral("postgresql://alice:s3cret@/models?host=%1/nowhere&connect_timeout=2")
                                    .arg(m_cluster.socketDir());
        auto refused = TeamStore::open(nowhere, TeamStore::Access::Read);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Network);
        QVERIFY2(refused.error().message.startsWith(QStringLiteral("Cannot connect to the team store postgresql://alice@/models")),
                 qPrintable(refused.error().message));
        QVERIFY(!refused.error().toString().contains(QStringLiteral("s3cret")));
        QVERIFY(!PgConnection::displayUri(QStringLiteral("host=/x password='a b' user=u")).contains(QStringLiteral("a b")));
    }
};

QTEST_GUILESS_MAIN(TestTeamStore)
#include "tst_teamstore.moc"

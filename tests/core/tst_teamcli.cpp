// tfjs-model against a team store on a real PostgreSQL server (a throwaway cluster, see
// pgcluster.h): the verbs, clients killed with SIGKILL mid-save, two clients at once.
#include "clirun.h"
#include "pgcluster.h"
#include "storetestdata.h"

#include "base/job.h"
#include "schemes/schemes.h"
#include "team/teamstore.h"

#include <QElapsedTimer>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;
using namespace storetest;

namespace {

// Writes `model` as a file:// folder; returns its model.json.
QString writeFolder(const QString &folder, const ModelArtifacts &model)
{
    const HandlerRegistry registry = makeDefaultRegistry({});
    JobContext ctx;
    auto saved = registry.save(QStringLiteral("file://") + folder, model, ctx);
    if (!saved)
        qFatal("cannot write %s: %s", qPrintable(folder), qPrintable(saved.error().toString()));
    return folder + QStringLiteral("/model.json");
}

QProcess *startBinary(const QStringList &args, const QString &uri, QObject *parent)
{
    auto *process = new QProcess(parent);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TFJS_TEAM"), uri);
    process->setProcessEnvironment(env);
    process->start(QStringLiteral(TFJS_BIN_DIR "/tfjs-model"), QStringList{QStringLiteral("--no-progress")} + args);
    return process;
}

struct Got
{
    int status = 0;
    QByteArray body;
};

Got httpGet(const QString &url)
{
    QNetworkAccessManager network;
    std::unique_ptr<QNetworkReply> reply(network.get(QNetworkRequest(QUrl(url))));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(30000);
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

// The weight file a served model.json names (one group, one path).
QString weightsPathOf(const QByteArray &modelJson)
{
    const QJsonObject json = QJsonDocument::fromJson(modelJson).object();
    return json.value(QStringLiteral("weightsManifest")).toArray().at(0).toObject()
        .value(QStringLiteral("paths")).toArray().at(0).toString();
}

} // namespace

class TestTeamCli : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;
    int m_databases = 0;
    QTemporaryDir m_dir;

    QString freshStore()
    {
        const QString uri = m_cluster.createDatabase(QStringLiteral("c%1").arg(++m_databases));
        if (uri.isEmpty())
            qFatal("cannot create a database: %s", qPrintable(m_cluster.error()));
        return uri;
    }
    QString database() const { return QStringLiteral("c%1").arg(m_databases); }
    // The weights of team://PATH, or an error text.
    static QByteArray weightsOf(const QString &uri, const QString &path)
    {
        auto store = TeamStore::open(uri, TeamStore::Access::Read);
        if (!store)
            return store.error().message.toUtf8();
        JobContext ctx;
        auto loaded = (*store)->loadModel(path, true, {}, &ctx);
        return loaded ? bytesOf(loaded->weightData) : loaded.error().message.toUtf8();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        QVERIFY(m_dir.isValid());
    }

    void verbsWorkOnTheTeamStore()
    {
        const QString uri = freshStore();
        const ModelArtifacts model = randomModel(2, 200000, 21);
        const QString source = writeFolder(m_dir.path() + QStringLiteral("/verbs"), model);
        const QString team = QStringLiteral("--team=") + uri;

        CliRun copied = runCli({QStringLiteral("copy"), team, source, QStringLiteral("team://models/a")});
        QVERIFY2(copied.code == 0, qPrintable(copied.err));
        CliRun again = runCli({QStringLiteral("copy"), team, source, QStringLiteral("team://models/a")});
        QVERIFY(again.code != 0);
        QVERIFY2(again.err.contains(QStringLiteral("team://models/a")), qPrintable(again.err));

        CliRun listed = runCli({QStringLiteral("list"), team});
        QVERIFY2(listed.code == 0, qPrintable(listed.err));
        QVERIFY2(listed.out.contains(QStringLiteral("team://models/a")), qPrintable(listed.out));
        QVERIFY2(listed.out.contains(QStringLiteral("SAVED BY")), qPrintable(listed.out));
        QVERIFY2(listed.out.contains(PgCluster::superuser() + QLatin1Char('@') + QHostInfo::localHostName()),
                 qPrintable(listed.out));
        CliRun json = runCli({QStringLiteral("list"), team, QStringLiteral("team://"), QStringLiteral("--json")});
        QVERIFY2(json.code == 0, qPrintable(json.err));
        const Json entry = stdoutJson(json.out)["team://models/a"];
        QCOMPARE(entry["weightDataBytes"].get<qint64>(), qint64(2 * 200000 * 4));
        QCOMPARE(QString::fromStdString(entry["savedBy"].get<std::string>()),
                 PgCluster::superuser() + QLatin1Char('@') + QHostInfo::localHostName());

        CliRun info = runCli({QStringLiteral("info"), team, QStringLiteral("team://models/a")});
        QVERIFY2(info.code == 0, qPrintable(info.err));
        CliRun stats = runCli({QStringLiteral("stats"), team, QStringLiteral("team://models/a"), QStringLiteral("--json")});
        QVERIFY2(stats.code == 0, qPrintable(stats.err));
        QCOMPARE(stdoutJson(stats.out)["model"]["count"].get<qint64>(), qint64(2 * 200000));

        // Across stores: a move to the model store and back.
        const QString store = QStringLiteral("--store=") + m_dir.path() + QStringLiteral("/store");
        CliRun out = runCli({QStringLiteral("move"), team, store, QStringLiteral("team://models/a"),
                             QStringLiteral("indexeddb://a")});
        QVERIFY2(out.code == 0, qPrintable(out.err));
        QVERIFY(TeamStore::open(uri, TeamStore::Access::Read).value()->listModels()->empty());
        CliRun in = runCli({QStringLiteral("move"), team, store, QStringLiteral("indexeddb://a"),
                            QStringLiteral("team://models/a")});
        QVERIFY2(in.code == 0, qPrintable(in.err));
        QCOMPARE(weightsOf(uri, QStringLiteral("models/a")), bytesOf(model.weightData));

        const QString back = m_dir.path() + QStringLiteral("/back");
        CliRun exported = runCli({QStringLiteral("copy"), team, QStringLiteral("team://models/a"), back});
        QVERIFY2(exported.code == 0, qPrintable(exported.err));
        QFile weights(back + QStringLiteral("/weights.bin"));
        QVERIFY(weights.open(QIODevice::ReadOnly));
        QCOMPARE(weights.readAll(), bytesOf(model.weightData));

        CliRun renamed = runCli({QStringLiteral("rename"), team, QStringLiteral("team://models/a"),
                                 QStringLiteral("team://models/b")});
        QVERIFY2(renamed.code == 0, qPrintable(renamed.err));
        CliRun removed = runCli({QStringLiteral("remove"), team, QStringLiteral("team://models/b")});
        QVERIFY2(removed.code == 0, qPrintable(removed.err));
        CliRun trash = runCli({QStringLiteral("trash"), team, QStringLiteral("list"), QStringLiteral("team://")});
        QVERIFY2(trash.code == 0 && trash.out.contains(QStringLiteral("models/b")), qPrintable(trash.out + trash.err));
        CliRun restored = runCli({QStringLiteral("trash"), team, QStringLiteral("restore"), QStringLiteral("team://models/b")});
        QVERIFY2(restored.code == 0, qPrintable(restored.err));
        QCOMPARE(weightsOf(uri, QStringLiteral("models/b")), bytesOf(model.weightData));

        // A store that refuses: the message names it, the exit code says so.
        CliRun nowhere = runCli({QStringLiteral("list"), QStringLiteral("--team=postgresql:///none?host=")
                                     + m_cluster.socketDir() + QStringLiteral("/missing&connect_timeout=2"),
                                 QStringLiteral("team://")});
        QVERIFY(nowhere.code != 0);
        QVERIFY2(nowhere.err.contains(QStringLiteral("Cannot connect to the team store postgresql:///none")),
                 qPrintable(nowhere.err));
    }

    // `serve team://`: pages (here tfjs-model's own http:// handler) save into and load from the
    // team store through the local model server.
    void serveTheTeamStore()
    {
        const QString uri = freshStore();
        const ModelArtifacts model = randomModel(2, 50000, 51);
        const QString source = writeFolder(m_dir.path() + QStringLiteral("/serve"), model);
        std::unique_ptr<QProcess> server(startBinary({QStringLiteral("serve"), QStringLiteral("team://")}, uri, nullptr));
        QVERIFY(server->waitForReadyRead(20000));
        const QString line = QString::fromUtf8(server->readLine()).trimmed();
        QVERIFY2(line.startsWith(QStringLiteral("serving http://127.0.0.1:")) && line.endsWith(QLatin1Char('/')),
                 qPrintable(line));
        const QString base = line.section(QLatin1Char(' '), 1, 1);
        CliRun saved = runCli({QStringLiteral("copy"), source, base + QStringLiteral("models/from-page")});
        QVERIFY2(saved.code == 0, qPrintable(saved.err));
        QCOMPARE(weightsOf(uri, QStringLiteral("from-page")), bytesOf(model.weightData));
        const QString back = m_dir.path() + QStringLiteral("/served-back");
        CliRun loaded = runCli({QStringLiteral("copy"), base + QStringLiteral("models/from-page/model.json"), back});
        QVERIFY2(loaded.code == 0, qPrintable(loaded.err));
        QFile weights(back + QStringLiteral("/weights.bin"));
        QVERIFY(weights.open(QIODevice::ReadOnly));
        QCOMPARE(weights.readAll(), bytesOf(model.weightData));
        server->terminate();
        QVERIFY(server->waitForFinished(20000));

        CliRun unknown = runCli({QStringLiteral("serve"), QStringLiteral("file://")});
        QCOMPARE(unknown.code, 2);
        QVERIFY2(unknown.err.contains(QStringLiteral("not a store serve can serve")), qPrintable(unknown.err));
    }

    // A team model replaced or removed between the GETs of its model.json and its weights:
    // the weights are those model.json described (found by their hash) while the store still
    // refers to them; 410 once the trash is emptied.
    void servedWeightsAreOfTheVersionModelJsonDescribed()
    {
        const QString uri = freshStore();
        const ModelArtifacts first = randomModel(2, 20000, 61);
        const ModelArtifacts second = randomModel(2, 30000, 62);
        const QString one = writeFolder(m_dir.path() + QStringLiteral("/version-1"), first);
        const QString two = writeFolder(m_dir.path() + QStringLiteral("/version-2"), second);
        const auto cli = [&](const QStringList &args) {
            CliRun run = runCli(args + QStringList{QStringLiteral("--team"), uri});
            if (run.code != 0)
                qWarning("%s", qPrintable(run.err));
            return run.code;
        };
        QCOMPARE(cli({QStringLiteral("copy"), one, QStringLiteral("team://m")}), 0);
        std::unique_ptr<QProcess> server(startBinary({QStringLiteral("serve"), QStringLiteral("team://")}, uri, nullptr));
        QVERIFY(server->waitForReadyRead(20000));
        const QString base = QString::fromUtf8(server->readLine()).trimmed().section(QLatin1Char(' '), 1, 1)
            + QStringLiteral("models/m/");

        const Got json1 = httpGet(base + QStringLiteral("model.json"));
        QCOMPARE(json1.status, 200);
        const QString path1 = weightsPathOf(json1.body);
        QVERIFY2(QRegularExpression(QStringLiteral("^model\\.weights\\.[0-9a-f]{16}\\.bin$")).match(path1).hasMatch(),
                 qPrintable(path1));
        QCOMPARE(cli({QStringLiteral("copy"), QStringLiteral("--overwrite"), two, QStringLiteral("team://m")}), 0);
        const Got json2 = httpGet(base + QStringLiteral("model.json"));
        const QString path2 = weightsPathOf(json2.body);
        QVERIFY(path2 != path1);
        QCOMPARE(httpGet(base + path1).body, bytesOf(first.weightData));
        QCOMPARE(httpGet(base + path2).body, bytesOf(second.weightData));
        QCOMPARE(httpGet(base + QStringLiteral("model.weights.bin")).body, bytesOf(second.weightData));

        QCOMPARE(cli({QStringLiteral("remove"), QStringLiteral("team://m")}), 0);
        QCOMPARE(httpGet(base + path1).body, bytesOf(first.weightData)); // in the trash
        QCOMPARE(cli({QStringLiteral("trash"), QStringLiteral("empty"), QStringLiteral("team://")}), 0);
        const Got gone = httpGet(base + path1);
        QCOMPARE(gone.status, 410);
        QVERIFY2(gone.body.contains("are no longer in the team store"), gone.body.constData());
        server->terminate();
        QVERIFY(server->waitForFinished(20000));
    }

    void killedClientsKeepTheOldVersion()
    {
        const QString uri = freshStore();
        const ModelArtifacts versions[] = {randomModel(1, 1000, 31), randomModel(4, 2 << 20, 32)}; // 32 MiB
        const QString source = writeFolder(m_dir.path() + QStringLiteral("/kill-new"), versions[1]);
        {
            auto store = TeamStore::open(uri, TeamStore::Access::Write);
            QVERIFY(store);
            JobContext ctx;
            QVERIFY((*store)->saveModel(QStringLiteral("m"), versions[0], &ctx, Existing::Refuse));
        }
        const QByteArray old = bytesOf(versions[0].weightData);
        const QByteArray fresh = bytesOf(versions[1].weightData);
        const QStringList args{QStringLiteral("copy"), QStringLiteral("--overwrite"), source, QStringLiteral("team://m")};
        // How long a whole save takes here: the kills land at random moments inside it.
        QElapsedTimer clock;
        clock.start();
        {
            std::unique_ptr<QProcess> whole(startBinary(args, uri, nullptr));
            QVERIFY(whole->waitForFinished(120000));
            QVERIFY2(whole->exitCode() == 0, whole->readAllStandardError().constData());
        }
        const int duration = int(clock.elapsed());
        QRandomGenerator random(5);
        int killed = 0;
        for (int round = 0; round < 8; ++round) {
            { // back to the old version, and the new one's weights gone from the store
                auto store = TeamStore::open(uri, TeamStore::Access::Write);
                QVERIFY(store);
                JobContext ctx;
                QVERIFY((*store)->saveModel(QStringLiteral("m"), versions[0], &ctx, Existing::Replace));
                QVERIFY((*store)->emptyTrash({}));
                QCOMPARE((*store)->blobHashes()->size(), 1);
            }
            std::unique_ptr<QProcess> child(startBinary(args, uri, nullptr));
            QVERIFY(child->waitForStarted());
            if (child->waitForFinished(int(duration * (0.05 + 0.9 * random.generateDouble())))) {
                QVERIFY2(child->exitCode() == 0, child->readAllStandardError().constData());
            } else {
                child->kill();
                child->waitForFinished();
                ++killed;
            }
            // The server rolls back once it sees the client gone.
            QDeadlineTimer deadline(20000);
            while (!deadline.hasExpired()
                   && m_cluster.psql(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1'")
                                         .arg(database()))
                          != QStringLiteral("0"))
                QTest::qWait(50);
            const QByteArray now = weightsOf(uri, QStringLiteral("m"));
            QVERIFY2(now == old || now == fresh, now.left(300).constData());
            // No blob nothing refers to, no chunk of a half-sent blob.
            QCOMPARE(m_cluster.psql(QStringLiteral("SELECT count(*) FROM tfjs.blobs b WHERE NOT EXISTS "
                                                   "(SELECT 1 FROM tfjs.models m WHERE m.weightDataBlob = b.hash) "
                                                   "AND NOT EXISTS (SELECT 1 FROM tfjs.trash t WHERE "
                                                   "t.weightDataBlob = b.hash)"),
                                    database()),
                     QStringLiteral("0"));
            QCOMPARE(m_cluster.psql(QStringLiteral("SELECT count(*) FROM tfjs.blob_chunks c WHERE NOT EXISTS "
                                                   "(SELECT 1 FROM tfjs.blobs b WHERE b.hash = c.hash)"),
                                    database()),
                     QStringLiteral("0"));
        }
        qInfo("%d of 8 clients killed mid-save (a whole save took %d ms)", killed, duration);
        QVERIFY2(killed > 0, "no client was killed mid-save: the rounds are too long for this machine");
    }

    void twoClientsAtOnce()
    {
        const QString uri = freshStore();
        const ModelArtifacts models[] = {randomModel(2, 100000, 41), randomModel(2, 100000, 42)};
        QString sources[2];
        for (int i = 0; i < 2; ++i)
            sources[i] = writeFolder(m_dir.path() + QStringLiteral("/client%1").arg(i), models[i]);
        // Each client: save the shared model and one of its own, rename its own, remove it.
        QList<QStringList> steps[2];
        for (int i = 0; i < 2; ++i) {
            const QString own = QStringLiteral("team://own%1").arg(i);
            for (int round = 0; round < 4; ++round) {
                steps[i] << QStringList{QStringLiteral("copy"), QStringLiteral("--overwrite"), sources[i],
                                        QStringLiteral("team://shared")}
                         << QStringList{QStringLiteral("copy"), sources[i], own}
                         << QStringList{QStringLiteral("rename"), own, own + QStringLiteral("-renamed")}
                         << QStringList{QStringLiteral("remove"), own + QStringLiteral("-renamed")};
            }
        }
        QStringList failures;
        for (int step = 0; step < steps[0].size(); ++step) {
            std::unique_ptr<QProcess> clients[2];
            for (int i = 0; i < 2; ++i)
                clients[i].reset(startBinary(steps[i][step], uri, nullptr));
            for (int i = 0; i < 2; ++i) {
                if (!clients[i]->waitForFinished(120000) || clients[i]->exitStatus() != QProcess::NormalExit
                    || clients[i]->exitCode() != 0)
                    failures << steps[i][step].join(QLatin1Char(' ')) + QStringLiteral(": ")
                                    + QString::fromUtf8(clients[i]->readAllStandardError());
            }
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        auto store = TeamStore::open(uri, TeamStore::Access::Read);
        QVERIFY(store);
        auto listed = (*store)->listModels();
        QVERIFY(listed);
        QCOMPARE(listed->size(), 1u);
        QCOMPARE(listed->front().path, QStringLiteral("shared"));
        const QByteArray shared = weightsOf(uri, QStringLiteral("shared"));
        QVERIFY(shared == bytesOf(models[0].weightData) || shared == bytesOf(models[1].weightData));
        QCOMPARE((*store)->blobHashes()->size(), 2); // both versions, shared by trash entries
    }
};

QTEST_GUILESS_MAIN(TestTeamCli)
#include "tst_teamcli.moc"

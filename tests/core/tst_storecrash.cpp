// The IndexedDB-like store under process death and concurrency. A child process (this test
// binary in "child" mode, running the tfjs-model CLI code) saves, overwrites, renames or removes
// a large model and is killed with SIGKILL at a random moment, many times; after each kill the
// store must open, list exactly the models it should (each either in its old or its new state),
// every listed model must hold the right bytes and decode, and garbage collection must leave
// exactly the referenced blobs. Then several processes save, list and remove in one store at
// the same time. The same kills for localstorage:// (its own SQLite database), and for the
// model server (`tfjs-model serve`) killed while it receives uploads.
#include "cli.h"
#include "handlers/modelmanager.h"
#include "schemes/schemes.h"
#include "base/job.h"
#include "storetestdata.h"
#include "store/indexeddbstore.h"
#include "store/sha256.h"
#include "format/validate.h"
#include "io/spoolfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <QTest>
#include <QThread>

#include <limits>
#include <map>
#include <optional>
#include <set>

using namespace tfjs;
using namespace storetest;

namespace {

// Child mode: `tst_storecrash child STORE VERB ARGS...` runs `tfjs-model VERB ARGS... --store
// STORE`. `child-stress STORE PREFIX COUNT SOURCE` loops over saves, lists and removes.
int runCli(const QString &store, QStringList args)
{
    args.prepend(QStringLiteral("tfjs-model"));
    args << QStringLiteral("--store") << store << QStringLiteral("--no-progress");
    QString out;
    QString err;
    QTextStream outStream(&out);
    QTextStream errStream(&err);
    const int code = cli::run(args, outStream, errStream, false);
    errStream.flush();
    if (code != 0) {
        QTextStream(stderr) << err;
    }
    return code;
}

int runStress(const QString &store, const QString &prefix, int count, const QString &source)
{
    for (int i = 0; i < count; ++i) {
        const QString name = QStringLiteral("%1_%2").arg(prefix).arg(i);
        if (runCli(store, {QStringLiteral("copy"), source, QStringLiteral("indexeddb://") + name}) != 0)
            return 10;
        if (runCli(store, {QStringLiteral("list"), QStringLiteral("--json")}) != 0)
            return 11;
        if (runCli(store, {QStringLiteral("copy"), QStringLiteral("indexeddb://") + name,
                           QStringLiteral("indexeddb://") + name + QStringLiteral("_copy")})
            != 0)
            return 12;
        if (runCli(store, {QStringLiteral("remove"),
                           QStringLiteral("indexeddb://") + name + QStringLiteral("_copy")})
            != 0)
            return 13;
        if (runCli(store, {QStringLiteral("move"), QStringLiteral("indexeddb://") + name,
                           QStringLiteral("indexeddb://") + name + QStringLiteral("_final")})
            != 0)
            return 14;
    }
    return 0;
}

QString selfPath()
{
    return QCoreApplication::applicationFilePath();
}

QString hashOf(const ModelArtifacts &model)
{
    return QString::fromLatin1(Sha256::hash(bytesOf(model.weightData)).toHex());
}

// Runs `child STORE ARGS...` and kills it with SIGKILL when it has not ended after `delayMs`:
// true when it ended by itself (successfully), false when killed, none when it failed.
std::optional<bool> runOrKill(const QString &storeDir, const QStringList &args, int delayMs)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(selfPath(), QStringList{QStringLiteral("child"), storeDir} + args);
    if (!child.waitForStarted())
        return std::nullopt;
    if (child.waitForFinished(delayMs))
        return child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0
                   ? std::optional<bool>(true)
                   : std::nullopt;
    child.kill(); // SIGKILL
    if (!child.waitForFinished(10000))
        return std::nullopt;
    return false;
}

// Writes `model` as a file:// folder and returns the path of its model.json.
QString writeFolder(const HandlerRegistry &registry, const QString &folder, const ModelArtifacts &model)
{
    JobContext ctx;
    auto handler = registry.handlerFor(QStringLiteral("file://") + folder);
    auto saved = (*handler)->save(model, ctx);
    if (!saved)
        qFatal("cannot write %s: %s", qPrintable(folder), qPrintable(saved.error().toString()));
    return folder + QStringLiteral("/model.json");
}

} // namespace

class TestStoreCrash : public QObject
{
    Q_OBJECT

private slots:
    void killedAtRandomMoments();
    void concurrentProcesses();
    void readersDuringOverwrites();
    void localStorageKilledAtRandomMoments();
    void serverKilledDuringUploads();
};

void TestStoreCrash::killedAtRandomMoments()
{
    QTemporaryDir dir;
    HandlerOptions options;
    options.storeDir = dir.filePath(QStringLiteral("store"));
    const HandlerRegistry registry = makeDefaultRegistry(options);

    // Two versions of a 32 MiB model (8 tensors of 1 Mi floats) and a small one.
    const ModelArtifacts versionA = randomModel(8, 1 << 20, 1);
    const ModelArtifacts versionB = randomModel(8, 1 << 20, 2);
    const ModelArtifacts small = randomModel(2, 1000, 3);
    const std::map<QString, QString> sources = {
        {hashOf(versionA), writeFolder(registry, dir.filePath(QStringLiteral("a")), versionA)},
        {hashOf(versionB), writeFolder(registry, dir.filePath(QStringLiteral("b")), versionB)},
        {hashOf(small), writeFolder(registry, dir.filePath(QStringLiteral("s")), small)},
    };
    const QString hashA = hashOf(versionA);
    const QString hashB = hashOf(versionB);

    // path -> expected weight hash
    std::map<QString, QString> state;
    const auto run = [&](const QStringList &args) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QStringList all = {QStringLiteral("child"), options.storeDir};
        child.start(selfPath(), all + args);
        return child.waitForFinished(120000) && child.exitStatus() == QProcess::NormalExit
               && child.exitCode() == 0;
    };
    QVERIFY(run({QStringLiteral("copy"), sources.at(hashOf(small)), QStringLiteral("indexeddb://keeper")}));
    QVERIFY(run({QStringLiteral("copy"), sources.at(hashA), QStringLiteral("indexeddb://victim")}));
    QVERIFY(run({QStringLiteral("copy"), sources.at(hashB), QStringLiteral("indexeddb://other")}));
    state = {{QStringLiteral("keeper"), hashOf(small)},
             {QStringLiteral("victim"), hashA},
             {QStringLiteral("other"), hashB}};

    // How long an overwrite takes when not killed (the faster of two), to spread the kills
    // over it.
    qint64 duration = std::numeric_limits<qint64>::max();
    for (const QString &hash : {hashB, hashA}) {
        QElapsedTimer timer;
        timer.start();
        QVERIFY(run({QStringLiteral("copy"), sources.at(hash), QStringLiteral("indexeddb://victim"),
                     QStringLiteral("--overwrite")}));
        duration = std::max<qint64>(std::min(duration, timer.elapsed()), 50);
    }
    state[QStringLiteral("victim")] = hashA;

    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("seed %u, one overwrite takes %lld ms", seed, duration);
    QRandomGenerator random(seed);
    QElapsedTimer total;
    total.start();
    int iterations = 0;
    int killedMidway = 0;
    int spare = 0;
    while (iterations < 40 && total.elapsed() < 45000) {
        ++iterations;
        // What the child does, and which outcomes are allowed afterwards (path -> allowed
        // hashes; an empty string means "absent").
        QStringList args;
        QString renameFrom;
        QString renameTo;
        std::map<QString, std::set<QString>> allowed;
        for (const auto &[path, hash] : state)
            allowed[path] = {hash};
        const int action = int(random.bounded(4));
        if (action == 0) { // overwrite the victim with the other version
            const QString now = state[QStringLiteral("victim")];
            const QString next = now == hashA ? hashB : hashA;
            args = {QStringLiteral("copy"), sources.at(next), QStringLiteral("indexeddb://victim"),
                    QStringLiteral("--overwrite")};
            allowed[QStringLiteral("victim")] = {now, next};
        } else if (action == 1) { // a new model
            const QString name = QStringLiteral("new%1").arg(++spare);
            const QString hash = random.bounded(2) ? hashA : hashB;
            args = {QStringLiteral("copy"), sources.at(hash), QStringLiteral("indexeddb://") + name};
            allowed[name] = {QString(), hash};
        } else if (action == 2) { // rename "other" back and forth
            const bool there = state.count(QStringLiteral("other")) > 0;
            const QString from = there ? QStringLiteral("other") : QStringLiteral("other2");
            const QString to = there ? QStringLiteral("other2") : QStringLiteral("other");
            args = {QStringLiteral("move"), QStringLiteral("indexeddb://") + from,
                    QStringLiteral("indexeddb://") + to};
            allowed[from] = {QString(), state[from]};
            allowed[to] = {QString(), state[from]};
            renameFrom = from;
            renameTo = to;
        } else { // remove the newest added model, if any
            QString newest;
            for (const auto &[path, hash] : state) {
                if (path.startsWith(QStringLiteral("new")))
                    newest = path;
            }
            if (newest.isEmpty()) {
                --iterations;
                continue;
            }
            args = {QStringLiteral("remove"), QStringLiteral("indexeddb://") + newest};
            allowed[newest] = {QString(), state[newest]};
        }

        // Half the kills anywhere, half near the end where the blob is published and the
        // transaction commits.
        const int delay = iterations % 2
                              ? int(random.bounded(quint32(duration + 1)))
                              : int(duration * 6 / 10 + random.bounded(quint32(duration * 6 / 10 + 1)));
        const std::optional<bool> finished = runOrKill(options.storeDir, args, delay);
        QVERIFY2(finished, "the child failed");
        killedMidway += *finished ? 0 : 1;

        // The store opens and lists an allowed state.
        auto store = IndexedDbStore::open(options.storeDir, IndexedDbStore::Access::Read);
        QVERIFY2(store, why(store));
        auto listed = (*store)->listModels();
        QVERIFY2(listed, why(listed));
        std::map<QString, QString> now;
        for (const StoredModel &model : *listed) {
            QVERIFY2(allowed.count(model.path),
                     qPrintable(QStringLiteral("unexpected model '%1' after %2")
                                    .arg(model.path, args.join(QLatin1Char(' ')))));
            auto loaded = (*store)->loadModel(model.path);
            QVERIFY2(loaded, why(loaded));
            const auto &segment = loaded->weightData.segments().front();
            QVERIFY(segment.spool); // the blob, held open
            const QString hash = (*store)->blobs().hashOfPath(segment.spool->heldPath());
            QVERIFY2(allowed[model.path].count(hash),
                     qPrintable(QStringLiteral("model '%1' has unexpected weights after %2")
                                    .arg(model.path, args.join(QLatin1Char(' ')))));
            now[model.path] = hash;
        }
        for (const auto &[path, hashes] : allowed) {
            if (!now.count(path))
                QVERIFY2(hashes.count(QString()),
                         qPrintable(QStringLiteral("model '%1' vanished after %2")
                                        .arg(path, args.join(QLatin1Char(' ')))));
        }
        if (!renameFrom.isEmpty()) // a rename is never half done
            QCOMPARE(int(now.count(renameFrom) + now.count(renameTo)), 1);
        if (*finished) { // a completed command has its full effect
            for (const auto &[path, hashes] : allowed) {
                if (hashes.size() > 1) {
                    const QString before = state.count(path) ? state.at(path) : QString();
                    const QString after = now.count(path) ? now.at(path) : QString();
                    QVERIFY2(after != before,
                             qPrintable(QStringLiteral("%1 completed but changed nothing")
                                            .arg(args.join(QLatin1Char(' ')))));
                }
            }
        }
        // The models that changed hold exactly their bytes and decode.
        for (const auto &[path, hash] : now) {
            if (state.count(path) && state.at(path) == hash && path != QLatin1String("victim"))
                continue;
            auto loaded = (*store)->loadModel(path);
            QVERIFY(loaded);
            QCOMPARE(hashOf(*loaded), hash);
            JobContext ctx;
            auto report = validateArtifacts(*loaded, ctx);
            QVERIFY2(report && report->ok(), qPrintable(path));
        }
        state = now;
        QVERIFY(state.count(QStringLiteral("keeper")));

        // After a collection exactly the referenced blobs remain, and no temporary file.
        auto collected = (*store)->collectGarbage();
        QVERIFY2(collected, why(collected));
        QCOMPARE((*store)->blobs().hashes(), (*store)->referencedBlobs().value());
        QCOMPARE(QDir((*store)->blobs().dir() + QStringLiteral("/tmp")).entryList(QDir::Files),
                 QStringList{});
    }
    qInfo("%d iterations, %d killed before the end", iterations, killedMidway);
    QVERIFY(iterations >= 10);
    QVERIFY(killedMidway >= 3);

    // Finally every model decodes in full.
    auto store = IndexedDbStore::open(options.storeDir, IndexedDbStore::Access::Read);
    for (const auto &[path, hash] : state) {
        auto loaded = (*store)->loadModel(path);
        QVERIFY2(loaded, why(loaded));
        QCOMPARE(hashOf(*loaded), hash);
        JobContext ctx;
        auto report = validateArtifacts(*loaded, ctx);
        QVERIFY2(report && report->ok(), qPrintable(path));
    }
}

void TestStoreCrash::concurrentProcesses()
{
    QTemporaryDir dir;
    HandlerOptions options;
    options.storeDir = dir.filePath(QStringLiteral("store"));
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelArtifacts model = randomModel(4, 64 * 1024, 9); // 1 MiB
    const QString source = writeFolder(registry, dir.filePath(QStringLiteral("src")), model);

    constexpr int kProcesses = 3;
    constexpr int kRounds = 6;
    std::vector<std::unique_ptr<QProcess>> children;
    for (int p = 0; p < kProcesses; ++p) {
        auto child = std::make_unique<QProcess>();
        child->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child->start(selfPath(), {QStringLiteral("child-stress"), options.storeDir,
                                  QStringLiteral("p%1").arg(p), QString::number(kRounds), source});
        QVERIFY(child->waitForStarted());
        children.push_back(std::move(child));
    }
    // This process lists meanwhile.
    int lists = 0;
    while (std::any_of(children.begin(), children.end(),
                       [](const auto &child) { return child->state() != QProcess::NotRunning; })) {
        auto store = IndexedDbStore::open(options.storeDir, IndexedDbStore::Access::Read);
        QVERIFY2(store, why(store));
        auto listed = (*store)->listModels();
        QVERIFY2(listed, why(listed));
        ++lists;
        for (auto &child : children)
            child->waitForFinished(20);
    }
    for (auto &child : children) {
        QCOMPARE(child->exitStatus(), QProcess::NormalExit);
        QCOMPARE(child->exitCode(), 0);
    }
    QVERIFY(lists > 0);

    auto store = IndexedDbStore::open(options.storeDir, IndexedDbStore::Access::Read);
    QVERIFY(store);
    auto listed = (*store)->listModels();
    QVERIFY(listed);
    QStringList expected;
    for (int p = 0; p < kProcesses; ++p) {
        for (int i = 0; i < kRounds; ++i)
            expected << QStringLiteral("p%1_%2_final").arg(p).arg(i);
    }
    expected.sort();
    QStringList paths;
    for (const StoredModel &stored : *listed)
        paths << stored.path;
    QCOMPARE(paths, expected);
    // Equal weights: one blob for all of them.
    QCOMPARE((*store)->blobs().hashes(), QStringList{hashOf(model)});
    auto loaded = (*store)->loadModel(expected.front());
    QVERIFY(loaded);
    QCOMPARE(bytesOf(loaded->weightData), bytesOf(model.weightData));
}

void TestStoreCrash::readersDuringOverwrites()
{
    // A process overwrites one model again and again with two versions and empties the trash
    // after each (which deletes the blob replaced) while this one loads it and reads its weights: every read is one
    // version or the other in full, never a "blob missing" false alarm, never a mix.
    QTemporaryDir dir;
    HandlerOptions options;
    options.storeDir = dir.filePath(QStringLiteral("store"));
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelArtifacts versionA = randomModel(4, 64 * 1024, 21); // 1 MiB
    const ModelArtifacts versionB = randomModel(4, 64 * 1024, 22);
    const QString sourceA = writeFolder(registry, dir.filePath(QStringLiteral("a")), versionA);
    const QString sourceB = writeFolder(registry, dir.filePath(QStringLiteral("b")), versionB);
    QCOMPARE(runCli(options.storeDir, {QStringLiteral("copy"), sourceA, QStringLiteral("indexeddb://shared")}), 0);

    QStringList args = {QStringLiteral("child"), options.storeDir};
    QProcess writer;
    writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // One child process per overwrite would spend the time starting; a shell loop runs 40.
    QStringList script;
    for (int i = 0; i < 40; ++i)
        script << QStringLiteral("'%1' child '%2' copy '%3' indexeddb://shared --overwrite || exit 1")
                      .arg(selfPath(), options.storeDir, i % 2 ? sourceA : sourceB)
               // the replaced version goes to the trash; emptying it deletes its blob
               << QStringLiteral("'%1' child '%2' trash empty || exit 1")
                      .arg(selfPath(), options.storeDir);
    writer.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script.join(QLatin1Char('\n'))});
    QVERIFY(writer.waitForStarted());
    const std::set<QString> versions = {hashOf(versionA), hashOf(versionB)};
    int reads = 0;
    while (writer.state() != QProcess::NotRunning || reads == 0) {
        auto store = IndexedDbStore::open(options.storeDir, IndexedDbStore::Access::Read);
        QVERIFY2(store, why(store));
        auto loaded = (*store)->loadModel(QStringLiteral("shared"));
        QVERIFY2(loaded, why(loaded));
        // The weights are read a moment later (as the app reads them while the user looks),
        // by when an overwrite has usually swept the blob the load found.
        QThread::msleep(reads % 3 * 20);
        auto bytes = loaded->weightData.readAll();
        QVERIFY2(bytes, why(bytes));
        QVERIFY2(versions.count(hashOf(*loaded)), "a read that is neither version");
        ++reads;
        writer.waitForFinished(5);
    }
    QCOMPARE(writer.exitStatus(), QProcess::NormalExit);
    QCOMPARE(writer.exitCode(), 0);
    qInfo("%d reads during 40 overwrites", reads);
}

void TestStoreCrash::localStorageKilledAtRandomMoments()
{
    QTemporaryDir dir;
    HandlerOptions options;
    options.storeDir = dir.filePath(QStringLiteral("store"));
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelManager manager(registry);
    // At most five models at once (base64 in UTF-16) fit the 5 MiB quota.
    const ModelArtifacts versionA = randomModel(2, 32 * 1024, 31); // 256 KiB
    const ModelArtifacts versionB = randomModel(2, 32 * 1024, 32);
    const QString hashA = hashOf(versionA);
    const QString hashB = hashOf(versionB);
    const std::map<QString, QString> sources = {
        {hashA, writeFolder(registry, dir.filePath(QStringLiteral("a")), versionA)},
        {hashB, writeFolder(registry, dir.filePath(QStringLiteral("b")), versionB)},
    };
    const auto url = [](const QString &name) -> QString { return QStringLiteral("localstorage://") + name; };
    const auto run = [&](const QStringList &args) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(selfPath(), QStringList{QStringLiteral("child"), options.storeDir} + args);
        return child.waitForFinished(60000) && child.exitStatus() == QProcess::NormalExit
               && child.exitCode() == 0;
    };
    // What the origin holds: name -> weight hash; every model loads in full and validates.
    const auto snapshot = [&](std::map<QString, QString> &out) -> QString {
        auto listed = manager.listModels(QStringLiteral("localstorage"));
        if (!listed)
            return listed.error().toString();
        for (const StoredModel &model : *listed) {
            auto handler = registry.handlerFor(url(model.path));
            JobContext ctx;
            auto loaded = handler ? (*handler)->load(ctx) : fail(handler.error());
            if (!loaded)
                return loaded.error().toString();
            auto report = validateArtifacts(*loaded, ctx);
            if (!report || !report->ok())
                return QStringLiteral("'%1' does not validate").arg(model.path);
            out[model.path] = hashOf(*loaded);
        }
        return {};
    };

    QVERIFY(run({QStringLiteral("copy"), sources.at(hashA), url(QStringLiteral("victim"))}));
    QVERIFY(run({QStringLiteral("copy"), sources.at(hashB), url(QStringLiteral("other"))}));
    std::map<QString, QString> state = {{QStringLiteral("victim"), hashA},
                                        {QStringLiteral("other"), hashB}};
    qint64 duration = std::numeric_limits<qint64>::max();
    for (const QString &hash : {hashB, hashA}) {
        QElapsedTimer timer;
        timer.start();
        QVERIFY(run({QStringLiteral("copy"), sources.at(hash), url(QStringLiteral("victim")),
                     QStringLiteral("--overwrite")}));
        duration = std::max<qint64>(std::min(duration, timer.elapsed()), 20);
    }
    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("seed %u, one overwrite takes %lld ms", seed, duration);
    QRandomGenerator random(seed);
    int killedMidway = 0;
    int spare = 0;
    for (int iteration = 1; iteration <= 40; ++iteration) {
        QStringList args;
        std::map<QString, std::set<QString>> allowed;
        for (const auto &[path, hash] : state)
            allowed[path] = {hash};
        QString renameFrom;
        QString renameTo;
        const int action = int(random.bounded(4));
        QString newest;
        int added = 0;
        for (const auto &[path, hash] : state) {
            if (path.startsWith(QStringLiteral("new"))) {
                newest = path;
                ++added;
            }
        }
        if (action == 0) { // overwrite the victim with the other version
            const QString now = state[QStringLiteral("victim")];
            const QString next = now == hashA ? hashB : hashA;
            args = {QStringLiteral("copy"), sources.at(next), url(QStringLiteral("victim")),
                    QStringLiteral("--overwrite")};
            allowed[QStringLiteral("victim")] = {now, next};
        } else if ((action == 1 && added < 3) || newest.isEmpty()) { // a new model
            const QString name = QStringLiteral("new%1").arg(++spare);
            const QString hash = random.bounded(2) ? hashA : hashB;
            args = {QStringLiteral("copy"), sources.at(hash), url(name)};
            allowed[name] = {QString(), hash};
        } else if (action == 2) { // rename "other" back and forth
            const bool there = state.count(QStringLiteral("other")) > 0;
            renameFrom = there ? QStringLiteral("other") : QStringLiteral("other2");
            renameTo = there ? QStringLiteral("other2") : QStringLiteral("other");
            args = {QStringLiteral("move"), url(renameFrom), url(renameTo)};
            allowed[renameFrom] = {QString(), state[renameFrom]};
            allowed[renameTo] = {QString(), state[renameFrom]};
        } else { // remove the newest added model
            args = {QStringLiteral("remove"), url(newest)};
            allowed[newest] = {QString(), state[newest]};
        }

        // Spread over the whole command and a little past it (a process that starts slower than
        // the measured one is still killed inside its write now and then).
        const int delay = iteration % 2
                              ? int(random.bounded(quint32(duration * 3 / 2 + 1)))
                              : int(duration / 2 + random.bounded(quint32(duration + 1)));
        const std::optional<bool> finished = runOrKill(options.storeDir, args, delay);
        QVERIFY2(finished, "the child failed");
        killedMidway += *finished ? 0 : 1;

        std::map<QString, QString> now;
        const QString problem = snapshot(now);
        const QString after = args.join(QLatin1Char(' '));
        QVERIFY2(problem.isEmpty(), qPrintable(problem + QStringLiteral(" after ") + after));
        for (const auto &[path, hash] : now) {
            QVERIFY2(allowed.count(path) && allowed.at(path).count(hash),
                     qPrintable(QStringLiteral("'%1' unexpected after %2").arg(path, after)));
        }
        for (const auto &[path, hashes] : allowed) {
            QVERIFY2(now.count(path) || hashes.count(QString()),
                     qPrintable(QStringLiteral("'%1' vanished after %2").arg(path, after)));
        }
        if (!renameFrom.isEmpty()) // a rename is never half done
            QCOMPARE(int(now.count(renameFrom) + now.count(renameTo)), 1);
        state = now;
    }
    qInfo("40 iterations, %d killed before the end", killedMidway);
    QVERIFY(killedMidway >= 3);
}

void TestStoreCrash::serverKilledDuringUploads()
{
    QTemporaryDir dir;
    HandlerOptions options;
    options.storeDir = dir.filePath(QStringLiteral("store"));
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelArtifacts versionA = randomModel(4, 1 << 20, 41); // 16 MiB
    const ModelArtifacts versionB = randomModel(4, 1 << 20, 42);
    const QString hashA = hashOf(versionA);
    const QString hashB = hashOf(versionB);
    const std::map<QString, QString> sources = {
        {hashA, writeFolder(registry, dir.filePath(QStringLiteral("a")), versionA)},
        {hashB, writeFolder(registry, dir.filePath(QStringLiteral("b")), versionB)},
    };
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    const QString base = QStringLiteral("http://127.0.0.1:%1/models/").arg(port);
    // Starts the server and waits until it accepts connections.
    const auto startServer = [&](QProcess &server) -> bool {
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start(selfPath(), {QStringLiteral("child"), options.storeDir, QStringLiteral("serve"),
                                  QStringLiteral("--port"), QString::number(port)});
        if (!server.waitForStarted())
            return false;
        for (int attempt = 0; attempt < 400; ++attempt) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, port);
            if (socket.waitForConnected(50))
                return true;
            QThread::msleep(25);
        }
        return false;
    };
    const auto upload = [&](const QString &hash, bool overwrite) {
        auto process = std::make_unique<QProcess>();
        process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process->start(selfPath(), {QStringLiteral("child"), options.storeDir, QStringLiteral("copy"),
                                    sources.at(hash),
                                    base + QStringLiteral("victim") + (overwrite ? QStringLiteral("?overwrite=1") : QString())});
        return process;
    };

    QProcess first;
    QVERIFY(startServer(first));
    QElapsedTimer timer;
    timer.start();
    auto initial = upload(hashA, false);
    QVERIFY(initial->waitForFinished(60000));
    QCOMPARE(initial->exitCode(), 0);
    const qint64 duration = std::max<qint64>(timer.elapsed(), 20);
    first.kill();
    QVERIFY(first.waitForFinished(10000));

    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("seed %u, one upload takes %lld ms", seed, duration);
    QRandomGenerator random(seed);
    QString current = hashA;
    int killedMidway = 0;
    for (int iteration = 1; iteration <= 12; ++iteration) {
        QProcess server;
        QVERIFY(startServer(server));
        const QString next = current == hashA ? hashB : hashA;
        auto client = upload(next, true);
        const bool done = client->waitForFinished(int(random.bounded(quint32(duration * 3 / 2 + 1))));
        server.kill(); // SIGKILL, maybe in the middle of receiving or storing
        QVERIFY(server.waitForFinished(10000));
        if (client->state() != QProcess::NotRunning)
            QVERIFY(client->waitForFinished(60000));
        if (!done || client->exitCode() != 0)
            ++killedMidway;

        // The store holds the old or the new version, whole.
        auto store = IndexedDbStore::open(options.storeDir, IndexedDbStore::Access::Read);
        QVERIFY2(store, why(store));
        auto loaded = (*store)->loadModel(QStringLiteral("victim"));
        QVERIFY2(loaded, why(loaded));
        const QString now = hashOf(*loaded);
        QVERIFY2(now == current || now == next, "the victim holds neither version");
        if (done && client->exitCode() == 0)
            QCOMPARE(now, next); // an upload that was answered is stored
        JobContext ctx;
        auto report = validateArtifacts(*loaded, ctx);
        QVERIFY(report && report->ok());
        current = now;
    }
    qInfo("12 server kills, %d during an upload", killedMidway);
    QVERIFY(killedMidway >= 3);

    // Garbage collection leaves exactly the referenced blobs and no upload spool.
    auto store = IndexedDbStore::open(options.storeDir, IndexedDbStore::Access::Write);
    QVERIFY2(store, why(store));
    auto collected = (*store)->collectGarbage();
    QVERIFY2(collected, why(collected));
    QCOMPARE((*store)->blobs().hashes(), (*store)->referencedBlobs().value());
    QCOMPARE(QDir((*store)->blobs().dir() + QStringLiteral("/tmp")).entryList(QDir::Files), QStringList{});
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() >= 4 && args.at(1) == QLatin1String("child"))
        return runCli(args.at(2), args.mid(3));
    if (args.size() == 6 && args.at(1) == QLatin1String("child-stress"))
        return runStress(args.at(2), args.at(3), args.at(4).toInt(), args.at(5));
    TestStoreCrash test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_storecrash.moc"

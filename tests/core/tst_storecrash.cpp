// The IndexedDB-like store under process death and concurrency. A child process (this test
// binary in "child" mode, running the tfjs-model CLI code) saves, overwrites, renames or removes
// a large model and is killed with SIGKILL at a random moment, many times; after each kill the
// store must open, list exactly the models it should (each either in its old or its new state),
// every listed model must hold the right bytes and decode, and garbage collection must leave
// exactly the referenced blobs. Then several processes save, list and remove in one store at
// the same time. The same kills for localstorage:// (its own SQLite database), for the
// model server (`tfjs-model serve`) killed while it receives uploads, and for file:// and
// downloads:// saves (folders of files, finished or undone by the next of our operations).
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
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <QTest>
#include <QThread>

#include <functional>
#include <limits>
#include <map>
#include <sys/stat.h>
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

bool holdsHiddenFile(const std::map<QString, QString> &stamps)
{
    return std::ranges::any_of(stamps, [](const auto &file) { return file.first.startsWith(QLatin1Char('.')); });
}

// Where the kills of a folder save landed, seen in the folder right after each.
struct FolderKills
{
    int rounds = 0;
    int midway = 0;      // before the save ended
    int inCommit = 0;    // with a commit marker in the folder: between the first and last rename
    int leftHidden = 0;  // leaving hidden files (until our next operation there)

    void count(bool finished, const QString &folder)
    {
        ++rounds;
        midway += finished ? 0 : 1;
        inCommit += QDir(folder)
                            .entryList({QStringLiteral(".tfjs-commit-*")}, QDir::Files | QDir::Hidden)
                            .isEmpty()
                        ? 0
                        : 1;
        leftHidden += holdsHiddenFile(stampsIn(folder)) ? 1 : 0;
    }
    void report() const
    {
        qInfo("%d rounds, %d killed before the end, %d of them inside the commit, %d left hidden "
              "files until the next load",
              rounds, midway, inCommit, leftHidden);
    }
};

// The weight files a save of 16 MiB writes: one, or with a 5 MiB shard size four.
QStringList weightFileNames(const QString &prefix, const QString &single, bool sharded)
{
    if (!sharded)
        return {prefix + single};
    QStringList names;
    for (int i = 1; i <= 4; ++i)
        names << prefix + QStringLiteral("group1-shard%1of4.bin").arg(i);
    return names;
}

constexpr qint64 kShardSize = qint64(5) << 20;

// Loads `url` and reads its weights `pauseMs` after the load (as the app reads them while a
// user looks at the model).
Result<std::pair<ModelArtifacts, QByteArray>> loadAndRead(const HandlerRegistry &registry,
                                                          const QString &url, int pauseMs = 0)
{
    auto handler = registry.handlerFor(url);
    if (!handler)
        return fail(handler.error());
    JobContext ctx;
    auto loaded = (*handler)->load(ctx);
    if (!loaded)
        return fail(loaded.error());
    QThread::msleep(pauseMs);
    auto bytes = loaded->weightData.readAll();
    if (!bytes)
        return fail(bytes.error());
    return std::pair{std::move(*loaded), std::move(*bytes)};
}

// The hash of the weights of the model at `url`.
Result<QString> loadedHash(const HandlerRegistry &registry, const QString &url)
{
    const auto read = loadAndRead(registry, url);
    if (!read)
        return fail(read.error());
    return QString::fromLatin1(Sha256::hash(read->second).toHex());
}

// versionOf() the model at `url`, its weights read `pauseMs` after the load.
Result<QString> loadedVersion(const HandlerRegistry &registry, const QString &url, int pauseMs = 0)
{
    const auto read = loadAndRead(registry, url, pauseMs);
    if (!read)
        return fail(read.error());
    return versionOf(read->first, read->second);
}

QString hashOrError(const Result<QString> &loaded)
{
    return loaded ? *loaded : QStringLiteral("error: ") + loaded.error().toString();
}

// Two versions of a model (four tensors of `elements` floats) as file:// folders, with a
// registry and the store folder the child processes are given.
struct TwoVersions
{
    explicit TwoVersions(quint32 seed, qint64 elements = 1 << 20)
        : options(storeOptions(dir)), registry(makeDefaultRegistry(options))
    {
        ModelArtifacts versionA = randomModel(4, elements, seed);
        ModelArtifacts versionB = randomModel(4, elements, seed + 1);
        // Their model.json files differ too, so a reader can tell a mix of the two.
        (*versionA.modelTopology)["config"]["name"] = "version A";
        (*versionB.modelTopology)["config"]["name"] = "version B";
        hashA = hashOf(versionA);
        hashB = hashOf(versionB);
        sources = {{hashA, writeFolder(registry, dir.filePath(QStringLiteral("a")), versionA)},
                   {hashB, writeFolder(registry, dir.filePath(QStringLiteral("b")), versionB)}};
    }
    static HandlerOptions storeOptions(const QTemporaryDir &dir)
    {
        HandlerOptions options;
        options.storeDir = dir.filePath(QStringLiteral("store"));
        return options;
    }
    QTemporaryDir dir;
    HandlerOptions options;
    HandlerRegistry registry;
    QString hashA;
    QString hashB;
    std::map<QString, QString> sources; // hash -> its model.json
};

// How long a save takes when not killed, without and with --durable (the faster of two
// each), to spread the kills over it. `save(durable, i)` makes the i-th save (0, 1) and says
// whether it succeeded. Empty when one failed.
std::map<bool, qint64> saveDurations(const std::function<bool(bool durable, int i)> &save)
{
    std::map<bool, qint64> duration;
    for (const bool durable : {false, true}) {
        duration[durable] = std::numeric_limits<qint64>::max();
        for (int i = 0; i < 2; ++i) {
            QElapsedTimer timer;
            timer.start();
            if (!save(durable, i))
                return {};
            duration[durable] = std::max<qint64>(std::min(duration[durable], timer.elapsed()), 20);
        }
    }
    return duration;
}

// Starts `/bin/sh` running `lines`, one command a line (a shell loop starts the child
// processes faster than we would).
bool startScript(QProcess &shell, const QStringList &lines)
{
    shell.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    shell.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), lines.join(QLatin1Char('\n'))});
    return shell.waitForStarted();
}

// Half the kill moments anywhere in one save (and a little past it: a child that starts slower
// than the measured one is still killed inside its write now and then), half in its second half,
// where the commit is.
int killMoment(QRandomGenerator &random, int round, qint64 duration)
{
    return round % 2 ? int(random.bounded(quint32(duration * 3 / 2 + 1)))
                     : int(duration / 2 + random.bounded(quint32(duration + 1)));
}

} // namespace

class TestStoreCrash : public QObject
{
    Q_OBJECT

private slots:
    void killedAtRandomMoments();
    void concurrentProcesses();
    void sameNameFromSeveralProcesses();
    void readersDuringOverwrites();
    void localStorageKilledAtRandomMoments();
    void serverKilledDuringUploads();
    void fileFolderKilledAtRandomMoments();
    void downloadsKilledAtRandomMoments();
    void fileReadersDuringOverwrites();
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

void TestStoreCrash::sameNameFromSeveralProcesses()
{
    // Three processes save over one name again and again (two versions), copy it to a name of
    // their own, remove that and list, all at once. The only failure allowed is the store's
    // clear "locked by another process" after its busy timeout; at the end the shared name is
    // one version whole, and after emptying the trash only its blob is left.
    const TwoVersions models(31, 64 * 1024); // 1 MiB
    const HandlerOptions &options = models.options;
    constexpr int kProcesses = 3;
    constexpr int kRounds = 8;
    std::vector<std::unique_ptr<QProcess>> writers;
    for (int p = 0; p < kProcesses; ++p) {
        const QString errors = models.dir.filePath(QStringLiteral("errors%1").arg(p));
        const auto line = [&](const QString &args) {
            return QStringLiteral("'%1' child '%2' %3 2>>'%4'")
                .arg(selfPath(), options.storeDir, args, errors);
        };
        QStringList script;
        for (int i = 0; i < kRounds; ++i) {
            const QString &source = models.sources.at((p + i) % 2 ? models.hashA : models.hashB);
            const QString mine = QStringLiteral("indexeddb://p%1").arg(p);
            script << line(QStringLiteral("copy '%1' indexeddb://shared --overwrite").arg(source))
                   << line(QStringLiteral("copy indexeddb://shared %1 --overwrite").arg(mine))
                   << line(QStringLiteral("remove %1").arg(mine))
                   << line(QStringLiteral("list"));
        }
        script << QStringLiteral("exit 0");
        writers.push_back(std::make_unique<QProcess>());
        writers.back()->setStandardOutputFile(QProcess::nullDevice());
        QVERIFY(startScript(*writers.back(), script));
    }
    for (auto &writer : writers) {
        QVERIFY(writer->waitForFinished(300000));
        QCOMPARE(writer->exitCode(), 0);
    }
    int busy = 0;
    for (int p = 0; p < kProcesses; ++p) {
        QFile errors(models.dir.filePath(QStringLiteral("errors%1").arg(p)));
        if (!errors.open(QIODevice::ReadOnly))
            continue; // nothing failed
        for (const QByteArray &line : errors.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            QVERIFY2(line.contains("is locked by another process"), line.constData());
            ++busy;
        }
    }
    qInfo("%d of %d operations answered busy", busy, kProcesses * kRounds * 4);

    const Result<QString> shared = loadedVersion(models.registry, QStringLiteral("indexeddb://shared"));
    QVERIFY2(shared, why(shared));
    const std::set<QString> versions = {QStringLiteral("version A ") + models.hashA,
                                        QStringLiteral("version B ") + models.hashB};
    QVERIFY2(versions.count(*shared), qPrintable(*shared));
    QCOMPARE(runCli(options.storeDir, {QStringLiteral("trash"), QStringLiteral("empty")}), 0);
    auto store = IndexedDbStore::open(options.storeDir, IndexedDbStore::Access::Write);
    QVERIFY2(store, why(store));
    auto listed = (*store)->listModels();
    QVERIFY2(listed, why(listed));
    QCOMPARE(listed->size(), 1u);
    QCOMPARE(listed->front().path, QStringLiteral("shared"));
    QCOMPARE((*store)->blobs().hashes(), QStringList{shared->section(QLatin1Char(' '), 2)});
}

void TestStoreCrash::readersDuringOverwrites()
{
    // A process overwrites one model again and again with two versions and empties the trash
    // after each (which deletes the blob replaced) while this one loads it and reads its weights: every read is one
    // version or the other in full, never a "blob missing" false alarm, never a mix.
    const TwoVersions models(21, 64 * 1024); // 1 MiB
    const HandlerOptions &options = models.options;
    const QString &sourceA = models.sources.at(models.hashA);
    const QString &sourceB = models.sources.at(models.hashB);
    QCOMPARE(runCli(options.storeDir, {QStringLiteral("copy"), sourceA, QStringLiteral("indexeddb://shared")}), 0);

    QProcess writer;
    QStringList script;
    for (int i = 0; i < 40; ++i)
        script << QStringLiteral("'%1' child '%2' copy '%3' indexeddb://shared --overwrite || exit 1")
                      .arg(selfPath(), options.storeDir, i % 2 ? sourceA : sourceB)
               // the replaced version goes to the trash; emptying it deletes its blob
               << QStringLiteral("'%1' child '%2' trash empty || exit 1")
                      .arg(selfPath(), options.storeDir);
    QVERIFY(startScript(writer, script));
    const std::set<QString> versions = {QStringLiteral("version A ") + models.hashA,
                                        QStringLiteral("version B ") + models.hashB};
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
        const QString version = versionOf(*loaded, *bytes);
        QVERIFY2(versions.count(version), qPrintable(QStringLiteral("a read that is neither version: ") + version));
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
    // The faster of two uploads (A, then B over it): the first one pays for starting up, and
    // kills spread over its time would mostly land after the later, faster uploads.
    qint64 duration = std::numeric_limits<qint64>::max();
    for (const QString &hash : {hashA, hashB}) {
        QElapsedTimer timer;
        timer.start();
        auto initial = upload(hash, hash == hashB);
        QVERIFY(initial->waitForFinished(60000));
        QCOMPARE(initial->exitCode(), 0);
        duration = std::min(duration, std::max<qint64>(timer.elapsed(), 20));
    }
    first.kill();
    QVERIFY(first.waitForFinished(10000));

    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("seed %u, one upload takes %lld ms", seed, duration);
    QRandomGenerator random(seed);
    QString current = hashB;
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

void TestStoreCrash::fileFolderKilledAtRandomMoments()
{
    // A file:// save killed at random moments, alternately over the model in one folder
    // (Replace) and into a new empty folder (Refuse), sharded or not. "After" is after the next
    // operation of ours on that folder, here a file:// load of it: the folder then holds the old
    // or the new model, whole (the weights byte for byte), no hidden file of the writer, and every
    // other file as it was (a file not named by the new model is never touched).
    const TwoVersions models(51); // 16 MiB
    const QString &hashA = models.hashA;
    const QString &hashB = models.hashB;
    const QString target = models.dir.filePath(QStringLiteral("target"));
    QVERIFY(QDir().mkpath(target));
    {
        QFile notes(target + QStringLiteral("/notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("not a model file\n") > 0);
    }
    const auto save = [&](const QString &hash, const QString &folder, bool replace, bool sharded,
                          bool durable, int delayMs) {
        QStringList args = {QStringLiteral("copy"), models.sources.at(hash), QStringLiteral("file://") + folder};
        if (replace)
            args << QStringLiteral("--overwrite");
        if (sharded)
            args << QStringLiteral("--shard-size") << QString::number(kShardSize);
        if (durable) // its syncs make the commit last milliseconds: more kills land inside
            args << QStringLiteral("--durable");
        return runOrKill(models.options.storeDir, args, delayMs);
    };
    QCOMPARE(save(hashA, target, true, false, false, 120000), std::optional<bool>(true));
    // B sharded, then A whole: A is the model in `target`.
    auto duration = saveDurations([&](bool durable, int i) {
        return save(i ? hashA : hashB, target, true, i == 0, durable, 120000) == std::optional<bool>(true);
    });
    QVERIFY(!duration.empty());
    QString current = hashA;

    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("seed %u, one save takes %lld ms, %lld ms with --durable", seed, duration[false],
          duration[true]);
    QRandomGenerator random(seed);
    FolderKills kills;
    constexpr int kRounds = 40;
    for (int round = 1; round <= kRounds; ++round) {
        // Two rounds of each kind, so each gets both kinds of kill moments.
        const bool replace = round % 4 < 2;
        const bool durable = round % 8 >= 4;
        const bool sharded = random.bounded(2) == 1;
        const QString folder = replace ? target : models.dir.filePath(QStringLiteral("fresh%1").arg(round));
        QVERIFY(QDir().mkpath(folder));
        const QString next = replace ? (current == hashA ? hashB : hashA) : hashA;
        const auto before = stampsIn(folder);
        const std::optional<bool> finished = save(next, folder, replace, sharded, durable,
                                                  killMoment(random, round, duration[durable]));
        QVERIFY2(finished, "the child failed");
        kills.count(*finished, folder);

        const QString what = QStringLiteral("round %1 (%2, %3)")
                                 .arg(round)
                                 .arg(replace ? QStringLiteral("replace") : QStringLiteral("new folder"),
                                      *finished ? QStringLiteral("finished") : QStringLiteral("killed"));
        const Result<QString> loaded = loadedHash(models.registry, QStringLiteral("file://") + folder);
        const auto after = stampsIn(folder);
        QVERIFY2(!holdsHiddenFile(after), qPrintable(what + QStringLiteral(": hidden files left")));
        QStringList named = weightFileNames({}, QStringLiteral("weights.bin"), sharded);
        named << QStringLiteral("model.json");
        if (replace) {
            QVERIFY2(loaded, qPrintable(what + QStringLiteral(": ") + QString::fromUtf8(why(loaded))));
            QVERIFY2(*loaded == current || *loaded == next, qPrintable(what + QStringLiteral(": neither version")));
            current = *loaded;
        } else if (!loaded) { // nothing of the new model may be there
            QVERIFY2(!*finished, qPrintable(what + QStringLiteral(": ") + QString::fromUtf8(why(loaded))));
            QCOMPARE(loaded.error().code, ErrorCode::NotFound);
            QCOMPARE(int(after.size()), 0);
        } else {
            QVERIFY2(*loaded == next, qPrintable(what + QStringLiteral(": neither version")));
            QCOMPARE(int(after.size()), int(named.size()));
        }
        if (*finished) // a save that returned has its full effect
            QVERIFY2(loaded && *loaded == next, qPrintable(what));
        // Nothing else changed: every file the new model does not name is as it was.
        for (const auto &[name, stamp] : before) {
            if (!named.contains(name))
                QVERIFY2(after.count(name) && after.at(name) == stamp,
                         qPrintable(what + QStringLiteral(": %1 changed").arg(name)));
        }
        for (const auto &[name, stamp] : after)
            QVERIFY2(before.count(name) || named.contains(name),
                     qPrintable(what + QStringLiteral(": %1 appeared").arg(name)));
    }
    kills.report();
    QVERIFY(kills.midway >= 3);
}

void TestStoreCrash::downloadsKilledAtRandomMoments()
{
    // A downloads:// save killed at random moments, sharded or not. A download never replaces:
    // after the next operation of ours on the downloads folder (here a file:// load of one of
    // its models), every earlier download is as it was, and the killed save left either nothing
    // or a whole new NAME (k).json with all its weight files, and no hidden file.
    const TwoVersions models(61); // 16 MiB
    const QString &hashA = models.hashA;
    const QString &hashB = models.hashB;
    const QString downloads = models.dir.filePath(QStringLiteral("downloads"));
    QVERIFY(QDir().mkpath(downloads));
    const auto save = [&](const QString &hash, bool sharded, bool durable, int delayMs) {
        QStringList args = {QStringLiteral("copy"), models.sources.at(hash), QStringLiteral("downloads://m"),
                            QStringLiteral("--downloads"), downloads};
        if (sharded)
            args << QStringLiteral("--shard-size") << QString::number(kShardSize);
        if (durable)
            args << QStringLiteral("--durable");
        return runOrKill(models.options.storeDir, args, delayMs);
    };
    // The first is m.json (A, whole).
    auto duration = saveDurations([&](bool durable, int i) {
        return save(i ? hashB : hashA, i == 1, durable, 120000) == std::optional<bool>(true);
    });
    QVERIFY(!duration.empty());
    const QString firstModel = QStringLiteral("file://") + downloads + QStringLiteral("/m.json");
    QCOMPARE(hashOrError(loadedHash(models.registry, firstModel)), hashA);

    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("seed %u, one save takes %lld ms, %lld ms with --durable", seed, duration[false],
          duration[true]);
    QRandomGenerator random(seed);
    FolderKills kills;
    constexpr int kRounds = 40;
    for (int round = 1; round <= kRounds; ++round) {
        const bool durable = round % 4 >= 2;
        const bool sharded = random.bounded(2) == 1;
        const QString hash = random.bounded(2) ? hashA : hashB;
        const auto before = stampsIn(downloads);
        const std::optional<bool> finished
            = save(hash, sharded, durable, killMoment(random, round, duration[durable]));
        QVERIFY2(finished, "the child failed");
        kills.count(*finished, downloads);

        const QString what = QStringLiteral("round %1 (%2)").arg(round).arg(
            *finished ? QStringLiteral("finished") : QStringLiteral("killed"));
        QCOMPARE(hashOrError(loadedHash(models.registry, firstModel)), hashA);
        const auto after = stampsIn(downloads);
        QVERIFY2(!holdsHiddenFile(after), qPrintable(what + QStringLiteral(": hidden files left")));
        QStringList added;
        for (const auto &[name, stamp] : after) {
            if (!before.count(name))
                added << name;
        }
        for (const auto &[name, stamp] : before)
            QVERIFY2(after.count(name) && after.at(name) == stamp,
                     qPrintable(what + QStringLiteral(": %1 changed").arg(name)));
        QVERIFY2(!*finished || !added.isEmpty(), qPrintable(what + QStringLiteral(": saved nothing")));
        if (added.isEmpty())
            continue;
        // One whole new download: its JSON, its weight files, the right weights.
        const QStringList jsons = added.filter(QRegularExpression(QStringLiteral("\\.json$")));
        QVERIFY2(jsons.size() == 1, qPrintable(what + QStringLiteral(": added ") + added.join(QStringLiteral(", "))));
        const QString stem = jsons.front().chopped(5);
        QStringList expected = weightFileNames(stem + QLatin1Char('.'), QStringLiteral("weights.bin"), sharded);
        expected << jsons.front();
        expected.sort();
        added.sort();
        QCOMPARE(added, expected);
        QCOMPARE(hashOrError(loadedHash(models.registry, QStringLiteral("file://") + downloads
                                                      + QLatin1Char('/') + jsons.front())),
                 hash);
    }
    kills.report();
    QVERIFY(kills.midway >= 3);
}

void TestStoreCrash::fileReadersDuringOverwrites()
{
    // Another process overwrites a file:// model again and again, alternating two versions
    // and sharded with unsharded, while this one loads it and reads its weights, at once or up
    // to 30 ms later: every read is one version or the other in full, never a mix and never an
    // error (the load holds the weight files it found open).
    const TwoVersions models(71, 64 * 1024); // 1 MiB
    const QString target = models.dir.filePath(QStringLiteral("target"));
    QCOMPARE(runCli(models.options.storeDir, {QStringLiteral("copy"), models.sources.at(models.hashA),
                                              QStringLiteral("file://") + target}),
             0);

    QProcess writer;
    QStringList script;
    for (int i = 0; i < 40; ++i)
        script << QStringLiteral("'%1' child '%2' copy '%3' 'file://%4' --overwrite %5 || exit 1")
                      .arg(selfPath(), models.options.storeDir,
                           models.sources.at(i % 2 ? models.hashA : models.hashB), target,
                           i % 4 < 2 ? QStringLiteral("--shard-size 300000") : QString());
    QVERIFY(startScript(writer, script));
    const std::set<QString> versions = {QStringLiteral("version A ") + models.hashA,
                                        QStringLiteral("version B ") + models.hashB};
    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("seed %u", seed);
    QRandomGenerator random(seed);
    int reads = 0;
    while (writer.state() != QProcess::NotRunning || reads == 0) {
        const int pause = reads % 2 ? int(random.bounded(30)) : 0;
        const Result<QString> loaded =
            loadedVersion(models.registry, QStringLiteral("file://") + target, pause);
        QVERIFY2(loaded, why(loaded));
        QVERIFY2(versions.count(*loaded),
                 qPrintable(QStringLiteral("read %1 is neither version: %2 (A %3, B %4)").arg(reads).arg(*loaded, models.hashA, models.hashB)));
        ++reads;
        writer.waitForFinished(2);
    }
    QCOMPARE(writer.exitStatus(), QProcess::NormalExit);
    QCOMPARE(writer.exitCode(), 0);
    qInfo("%d reads during 40 overwrites", reads);
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

// The Existing policy (existing.h) on every local scheme: a save, copy, move, rename onto a
// model is refused by default (ErrorCode::Exists naming the model, the destination byte for
// byte as it was, checked before anything is loaded or written and again atomically with the
// write) and replaced when asked (a replaced store model going to the trash); downloads://
// keeps never overwriting; "keep both" names (freeDestination).
#include "schemes/schemes.h"
#include "base/job.h"
#include "storetestdata.h"
#include "store/indexeddbstore.h"
#include "store/localstoragestore.h"
#include "handlers/modelmanager.h"
#include "testutil.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace storetest;
using tfjs::test::snapshot;
using tfjs::test::writeFile;

namespace {

class Fixture
{
public:
    Fixture()
    {
        options.storeDir = dir.filePath(QStringLiteral("store"));
        options.downloadsDir = dir.filePath(QStringLiteral("Downloads"));
        registry = makeDefaultRegistry(options);
        manager = std::make_unique<ModelManager>(registry);
    }
    // "file" gives a folder under the fixture's directory.
    QString url(const QString &scheme, const QString &name) const
    {
        if (scheme == QLatin1String("file"))
            return QStringLiteral("file://") + dir.filePath(name);
        return scheme + QStringLiteral("://") + name;
    }
    Result<SaveResult> save(const QString &url, const ModelArtifacts &model,
                            Existing existing = Existing::Refuse)
    {
        return registry.save(url, model, ctx, existing);
    }
    QByteArray weights(const QString &url)
    {
        auto loaded = registry.load(url, ctx);
        return loaded ? bytesOf(loaded->weightData) : QByteArray("<not loaded>");
    }
    std::vector<ModelManager::TrashItem> trash()
    {
        auto items = manager->listTrash();
        if (!items)
            qFatal("cannot list the trash: %s", qPrintable(items.error().toString()));
        return *items;
    }
    // Everything a scheme's destination consists of: for stores every row of every table and
    // every blob file, for file:// the folder's files.
    std::map<QString, QByteArray> state(const QString &scheme, const QString &name) const
    {
        if (scheme == QLatin1String("file"))
            return snapshot(dir.filePath(name));
        std::map<QString, QByteArray> out = snapshot(options.storeDir + QStringLiteral("/tensorflowjs.blobs"));
        for (const QString &file : {QStringLiteral("tensorflowjs.sqlite"), QStringLiteral("localstorage.sqlite")}) {
            const QString connection = QStringLiteral("dump");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
                db.setDatabaseName(options.storeDir + QLatin1Char('/') + file);
                if (QFileInfo::exists(db.databaseName()) && db.open()) {
                    for (const QString &table : db.tables()) {
                        QSqlQuery rows(QStringLiteral("SELECT * FROM \"%1\" ORDER BY 1").arg(table), db);
                        for (int row = 0; rows.next(); ++row) {
                            QStringList values;
                            for (int i = 0; i < rows.record().count(); ++i)
                                values << rows.value(i).toString();
                            out[QStringLiteral("%1/%2/%3").arg(file, table).arg(row)] =
                                values.join(QLatin1Char('|')).toUtf8();
                        }
                    }
                }
            }
            QSqlDatabase::removeDatabase(connection);
        }
        return out;
    }

    QTemporaryDir dir;
    HandlerOptions options;
    HandlerRegistry registry;
    std::unique_ptr<ModelManager> manager;
    JobContext ctx;
};

// A model whose weights are a file that does not exist: reading them fails.
ModelArtifacts unreadableModel(const QString &missingFile)
{
    ModelArtifacts model = randomModel(1, 4, 3);
    model.weightData = WeightData();
    model.weightData.appendFile(missingFile, 0, 16, QStringLiteral("gone.bin"));
    return model;
}

void addLocalSchemes()
{
    QTest::addColumn<QString>("scheme");
    for (const char *scheme : {"indexeddb", "localstorage", "file"})
        QTest::newRow(scheme) << QString::fromLatin1(scheme);
}

void addStores()
{
    QTest::addColumn<QString>("scheme");
    for (const char *scheme : {"indexeddb", "localstorage"})
        QTest::newRow(scheme) << QString::fromLatin1(scheme);
}

QString pathOf(const QString &url)
{
    return url.mid(url.indexOf(QStringLiteral("://")) + 3);
}

} // namespace

class TestExisting : public QObject
{
    Q_OBJECT

private slots:
    void refuseThenReplace_data() { addLocalSchemes(); }
    void refuseThenReplace();
    void refusedBeforeReadingWeights_data() { addLocalSchemes(); }
    void refusedBeforeReadingWeights();
    void refusedWhenTakenDuringTheSave_data() { addLocalSchemes(); }
    void refusedWhenTakenDuringTheSave();
    void downloadsNeverOverwrite();
    void uploadsLeaveItToTheServer();
    void copyMoveRenameOntoExisting_data() { addStores(); }
    void copyMoveRenameOntoExisting();
    void crossMediumRefusedBeforeLoading();
    void crossMediumMoveDeletesItsSource();
    void freeDestination_data();
    void freeDestination();
};

void TestExisting::refuseThenReplace()
{
    QFETCH(QString, scheme);
    Fixture f;
    const QString url = f.url(scheme, QStringLiteral("m"));
    const ModelArtifacts v1 = randomModel(2, 100, 1);
    const ModelArtifacts v2 = randomModel(3, 100, 2);
    auto first = f.save(url, v1);
    QVERIFY2(first, why(first));
    if (scheme == QLatin1String("file"))
        writeFile(f.dir.filePath(QStringLiteral("m/notes.txt")), "mine");
    QCOMPARE(f.manager->hasModel(url).value(), true);
    const auto before = f.state(scheme, QStringLiteral("m"));

    auto refused = f.save(url, v2);
    TFJS_COMPARE_ERROR(refused, ErrorCode::Exists, url + QStringLiteral(" already exists."));
    QCOMPARE(refused.error().url, url);
    QCOMPARE(refused.error().path, pathOf(url));
    QVERIFY(isExistsError(refused.error()));
    QCOMPARE(f.state(scheme, QStringLiteral("m")), before);
    QCOMPARE(f.weights(url), bytesOf(v1.weightData));

    auto replaced = f.save(url, v2, Existing::Replace);
    QVERIFY2(replaced, why(replaced));
    QCOMPARE(f.weights(url), bytesOf(v2.weightData));
    const auto trash = f.trash();
    if (scheme == QLatin1String("file")) {
        QVERIFY(trash.empty());
        QCOMPARE(tfjs::test::listing(f.dir.filePath(QStringLiteral("m"))),
                 (QStringList{QStringLiteral("model.json"), QStringLiteral("notes.txt"),
                              QStringLiteral("weights.bin")}));
        return;
    }
    // The replaced version is in the trash and comes back from there.
    QCOMPARE(trash.size(), std::size_t(1));
    QCOMPARE(trash.front().url(), url);
    QCOMPARE(trashReasonName(trash.front().entry.reason), QStringLiteral("replaced"));
    QCOMPARE(trash.front().entry.info.dateSaved, first->modelArtifactsInfo.dateSaved);
    auto back = f.manager->restoreFromTrash(scheme, trash.front().entry.id, {}, Existing::Replace);
    QVERIFY2(back, why(back));
    QCOMPARE(f.weights(url), bytesOf(v1.weightData));
}

void TestExisting::refusedBeforeReadingWeights()
{
    // The refusal comes before a byte of the new weights is read (they cannot be here).
    QFETCH(QString, scheme);
    Fixture f;
    const QString url = f.url(scheme, QStringLiteral("m"));
    QVERIFY(f.save(url, randomModel(1, 10, 1)));
    const auto before = f.state(scheme, QStringLiteral("m"));
    JobContext ctx;
    auto refused = f.registry.save(url, unreadableModel(f.dir.filePath(QStringLiteral("gone.bin"))),
                                   ctx);
    TFJS_COMPARE_ERROR(refused, ErrorCode::Exists, url + QStringLiteral(" already exists."));
    QCOMPARE(ctx.progress().bytesDone, 0);
    QCOMPARE(f.state(scheme, QStringLiteral("m")), before);
    // With Replace the same save gets as far as reading them.
    auto replaced = f.save(url, unreadableModel(f.dir.filePath(QStringLiteral("gone.bin"))),
                           Existing::Replace);
    QVERIFY(!replaced);
    QCOMPARE(errorCodeName(replaced.error().code), errorCodeName(ErrorCode::Io));
    QCOMPARE(f.state(scheme, QStringLiteral("m")), before);
}

void TestExisting::refusedWhenTakenDuringTheSave()
{
    // Another writer takes the destination after the first check, while the weights are being
    // written: the check that is atomic with the write refuses, and the other model stays.
    QFETCH(QString, scheme);
    Fixture f;
    const QString url = f.url(scheme, QStringLiteral("m"));
    // Weights in a file, as a loaded model has them (every medium reports reading them).
    ModelArtifacts mine = randomModel(2, 1000, 1);
    const QString shard = f.dir.filePath(QStringLiteral("mine.bin"));
    QVERIFY(writeFile(shard, bytesOf(mine.weightData)));
    mine.weightData = WeightData();
    mine.weightData.appendFile(shard, 0, 8000, QStringLiteral("mine.bin"));
    const ModelArtifacts theirs = randomModel(1, 10, 2);
    bool intruded = false;
    JobContext ctx([&](const Progress &progress) {
        if (intruded || progress.bytesTotal == 0 || progress.bytesDone < progress.bytesTotal)
            return;
        intruded = true;
        JobContext other;
        auto saved = f.registry.save(url, theirs, other);
        if (!saved)
            qFatal("the intruding save failed: %s", qPrintable(saved.error().toString()));
    });
    auto refused = f.registry.save(url, mine, ctx);
    QVERIFY(intruded);
    TFJS_COMPARE_ERROR(refused, ErrorCode::Exists, url + QStringLiteral(" already exists."));
    QCOMPARE(f.weights(url), bytesOf(theirs.weightData));
    QVERIFY(f.trash().empty());
    if (scheme == QLatin1String("indexeddb")) { // the refused save's blob is gone again
        auto store = IndexedDbStore::open(f.options.storeDir, IndexedDbStore::Access::Read);
        QCOMPARE((*store)->blobs().hashes(), (*store)->referencedBlobs().value());
        QCOMPARE((*store)->blobs().hashes().size(), 1);
    }
    if (scheme == QLatin1String("file"))
        QCOMPARE(tfjs::test::tempFiles(f.dir.path()), QStringList());
}

void TestExisting::downloadsNeverOverwrite()
{
    Fixture f;
    const QString url = QStringLiteral("downloads://d");
    QCOMPARE(f.manager->hasModel(url).value(), false);
    for (Existing existing : {Existing::Refuse, Existing::Replace, Existing::Refuse}) {
        auto saved = f.save(url, artifactsV0(), existing);
        QVERIFY2(saved, why(saved));
    }
    QCOMPARE(tfjs::test::listing(f.options.downloadsDir),
             (QStringList{QStringLiteral("d (1).json"), QStringLiteral("d (1).weights.bin"),
                          QStringLiteral("d (2).json"), QStringLiteral("d (2).weights.bin"),
                          QStringLiteral("d.json"), QStringLiteral("d.weights.bin")}));
    QCOMPARE(f.manager->freeDestination(url).value(), url);
}

void TestExisting::uploadsLeaveItToTheServer()
{
    Fixture f;
    for (const QString &url : {QStringLiteral("http://127.0.0.1:9/upload"),
                               QStringLiteral("https://127.0.0.1:9/upload")}) {
        auto handler = f.registry.handlerFor(url);
        QVERIFY2(handler, why(handler));
        QCOMPARE((*handler)->hasModel().value(), false); // asks no server
    }
}

void TestExisting::copyMoveRenameOntoExisting()
{
    QFETCH(QString, scheme);
    Fixture f;
    const QString a = f.url(scheme, QStringLiteral("a"));
    const QString b = f.url(scheme, QStringLiteral("b"));
    const ModelArtifacts modelA = randomModel(1, 30, 1);
    const ModelArtifacts modelB = randomModel(1, 40, 2);
    QVERIFY(f.save(a, modelA));
    QVERIFY(f.save(b, modelB));
    const auto before = f.state(scheme, {});
    const QString exists = b + QStringLiteral(" already exists.");

    TFJS_COMPARE_ERROR(f.manager->copyModel(a, b, f.ctx), ErrorCode::Exists, exists);
    TFJS_COMPARE_ERROR(f.manager->moveModel(a, b, f.ctx), ErrorCode::Exists, exists);
    TFJS_COMPARE_ERROR(f.manager->renameModel(a, b), ErrorCode::Exists, exists);
    QCOMPARE(f.state(scheme, {}), before);

    // A copy within the store replaces b; the old b goes to the trash.
    auto copied = f.manager->copyModel(a, b, f.ctx, Existing::Replace);
    QVERIFY2(copied, why(copied));
    QCOMPARE(f.weights(b), bytesOf(modelA.weightData));
    QCOMPARE(f.trash().size(), std::size_t(1));
    QCOMPARE(f.trash().front().entry.info.weightDataBytes, 160);

    // A rename onto b (move within a store is one): the copy goes to the trash in its turn.
    QVERIFY(f.save(a, modelB, Existing::Replace));
    auto renamed = f.manager->renameModel(a, b, Existing::Replace);
    QVERIFY2(renamed, why(renamed));
    QCOMPARE(f.weights(b), bytesOf(modelB.weightData));
    QCOMPARE(f.weights(a), QByteArray("<not loaded>"));
    const auto trash = f.trash();
    QCOMPARE(trash.size(), std::size_t(3)); // b (old), a (replaced by the save), b (the copy)
    for (const auto &item : trash)
        QCOMPARE(trashReasonName(item.entry.reason), QStringLiteral("replaced"));
    QCOMPARE(trash.back().url(), b);
    QCOMPARE(trash.back().entry.info.weightDataBytes, 120);

    QVERIFY(f.save(a, modelA));
    auto moved = f.manager->moveModel(a, b, f.ctx, Existing::Replace);
    QVERIFY2(moved, why(moved));
    QCOMPARE(f.weights(b), bytesOf(modelA.weightData));
    QCOMPARE(f.trash().size(), std::size_t(4));
}

void TestExisting::crossMediumRefusedBeforeLoading()
{
    // The source's weights are damaged (its blob deleted): a refused copy or move reports the
    // destination, not the damage, so it was refused before loading.
    Fixture f;
    const QString source = QStringLiteral("indexeddb://src");
    const QString destination = f.url(QStringLiteral("file"), QStringLiteral("dest"));
    QVERIFY(f.save(source, randomModel(1, 64, 1)));
    QVERIFY(f.save(destination, randomModel(1, 8, 2)));
    {
        auto store = IndexedDbStore::open(f.options.storeDir, IndexedDbStore::Access::Read);
        QVERIFY(QFile::remove((*store)->blobs().pathFor((*store)->blobs().hashes().front())));
    }
    const auto before = f.state(QStringLiteral("file"), QStringLiteral("dest"));
    const QString exists = destination + QStringLiteral(" already exists.");
    TFJS_COMPARE_ERROR(f.manager->copyModel(source, destination, f.ctx), ErrorCode::Exists, exists);
    TFJS_COMPARE_ERROR(f.manager->moveModel(source, destination, f.ctx), ErrorCode::Exists, exists);
    QCOMPARE(f.manager->moveModel(source, destination, f.ctx).error().path, pathOf(destination));
    auto loading = f.manager->copyModel(source, destination, f.ctx, Existing::Replace);
    QVERIFY(!loading);
    QCOMPARE(errorCodeName(loading.error().code), errorCodeName(ErrorCode::Store));
    QCOMPARE(f.state(QStringLiteral("file"), QStringLiteral("dest")), before);
}

void TestExisting::crossMediumMoveDeletesItsSource()
{
    // The model lives on at the destination, so its source is deleted, not trashed.
    Fixture f;
    const ModelArtifacts model = randomModel(1, 64, 1);
    QVERIFY(f.save(QStringLiteral("indexeddb://m"), model));
    QVERIFY(f.save(QStringLiteral("localstorage://m"), artifactsV0()));
    auto moved = f.manager->moveModel(QStringLiteral("indexeddb://m"),
                                      QStringLiteral("localstorage://m"), f.ctx, Existing::Replace);
    QVERIFY2(moved, why(moved));
    QCOMPARE(f.weights(QStringLiteral("localstorage://m")), bytesOf(model.weightData));
    const auto trash = f.trash();
    QCOMPARE(trash.size(), std::size_t(1)); // only the replaced localstorage://m
    QCOMPARE(trash.front().url(), QStringLiteral("localstorage://m"));
    auto store = IndexedDbStore::open(f.options.storeDir, IndexedDbStore::Access::Read);
    QCOMPARE((*store)->blobs().hashes(), QStringList{});
}

void TestExisting::freeDestination_data()
{
    addLocalSchemes();
}

void TestExisting::freeDestination()
{
    QFETCH(QString, scheme);
    Fixture f;
    const QString url = f.url(scheme, QStringLiteral("m"));
    QCOMPARE(f.manager->freeDestination(url).value(), url);
    QVERIFY(f.save(url, artifactsV0()));
    QCOMPARE(f.manager->freeDestination(url).value(), url + QStringLiteral(" (1)"));
    QVERIFY(f.save(url + QStringLiteral(" (1)"), artifactsV0()));
    QCOMPARE(f.manager->freeDestination(url).value(), url + QStringLiteral(" (2)"));
    if (scheme != QLatin1String("file"))
        return;
    // A file of that name cannot become a model folder; trailing slashes name the folder.
    writeFile(f.dir.filePath(QStringLiteral("m (2)")), "a file");
    QCOMPARE(f.manager->freeDestination(url + QStringLiteral("/")).value(),
             url + QStringLiteral(" (3)"));
    // A folder without a model is free (a save adds its two files).
    QDir().mkpath(f.dir.filePath(QStringLiteral("empty")));
    const QString empty = f.url(scheme, QStringLiteral("empty"));
    QCOMPARE(f.manager->freeDestination(empty).value(), empty);
}

QTEST_GUILESS_MAIN(TestExisting)
#include "tst_existing.moc"

// The trash of the indexeddb:// and localstorage:// stores (Trash and its two users): removed and
// replaced models are kept, listed, restored (to their path or another, under the Existing
// policy), deleted (all or none) and emptied; entries older than 30 days go with the next
// write (the clock is injected, nothing sleeps); a trashed model's blob survives garbage
// collection until the last entry or model using it goes; localStorage's trash is outside its
// quota; stores of schema version 1 (written by the code before the trash) are migrated and keep
// working.
#include "schemes/schemes.h"
#include "base/job.h"
#include "handlers/modelmanager.h"
#include "testutil.h"
#include "trashfixture.h"

#include <QDir>
#include <QDirIterator>

using namespace tfjs;
using namespace storetest;
using namespace trashtest;

class TestTrash : public QObject
{
    Q_OBJECT

private slots:
    void removeGoesToTrash_data() { addSchemeRows(); }
    void removeGoesToTrash();
    void restoreElsewhereAndOntoExisting_data() { addSchemeRows(); }
    void restoreElsewhereAndOntoExisting();
    void restoreMissingEntry_data() { addSchemeRows(); }
    void restoreMissingEntry();
    void deleteEntries_data() { addSchemeRows(); }
    void deleteEntries();
    void deleteCollectsOnlyUnusedBlobs();
    void emptyAllOrOlder_data() { addSchemeRows(); }
    void emptyAllOrOlder();
    void purgedByNextWriteAfterThirtyDays_data() { addSchemeRows(); }
    void purgedByNextWriteAfterThirtyDays();
    void idsAreNeverReused_data() { addSchemeRows(); }
    void idsAreNeverReused();
    void readingCreatesNothing_data() { addSchemeRows(); }
    void readingCreatesNothing();
    void trashedBlobsSurviveGarbageCollection();
    void localStorageTrashIsOutsideTheQuota();
    void migratesVersion1Stores_data() { addSchemeRows(); }
    void migratesVersion1Stores();
    void managerAcrossStores();
};

void TestTrash::removeGoesToTrash()
{
    QFETCH(QString, scheme);
    Fixture f;
    const ModelArtifacts model = randomModel(2, 50, 1);
    auto saved = f.save(scheme, QStringLiteral("dir/m"), model);
    QVERIFY2(saved, why(saved));
    f.now = f.now.addSecs(60);
    auto removed = f.open(scheme)->removeModel(scheme + QStringLiteral("://dir/m"));
    QVERIFY2(removed, why(removed));
    QCOMPARE(f.models(scheme), QStringList{});

    const std::vector<TrashEntry> trash = f.trash(scheme);
    QCOMPARE(trash.size(), std::size_t(1));
    const TrashEntry &entry = trash.front();
    QVERIFY(entry.id > 0);
    QCOMPARE(entry.path, QStringLiteral("dir/m"));
    QCOMPARE(entry.removed, f.now);
    QCOMPARE(trashReasonName(entry.reason), QStringLiteral("removed"));
    QCOMPARE(entry.info.dateSaved, saved->dateSaved);
    QCOMPARE(entry.info.weightDataBytes, 400);
    QCOMPARE(entry.info.weightSpecsBytes, saved->weightSpecsBytes);

    auto restored = f.open(scheme)->restoreFromTrash(entry.id, {}, Existing::Refuse);
    QVERIFY2(restored, why(restored));
    QCOMPARE(restored->path, QStringLiteral("dir/m"));
    QCOMPARE(restored->info.dateSaved, saved->dateSaved);
    QCOMPARE(f.trash(scheme).size(), std::size_t(0));
    QCOMPARE(f.models(scheme), QStringList{QStringLiteral("dir/m")});
    auto loaded = f.load(scheme, QStringLiteral("dir/m"));
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(bytesOf(loaded->weightData), bytesOf(model.weightData));
    QCOMPARE(f.open(scheme)->listModels()->front().info.dateSaved, saved->dateSaved);
}

void TestTrash::restoreElsewhereAndOntoExisting()
{
    QFETCH(QString, scheme);
    Fixture f;
    const ModelArtifacts v1 = randomModel(1, 10, 1);
    const ModelArtifacts v2 = randomModel(1, 20, 2);
    QVERIFY(f.save(scheme, QStringLiteral("m"), v1));
    QVERIFY(f.open(scheme)->removeModel(QStringLiteral("m")));
    QVERIFY(f.save(scheme, QStringLiteral("m"), v2));
    const qint64 id = f.trash(scheme).front().id;

    // Onto the new "m": refused, and nothing changes.
    auto refused = f.open(scheme)->restoreFromTrash(id, {}, Existing::Refuse);
    TFJS_COMPARE_ERROR(refused, ErrorCode::Exists,
                       scheme + QStringLiteral("://m already exists."));
    QCOMPARE(refused.error().url, scheme + QStringLiteral("://m"));
    QCOMPARE(refused.error().path, QStringLiteral("m"));
    QCOMPARE(f.trash(scheme).size(), std::size_t(1));
    QCOMPARE(bytesOf(f.load(scheme, QStringLiteral("m"))->weightData), bytesOf(v2.weightData));

    // Elsewhere (a URL works as well as a path).
    auto elsewhere = f.open(scheme)->restoreFromTrash(id, scheme + QStringLiteral("://old m"),
                                                      Existing::Refuse);
    QVERIFY2(elsewhere, why(elsewhere));
    QCOMPARE(elsewhere->path, QStringLiteral("old m"));
    QCOMPARE(f.models(scheme), (QStringList{QStringLiteral("m"), QStringLiteral("old m")}));
    QCOMPARE(bytesOf(f.load(scheme, QStringLiteral("old m"))->weightData), bytesOf(v1.weightData));

    // Onto "m" with Replace: v2 goes to the trash as replaced.
    QVERIFY(f.open(scheme)->removeModel(QStringLiteral("old m")));
    const qint64 again = f.trash(scheme).back().id;
    auto replaced = f.open(scheme)->restoreFromTrash(again, QStringLiteral("m"), Existing::Replace);
    QVERIFY2(replaced, why(replaced));
    QCOMPARE(f.models(scheme), QStringList{QStringLiteral("m")});
    QCOMPARE(bytesOf(f.load(scheme, QStringLiteral("m"))->weightData), bytesOf(v1.weightData));
    const std::vector<TrashEntry> trash = f.trash(scheme);
    QCOMPARE(trash.size(), std::size_t(1));
    QCOMPARE(trash.front().path, QStringLiteral("m"));
    QCOMPARE(trashReasonName(trash.front().reason), QStringLiteral("replaced"));
    QCOMPARE(trash.front().info.weightDataBytes, 80);
}

void TestTrash::restoreMissingEntry()
{
    QFETCH(QString, scheme);
    Fixture f;
    QVERIFY(f.save(scheme, QStringLiteral("m"), artifactsV0()));
    auto restored = f.open(scheme)->restoreFromTrash(42, {}, Existing::Replace);
    TFJS_COMPARE_ERROR(restored, ErrorCode::NotFound,
                       QStringLiteral("There is no entry 42 in the trash of the %1 store %2.")
                           .arg(scheme == kIndexedDb ? QStringLiteral("IndexedDB")
                                                     : QStringLiteral("localStorage"),
                                f.databaseFile(scheme)));
    QCOMPARE(f.models(scheme), QStringList{QStringLiteral("m")});
}

void TestTrash::deleteEntries()
{
    QFETCH(QString, scheme);
    Fixture f;
    for (const QString &name : { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }) {
        QVERIFY(f.save(scheme, name, randomModel(1, 10, 5)));
        QVERIFY(f.open(scheme)->removeModel(name));
    }
    QVERIFY(f.save(scheme, QStringLiteral("live"), artifactsV0()));
    const std::vector<TrashEntry> before = f.trash(scheme);
    const qint64 a = before[0].id, b = before[1].id, c = before[2].id;
    const auto missing = [&](qint64 id) {
        return QStringLiteral("There is no entry %1 in the trash of the %2 store %3.")
            .arg(id)
            .arg(
                scheme == kIndexedDb ? QStringLiteral("IndexedDB") : QStringLiteral("localStorage"),
                f.databaseFile(scheme));
    };

    // One entry: it goes, and it is returned as it was listed.
    auto deleted = f.open(scheme)->deleteFromTrash({ b });
    QVERIFY2(deleted, why(deleted));
    QCOMPARE(deleted->size(), std::size_t(1));
    QCOMPARE(deleted->front().id, b);
    QCOMPARE(deleted->front().path, QStringLiteral("b"));
    QCOMPARE(deleted->front().info.weightDataBytes, 40);
    QCOMPARE(f.trash(scheme).size(), std::size_t(2));
    QCOMPARE(f.models(scheme), QStringList { QStringLiteral("live") });

    // All or none: with one missing id nothing is deleted; again is NotFound too.
    TFJS_COMPARE_ERROR(
        f.open(scheme)->deleteFromTrash({ a, c + 100 }), ErrorCode::NotFound, missing(c + 100));
    QCOMPARE(f.trash(scheme).size(), std::size_t(2));
    TFJS_COMPARE_ERROR(f.open(scheme)->deleteFromTrash({ b }), ErrorCode::NotFound, missing(b));

    // Several, a repeated id counted once, in the order given.
    deleted = f.open(scheme)->deleteFromTrash({ c, a, c });
    QVERIFY2(deleted, why(deleted));
    QCOMPARE(deleted->size(), std::size_t(2));
    QCOMPARE(deleted->at(0).path, QStringLiteral("c"));
    QCOMPARE(deleted->at(1).path, QStringLiteral("a"));
    QCOMPARE(f.trash(scheme).size(), std::size_t(0));
    QCOMPARE(bytesOf(f.load(scheme, QStringLiteral("live"))->weightData),
        bytesOf(artifactsV0().weightData));
}

void TestTrash::deleteCollectsOnlyUnusedBlobs()
{
    Fixture f;
    f.now = QDateTime::currentDateTimeUtc(); // the manager's stores run on the real clock
    const ModelArtifacts shared = randomModel(2, 100, 21); // "live" and the entry of "copy"
    const ModelArtifacts twice = randomModel(2, 100, 22); // two entries, no model
    const ModelArtifacts alone = randomModel(2, 100, 23); // one entry only
    QVERIFY(f.save(kIndexedDb, QStringLiteral("live"), shared));
    for (const auto &[name, model] :
        { std::pair { QStringLiteral("copy"), shared }, { QStringLiteral("t1"), twice },
            { QStringLiteral("t2"), twice }, { QStringLiteral("alone"), alone } }) {
        QVERIFY(f.save(kIndexedDb, name, model));
        QVERIFY(f.open(kIndexedDb)->removeModel(name));
    }
    auto store = IndexedDbStore::open(f.storeDir, IndexedDbStore::Access::Read);
    QVERIFY(store);
    BlobStore &blobs = (*store)->blobs();
    const auto exists = [&](const ModelArtifacts &model) {
        return QFileInfo::exists(blobs.pathFor(hashOf(model)));
    };
    QVERIFY(exists(shared) && exists(twice) && exists(alone));
    const auto idOf = [&](const QString &path) {
        for (const TrashEntry &entry : f.trash(kIndexedDb)) {
            if (entry.path == path)
                return entry.id;
        }
        return qint64(-1);
    };

    // Through the manager, as the CLI and the GUI delete.
    HandlerOptions options;
    options.storeDir = f.storeDir;
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelManager manager(registry);
    auto deleted
        = manager.deleteFromTrash(QStringLiteral("indexeddb://"), idOf(QStringLiteral("copy")));
    QVERIFY2(deleted, why(deleted));
    QCOMPARE(deleted->url(), QStringLiteral("indexeddb://copy"));
    QVERIFY(exists(shared)); // "live" still uses it
    QCOMPARE(bytesOf(f.load(kIndexedDb, QStringLiteral("live"))->weightData),
        bytesOf(shared.weightData));

    QVERIFY(manager.deleteFromTrash(kIndexedDb, idOf(QStringLiteral("t1"))));
    QVERIFY(exists(twice)); // the entry of "t2" still uses it
    QVERIFY(f.open(kIndexedDb)->restoreFromTrash(idOf(QStringLiteral("t2")), {}, Existing::Refuse));
    QCOMPARE(
        bytesOf(f.load(kIndexedDb, QStringLiteral("t2"))->weightData), bytesOf(twice.weightData));

    QVERIFY(manager.deleteFromTrash(kIndexedDb, idOf(QStringLiteral("alone"))));
    QVERIFY(!exists(alone)); // nothing else used it
    QCOMPARE(blobs.hashes(), (*store)->referencedBlobs().value());
    QCOMPARE(blobs.hashes().size(), 2);

    auto unknown = manager.deleteFromTrash(QStringLiteral("file"), 1);
    TFJS_COMPARE_ERROR(unknown, ErrorCode::Unsupported,
        QStringLiteral("Cannot find model manager for scheme 'file'"));
}

void TestTrash::emptyAllOrOlder()
{
    QFETCH(QString, scheme);
    Fixture f;
    const QDateTime start = f.now;
    for (const QString &name : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
        QVERIFY(f.save(scheme, name, artifactsV0()));
        QVERIFY(f.open(scheme)->removeModel(name));
        f.now = f.now.addDays(10);
    }
    // Removed at start, +10 and +20 days (none has expired): emptying by date keeps the newer.
    f.now = start.addDays(20);
    auto emptied = f.open(scheme)->emptyTrash(start.addDays(15));
    QVERIFY2(emptied, why(emptied));
    QCOMPARE(*emptied, 2);
    QCOMPARE(f.trash(scheme).size(), std::size_t(1));
    QCOMPARE(f.trash(scheme).front().path, QStringLiteral("c"));
    emptied = f.open(scheme)->emptyTrash({});
    QVERIFY2(emptied, why(emptied));
    QCOMPARE(*emptied, 1);
    QCOMPARE(f.trash(scheme).size(), std::size_t(0));
    QCOMPARE(*f.open(scheme)->emptyTrash({}), 0);
}

void TestTrash::purgedByNextWriteAfterThirtyDays()
{
    QFETCH(QString, scheme);
    Fixture f;
    const ModelArtifacts old = randomModel(1, 64, 7);
    QVERIFY(f.save(scheme, QStringLiteral("old"), old));
    const QDateTime removedAt = f.now;
    QVERIFY(f.open(scheme)->removeModel(QStringLiteral("old")));
    const QString blob = IndexedDbStore::open(f.storeDir, IndexedDbStore::Access::Read)
                             .value()
                             ->blobs()
                             .pathFor(hashOf(old));
    const bool blobs = scheme == kIndexedDb;

    // 30 days later, to the millisecond, a write keeps it ...
    f.now = removedAt.addDays(kTrashDays);
    QVERIFY(f.save(scheme, QStringLiteral("one"), artifactsV0()));
    QCOMPARE(f.trash(scheme).size(), std::size_t(1));
    // ... a read a moment later changes nothing ...
    f.now = f.now.addMSecs(1);
    QCOMPARE(f.trash(scheme).size(), std::size_t(1));
    QCOMPARE(QFileInfo::exists(blob), blobs);
    // ... and the next write purges it, and its blob with it.
    QVERIFY(f.save(scheme, QStringLiteral("two"), artifactsV0()));
    QCOMPARE(f.trash(scheme).size(), std::size_t(0));
    QVERIFY(!QFileInfo::exists(blob));
    QCOMPARE(f.models(scheme), (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
    if (blobs) {
        auto store = IndexedDbStore::open(f.storeDir, IndexedDbStore::Access::Read);
        QCOMPARE((*store)->blobs().hashes(), (*store)->referencedBlobs().value());
    }
}

void TestTrash::idsAreNeverReused()
{
    QFETCH(QString, scheme);
    Fixture f;
    QVERIFY(f.save(scheme, QStringLiteral("a"), artifactsV0()));
    QVERIFY(f.open(scheme)->removeModel(QStringLiteral("a")));
    const qint64 first = f.trash(scheme).front().id;
    QVERIFY(f.open(scheme)->emptyTrash({}));
    QVERIFY(f.save(scheme, QStringLiteral("a"), artifactsV0()));
    QVERIFY(f.open(scheme)->removeModel(QStringLiteral("a")));
    QVERIFY(f.trash(scheme).front().id > first);
}

void TestTrash::readingCreatesNothing()
{
    QFETCH(QString, scheme);
    Fixture f;
    std::unique_ptr<ModelStoreManager> store;
    if (scheme == kIndexedDb)
        store = std::move(*IndexedDbStore::open(f.storeDir, IndexedDbStore::Access::Read));
    else
        store = std::move(*LocalStorageStore::open(f.storeDir, f.quota, LocalStorageStore::Access::Read));
    auto trash = store->listTrash();
    QVERIFY2(trash, why(trash));
    QVERIFY(trash->empty());
    QCOMPARE(*store->emptyTrash({}), 0);
    auto deleted = store->deleteFromTrash({ 1 });
    QVERIFY(!deleted);
    QCOMPARE(deleted.error().code, ErrorCode::NotFound);
    QVERIFY(!QFileInfo::exists(f.storeDir));
}

void TestTrash::trashedBlobsSurviveGarbageCollection()
{
    Fixture f;
    const ModelArtifacts model = randomModel(2, 1000, 11);
    QVERIFY(f.save(kIndexedDb, QStringLiteral("m"), model));
    QVERIFY(f.open(kIndexedDb)->removeModel(QStringLiteral("m")));
    auto store = IndexedDbStore::open(f.storeDir, IndexedDbStore::Access::Write);
    QVERIFY(store);
    QVERIFY((*store)->collectGarbage());
    QCOMPARE((*store)->blobs().hashes(), QStringList{hashOf(model)});
    QCOMPARE((*store)->referencedBlobs().value(), QStringList{hashOf(model)});

    // Restored, it loads from the same blob.
    const qint64 id = f.trash(kIndexedDb).front().id;
    QVERIFY(f.open(kIndexedDb)->restoreFromTrash(id, {}, Existing::Refuse));
    QCOMPARE(bytesOf(f.load(kIndexedDb, QStringLiteral("m"))->weightData), bytesOf(model.weightData));

    // Removed again and the trash emptied, the blob goes.
    QVERIFY(f.open(kIndexedDb)->removeModel(QStringLiteral("m")));
    QCOMPARE((*store)->blobs().hashes(), QStringList{hashOf(model)});
    QCOMPARE(*f.open(kIndexedDb)->emptyTrash({}), 1);
    QCOMPARE((*store)->blobs().hashes(), QStringList{});
}

void TestTrash::localStorageTrashIsOutsideTheQuota()
{
    Fixture probe;
    QVERIFY(probe.save(kLocalStorage, QStringLiteral("m"), artifactsV0()));
    const qint64 one = LocalStorageStore::open(probe.storeDir, probe.quota,
                                               LocalStorageStore::Access::Read)
                           .value()
                           ->usedBytes()
                           .value();
    Fixture f(one + 100); // room for one model
    QVERIFY(f.save(kLocalStorage, QStringLiteral("m"), artifactsV0()));
    QVERIFY(f.open(kLocalStorage)->removeModel(QStringLiteral("m")));
    auto store = LocalStorageStore::open(f.storeDir, f.quota, LocalStorageStore::Access::Read);
    QCOMPARE((*store)->usedBytes().value(), 0);
    // "n" fits although "m" is in the trash ...
    QVERIFY(f.save(kLocalStorage, QStringLiteral("n"), artifactsV0()));
    // ... and "m" cannot come back beside it: the entry stays.
    const qint64 id = f.trash(kLocalStorage).front().id;
    auto restored = f.open(kLocalStorage)->restoreFromTrash(id, {}, Existing::Refuse);
    TFJS_COMPARE_ERROR(restored, ErrorCode::Quota,
                       QStringLiteral("Cannot restore model 'm' from the trash of local storage: "
                                      "it would exceed the %1-byte quota.")
                           .arg(f.quota));
    QCOMPARE(f.trash(kLocalStorage).size(), std::size_t(1));
    QCOMPARE(f.models(kLocalStorage), QStringList{QStringLiteral("n")});
    QCOMPARE((*store)->usedBytes().value(), one);
    // Once "n" is gone it fits again.
    QVERIFY(f.open(kLocalStorage)->removeModel(QStringLiteral("n")));
    auto back = f.open(kLocalStorage)->restoreFromTrash(id, {}, Existing::Refuse);
    QVERIFY2(back, why(back));
    QCOMPARE(f.models(kLocalStorage), QStringList{QStringLiteral("m")});
}

void TestTrash::migratesVersion1Stores()
{
    QFETCH(QString, scheme);
    Fixture f;
    // The fixture as the code before the trash wrote it, copied so the source tree stays as is.
    const QString fixture = QStringLiteral(TFJS_SOURCE_DIR "/tests/core/data/store-v1");
    QDirIterator it(fixture, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString from = it.next();
        if (from.endsWith(QLatin1String(".md")))
            continue;
        const QString to = f.storeDir + QLatin1Char('/') + QDir(fixture).relativeFilePath(from);
        QDir().mkpath(QFileInfo(to).absolutePath());
        QVERIFY(QFile::copy(from, to));
        QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner);
    }
    const QString file = f.databaseFile(scheme);
    QCOMPARE(column(file, QStringLiteral("SELECT version FROM schema_version")),
             QStringList{QStringLiteral("1")});

    // Opening migrates; the old models list, load and keep their info.
    const QStringList expected = scheme == kIndexedDb
                                     ? QStringList{QStringLiteral("dir/other model"), QStringLiteral("keep")}
                                     : QStringList{QStringLiteral("keep")};
    QCOMPARE(f.models(scheme), expected);
    QCOMPARE(column(file, QStringLiteral("SELECT version FROM schema_version")),
             QStringList{QStringLiteral("2")});
    auto listed = f.open(scheme)->listModels();
    QVERIFY2(listed, why(listed));
    const ModelArtifactsInfo info = listed->back().info;
    QCOMPARE(info.weightDataBytes, 16);
    QCOMPARE(info.modelTopologyBytes, 50);
    QCOMPARE(info.dateSaved.date().year(), 2026);
    auto loaded = f.load(scheme, QStringLiteral("keep"));
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(bytesOf(loaded->weightData), tfjs::test::f32({0.5f, -1.25f, 2.0f, 3.5f}));
    QCOMPARE(text(*loaded->generatedBy), QByteArray("\"store-v1 fixture\""));

    // Remove, restore and save work on the migrated store.
    QVERIFY(f.open(scheme)->removeModel(QStringLiteral("keep")));
    const std::vector<TrashEntry> trash = f.trash(scheme);
    QCOMPARE(trash.size(), std::size_t(1));
    QCOMPARE(trash.front().info.dateSaved, info.dateSaved);
    QVERIFY(f.open(scheme)->restoreFromTrash(trash.front().id, {}, Existing::Refuse));
    QVERIFY(f.save(scheme, QStringLiteral("new"), randomModel(1, 8, 3)));
    QCOMPARE(bytesOf(f.load(scheme, QStringLiteral("keep"))->weightData),
             tfjs::test::f32({0.5f, -1.25f, 2.0f, 3.5f}));
    if (scheme == kIndexedDb) {
        auto store = IndexedDbStore::open(f.storeDir, IndexedDbStore::Access::Read);
        QVERIFY((*store)->collectGarbage());
        QCOMPARE((*store)->blobs().hashes().size(), 2);
        QCOMPARE((*store)->blobs().hashes(), (*store)->referencedBlobs().value());
    }
}

void TestTrash::managerAcrossStores()
{
    QTemporaryDir dir;
    HandlerOptions options;
    options.storeDir = dir.filePath(QStringLiteral("store"));
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelManager manager(registry);
    JobContext ctx;
    for (const QString &url : {QStringLiteral("indexeddb://a"), QStringLiteral("localstorage://b")}) {
        QVERIFY(registry.save(url, artifactsV0(), ctx));
        QVERIFY(manager.removeModel(url));
    }
    auto all = manager.listTrash();
    QVERIFY2(all, why(all));
    QCOMPARE(all->size(), std::size_t(2));
    QCOMPARE(all->at(0).url(), QStringLiteral("localstorage://b")); // registration order
    QCOMPARE(all->at(1).url(), QStringLiteral("indexeddb://a"));
    auto one = manager.listTrash(QStringLiteral("indexeddb://"));
    QVERIFY2(one, why(one));
    QCOMPARE(one->size(), std::size_t(1));

    // A restore stays in its store.
    auto across = manager.restoreFromTrash(kIndexedDb, all->at(1).entry.id,
                                           QStringLiteral("localstorage://a"));
    TFJS_COMPARE_ERROR(across, ErrorCode::InvalidArgument,
                       QStringLiteral("Cannot restore entry %1 of the indexeddb:// trash to "
                                      "'localstorage://a': a restore stays inside its store; "
                                      "restore it, then move it.")
                           .arg(all->at(1).entry.id));
    auto restored = manager.restoreFromTrash(kIndexedDb, all->at(1).entry.id,
                                             QStringLiteral("indexeddb://a2"));
    QVERIFY2(restored, why(restored));
    QCOMPARE(*restored, QStringLiteral("indexeddb://a2"));
    QVERIFY(registry.load(QStringLiteral("indexeddb://a2"), ctx));

    // Entries removed a moment ago are not older than a day; all are older than 0 days.
    QCOMPARE(manager.emptyTrash({}, 1).value(), 0);
    QCOMPARE(manager.emptyTrash({}, 0).value(), 1);
    QCOMPARE(manager.listTrash()->size(), std::size_t(0));
    auto unknown = manager.listTrash(QStringLiteral("file"));
    TFJS_COMPARE_ERROR(unknown, ErrorCode::Unsupported,
                       QStringLiteral("Cannot find model manager for scheme 'file'"));
}

QTEST_GUILESS_MAIN(TestTrash)
#include "tst_trash.moc"

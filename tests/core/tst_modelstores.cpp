// What the indexeddb:// and localstorage:// stores share, run once per store (the store's
// scheme is a column of every table): TF.js's tests that both indexed_db_test.ts and
// local_storage_test.ts hold (missing models, empty paths, the router, listing and removing,
// each in the store's own words), any path text, and the SQLite file's failures (corrupt,
// newer, foreign, locked, read-only). What only one store does: tst_indexeddbstore,
// tst_localstorage.
#include "storefixture.h"
#include "store/indexeddbstore.h"
#include "store/localstoragestore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <unistd.h>

using namespace tfjs;
using namespace storetest;

namespace {

const QString kIndexedDb = QStringLiteral("indexeddb");
const QString kLocalStorage = QStringLiteral("localstorage");

// What differs between the stores: names and messages (%1: a model path or the store file).
struct StoreKind
{
    QString what;         // the store in SQLite messages
    QString databaseName; // its file in the store folder
    QString notFound;     // loading or renaming a missing model
    QString notFoundOnRemove;
    QString emptyPath;
};

StoreKind kindOf(const QString &scheme)
{
    if (scheme == kIndexedDb)
        return {QStringLiteral("IndexedDB store"), QString::fromLatin1(IndexedDbStore::kDatabaseFile),
                QStringLiteral("Cannot find model with path '%1' in IndexedDB."),
                QStringLiteral("Cannot find model with path '%1' in IndexedDB."),
                QStringLiteral("For IndexedDB, modelPath must not be null, undefined or empty.")};
    return {QStringLiteral("localStorage store"),
            QString::fromLatin1(LocalStorageStore::kDatabaseFile),
            QStringLiteral("In local storage, there is no model with name '%1'"),
            QStringLiteral("Cannot find model at path '%1'"),
            QStringLiteral("For local storage, modelPath must not be null, undefined or empty.")};
}

// The store of `scheme` in `f`'s folder.
Result<std::unique_ptr<ModelStoreManager>> openStore(const QString &scheme, const StoreFixture &f,
                                                     bool write = false, int busyTimeoutMs = 30000)
{
    if (scheme == kIndexedDb) {
        auto store = IndexedDbStore::open(f.options.storeDir,
                                          write ? IndexedDbStore::Access::Write
                                                : IndexedDbStore::Access::Read,
                                          busyTimeoutMs);
        if (!store)
            return fail(store.error());
        return std::unique_ptr<ModelStoreManager>(std::move(*store));
    }
    auto store = LocalStorageStore::open(f.options.storeDir, f.localStorageQuota(),
                                         write ? LocalStorageStore::Access::Write
                                               : LocalStorageStore::Access::Read,
                                         busyTimeoutMs);
    if (!store)
        return fail(store.error());
    return std::unique_ptr<ModelStoreManager>(std::move(*store));
}

std::unique_ptr<ModelStoreManager> storeOrDie(const QString &scheme, const StoreFixture &f)
{
    auto store = openStore(scheme, f);
    if (!store)
        qFatal("cannot open store: %s", qPrintable(store.error().toString()));
    return std::move(*store);
}

// The store's own saveModel (not part of ModelStoreManager).
Result<ModelArtifactsInfo> saveDirect(ModelStoreManager &store, const QString &path,
                                      const ModelArtifacts &artifacts)
{
    if (auto *idb = dynamic_cast<IndexedDbStore *>(&store))
        return idb->saveModel(path, artifacts, nullptr, Durability::Relaxed, Existing::Refuse);
    return static_cast<LocalStorageStore &>(store).saveModel(path, artifacts, nullptr,
                                                             Durability::Relaxed, Existing::Refuse);
}

bool isHandlerOf(const QString &scheme, IOHandler *handler)
{
    return scheme == kIndexedDb ? dynamic_cast<IndexedDbHandler *>(handler) != nullptr
                                : dynamic_cast<LocalStorageHandler *>(handler) != nullptr;
}

QString databaseFile(const QString &scheme, const StoreFixture &f)
{
    return f.options.storeDir + QLatin1Char('/') + kindOf(scheme).databaseName;
}

QString url(const QString &scheme, const QString &path)
{
    return scheme + QStringLiteral("://") + path;
}

// One row per store.
void addStoreRows()
{
    QTest::addColumn<QString>("scheme");
    for (const QString &scheme : {kIndexedDb, kLocalStorage})
        QTest::newRow(qPrintable(scheme)) << scheme;
}

// Runs SQL on the store file through a separate connection (as another program would).
void rawSql(const QString &file, const QStringList &statements)
{
    const QString name = QStringLiteral("raw-%1").arg(quintptr(&file));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        QVERIFY(db.open());
        for (const QString &sql : statements) {
            QSqlQuery query(db);
            QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

class TestModelStores : public QObject
{
    Q_OBJECT

private slots:
    // indexed_db_test.ts and local_storage_test.ts
    void loadingNonexistentModelFails_data() { addStoreRows(); }
    void loadingNonexistentModelFails();
    void emptyModelPath_data() { addStoreRows(); }
    void emptyModelPath();
    void router_data() { addStoreRows(); }
    void router();
    void listModels_data();
    void listModels();
    void removeModel_data();
    void removeModel();
    void failedRemoveModel_data() { addStoreRows(); }
    void failedRemoveModel();

    // beyond TF.js
    void renameMissingModel_data() { addStoreRows(); }
    void renameMissingModel();
    void anyPathText_data();
    void anyPathText();
    void readDoesNotCreateStore_data() { addStoreRows(); }
    void readDoesNotCreateStore();
    void corruptStore_data();
    void corruptStore();
    void newerSchema_data() { addStoreRows(); }
    void newerSchema();
    void foreignDatabase_data() { addStoreRows(); }
    void foreignDatabase();
    void lockedStore_data() { addStoreRows(); }
    void lockedStore();
    void readOnlyStore_data() { addStoreRows(); }
    void readOnlyStore();
};

void TestModelStores::loadingNonexistentModelFails()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    // Both before the store exists and once it does.
    for (int round = 0; round < 2; ++round) {
        auto loaded = f.load(url(scheme, QStringLiteral("NonexistentModel")));
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().code, ErrorCode::NotFound);
        QCOMPARE(loaded.error().message, kindOf(scheme).notFound.arg(QStringLiteral("NonexistentModel")));
        QVERIFY(f.save(url(scheme, QStringLiteral("Other")), artifactsWithMetadata(), Existing::Replace));
    }
}

void TestModelStores::emptyModelPath()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    auto handler = f.registry.handlerFor(url(scheme, {}));
    QVERIFY(!handler);
    QCOMPARE(handler.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(handler.error().message, kindOf(scheme).emptyPath);
}

void TestModelStores::router()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    auto bar = f.registry.handlerFor(url(scheme, QStringLiteral("bar")));
    QVERIFY(bar);
    QVERIFY(isHandlerOf(scheme, bar->get()));
    auto other = f.registry.handlerFor(url(scheme == kIndexedDb ? kLocalStorage : kIndexedDb,
                                           QStringLiteral("bar")));
    QVERIFY(other);
    QVERIFY(!isHandlerOf(scheme, other->get()));
    auto plain = f.registry.handlerFor(QStringLiteral("qux"));
    QVERIFY(plain);
    QVERIFY(!isHandlerOf(scheme, plain->get()));
}

void TestModelStores::listModels_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QStringList>("saved");
    for (const QString &scheme : {kIndexedDb, kLocalStorage}) {
        QTest::addRow("%s, 0 results", qPrintable(scheme)) << scheme << QStringList{};
        QTest::addRow("%s, 1 result", qPrintable(scheme))
            << scheme << QStringList{QStringLiteral("baz/QuxModel")};
        QTest::addRow("%s, 2 results", qPrintable(scheme))
            << scheme << QStringList{QStringLiteral("QuxModel"), QStringLiteral("repeat/QuxModel")};
    }
}

void TestModelStores::listModels()
{
    QFETCH(QString, scheme);
    QFETCH(QStringList, saved);
    StoreFixture f;
    std::map<QString, ModelArtifactsInfo> infos;
    for (const QString &path : saved) {
        auto result = f.save(url(scheme, path), artifactsWithMetadata());
        QVERIFY2(result, why(result));
        infos[path] = result->modelArtifactsInfo;
    }
    auto models = storeOrDie(scheme, f)->listModels();
    QVERIFY2(models, why(models));
    QCOMPARE(paths(*models), saved);
    for (const StoredModel &model : *models) {
        const ModelArtifactsInfo &expected = infos[model.path];
        QCOMPARE(model.info.modelTopologyType, expected.modelTopologyType);
        QCOMPARE(model.info.modelTopologyBytes, expected.modelTopologyBytes);
        QCOMPARE(model.info.weightSpecsBytes, expected.weightSpecsBytes);
        QCOMPARE(model.info.weightDataBytes, expected.weightDataBytes);
        QCOMPARE(model.info.dateSaved, expected.dateSaved);
    }
}

void TestModelStores::removeModel_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("removeArgument");
    for (const QString &scheme : {kIndexedDb, kLocalStorage}) {
        QTest::addRow("%s, path", qPrintable(scheme)) << scheme << QStringLiteral("QuxModel");
        QTest::addRow("%s, with URL scheme", qPrintable(scheme))
            << scheme << url(scheme, QStringLiteral("QuxModel"));
    }
}

void TestModelStores::removeModel()
{
    QFETCH(QString, scheme);
    QFETCH(QString, removeArgument);
    StoreFixture f;
    auto first = f.save(url(scheme, QStringLiteral("QuxModel")), artifactsWithMetadata());
    QVERIFY(first);
    QVERIFY(f.save(url(scheme, QStringLiteral("repeat/QuxModel")), artifactsWithMetadata()));
    auto removed = storeOrDie(scheme, f)->removeModel(removeArgument);
    QVERIFY2(removed, why(removed));
    QCOMPARE(removed->dateSaved, first->modelArtifactsInfo.dateSaved);
    QCOMPARE(removed->weightDataBytes, 16);
    auto models = storeOrDie(scheme, f)->listModels();
    QVERIFY(models);
    QCOMPARE(paths(*models), QStringList{QStringLiteral("repeat/QuxModel")});
    auto gone = f.load(url(scheme, QStringLiteral("QuxModel")));
    QVERIFY(!gone);
    QCOMPARE(gone.error().code, ErrorCode::NotFound);
}

void TestModelStores::failedRemoveModel()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    for (int round = 0; round < 2; ++round) { // before and after the store exists
        auto removed = storeOrDie(scheme, f)->removeModel(QStringLiteral("nonexistent"));
        QVERIFY(!removed);
        QCOMPARE(removed.error().code, ErrorCode::NotFound);
        QCOMPARE(removed.error().message,
                 kindOf(scheme).notFoundOnRemove.arg(QStringLiteral("nonexistent")));
        QVERIFY(f.save(url(scheme, QStringLiteral("kept")), artifactsWithMetadata(), Existing::Replace));
    }
    auto models = storeOrDie(scheme, f)->listModels();
    QVERIFY(models);
    QCOMPARE(paths(*models), QStringList{QStringLiteral("kept")});
}

void TestModelStores::renameMissingModel()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    auto renamed = storeOrDie(scheme, f)->renameModel(QStringLiteral("missing"), QStringLiteral("x"),
                                                      Existing::Refuse);
    QVERIFY(!renamed);
    QCOMPARE(renamed.error().code, ErrorCode::NotFound);
    QCOMPARE(renamed.error().message, kindOf(scheme).notFound.arg(QStringLiteral("missing")));
    QVERIFY(f.save(url(scheme, QStringLiteral("here")), artifactsWithMetadata()));
    renamed = storeOrDie(scheme, f)->renameModel(QStringLiteral("missing"), QStringLiteral("here"),
                                                 Existing::Refuse);
    QVERIFY(!renamed);
    QCOMPARE(renamed.error().code, ErrorCode::NotFound);
    QCOMPARE(renamed.error().message, kindOf(scheme).notFound.arg(QStringLiteral("missing")));
    QCOMPARE(paths(*storeOrDie(scheme, f)->listModels()), QStringList{QStringLiteral("here")});
}

void TestModelStores::anyPathText_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("path");
    for (const QString &scheme : {kIndexedDb, kLocalStorage}) {
        const auto row = [&scheme](const char *name, const QString &path) {
            QTest::addRow("%s, %s", qPrintable(scheme), name) << scheme << path;
        };
        row("spaces", QStringLiteral("my model v2"));
        row("slashes", QStringLiteral("a/b/c/"));
        row("unicode", QStringLiteral("модель/模型/🙂"));
        row("quotes and SQL", QStringLiteral("x'); DROP TABLE models_store; --\""));
        row("percent and underscore", QStringLiteral("%_%"));
        row("scheme inside", QStringLiteral("nested://path"));
        row("newline", QStringLiteral("two\nlines"));
    }
}

void TestModelStores::anyPathText()
{
    QFETCH(QString, scheme);
    QFETCH(QString, path);
    StoreFixture f;
    const ModelArtifacts model = randomModel(2, 10, 7);
    QVERIFY(f.save(url(scheme, QStringLiteral("decoy")), artifactsWithMetadata()));
    auto saved = f.save(url(scheme, path), model);
    QVERIFY2(saved, why(saved));
    auto models = storeOrDie(scheme, f)->listModels();
    QVERIFY(models);
    QVERIFY(paths(*models).contains(path));
    QCOMPARE(models->size(), std::size_t(2));
    auto loaded = f.load(url(scheme, path));
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(bytesOf(loaded->weightData), bytesOf(model.weightData));
    auto removed = storeOrDie(scheme, f)->removeModel(path);
    QVERIFY2(removed, why(removed));
    models = storeOrDie(scheme, f)->listModels();
    QCOMPARE(paths(*models), QStringList{QStringLiteral("decoy")});
}

void TestModelStores::readDoesNotCreateStore()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    auto models = storeOrDie(scheme, f)->listModels();
    QVERIFY(models);
    QVERIFY(models->empty());
    QVERIFY(!f.load(url(scheme, QStringLiteral("x"))));
    QVERIFY(!QFileInfo::exists(f.options.storeDir));
}

void TestModelStores::corruptStore_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QByteArray>("content");
    for (const QString &scheme : {kIndexedDb, kLocalStorage}) {
        QTest::addRow("%s, text", qPrintable(scheme))
            << scheme << QByteArray("this is not a database at all, just some text\n").repeated(100);
        QTest::addRow("%s, zeros", qPrintable(scheme)) << scheme << QByteArray(8192, '\0');
        QTest::addRow("%s, garbage", qPrintable(scheme)) << scheme << QByteArray("garbage ").repeated(1000);
    }
}

void TestModelStores::corruptStore()
{
    QFETCH(QString, scheme);
    QFETCH(QByteArray, content);
    StoreFixture f;
    QDir().mkpath(f.options.storeDir);
    QFile file(databaseFile(scheme, f));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();

    auto opened = openStore(scheme, f);
    auto saved = f.save(url(scheme, QStringLiteral("m")), artifactsWithMetadata());
    for (const Error &error : {opened ? Error{} : opened.error(), saved ? Error{} : saved.error()}) {
        QCOMPARE(error.code, ErrorCode::Store);
        QCOMPARE(error.message,
                 QStringLiteral("The %1 %2 is corrupt or is not a SQLite database (file is not a "
                                "database); it was left untouched. Move it aside to start a new "
                                "store.")
                     .arg(kindOf(scheme).what, databaseFile(scheme, f)));
    }
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), content); // never reset
}

void TestModelStores::newerSchema()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    QVERIFY(f.save(url(scheme, QStringLiteral("m")), artifactsWithMetadata()));
    rawSql(databaseFile(scheme, f), {QStringLiteral("UPDATE schema_version SET version = 99")});
    auto opened = openStore(scheme, f);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::Store);
    QCOMPARE(opened.error().message,
             QStringLiteral("The %1 %2 has schema version 99, newer than this program supports "
                            "(2); it was left untouched. Use a newer TFJS Model Manager to open "
                            "it.")
                 .arg(kindOf(scheme).what, databaseFile(scheme, f)));
    auto loaded = f.load(url(scheme, QStringLiteral("m")));
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().message, opened.error().message);
}

void TestModelStores::foreignDatabase()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    QDir().mkpath(f.options.storeDir);
    rawSql(databaseFile(scheme, f), {QStringLiteral("CREATE TABLE notes (body TEXT)"),
                                     QStringLiteral("INSERT INTO notes VALUES ('mine')")});
    auto saved = f.save(url(scheme, QStringLiteral("m")), artifactsWithMetadata());
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Store);
    QCOMPARE(saved.error().message,
             QStringLiteral("The file %1 is a SQLite database but not a TFJS Model Manager %2 (it "
                            "has no schema_version table); it was left untouched.")
                 .arg(databaseFile(scheme, f), kindOf(scheme).what));
}

void TestModelStores::lockedStore()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    QVERIFY(f.save(url(scheme, QStringLiteral("m")), artifactsWithMetadata()));
    // Another process in the middle of a long write transaction.
    QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
    other.setDatabaseName(databaseFile(scheme, f));
    QVERIFY(other.open());
    {
        QSqlQuery begin(QStringLiteral("BEGIN IMMEDIATE"), other);
        QVERIFY(!begin.lastError().isValid());
    }
    auto store = openStore(scheme, f, true, 200);
    QVERIFY2(store, why(store));
    // Readers are not blocked (WAL) ...
    auto models = (*store)->listModels();
    QVERIFY2(models, why(models));
    QCOMPARE(models->size(), std::size_t(1));
    // ... writers give up after the busy timeout with a clear error.
    auto saved = saveDirect(**store, QStringLiteral("n"), artifactsWithMetadata());
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Store);
    QCOMPARE(saved.error().message,
             QStringLiteral("The %1 %2 is locked by another process that is changing it (gave up "
                            "after waiting 200 ms).")
                 .arg(kindOf(scheme).what, databaseFile(scheme, f)));
    QSqlQuery(QStringLiteral("ROLLBACK"), other);
    other.close();
    other = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    saved = saveDirect(**store, QStringLiteral("n"), artifactsWithMetadata());
    QVERIFY2(saved, why(saved));
}

void TestModelStores::readOnlyStore()
{
    QFETCH(QString, scheme);
    StoreFixture f;
    QVERIFY(f.save(url(scheme, QStringLiteral("m")), artifactsWithMetadata()));
    const QString file = databaseFile(scheme, f);
    // File modes do not stop root; the immutable attribute does (where the file system has it).
    const bool root = ::geteuid() == 0;
    if (root) {
        if (QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("+i"), file}) != 0)
            QSKIP("running as root on a file system without chattr +i: cannot make the store "
                  "read-only");
    } else {
        QFile::setPermissions(file, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther);
    }
    auto saved = f.save(url(scheme, QStringLiteral("n")), artifactsWithMetadata());
    auto loaded = f.load(url(scheme, QStringLiteral("m")));
    if (root)
        QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), file});
    else
        QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Store);
    QCOMPARE(saved.error().message,
             QStringLiteral("The %1 %2 is read-only: its models can be read but not saved, moved "
                            "or removed.")
                 .arg(kindOf(scheme).what, file));
    QVERIFY2(loaded, why(loaded)); // reading still works
}

QTEST_GUILESS_MAIN(TestModelStores)
#include "tst_modelstores.moc"

// The trash tests' fixture: one store of either kind on a clock the test moves, and ways to
// look into it (its models, its trash, a column of its database).
#pragma once

#include "store/indexeddbstore.h"
#include "store/localstoragestore.h"
#include "store/sha256.h"
#include "storetestdata.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace trashtest {

using namespace tfjs;
using namespace storetest;

inline const QString kIndexedDb = QStringLiteral("indexeddb");
inline const QString kLocalStorage = QStringLiteral("localstorage");

// One store of either kind, opened on a clock the test moves.
class Fixture
{
public:
    explicit Fixture(qint64 quota = 5 * 1024 * 1024) : quota(quota)
    {
        storeDir = dir.filePath(QStringLiteral("store"));
    }

    std::unique_ptr<ModelStoreManager> open(const QString &scheme)
    {
        const Clock clock = [this] { return now; };
        if (scheme == kIndexedDb) {
            auto store = IndexedDbStore::open(storeDir, IndexedDbStore::Access::Write);
            if (!store)
                qFatal("cannot open: %s", qPrintable(store.error().toString()));
            (*store)->setClock(clock);
            return std::move(*store);
        }
        auto store = LocalStorageStore::open(storeDir, quota, LocalStorageStore::Access::Write);
        if (!store)
            qFatal("cannot open: %s", qPrintable(store.error().toString()));
        (*store)->setClock(clock);
        return std::move(*store);
    }
    Result<ModelArtifactsInfo> save(const QString &scheme, const QString &path,
        const ModelArtifacts &model, Existing existing = Existing::Refuse)
    {
        auto store = open(scheme);
        if (auto *idb = dynamic_cast<IndexedDbStore *>(store.get()))
            return idb->saveModel(path, model, nullptr, Durability::Relaxed, existing);
        return static_cast<LocalStorageStore *>(store.get())
            ->saveModel(path, model, nullptr, Durability::Relaxed, existing);
    }
    Result<ModelArtifacts> load(const QString &scheme, const QString &path)
    {
        auto store = open(scheme);
        if (auto *idb = dynamic_cast<IndexedDbStore *>(store.get()))
            return idb->loadModel(path);
        return static_cast<LocalStorageStore *>(store.get())->loadModel(path);
    }
    std::vector<TrashEntry> trash(const QString &scheme)
    {
        auto entries = open(scheme)->listTrash();
        if (!entries)
            qFatal("cannot list the trash: %s", qPrintable(entries.error().toString()));
        return *entries;
    }
    QStringList models(const QString &scheme)
    {
        auto listed = open(scheme)->listModels();
        if (!listed)
            qFatal("cannot list: %s", qPrintable(listed.error().toString()));
        QStringList out;
        for (const StoredModel &model : *listed)
            out << model.path;
        return out;
    }
    QString databaseFile(const QString &scheme) const
    {
        return storeDir
            + (scheme == kIndexedDb ? QStringLiteral("/tensorflowjs.sqlite")
                                    : QStringLiteral("/localstorage.sqlite"));
    }

    QTemporaryDir dir;
    QString storeDir;
    qint64 quota;
    QDateTime now = QDateTime(QDate(2024, 3, 1), QTime(12, 0), Qt::UTC);
};

inline QString hashOf(const ModelArtifacts &model)
{
    return QString::fromLatin1(Sha256::hash(bytesOf(model.weightData)).toHex());
}

inline void addSchemeRows()
{
    QTest::addColumn<QString>("scheme");
    QTest::newRow("indexeddb") << kIndexedDb;
    QTest::newRow("localstorage") << kLocalStorage;
}

// Runs one SQL query on a store file through a connection of its own; the first column of
// every row.
inline QStringList column(const QString &file, const QString &sql)
{
    QStringList out;
    const QString name = QStringLiteral("peek");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery query(sql, db);
            while (query.next())
                out << query.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

} // namespace trashtest

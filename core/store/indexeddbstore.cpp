#include "indexeddbstore.h"

#include "io/spoolfile.h"
#include "storedrecord.h"

#include "base/job.h"
#include "io/sqliteconnection.h"
#include "format/weightlayout.h"

#include <QSet>


namespace tfjs {

namespace {

const QString kWhat = QStringLiteral("IndexedDB store");
const QString kScheme = QStringLiteral("indexeddb://");

QString stripScheme(const QString &path)
{
    return path.startsWith(kScheme) ? path.mid(kScheme.size()) : path;
}

Error notFound(const QString &path)
{
    Error error{ErrorCode::NotFound,
                QStringLiteral("Cannot find model with path '%1' in IndexedDB.").arg(path)};
    error.path = path;
    return error;
}

Error damaged(const QString &file, const QString &path, const QString &what)
{
    Error error{ErrorCode::Store, QStringLiteral("The IndexedDB store %1 is damaged: model '%2' %3.")
                                      .arg(file, path, what)};
    error.path = path;
    return error;
}

std::vector<SqliteConnection::Migration> migrations()
{
    return {
        // 1: the first release.
        [](SqliteConnection &db) -> Result<void> {
            for (const QString &sql : {
                     QStringLiteral("CREATE TABLE models_store ("
                                    " modelPath TEXT PRIMARY KEY NOT NULL,"
                                    " modelArtifacts TEXT NOT NULL,"
                                    " modelArtifactsInfo TEXT NOT NULL,"
                                    " weightDataBlob TEXT,"
                                    " weightDataBytes INTEGER NOT NULL DEFAULT 0)"),
                     QStringLiteral("CREATE INDEX models_store_blob ON models_store "
                                    "(weightDataBlob)"),
                     QStringLiteral("CREATE TABLE model_info_store ("
                                    " modelPath TEXT PRIMARY KEY NOT NULL,"
                                    " modelArtifactsInfo TEXT NOT NULL)"),
                 }) {
                if (auto done = db.exec(sql); !done)
                    return fail(done.error());
            }
            return {};
        },
        // 2: the trash; a trashed model keeps its row's columns, its blob stays referenced.
        [](SqliteConnection &db) -> Result<void> {
            if (auto made = Trash::createTable(db, QStringLiteral(
                                                       "modelArtifacts TEXT NOT NULL,"
                                                       " weightDataBlob TEXT,"
                                                       " weightDataBytes INTEGER NOT NULL DEFAULT 0"));
                !made)
                return made;
            auto index = db.exec(QStringLiteral("CREATE INDEX trash_blob ON trash (weightDataBlob)"));
            if (!index)
                return fail(index.error());
            return {};
        },
    };
}

const QStringList kDeleteRows = {QStringLiteral("DELETE FROM model_info_store WHERE modelPath = ?"),
                                 QStringLiteral("DELETE FROM models_store WHERE modelPath = ?")};

} // namespace

IndexedDbStore::IndexedDbStore(QString dir, int busyTimeoutMs,
                               std::unique_ptr<SqliteConnection> connection)
    : m_dir(std::move(dir)), m_busyTimeoutMs(busyTimeoutMs), m_db(std::move(connection)),
      m_blobs(m_dir + QLatin1Char('/') + QLatin1String(kBlobFolder)),
      m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
}

IndexedDbStore::~IndexedDbStore() = default;

QString IndexedDbStore::databaseFile() const
{
    return m_dir + QLatin1Char('/') + QLatin1String(kDatabaseFile);
}

Result<std::unique_ptr<IndexedDbStore>> IndexedDbStore::open(const QString &dir, Access access,
                                                             int busyTimeoutMs)
{
    auto folder = storeFolder(dir);
    if (!folder)
        return fail(folder.error());
    std::unique_ptr<IndexedDbStore> store(new IndexedDbStore(*folder, busyTimeoutMs, nullptr));
    if (auto ready = store->requireDatabase(access == Access::Write); !ready)
        return fail(ready.error());
    return store;
}

Result<void> IndexedDbStore::requireDatabase(bool create)
{
    SqliteConnection::Options options;
    options.busyTimeoutMs = m_busyTimeoutMs;
    return SqliteConnection::openStoreOnce(m_db, m_dir, databaseFile(), kWhat, options,
                                           migrations(), create);
}

Result<std::vector<StoredModel>> IndexedDbStore::listModels()
{
    std::vector<StoredModel> out;
    if (!m_db)
        return out;
    auto query = m_db->exec(QStringLiteral(
        "SELECT modelPath, modelArtifactsInfo FROM model_info_store ORDER BY modelPath"));
    if (!query)
        return fail(query.error());
    while (query->next()) {
        const QString path = query->value(0).toString();
        auto info = storedInfo(query->value(1).toString(), kScheme + path);
        if (!info)
            return fail(damaged(databaseFile(), path, QStringLiteral("has an unreadable info record (%1)")
                                                          .arg(info.error().message)));
        out.push_back({path, *info});
    }
    if (query->lastError().isValid())
        return fail(m_db->sqlError(query->lastError(), QStringLiteral("listing the models")));
    return out;
}

Result<ModelArtifacts> IndexedDbStore::loadModel(const QString &path, bool verifyContent, JobContext *ctx)
{
    // A blob that vanished between reading the row and opening it was swept by a process that
    // replaced or removed the model meanwhile: read the row again (the new version, or none).
    constexpr int kAttempts = 3;
    for (int attempt = 1;; ++attempt) {
        bool blobMissing = false;
        auto loaded = loadRow(path, verifyContent, ctx, blobMissing);
        if (!blobMissing || attempt == kAttempts)
            return loaded;
    }
}

Result<ModelArtifacts> IndexedDbStore::loadWeights(const QString &path, const QString &hash)
{
    const QString where = kScheme + path;
    const Error gone(ErrorCode::NotFound,
                     QStringLiteral("The weights %1 of %2 are no longer in the store %3 (the model "
                                    "was replaced or removed and its trash emptied).")
                         .arg(hash, where, m_dir));
    if (!BlobStore::isHash(hash))
        return fail(gone);
    auto blob = m_blobs.open(hash, -1);
    if (!blob)
        return fail(blob.error().code == ErrorCode::NotFound ? gone : blob.error());
    ModelArtifacts artifacts;
    artifacts.weightData.appendSpool(*blob, 0, (*blob)->size(), where);
    artifacts.weightsHash = hash;
    return artifacts;
}

Result<ModelArtifacts> IndexedDbStore::loadRow(const QString &path, bool verifyContent, JobContext *ctx,
                                               bool &blobMissing)
{
    if (!m_db)
        return fail(notFound(path));
    auto query = m_db->exec(QStringLiteral("SELECT modelArtifacts, weightDataBlob, weightDataBytes "
                                           "FROM models_store WHERE modelPath = ?"),
                            {path});
    if (!query)
        return fail(query.error());
    if (!query->next()) {
        if (query->lastError().isValid())
            return fail(m_db->sqlError(query->lastError(), QStringLiteral("loading a model")));
        return fail(notFound(path));
    }
    const QString text = query->value(0).toString();
    const QString hash = query->value(1).toString();
    const qint64 bytes = query->value(2).toLongLong();
    query->finish();

    const QString where = kScheme + path;
    auto artifacts = storedArtifacts(text, where);
    if (!artifacts)
        return artifacts;
    if (!hash.isEmpty()) {
        if (!BlobStore::isHash(hash))
            return fail(damaged(databaseFile(), path,
                                QStringLiteral("refers to weight blob '%1', which is not a hash")
                                    .arg(hash)));
        // Held open: the weights stay readable while another process replaces the model.
        auto blob = m_blobs.open(hash, bytes);
        if (!blob) {
            blobMissing = blob.error().code == ErrorCode::NotFound;
            return fail(damaged(databaseFile(), path,
                                QStringLiteral("refers to weight blob %1 of %2 bytes, which %3")
                                    .arg(m_blobs.pathFor(hash))
                                    .arg(bytes)
                                    .arg(blobMissing ? QStringLiteral("is missing")
                                                     : blob.error().detail)));
        }
        if (verifyContent) {
            if (ctx)
                ctx->setStage(QStringLiteral("Checking %1 against its hash").arg(where), bytes);
            if (auto verified = m_blobs.verify(**blob, hash, ctx); !verified) {
                if (verified.error().code != ErrorCode::Store)
                    return fail(verified.error());
                return fail(damaged(databaseFile(), path,
                                    QStringLiteral("refers to weight blob %1 of %2 bytes, which %3")
                                        .arg(m_blobs.pathFor(hash))
                                        .arg(bytes)
                                        .arg(verified.error().detail)));
            }
        }
        artifacts->weightData.appendSpool(*blob, 0, bytes, where);
        artifacts->weightsHash = hash;
    }
    if (artifacts->weightSpecs) {
        if (auto checked = checkWeightLayout(*artifacts->weightSpecs, artifacts->weightData, where);
            !checked)
            return fail(checked.error());
    }
    return artifacts;
}

Result<void> IndexedDbStore::trashModel(const QString &path, TrashReason reason)
{
    auto put = m_db->exec(
        QStringLiteral("INSERT INTO trash (modelPath, removedAt, reason, modelArtifactsInfo, "
                       "modelArtifacts, weightDataBlob, weightDataBytes) "
                       "SELECT modelPath, ?, ?, modelArtifactsInfo, modelArtifacts, "
                       "weightDataBlob, weightDataBytes FROM models_store WHERE modelPath = ?"),
        {m_clock().toMSecsSinceEpoch(), trashReasonName(reason), path});
    if (!put)
        return fail(put.error());
    return m_db->execAll(kDeleteRows, {path});
}

Result<void> IndexedDbStore::change(Durability durability,
                                    const std::function<Result<void>()> &body, bool orphans)
{
    int purged = 0;
    auto done = m_db->writeTransaction(durability, [&]() -> Result<void> {
        auto expired = trash().purge(m_clock().addDays(-kTrashDays));
        if (!expired)
            return fail(expired.error());
        purged = *expired;
        return body();
    });
    if (done && (orphans || purged > 0))
        // Ignored: the change is committed; a failed cleanup only leaves orphans to the next one.
        (void)collectGarbage();
    return done;
}

Result<bool> IndexedDbStore::hasModel(const QString &path)
{
    if (!m_db)
        return false;
    auto count = m_db->scalar(QStringLiteral("SELECT count(*) FROM models_store WHERE modelPath = ?"),
                              {stripScheme(path)});
    if (!count)
        return fail(count.error());
    return count->toInt() > 0;
}

Result<ModelArtifactsInfo> IndexedDbStore::saveModel(const QString &path,
                                                     const ModelArtifacts &artifacts,
                                                     JobContext *ctx, Durability durability,
                                                     Existing existing)
{
    if (auto ready = requireDatabase(); !ready)
        return fail(ready.error());
    // Refuse before writing any weight byte; the transaction checks again.
    if (auto free = refuseExisting(existing, [&] { return hasModel(path); }, kScheme + path, path);
        !free)
        return fail(free.error());
    if (auto checked = checkWeightLayout(artifacts, ctx); !checked)
        return fail(checked.error());
    // TF.js computes the info (and its date) before writing.
    const ModelArtifactsInfo info = artifactsInfo(artifacts);
    const QString artifactsText = storedText(artifactsObject(artifacts));
    const QString infoText = storedText(info.toJson());

    // The weight bytes go to a blob before the transaction; a model loaded from this store
    // already is one, and a copy only adds a reference.
    QString hash;
    std::optional<BlobStore::Pending> pending;
    const WeightData &data = artifacts.weightData;
    const auto &segments = data.segments();
    if (segments.size() == 1 && !segments.front().file.isEmpty() && segments.front().offset == 0) {
        const WeightData::Segment &only = segments.front();
        const QString own = m_blobs.hashOfPath(only.spool ? only.spool->heldPath() : only.file);
        if (!own.isEmpty() && m_blobs.isComplete(own, segments.front().size))
            hash = own;
    }
    if (hash.isEmpty() && !data.isEmpty()) {
        if (ctx)
            ctx->setStage(QStringLiteral("Writing weights to the IndexedDB store"), data.size());
        auto written = m_blobs.write(data, ctx, durability);
        if (!written)
            return fail(written.error());
        hash = written->hash;
        pending.emplace(std::move(*written));
    }
    if (ctx && ctx->isCancelled())
        return fail(cancelledError());

    auto saved = change(durability, [&]() -> Result<void> {
        if (auto room = trash().makeRoom(path, existing); !room)
            return room;
        if (pending) {
            if (auto published = m_blobs.publish(*pending); !published)
                return published;
            if (durability == Durability::Strict) {
                if (auto synced = m_blobs.syncPublished(*pending); !synced)
                    return synced;
            }
        } else if (!hash.isEmpty() && !m_blobs.isComplete(hash, data.size())) {
            // The source model was removed (and its blob collected) since it was loaded.
            Error error{ErrorCode::NotFound,
                        QStringLiteral("The weight data of the model being saved to '%1' vanished "
                                       "from the IndexedDB store while it was copied.")
                            .arg(path)};
            error.path = path;
            return fail(error);
        }
        const QVariant blob = hash.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(hash);
        if (auto put = m_db->exec(QStringLiteral("INSERT OR REPLACE INTO models_store (modelPath, "
                                                 "modelArtifacts, modelArtifactsInfo, "
                                                 "weightDataBlob, weightDataBytes) "
                                                 "VALUES (?, ?, ?, ?, ?)"),
                                  {path, artifactsText, infoText, blob, data.size()});
            !put)
            return fail(put.error());
        if (auto put = m_db->exec(QStringLiteral("INSERT OR REPLACE INTO model_info_store "
                                                 "(modelPath, modelArtifactsInfo) VALUES (?, ?)"),
                                  {path, infoText});
            !put)
            return fail(put.error());
        return {};
    });
    if (!saved) {
        if (pending)
            // Ignored: the save's error is what matters; orphans wait for the next cleanup.
            (void)collectGarbage(); // the blob may have been published before the failure
        return fail(saved.error());
    }
    return info;
}

Result<ModelArtifactsInfo> IndexedDbStore::removeModel(const QString &path)
{
    return remove(path, true);
}

Result<void> IndexedDbStore::checkCanRemove()
{
    if (const std::optional<Error> why = m_db ? m_db->immutableError() : std::nullopt)
        return fail(*why);
    return {};
}

Result<ModelArtifactsInfo> IndexedDbStore::deleteModel(const QString &path)
{
    return remove(path, false);
}

Result<ModelArtifactsInfo> IndexedDbStore::remove(const QString &pathOrUrl, bool toTrash)
{
    const QString path = stripScheme(pathOrUrl);
    if (!m_db)
        return fail(notFound(path));
    ModelArtifactsInfo info;
    auto removed = change(
        Durability::Relaxed,
        [&]() -> Result<void> {
            auto text = m_db->scalar(QStringLiteral("SELECT modelArtifactsInfo FROM "
                                                    "model_info_store WHERE modelPath = ?"),
                                     {path});
            if (!text)
                return fail(text.error());
            if (!text->isValid())
                return fail(notFound(path));
            info = storedInfoOrEmpty(text->toString(), kScheme + path);
            return toTrash ? trashModel(path, TrashReason::Removed)
                           : m_db->execAll(kDeleteRows, {path});
        },
        !toTrash);
    if (!removed)
        return fail(removed.error());
    return info;
}

Result<ModelArtifactsInfo> IndexedDbStore::renameModel(const QString &fromUrl, const QString &toUrl,
                                                       Existing existing)
{
    const QString from = stripScheme(fromUrl);
    const QString to = stripScheme(toUrl);
    if (!m_db)
        return fail(notFound(from));
    ModelArtifactsInfo info;
    auto renamed = change(Durability::Relaxed, [&]() -> Result<void> {
        auto text = m_db->scalar(QStringLiteral("SELECT modelArtifactsInfo FROM models_store "
                                                "WHERE modelPath = ?"),
                                 {from});
        if (!text)
            return fail(text.error());
        if (!text->isValid())
            return fail(notFound(from));
        info = storedInfoOrEmpty(text->toString(), kScheme + from);
        if (from == to)
            return {};
        if (auto room = trash().makeRoom(to, existing); !room)
            return room;
        if (auto stale = m_db->execAll(kDeleteRows, {to}); !stale) // an orphan info row
            return stale;
        return m_db->execAll(
            {QStringLiteral("UPDATE model_info_store SET modelPath = ? WHERE modelPath = ?"),
             QStringLiteral("UPDATE models_store SET modelPath = ? WHERE modelPath = ?")},
            {to, from});
    });
    if (!renamed)
        return fail(renamed.error());
    return info;
}

Result<QStringList> IndexedDbStore::referencedBlobs()
{
    QStringList out;
    if (!m_db)
        return out;
    auto query = m_db->exec(QStringLiteral("SELECT weightDataBlob FROM models_store WHERE "
                                           "weightDataBlob IS NOT NULL UNION SELECT "
                                           "weightDataBlob FROM trash WHERE weightDataBlob IS NOT "
                                           "NULL ORDER BY 1"));
    if (!query)
        return fail(query.error());
    while (query->next())
        out << query->value(0).toString();
    return out;
}

Result<int> IndexedDbStore::collectGarbage()
{
    if (!m_db)
        return 0;
    int deleted = 0;
    // Under the write lock nobody can publish a blob or add a reference meanwhile.
    auto swept = m_db->writeTransaction([&]() -> Result<void> {
        auto referenced = referencedBlobs();
        if (!referenced)
            return fail(referenced.error());
        const QSet<QString> keep(referenced->begin(), referenced->end());
        deleted = m_blobs.sweep([&keep](const QString &hash) { return keep.contains(hash); });
        return {};
    });
    if (!swept)
        return fail(swept.error());
    return deleted;
}

Result<bool> IndexedDbHandler::hasModel()
{
    auto store = IndexedDbStore::open(m_storeDir, IndexedDbStore::Access::Read);
    if (!store)
        return fail(store.error());
    return (*store)->hasModel(m_path);
}

IndexedDbHandler::IndexedDbHandler(QString storeDir, QString modelPath)
    : m_storeDir(std::move(storeDir)), m_path(std::move(modelPath))
{
}

Result<ModelArtifacts> IndexedDbHandler::load(JobContext &ctx, const LoadOptions &options)
{
    // The weights are described as a blob segment: without weights there is nothing to skip.
    ctx.setStage(QStringLiteral("Reading %1%2").arg(kScheme, m_path), 0);
    auto store = IndexedDbStore::open(m_storeDir, IndexedDbStore::Access::Read);
    if (!store)
        return fail(store.error());
    if (!options.weightsHash.isEmpty())
        return (*store)->loadWeights(m_path, options.weightsHash);
    return (*store)->loadModel(m_path, options.verifyContent && options.weights, &ctx);
}

Result<SaveResult> IndexedDbHandler::save(const ModelArtifacts &artifacts, JobContext &ctx)
{
    auto store = IndexedDbStore::open(m_storeDir, IndexedDbStore::Access::Write);
    if (!store)
        return fail(store.error());
    auto info = (*store)->saveModel(m_path, artifacts, &ctx, durability(), existing());
    if (!info)
        return fail(info.error());
    SaveResult result;
    result.modelArtifactsInfo = *info;
    result.files << kScheme + m_path;
    return result;
}

} // namespace tfjs

#include "teamstore.h"

#include "base/job.h"
#include "format/weightlayout.h"
#include "io/spoolfile.h"
#include "store/sha256.h"
#include "store/storedrecord.h"

#include <QHostInfo>

namespace tfjs {

namespace {

const QString kScheme = QStringLiteral("team://");
// A blob `b` a model or a trash entry refers to; the others are garbage (collectGarbage).
const QString kBlobReferenced = QStringLiteral(
    "(EXISTS (SELECT 1 FROM models m WHERE m.weightDataBlob = b.hash)"
    " OR EXISTS (SELECT 1 FROM trash t WHERE t.weightDataBlob = b.hash))");

QString stripScheme(const QString &path)
{
    return path.startsWith(kScheme) ? path.mid(kScheme.size()) : path;
}

Error notFound(const QString &path, const QString &where)
{
    Error error{ErrorCode::NotFound,
                QStringLiteral("Cannot find model with path '%1' in %2.").arg(path, where)};
    error.path = path;
    return error;
}

// A model's columns in `models` and `trash` (besides its path). The info's fields are
// columns of their own too (schema 3), so a list reads no JSON.
const QString kModelColumns = QStringLiteral(
    "modelArtifacts, modelArtifactsInfo, weightDataBlob, weightDataBytes, savedBy, dateSaved,"
    " modelTopologyType, modelTopologyBytes, weightSpecsBytes");

// A blob that the store deleted between a save's check and its use (another client emptied the
// trash meanwhile): the save starts again.
struct Vanished
{
    bool happened = false;
};

} // namespace

QString TeamStore::modelColumns()
{
    return kModelColumns;
}

std::vector<PgConnection::Migration> TeamStore::migrations()
{
    return {
        // 1: models and their content-addressed weights.
        [](PgConnection &db) -> Result<void> {
            return db.execAll({
                QStringLiteral("CREATE TABLE blobs (hash text PRIMARY KEY, bytes bigint NOT NULL,"
                               " chunkSize integer NOT NULL)"),
                QStringLiteral("CREATE TABLE blob_chunks (hash text NOT NULL REFERENCES blobs (hash)"
                               " ON DELETE CASCADE, n integer NOT NULL, data bytea NOT NULL,"
                               " PRIMARY KEY (hash, n))"),
                // Weights rarely compress: store them as they are, without trying.
                QStringLiteral("ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL"),
                QStringLiteral("CREATE TABLE models (modelPath text PRIMARY KEY,"
                               " modelArtifacts text NOT NULL, modelArtifactsInfo text NOT NULL,"
                               " weightDataBlob text REFERENCES blobs (hash),"
                               " weightDataBytes bigint NOT NULL DEFAULT 0, savedBy text NOT NULL)"),
                QStringLiteral("CREATE INDEX models_blob ON models (weightDataBlob)"),
            });
        },
        // 2: the trash; a trashed model keeps its columns, its blob stays referenced.
        [](PgConnection &db) -> Result<void> {
            return db.execAll({
                QStringLiteral("CREATE TABLE trash (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                               " modelPath text NOT NULL, removedAt bigint NOT NULL,"
                               " reason text NOT NULL CHECK (reason IN ('removed', 'replaced')),"
                               " modelArtifactsInfo text NOT NULL, modelArtifacts text NOT NULL,"
                               " weightDataBlob text REFERENCES blobs (hash),"
                               " weightDataBytes bigint NOT NULL DEFAULT 0, savedBy text NOT NULL)"),
                QStringLiteral("CREATE INDEX trash_removedAt ON trash (removedAt)"),
                QStringLiteral("CREATE INDEX trash_blob ON trash (weightDataBlob)"),
            });
        },
        // 3: the info's fields as columns, filled from the JSON records: listing 100,000 models
        // took 0.4 s of the server's time to take their JSON apart (and as long here before).
        [](PgConnection &db) -> Result<void> {
            QStringList steps;
            for (const char *table : {"models", "trash"}) {
                steps << QStringLiteral("ALTER TABLE %1 ADD COLUMN dateSaved bigint, ADD COLUMN "
                                        "modelTopologyType text, ADD COLUMN modelTopologyBytes bigint "
                                        "NOT NULL DEFAULT 0, ADD COLUMN weightSpecsBytes bigint NOT NULL "
                                        "DEFAULT 0")
                             .arg(QLatin1String(table))
                      << QStringLiteral("UPDATE %1 SET dateSaved = (extract(epoch FROM "
                                        "(modelArtifactsInfo::jsonb->>'dateSaved')::timestamptz) * 1000)::bigint,"
                                        " modelTopologyType = modelArtifactsInfo::jsonb->>'modelTopologyType',"
                                        " modelTopologyBytes = coalesce((modelArtifactsInfo::jsonb->>"
                                        "'modelTopologyBytes')::bigint, 0), weightSpecsBytes = "
                                        "coalesce((modelArtifactsInfo::jsonb->>'weightSpecsBytes')::bigint, 0)")
                             .arg(QLatin1String(table));
            }
            return db.execAll(steps);
        },
    };
}

TeamStore::TeamStore(std::unique_ptr<PgConnection> db)
    : m_db(std::move(db)), m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
}

Result<std::unique_ptr<TeamStore>> TeamStore::open(const QString &uri, Access access,
                                                   const QString &password)
{
    auto connection = PgConnection::open(uri, password);
    if (!connection)
        return fail(connection.error());
    std::unique_ptr<TeamStore> store(new TeamStore(std::move(*connection)));
    auto version = store->m_db->schemaVersion();
    if (!version)
        return fail(version.error());
    if (*version == 0 && access == Access::Read) {
        store->m_exists = false;
        return store;
    }
    if (auto migrated = store->m_db->migrate(migrations()); !migrated)
        return fail(migrated.error());
    return store;
}

Result<std::vector<StoredModel>> TeamStore::listModels()
{
    std::vector<StoredModel> out;
    if (!m_exists)
        return out;
    auto query = m_db->exec(QStringLiteral(
        "SELECT modelPath, savedBy, dateSaved, modelTopologyType, modelTopologyBytes, weightSpecsBytes,"
        " weightDataBytes FROM models ORDER BY modelPath"));
    if (!query)
        return fail(query.error());
    while (query->next()) {
        StoredModel model;
        model.path = query->value(0).toString();
        model.savedBy = query->value(1).toString();
        ModelArtifactsInfo &info = model.info;
        if (!query->isNull(2))
            info.dateSaved = QDateTime::fromMSecsSinceEpoch(query->value(2).toLongLong(), Qt::UTC);
        if (!query->isNull(3))
            info.modelTopologyType = query->value(3).toString();
        info.modelTopologyBytes = query->value(4).toLongLong();
        info.weightSpecsBytes = query->value(5).toLongLong();
        info.weightDataBytes = query->value(6).toLongLong();
        out.push_back(std::move(model));
    }
    if (query->lastError().isValid())
        return fail(m_db->sqlError(query->lastError(), QStringLiteral("listing the models")));
    return out;
}

Result<bool> TeamStore::hasModel(const QString &path)
{
    if (!m_exists)
        return false;
    auto count = m_db->scalar(QStringLiteral("SELECT count(*) FROM models WHERE modelPath = ?"),
                              {stripScheme(path)});
    if (!count)
        return fail(count.error());
    return count->toInt() > 0;
}

Result<ModelArtifacts> TeamStore::loadModel(const QString &pathOrUrl, bool weights,
                                            const QString &spoolFolder, JobContext *ctx)
{
    const QString path = stripScheme(pathOrUrl);
    const QString where = kScheme + path;
    if (!m_exists)
        return fail(notFound(path, m_db->where()));
    ModelArtifacts artifacts;
    QString hash;
    // One snapshot: the row and its chunks as they were when the load began, even while
    // another client replaces the model or empties the trash.
    auto loaded = m_db->transaction(
        [&]() -> Result<void> {
            auto query = m_db->exec(QStringLiteral("SELECT modelArtifacts, weightDataBlob, "
                                                   "weightDataBytes FROM models WHERE modelPath = ?"),
                                    {path});
            if (!query)
                return fail(query.error());
            if (!query->next())
                return fail(notFound(path, m_db->where()));
            const QString text = query->value(0).toString();
            hash = query->value(1).toString();
            const qint64 bytes = query->value(2).toLongLong();
            query->finish();
            auto parsed = storedArtifacts(text, where);
            if (!parsed)
                return fail(parsed.error());
            artifacts = std::move(*parsed);
            if (!weights || hash.isEmpty())
                return {};
            return spoolWeights(artifacts, path, hash, bytes, spoolFolder, ctx);
        },
        QStringLiteral("ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    if (!loaded)
        return fail(loaded.error());
    artifacts.weightsHash = hash;
    if (weights && artifacts.weightSpecs) {
        if (auto checked = checkWeightLayout(*artifacts.weightSpecs, artifacts.weightData, where); !checked)
            return fail(checked.error());
    }
    return artifacts;
}

Result<ModelArtifacts> TeamStore::loadWeights(const QString &pathOrUrl, const QString &hash,
                                              const QString &spoolFolder, JobContext *ctx)
{
    const QString path = stripScheme(pathOrUrl);
    const QString where = kScheme + path;
    const auto gone = [&] {
        return Error(ErrorCode::NotFound,
                     QStringLiteral("The weights %1 of %2 are no longer in the team store %3 (the "
                                    "model was replaced or removed and its trash emptied).")
                         .arg(hash, where, m_db->where()));
    };
    if (!m_exists)
        return fail(gone());
    ModelArtifacts artifacts;
    auto loaded = m_db->transaction(
        [&]() -> Result<void> {
            // Referenced blobs only: an unreferenced one is garbage, whatever is left of it.
            auto query = m_db->exec(QStringLiteral("SELECT bytes FROM blobs b WHERE hash = ? AND ")
                                        + kBlobReferenced, {hash});
            if (!query)
                return fail(query.error());
            if (!query->next())
                return fail(gone());
            const qint64 bytes = query->value(0).toLongLong();
            query->finish();
            return spoolWeights(artifacts, path, hash, bytes, spoolFolder, ctx);
        },
        QStringLiteral("ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    if (!loaded)
        return fail(loaded.error());
    artifacts.weightsHash = hash;
    return artifacts;
}

Result<void> TeamStore::spoolWeights(ModelArtifacts &artifacts, const QString &path, const QString &hash,
                                     qint64 bytes, const QString &spoolFolder, JobContext *ctx)
{
    auto spool = SpoolFile::create(spoolFolder);
    if (!spool)
        return fail(spool.error());
    if (auto got = download(path, hash, bytes, **spool, ctx); !got)
        return got;
    artifacts.weightData.appendSpool(*spool, 0, bytes, kScheme + path);
    return {};
}

Result<void> TeamStore::download(const QString &path, const QString &hash, qint64 bytes,
                                 SpoolFile &spool, JobContext *ctx)
{
    const auto damaged = [&](const QString &what) {
        Error error{ErrorCode::Store, QStringLiteral("%1 is damaged: the weights of model '%2' "
                                                     "(blob %3) %4.")
                                          .arg(m_db->where(), path, hash, what)};
        error.path = path;
        return error;
    };
    auto size = m_db->scalar(QStringLiteral("SELECT chunkSize FROM blobs WHERE hash = ?"), {hash});
    if (!size)
        return fail(size.error());
    if (!size->isValid() || size->toLongLong() <= 0)
        return fail(damaged(QStringLiteral("are missing")));
    const qint64 chunkBytes = size->toLongLong();
    if (ctx)
        ctx->setStage(QStringLiteral("Downloading %1%2 from the team store").arg(kScheme, path), bytes);
    Sha256 sha;
    const QByteArray hashBytes = hash.toUtf8();
    qint64 offset = 0;
    for (qint64 n = 0; offset < bytes; ++n) {
        if (ctx && ctx->isCancelled())
            return fail(cancelledError());
        auto chunk = m_db->bytes(QStringLiteral("SELECT data FROM blob_chunks WHERE hash = $1 AND n = $2"),
                                 {hashBytes, QByteArray::number(n)},
                                 QStringLiteral("reading chunk %1 of the weights of '%2'").arg(n).arg(path));
        if (!chunk) {
            if (chunk.error().code == ErrorCode::NotFound)
                return fail(damaged(QStringLiteral("lack chunk %1 (bytes from %2)").arg(n).arg(offset)));
            return fail(chunk.error());
        }
        const qint64 expected = std::min(chunkBytes, bytes - offset);
        if (chunk->size() != expected)
            return fail(damaged(QStringLiteral("have a chunk %1 of %2 bytes where %3 belong (at byte %4)")
                                    .arg(n)
                                    .arg(chunk->size())
                                    .arg(expected)
                                    .arg(offset)));
        sha.addData(chunk->constData(), chunk->size());
        if (auto written = spool.writeAt(offset, chunk->constData(), chunk->size()); !written)
            return written;
        offset += chunk->size();
        if (ctx)
            ctx->addBytes(chunk->size());
    }
    if (sha.hexResult() != hash)
        return fail(damaged(QStringLiteral("do not match their hash")));
    return {};
}

Result<void> TeamStore::upload(const WeightData &data, const QString &hash, JobContext *ctx)
{
    auto added = m_db->exec(QStringLiteral("INSERT INTO blobs (hash, bytes, chunkSize) VALUES (?, ?, ?) "
                                           "ON CONFLICT (hash) DO NOTHING"),
                            {hash, data.size(), kChunkBytes});
    if (!added)
        return fail(added.error());
    if (added->numRowsAffected() == 0)
        return {}; // the store has these weights already (deduplicated)
    if (ctx)
        ctx->setStage(QStringLiteral("Uploading weights to the team store"), data.size());
    const QByteArray hashBytes = hash.toUtf8();
    QByteArray chunk;
    chunk.reserve(kChunkBytes);
    qint64 n = 0;
    Result<void> sent;
    const auto flush = [&]() -> bool {
        auto put = m_db->execBytes(QStringLiteral("INSERT INTO blob_chunks (hash, n, data) VALUES ($1, $2, $3)"),
                                   {hashBytes, QByteArray::number(n), chunk}, 2,
                                   QStringLiteral("uploading chunk %1 of the weights").arg(n));
        if (!put) {
            sent = fail(put.error());
            return false;
        }
        ++n;
        chunk.resize(0);
        return true;
    };
    auto read = data.read(
        [&](const char *bytes, qint64 size) {
            while (size > 0) {
                const qint64 take = std::min<qint64>(size, kChunkBytes - chunk.size());
                chunk.append(bytes, take);
                bytes += take;
                size -= take;
                if (chunk.size() == kChunkBytes && !flush())
                    return false;
            }
            return true;
        },
        ctx, kChunkBytes);
    if (!sent)
        return sent;
    if (!read)
        return fail(read.error());
    if (!chunk.isEmpty() && !flush())
        return sent;
    return {};
}

Result<ModelArtifactsInfo> TeamStore::saveModel(const QString &pathOrUrl, const ModelArtifacts &artifacts,
                                                JobContext *ctx, Existing existing)
{
    const QString path = stripScheme(pathOrUrl);
    if (!m_exists) {
        auto migrated = m_db->migrate(migrations());
        if (!migrated)
            return fail(migrated.error());
        m_exists = true;
    }
    // Refuse before sending any weight byte; the transaction checks again.
    if (auto free = refuseExisting(existing, [&] { return hasModel(path); }, kScheme + path, path); !free)
        return fail(free.error());
    if (auto checked = checkWeightLayout(artifacts, ctx); !checked)
        return fail(checked.error());
    const ModelArtifactsInfo info = artifactsInfo(artifacts);
    const QString artifactsText = storedText(artifactsObject(artifacts));
    const QString infoText = storedText(info.toJson());
    const WeightData &data = artifacts.weightData;

    // The blob's name first (one read of the weights), so weights the store has are not sent.
    QString hash;
    if (!data.isEmpty()) {
        if (ctx)
            ctx->setStage(QStringLiteral("Hashing weights"), data.size());
        Sha256 sha;
        auto read = data.read([&sha](const char *bytes, qint64 size) {
            sha.addData(bytes, size);
            return true;
        }, ctx);
        if (!read)
            return fail(read.error());
        hash = sha.hexResult();
    }
    constexpr int kAttempts = 3;
    for (int attempt = 1;; ++attempt) {
        Vanished vanished;
        auto saved = m_db->transaction([&]() -> Result<void> {
            if (!hash.isEmpty()) {
                if (auto sent = upload(data, hash, ctx); !sent)
                    return sent;
            }
            if (ctx && ctx->isCancelled())
                return fail(cancelledError());
            if (auto locked = m_db->lockStore(); !locked)
                return locked;
            if (!hash.isEmpty()) {
                auto held = m_db->scalar(QStringLiteral("SELECT count(*) FROM blobs WHERE hash = ?"), {hash});
                if (!held)
                    return fail(held.error());
                if (held->toInt() == 0) {
                    vanished.happened = true;
                    return fail(ErrorCode::NotFound,
                                QStringLiteral("The weights being saved to '%1' were deleted from "
                                               "%2 by another client meanwhile.")
                                    .arg(path, m_db->where()));
                }
            }
            auto purged = trash().purge(m_clock().addDays(-kTrashDays));
            if (!purged)
                return fail(purged.error());
            if (auto room = trash().makeRoom(path, existing); !room)
                return room;
            const QVariant blob = hash.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(hash);
            auto put = m_db->exec(
                QStringLiteral("INSERT INTO models (modelPath, %1) VALUES (?, ?, ?, ?, ?, "
                               "current_user || '@' || ?, ?, ?, ?, ?)")
                    .arg(kModelColumns),
                {path, artifactsText, infoText, blob, data.size(), QHostInfo::localHostName(),
                 info.dateSaved.toMSecsSinceEpoch(), info.modelTopologyType, info.modelTopologyBytes,
                 info.weightSpecsBytes});
            if (!put)
                return fail(put.error());
            return *purged > 0 ? collectGarbage() : Result<void>();
        });
        if (saved)
            return info;
        if (!vanished.happened || attempt == kAttempts)
            return fail(saved.error());
    }
}

Result<void> TeamStore::collectGarbage()
{
    auto swept = m_db->exec(QStringLiteral("DELETE FROM blobs b WHERE NOT ") + kBlobReferenced);
    if (!swept)
        return fail(swept.error());
    return {};
}

Result<void> TeamStore::change(const std::function<Result<void>()> &body, bool orphans)
{
    if (!m_exists) {
        auto migrated = m_db->migrate(migrations());
        if (!migrated)
            return fail(migrated.error());
        m_exists = true;
    }
    return m_db->transaction([&]() -> Result<void> {
        if (auto locked = m_db->lockStore(); !locked)
            return locked;
        auto purged = trash().purge(m_clock().addDays(-kTrashDays));
        if (!purged)
            return fail(purged.error());
        if (auto done = body(); !done)
            return done;
        if (orphans || *purged > 0)
            return collectGarbage();
        return {};
    });
}

Result<void> TeamStore::trashModel(const QString &path, TrashReason reason)
{
    auto put = m_db->exec(
        QStringLiteral("INSERT INTO trash (modelPath, removedAt, reason, %1) SELECT modelPath, ?, ?, %1 "
                       "FROM models WHERE modelPath = ?")
            .arg(kModelColumns),
        {m_clock().toMSecsSinceEpoch(), trashReasonName(reason), path});
    if (!put)
        return fail(put.error());
    auto gone = m_db->exec(QStringLiteral("DELETE FROM models WHERE modelPath = ?"), {path});
    if (!gone)
        return fail(gone.error());
    return {};
}

Result<ModelArtifactsInfo> TeamStore::storedInfoOf(const QString &path)
{
    auto text = m_db->scalar(QStringLiteral("SELECT modelArtifactsInfo FROM models WHERE modelPath = ?"), {path});
    if (!text)
        return fail(text.error());
    if (!text->isValid())
        return fail(notFound(path, m_db->where()));
    return storedInfoOrEmpty(text->toString(), kScheme + path);
}

Result<ModelArtifactsInfo> TeamStore::removeModel(const QString &path)
{
    return remove(path, true);
}

Result<void> TeamStore::checkCanRemove()
{
    // A store not created yet has nothing to remove, and no table to ask about.
    auto allowed = m_db->scalar(QStringLiteral("SELECT CASE WHEN to_regclass('models') IS NULL THEN true "
                                               "ELSE has_table_privilege('models', 'DELETE') END"));
    if (!allowed)
        return fail(allowed.error());
    if (allowed->toBool())
        return {};
    return fail(m_db->errorFor(QStringLiteral("42501"),
                               QStringLiteral("the role may not delete models"),
                               QStringLiteral("checking that the source can be removed")));
}

Result<ModelArtifactsInfo> TeamStore::deleteModel(const QString &path)
{
    return remove(path, false);
}

Result<ModelArtifactsInfo> TeamStore::remove(const QString &pathOrUrl, bool toTrash)
{
    const QString path = stripScheme(pathOrUrl);
    if (!m_exists)
        return fail(notFound(path, m_db->where()));
    ModelArtifactsInfo info;
    auto removed = change(
        [&]() -> Result<void> {
            auto held = storedInfoOf(path);
            if (!held)
                return fail(held.error());
            info = *held;
            if (toTrash)
                return trashModel(path, TrashReason::Removed);
            auto gone = m_db->exec(QStringLiteral("DELETE FROM models WHERE modelPath = ?"), {path});
            if (!gone)
                return fail(gone.error());
            return {};
        },
        !toTrash);
    if (!removed)
        return fail(removed.error());
    return info;
}

Result<ModelArtifactsInfo> TeamStore::renameModel(const QString &fromUrl, const QString &toUrl,
                                                  Existing existing)
{
    const QString from = stripScheme(fromUrl);
    const QString to = stripScheme(toUrl);
    if (!m_exists)
        return fail(notFound(from, m_db->where()));
    ModelArtifactsInfo info;
    auto renamed = change(
        [&]() -> Result<void> {
            auto held = storedInfoOf(from);
            if (!held)
                return fail(held.error());
            info = *held;
            if (from == to)
                return {};
            if (auto room = trash().makeRoom(to, existing); !room)
                return room;
            auto moved = m_db->exec(QStringLiteral("UPDATE models SET modelPath = ? WHERE modelPath = ?"),
                                    {to, from});
            if (!moved)
                return fail(moved.error());
            return {};
        },
        false);
    if (!renamed)
        return fail(renamed.error());
    return info;
}

Result<QStringList> TeamStore::blobHashes()
{
    QStringList out;
    if (!m_exists)
        return out;
    auto query = m_db->exec(QStringLiteral("SELECT hash FROM blobs ORDER BY hash"));
    if (!query)
        return fail(query.error());
    while (query->next())
        out << query->value(0).toString();
    return out;
}

TeamHandler::TeamHandler(QString uri, QString password, QString modelPath)
    : m_uri(std::move(uri)), m_password(std::move(password)), m_path(std::move(modelPath))
{
}

Result<bool> TeamHandler::hasModel()
{
    auto store = TeamStore::open(m_uri, TeamStore::Access::Read, m_password);
    if (!store)
        return fail(store.error());
    return (*store)->hasModel(m_path);
}

Result<ModelArtifacts> TeamHandler::load(JobContext &ctx, const LoadOptions &options)
{
    ctx.setStage(QStringLiteral("Reading %1%2").arg(kScheme, m_path), 0);
    auto store = TeamStore::open(m_uri, TeamStore::Access::Read, m_password);
    if (!store)
        return fail(store.error());
    if (!options.weightsHash.isEmpty())
        return (*store)->loadWeights(m_path, options.weightsHash, options.spoolFolder, &ctx);
    return (*store)->loadModel(m_path, options.weights, options.spoolFolder, &ctx);
}

Result<SaveResult> TeamHandler::save(const ModelArtifacts &artifacts, JobContext &ctx)
{
    auto store = TeamStore::open(m_uri, TeamStore::Access::Write, m_password);
    if (!store)
        return fail(store.error());
    auto info = (*store)->saveModel(m_path, artifacts, &ctx, existing());
    if (!info)
        return fail(info.error());
    SaveResult result;
    result.modelArtifactsInfo = *info;
    result.files << kScheme + m_path;
    return result;
}

} // namespace tfjs

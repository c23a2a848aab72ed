#pragma once

#include "handlers/iohandler.h"
#include "handlers/modelstoremanager.h"
#include "pgconnection.h"
#include "store/trash.h"

#include <memory>

namespace tfjs {

class SpoolFile;

// The team:// store: the indexeddb:// store's records in a PostgreSQL database, for a team
// that shares models across machines. Tables in the schema `tfjs`:
//   models(modelPath, modelArtifacts JSON, modelArtifactsInfo JSON, weightDataBlob,
//          weightDataBytes, savedBy, and the info's fields as columns for listing)
//          savedBy: "<database role>@<client host>"
//   blobs(hash, bytes, chunkSize) and blob_chunks(hash, n, data bytea): the weight bytes,
//          content-addressed by SHA-256 and shared by every model and trash entry using them
//   trash(id, modelPath, removedAt, reason, modelArtifactsInfo, + the model's columns)
// A save is one transaction: the blob (unless the store has it already) and the model's row,
// so a reader sees the old or the new version, and a failure, cancel, killed client or dropped
// connection keeps nothing. Changes of the rows are serialised by an advisory lock, uploads
// of weights are not (two clients upload at once). Memory stays bounded: weights move in
// kChunkBytes pieces, and a load writes them to a spool file.
class TeamStore final : public ModelStoreManager
{
public:
    enum class Access { Read, Write };
    static constexpr int kChunkBytes = 1 << 20;

    // Connects and brings the schema up to date (Write creates it; Read reads a store that
    // does not exist yet as empty).
    [[nodiscard]] static Result<std::unique_ptr<TeamStore>> open(const QString &uri, Access access,
                                                                 const QString &password = {});
    // The schema's steps; migrations()[N-1] brings version N-1 to N (public for tests).
    static std::vector<PgConnection::Migration> migrations();

    PgConnection &connection() { return *m_db; }
    void setClock(Clock clock) { m_clock = std::move(clock); }

    [[nodiscard]] Result<std::vector<StoredModel>> listModels() override;
    // The weights are read into a spool file in `spoolFolder` (the system's temporary folder
    // when empty) and checked against their hash; `weights` false reads the records only.
    [[nodiscard]] Result<ModelArtifacts> loadModel(const QString &path, bool weights,
                                                   const QString &spoolFolder, JobContext *ctx);
    // The weights with `hash` (LoadOptions::weightsHash) while a model or a trash entry still
    // refers to them, whatever became of the model at `path` (named in messages): weightData
    // and weightsHash alone, read and checked as loadModel reads them.
    [[nodiscard]] Result<ModelArtifacts> loadWeights(const QString &path, const QString &hash,
                                                     const QString &spoolFolder, JobContext *ctx);
    [[nodiscard]] Result<ModelArtifactsInfo> saveModel(const QString &path, const ModelArtifacts &artifacts,
                                                       JobContext *ctx, Existing existing);
    [[nodiscard]] Result<bool> hasModel(const QString &path);
    [[nodiscard]] Result<ModelArtifactsInfo> removeModel(const QString &path) override;
    [[nodiscard]] Result<ModelArtifactsInfo> deleteModel(const QString &path) override;
    [[nodiscard]] Result<void> checkCanRemove() override;
    [[nodiscard]] Result<ModelArtifactsInfo> renameModel(const QString &from, const QString &to,
                                                         Existing existing) override;
    [[nodiscard]] Result<std::vector<TrashEntry>> listTrash() override;
    [[nodiscard]] Result<StoredModel> restoreFromTrash(qint64 id, const QString &to, Existing existing) override;
    [[nodiscard]] Result<std::vector<TrashEntry>> deleteFromTrash(const std::vector<qint64> &ids) override;
    [[nodiscard]] Result<int> emptyTrash(const QDateTime &removedBefore) override;
    // Hashes of the blobs the store holds (for checks and tests).
    [[nodiscard]] Result<QStringList> blobHashes();

private:
    explicit TeamStore(std::unique_ptr<PgConnection> db);
    // A model's columns besides its path, in `models` and `trash` alike.
    static QString modelColumns();
    // One transaction under the store's lock that first purges expired trash; deletes blobs
    // nothing refers to any more afterwards when `body` may have orphaned one (`orphans`).
    [[nodiscard]] Result<void> change(const std::function<Result<void>()> &body, bool orphans);
    [[nodiscard]] Result<void> collectGarbage();
    // Sends the weights as blob `hash` unless the store has it; inside the save's transaction.
    [[nodiscard]] Result<void> upload(const WeightData &data, const QString &hash, JobContext *ctx);
    // Downloads the blob `hash` into a new spool file in `spoolFolder` as `artifacts`' weights.
    [[nodiscard]] Result<void> spoolWeights(ModelArtifacts &artifacts, const QString &path, const QString &hash,
                                            qint64 bytes, const QString &spoolFolder, JobContext *ctx);
    [[nodiscard]] Result<void> download(const QString &path, const QString &hash, qint64 bytes,
                                        SpoolFile &spool, JobContext *ctx);
    [[nodiscard]] Result<ModelArtifactsInfo> remove(const QString &path, bool toTrash);
    // The info saved with the model at `path` (empty when unreadable); NotFound without one.
    [[nodiscard]] Result<ModelArtifactsInfo> storedInfoOf(const QString &path);
    [[nodiscard]] Result<void> trashModel(const QString &path, TrashReason reason);
    Trash trash();
    Trash::Transaction changes(bool orphans);

    std::unique_ptr<PgConnection> m_db;
    bool m_exists = true; // false: opened for reading before the schema was made
    Clock m_clock;
};

// team://PATH
class TeamHandler final : public IOHandler
{
public:
    TeamHandler(QString uri, QString password, QString modelPath);

    [[nodiscard]] Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) override;
    [[nodiscard]] Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override;
    [[nodiscard]] Result<bool> hasModel() override;

private:
    QString m_uri;
    QString m_password;
    QString m_path;
};

} // namespace tfjs

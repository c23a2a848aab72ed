#pragma once

#include "blobstore.h"
#include "handlers/iohandler.h"
#include "handlers/modelstoremanager.h"
#include "trash.h"

#include <memory>

namespace tfjs {

class SqliteConnection;

// The indexeddb:// store: TF.js's IndexedDB database "tensorflowjs" as a SQLite file,
// `<dir>/tensorflowjs.sqlite`, with the same two object stores as tables:
//   models_store(modelPath, modelArtifacts JSON, modelArtifactsInfo JSON, weight blob, bytes)
//   model_info_store(modelPath, modelArtifactsInfo JSON)
// `modelArtifacts` holds what TF.js stores there (topology, format, generatedBy, convertedBy,
// weightSpecs, the metadata keys) except the weight bytes, which live in content-addressed blob
// files under `<dir>/tensorflowjs.blobs` (see BlobStore). `list` reads model_info_store only.
// The trash (schema version 2) is one more table, `trash`, holding a trashed model's row; its
// blob stays referenced, so a trashed model costs no copy of its weights.
// Every change is one transaction; several processes may use one store (WAL, busy timeout).
// One object per thread: it owns a database connection. (The trash's half of the class is in
// indexeddbtrash.cpp.)
class IndexedDbStore final : public ModelStoreManager
{
public:
    enum class Access {
        Read,  // a store that does not exist yet reads as empty; nothing is created
        Write, // creates the folder and database when missing
    };
    static constexpr int kSchemaVersion = 2; // 1: the two object stores; 2: + trash
    static constexpr const char *kDatabaseFile = "tensorflowjs.sqlite";
    static constexpr const char *kBlobFolder = "tensorflowjs.blobs";

    ~IndexedDbStore() override;
    // `busyTimeoutMs`: how long a change waits for another process's transaction to end.
    [[nodiscard]] static Result<std::unique_ptr<IndexedDbStore>> open(const QString &dir, Access access,
                                                        int busyTimeoutMs = kBusyTimeoutMs);
    static constexpr int kBusyTimeoutMs = 30000;

    QString databaseFile() const;
    BlobStore &blobs() { return m_blobs; }
    // The clock that dates trash entries and decides which are old enough to purge.
    void setClock(Clock clock) { m_clock = std::move(clock); }

    [[nodiscard]] Result<std::vector<StoredModel>> listModels() override;
    // TF.js's message for a missing model: "Cannot find model with path '<p>' in IndexedDB."
    // The weights come back as a segment of the blob file (nothing is read), unless
    // `verifyContent`: then the blob is hashed first (its bytes reported to `ctx`).
    [[nodiscard]] Result<ModelArtifacts> loadModel(const QString &path, bool verifyContent = false,
                                                   JobContext *ctx = nullptr);
    // The weights with `hash` (LoadOptions::weightsHash) while their blob exists, whatever
    // became of the model at `path` (named in messages): weightData and weightsHash alone.
    [[nodiscard]] Result<ModelArtifacts> loadWeights(const QString &path, const QString &hash);
    // A model at `path` is handled as `existing` says: refused (checked before the weights are
    // written and again in the transaction) or moved to the trash. Weight bytes that are
    // already one of this store's blobs (a model loaded from this store) are referenced, not
    // copied.
    [[nodiscard]] Result<ModelArtifactsInfo> saveModel(const QString &path, const ModelArtifacts &artifacts,
                                         JobContext *ctx, Durability durability,
                                         Existing existing);
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

    // Deletes blob files that no model references and temporary files of ended processes.
    // Every change that can orphan a blob runs it; returns the number of files deleted.
    [[nodiscard]] Result<int> collectGarbage();
    // Hashes of the blobs the models and the trash reference (for checks and tests).
    [[nodiscard]] Result<QStringList> referencedBlobs();

private:
    // One read of the model's row; `blobMissing`: its blob was gone (swept meanwhile?).
    [[nodiscard]] Result<ModelArtifacts> loadRow(const QString &path, bool verifyContent, JobContext *ctx,
                                                 bool &blobMissing);
    IndexedDbStore(QString dir, int busyTimeoutMs, std::unique_ptr<SqliteConnection> connection);
    // Creates a store opened for reading before it existed; `create` false: a missing database
    // stays missing (m_db null).
    [[nodiscard]] Result<void> requireDatabase(bool create = true);
    // One write transaction that first purges expired trash; collects garbage afterwards when
    // `body` or the purge may have orphaned a blob.
    [[nodiscard]] Result<void> change(Durability durability, const std::function<Result<void>()> &body,
                        bool orphans = false);
    Trash trash();
    QString trashName() const; // "the IndexedDB store <file>", for messages
    Trash::Transaction changes(bool orphans); // change() for Trash
    [[nodiscard]] Result<void> trashModel(const QString &path, TrashReason reason);
    [[nodiscard]] Result<ModelArtifactsInfo> remove(const QString &path, bool toTrash);

    QString m_dir;
    int m_busyTimeoutMs;
    std::unique_ptr<SqliteConnection> m_db; // null: a read-only view of a store not created yet
    BlobStore m_blobs;
    Clock m_clock;
};

// indexeddb://PATH
class IndexedDbHandler final : public IOHandler
{
public:
    IndexedDbHandler(QString storeDir, QString modelPath);

    [[nodiscard]] Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) override;
    [[nodiscard]] Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override;
    [[nodiscard]] Result<bool> hasModel() override;

private:
    QString m_storeDir;
    QString m_path;
};

} // namespace tfjs

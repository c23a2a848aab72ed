#pragma once

#include "handlers/iohandler.h"
#include "format/localstorageitems.h"
#include "handlers/modelstoremanager.h"
#include "trash.h"

#include <array>
#include <functional>
#include <memory>
#include <optional>

namespace tfjs {

class SqliteConnection;

// The localstorage:// store: a browser-like localStorage (one key/value table of text in its own
// SQLite file, `<dir>/localstorage.sqlite`) holding exactly the items TF.js writes:
//   tensorflowjs_models/<path>/info            JSON.stringify(ModelArtifactsInfo), ISO dateSaved
//   tensorflowjs_models/<path>/model_topology  JSON.stringify(topology)
//   tensorflowjs_models/<path>/weight_specs    JSON.stringify(flat weight specs)
//   tensorflowjs_models/<path>/weight_data     standard padded base64 of all weight bytes
//   tensorflowjs_models/<path>/model_metadata  {format, generatedBy, convertedBy, signature, ...}
// so the items could be pasted into a browser's localStorage and loaded there. The database is
// UTF-16 and the quota counts 2 bytes per UTF-16 unit of every key and value, as browsers do.
// The trash (schema version 2) is a table `trash` in the same file holding a trashed model's
// five values; it does not count toward the quota.
// One object per thread: it owns a database connection. (The trash's half of the class is in
// localstoragetrash.cpp.)
class LocalStorageStore final : public ModelStoreManager
{
public:
    enum class Access { Read, Write }; // Read: a missing store reads as empty, nothing created
    static constexpr int kSchemaVersion = 2; // 1: ItemTable; 2: + trash
    static constexpr const char *kDatabaseFile = "localstorage.sqlite";

    ~LocalStorageStore() override;
    static constexpr int kBusyTimeoutMs = 30000;
    [[nodiscard]] static Result<std::unique_ptr<LocalStorageStore>> open(const QString &dir, qint64 quotaBytes,
                                                           Access access,
                                                           int busyTimeoutMs = kBusyTimeoutMs);

    QString databaseFile() const;
    qint64 quotaBytes() const { return m_quota; }
    // The clock that dates trash entries and decides which are old enough to purge.
    void setClock(Clock clock) { m_clock = std::move(clock); }

    // The Storage interface (what TF.js's own tests poke at).
    [[nodiscard]] Result<std::optional<QString>> getItem(const QString &key);
    // Quota applies: an item that would overflow it is refused (ErrorCode::Quota) and not kept.
    [[nodiscard]] Result<void> setItem(const QString &key, const QString &value);
    [[nodiscard]] Result<void> removeItem(const QString &key);
    [[nodiscard]] Result<QStringList> keys();
    // Bytes the items take against the quota: 2 per UTF-16 unit of each key and value.
    [[nodiscard]] Result<qint64> usedBytes();

    // "tensorflowjs_models/<path>/<suffix>"
    static QString itemKey(const QString &path, const QString &suffix);

    [[nodiscard]] Result<std::vector<StoredModel>> listModels() override;
    // TF.js's order of checks and messages ("In local storage, there is no model with name
    // '<p>'", "... the topology of model '<p>' is missing." ...).
    [[nodiscard]] Result<ModelArtifacts> loadModel(const QString &path);
    // Writes the five items in one transaction. A model at `path` is handled as `existing`
    // says: refused (checked before the weights are read and again in the transaction) or
    // moved to the trash. Over the quota: ErrorCode::Quota with TF.js's message, and the store
    // as it was (the old model kept).
    [[nodiscard]] Result<ModelArtifactsInfo> saveModel(const QString &path, const ModelArtifacts &artifacts,
                                         JobContext *ctx, Durability durability,
                                         Existing existing);
    [[nodiscard]] Result<bool> hasModel(const QString &path);
    // "Cannot find model at path '<p>'" when missing.
    [[nodiscard]] Result<ModelArtifactsInfo> removeModel(const QString &path) override;
    [[nodiscard]] Result<ModelArtifactsInfo> deleteModel(const QString &path) override;
    [[nodiscard]] Result<void> checkCanRemove() override;
    [[nodiscard]] Result<ModelArtifactsInfo> renameModel(const QString &from, const QString &to,
                                           Existing existing) override;
    [[nodiscard]] Result<std::vector<TrashEntry>> listTrash() override;
    // Over the quota: ErrorCode::Quota, and the entry stays in the trash.
    [[nodiscard]] Result<StoredModel> restoreFromTrash(qint64 id, const QString &to, Existing existing) override;
    [[nodiscard]] Result<std::vector<TrashEntry>> deleteFromTrash(const std::vector<qint64> &ids) override;
    [[nodiscard]] Result<int> emptyTrash(const QDateTime &removedBefore) override;

private:
    LocalStorageStore(QString dir, qint64 quota, int busyTimeoutMs);
    // Like IndexedDbStore's: `create` false leaves a missing database missing (m_db null).
    [[nodiscard]] Result<void> requireDatabase(bool create = true);
    [[nodiscard]] Result<std::optional<QString>> getItemLocked(const QString &key);
    [[nodiscard]] Result<LocalStorageItems> itemsLocked(const QString &path);
    // Puts the non-missing items at `path` (inside a transaction).
    [[nodiscard]] Result<void> putItemsLocked(const QString &path, const LocalStorageItems &items);
    [[nodiscard]] Result<void> deleteItemsLocked(const QString &path);
    // Inside a transaction: `overflow(usedBytes)` when the items exceed the quota.
    [[nodiscard]] Result<void> withinQuota(const std::function<Error(qint64 used)> &overflow);
    // One write transaction that first purges expired trash.
    [[nodiscard]] Result<void> change(Durability durability, const std::function<Result<void>()> &body);
    Trash trash();
    QString trashName() const; // "the IndexedDB store <file>", for messages
    Trash::Transaction changes(); // change() for Trash
    [[nodiscard]] Result<void> trashModel(const QString &path, TrashReason reason);
    [[nodiscard]] Result<ModelArtifactsInfo> remove(const QString &path, bool toTrash);

    QString m_dir;
    qint64 m_quota;
    int m_busyTimeoutMs;
    std::unique_ptr<SqliteConnection> m_db; // null: a store not created yet, opened for reading
    Clock m_clock;
};

// localstorage://PATH
class LocalStorageHandler final : public IOHandler
{
public:
    LocalStorageHandler(QString storeDir, qint64 quotaBytes, QString modelPath);

    [[nodiscard]] Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) override;
    [[nodiscard]] Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override;
    [[nodiscard]] Result<bool> hasModel() override;

private:
    QString m_storeDir;
    qint64 m_quota;
    QString m_path;
};

} // namespace tfjs

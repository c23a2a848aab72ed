#pragma once

#include "iohandler.h"
#include "modelstoremanager.h"

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
// One object per thread: it owns a database connection.
class LocalStorageStore final : public ModelStoreManager
{
public:
    enum class Access { Read, Write }; // Read: a missing store reads as empty, nothing created
    static constexpr int kSchemaVersion = 1;
    static constexpr const char *kDatabaseFile = "localstorage.sqlite";

    ~LocalStorageStore() override;
    static constexpr int kBusyTimeoutMs = 30000;
    static Result<std::unique_ptr<LocalStorageStore>> open(const QString &dir, qint64 quotaBytes,
                                                           Access access,
                                                           int busyTimeoutMs = kBusyTimeoutMs);

    QString databaseFile() const;
    qint64 quotaBytes() const { return m_quota; }

    // The Storage interface (what TF.js's own tests poke at).
    Result<std::optional<QString>> getItem(const QString &key);
    // Quota applies: an item that would overflow it is refused (ErrorCode::Quota) and not kept.
    Result<void> setItem(const QString &key, const QString &value);
    Result<void> removeItem(const QString &key);
    Result<QStringList> keys();
    // Bytes the items take against the quota: 2 per UTF-16 unit of each key and value.
    Result<qint64> usedBytes();

    // "tensorflowjs_models/<path>/<suffix>"
    static QString itemKey(const QString &path, const QString &suffix);

    Result<std::vector<StoredModel>> listModels() override;
    // TF.js's order of checks and messages ("In local storage, there is no model with name
    // '<p>'", "... the topology of model '<p>' is missing." ...).
    Result<ModelArtifacts> loadModel(const QString &path);
    // Writes the five items in one transaction, replacing a model at `path`. Over the quota:
    // ErrorCode::Quota with TF.js's message, and the store as it was (the old model kept).
    Result<ModelArtifactsInfo> saveModel(const QString &path, const ModelArtifacts &artifacts,
                                         JobContext *ctx,
                                         Durability durability = Durability::Relaxed);
    // "Cannot find model at path '<p>'" when missing.
    Result<ModelArtifactsInfo> removeModel(const QString &path) override;
    Result<ModelArtifactsInfo> renameModel(const QString &from, const QString &to) override;

private:
    LocalStorageStore(QString dir, qint64 quota, int busyTimeoutMs);
    Result<void> requireDatabase();
    Result<std::optional<QString>> getItemLocked(const QString &key);
    Result<void> checkQuota(const QString &path, const ModelArtifactsInfo &info);

    QString m_dir;
    qint64 m_quota;
    int m_busyTimeoutMs;
    std::unique_ptr<SqliteConnection> m_db; // null: a store not created yet, opened for reading
};

// localstorage://PATH
class LocalStorageHandler final : public IOHandler
{
public:
    LocalStorageHandler(QString storeDir, qint64 quotaBytes, QString modelPath);

    Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) override;
    Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override;

private:
    QString m_storeDir;
    qint64 m_quota;
    QString m_path;
};

} // namespace tfjs

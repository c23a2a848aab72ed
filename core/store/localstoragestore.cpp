#include "localstoragestore.h"

#include "format/localstorageitems.h"
#include "base/job.h"
#include "io/sqliteconnection.h"
#include "format/weightlayout.h"

#include <algorithm>
#include <array>

namespace tfjs {

namespace {

const QString kWhat = QStringLiteral("localStorage store");
const QString kScheme = QStringLiteral("localstorage://");
const QString kPrefix = QStringLiteral("tensorflowjs_models/");
const QString kInfo = QStringLiteral("info");
const std::array<QString, 5> &kSuffixes = localStorageSuffixes();

// Bytes of UTF-16 text (SQLite counts a BLOB cast of UTF-16 text in bytes).
const QString kUsedSql = QStringLiteral(
    "SELECT COALESCE(SUM(length(CAST(key AS BLOB)) + length(CAST(value AS BLOB))), 0) "
    "FROM ItemTable");

std::vector<SqliteConnection::Migration> migrations()
{
    return {
        // 1: the first release. Chromium's old localStorage databases had the same table.
        [](SqliteConnection &db) -> Result<void> {
            auto made = db.exec(QStringLiteral(
                "CREATE TABLE ItemTable (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"));
            if (!made)
                return fail(made.error());
            return {};
        },
        // 2: the trash; the info item goes to modelArtifactsInfo, the others to their columns.
        [](SqliteConnection &db) -> Result<void> {
            return Trash::createTable(db, QStringLiteral("model_topology TEXT, weight_specs TEXT, "
                                                         "weight_data TEXT, model_metadata TEXT"));
        },
    };
}

QString stripScheme(const QString &path)
{
    return path.startsWith(kScheme) ? path.mid(kScheme.size()) : path;
}

QString text(const Json &json)
{
    return QString::fromStdString(stringify(json));
}

Error quotaError(const QString &path, const ModelArtifactsInfo &info, qint64 needed, qint64 quota)
{
    Error error = pathError(ErrorCode::Quota,
                            QStringLiteral("Failed to save model '%1' to local storage: size quota "
                                           "being exceeded is a possible cause of this failure: "
                                           "modelTopologyBytes=%2, weightSpecsBytes=%3, "
                                           "weightDataBytes=%4.")
                                .arg(path)
                                .arg(info.modelTopologyBytes)
                                .arg(info.weightSpecsBytes)
                                .arg(info.weightDataBytes),
                            path);
    error.detail = QStringLiteral("the items would take %1 bytes of the %2-byte quota")
                       .arg(needed)
                       .arg(quota);
    return error;
}

} // namespace

LocalStorageStore::LocalStorageStore(QString dir, qint64 quota, int busyTimeoutMs)
    : m_dir(std::move(dir)), m_quota(quota), m_busyTimeoutMs(busyTimeoutMs),
      m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
}

LocalStorageStore::~LocalStorageStore() = default;

QString LocalStorageStore::databaseFile() const
{
    return m_dir + QLatin1Char('/') + QLatin1String(kDatabaseFile);
}

QString LocalStorageStore::itemKey(const QString &path, const QString &suffix)
{
    return localStorageKey(path, suffix);
}

Result<std::unique_ptr<LocalStorageStore>> LocalStorageStore::open(const QString &dir,
                                                                   qint64 quotaBytes, Access access,
                                                                   int busyTimeoutMs)
{
    auto folder = storeFolder(dir);
    if (!folder)
        return fail(folder.error());
    std::unique_ptr<LocalStorageStore> store(new LocalStorageStore(*folder, quotaBytes, busyTimeoutMs));
    if (auto ready = store->requireDatabase(access == Access::Write); !ready)
        return fail(ready.error());
    return store;
}

Result<void> LocalStorageStore::requireDatabase(bool create)
{
    SqliteConnection::Options options;
    options.encoding = QStringLiteral("UTF-16le");
    options.busyTimeoutMs = m_busyTimeoutMs;
    return SqliteConnection::openStoreOnce(m_db, m_dir, databaseFile(), kWhat, options,
                                           migrations(), create);
}

Result<std::optional<QString>> LocalStorageStore::getItemLocked(const QString &key)
{
    auto value = m_db->scalar(QStringLiteral("SELECT value FROM ItemTable WHERE key = ?"), {key});
    if (!value)
        return fail(value.error());
    if (!value->isValid())
        return std::optional<QString>();
    return std::optional<QString>(value->toString());
}

Result<std::optional<QString>> LocalStorageStore::getItem(const QString &key)
{
    if (!m_db)
        return std::optional<QString>();
    return getItemLocked(key);
}

Result<void> LocalStorageStore::setItem(const QString &key, const QString &value)
{
    if (auto ready = requireDatabase(); !ready)
        return ready;
    return change(Durability::Relaxed, [&]() -> Result<void> {
        auto put = m_db->exec(QStringLiteral("INSERT OR REPLACE INTO ItemTable (key, value) "
                                             "VALUES (?, ?)"),
                              {key, value});
        if (!put)
            return fail(put.error());
        return withinQuota([&key](qint64) {
            return pathError(ErrorCode::Quota,
                             QStringLiteral("Failed to execute 'setItem' on 'Storage': Setting the "
                                            "value of '%1' exceeded the quota.")
                                 .arg(key),
                             key);
        });
    });
}

Result<void> LocalStorageStore::withinQuota(const std::function<Error(qint64 used)> &overflow)
{
    auto used = m_db->scalar(kUsedSql);
    if (!used)
        return fail(used.error());
    if (used->toLongLong() > m_quota)
        return fail(overflow(used->toLongLong()));
    return {};
}

Result<LocalStorageItems> LocalStorageStore::itemsLocked(const QString &path)
{
    LocalStorageItems items;
    for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
        auto value = getItemLocked(itemKey(path, kSuffixes[i]));
        if (!value)
            return fail(value.error());
        items[i] = std::move(*value);
    }
    return items;
}

Result<void> LocalStorageStore::putItemsLocked(const QString &path, const LocalStorageItems &items)
{
    for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
        if (!items[i])
            continue;
        if (auto put = m_db->exec(QStringLiteral("INSERT OR REPLACE INTO ItemTable (key, value) "
                                                 "VALUES (?, ?)"),
                                  {itemKey(path, kSuffixes[i]), *items[i]});
            !put)
            return fail(put.error());
    }
    return {};
}

Result<void> LocalStorageStore::deleteItemsLocked(const QString &path)
{
    for (const QString &suffix : kSuffixes) {
        if (auto done = m_db->exec(QStringLiteral("DELETE FROM ItemTable WHERE key = ?"),
                                   {itemKey(path, suffix)});
            !done)
            return fail(done.error());
    }
    return {};
}

Result<void> LocalStorageStore::change(Durability durability,
                                       const std::function<Result<void>()> &body)
{
    return m_db->writeTransaction(durability, [&]() -> Result<void> {
        if (auto expired = trash().purge(m_clock().addDays(-kTrashDays)); !expired)
            return fail(expired.error());
        return body();
    });
}

Result<void> LocalStorageStore::removeItem(const QString &key)
{
    if (!m_db)
        return {};
    auto removed = m_db->exec(QStringLiteral("DELETE FROM ItemTable WHERE key = ?"), {key});
    if (!removed)
        return fail(removed.error());
    return {};
}

Result<QStringList> LocalStorageStore::keys()
{
    QStringList out;
    if (!m_db)
        return out;
    auto query = m_db->exec(QStringLiteral("SELECT key FROM ItemTable"));
    if (!query)
        return fail(query.error());
    while (query->next())
        out << query->value(0).toString();
    out.sort();
    return out;
}

Result<qint64> LocalStorageStore::usedBytes()
{
    if (!m_db)
        return 0;
    auto used = m_db->scalar(kUsedSql);
    if (!used)
        return fail(used.error());
    return used->toLongLong();
}

Result<std::vector<StoredModel>> LocalStorageStore::listModels()
{
    std::vector<StoredModel> out;
    if (!m_db)
        return out;
    auto query = m_db->exec(QStringLiteral("SELECT key, value FROM ItemTable WHERE "
                                           "substr(key, 1, ?) = ? AND substr(key, -5) = '/info'"),
                            {kPrefix.size(), kPrefix});
    if (!query)
        return fail(query.error());
    while (query->next()) {
        const QString key = query->value(0).toString();
        if (key.size() <= kPrefix.size() + 5)
            continue; // "tensorflowjs_models//info" has an empty path; TF.js would list "".
        const QString path = key.mid(kPrefix.size(), key.size() - kPrefix.size() - 5);
        auto json = parseLocalStorageItem(query->value(1).toString(), key);
        if (!json)
            return fail(json.error());
        ModelArtifactsInfo info;
        if (*json) {
            auto parsed = ModelArtifactsInfo::fromJson(**json);
            if (!parsed)
                return fail(pathError(ErrorCode::Format,
                                      QStringLiteral("The local storage item '%1' is not a model "
                                                     "info: %2")
                                          .arg(key, parsed.error().message),
                                      path));
            info = *parsed;
        }
        out.push_back({path, info});
    }
    std::sort(out.begin(), out.end(),
              [](const StoredModel &a, const StoredModel &b) { return a.path < b.path; });
    return out;
}

Result<ModelArtifacts> LocalStorageStore::loadModel(const QString &path)
{
    LocalStorageItems items;
    if (m_db) {
        // One snapshot: a concurrent save is seen entirely or not at all.
        auto read = valueIn<LocalStorageItems>(
            [this](const auto &body) { return m_db->readTransaction(body); },
            [&] { return itemsLocked(path); });
        if (!read)
            return fail(read.error());
        items = std::move(*read);
    }
    return artifactsFromItems(items, path);
}

Result<ModelArtifactsInfo> LocalStorageStore::saveModel(const QString &path,
                                                        const ModelArtifacts &artifacts,
                                                        JobContext *ctx, Durability durability,
                                                        Existing existing)
{
    if (path.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("For local storage, modelPath must not be null, undefined or "
                                   "empty."));
    // Refuse before reading any weight byte; the transaction checks again.
    if (auto free = refuseExisting(existing, [&] { return hasModel(path); }, kScheme + path, path);
        !free)
        return fail(free.error());
    if (!artifacts.hasTopology())
        return fail(pathError(ErrorCode::Format,
                              QStringLiteral("Cannot save '%1' to local storage: the model has no "
                                             "topology, and TF.js cannot load a model without one "
                                             "from local storage.")
                                  .arg(path),
                              path));
    const ModelArtifactsInfo info = artifactsInfo(artifacts); // dated before the write, as TF.js
    const QString infoText = text(info.toJson());
    const QString topologyText = text(*artifacts.modelTopology);
    // A model without a weights manifest is stored with no specs (TF.js would store the text
    // "undefined", which its own load cannot parse).
    const QString specsText =
        text(artifacts.weightSpecs ? specsToJson(*artifacts.weightSpecs) : Json::array());
    const QString metadataText = text(localStorageMetadata(artifacts));

    // Refuse before reading the weights when the text alone cannot fit.
    const qint64 base64Units = 4 * ((artifacts.weightData.size() + 2) / 3);
    qint64 units = base64Units + infoText.size() + topologyText.size() + specsText.size()
                   + metadataText.size();
    for (const QString &suffix : kSuffixes)
        units += itemKey(path, suffix).size();
    if (2 * units > m_quota)
        return fail(quotaError(path, info, 2 * units, m_quota));
    // Then the layout (string prefixes are read), before the weights are read to be encoded.
    if (auto checked = checkWeightLayout(artifacts, ctx); !checked)
        return fail(checked.error());

    if (ctx)
        ctx->setStage(QStringLiteral("Encoding weights for local storage"),
                      artifacts.weightData.size());
    auto bytes = artifacts.weightData.readAll(ctx);
    if (!bytes)
        return fail(bytes.error());
    const QString dataText = QString::fromLatin1(bytes->toBase64());
    if (ctx && ctx->isCancelled())
        return fail(cancelledError());

    if (auto ready = requireDatabase(); !ready)
        return fail(ready.error());
    const LocalStorageItems values = {infoText, topologyText, specsText, dataText, metadataText};
    auto saved = change(durability, [&]() -> Result<void> {
        if (auto room = trash().makeRoom(path, existing); !room)
            return room;
        if (auto put = putItemsLocked(path, values); !put)
            return put;
        return withinQuota([&](qint64 used) { return quotaError(path, info, used, m_quota); });
    });
    if (!saved)
        return fail(saved.error());
    return info;
}

Result<bool> LocalStorageStore::hasModel(const QString &path)
{
    if (!m_db)
        return false;
    auto value = getItemLocked(itemKey(stripScheme(path), kInfo));
    if (!value)
        return fail(value.error());
    return value->has_value();
}

Result<ModelArtifactsInfo> LocalStorageStore::removeModel(const QString &path)
{
    return remove(path, true);
}

Result<void> LocalStorageStore::checkCanRemove()
{
    if (const std::optional<Error> why = m_db ? m_db->immutableError() : std::nullopt)
        return fail(*why);
    return {};
}

Result<ModelArtifactsInfo> LocalStorageStore::deleteModel(const QString &path)
{
    return remove(path, false);
}

Result<ModelArtifactsInfo> LocalStorageStore::remove(const QString &pathOrUrl, bool toTrash)
{
    const QString path = stripScheme(pathOrUrl);
    const auto missing = [&path] {
        return fail(pathError(ErrorCode::NotFound,
                              QStringLiteral("Cannot find model at path '%1'").arg(path), path));
    };
    if (!m_db)
        return missing();
    ModelArtifactsInfo info;
    auto removed = change(Durability::Relaxed, [&]() -> Result<void> {
        auto value = getItemLocked(itemKey(path, kInfo));
        if (!value)
            return fail(value.error());
        if (!*value)
            return missing();
        if (auto json = parseLocalStorageItem(*value, itemKey(path, kInfo)); json && *json) {
            if (auto parsed = ModelArtifactsInfo::fromJson(**json))
                info = *parsed;
        }
        return toTrash ? trashModel(path, TrashReason::Removed) : deleteItemsLocked(path);
    });
    if (!removed)
        return fail(removed.error());
    return info;
}

Result<ModelArtifactsInfo> LocalStorageStore::renameModel(const QString &fromUrl,
                                                          const QString &toUrl, Existing existing)
{
    const QString from = stripScheme(fromUrl);
    const QString to = stripScheme(toUrl);
    const auto missing = [&from] {
        return fail(pathError(ErrorCode::NotFound,
                              QStringLiteral("In local storage, there is no model with name '%1'")
                                  .arg(from),
                              from));
    };
    if (to.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("For local storage, modelPath must not be null, undefined or "
                                   "empty."));
    if (!m_db)
        return missing();
    ModelArtifactsInfo info;
    auto renamed = change(Durability::Relaxed, [&]() -> Result<void> {
        auto items = itemsLocked(from);
        if (!items)
            return fail(items.error());
        if (!(*items)[0])
            return missing();
        if (auto json = parseLocalStorageItem((*items)[0], itemKey(from, kInfo)); json && *json) {
            if (auto parsed = ModelArtifactsInfo::fromJson(**json))
                info = *parsed;
        }
        if (from == to)
            return {};
        if (auto room = trash().makeRoom(to, existing); !room)
            return room;
        for (const QString &path : {from, to}) {
            if (auto deleted = deleteItemsLocked(path); !deleted)
                return deleted;
        }
        if (auto put = putItemsLocked(to, *items); !put)
            return put;
        return withinQuota([&](qint64) {
            return pathError(ErrorCode::Quota,
                             QStringLiteral("Cannot rename model '%1' to '%2' in local storage: the "
                                            "longer keys would exceed the %3-byte quota.")
                                 .arg(from, to)
                                 .arg(m_quota),
                             from);
        });
    });
    if (!renamed)
        return fail(renamed.error());
    return info;
}

Result<bool> LocalStorageHandler::hasModel()
{
    auto store = LocalStorageStore::open(m_storeDir, m_quota, LocalStorageStore::Access::Read);
    if (!store)
        return fail(store.error());
    return (*store)->hasModel(m_path);
}

LocalStorageHandler::LocalStorageHandler(QString storeDir, qint64 quotaBytes, QString modelPath)
    : m_storeDir(std::move(storeDir)), m_quota(quotaBytes), m_path(std::move(modelPath))
{
}

Result<ModelArtifacts> LocalStorageHandler::load(JobContext &ctx, const LoadOptions &options)
{
    Q_UNUSED(options) // the items hold everything; the weights are small by construction
    ctx.setStage(QStringLiteral("Reading %1%2").arg(kScheme, m_path), 0);
    auto store = LocalStorageStore::open(m_storeDir, m_quota, LocalStorageStore::Access::Read);
    if (!store)
        return fail(store.error());
    return (*store)->loadModel(m_path);
}

Result<SaveResult> LocalStorageHandler::save(const ModelArtifacts &artifacts, JobContext &ctx)
{
    auto store = LocalStorageStore::open(m_storeDir, m_quota, LocalStorageStore::Access::Write);
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

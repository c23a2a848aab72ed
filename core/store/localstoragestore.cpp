#include "localstoragestore.h"

#include "job.h"
#include "sqliteconnection.h"
#include "weightlayout.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <array>

namespace tfjs {

namespace {

const QString kWhat = QStringLiteral("localStorage store");
const QString kScheme = QStringLiteral("localstorage://");
const QString kPrefix = QStringLiteral("tensorflowjs_models/");
const QString kInfo = QStringLiteral("info");
const QString kTopology = QStringLiteral("model_topology");
const QString kSpecs = QStringLiteral("weight_specs");
const QString kData = QStringLiteral("weight_data");
const QString kMetadata = QStringLiteral("model_metadata");
// TF.js writes (and removes) the items in this order.
const std::array<QString, 5> kSuffixes = {kInfo, kTopology, kSpecs, kData, kMetadata};

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

// JSON.parse of an item; a missing item is nullopt, as JSON.parse(null) gives null.
Result<std::optional<Json>> parseItem(const std::optional<QString> &value, const QString &key)
{
    if (!value)
        return std::optional<Json>();
    const QByteArray utf8 = value->toUtf8();
    auto json = parseJson(std::string_view(utf8.constData(), std::size_t(utf8.size())),
                          QStringLiteral("local storage item '%1'").arg(key));
    if (!json)
        return fail(json.error());
    if (json->is_null())
        return std::optional<Json>();
    return std::optional<Json>(std::move(*json));
}

Error pathError(ErrorCode code, const QString &message, const QString &path)
{
    Error error{code, message};
    error.path = path;
    return error;
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

// What TF.js's save writes under model_metadata, in its key order: format, generatedBy and
// convertedBy as given (undefined ones vanish, null stays), the others only when non-null.
Json metadataJson(const ModelArtifacts &artifacts)
{
    Json json = Json::object();
    const auto asGiven = [&json](const char *key, const std::optional<Json> &value) {
        if (value)
            json[key] = *value;
    };
    const auto nonNull = [&json](const char *key, const std::optional<Json> &value) {
        if (value && !value->is_null())
            json[key] = *value;
    };
    asGiven("format", artifacts.format);
    asGiven("generatedBy", artifacts.generatedBy);
    asGiven("convertedBy", artifacts.convertedBy);
    nonNull("signature", artifacts.signature);
    nonNull("userDefinedMetadata", artifacts.userDefinedMetadata);
    nonNull("modelInitializer", artifacts.modelInitializer);
    nonNull("initializerSignature", artifacts.initializerSignature);
    nonNull("trainingConfig", artifacts.trainingConfig);
    return json;
}

} // namespace

LocalStorageStore::LocalStorageStore(QString dir, qint64 quota, int busyTimeoutMs)
    : m_dir(std::move(dir)), m_quota(quota), m_busyTimeoutMs(busyTimeoutMs)
{
}

LocalStorageStore::~LocalStorageStore() = default;

QString LocalStorageStore::databaseFile() const
{
    return m_dir + QLatin1Char('/') + QLatin1String(kDatabaseFile);
}

QString LocalStorageStore::itemKey(const QString &path, const QString &suffix)
{
    return kPrefix + path + QLatin1Char('/') + suffix;
}

Result<std::unique_ptr<LocalStorageStore>> LocalStorageStore::open(const QString &dir,
                                                                   qint64 quotaBytes, Access access,
                                                                   int busyTimeoutMs)
{
    if (dir.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The store folder is empty."));
    const QString folder = QDir::cleanPath(QDir(dir).absolutePath());
    std::unique_ptr<LocalStorageStore> store(new LocalStorageStore(folder, quotaBytes, busyTimeoutMs));
    if (access == Access::Read && !QFileInfo::exists(store->databaseFile()))
        return store;
    if (auto ready = store->requireDatabase(); !ready)
        return fail(ready.error());
    return store;
}

Result<void> LocalStorageStore::requireDatabase()
{
    if (m_db)
        return {};
    if (!QDir().mkpath(m_dir))
        return fail(pathError(ErrorCode::Io,
                              QStringLiteral("Cannot create the store folder %1.").arg(m_dir), m_dir));
    SqliteConnection::Options options;
    options.encoding = QStringLiteral("UTF-16le");
    options.busyTimeoutMs = m_busyTimeoutMs;
    auto connection = SqliteConnection::open(databaseFile(), kWhat, options);
    if (!connection)
        return fail(connection.error());
    if (auto migrated = (*connection)->migrate(migrations()); !migrated)
        return fail(migrated.error());
    m_db = std::move(*connection);
    return {};
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
    return m_db->writeTransaction([&]() -> Result<void> {
        auto put = m_db->exec(QStringLiteral("INSERT OR REPLACE INTO ItemTable (key, value) "
                                             "VALUES (?, ?)"),
                              {key, value});
        if (!put)
            return fail(put.error());
        auto used = m_db->scalar(kUsedSql);
        if (!used)
            return fail(used.error());
        if (used->toLongLong() > m_quota)
            return fail(pathError(ErrorCode::Quota,
                                  QStringLiteral("Failed to execute 'setItem' on 'Storage': Setting "
                                                 "the value of '%1' exceeded the quota.")
                                      .arg(key),
                                  key));
        return {};
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
        auto json = parseItem(query->value(1).toString(), key);
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
    const auto missing = [&path](const QString &message) {
        return fail(pathError(ErrorCode::NotFound, message.arg(path), path));
    };
    std::optional<QString> items[5];
    if (m_db) {
        // One snapshot: a concurrent save is seen entirely or not at all.
        auto read = m_db->readTransaction([&]() -> Result<void> {
            for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
                auto value = getItemLocked(itemKey(path, kSuffixes[i]));
                if (!value)
                    return fail(value.error());
                items[i] = std::move(*value);
            }
            return {};
        });
        if (!read)
            return fail(read.error());
    }
    auto info = parseItem(items[0], itemKey(path, kInfo));
    if (!info)
        return fail(info.error());
    if (!*info)
        return missing(QStringLiteral("In local storage, there is no model with name '%1'"));
    const auto type = (*info)->find("modelTopologyType");
    if (!(*info)->is_object() || type == (*info)->end() || *type != "JSON")
        return fail(pathError(ErrorCode::Unsupported,
                              QStringLiteral("BrowserLocalStorage does not support loading non-JSON "
                                             "model topology yet."),
                              path));

    ModelArtifacts artifacts;
    auto topology = parseItem(items[1], itemKey(path, kTopology));
    if (!topology)
        return fail(topology.error());
    if (!*topology)
        return missing(QStringLiteral("In local storage, the topology of model '%1' is missing."));
    artifacts.modelTopology = std::move(**topology);

    const QString where = kScheme + path;
    auto specs = parseItem(items[2], itemKey(path, kSpecs));
    if (!specs)
        return fail(specs.error());
    if (!*specs)
        return missing(QStringLiteral("In local storage, the weight specs of model '%1' are "
                                      "missing."));
    if (!(*specs)->is_array())
        return fail(pathError(ErrorCode::Format,
                              QStringLiteral("The local storage item '%1' is not a list of weight "
                                             "specs.")
                                  .arg(itemKey(path, kSpecs)),
                              path));
    std::vector<WeightSpec> parsedSpecs;
    for (const Json &entry : **specs) {
        auto spec = parseWeightSpec(entry, where);
        if (!spec)
            return fail(spec.error());
        parsedSpecs.push_back(std::move(*spec));
    }
    artifacts.weightSpecs = std::move(parsedSpecs);

    // Older saves have no metadata item; its fields then stay absent.
    auto metadata = parseItem(items[4], itemKey(path, kMetadata));
    if (!metadata)
        return fail(metadata.error());
    if (*metadata && (*metadata)->is_object()) {
        const Json &m = **metadata;
        const auto copy = [&m](const char *key, std::optional<Json> &field, bool keepNull) {
            const auto it = m.find(key);
            if (it != m.end() && (keepNull || !it->is_null()))
                field = *it;
        };
        copy("format", artifacts.format, true);
        copy("generatedBy", artifacts.generatedBy, true);
        copy("convertedBy", artifacts.convertedBy, true);
        copy("signature", artifacts.signature, false);
        copy("userDefinedMetadata", artifacts.userDefinedMetadata, false);
        copy("modelInitializer", artifacts.modelInitializer, false);
        copy("initializerSignature", artifacts.initializerSignature, false);
        copy("trainingConfig", artifacts.trainingConfig, false);
    }

    if (!items[3])
        return missing(QStringLiteral("In local storage, the binary weight values of model '%1' "
                                      "are missing."));
    auto bytes = QByteArray::fromBase64Encoding(items[3]->toLatin1(),
                                                QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes)
        return fail(pathError(ErrorCode::Format,
                              QStringLiteral("The local storage item '%1' is not valid base64.")
                                  .arg(itemKey(path, kData)),
                              path));
    artifacts.weightData = WeightData::fromBytes(std::move(*bytes), where);
    if (auto checked = checkWeightLayout(*artifacts.weightSpecs, artifacts.weightData, where);
        !checked)
        return fail(checked.error());
    return artifacts;
}

Result<ModelArtifactsInfo> LocalStorageStore::saveModel(const QString &path,
                                                        const ModelArtifacts &artifacts,
                                                        JobContext *ctx, Durability durability)
{
    if (path.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("For local storage, modelPath must not be null, undefined or "
                                   "empty."));
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
    const QString metadataText = text(metadataJson(artifacts));

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
    const QString values[5] = {infoText, topologyText, specsText, dataText, metadataText};
    auto saved = m_db->writeTransaction(durability, [&]() -> Result<void> {
        for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
            auto put = m_db->exec(QStringLiteral("INSERT OR REPLACE INTO ItemTable (key, value) "
                                                 "VALUES (?, ?)"),
                                  {itemKey(path, kSuffixes[i]), values[i]});
            if (!put)
                return fail(put.error());
        }
        auto used = m_db->scalar(kUsedSql);
        if (!used)
            return fail(used.error());
        if (used->toLongLong() > m_quota)
            return fail(quotaError(path, info, used->toLongLong(), m_quota));
        return {};
    });
    if (!saved)
        return fail(saved.error());
    return info;
}

Result<ModelArtifactsInfo> LocalStorageStore::removeModel(const QString &pathOrUrl)
{
    const QString path = stripScheme(pathOrUrl);
    const auto missing = [&path] {
        return fail(pathError(ErrorCode::NotFound,
                              QStringLiteral("Cannot find model at path '%1'").arg(path), path));
    };
    if (!m_db)
        return missing();
    ModelArtifactsInfo info;
    auto removed = m_db->writeTransaction([&]() -> Result<void> {
        auto value = getItemLocked(itemKey(path, kInfo));
        if (!value)
            return fail(value.error());
        if (!*value)
            return missing();
        if (auto json = parseItem(*value, itemKey(path, kInfo)); json && *json) {
            if (auto parsed = ModelArtifactsInfo::fromJson(**json))
                info = *parsed;
        }
        for (const QString &suffix : kSuffixes) {
            if (auto done = m_db->exec(QStringLiteral("DELETE FROM ItemTable WHERE key = ?"),
                                       {itemKey(path, suffix)});
                !done)
                return fail(done.error());
        }
        return {};
    });
    if (!removed)
        return fail(removed.error());
    return info;
}

Result<ModelArtifactsInfo> LocalStorageStore::renameModel(const QString &fromUrl,
                                                          const QString &toUrl)
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
    auto renamed = m_db->writeTransaction([&]() -> Result<void> {
        std::optional<QString> items[5];
        for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
            auto value = getItemLocked(itemKey(from, kSuffixes[i]));
            if (!value)
                return fail(value.error());
            items[i] = std::move(*value);
        }
        if (!items[0])
            return missing();
        if (auto json = parseItem(items[0], itemKey(from, kInfo)); json && *json) {
            if (auto parsed = ModelArtifactsInfo::fromJson(**json))
                info = *parsed;
        }
        if (from == to)
            return {};
        for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
            for (const QString &path : {from, to}) {
                if (auto done = m_db->exec(QStringLiteral("DELETE FROM ItemTable WHERE key = ?"),
                                           {itemKey(path, kSuffixes[i])});
                    !done)
                    return fail(done.error());
            }
            if (!items[i])
                continue;
            if (auto put = m_db->exec(QStringLiteral("INSERT INTO ItemTable (key, value) VALUES "
                                                     "(?, ?)"),
                                      {itemKey(to, kSuffixes[i]), *items[i]});
                !put)
                return fail(put.error());
        }
        auto used = m_db->scalar(kUsedSql);
        if (!used)
            return fail(used.error());
        if (used->toLongLong() > m_quota)
            return fail(pathError(ErrorCode::Quota,
                                  QStringLiteral("Cannot rename model '%1' to '%2' in local storage: "
                                                 "the longer keys would exceed the %3-byte quota.")
                                      .arg(from, to)
                                      .arg(m_quota),
                                  from));
        return {};
    });
    if (!renamed)
        return fail(renamed.error());
    return info;
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
    auto info = (*store)->saveModel(m_path, artifacts, &ctx, durability());
    if (!info)
        return fail(info.error());
    SaveResult result;
    result.modelArtifactsInfo = *info;
    result.files << kScheme + m_path;
    return result;
}

} // namespace tfjs

#include "firefoxidb.h"

#include "firefoxkey.h"
#include "profiledatabase.h"
#include "framedvalueinput.h"
#include "snappydecode.h"
#include "structuredclone.h"
#include "tfjsrecord.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace tfjs {

namespace {

constexpr int kSchemaMajor = 26;
constexpr quint32 kFramedSnappyFlags = 1; // the flags of an external value: snappy framing
constexpr int kReadAttempts = 3;
const QString kDatabaseName = QStringLiteral("tensorflowjs");
const QString kModelsStore = QStringLiteral("models_store");
const QString kInfoStore = QStringLiteral("model_info_store");

struct TfjsDatabase
{
    std::unique_ptr<ProfileDatabase> db;
    QString origin;
    QString filesDir; // <hash>.files beside <hash>.sqlite
};

// nullopt: the database is not TF.js's.
Result<std::optional<TfjsDatabase>> openTfjsDatabase(const QString &file)
{
    auto db = ProfileDatabase::open(file, QStringLiteral("Firefox IndexedDB database"));
    if (!db)
        return fail(db.error());
    if (auto schema = (*db)->requireMozillaSchema(kSchemaMajor); !schema)
        return fail(schema.error());
    auto query = (*db)->exec(QStringLiteral("SELECT name, origin FROM database"));
    if (!query)
        return fail(query.error());
    if (!query->next())
        return fail((*db)->error(ErrorCode::Format, QStringLiteral("its database table is empty.")));
    if (query->value(0).toString() != kDatabaseName)
        return std::optional<TfjsDatabase>();
    TfjsDatabase out;
    out.origin = query->value(1).toString();
    out.filesDir = file.chopped(QStringLiteral(".sqlite").size()) + QStringLiteral(".files");
    out.db = std::move(*db);
    return std::optional<TfjsDatabase>(std::move(out));
}

Result<qint64> objectStoreId(ProfileDatabase &db, const QString &name)
{
    auto id = db.scalar(QStringLiteral("SELECT id FROM object_store WHERE name = ?"), {name});
    if (!id)
        return fail(id.error());
    if (!id->isValid())
        return fail(db.error(ErrorCode::Format,
                             QStringLiteral("TF.js's database has no object store '%1'.").arg(name)));
    return id->toLongLong();
}

Error recordError(ErrorCode code, const QString &where, const QString &message)
{
    Error error{code, QStringLiteral("%1: %2").arg(where, message)};
    error.path = where;
    return error;
}

// The value of an external record: file_ids' entry `index`, ".<id>", is <files>/<id>, in
// snappy framing, read in place (framedvalueinput.h).
Result<std::unique_ptr<FramedValueInput>> externalValue(const TfjsDatabase &db, quint64 data,
                                                        const QString &fileIds,
                                                        const QString &where)
{
    const quint32 flags = quint32(data >> 32);
    const quint32 index = quint32(data & 0xFFFFFFFFu);
    const QStringList ids = fileIds.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (index >= quint32(ids.size()))
        return fail(recordError(ErrorCode::Format, where,
                                QStringLiteral("the value is external file %1 of file_ids '%2', "
                                               "which has %3 entries.")
                                    .arg(index)
                                    .arg(fileIds)
                                    .arg(ids.size())));
    static const QRegularExpression valueFile(QStringLiteral("^\\.([0-9]+)$"));
    const auto match = valueFile.match(ids[int(index)]);
    if (!match.hasMatch())
        return fail(recordError(ErrorCode::Format, where,
                                QStringLiteral("file_ids entry '%1' is not a value file (.<id>).")
                                    .arg(ids[int(index)])));
    const QString path = db.filesDir + QLatin1Char('/') + match.captured(1);
    if (flags != kFramedSnappyFlags)
        return fail(recordError(ErrorCode::Unsupported, path,
                                QStringLiteral("unknown external value flags %1 (known: 1, "
                                               "snappy framing).")
                                    .arg(flags)));
    return FramedValueInput::open(path, QStringLiteral("the record's value file"));
}

// The decoded value of a record's data (and file_ids). `spoolFolder`: where an external
// value's weights are uncompressed to (framedvalueinput.h).
Result<DecodedValue> recordValue(const TfjsDatabase &db, const QVariant &data,
                                 const QVariant &fileIds, const QString &where,
                                 const QString &spoolFolder = {})
{
    if (data.metaType().id() == QMetaType::QByteArray) {
        auto raw = snappyUncompress(data.toByteArray(), where);
        if (!raw)
            return fail(raw.error());
        auto value = decodeStructuredClone(*raw, where);
        if (!value)
            return fail(value.error());
        return DecodedValue{std::move(*value), nullptr};
    }
    if (data.metaType().id() == QMetaType::LongLong || data.metaType().id() == QMetaType::Int) {
        auto input = externalValue(db, data.toULongLong(), fileIds.toString(), where);
        if (!input)
            return fail(input.error());
        (*input)->setSpoolFolder(spoolFolder);
        auto value = decodeStructuredClone(**input, QStringLiteral("%1 (external value)").arg(where));
        if (!value)
            return fail(value.error());
        return DecodedValue{std::move(*value), std::move(*input)};
    }
    return fail(recordError(ErrorCode::Format, where,
                            QStringLiteral("its data column holds a %1, neither a blob nor "
                                           "an integer.")
                                .arg(QString::fromLatin1(data.metaType().name()))));
}

QString recordWhere(const QString &file, const QString &path)
{
    return QStringLiteral("Firefox IndexedDB database %1, model '%2'").arg(file, path);
}

} // namespace

QStringList firefoxIdbFiles(const QString &originFolder)
{
    const QDir idb(originFolder + QStringLiteral("/idb"));
    QStringList out;
    for (const QString &name :
         idb.entryList({QStringLiteral("*tsejnwsoolrf.sqlite")}, QDir::Files, QDir::Name))
        out.append(idb.filePath(name));
    return out;
}

Result<void> listFirefoxIdb(const QString &profile, const QString &file,
                            std::vector<BrowserModel> &models)
{
    auto db = openTfjsDatabase(file);
    if (!db)
        return fail(db.error());
    if (!*db)
        return {};
    TfjsDatabase &tfjs = **db;
    auto store = objectStoreId(*tfjs.db, kInfoStore);
    if (!store)
        return fail(store.error());
    auto query = tfjs.db->exec(
        QStringLiteral("SELECT key, data, file_ids FROM object_data WHERE object_store_id = ? "
                       "ORDER BY key"),
        {*store});
    if (!query)
        return fail(query.error());
    while (query->next()) {
        auto path = decodeFirefoxStringKey(query->value(0).toByteArray(),
                                           QStringLiteral("Firefox IndexedDB database %1").arg(file));
        if (!path)
            return fail(path.error());
        const QString where = recordWhere(file, *path);
        auto value = recordValue(tfjs, query->value(1), query->value(2), where);
        if (!value)
            return fail(value.error());
        const Json &record = value->json;
        const auto info = record.is_object() ? record.find("modelArtifactsInfo") : record.end();
        if (!record.is_object() || info == record.end())
            return fail(recordError(ErrorCode::Format, where,
                                    QStringLiteral("the record has no modelArtifactsInfo.")));
        auto parsed = infoFromIndexedDbRecord(*info, where);
        if (!parsed)
            return fail(parsed.error());
        models.push_back({{profile, tfjs.origin, BrowserStorage::IndexedDb, *path}, *parsed});
    }
    return {};
}

Result<std::optional<ModelArtifacts>> loadFirefoxIdb(const QString &file, const BrowserModelRef &ref,
                                                     const LoadOptions &options)
{
    const QString where = recordWhere(file, ref.path);
    for (int attempt = 1;; ++attempt) {
        auto db = openTfjsDatabase(file);
        if (!db)
            return fail(db.error());
        if (!*db || (*db)->origin != ref.origin)
            return std::optional<ModelArtifacts>();
        TfjsDatabase &tfjs = **db;
        auto store = objectStoreId(*tfjs.db, kModelsStore);
        if (!store)
            return fail(store.error());
        auto query = tfjs.db->exec(QStringLiteral("SELECT data, file_ids FROM object_data "
                                                  "WHERE object_store_id = ? AND key = ?"),
                                   {*store, encodeFirefoxStringKey(ref.path)});
        if (!query)
            return fail(query.error());
        if (!query->next())
            return std::optional<ModelArtifacts>();
        auto value = recordValue(tfjs, query->value(0), query->value(1), where,
                                 options.spoolFolder);
        // A value file missing from a copy taken mid-write: copy and read again.
        if (!value && value.error().code == ErrorCode::NotFound && attempt < kReadAttempts)
            continue;
        if (!value)
            return fail(value.error());
        // Without weights, the buffers left in the file are not read (they read as empty).
        auto artifacts = artifactsFromIndexedDbRecord(
            value->json, where, options.weights ? value->input.get() : nullptr);
        if (!artifacts)
            return fail(artifacts.error());
        if (!options.weights)
            artifacts->weightData = {};
        return std::optional<ModelArtifacts>(std::move(*artifacts));
    }
}

} // namespace tfjs

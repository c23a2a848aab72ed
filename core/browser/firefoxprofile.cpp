#include "firefoxprofile.h"

#include "base/job.h"
#include "firefoxidb.h"
#include "firefoxlocalstorage.h"
#include "format/localstorageitems.h"
#include "profiledatabase.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace tfjs {

namespace {

constexpr int kLocalStorageSchemaMajor = 5;
const QString kKeyPrefix = QStringLiteral("tensorflowjs_models/");
const QString kInfoSuffix = QStringLiteral("/info");

// storage/default/<origin folder> of the profile, sorted.
QStringList originFolders(const QString &profile)
{
    QDir storage(profile + QStringLiteral("/storage/default"));
    QStringList out;
    for (const QString &name : storage.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        out.append(storage.filePath(name));
    return out;
}

struct LocalStorageDatabase
{
    std::unique_ptr<ProfileDatabase> db;
    QString origin;
};

Result<LocalStorageDatabase> openLocalStorage(const QString &file)
{
    auto db = ProfileDatabase::open(file, QStringLiteral("Firefox localStorage database"));
    if (!db)
        return fail(db.error());
    if (auto schema = (*db)->requireMozillaSchema(kLocalStorageSchemaMajor); !schema)
        return fail(schema.error());
    auto origin = (*db)->scalar(QStringLiteral("SELECT origin FROM database"));
    if (!origin)
        return fail(origin.error());
    return LocalStorageDatabase{std::move(*db), origin->toString()};
}

// The items of TF.js's keys that also meet `condition` (SQL with bound `params`): key ->
// decoded value.
Result<std::vector<std::pair<QString, QString>>> tfjsItems(ProfileDatabase &db, const QString &where,
                                                           const QString &condition,
                                                           const QVariantList &params = {})
{
    const QString sql = QStringLiteral("SELECT key, conversion_type, compression_type, value "
                                       "FROM data WHERE substr(key, 1, 20) = "
                                       "'tensorflowjs_models/' AND ")
                        + condition;
    auto query = db.exec(sql, params);
    if (!query)
        return fail(query.error());
    std::vector<std::pair<QString, QString>> out;
    while (query->next()) {
        const QString key = query->value(0).toString();
        auto value = decodeFirefoxLocalStorageValue(
            query->value(1).toInt(), query->value(2).toInt(), query->value(3).toByteArray(),
            QStringLiteral("%1 item '%2'").arg(where, key));
        if (!value)
            return fail(value.error());
        out.emplace_back(key, std::move(*value));
    }
    return out;
}

Result<void> listLocalStorage(const QString &profile, const QString &file,
                              std::vector<BrowserModel> &models)
{
    auto ls = openLocalStorage(file);
    if (!ls)
        return fail(ls.error());
    // The info items only: no weights are read.
    auto items = tfjsItems(*ls->db, file, QStringLiteral("substr(key, -5) = '/info'"));
    if (!items)
        return fail(items.error());
    for (const auto &[key, value] : *items) {
        const QString path = key.mid(kKeyPrefix.size(),
                                     key.size() - kKeyPrefix.size() - kInfoSuffix.size());
        auto json = parseLocalStorageItem(value, key);
        if (!json)
            return fail(ls->db->error(json.error().code, json.error().message));
        if (!*json)
            continue;
        auto info = ModelArtifactsInfo::fromJson(**json);
        if (!info)
            return fail(ls->db->error(info.error().code, QStringLiteral("item '%1': %2")
                                                             .arg(key, info.error().message)));
        models.push_back({{profile, ls->origin, BrowserStorage::LocalStorage, path}, *info});
    }
    return {};
}

// nullopt: the database is not ref.origin's or holds no item of the model.
Result<std::optional<ModelArtifacts>> loadLocalStorage(const QString &file,
                                                       const BrowserModelRef &ref)
{
    auto ls = openLocalStorage(file);
    if (!ls)
        return fail(ls.error());
    if (ls->origin != ref.origin)
        return std::optional<ModelArtifacts>();
    QStringList keys;
    QVariantList params;
    for (const QString &suffix : localStorageSuffixes()) {
        keys.append(localStorageKey(ref.path, suffix));
        params.append(keys.back());
    }
    auto rows = tfjsItems(*ls->db, file,
                          QStringLiteral("key IN (%1)")
                              .arg(QStringList(keys.size(), QStringLiteral("?")).join(u',')),
                          params);
    if (!rows)
        return fail(rows.error());
    if (rows->empty())
        return std::optional<ModelArtifacts>();
    LocalStorageItems items;
    for (const auto &[key, value] : *rows)
        items[std::size_t(keys.indexOf(key))] = value;
    auto artifacts = artifactsFromItems(items, ref.path);
    if (!artifacts)
        return fail(artifacts.error());
    return std::optional<ModelArtifacts>(std::move(*artifacts));
}

Error notFound(const BrowserModelRef &ref, const QString &message)
{
    Error error{ErrorCode::NotFound, message};
    error.path = ref.profile;
    return error;
}

} // namespace

FirefoxProfileReader::FirefoxProfileReader(const QString &profileDir)
    : m_profile(QDir::cleanPath(QDir(profileDir).absolutePath()))
{
}

QString FirefoxProfileReader::originFolderName(const QString &origin)
{
    QString out = origin;
    for (const QChar ch : QStringLiteral(":/\\*?\"<>|"))
        out.replace(ch, QLatin1Char('+'));
    return out;
}

Result<std::vector<BrowserModel>> FirefoxProfileReader::listModels(JobContext &ctx)
{
    if (!QFileInfo(m_profile).isDir())
        return fail(notFound({m_profile, {}, {}, {}},
                             QStringLiteral("The Firefox profile folder %1 does not exist.")
                                 .arg(m_profile)));
    std::vector<BrowserModel> models;
    const QStringList folders = originFolders(m_profile);
    ctx.setStage(QStringLiteral("Reading the Firefox profile %1").arg(m_profile), 0,
                 int(folders.size()));
    for (const QString &folder : folders) {
        if (ctx.isCancelled())
            return fail(cancelledError());
        ctx.addItems();
        for (const QString &file : firefoxIdbFiles(folder)) {
            if (auto listed = listFirefoxIdb(m_profile, file, models); !listed)
                return fail(listed.error());
        }
        const QString ls = folder + QStringLiteral("/ls/data.sqlite");
        if (QFileInfo::exists(ls)) {
            if (auto listed = listLocalStorage(m_profile, ls, models); !listed)
                return fail(listed.error());
        }
    }
    std::sort(models.begin(), models.end(), [](const BrowserModel &a, const BrowserModel &b) {
        return std::tie(a.ref.origin, a.ref.storage, a.ref.path)
               < std::tie(b.ref.origin, b.ref.storage, b.ref.path);
    });
    return models;
}

Result<ModelArtifacts> FirefoxProfileReader::loadModel(const BrowserModelRef &ref, JobContext &ctx,
                                                       const LoadOptions &options)
{
    if (QDir::cleanPath(QDir(ref.profile).absolutePath()) != m_profile)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The model's profile %1 is not this reader's profile %2.")
                        .arg(ref.profile, m_profile));
    if (ctx.isCancelled())
        return fail(cancelledError());
    const QString folder = m_profile + QStringLiteral("/storage/default/")
                           + originFolderName(ref.origin);
    const QString kind = browserStorageName(ref.storage);
    const auto missing = [&]() {
        return fail(notFound(ref, QStringLiteral("The Firefox profile %1 has no %2 model '%3' "
                                                 "of origin %4.")
                                      .arg(m_profile, kind, ref.path, ref.origin)));
    };
    if (ref.storage == BrowserStorage::LocalStorage) {
        const QString ls = folder + QStringLiteral("/ls/data.sqlite");
        if (!QFileInfo::exists(ls))
            return missing();
        auto artifacts = loadLocalStorage(ls, ref);
        if (!artifacts)
            return fail(artifacts.error());
        if (!*artifacts)
            return missing();
        return std::move(**artifacts);
    }
    for (const QString &file : firefoxIdbFiles(folder)) {
        auto artifacts = loadFirefoxIdb(file, ref, options);
        if (!artifacts)
            return fail(artifacts.error());
        if (*artifacts)
            return std::move(**artifacts);
    }
    return missing();
}

} // namespace tfjs

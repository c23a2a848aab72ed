#include "browser/chromiumprofile.h"

#include "base/job.h"
#include "browser/browsererror.h"
#include "browser/chromiumindexeddb.h"
#include "browser/chromiumlocalstorage.h"
#include "browser/chromiumsqliteidb.h"
#include "browser/leveldbfolder.h"
#include "browser/tfjsrecord.h"
#include "format/localstorageitems.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <functional>

namespace tfjs {

namespace {

const QString kLeveldbSuffix = QStringLiteral(".indexeddb.leveldb");
const QString kModelsPrefix = QStringLiteral("tensorflowjs_models/");

// "tensorflowjs_models/<path>/<suffix>" split into path and suffix's index; nullopt otherwise.
std::optional<std::pair<QString, size_t>> splitModelKey(const QString &key)
{
    if (!key.startsWith(kModelsPrefix))
        return std::nullopt;
    const qsizetype slash = key.lastIndexOf(QLatin1Char('/'));
    const auto &suffixes = localStorageSuffixes();
    const auto suffix = std::find(suffixes.begin(), suffixes.end(), key.mid(slash + 1));
    if (slash <= kModelsPrefix.size() || suffix == suffixes.end())
        return std::nullopt;
    return std::pair{key.mid(kModelsPrefix.size(), slash - kModelsPrefix.size()),
                     size_t(suffix - suffixes.begin())};
}

} // namespace

ChromiumProfileReader::ChromiumProfileReader(QString profileFolder)
    : m_profile(std::move(profileFolder))
{}

QStringList ChromiumProfileReader::indexedDbFolders() const
{
    const QDir dir(m_profile + QStringLiteral("/IndexedDB"));
    QStringList folders;
    for (const QString &name :
         dir.entryList({QLatin1Char('*') + kLeveldbSuffix}, QDir::Dirs, QDir::Name))
        folders << dir.filePath(name);
    return folders;
}

// The SQLite backend's files of TF.js's database, IndexedDB/<origin folder>/<name hash>, by
// origin: only those are copied and opened (never other sites' databases).
static std::map<QString, QStringList> sqliteDatabases(const QString &profile)
{
    static const QString file = sqliteIdbFileName(QStringLiteral("tensorflowjs"));
    std::map<QString, QStringList> out;
    const QDir dir(profile + QStringLiteral("/IndexedDB"));
    for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString path = dir.filePath(name) + QLatin1Char('/') + file;
        if (!name.endsWith(kLeveldbSuffix) && QFileInfo(path).isFile())
            out[ChromiumIndexedDb::originOfFolder(name)] << path;
    }
    return out;
}

Result<void> ChromiumProfileReader::listIndexedDb(std::vector<BrowserModel> &models,
                                                  JobContext &ctx) const
{
    for (const QString &folder : indexedDbFolders()) {
        if (ctx.isCancelled())
            return fail(cancelledError());
        const QString name = QFileInfo(folder).fileName();
        const QString origin
            = ChromiumIndexedDb::originOfFolder(name.chopped(kLeveldbSuffix.size()));
        auto infos = withIndexedDbSnapshot<std::vector<ChromiumIndexedDb::Info>>(
            folder, [](const ChromiumIndexedDb &db) { return db.infos(); });
        if (!infos)
            return fail(infos.error());
        for (auto &info : *infos)
            models.push_back(
                {{m_profile, origin, BrowserStorage::IndexedDb, info.path}, std::move(info.info)});
    }
    for (const auto &[origin, files] : sqliteDatabases(m_profile)) {
        for (const QString &file : files) {
            if (ctx.isCancelled())
                return fail(cancelledError());
            auto db = ChromiumSqliteIndexedDb::read(file);
            if (!db)
                return fail(db.error());
            if (!*db)
                continue;
            auto infos = (*db)->infos();
            if (!infos)
                return fail(infos.error());
            for (auto &info : *infos)
                models.push_back({{m_profile, origin, BrowserStorage::IndexedDb, info.path},
                                  std::move(info.info)});
        }
    }
    return {};
}

// The localStorage LevelDB's TF.js items: origin -> path -> the five items.
using OriginItems = std::map<QString, std::map<QString, LocalStorageItems>>;

// Only the items `wanted(origin, path, suffix index)` accepts are decoded: listing decodes the
// info items, not the weights' base64.
using WantedItem = std::function<bool(const QString &, const QString &, size_t)>;
static Result<OriginItems> readLocalStorage(const QString &profile, const WantedItem &wanted)
{
    OriginItems items;
    const QString folder = profile + QStringLiteral("/Local Storage/leveldb");
    if (!QFileInfo(folder).isDir())
        return items;
    auto entries = readLevelDbFolder(folder);
    if (!entries)
        return fail(entries.error());
    for (const auto &[key, value] : *entries) {
        const auto decoded = decodeChromiumLocalStorageKey(key);
        const auto split = decoded ? splitModelKey(decoded->key) : std::nullopt;
        if (!split || !wanted(decoded->origin, split->first, split->second))
            continue;
        const auto text = decodeChromiumLocalStorageText(value);
        if (!text)
            return fail(
                browserError(ErrorCode::Format, folder,
                             QStringLiteral("the value of '%1' of %2 has an unknown encoding.")
                                 .arg(decoded->key, decoded->origin)));
        items[decoded->origin][split->first][split->second] = *text;
    }
    return items;
}

Result<void> ChromiumProfileReader::listLocalStorage(std::vector<BrowserModel> &models) const
{
    auto items = readLocalStorage(m_profile, [](const QString &, const QString &, size_t suffix) {
        return suffix == 0; // info
    });
    if (!items)
        return fail(items.error());
    for (const auto &[origin, paths] : *items) {
        for (const auto &[path, modelItems] : paths) {
            if (!modelItems[0])
                continue; // TF.js lists models by their info item
            const QString key = localStorageKey(path, localStorageSuffixes()[0]);
            auto json = parseLocalStorageItem(modelItems[0], key);
            if (!json)
                return fail(json.error());
            auto info = *json ? ModelArtifactsInfo::fromJson(**json)
                              : fail(ErrorCode::Format, QStringLiteral("the item is null."));
            if (!info)
                return fail(browserError(ErrorCode::Format, m_profile,
                                         QStringLiteral("localStorage of %1, '%2': %3")
                                             .arg(origin, key, info.error().message)));
            models.push_back(
                {{m_profile, origin, BrowserStorage::LocalStorage, path}, std::move(*info)});
        }
    }
    return {};
}

Result<std::vector<BrowserModel>> ChromiumProfileReader::listModels(JobContext &ctx)
{
    if (!QFileInfo(m_profile).isDir())
        return fail(browserError(ErrorCode::NotFound, m_profile,
                                 QStringLiteral("no such Chromium profile folder.")));
    std::vector<BrowserModel> models;
    if (auto listed = listIndexedDb(models, ctx); !listed)
        return fail(listed.error());
    if (auto listed = listLocalStorage(models); !listed)
        return fail(listed.error());
    std::sort(models.begin(), models.end(), [](const BrowserModel &a, const BrowserModel &b) {
        return std::tie(a.ref.origin, a.ref.storage, a.ref.path)
            < std::tie(b.ref.origin, b.ref.storage, b.ref.path);
    });
    return models;
}

Result<ModelArtifacts> ChromiumProfileReader::loadIndexedDb(const BrowserModelRef &ref,
                                                            bool weights) const
{
    for (const QString &folder : indexedDbFolders()) {
        const QString name = QFileInfo(folder).fileName();
        if (ChromiumIndexedDb::originOfFolder(name.chopped(kLeveldbSuffix.size())) != ref.origin)
            continue;
        return withIndexedDbSnapshot<ModelArtifacts>(
            folder, [&ref, weights](const ChromiumIndexedDb &db) -> Result<ModelArtifacts> {
                auto record = db.modelRecord(ref.path);
                if (!record)
                    return fail(record.error());
                return artifactsFromIndexedDbRecord(
                    record->json,
                    QStringLiteral("%1 IndexedDB %2 '%3'").arg(ref.profile, ref.origin, ref.path),
                    weights ? record->input.get() : nullptr); // without: not read (empty)
            });
    }
    const auto databases = sqliteDatabases(m_profile);
    const auto files = databases.find(ref.origin);
    for (const QString &file : files == databases.end() ? QStringList() : files->second) {
        auto db = ChromiumSqliteIndexedDb::read(file);
        if (!db)
            return fail(db.error());
        if (!*db)
            continue;
        auto record = (*db)->modelRecord(ref.path);
        if (!record)
            return fail(record.error());
        return artifactsFromIndexedDbRecord(
            *record, QStringLiteral("%1 IndexedDB %2 '%3'").arg(ref.profile, ref.origin, ref.path));
    }
    return fail(browserError(ErrorCode::NotFound, m_profile,
                             QStringLiteral("no IndexedDB of origin %1.").arg(ref.origin)));
}

Result<ModelArtifacts> ChromiumProfileReader::loadLocalStorage(const BrowserModelRef &ref) const
{
    auto items
        = readLocalStorage(m_profile, [&ref](const QString &origin, const QString &path, size_t) {
              return origin == ref.origin && path == ref.path;
          });
    if (!items)
        return fail(items.error());
    const auto origin = items->find(ref.origin);
    const auto model
        = origin == items->end() ? std::nullopt : std::optional(origin->second.find(ref.path));
    if (!model || *model == origin->second.end())
        return artifactsFromItems(LocalStorageItems{}, ref.path); // TF.js's "no model" message
    return artifactsFromItems((*model)->second, ref.path);
}

Result<ModelArtifacts> ChromiumProfileReader::loadModel(const BrowserModelRef &ref, JobContext &ctx,
                                                        const LoadOptions &options)
{
    if (ctx.isCancelled())
        return fail(cancelledError());
    auto artifacts
        = ref.storage == BrowserStorage::IndexedDb ? loadIndexedDb(ref, options.weights)
                                                 : loadLocalStorage(ref);
    if (artifacts && !options.weights)
        artifacts->weightData = {};
    return artifacts;
}

} // namespace tfjs

#include "modelmanager.h"

#include "base/job.h"

#include <QDir>
#include <QFileInfo>

namespace tfjs {

namespace {

const QString kSeparator = QStringLiteral("://");

Error invalid(const QString &message)
{
    return Error{ErrorCode::InvalidArgument, message};
}

Error samePaths(const QString &source)
{
    return invalid(QStringLiteral("Old path and new path are the same: '%1'").arg(source));
}

// With Refuse, a destination that holds a model fails before anything is loaded.
Result<void> refuseBeforeLoading(IOHandler &save, const QString &destination, Existing existing)
{
    auto url = ModelUrl::parse(destination);
    return refuseExisting(existing, [&save] { return save.hasModel(); }, destination,
                          url ? url->path : QString());
}

// The one copy: load from `load`, save through `save` (its Existing policy already set).
Result<SaveResult> copyBetween(IOHandler &load, IOHandler &save, const QString &destination,
                               Existing existing, JobContext &ctx)
{
    if (auto free = refuseBeforeLoading(save, destination, existing); !free)
        return fail(free.error());
    LoadOptions options; // downloads go where the save can name them
    options.spoolFolder = save.spoolFolder();
    auto artifacts = load.load(ctx, options);
    if (!artifacts)
        return fail(artifacts.error());
    return save.save(*artifacts, ctx);
}

} // namespace

ModelManager::ModelManager(const HandlerRegistry &registry) : m_registry(registry) {}

QStringList ModelManager::schemes() const
{
    return m_registry.storeSchemes();
}

Result<ModelManager::Parsed> ModelManager::parseUrl(const QString &url) const
{
    const qsizetype at = url.indexOf(kSeparator);
    if (at < 0)
        return fail(invalid(QStringLiteral("The url string provided does not contain a scheme. "
                                           "Supported schemes are: %1")
                                .arg(schemes().join(QLatin1Char(',')))));
    return Parsed{url.left(at), url.mid(at + kSeparator.size())};
}

Result<std::unique_ptr<ModelStoreManager>> ModelManager::managerFor(const QString &scheme) const
{
    return m_registry.storeFor(scheme);
}

Result<std::vector<StoredModel>> ModelManager::listModels(const QString &scheme) const
{
    QString name = scheme;
    if (name.endsWith(kSeparator))
        name.chop(kSeparator.size());
    auto manager = managerFor(name);
    if (!manager)
        return fail(manager.error());
    return (*manager)->listModels();
}

Result<std::vector<std::pair<QString, ModelArtifactsInfo>>> ModelManager::listAllModels() const
{
    std::vector<std::pair<QString, ModelArtifactsInfo>> out;
    for (const QString &scheme : schemes()) {
        auto models = listModels(scheme);
        if (!models)
            return fail(models.error());
        for (StoredModel &model : *models)
            out.emplace_back(ModelUrl::make(scheme, model.path), std::move(model.info));
    }
    return out;
}

bool ModelManager::sameModel(const QString &source, const QString &destination)
{
    if (source == destination)
        return true;
    auto src = ModelUrl::parse(source);
    auto dst = ModelUrl::parse(destination);
    if (!src || !dst || !src->isLocal() || !dst->isLocal())
        return false;
    const QFileInfo from(src->path);
    const QString fromJson = from.isDir()
                                 ? QDir(src->path).absoluteFilePath(QStringLiteral("model.json"))
                                 : from.absoluteFilePath();
    return QDir::cleanPath(fromJson)
           == QDir::cleanPath(QDir(dst->path).absoluteFilePath(QStringLiteral("model.json")));
}

Result<bool> ModelManager::hasModel(const QString &url) const
{
    auto handler = m_registry.handlerFor(url);
    if (!handler)
        return fail(handler.error());
    return (*handler)->hasModel();
}

Result<QString> ModelManager::freeDestination(const QString &url) const
{
    auto parsed = ModelUrl::parse(url);
    if (!parsed)
        return fail(parsed.error());
    const bool file = parsed->isLocal();
    QString base = url;
    while (file && base.endsWith(QLatin1Char('/')) && base.size() > 1
           && !base.endsWith(QStringLiteral("://")))
        base.chop(1);
    constexpr int kMaxAttempts = 10000;
    for (int n = 0; n < kMaxAttempts; ++n) {
        const QString candidate = n == 0 ? base : QStringLiteral("%1 (%2)").arg(base).arg(n);
        auto held = hasModel(candidate);
        if (!held)
            return fail(held.error());
        if (*held)
            continue;
        if (file) { // a file of that name cannot become a model folder
            const QFileInfo info(ModelUrl::parse(candidate)->path);
            if (info.exists() && !info.isDir())
                continue;
        }
        return candidate;
    }
    Error error{ErrorCode::Exists, QStringLiteral("Cannot find a free name for %1.").arg(url)};
    error.url = url;
    return fail(error);
}

Result<ModelArtifactsInfo> ModelManager::removeModel(const QString &url) const
{
    auto parsed = parseUrl(url);
    if (!parsed)
        return fail(parsed.error());
    auto manager = managerFor(parsed->scheme);
    if (!manager)
        return fail(manager.error());
    return (*manager)->removeModel(parsed->path);
}

Result<ModelManager::Handlers> ModelManager::handlersFor(const QString &source,
                                                         const QString &destination,
                                                         Existing existing) const
{
    Handlers handlers;
    auto load = handlerFor(source, true);
    if (!load)
        return fail(load.error());
    auto save = handlerFor(destination, false);
    if (!save)
        return fail(save.error());
    handlers.load = std::move(*load);
    handlers.save = std::move(*save);
    handlers.save->setExisting(existing);
    return handlers;
}

Result<std::unique_ptr<IOHandler>> ModelManager::handlerFor(const QString &url, bool forLoad) const
{
    // TF.js's routers match "<scheme>://" prefixes, so a string without one has no handler.
    const Error none = invalid(
        forLoad ? QStringLiteral("Copying failed because no load handler is found for source "
                                 "URL %1.")
                      .arg(url)
                : QStringLiteral("Copying failed because no save handler is found for "
                                 "destination URL %1.")
                      .arg(url));
    auto parsed = ModelUrl::parse(url);
    if (!url.contains(kSeparator) || !parsed)
        return fail(none);
    auto handler = m_registry.handlerFor(*parsed);
    if (!handler)
        return fail(handler.error());
    if (forLoad ? !(*handler)->canLoad() : !(*handler)->canSave()) {
        // The scheme exists but works one way only (browser profiles are read, never written).
        Error oneWay = none;
        oneWay.message.chop(1);
        oneWay.message += QStringLiteral(": %1:// can only %2 models.")
                              .arg(parsed->scheme, forLoad ? QStringLiteral("save")
                                                             : QStringLiteral("load"));
        return fail(oneWay);
    }
    return handler;
}

Result<SaveResult> ModelManager::copyModel(const QString &source, const QString &destination,
                                           JobContext &ctx, Existing existing) const
{
    if (sameModel(source, destination))
        return fail(samePaths(source));
    auto handlers = handlersFor(source, destination, existing);
    if (!handlers)
        return fail(handlers.error());
    return copyBetween(*handlers->load, *handlers->save, destination, existing, ctx);
}

Result<SaveResult> ModelManager::copyModel(IOHandler &source, const QString &destination,
                                           JobContext &ctx, Existing existing) const
{
    auto save = handlerFor(destination, false);
    if (!save)
        return fail(save.error());
    (*save)->setExisting(existing);
    return copyBetween(source, **save, destination, existing, ctx);
}

Result<ModelArtifactsInfo> ModelManager::moveModel(const QString &source,
                                                   const QString &destination, JobContext &ctx,
                                                   Existing existing) const
{
    if (sameModel(source, destination))
        return fail(samePaths(source));
    auto handlers = handlersFor(source, destination, existing);
    if (!handlers)
        return fail(handlers.error());
    auto from = parseUrl(source);
    auto to = parseUrl(destination);
    if (!from)
        return fail(from.error());
    if (!to)
        return fail(to.error());
    // The source must be removable before anything is written (TF.js finds out after loading).
    auto manager = managerFor(from->scheme);
    if (!manager)
        return fail(manager.error());
    if (from->scheme.compare(to->scheme, Qt::CaseInsensitive) == 0)
        return (*manager)->renameModel(from->path, to->path, existing);
    if (auto removable = (*manager)->checkCanRemove(); !removable) {
        Error error = removable.error();
        error.message = QStringLiteral("Cannot move %1, nothing was copied: %2").arg(source, error.message);
        return fail(error);
    }
    // The copy must be on disk, not just in the OS's cache, before the source goes.
    handlers->save->setDurability(Durability::Strict);
    auto saved = copyBetween(*handlers->load, *handlers->save, destination, existing, ctx);
    if (!saved)
        return fail(saved.error()); // the source is untouched
    // The model lives on at the destination: its source is deleted, not trashed.
    if (auto removed = (*manager)->deleteModel(from->path); !removed) {
        Error error = removed.error();
        error.message = QStringLiteral("The model was copied to %1, but removing the source failed: %2")
                            .arg(destination, error.message);
        return fail(error);
    }
    return saved->modelArtifactsInfo;
}

Result<ModelArtifactsInfo> ModelManager::renameModel(const QString &source,
                                                     const QString &destination,
                                                     Existing existing) const
{
    if (source == destination)
        return fail(samePaths(source));
    auto from = parseUrl(source);
    if (!from)
        return fail(from.error());
    auto to = parseUrl(destination);
    if (!to)
        return fail(to.error());
    if (from->scheme.compare(to->scheme, Qt::CaseInsensitive) != 0)
        return fail(invalid(QStringLiteral("Cannot rename '%1' to '%2': a rename stays inside one "
                                           "store; use move to go from %3:// to %4://.")
                                .arg(source, destination, from->scheme, to->scheme)));
    auto manager = managerFor(from->scheme);
    if (!manager)
        return fail(manager.error());
    if (to->path.isEmpty())
        return fail(invalid(QStringLiteral("Cannot rename '%1' to '%2': the new path is empty.")
                                .arg(source, destination)));
    return (*manager)->renameModel(from->path, to->path, existing);
}

QStringList ModelManager::schemesOrAll(const QString &scheme) const
{
    const QString name = ModelUrl::schemeName(scheme);
    return name.isEmpty() ? schemes() : QStringList { name };
}

Result<std::vector<ModelManager::TrashItem>> ModelManager::listTrash(const QString &scheme) const
{
    std::vector<TrashItem> out;
    for (const QString &name : schemesOrAll(scheme)) {
        auto manager = managerFor(name);
        if (!manager)
            return fail(manager.error());
        auto entries = (*manager)->listTrash();
        if (!entries)
            return fail(entries.error());
        for (TrashEntry &entry : *entries)
            out.push_back({name, std::move(entry)});
    }
    return out;
}

Result<QString> ModelManager::restoreFromTrash(const QString &scheme, qint64 id,
                                               const QString &destination, Existing existing) const
{
    const QString name = schemesOrAll(scheme).value(0);
    QString path;
    if (!destination.isEmpty()) {
        auto to = parseUrl(destination);
        if (!to)
            return fail(to.error());
        if (to->scheme.compare(name, Qt::CaseInsensitive) != 0)
            return fail(invalid(QStringLiteral("Cannot restore entry %1 of the %2:// trash to '%3': "
                                               "a restore stays inside its store; restore it, "
                                               "then move it.")
                                    .arg(id)
                                    .arg(name, destination)));
        if (to->path.isEmpty())
            return fail(invalid(QStringLiteral("Cannot restore to '%1': the path is empty.")
                                    .arg(destination)));
        path = to->path;
    }
    auto manager = managerFor(name);
    if (!manager)
        return fail(manager.error());
    auto restored = (*manager)->restoreFromTrash(id, path, existing);
    if (!restored)
        return fail(restored.error());
    return ModelUrl::make(name, restored->path);
}

Result<ModelManager::TrashItem> ModelManager::deleteFromTrash(
    const QString &scheme, qint64 id) const
{
    auto deleted = deleteFromTrash(scheme, std::vector<qint64> { id });
    if (!deleted)
        return fail(deleted.error());
    return std::move(deleted->front());
}

Result<std::vector<ModelManager::TrashItem>> ModelManager::deleteFromTrash(
    const QString &scheme, const std::vector<qint64> &ids) const
{
    const QString name = ModelUrl::schemeName(scheme);
    auto manager = managerFor(name);
    if (!manager)
        return fail(manager.error());
    auto deleted = (*manager)->deleteFromTrash(ids);
    if (!deleted)
        return fail(deleted.error());
    std::vector<TrashItem> out;
    for (TrashEntry &entry : *deleted)
        out.push_back({ name, std::move(entry) });
    return out;
}

Result<int> ModelManager::emptyTrash(const QString &scheme, std::optional<int> olderThanDays) const
{
    const QDateTime before = olderThanDays
                                 ? QDateTime::currentDateTimeUtc().addDays(-*olderThanDays)
                                 : QDateTime();
    int deleted = 0;
    for (const QString &name : schemesOrAll(scheme)) {
        auto manager = managerFor(name);
        if (!manager)
            return fail(manager.error());
        auto emptied = (*manager)->emptyTrash(before);
        if (!emptied)
            return fail(emptied.error());
        deleted += *emptied;
    }
    return deleted;
}

} // namespace tfjs

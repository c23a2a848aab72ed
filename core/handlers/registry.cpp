#include "registry.h"

#include <QRegularExpression>

#include <algorithm>

namespace tfjs {

Result<ModelUrl> ModelUrl::parse(const QString &text)
{
    if (text.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The model URL is empty."));
    ModelUrl url;
    url.text = text;
    const qsizetype sep = text.indexOf(QStringLiteral("://"));
    if (sep < 0) {
        url.scheme = QStringLiteral("file");
        url.path = text;
        return url;
    }
    static const QRegularExpression schemeRe(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*$"));
    const QString scheme = text.left(sep);
    if (!schemeRe.match(scheme).hasMatch())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("'%1' is not a valid URL scheme in '%2'.").arg(scheme, text));
    url.scheme = scheme.toLower();
    url.path = text.mid(sep + 3);
    return url;
}

QString ModelUrl::make(const QString &scheme, const QString &path)
{
    return scheme + QStringLiteral("://") + path;
}

QString ModelUrl::localPath(const QString &text)
{
    auto url = parse(text);
    return url && url->isLocal() ? url->path : QString();
}

QString ModelUrl::schemeName(const QString &scheme)
{
    QString name = scheme.toLower();
    if (name.endsWith(QStringLiteral("://")))
        name.chop(3);
    return name;
}

void HandlerRegistry::add(const SchemeInfo &info, Factory factory, StoreFactory store)
{
    Entry entry{info, std::move(factory), std::move(store), {}};
    entry.info.scheme = ModelUrl::schemeName(info.scheme);
    if (entry.info.displayName.isEmpty())
        entry.info.displayName = entry.info.scheme;
    for (Entry &existing : m_entries) {
        if (existing.info.scheme == entry.info.scheme) {
            existing = std::move(entry);
            return;
        }
    }
    m_entries.push_back(std::move(entry));
}

void HandlerRegistry::add(const QString &scheme, Factory factory)
{
    SchemeInfo info;
    info.scheme = scheme;
    info.capabilities = Capability::Load | Capability::Save;
    add(info, std::move(factory));
}

void HandlerRegistry::setLister(const QString &scheme, Lister lister)
{
    const QString name = ModelUrl::schemeName(scheme);
    for (Entry &entry : m_entries) {
        if (entry.info.scheme == name)
            entry.lister = std::move(lister);
    }
}

const HandlerRegistry::Entry *HandlerRegistry::find(const QString &scheme) const
{
    const QString name = ModelUrl::schemeName(scheme);
    for (const Entry &entry : m_entries) {
        if (entry.info.scheme == name)
            return &entry;
    }
    return nullptr;
}

bool HandlerRegistry::has(const QString &scheme) const
{
    return find(scheme) != nullptr;
}

QStringList HandlerRegistry::schemes() const
{
    QStringList out;
    for (const Entry &entry : m_entries)
        out << entry.info.scheme;
    out.sort();
    return out;
}

const SchemeInfo *HandlerRegistry::info(const QString &scheme) const
{
    const Entry *entry = find(scheme);
    return entry ? &entry->info : nullptr;
}

std::vector<SchemeInfo> HandlerRegistry::entries() const
{
    std::vector<SchemeInfo> out;
    for (const Entry &entry : m_entries)
        out.push_back(entry.info);
    std::stable_sort(out.begin(), out.end(),
                     [](const SchemeInfo &a, const SchemeInfo &b) { return a.rank < b.rank; });
    return out;
}

std::vector<SchemeInfo> HandlerRegistry::entriesWith(Capability capability) const
{
    std::vector<SchemeInfo> out = entries();
    std::erase_if(out, [capability](const SchemeInfo &info) { return !info.can(capability); });
    return out;
}

bool HandlerRegistry::can(const QString &url, Capability capability) const
{
    auto parsed = ModelUrl::parse(url);
    const SchemeInfo *scheme = parsed ? info(parsed->scheme) : nullptr;
    return scheme && scheme->can(capability);
}

QStringList HandlerRegistry::storeSchemes() const
{
    QStringList out;
    for (const Entry &entry : m_entries) {
        if (entry.store)
            out << entry.info.scheme;
    }
    return out;
}

Result<std::unique_ptr<ModelStoreManager>> HandlerRegistry::storeFor(const QString &scheme) const
{
    const Entry *entry = find(scheme);
    if (!entry || !entry->store)
        return fail(ErrorCode::Unsupported,
                    QStringLiteral("Cannot find model manager for scheme '%1'").arg(scheme));
    return entry->store();
}

Result<std::vector<StoredModel>> HandlerRegistry::listModels(const ModelUrl &where, JobContext &ctx) const
{
    const Entry *entry = find(where.scheme);
    if (entry && entry->lister)
        return entry->lister(where, ctx);
    if (entry && entry->store) {
        auto store = entry->store();
        if (!store)
            return fail(store.error());
        return (*store)->listModels();
    }
    Error error{ErrorCode::Unsupported,
                QStringLiteral("'%1' lists no models: its scheme neither holds nor finds models.")
                    .arg(where.text.isEmpty() ? where.toString() : where.text)};
    error.url = where.text;
    return fail(error);
}

Result<std::unique_ptr<IOHandler>> HandlerRegistry::handlerFor(const QString &url) const
{
    auto parsed = ModelUrl::parse(url);
    if (!parsed)
        return fail(parsed.error());
    return handlerFor(*parsed);
}

Result<std::unique_ptr<IOHandler>> HandlerRegistry::handlerFor(const ModelUrl &url) const
{
    const Entry *entry = find(url.scheme);
    if (!entry) {
        Error error{ErrorCode::Unsupported,
                    QStringLiteral("Cannot find a handler for scheme '%1' (in '%2'). Supported "
                                   "schemes are: %3.")
                        .arg(url.scheme, url.text, schemes().join(QStringLiteral(", ")))};
        error.url = url.text;
        return fail(error);
    }
    auto handler = entry->factory(url);
    if (handler) {
        (*handler)->setDurability(m_durability);
        (*handler)->setShardSize(m_shardSize);
    }
    return handler;
}

Result<ModelArtifacts> HandlerRegistry::load(const QString &url, JobContext &ctx,
                                             const LoadOptions &options) const
{
    auto handler = handlerFor(url);
    if (!handler)
        return fail(handler.error());
    if (!(*handler)->canLoad())
        return fail(ErrorCode::Unsupported, QStringLiteral("'%1' can only be saved to.").arg(url));
    auto loaded = (*handler)->load(ctx, options);
    // Weights of a given version: whatever the handler did, never other ones.
    if (loaded && !options.weightsHash.isEmpty() && loaded->weightsHash != options.weightsHash)
        return fail(ErrorCode::Unsupported,
                    QStringLiteral("'%1' cannot load the weights with hash %2: it does not keep "
                                   "weights by their hash.").arg(url, options.weightsHash));
    return loaded;
}

Result<SaveResult> HandlerRegistry::save(const QString &url, const ModelArtifacts &artifacts,
                                         JobContext &ctx, Existing existing) const
{
    auto handler = handlerFor(url);
    if (!handler)
        return fail(handler.error());
    if (!(*handler)->canSave())
        return fail(ErrorCode::Unsupported, QStringLiteral("'%1' can only be loaded from.").arg(url));
    (*handler)->setExisting(existing);
    return (*handler)->save(artifacts, ctx);
}

QString HandlerRegistry::spoolFolderFor(const QString &url) const
{
    auto handler = handlerFor(url);
    return handler ? (*handler)->spoolFolder() : QString();
}

} // namespace tfjs

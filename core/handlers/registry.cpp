#include "registry.h"

#include <QRegularExpression>

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

void HandlerRegistry::add(const QString &scheme, Factory factory)
{
    m_factories[scheme.toLower()] = std::move(factory);
}

bool HandlerRegistry::has(const QString &scheme) const
{
    return m_factories.contains(scheme.toLower());
}

QStringList HandlerRegistry::schemes() const
{
    QStringList out;
    for (const auto &[scheme, factory] : m_factories)
        out << scheme;
    return out;
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
    const auto it = m_factories.find(url.scheme);
    if (it == m_factories.end()) {
        Error error{ErrorCode::Unsupported,
                    QStringLiteral("Cannot find a handler for scheme '%1' (in '%2'). Supported "
                                   "schemes are: %3.")
                        .arg(url.scheme, url.text, schemes().join(QStringLiteral(", ")))};
        error.url = url.text;
        return fail(error);
    }
    auto handler = it->second(url);
    if (handler)
        (*handler)->setDurability(m_durability);
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
    return (*handler)->load(ctx, options);
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

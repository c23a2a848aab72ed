#include "corspolicy.h"

#include <QUrl>

namespace tfjs {

CorsPolicy::CorsPolicy(QStringList allowedOrigins, QHostAddress bind, quint16 port)
    : m_origins(std::move(allowedOrigins)), m_bind(std::move(bind)), m_port(port)
{
}

bool CorsPolicy::originAllowed(const QByteArray &origin) const
{
    if (origin.isEmpty())
        return true;
    if (m_origins.isEmpty())
        return m_bind.isLoopback() && isLoopbackOrigin(origin);
    const QString text = QString::fromUtf8(origin);
    for (const QString &allowed : m_origins) {
        if (allowed == QLatin1String("*") || allowed.compare(text, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool CorsPolicy::isLoopbackOrigin(const QByteArray &origin)
{
    const QUrl url(QString::fromUtf8(origin), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        || !url.userInfo().isEmpty() || !url.path().isEmpty() || url.hasQuery() || url.hasFragment())
        return false;
    const QString host = url.host();
    return host == QLatin1String("localhost") || QHostAddress(host).isLoopback();
}

bool CorsPolicy::hostAllowed(const QByteArray &host) const
{
    if (!m_bind.isLoopback())
        return true; // reached by names we cannot know; every write needs the token there
    const QString text = QString::fromUtf8(host).toLower();
    for (const char *name : {"127.0.0.1", "localhost", "[::1]"}) {
        const QString known = QLatin1String(name);
        if (text == QStringLiteral("%1:%2").arg(known).arg(m_port) || (m_port == 80 && text == known))
            return true;
    }
    return false;
}

HeaderList CorsPolicy::responseHeaders(const QByteArray &origin) const
{
    HeaderList headers = {{"Vary", "Origin"}};
    if (!origin.isEmpty() && originAllowed(origin))
        headers.emplaceBack("Access-Control-Allow-Origin", origin);
    return headers;
}

HeaderList CorsPolicy::preflightHeaders(const QByteArray &origin, const QByteArray &requestHeaders) const
{
    HeaderList headers = responseHeaders(origin);
    if (origin.isEmpty() || !originAllowed(origin))
        return headers;
    QByteArrayList allowed;
    for (const QByteArray &name : requestHeaders.split(',')) {
        const QByteArray wanted = name.trimmed().toLower();
        if (wanted == "authorization" || wanted == "content-type")
            allowed << wanted;
    }
    headers.emplaceBack("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
    if (!allowed.isEmpty())
        headers.emplaceBack("Access-Control-Allow-Headers", allowed.join(", "));
    headers.emplaceBack("Access-Control-Max-Age", "600");
    headers.emplaceBack("Access-Control-Allow-Private-Network", "true");
    return headers;
}

} // namespace tfjs

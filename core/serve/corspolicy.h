#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QStringList>

namespace tfjs {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// Which web pages may use the server, and the CORS headers that tell browsers so.
// A request without an Origin header (curl, tfjs-node, tfjs-model) is not a page's and is always
// allowed. A page's Origin is allowed when the list holds it or "*"; with an empty list, while
// the server is bound to loopback, only pages that are themselves served from loopback
// (http(s)://localhost, 127.0.0.0/8 or [::1], any port). Because a multipart POST is a "simple"
// request that a browser sends without asking first, any web site the user visits could
// otherwise write into the store: the server checks the Origin itself before any write.
// "null" (file:// pages, but also sandboxed iframes, data: URLs and cross-origin redirects of
// any site) is a loopback page's only when listed ("--allow-origin null").
// The Host check keeps out DNS rebinding (a site whose own name resolves to 127.0.0.1): while
// bound to loopback only 127.0.0.1, localhost and [::1] with the server's port are accepted.
// Bound to another address the server is reached by names it cannot know (and a token guards
// every write there), so any Host is.
class CorsPolicy
{
public:
    CorsPolicy() = default;
    CorsPolicy(QStringList allowedOrigins, QHostAddress bind, quint16 port);

    bool originAllowed(const QByteArray &origin) const;
    // http(s)://localhost, 127.0.0.0/8 or [::1] with any port, and nothing else (no path).
    static bool isLoopbackOrigin(const QByteArray &origin);
    bool hostAllowed(const QByteArray &host) const;
    // Allow-Origin (the page's own origin, never a wildcard) and Vary for an allowed Origin.
    HeaderList responseHeaders(const QByteArray &origin) const;
    // The preflight's answer headers: those above plus the methods, the requested headers that
    // TF.js sends (authorization, content-type), Max-Age and Allow-Private-Network.
    HeaderList preflightHeaders(const QByteArray &origin, const QByteArray &requestHeaders) const;

private:
    QStringList m_origins;
    QHostAddress m_bind;
    quint16 m_port = 0;
};

} // namespace tfjs

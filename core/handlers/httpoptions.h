#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QStringList>

#include <vector>

namespace tfjs {

struct HttpHeader
{
    QByteArray name;
    QByteArray value;
};

// How http:// and https:// handlers talk to servers. Held by HandlerOptions; never saved with
// header values (they may be secrets).
struct HttpOptions
{
    // Sent with every request: the model JSON, each shard, the upload (TF.js's requestInit
    // headers). Secret ones (see isSecretHeader) are dropped on a redirect to another origin.
    std::vector<HttpHeader> headers;
    // The upload's method (TF.js: POST unless requestInit.method says otherwise).
    QByteArray uploadMethod = QByteArrayLiteral("POST");
    // Hosts whose TLS certificate errors are ignored; any other TLS error is fatal.
    QStringList insecureHosts;
    // Load: replaces the model JSON's folder URL when shard URLs are built (TF.js's
    // weightPathPrefix: plain concatenation, prefix + manifest path + query).
    QString weightPathPrefix;
    int connectTimeoutMs = 30'000; // until the request is on the wire
    int stallTimeoutMs = 60'000; // longest time without a byte in either direction
    // A connected transfer that moves fewer bytes than this in any stallTimeoutMs (as curl's
    // --speed-limit/--speed-time) fails too: a server trickling a byte every few seconds never
    // trips the stall timeout. 0: no floor.
    qint64 lowSpeedBytes = 1024;
    int maxParallel = 4; // shard downloads at a time
    int maxRedirects = 20; // as fetch()
    qint64 maxJsonBytes = qint64(256) << 20;
};

// Authorization, Proxy-Authorization, Cookie, Set-Cookie, and any name containing "token",
// "key", "secret", "auth", "session", "password" or "credential" (case-insensitive).
bool isSecretHeader(QByteArrayView name);

// Parses "Name: value" (as curl's -H): a token name, optional spaces after ':', no CR/LF.
// Errors never quote the value.
[[nodiscard]] Result<HttpHeader> parseHeaderLine(const QString &line);

} // namespace tfjs

#pragma once

#include "handlers/httpoptions.h"

#include <QUrl>

#include <string>

namespace tfjs {

// TF.js's parseUrl (http.ts): `prefix` is the URL up to and including the last '/' of its
// path, `suffix` its query ("?..." or empty), which TF.js appends to every shard URL.
// Unlike TF.js, the query is taken whole from the first '?' (TF.js takes it from the last
// '?', and a '/' inside the query moves its prefix into the query); a fragment is dropped.
struct ModelUrlParts
{
    QString prefix;
    QString suffix;
};
ModelUrlParts splitModelUrl(const QString &url);

// The URL of a manifest shard path as TF.js builds it: (weightPathPrefix || prefix) + path +
// suffix, plain concatenation; "./" and "../" are then resolved as a URL parser would.
QUrl shardUrl(const ModelUrlParts &parts, const QString &weightPathPrefix, const std::string &path);

// Checks that `url` is an absolute http(s) URL with a host. `what` names it in the message.
[[nodiscard]] Result<QUrl> parseHttpUrl(const QString &text, const QString &what);

// The URL as shown in messages: no user info, and the values of query parameters whose names
// look secret (token, key, sig, ...) replaced by "***".
QString displayUrl(const QUrl &url);

// Removes secret values (secret header values and the parts after "Bearer "/"Basic ", URL
// passwords, secret query values) from text shown to the user.
class SecretScrubber
{
public:
    SecretScrubber() = default;
    SecretScrubber(const HttpOptions &options, const QUrl &url);
    void addUrl(const QUrl &url);
    void addSecret(const QString &secret);
    QString scrub(QString text) const;

private:
    QStringList m_secrets;
};

// Up to `maxChars` characters of a response body as text for a message: UTF-8 decoded,
// control characters shown as spaces, secrets scrubbed; "" for an empty body.
QString bodyExcerpt(const QByteArray &body, const SecretScrubber &scrubber, int maxChars = 300);

} // namespace tfjs

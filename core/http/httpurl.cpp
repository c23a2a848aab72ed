#include "httpurl.h"

#include <QRegularExpression>

#include <algorithm>

namespace tfjs {

namespace {

bool isSecretName(QByteArrayView name)
{
    return isSecretHeader(name) || name.toByteArray().toLower().contains("sig");
}

} // namespace

ModelUrlParts splitModelUrl(const QString &url)
{
    QString path = url;
    const qsizetype hash = path.indexOf(QLatin1Char('#'));
    if (hash >= 0)
        path.truncate(hash);
    QString query;
    const qsizetype question = path.indexOf(QLatin1Char('?'));
    if (question >= 0) {
        query = path.mid(question);
        path.truncate(question);
    }
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return { path.left(slash) + QLatin1Char('/'), query };
}

QUrl shardUrl(const ModelUrlParts &parts, const QString &weightPathPrefix, const std::string &path)
{
    const QString text = (weightPathPrefix.isEmpty() ? parts.prefix : weightPathPrefix)
        + QString::fromStdString(path) + parts.suffix;
    const QUrl url(text);
    // An absolute URL resolved against itself keeps everything and removes "." and ".."
    // segments (RFC 3986 5.2.2), as fetch()'s URL parser does.
    return url.resolved(url);
}

Result<QUrl> parseHttpUrl(const QString &text, const QString &what)
{
    const QUrl url(text.trimmed());
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QStringLiteral("http") && scheme != QStringLiteral("https"))
        || url.host().isEmpty()) {
        Error error { ErrorCode::InvalidArgument,
            QStringLiteral("'%1' is not a valid http(s) URL for %2.")
                .arg(url.isValid() ? displayUrl(url) : QStringLiteral("(unparsable)"), what) };
        return fail(error);
    }
    return url;
}

QString displayUrl(const QUrl &url)
{
    QUrl shown = url.adjusted(QUrl::RemoveUserInfo);
    if (shown.hasQuery()) {
        QStringList items = shown.query(QUrl::FullyEncoded).split(QLatin1Char('&'));
        bool changed = false;
        for (QString &item : items) {
            const qsizetype eq = item.indexOf(QLatin1Char('='));
            if (eq > 0 && isSecretName(item.left(eq).toUtf8())) {
                item = item.left(eq + 1) + QStringLiteral("***");
                changed = true;
            }
        }
        if (changed)
            shown.setQuery(items.join(QLatin1Char('&')), QUrl::TolerantMode);
    }
    return shown.toString();
}

SecretScrubber::SecretScrubber(const HttpOptions &options, const QUrl &url)
{
    for (const HttpHeader &header : options.headers) {
        if (!isSecretHeader(header.name))
            continue;
        const QString value = QString::fromUtf8(header.value).trimmed();
        addSecret(value);
        const qsizetype space = value.lastIndexOf(QLatin1Char(' '));
        if (space > 0)
            addSecret(value.mid(space + 1));
    }
    addUrl(url);
}

void SecretScrubber::addUrl(const QUrl &url)
{
    addSecret(url.password(QUrl::FullyDecoded));
    addSecret(url.password(QUrl::FullyEncoded));
    if (!url.hasQuery())
        return;
    for (const QString &item : url.query(QUrl::FullyEncoded).split(QLatin1Char('&'))) {
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        if (eq > 0 && isSecretName(item.left(eq).toUtf8())) {
            const QString value = item.mid(eq + 1);
            addSecret(value);
            addSecret(QUrl::fromPercentEncoding(value.toUtf8()));
        }
    }
}

void SecretScrubber::addSecret(const QString &secret)
{
    // Very short values would blank out ordinary words; real secrets are longer.
    if (secret.size() < 4 || m_secrets.contains(secret))
        return;
    m_secrets << secret;
    std::sort(m_secrets.begin(), m_secrets.end(),
        [](const QString &a, const QString &b) { return a.size() > b.size(); });
}

QString SecretScrubber::scrub(QString text) const
{
    for (const QString &secret : m_secrets)
        text.replace(secret, QStringLiteral("***"));
    return text;
}

QString bodyExcerpt(const QByteArray &body, const SecretScrubber &scrubber, int maxChars)
{
    // Decode more than is shown, so a secret cut by the limit is still recognised.
    QString text = QString::fromUtf8(body.left(qsizetype(maxChars) * 4 + 4096));
    text = scrubber.scrub(text);
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control)
            c = QLatin1Char(' ');
    }
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    text = text.replace(spaces, QStringLiteral(" ")).trimmed();
    if (text.size() > maxChars)
        text = text.left(maxChars) + QStringLiteral("…");
    return text;
}

} // namespace tfjs

#include "httpoptions.h"

#include <QRegularExpression>

namespace tfjs {

bool isSecretHeader(QByteArrayView name)
{
    const QByteArray lower = name.toByteArray().toLower();
    static const char *const exact[] = { "cookie", "set-cookie" };
    for (const char *word : exact) {
        if (lower == word)
            return true;
    }
    static const char *const parts[]
        = { "auth", "token", "key", "secret", "session", "password", "credential" };
    for (const char *part : parts) {
        if (lower.contains(part))
            return true;
    }
    return false;
}

Result<HttpHeader> parseHeaderLine(const QString &line)
{
    const qsizetype colon = line.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return fail(ErrorCode::InvalidArgument,
            QStringLiteral("A header must be given as 'Name: value' (%1 characters "
                           "without a name before ':' given).")
                .arg(line.size()));
    const QString name = line.left(colon).trimmed();
    static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
    if (!token.match(name).hasMatch())
        return fail(ErrorCode::InvalidArgument,
            QStringLiteral("'%1' is not a valid HTTP header name.").arg(name.left(64)));
    const QString value = line.mid(colon + 1).trimmed();
    if (value.contains(QLatin1Char('\r')) || value.contains(QLatin1Char('\n'))
        || value.contains(QChar(0)))
        return fail(ErrorCode::InvalidArgument,
            QStringLiteral("The value of header '%1' contains a line break or NUL.").arg(name));
    return HttpHeader { name.toLatin1(), value.toUtf8() };
}

} // namespace tfjs

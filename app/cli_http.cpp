#include "cli.h"

#include <QRegularExpression>

namespace tfjs::cli {

namespace {

const QString kHeader = QStringLiteral("header");
const QString kMethod = QStringLiteral("method");
const QString kInsecureHost = QStringLiteral("insecure-host");
const QString kWeightPathPrefix = QStringLiteral("weight-path-prefix");

} // namespace

QList<Command> httpCommands()
{
    return {};
}

void addHttpOptions(QCommandLineParser &parser)
{
    parser.addOption({ kHeader, QStringLiteral("HTTP header sent with every request (repeatable)."),
        QStringLiteral("'NAME: VALUE'") });
    parser.addOption({ kMethod, QStringLiteral("HTTP method of uploads (default POST)."),
        QStringLiteral("METHOD") });
    parser.addOption({ kInsecureHost,
        QStringLiteral("Ignore TLS errors of this host (repeatable)."), QStringLiteral("HOST") });
    parser.addOption({ kWeightPathPrefix,
        QStringLiteral("URL prefix of the shards of an http(s) model."), QStringLiteral("URL") });
}

QString httpOptionsHelp()
{
    return QStringLiteral(
        "  --header 'NAME: VALUE'  HTTP header for every request, e.g. Authorization\n"
        "                          (repeatable; secret values never appear in messages)\n"
        "  --method METHOD         HTTP method of uploads (default POST, as TF.js)\n"
        "  --insecure-host HOST    accept TLS certificate errors from HOST (repeatable)\n"
        "  --weight-path-prefix URL\n"
        "                          load shards from URL + manifest path (TF.js's\n"
        "                          weightPathPrefix) instead of the model JSON's folder\n");
}

Result<HttpOptions> httpOptionsFrom(const QCommandLineParser &parser)
{
    HttpOptions http;
    for (const QString &line : parser.values(kHeader)) {
        auto header = parseHeaderLine(line);
        if (!header)
            return fail(header.error());
        http.headers.push_back(*header);
    }
    if (parser.isSet(kMethod)) {
        const QString method = parser.value(kMethod).trimmed().toUpper();
        static const QRegularExpression token(QStringLiteral("^[A-Z]+$"));
        if (!token.match(method).hasMatch())
            return fail(ErrorCode::InvalidArgument,
                QStringLiteral("'%1' is not an HTTP method.").arg(parser.value(kMethod)));
        http.uploadMethod = method.toLatin1();
    }
    http.insecureHosts = parser.values(kInsecureHost);
    http.weightPathPrefix = parser.value(kWeightPathPrefix);
    return http;
}

} // namespace tfjs::cli

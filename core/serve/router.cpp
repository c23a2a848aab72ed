#include "router.h"

#include <QByteArrayList>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QStringList>

namespace tfjs {

namespace {

// Raw bytes as messages show them: printable ASCII as is, the rest (and '\\') as %XX.
QString shown(const QByteArray &raw)
{
    QString text;
    for (const char c : raw) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte > 0x20 && byte < 0x7f && c != '\\')
            text += QLatin1Char(c);
        else
            text += QStringLiteral("%%1").arg(byte, 2, 16, QLatin1Char('0')).toUpper();
    }
    return text;
}

Error httpError(int status, QString message, const QByteArray &rawPath)
{
    Error error(status == 404 ? ErrorCode::NotFound : ErrorCode::InvalidArgument, std::move(message));
    error.status = status;
    error.url = shown(rawPath);
    return error;
}

bool isControl(char16_t c)
{
    return c < 0x20 || c == 0x7f;
}

// One segment, decoded, or the reason it is refused.
Result<QString> decodeSegment(const QByteArray &raw, const QByteArray &rawPath)
{
    const auto refuse = [&](const QString &why) {
        return fail(httpError(400,
                              QStringLiteral("The model path segment '%1' is refused: %2.")
                                  .arg(shown(raw), why),
                              rawPath));
    };
    if (raw.isEmpty())
        return fail(httpError(400, QStringLiteral("The model path has an empty segment ('//' or a "
                                                  "trailing '/')."),
                              rawPath));
    if (raw.contains('\\'))
        return refuse(QStringLiteral("it holds a backslash"));
    const QByteArray bytes = QByteArray::fromPercentEncoding(raw);
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(bytes);
    if (utf8.hasError())
        return refuse(QStringLiteral("it is not UTF-8"));
    if (text == QLatin1String(".") || text == QLatin1String(".."))
        return refuse(QStringLiteral("'.' and '..' are not model names"));
    for (const QChar c : text) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\'))
            return refuse(QStringLiteral("it decodes to a '/' or a backslash"));
        if (isControl(c.unicode()))
            return refuse(QStringLiteral("it holds a NUL or another control character"));
    }
    return text;
}

Error methodError(const QByteArray &method, const QByteArray &rawPath, const char *allowed)
{
    return httpError(405,
                     QStringLiteral("%1 is not allowed here; this URL takes %2.")
                         .arg(QString::fromLatin1(method), QLatin1String(allowed)),
                     rawPath);
}

} // namespace

Result<Route> route(const QByteArray &method, const QByteArray &rawPath)
{
    const bool read = method == "GET" || method == "HEAD";
    const QByteArray prefix = "/models";
    const QByteArray folder = "/models/";
    if (rawPath == prefix || rawPath == folder) {
        if (method == "OPTIONS")
            return Route{RouteKind::Preflight, {}, {}};
        if (!read)
            return fail(methodError(method, rawPath, "GET, HEAD, OPTIONS"));
        return Route{RouteKind::List, {}, {}};
    }
    if (!rawPath.startsWith(folder))
        return fail(httpError(404,
                              QStringLiteral("No such URL; the server answers under /models "
                                             "(GET /models lists the models)."),
                              rawPath));
    QStringList segments;
    for (const QByteArray &raw : rawPath.mid(folder.size()).split('/')) {
        auto segment = decodeSegment(raw, rawPath);
        if (!segment)
            return fail(segment.error());
        segments << *segment;
    }
    const QString whole = segments.join(QLatin1Char('/'));
    if (method == "OPTIONS")
        return Route{RouteKind::Preflight, whole, {}};
    if (method == "POST" || method == "PUT")
        return Route{RouteKind::Save, whole, {}};
    if (method == "DELETE")
        return Route{RouteKind::Delete, whole, {}};
    if (!read)
        return fail(methodError(method, rawPath, "GET, HEAD, POST, PUT, DELETE, OPTIONS"));
    const QString last = segments.takeLast();
    static const QRegularExpression tagged(QStringLiteral("^model\\.weights\\.([0-9a-f]{16})\\.bin$"));
    const QRegularExpressionMatch version = tagged.match(last);
    if (segments.isEmpty()
        || (last != QLatin1String(kModelJsonName) && last != QLatin1String(kWeightsName)
            && !version.hasMatch()))
        return fail(httpError(404,
                              QStringLiteral("No such URL; a model loads from "
                                             "/models/<path>/model.json."),
                              rawPath));
    return Route{last == QLatin1String(kModelJsonName) ? RouteKind::ModelJson : RouteKind::Weights,
                 segments.join(QLatin1Char('/')), version.captured(1)};
}

QString taggedWeightsName(const QString &tag)
{
    return QStringLiteral("model.weights.%1.bin").arg(tag);
}

} // namespace tfjs

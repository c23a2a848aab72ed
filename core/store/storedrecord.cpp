#include "storedrecord.h"

namespace tfjs {

QString storedText(const Json &json)
{
    return QString::fromStdString(stringify(json));
}

Result<Json> parseStored(const QString &text, const QString &where)
{
    const QByteArray utf8 = text.toUtf8();
    return parseJson(std::string_view(utf8.constData(), std::size_t(utf8.size())), where);
}

Result<ModelArtifacts> storedArtifacts(const QString &text, const QString &where)
{
    auto json = parseStored(text, where);
    if (!json)
        return fail(json.error());
    return artifactsFromObject(*json, where);
}

Result<ModelArtifactsInfo> storedInfo(const QString &text, const QString &where)
{
    auto json = parseStored(text, where);
    if (!json)
        return fail(json.error());
    return ModelArtifactsInfo::fromJson(*json);
}

ModelArtifactsInfo storedInfoOrEmpty(const QString &text, const QString &where)
{
    auto info = storedInfo(text, where);
    return info ? *info : ModelArtifactsInfo();
}

} // namespace tfjs

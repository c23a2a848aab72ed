#include "tfjsrecord.h"

#include <cmath>

namespace tfjs {

namespace {

Error recordError(const QString &where, const QString &message)
{
    Error error{ErrorCode::Format, QStringLiteral("%1: %2").arg(where, message)};
    error.path = where;
    return error;
}

Result<void> appendBuffer(const Json::binary_t &binary, ValueInput *input, WeightData &out,
                          const QString &where)
{
    if (input)
        return input->appendBuffer(binary, out, where);
    ValueInput inMemory({}); // copies the binary's bytes
    return inMemory.appendBuffer(binary, out, where);
}

} // namespace

Result<ModelArtifactsInfo> infoFromIndexedDbRecord(const Json &info, const QString &where)
{
    if (!info.is_object())
        return fail(recordError(where, QStringLiteral("modelArtifactsInfo is not an object.")));
    Json json = info;
    const auto date = info.find("dateSaved");
    if (date != info.end() && date->is_number()) {
        // A JavaScript Date lies within 8.64e15 ms of 1970 (ECMA-262); NaN is an Invalid Date.
        if (!(std::abs(date->get<double>()) <= 8.64e15))
            return fail(recordError(where, QStringLiteral("modelArtifactsInfo.dateSaved (%1) is "
                                                          "not a valid date.")
                                               .arg(date->get<double>())));
        json.erase("dateSaved");
    }
    auto parsed = ModelArtifactsInfo::fromJson(json);
    if (!parsed)
        return fail(recordError(where, parsed.error().message));
    if (date != info.end() && date->is_number())
        parsed->dateSaved = QDateTime::fromMSecsSinceEpoch(qint64(date->get<double>()), Qt::UTC);
    return parsed;
}

Result<ModelArtifacts> artifactsFromIndexedDbRecord(const Json &value, const QString &where,
                                                    ValueInput *input)
{
    if (!value.is_object())
        return fail(recordError(where, QStringLiteral("the record is not an object.")));
    const auto object = value.find("modelArtifacts");
    if (object == value.end() || !object->is_object())
        return fail(recordError(where, QStringLiteral("the record has no modelArtifacts object.")));
    auto artifacts = artifactsFromObject(*object, where);
    if (!artifacts)
        return fail(artifacts.error());
    const auto data = object->find("weightData");
    if (data == object->end() || data->is_null())
        return artifacts;
    if (data->is_binary()) {
        if (auto added = appendBuffer(data->get_binary(), input, artifacts->weightData, where);
            !added)
            return fail(added.error());
        return artifacts;
    }
    if (!data->is_array())
        return fail(recordError(where, QStringLiteral("weightData is neither an ArrayBuffer nor "
                                                      "an array of them (found %1).")
                                           .arg(QString::fromLatin1(data->type_name()))));
    for (const Json &part : *data) {
        if (!part.is_binary())
            return fail(recordError(where, QStringLiteral("weightData holds a %1 where an "
                                                          "ArrayBuffer belongs.")
                                               .arg(QString::fromLatin1(part.type_name()))));
        if (auto added = appendBuffer(part.get_binary(), input, artifacts->weightData, where);
            !added)
            return fail(added.error());
    }
    return artifacts;
}

} // namespace tfjs

#include "artifacts.h"

#include <algorithm>
#include <array>

namespace tfjs {

namespace {

struct KnownKey
{
    const char *name;
    std::optional<Json> ModelArtifacts::*field;
};

// The optional top-level keys in the order TF.js's getModelJSONForModelArtifacts appends them.
constexpr std::array kBrowserTail = {
    KnownKey{"signature", &ModelArtifacts::signature},
    KnownKey{"userDefinedMetadata", &ModelArtifacts::userDefinedMetadata},
    KnownKey{"modelInitializer", &ModelArtifacts::modelInitializer},
    KnownKey{"initializerSignature", &ModelArtifacts::initializerSignature},
    KnownKey{"trainingConfig", &ModelArtifacts::trainingConfig},
};
// tfjs-node's order; it drops the initializer keys, which we keep after its own.
constexpr std::array kNodeTail = {
    KnownKey{"trainingConfig", &ModelArtifacts::trainingConfig},
    KnownKey{"signature", &ModelArtifacts::signature},
    KnownKey{"userDefinedMetadata", &ModelArtifacts::userDefinedMetadata},
    KnownKey{"modelInitializer", &ModelArtifacts::modelInitializer},
    KnownKey{"initializerSignature", &ModelArtifacts::initializerSignature},
};
// The order tfjs-layers builds its artifacts object in (weightData excluded): the order of
// the object TF.js's IndexedDB store keeps.
constexpr std::array kObjectOrder = {
    KnownKey{"modelTopology", &ModelArtifacts::modelTopology},
    KnownKey{"format", &ModelArtifacts::format},
    KnownKey{"generatedBy", &ModelArtifacts::generatedBy},
    KnownKey{"convertedBy", &ModelArtifacts::convertedBy},
    KnownKey{"trainingConfig", &ModelArtifacts::trainingConfig},
    KnownKey{"signature", &ModelArtifacts::signature},
    KnownKey{"userDefinedMetadata", &ModelArtifacts::userDefinedMetadata},
    KnownKey{"modelInitializer", &ModelArtifacts::modelInitializer},
    KnownKey{"initializerSignature", &ModelArtifacts::initializerSignature},
};
constexpr std::array kHeader = {
    KnownKey{"format", &ModelArtifacts::format},
    KnownKey{"generatedBy", &ModelArtifacts::generatedBy},
    KnownKey{"convertedBy", &ModelArtifacts::convertedBy},
};

// Room for `count` members in `object`: the ordered object copies its members, a model's
// whole topology with them, each time it grows.
void reserveMembers(Json &object, std::size_t count)
{
    static_cast<Json::object_t::Container &>(object.get_ref<Json::object_t &>()).reserve(count);
}

Error formatError(const QString &where, const QString &message)
{
    Error error{ErrorCode::Format, message};
    error.path = where;
    return error;
}

QString typeName(const Json &value)
{
    return QString::fromLatin1(value.type_name());
}

} // namespace

Json ModelArtifactsInfo::toJson() const
{
    Json json = Json::object();
    json["dateSaved"] = dateSaved.toUTC().toString(Qt::ISODateWithMs).toStdString();
    json["modelTopologyType"] = modelTopologyType.toStdString();
    json["modelTopologyBytes"] = modelTopologyBytes;
    json["weightSpecsBytes"] = weightSpecsBytes;
    json["weightDataBytes"] = weightDataBytes;
    return json;
}

Result<ModelArtifactsInfo> ModelArtifactsInfo::fromJson(const Json &json)
{
    if (!json.is_object())
        return fail(ErrorCode::Format, QStringLiteral("Model info is not a JSON object."));
    ModelArtifactsInfo info;
    const auto number = [&json](const char *key, qint64 &out) -> bool {
        const auto it = json.find(key);
        if (it == json.end())
            return true;
        // JavaScript's safe integers: larger counts do not fit qint64 exactly, or at all.
        if (!it->is_number() || !(it->get<double>() >= 0 && it->get<double>() <= 0x1p53))
            return false;
        out = it->get<qint64>();
        return true;
    };
    if (!number("modelTopologyBytes", info.modelTopologyBytes)
        || !number("weightSpecsBytes", info.weightSpecsBytes)
        || !number("weightDataBytes", info.weightDataBytes))
        return fail(ErrorCode::Format, QStringLiteral("Model info has a byte count that is not a "
                                                      "number from 0 to 2^53."));
    if (const auto it = json.find("modelTopologyType"); it != json.end() && it->is_string())
        info.modelTopologyType = QString::fromStdString(it->get<std::string>());
    if (const auto it = json.find("dateSaved"); it != json.end() && it->is_string())
        info.dateSaved = QDateTime::fromString(QString::fromStdString(it->get<std::string>()),
                                               Qt::ISODateWithMs);
    return info;
}

ModelArtifactsInfo artifactsInfo(const ModelArtifacts &artifacts, QDateTime dateSaved)
{
    ModelArtifactsInfo info;
    info.dateSaved = std::move(dateSaved);
    if (artifacts.modelTopology && !artifacts.modelTopology->is_null())
        info.modelTopologyBytes = stringifiedSize(*artifacts.modelTopology);
    if (artifacts.weightSpecs)
        info.weightSpecsBytes = stringifiedSize(specsToJson(*artifacts.weightSpecs));
    info.weightDataBytes = artifacts.weightData.size();
    return info;
}

WeightsManifest singleGroupManifest(const ModelArtifacts &artifacts, const std::string &path)
{
    WeightsGroup group;
    group.paths = {path};
    if (artifacts.weightSpecs)
        group.weights = *artifacts.weightSpecs;
    return {group};
}

Json modelJson(const ModelArtifacts &artifacts, const std::optional<WeightsManifest> &manifest,
               JsonLayout layout)
{
    Json json = Json::object();
    reserveMembers(json, 2 + kHeader.size() + kNodeTail.size() + artifacts.extra.size());
    const auto put = [&json, &artifacts](const KnownKey &key, bool keepNull) {
        const std::optional<Json> &value = artifacts.*key.field;
        if (value && (keepNull || !value->is_null()))
            json[key.name] = *value;
    };
    Json manifestJson;
    if (manifest) {
        manifestJson = weightsManifestToJson(*manifest);
        if (!artifacts.weightSpecs) { // TF.js: {paths, weights: undefined} -> no "weights" key
            for (Json &group : manifestJson)
                group.erase("weights");
        }
    }
    if (artifacts.modelTopology)
        json["modelTopology"] = *artifacts.modelTopology;
    if (layout == JsonLayout::Node) {
        if (manifest)
            json["weightsManifest"] = manifestJson;
        for (const KnownKey &key : kHeader)
            put(key, true);
        for (const KnownKey &key : kNodeTail)
            put(key, false);
    } else {
        for (const KnownKey &key : kHeader)
            put(key, true);
        if (manifest)
            json["weightsManifest"] = manifestJson;
        for (const KnownKey &key : kBrowserTail)
            put(key, false);
    }
    appendMembers(json, artifacts.extra);
    return json;
}

Result<ModelArtifacts> artifactsFromModelJson(const Json &json, const QString &where)
{
    ModelArtifacts artifacts;
    if (json.is_array()) { // a bare weights manifest: no topology
        auto manifest = parseWeightsManifest(json, where);
        if (!manifest)
            return fail(manifest.error());
        artifacts.weightSpecs = flatSpecs(*manifest);
        artifacts.manifest = std::move(*manifest);
        return artifacts;
    }
    if (!json.is_object())
        return fail(formatError(where, QStringLiteral("%1 is not a TensorFlow.js model JSON: "
                                                      "expected an object or a weights manifest "
                                                      "array, found %2.")
                                           .arg(where, typeName(json))));
    if (!json.contains("modelTopology") && !json.contains("weightsManifest"))
        return fail(formatError(where, QStringLiteral("%1 is not a TensorFlow.js model JSON: it "
                                                      "has neither 'modelTopology' nor "
                                                      "'weightsManifest'.")
                                           .arg(where)));

    const auto wrongType = [&where](const std::string &key, const QString &expected,
                                    const Json &value) {
        return fail(formatError(where, QStringLiteral("In %1, '%2' must be %3, found %4.")
                                           .arg(where, QString::fromStdString(key), expected,
                                                typeName(value))));
    };
    for (const auto &[key, value] : json.items()) {
        if (key == "modelTopology") {
            if (!value.is_object() && !value.is_null())
                return wrongType(key, QStringLiteral("an object"), value);
            artifacts.modelTopology = value;
        } else if (key == "weightsManifest") {
            if (value.is_null())
                continue;
            auto manifest = parseWeightsManifest(value, where);
            if (!manifest)
                return fail(manifest.error());
            artifacts.weightSpecs = flatSpecs(*manifest);
            artifacts.manifest = std::move(*manifest);
        } else if (key == "format" || key == "generatedBy" || key == "convertedBy") {
            if (!value.is_string() && !value.is_null())
                return wrongType(key, QStringLiteral("a string"), value);
            (key == "format"        ? artifacts.format
             : key == "generatedBy" ? artifacts.generatedBy
                                    : artifacts.convertedBy) = value;
        } else if (key == "trainingConfig" || key == "signature" || key == "modelInitializer"
                   || key == "initializerSignature") {
            if (!value.is_object() && !value.is_null())
                return wrongType(key, QStringLiteral("an object"), value);
            (key == "trainingConfig" ? artifacts.trainingConfig
             : key == "signature"    ? artifacts.signature
             : key == "modelInitializer" ? artifacts.modelInitializer
                                         : artifacts.initializerSignature) = value;
        } else if (key == "userDefinedMetadata") {
            artifacts.userDefinedMetadata = value;
        } else {
            appendNewKey(artifacts.extra, key, value); // keys of one object: unique
        }
    }
    return artifacts;
}

Json artifactsObject(const ModelArtifacts &artifacts)
{
    Json json = Json::object();
    reserveMembers(json, kObjectOrder.size() + 1 + artifacts.extra.size());
    for (const KnownKey &key : kObjectOrder) {
        if (const auto &value = artifacts.*key.field)
            json[key.name] = *value;
    }
    if (artifacts.weightSpecs)
        json["weightSpecs"] = specsToJson(*artifacts.weightSpecs);
    appendMembers(json, artifacts.extra, {"weightData", "weightSpecs"});
    return json;
}

Result<ModelArtifacts> artifactsFromObject(const Json &json, const QString &where)
{
    if (!json.is_object())
        return fail(formatError(where, QStringLiteral("The stored artifacts of %1 are not a JSON object.")
                                           .arg(where)));
    ModelArtifacts artifacts;
    for (const auto &[key, value] : json.items()) {
        const auto known = std::find_if(kObjectOrder.begin(), kObjectOrder.end(),
                                        [&name = key](const KnownKey &k) { return name == k.name; });
        if (known != kObjectOrder.end()) {
            artifacts.*(known->field) = value;
        } else if (key == "weightSpecs") {
            if (!value.is_array())
                return fail(formatError(where, QStringLiteral("The stored weightSpecs of %1 are not "
                                                              "an array.")
                                                   .arg(where)));
            auto specs = parseWeightSpecs(value, where);
            if (!specs)
                return fail(specs.error());
            artifacts.weightSpecs = std::move(*specs);
        } else if (key != "weightData") {
            appendNewKey(artifacts.extra, key, value); // keys of one object: unique
        }
    }
    return artifacts;
}

} // namespace tfjs

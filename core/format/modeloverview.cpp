#include "modeloverview.h"

namespace tfjs {

const Json *kerasModelConfig(const Json &topology)
{
    if (!topology.is_object())
        return nullptr;
    if (const auto it = topology.find("model_config"); it != topology.end() && it->is_object())
        return &*it;
    if (topology.contains("class_name"))
        return &topology;
    return nullptr;
}

const Json *trainingConfigOf(const ModelArtifacts &artifacts)
{
    if (artifacts.trainingConfig && !artifacts.trainingConfig->is_null())
        return &*artifacts.trainingConfig;
    if (artifacts.modelTopology && artifacts.modelTopology->is_object()) {
        const Json &topology = *artifacts.modelTopology;
        if (const auto it = topology.find("training_config"); it != topology.end() && !it->is_null())
            return &*it;
    }
    return nullptr;
}

namespace {

int layerCountOf(const Json &model)
{
    const auto config = model.find("config");
    if (config == model.end())
        return -1;
    if (config->is_array()) // old Keras Sequential: config is the layer list
        return int(config->size());
    if (config->is_object()) {
        if (const auto layers = config->find("layers"); layers != config->end() && layers->is_array())
            return int(layers->size());
    }
    return -1;
}

std::optional<std::string> stringValue(const Json &object, const char *key)
{
    if (const auto it = object.find(key); it != object.end() && it->is_string())
        return it->get<std::string>();
    return std::nullopt;
}

} // namespace

ModelOverview overviewOf(const ModelArtifacts &artifacts)
{
    ModelOverview overview;
    overview.info = artifactsInfo(artifacts, {});
    overview.generatedBy = artifacts.generatedBy;
    overview.convertedBy = artifacts.convertedBy;
    overview.hasTrainingConfig = trainingConfigOf(artifacts) != nullptr;
    overview.hasUserDefinedMetadata =
        artifacts.userDefinedMetadata && !artifacts.userDefinedMetadata->is_null();
    overview.hasSignature = artifacts.signature && !artifacts.signature->is_null();
    overview.hasInitializer = artifacts.modelInitializer && !artifacts.modelInitializer->is_null();

    QString inferred = QStringLiteral("weights-only");
    overview.topologyKind = QStringLiteral("none");
    if (artifacts.hasTopology()) {
        const Json &topology = *artifacts.modelTopology;
        if (const Json *keras = kerasModelConfig(topology)) {
            inferred = QStringLiteral("layers-model");
            overview.topologyKind =
                QString::fromStdString(stringValue(*keras, "class_name").value_or("unknown"));
            overview.layerCount = layerCountOf(*keras);
        } else if (topology.contains("node") || topology.contains("library")
                   || topology.contains("versions")) {
            inferred = QStringLiteral("graph-model");
            overview.topologyKind = QStringLiteral("GraphDef");
            const auto nodes = topology.find("node");
            overview.nodeCount = nodes != topology.end() && nodes->is_array() ? int(nodes->size()) : 0;
            overview.functionCount = 0;
            if (const auto library = topology.find("library");
                library != topology.end() && library->is_object()) {
                if (const auto functions = library->find("function");
                    functions != library->end() && functions->is_array())
                    overview.functionCount = int(functions->size());
            }
        } else {
            inferred = QStringLiteral("unknown");
            overview.topologyKind = QStringLiteral("unknown");
        }
    }
    if (artifacts.format && artifacts.format->is_string()) {
        overview.format = QString::fromStdString(artifacts.format->get<std::string>());
        overview.formatDeclared = true;
    } else {
        overview.format = inferred;
    }

    if (artifacts.weightSpecs) {
        for (const WeightSpec &spec : *artifacts.weightSpecs) {
            ++overview.tensorCount;
            if (spec.group == "optimizer")
                ++overview.optimizerTensorCount;
            overview.parametersByDtype[dtypeName(spec.dtype)] += spec.elementCount();
            if (spec.quantization)
                ++overview.quantizedByDtype[quantDTypeName(spec.quantization->dtype)];
        }
    }
    if (artifacts.manifest) {
        // Shard sizes come from the weight data's segments when they are one per path.
        const auto &segments = artifacts.weightData.segments();
        std::size_t next = 0;
        for (const WeightsGroup &group : *artifacts.manifest) {
            std::vector<ModelOverview::Shard> shards;
            for (const std::string &path : group.paths) {
                ModelOverview::Shard shard{QString::fromStdString(path), -1};
                if (next < segments.size() && segments[next].label == shard.path)
                    shard.bytes = segments[next++].size;
                shards.push_back(shard);
            }
            overview.groups.push_back(std::move(shards));
        }
    }
    return overview;
}

Json ModelOverview::toJson() const
{
    Json json = Json::object();
    json["format"] = format.toStdString();
    json["formatDeclared"] = formatDeclared;
    json["generatedBy"] = generatedBy.value_or(Json());
    json["convertedBy"] = convertedBy.value_or(Json());
    json["topology"] = topologyKind.toStdString();
    if (layerCount >= 0)
        json["layerCount"] = layerCount;
    if (nodeCount >= 0)
        json["nodeCount"] = nodeCount;
    if (functionCount >= 0)
        json["functionCount"] = functionCount;
    json["tensorCount"] = tensorCount;
    json["optimizerTensorCount"] = optimizerTensorCount;
    Json parameters = Json::object();
    std::int64_t total = 0;
    for (const auto &[dtype, count] : parametersByDtype) {
        parameters[dtype] = count;
        total += count;
    }
    json["parameters"] = parameters;
    json["parameterCount"] = total;
    json["quantized"] = quantizedByDtype; // std::map: an object, keys sorted
    Json groupsJson = Json::array();
    int shardCount = 0;
    for (const auto &group : groups) {
        Json shards = Json::array();
        for (const Shard &shard : group) {
            Json entry = Json::object();
            entry["path"] = shard.path.toStdString();
            entry["bytes"] = shard.bytes;
            shards.push_back(entry);
            ++shardCount;
        }
        groupsJson.push_back(shards);
    }
    json["shardCount"] = shardCount;
    json["groups"] = groupsJson;
    json["hasTrainingConfig"] = hasTrainingConfig;
    json["hasUserDefinedMetadata"] = hasUserDefinedMetadata;
    json["hasSignature"] = hasSignature;
    json["hasInitializer"] = hasInitializer;
    Json infoJson = info.toJson();
    infoJson.erase("dateSaved");
    json["modelArtifactsInfo"] = infoJson;
    return json;
}

} // namespace tfjs

#pragma once

#include "base/json.h"
#include "io/weightdata.h"
#include "weightspec.h"

#include <QDateTime>

#include <optional>
#include <vector>

namespace tfjs {

// What TF.js calls ModelArtifacts. Each optional field distinguishes "absent" (nullopt) from
// a JSON value that may be null (convertedBy is null for tfjs-layers saves).
struct ModelArtifacts
{
    std::optional<Json> modelTopology;
    std::optional<Json> format;
    std::optional<Json> generatedBy;
    std::optional<Json> convertedBy;
    std::optional<Json> trainingConfig;
    std::optional<Json> signature;
    std::optional<Json> userDefinedMetadata;
    std::optional<Json> modelInitializer;
    std::optional<Json> initializerSignature;
    // Top-level keys TF.js does not know, in file order; written back after the known ones.
    Json extra = Json::object();

    // The manifest as read (groups and shard paths), when the source had one.
    std::optional<WeightsManifest> manifest;
    // Flat specs (TF.js's weightSpecs); nullopt when the model has no weights manifest.
    std::optional<std::vector<WeightSpec>> weightSpecs;
    // All weight bytes, concatenated in spec order.
    WeightData weightData;
    // The model JSON document as read, byte for byte, when the handler read one (file://,
    // chosen files, http(s)://); empty otherwise (stores keep records, not a document). For
    // showing the file as it is; saves write from the fields above, never from this.
    QByteArray jsonText;
    // The SHA-256 the medium records of weightData where it content-addresses weights (the
    // indexeddb:// and team:// stores), set by loads with or without weights; empty elsewhere.
    // LoadOptions::weightsHash loads these weights again later.
    QString weightsHash;

    bool hasTopology() const { return modelTopology.has_value() && !modelTopology->is_null(); }
};

// Byte counts as io_utils.getModelArtifactsInfoForJSON computes them.
struct ModelArtifactsInfo
{
    QDateTime dateSaved;            // UTC
    QString modelTopologyType = QStringLiteral("JSON");
    qint64 modelTopologyBytes = 0;  // UTF-8 length of JSON.stringify(modelTopology)
    qint64 weightSpecsBytes = 0;    // UTF-8 length of JSON.stringify(weightSpecs)
    qint64 weightDataBytes = 0;

    // {"dateSaved": ISO string, "modelTopologyType", "modelTopologyBytes", ...}
    Json toJson() const;
    [[nodiscard]] static Result<ModelArtifactsInfo> fromJson(const Json &json);
};

ModelArtifactsInfo artifactsInfo(const ModelArtifacts &artifacts,
                                 QDateTime dateSaved = QDateTime::currentDateTimeUtc());

struct SaveResult
{
    ModelArtifactsInfo modelArtifactsInfo;
    QStringList files;         // what was written (paths or URLs), for the user
    int httpStatus = 0;        // http(s) saves
    QByteArray responseBody;   // http(s) saves
};

// Which TF.js writer's key order to follow.
enum class JsonLayout {
    Browser, // io_utils.getModelJSONForModelArtifacts (downloads, http, stores)
    Node,    // tfjs-node file_system.ts (modelTopology, weightsManifest, format, ...)
};

// The model.json object for `artifacts` with the given manifest. Node layout keeps
// modelInitializer/initializerSignature too (tfjs-node drops them; we do not lose data).
Json modelJson(const ModelArtifacts &artifacts, const std::optional<WeightsManifest> &manifest,
               JsonLayout layout);

// A one-group manifest {paths: [path], weights: specs} (no "weights" key without specs is
// TF.js's behaviour for browser saves; we write "weights": [] only when specs exist).
WeightsManifest singleGroupManifest(const ModelArtifacts &artifacts, const std::string &path);

// Reads a model JSON document: layers-model or graph-model `model.json`, `<name>.json`, or a
// bare weights manifest (a JSON array of groups: no topology). Validates types of the known
// keys and the manifest; keeps the topology as written (a Keras `model_config` wrapper is
// unwrapped only by inspection). Does not touch weight bytes.
[[nodiscard]] Result<ModelArtifacts> artifactsFromModelJson(const Json &json, const QString &where);

// TF.js's ModelArtifacts object without weightData, as its IndexedDB store keeps it: the
// known keys in the order tfjs-layers builds them, weightSpecs, then unknown keys.
Json artifactsObject(const ModelArtifacts &artifacts);
// The reverse: known keys as given, weightSpecs checked, a "weightData" key ignored (the
// caller supplies the bytes), unknown keys kept in `extra`.
[[nodiscard]] Result<ModelArtifacts> artifactsFromObject(const Json &json, const QString &where);

} // namespace tfjs

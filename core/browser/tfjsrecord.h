#pragma once

#include "base/error.h"
#include "base/json.h"
#include "browser/valueinput.h"
#include "format/artifacts.h"

#include <QString>

namespace tfjs {

// What TF.js's indexed_db.ts stores, decoded from a browser's serialisation (Firefox's
// structured clone, Chromium's V8 serializer) into Json by these rules:
//   objects, dense arrays, strings, numbers, booleans and null as themselves; sparse-array
//   holes as null; object members whose value is undefined are dropped (as JSON.stringify
//   does); an ArrayBuffer (or a view's bytes) as Json::binary; a Date as its number of
//   milliseconds since the epoch (UTC); back-references as a copy of the value referred to.

// A models_store value {modelPath, modelArtifacts, modelArtifactsInfo} as TF.js's
// BrowserIndexedDB.load returns it: modelTopology (an object), weightSpecs, weightData (one
// ArrayBuffer, or an array of them that is concatenated), format, generatedBy, convertedBy,
// signature, userDefinedMetadata, modelInitializer, initializerSignature, trainingConfig.
// `where` names the record in messages (e.g. "<profile> IndexedDB <origin> 'my-model'").
// `input`: where the value's buffer references point (valueinput.h); their bytes become
// segments of its file.
[[nodiscard]] Result<ModelArtifacts> artifactsFromIndexedDbRecord(const Json &value,
                                                                  const QString &where,
                                                                  ValueInput *input = nullptr);

// A modelArtifactsInfo object (of model_info_store or models_store): dateSaved (a Date as
// above, or an ISO string), modelTopologyType, the three byte counts.
[[nodiscard]] Result<ModelArtifactsInfo> infoFromIndexedDbRecord(const Json &info, const QString &where);

} // namespace tfjs

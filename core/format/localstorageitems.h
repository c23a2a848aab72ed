#pragma once

#include "format/artifacts.h"
#include "base/error.h"

#include <QString>

#include <array>
#include <optional>

namespace tfjs {

// The five localStorage items TF.js keeps per model, "tensorflowjs_models/<path>/<suffix>",
// in the order TF.js writes (and removes) them: info, model_topology, weight_specs,
// weight_data, model_metadata. A missing item is nullopt.
using LocalStorageItems = std::array<std::optional<QString>, 5>;
const std::array<QString, 5> &localStorageSuffixes();
QString localStorageKey(const QString &path, const QString &suffix);

// An Error about model `path` (the localStorage store's messages name the model path).
Error pathError(ErrorCode code, const QString &message, const QString &path);

// JSON.parse of an item; a missing item (or "null") is nullopt, as JSON.parse(null) gives null.
[[nodiscard]] Result<std::optional<Json>> parseLocalStorageItem(
    const std::optional<QString> &value, const QString &key);

// What TF.js's save writes under model_metadata, in its key order: format, generatedBy and
// convertedBy as given (undefined ones vanish, null stays), the others only when non-null.
Json localStorageMetadata(const ModelArtifacts &artifacts);

// TF.js's load of the items of model `path`, with its order of checks and messages ("In local
// storage, there is no model with name '<p>'", "... the topology of model '<p>' is missing." ...).
[[nodiscard]] Result<ModelArtifacts> artifactsFromItems(const LocalStorageItems &items, const QString &path);

} // namespace tfjs

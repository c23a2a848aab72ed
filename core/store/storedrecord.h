#pragma once

#include "base/error.h"
#include "base/json.h"
#include "format/artifacts.h"

#include <QString>

namespace tfjs {

// The two records a store keeps per model as JSON text, as TF.js's IndexedDB object stores do
// (modelArtifacts without the weight bytes, and modelArtifactsInfo), written and read back.
// Shared by the SQLite store (indexeddb://) and the PostgreSQL one (team://). `where` names
// the model in errors ("indexeddb://name").
QString storedText(const Json &json);
[[nodiscard]] Result<Json> parseStored(const QString &text, const QString &where);
// The modelArtifacts record as artifacts (without weight data).
[[nodiscard]] Result<ModelArtifacts> storedArtifacts(const QString &text, const QString &where);
// The modelArtifactsInfo record.
[[nodiscard]] Result<ModelArtifactsInfo> storedInfo(const QString &text, const QString &where);
// The info record where it is readable, else an empty info: a remove or rename goes on, as one
// damaged record must not keep a model from being removed.
ModelArtifactsInfo storedInfoOrEmpty(const QString &text, const QString &where);

} // namespace tfjs

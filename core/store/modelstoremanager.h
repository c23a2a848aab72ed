#pragma once

#include "artifacts.h"
#include "error.h"

#include <QString>

#include <vector>

namespace tfjs {

// One model held by a store: its path (without scheme) and the info saved with it.
struct StoredModel
{
    QString path;
    ModelArtifactsInfo info;
};

// What TF.js calls a ModelStoreManager: a medium that can list and remove the models it holds.
// Objects are opened per operation on the calling thread (they own a database connection).
class ModelStoreManager
{
public:
    virtual ~ModelStoreManager() = default;

    // Every model, sorted by path. Reads no weights.
    virtual Result<std::vector<StoredModel>> listModels() = 0;
    // Deletes one model (a leading "<scheme>://" is stripped, as TF.js does) and returns the
    // info it had. A missing model is an error in the medium's own words.
    virtual Result<ModelArtifactsInfo> removeModel(const QString &path) = 0;
    // Renames a model inside the medium in one transaction, replacing a model at `to`; keeps the
    // stored info (dateSaved included). A missing source is the medium's load error.
    virtual Result<ModelArtifactsInfo> renameModel(const QString &from, const QString &to) = 0;
};

} // namespace tfjs

#pragma once

#include "format/artifacts.h"
#include "base/error.h"
#include "io/existing.h"
#include "trashentry.h"

#include <QString>

#include <vector>

namespace tfjs {

// One model held by a store: its path (without scheme) and the info saved with it.
struct StoredModel
{
    StoredModel() = default;
    StoredModel(QString path, ModelArtifactsInfo info, QString origin = {}, QString storage = {})
        : path(std::move(path)), info(std::move(info)), origin(std::move(origin)),
          storage(std::move(storage))
    {
    }

    QString path;
    ModelArtifactsInfo info;
    // Where a found model lives inside its medium (browser profiles): the page's origin and
    // "indexeddb" or "localstorage"; empty for stores.
    QString origin;
    QString storage;
    // Who saved it, where the medium records that (team://: "<database role>@<client host>").
    QString savedBy;
};

// What TF.js calls a ModelStoreManager: a medium that can list and remove the models it holds,
// plus what a desktop manager adds: renames that never replace unasked, and a trash. A model
// that is removed or replaced goes to the store's trash in the same transaction, from where it
// can be restored; entries older than kTrashDays are purged by the next write to the store.
// Objects are opened per operation on the calling thread (they own a database connection).
// Paths may carry a leading "<scheme>://", which is stripped (as TF.js does).
class ModelStoreManager
{
public:
    virtual ~ModelStoreManager() = default;

    // Every model, sorted by path. Reads no weights.
    [[nodiscard]] virtual Result<std::vector<StoredModel>> listModels() = 0;
    // Moves one model to the trash (TrashReason::Removed) and returns the info it had. A
    // missing model is an error in the medium's own words.
    [[nodiscard]] virtual Result<ModelArtifactsInfo> removeModel(const QString &path) = 0;
    // Deletes one model for good, bypassing the trash (a move's source once its copy is safe).
    [[nodiscard]] virtual Result<ModelArtifactsInfo> deleteModel(const QString &path) = 0;
    // Fails, saying why, when models cannot be removed here now (a store on a read-only file
    // system or a full disk, a database role without the right): a move asks before it copies.
    [[nodiscard]] virtual Result<void> checkCanRemove() { return {}; }
    // Renames a model inside the medium in one transaction; keeps the stored info (dateSaved
    // included). A model at `to` is handled as `existing` says (replaced: to the trash). A
    // missing source is the medium's load error.
    [[nodiscard]] virtual Result<ModelArtifactsInfo> renameModel(const QString &from, const QString &to,
                                                   Existing existing) = 0;

    // The trash, oldest first.
    [[nodiscard]] virtual Result<std::vector<TrashEntry>> listTrash() = 0;
    // Puts trash entry `id` back at `to` (its original path when empty) and returns where it is
    // now. A model at that path is handled as `existing` says.
    [[nodiscard]] virtual Result<StoredModel> restoreFromTrash(qint64 id, const QString &to,
                                                 Existing existing) = 0;
    // Deletes the trash entries `ids` for good, with the weights only they used, in one
    // transaction, and returns them. A missing entry is NotFound naming it, and then nothing
    // is deleted.
    [[nodiscard]] virtual Result<std::vector<TrashEntry>> deleteFromTrash(const std::vector<qint64> &ids) = 0;
    // Deletes the trash entries removed before `removedBefore` (all when it is invalid) and the
    // weights only they used; returns how many entries went.
    [[nodiscard]] virtual Result<int> emptyTrash(const QDateTime &removedBefore) = 0;
};

} // namespace tfjs

#pragma once

#include "modelstoremanager.h"
#include "registry.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace tfjs {

class JobContext;

// TF.js's model management (model_management.ts) over a handler registry: list and remove per
// store, copy and move between any two schemes with handlers, with TF.js's checks and messages:
//   "Old path and new path are the same: '<src>'"
//   "Copying failed because no load handler is found for source URL <src>."
//   "Copying failed because no save handler is found for destination URL <dst>."
//   "The url string provided does not contain a scheme. Supported schemes are: localstorage,indexeddb"
//   "Cannot find model manager for scheme '<s>'"
// and each medium's own message for a missing model. As in TF.js, a string without "://" has no
// handler here (the CLI turns plain paths into file:// URLs itself); an unknown scheme is the
// registry's error, which lists the known ones. Unlike TF.js, a path may contain "://" (TF.js
// truncates it there), and moveModel is safe: within one store it is a rename in one
// transaction; across media it copies, then removes the source only after the copy succeeded
// (TF.js removes it first, so a failed save loses the model), and a source scheme without a
// store manager is refused before anything is written.
//
// Nothing is replaced unasked: copy, move, rename and restore take an Existing policy
// (existing.h). With Refuse (the default) a destination that already holds a model fails with
// ErrorCode::Exists before anything is loaded (so a GUI can ask before a long download), and
// the save checks again atomically. With Replace a replaced store model goes to its store's
// trash. removeModel moves a model to the trash too; a move's source is deleted for good once
// its copy is saved. Stores are opened per call on the calling thread.
class ModelManager
{
public:
    // Works on the stores `registry` has (HandlerRegistry::storeFor), in its registration
    // order (TF.js's: localstorage, indexeddb). `registry` must outlive the manager.
    explicit ModelManager(const HandlerRegistry &registry);

    QStringList schemes() const; // the store schemes, in registration order

    // One store's models (path -> info), sorted by path.
    [[nodiscard]] Result<std::vector<StoredModel>> listModels(const QString &scheme) const;
    // Every store's models as "<scheme>://<path>" -> info, in scheme registration order.
    [[nodiscard]] Result<std::vector<std::pair<QString, ModelArtifactsInfo>>> listAllModels() const;

    // True when `url` (any scheme with a save handler) already holds a model that a save would
    // replace (IOHandler::hasModel).
    [[nodiscard]] Result<bool> hasModel(const QString &url) const;
    // "Keep both": `url` when it holds no model, else the first of "<url> (1)", "<url> (2)" ...
    // that holds none (for file:// also no file of that name). Trailing slashes are dropped.
    [[nodiscard]] Result<QString> freeDestination(const QString &url) const;
    // True when two URLs name one model: the same text (TF.js's check), or for file:// a model
    // JSON inside the destination folder under the name a save would write.
    static bool sameModel(const QString &source, const QString &destination);

    // Moves the model to its store's trash; returns its info.
    [[nodiscard]] Result<ModelArtifactsInfo> removeModel(const QString &url) const;
    // Returns what the save reported (files written, or an upload's answer).
    [[nodiscard]] Result<SaveResult> copyModel(const QString &source, const QString &destination,
                                 JobContext &ctx, Existing existing = Existing::Refuse) const;
    // The same copy from a handler without a URL (a FileListHandler over chosen files). Every copy
    // and move runs this one sequence: refuse a taken destination (Refuse) before loading, load
    // with downloads spooled where the save can name them, save with the Existing policy.
    [[nodiscard]] Result<SaveResult> copyModel(IOHandler &source, const QString &destination, JobContext &ctx,
                                 Existing existing = Existing::Refuse) const;
    [[nodiscard]] Result<ModelArtifactsInfo> moveModel(const QString &source, const QString &destination,
                                         JobContext &ctx,
                                         Existing existing = Existing::Refuse) const;
    // A move that must stay inside one store (both URLs of one scheme with a store manager).
    [[nodiscard]] Result<ModelArtifactsInfo> renameModel(const QString &source, const QString &destination,
                                           Existing existing = Existing::Refuse) const;

    // The trash of the stores.
    struct TrashItem
    {
        QString scheme; // "indexeddb"
        TrashEntry entry;
        QString url() const { return ModelUrl::make(scheme, entry.path); }
    };
    // The trash of one store (oldest first), or of every store (in registration order) when
    // `scheme` is empty.
    [[nodiscard]] Result<std::vector<TrashItem>> listTrash(const QString &scheme = {}) const;
    // Puts entry `id` of `scheme`'s trash back at `destination` (a URL of the same store; its
    // original path when empty) and returns the URL it has now. A model there is handled as
    // `existing` says.
    [[nodiscard]] Result<QString> restoreFromTrash(const QString &scheme, qint64 id,
                                     const QString &destination = {},
                                     Existing existing = Existing::Refuse) const;
    // Deletes entry `id` of `scheme`'s trash for good, with the weights only it used, and
    // returns it. A missing entry is NotFound naming it and its store.
    [[nodiscard]] Result<TrashItem> deleteFromTrash(const QString &scheme, qint64 id) const;
    // Deletes several entries of one store's trash in one transaction, all or none: a
    // missing one is NotFound naming it, and nothing is deleted. Returns them in the order
    // given (a repeated id counts once).
    [[nodiscard]] Result<std::vector<TrashItem>> deleteFromTrash(
        const QString &scheme, const std::vector<qint64> &ids) const;
    // Deletes the trash entries of `scheme` (every store when empty) removed more than
    // `olderThanDays` days ago (all when nullopt); returns how many went.
    [[nodiscard]] Result<int> emptyTrash(const QString &scheme = {},
                           std::optional<int> olderThanDays = std::nullopt) const;

private:
    struct Parsed
    {
        QString scheme;
        QString path;
    };
    [[nodiscard]] Result<Parsed> parseUrl(const QString &url) const;
    [[nodiscard]] Result<std::unique_ptr<ModelStoreManager>> managerFor(const QString &scheme) const;
    QStringList schemesOrAll(const QString &scheme) const;
    struct Handlers
    {
        std::unique_ptr<IOHandler> load;
        std::unique_ptr<IOHandler> save;
    };
    [[nodiscard]] Result<Handlers> handlersFor(const QString &source, const QString &destination,
                                 Existing existing) const;
    [[nodiscard]] Result<std::unique_ptr<IOHandler>> handlerFor(const QString &url, bool forLoad) const;

    const HandlerRegistry &m_registry;
};

} // namespace tfjs

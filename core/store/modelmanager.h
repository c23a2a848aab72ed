#pragma once

#include "handlers.h"
#include "modelstoremanager.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
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
// handler here (the CLI turns plain paths into file:// URLs itself). Unlike TF.js, a path may
// contain "://" (TF.js truncates it there), and moveModel is safe: within one store it is a
// rename in one transaction; across media it copies, then removes the source only after the
// copy succeeded (TF.js removes it first, so a failed save loses the model), and a source
// scheme without a store manager is refused before anything is written. Stores are opened per
// call on the calling thread.
class ModelManager
{
public:
    using Factory = std::function<Result<std::unique_ptr<ModelStoreManager>>()>;

    // Registers localstorage and indexeddb (in TF.js's order) on the folders of `options`.
    // `registry` must outlive the manager.
    ModelManager(const HandlerRegistry &registry, const HandlerOptions &options);

    // Adds (or replaces) the store manager of a scheme.
    void addManager(const QString &scheme, Factory factory);
    QStringList schemes() const; // in registration order

    // One store's models (path -> info), sorted by path.
    Result<std::vector<StoredModel>> listModels(const QString &scheme) const;
    // Every store's models as "<scheme>://<path>" -> info, in scheme registration order.
    Result<std::vector<std::pair<QString, ModelArtifactsInfo>>> listAllModels() const;

    // Returns the removed model's info.
    Result<ModelArtifactsInfo> removeModel(const QString &url) const;
    // Returns the info of the saved copy.
    Result<ModelArtifactsInfo> copyModel(const QString &source, const QString &destination,
                                         JobContext &ctx) const;
    Result<ModelArtifactsInfo> moveModel(const QString &source, const QString &destination,
                                         JobContext &ctx) const;
    // A move that must stay inside one store (both URLs of one scheme with a store manager).
    Result<ModelArtifactsInfo> renameModel(const QString &source, const QString &destination) const;

private:
    struct Parsed
    {
        QString scheme;
        QString path;
    };
    Result<Parsed> parseUrl(const QString &url) const;
    Result<std::unique_ptr<ModelStoreManager>> managerFor(const QString &scheme) const;
    struct Handlers
    {
        std::unique_ptr<IOHandler> load;
        std::unique_ptr<IOHandler> save;
    };
    Result<Handlers> handlersFor(const QString &source, const QString &destination) const;

    const HandlerRegistry &m_registry;
    std::vector<std::pair<QString, Factory>> m_managers;
};

} // namespace tfjs

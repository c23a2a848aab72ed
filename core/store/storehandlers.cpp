#include "storehandlers.h"

#include "indexeddbstore.h"
#include "localstoragestore.h"
#include "handlers/handleroptions.h"

namespace tfjs {

namespace {

constexpr Capabilities kStoreCapabilities = Capability::Load | Capability::Save | Capability::List
                                            | Capability::Remove | Capability::Rename
                                            | Capability::Trash;

template<typename Store, typename... Args>
Result<std::unique_ptr<ModelStoreManager>> openStore(Args... args)
{
    auto store = Store::open(args..., Store::Access::Read);
    if (!store)
        return fail(store.error());
    return std::unique_ptr<ModelStoreManager>(std::move(*store));
}

} // namespace

void registerStoreHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    // In TF.js's order (ModelManager lists stores in it). The folders are resolved when a
    // handler or store is made, so TFJS_STORE_DIR set later still counts.
    SchemeInfo local;
    local.scheme = QStringLiteral("localstorage");
    local.capabilities = kStoreCapabilities;
    local.displayName = QStringLiteral("Local storage");
    local.iconName = QStringLiteral("localstorage");
    local.trashName = QStringLiteral("Local storage trash");
    local.rank = 1;
    registry.add(
        local,
        [options](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
            if (url.path.isEmpty())
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("For local storage, modelPath must not be "
                                           "null, undefined or empty."));
            return std::make_unique<LocalStorageHandler>(storeDirectory(options),
                                                         localStorageQuota(options), url.path);
        },
        [options] {
            return openStore<LocalStorageStore>(storeDirectory(options), localStorageQuota(options));
        });

    SchemeInfo indexedDb;
    indexedDb.scheme = QStringLiteral("indexeddb");
    indexedDb.capabilities = kStoreCapabilities;
    indexedDb.displayName = QStringLiteral("Model store");
    indexedDb.iconName = QStringLiteral("store");
    indexedDb.trashName = QStringLiteral("Store trash");
    indexedDb.rank = 0;
    registry.add(
        indexedDb,
        [options](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
            if (url.path.isEmpty())
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("For IndexedDB, modelPath must not be null, "
                                           "undefined or empty."));
            return std::make_unique<IndexedDbHandler>(storeDirectory(options), url.path);
        },
        [options] { return openStore<IndexedDbStore>(storeDirectory(options)); });
}

} // namespace tfjs

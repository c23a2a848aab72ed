#include "storehandlers.h"

#include "handlers/handleroptions.h"
#include "indexeddbstore.h"
#include "localstoragestore.h"

namespace tfjs {

namespace {

constexpr Capabilities kStoreCapabilities = Capability::Load | Capability::Save | Capability::List
    | Capability::Remove | Capability::Rename | Capability::Trash;

template<typename Store, typename... Args>
Result<std::unique_ptr<ModelStoreManager>> openStore(Args... args)
{
    auto store = Store::open(args..., Store::Access::Read);
    if (!store)
        return fail(store.error());
    return std::unique_ptr<ModelStoreManager>(std::move(*store));
}

// A store's entry: it does all a store can; `rank` orders it before the other schemes.
SchemeInfo storeInfo(const QString &scheme, const QString &displayName, const QString &iconName,
    const QString &trashName, int rank)
{
    SchemeInfo info;
    info.scheme = scheme;
    info.capabilities = kStoreCapabilities;
    info.displayName = displayName;
    info.iconName = iconName;
    info.trashName = trashName;
    info.rank = rank;
    return info;
}

} // namespace

void registerStoreHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    // In TF.js's order (ModelManager lists stores in it). The folders are resolved when a
    // handler or store is made, so TFJS_STORE_DIR set later still counts.
    registry.add(
        storeInfo(QStringLiteral("localstorage"), QStringLiteral("Local storage"),
            QStringLiteral("localstorage"), QStringLiteral("Local storage trash"), 1),
        [options](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
            if (url.path.isEmpty())
                return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("For local storage, modelPath must not be "
                                   "null, undefined or empty."));
            return std::make_unique<LocalStorageHandler>(
                storeDirectory(options), localStorageQuota(options), url.path);
        },
        [options] {
            return openStore<LocalStorageStore>(
                storeDirectory(options), localStorageQuota(options));
        });

    registry.add(
        storeInfo(QStringLiteral("indexeddb"), QStringLiteral("Model store"),
            QStringLiteral("store"), QStringLiteral("Store trash"), 0),
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

#include "storehandlers.h"

#include "indexeddbstore.h"
#include "localstoragestore.h"
#include "handlers/handleroptions.h"

namespace tfjs {

void registerStoreHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    // The folders are resolved when a handler is made, so TFJS_STORE_DIR set later still counts.
    registry.add(QStringLiteral("indexeddb"),
                 [options](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
                     if (url.path.isEmpty())
                         return fail(ErrorCode::InvalidArgument,
                                     QStringLiteral("For IndexedDB, modelPath must not be null, "
                                                    "undefined or empty."));
                     return std::make_unique<IndexedDbHandler>(storeDirectory(options), url.path);
                 });
    registry.add(QStringLiteral("localstorage"),
                 [options](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
                     if (url.path.isEmpty())
                         return fail(ErrorCode::InvalidArgument,
                                     QStringLiteral("For local storage, modelPath must not be "
                                                    "null, undefined or empty."));
                     return std::make_unique<LocalStorageHandler>(
                         storeDirectory(options), localStorageQuota(options), url.path);
                 });
}

} // namespace tfjs

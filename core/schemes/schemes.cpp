#include "schemes.h"

#include "browser/browserhandlers.h"
#include "file/filehandlers.h"
#include "http/httphandlers.h"
#include "store/storehandlers.h"

namespace tfjs {

HandlerRegistry makeDefaultRegistry(const HandlerOptions &options)
{
    HandlerRegistry registry;
    registry.setDurability(options.durability);
    registry.setShardSize(options.shardSize);
    registerFileHandlers(registry, options);
    registerStoreHandlers(registry, options);
    registerHttpHandlers(registry, options);
    registerBrowserHandlers(registry, options);
    return registry;
}

} // namespace tfjs

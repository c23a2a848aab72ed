#include "schemes.h"

#include "browser/browserhandlers.h"
#include "file/filehandlers.h"
#include "http/httphandlers.h"
#include "store/storehandlers.h"
#include "team/teamhandlers.h"

namespace tfjs {

HandlerRegistry makeDefaultRegistry(const HandlerOptions &options)
{
    HandlerRegistry registry;
    registry.setDurability(options.durability);
    registry.setShardSize(options.shardSize);
    registerFileHandlers(registry, options);
    registerStoreHandlers(registry, options);
    registerTeamHandlers(registry, options);
    registerHttpHandlers(registry, options);
    registerBrowserHandlers(registry, options);
    return registry;
}

} // namespace tfjs

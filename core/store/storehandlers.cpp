#include "storehandlers.h"

namespace tfjs {

void registerStoreHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    Q_UNUSED(registry)
    Q_UNUSED(options)
}

} // namespace tfjs

#include "httphandlers.h"

namespace tfjs {

void registerHttpHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    Q_UNUSED(registry)
    Q_UNUSED(options)
}

} // namespace tfjs

#pragma once

#include "handlers.h"

namespace tfjs {

// Registers http:// and https://.
void registerHttpHandlers(HandlerRegistry &registry, const HandlerOptions &options);

} // namespace tfjs

#pragma once

#include "handlers/handleroptions.h"
#include "handlers/registry.h"

namespace tfjs {

// Registers http:// and https://.
void registerHttpHandlers(HandlerRegistry &registry, const HandlerOptions &options);

} // namespace tfjs

#pragma once

#include "handlers/handleroptions.h"
#include "handlers/registry.h"

namespace tfjs {

// Registers file:// and downloads://.
void registerFileHandlers(HandlerRegistry &registry, const HandlerOptions &options);

} // namespace tfjs

#pragma once

#include "handlers/handleroptions.h"
#include "handlers/registry.h"

namespace tfjs {

// Registers indexeddb:// and localstorage://.
void registerStoreHandlers(HandlerRegistry &registry, const HandlerOptions &options);

} // namespace tfjs

#pragma once

#include "handlers/handleroptions.h"
#include "handlers/registry.h"

namespace tfjs {

// Registers localstorage:// and indexeddb:// with their store managers.
void registerStoreHandlers(HandlerRegistry &registry, const HandlerOptions &options);

} // namespace tfjs

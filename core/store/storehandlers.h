#pragma once

#include "handlers.h"

namespace tfjs {

// Registers indexeddb://, localstorage:// and downloads://.
void registerStoreHandlers(HandlerRegistry &registry, const HandlerOptions &options);

} // namespace tfjs

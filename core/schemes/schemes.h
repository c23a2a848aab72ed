#pragma once

#include "handlers/handleroptions.h"
#include "handlers/registry.h"

namespace tfjs {

// A registry with every scheme this build supports.
HandlerRegistry makeDefaultRegistry(const HandlerOptions &options = {});

} // namespace tfjs

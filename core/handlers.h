#pragma once

#include "registry.h"

namespace tfjs {

// Where the local media live; empty fields mean the platform default.
struct HandlerOptions
{
    QString storeDir;     // indexeddb:// and localstorage:// databases
    QString downloadsDir; // downloads://
};

// A registry with every scheme this build supports.
HandlerRegistry makeDefaultRegistry(const HandlerOptions &options = {});

} // namespace tfjs

#pragma once

#include "http/httpoptions.h"
#include "registry.h"

namespace tfjs {

// Where the local media live; empty fields mean the platform default.
struct HandlerOptions
{
    QString storeDir;     // indexeddb:// and localstorage:// databases
    QString downloadsDir; // downloads://
    qint64 localStorageQuota = 0; // bytes of UTF-16 text; 0: the default (5 MiB)
    HttpOptions http;             // http:// and https:// (headers, upload method, TLS, ...)
    Durability durability = Durability::Relaxed; // of every save (see durability.h)
};

// A registry with every scheme this build supports.
HandlerRegistry makeDefaultRegistry(const HandlerOptions &options = {});

} // namespace tfjs

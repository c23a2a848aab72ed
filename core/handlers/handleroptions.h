#pragma once

#include "httpoptions.h"
#include "io/durability.h"

#include <QString>

namespace tfjs {

// What every scheme's handlers are made with; empty fields mean the platform default. The
// options of all schemes live here, below the schemes, so a scheme reads its own part without
// knowing the others.
struct HandlerOptions
{
    QString storeDir;     // indexeddb:// and localstorage:// databases
    QString downloadsDir; // downloads://
    qint64 localStorageQuota = 0; // bytes of UTF-16 text; 0: the default (5 MiB)
    HttpOptions http;             // http:// and https:// (headers, upload method, TLS, ...)
    Durability durability = Durability::Relaxed; // of every save (see durability.h)
    qint64 shardSize = 0; // bytes per weight file of file:// saves; 0: one weights.bin
    QString homeDir;      // where firefox:// and chromium:// look for profiles; empty: $HOME
    QString teamUri;      // team://: a PostgreSQL connection URI; empty: $TFJS_TEAM
    // team://: a password the user typed (the app asks when the server wants one); never saved.
    // Empty: libpq's own places (PGPASSWORD, ~/.pgpass).
    QString teamPassword;
};

// The folder of the indexeddb:// and localstorage:// databases: options.storeDir, else
// $TFJS_STORE_DIR, else <QStandardPaths::AppDataLocation>/store.
QString storeDirectory(const HandlerOptions &options);

// The folder downloads:// writes to: options.downloadsDir, else QStandardPaths::DownloadLocation
// (the home folder when the platform has none).
QString downloadsDirectory(const HandlerOptions &options);

// The team store's connection URI: options.teamUri, else $TFJS_TEAM (empty when neither).
QString teamUri(const HandlerOptions &options);

// Browsers give an origin 5 MiB of localStorage, counted as UTF-16 text (2 bytes per unit).
inline constexpr qint64 kDefaultLocalStorageQuota = 5 * 1024 * 1024;
qint64 localStorageQuota(const HandlerOptions &options);

} // namespace tfjs

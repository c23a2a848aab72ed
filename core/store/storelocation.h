#pragma once

#include "handlers.h"

namespace tfjs {

// The folder of the indexeddb:// and localstorage:// databases: options.storeDir, else
// $TFJS_STORE_DIR, else <QStandardPaths::AppDataLocation>/store.
QString storeDirectory(const HandlerOptions &options);

// The folder downloads:// writes to: options.downloadsDir, else QStandardPaths::DownloadLocation
// (the home folder when the platform has none).
QString downloadsDirectory(const HandlerOptions &options);

// Browsers give an origin 5 MiB of localStorage, counted as UTF-16 text (2 bytes per unit).
inline constexpr qint64 kDefaultLocalStorageQuota = 5 * 1024 * 1024;
qint64 localStorageQuota(const HandlerOptions &options);

} // namespace tfjs

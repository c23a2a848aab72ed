#pragma once

#include "browserentry.h"

#include "error.h"
#include "handlers.h"

#include <vector>

namespace tfjs {
class JobContext;
}

namespace tfjs::ui {

// Adapters from core's model management (core/store) for the browser and its actions. All run
// on a worker thread inside a Job.

// Models in a store scheme ("indexeddb", "localstorage"), with their info (never weights).
Result<std::vector<BrowserEntry>> listStore(const HandlerOptions &options, const QString &scheme,
                                            JobContext &ctx);
// Removes the model at `url` ("indexeddb://name").
Result<void> removeStoredModel(const HandlerOptions &options, const QString &url, JobContext &ctx);
// Renames a model inside its store; `newName` is the path without the scheme.
Result<void> renameStoredModel(const HandlerOptions &options, const QString &url,
                               const QString &newName, JobContext &ctx);
// True for URLs whose models can be removed and renamed from the browser.
bool isStoreUrl(const QString &url);

} // namespace tfjs::ui

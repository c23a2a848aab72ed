#pragma once

#include "browserentry.h"

#include "base/error.h"
#include "handlers/registry.h"

#include <vector>

namespace tfjs {
class JobContext;
}

namespace tfjs::ui {

// Adapters from core's model management (core/store) for the browser and its actions. All run
// on a worker thread inside a Job.

// Models in a scheme that lists them (Capability::List), with their info (never weights).
Result<std::vector<BrowserEntry>> listStore(const HandlerRegistry &registry, const QString &scheme,
                                            JobContext &ctx);
// Models found on this machine by a scheme with Capability::Find (every browser profile
// found): the name is the model's path inside its profile, with its origin, storage and
// profile set; the format is left unknown (finding it would load each model). `profiles`:
// how many profiles of the scheme core finds below `homeDir` (empty: $HOME).
struct FoundModels
{
    std::vector<BrowserEntry> entries;
    std::size_t profiles = 0;
};
Result<FoundModels> listFound(const HandlerRegistry &registry, const QString &scheme,
                              const QString &homeDir, JobContext &ctx);
// The trash of a store scheme: each entry's URL is where it was (and where Restore puts it),
// `trashId` and `trashReason` say which entry and why it is there, `date` when it went.
Result<std::vector<BrowserEntry>> listTrash(const HandlerRegistry &registry, const QString &scheme,
                                            JobContext &ctx);

} // namespace tfjs::ui

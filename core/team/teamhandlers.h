#pragma once

#include "handlers/handleroptions.h"
#include "handlers/registry.h"

namespace tfjs {

// team://: the team store on PostgreSQL (options.teamUri, else $TFJS_TEAM).
void registerTeamHandlers(HandlerRegistry &registry, const HandlerOptions &options);

} // namespace tfjs

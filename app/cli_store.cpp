#include "cli.h"

namespace tfjs::cli {

QList<Command> storeCommands()
{
    return {};
}

} // namespace tfjs::cli

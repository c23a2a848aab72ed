#include "cli.h"

namespace tfjs::cli {

QList<Command> inspectCommands()
{
    return {};
}

} // namespace tfjs::cli

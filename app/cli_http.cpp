#include "cli.h"

namespace tfjs::cli {

QList<Command> httpCommands()
{
    return {};
}

} // namespace tfjs::cli

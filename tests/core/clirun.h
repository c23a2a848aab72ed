// Runs tfjs-model in-process through tfjs::cli::run and keeps what it printed.
#pragma once

#include "cli.h"

#include <QString>
#include <QStringList>
#include <QTextStream>

namespace tfjs::test {

struct CliRun
{
    int code = -1;
    QString out;
    QString err;
};

inline CliRun runCli(const QStringList &args)
{
    CliRun run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.code = tfjs::cli::run(QStringList{QStringLiteral("tfjs-model")} + args, out, err, false);
    out.flush();
    err.flush();
    return run;
}

} // namespace tfjs::test

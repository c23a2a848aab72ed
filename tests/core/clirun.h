// Runs tfjs-model in-process through tfjs::cli::run, or as the real binary, and keeps what it
// printed.
#pragma once

#include "cli.h"

#include <QProcess>
#include <QProcessEnvironment>
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

// What a verb printed with --json; a test failure (qFatal) when it is not JSON.
inline Json stdoutJson(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    auto json = parseJson(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                          QStringLiteral("stdout"));
    if (!json)
        qFatal("stdout is not JSON: %s", qPrintable(json.error().message));
    return *json;
}

// Runs the real binary with TFJS_STORE_DIR set to `storeDir`; code -1 when it did not end
// normally within a minute.
inline CliRun runBinary(const QStringList &args, const QString &storeDir)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TFJS_STORE_DIR"), storeDir);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(TFJS_BIN_DIR "/tfjs-model"), args);
    CliRun run;
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.code = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace tfjs::test

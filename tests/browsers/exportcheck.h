#pragma once

// What a browser model exports as: `tfjs-model copy URL FOLDER`, then the SHA-256 (hex) of the
// weights loaded back from the folder, to compare with what the page saved.

#include "../core/clirun.h"
#include "../core/storetestdata.h"
#include "base/job.h"
#include "schemes/schemes.h"

#include <QCryptographicHash>

namespace tfjs::test {

// The hex SHA-256 of the exported weights, or "error: <why>".
inline QString exportedWeightsSha256(const QString &url, const QString &folder)
{
    const CliRun copy = runCli({QStringLiteral("copy"), url, folder});
    if (copy.code != 0)
        return QStringLiteral("error: ") + copy.err;
    const HandlerRegistry registry = makeDefaultRegistry(HandlerOptions());
    JobContext ctx;
    auto loaded = registry.load(folder, ctx);
    if (!loaded)
        return QStringLiteral("error: ") + loaded.error().message;
    return QString::fromLatin1(
        QCryptographicHash::hash(storetest::bytesOf(loaded->weightData), QCryptographicHash::Sha256)
            .toHex());
}

} // namespace tfjs::test

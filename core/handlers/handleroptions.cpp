#include "handleroptions.h"

#include <QDir>
#include <QStandardPaths>

namespace tfjs {

QString storeDirectory(const HandlerOptions &options)
{
    if (!options.storeDir.isEmpty())
        return QDir::cleanPath(QDir(options.storeDir).absolutePath());
    const QString fromEnvironment = qEnvironmentVariable("TFJS_STORE_DIR");
    if (!fromEnvironment.isEmpty())
        return QDir::cleanPath(QDir(fromEnvironment).absolutePath());
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/store");
}

QString downloadsDirectory(const HandlerOptions &options)
{
    if (!options.downloadsDir.isEmpty())
        return QDir::cleanPath(QDir(options.downloadsDir).absolutePath());
    const QString downloads = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    return downloads.isEmpty() ? QDir::homePath() : downloads;
}

QString teamUri(const HandlerOptions &options)
{
    return options.teamUri.isEmpty() ? qEnvironmentVariable("TFJS_TEAM") : options.teamUri;
}

qint64 localStorageQuota(const HandlerOptions &options)
{
    return options.localStorageQuota > 0 ? options.localStorageQuota : kDefaultLocalStorageQuota;
}

} // namespace tfjs

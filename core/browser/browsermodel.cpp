#include "browsermodel.h"

namespace tfjs {

QString browserStorageName(BrowserStorage storage)
{
    return storage == BrowserStorage::IndexedDb ? QStringLiteral("indexeddb")
                                                : QStringLiteral("localstorage");
}

std::optional<BrowserStorage> browserStorageFromName(const QString &name)
{
    if (name == QLatin1String("indexeddb"))
        return BrowserStorage::IndexedDb;
    if (name == QLatin1String("localstorage"))
        return BrowserStorage::LocalStorage;
    return std::nullopt;
}

} // namespace tfjs

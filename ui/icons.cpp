#include "icons.h"

#include <QFileInfo>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace tfjs::ui {

QIcon icon(IconId id)
{
    static const bool initialized = [] {
        initResources();
        return true;
    }();
    Q_UNUSED(initialized)
    const char *name = "tfjs-manager";
    switch (id) {
    case IconId::App: name = "tfjs-manager"; break;
    case IconId::Store: name = "store"; break;
    case IconId::LocalStorage: name = "localstorage"; break;
    case IconId::Folder: name = "folder"; break;
    case IconId::Recent: name = "recent"; break;
    case IconId::Model: name = "model"; break;
    case IconId::OpenUrl: name = "open-url"; break;
    case IconId::Import: name = "import"; break;
    case IconId::Upload: name = "upload"; break;
    case IconId::Browsers: name = "browsers"; break;
    case IconId::Profile: name = "profile"; break;
    case IconId::Origin: name = "origin"; break;
    }
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

QIcon schemeIcon(const QString &name)
{
    const QIcon fallback = icon(IconId::Store); // also loads the resources
    const QString file = QStringLiteral(":/icons/%1.svg").arg(name);
    return !name.isEmpty() && QFileInfo::exists(file) ? QIcon(file) : fallback;
}

} // namespace tfjs::ui

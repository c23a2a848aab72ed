#include "profilefinder.h"

#include "base/json.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <utility>

namespace tfjs {

namespace {

// Firefox's profile roots (the folders holding profiles.ini), relative to home.
const std::pair<const char *, const char *> kFirefoxRoots[] = {
    {".mozilla/firefox", "Firefox"},
    {"snap/firefox/common/.mozilla/firefox", "Firefox (snap)"},
    {".var/app/org.mozilla.firefox/.mozilla/firefox", "Firefox (flatpak)"},
};

// Chromium-family user-data-dirs, relative to home.
const std::pair<const char *, const char *> kChromiumRoots[] = {
    {".config/chromium", "Chromium"},
    {"snap/chromium/common/chromium", "Chromium (snap)"},
    {".var/app/org.chromium.Chromium/config/chromium", "Chromium (flatpak)"},
    {".config/google-chrome", "Google Chrome"},
    {".config/google-chrome-beta", "Google Chrome Beta"},
    {".config/google-chrome-unstable", "Google Chrome Dev"},
    {".var/app/com.google.Chrome/config/google-chrome", "Google Chrome (flatpak)"},
    {".config/microsoft-edge", "Microsoft Edge"},
    {".var/app/com.microsoft.Edge/config/microsoft-edge", "Microsoft Edge (flatpak)"},
    {".config/BraveSoftware/Brave-Browser", "Brave"},
    {".var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser", "Brave (flatpak)"},
};

void addFirefoxProfiles(const QString &root, const QString &product, std::vector<BrowserProfile> &out)
{
    const QString ini = root + QStringLiteral("/profiles.ini");
    if (!QFileInfo(ini).isFile())
        return;
    QSettings settings(ini, QSettings::IniFormat);
    for (const QString &group : settings.childGroups()) {
        if (!group.startsWith(QLatin1String("Profile")))
            continue;
        settings.beginGroup(group);
        const QString path = settings.value(QStringLiteral("Path")).toString();
        const bool relative = settings.value(QStringLiteral("IsRelative"), 1).toInt() != 0;
        const QString name = settings.value(QStringLiteral("Name"), path).toString();
        settings.endGroup();
        if (path.isEmpty())
            continue;
        const QString folder = QDir::cleanPath(relative ? root + QLatin1Char('/') + path : path);
        if (QFileInfo(folder).isDir())
            out.push_back({QStringLiteral("firefox"), product, name, folder});
    }
}

// The display names Chromium's `Local State` records per profile folder.
Json localStateProfiles(const QString &userDataDir)
{
    QFile file(userDataDir + QStringLiteral("/Local State"));
    if (!file.open(QIODevice::ReadOnly))
        return Json::object();
    const Json state = Json::parse(file.readAll().toStdString(), nullptr, false);
    const auto profile = state.is_object() ? state.find("profile") : state.end();
    if (profile == state.end() || !profile->is_object())
        return Json::object();
    const Json cache = profile->value("info_cache", Json::object());
    return cache.is_object() ? cache : Json::object();
}

} // namespace

std::vector<BrowserProfile> chromiumProfilesIn(const QString &folder, const QString &product)
{
    std::vector<BrowserProfile> out;
    const QString root = QDir::cleanPath(QDir(folder).absolutePath());
    const QString shown = product.isEmpty() ? QStringLiteral("Chromium") : product;
    if (QFileInfo(root + QStringLiteral("/Preferences")).isFile()
        || QFileInfo(root + QStringLiteral("/IndexedDB")).isDir()) {
        out.push_back({QStringLiteral("chromium"), shown, QFileInfo(root).fileName(), root});
        return out;
    }
    const Json names = localStateProfiles(root);
    const QStringList folders = QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : folders) {
        const QString path = root + QLatin1Char('/') + name;
        const auto known = names.find(name.toStdString());
        const bool isProfile = known != names.end()
                               || QFileInfo(path + QStringLiteral("/Preferences")).isFile();
        if (!isProfile)
            continue;
        QString display = name;
        const Json shownName = known != names.end() && known->is_object()
                                   ? known->value("name", Json()) : Json();
        if (shownName.is_string())
            display = QString::fromStdString(shownName.get<std::string>());
        out.push_back({QStringLiteral("chromium"), shown, display, path});
    }
    return out;
}

std::vector<BrowserProfile> findProfiles(const QString &scheme, const QString &home)
{
    std::vector<BrowserProfile> out;
    if (scheme == QLatin1String("firefox")) {
        for (const auto &[root, product] : kFirefoxRoots)
            addFirefoxProfiles(home + QLatin1Char('/') + QLatin1String(root),
                               QString::fromLatin1(product), out);
    } else if (scheme == QLatin1String("chromium")) {
        for (const auto &[root, product] : kChromiumRoots) {
            const QString folder = home + QLatin1Char('/') + QLatin1String(root);
            if (!QFileInfo(folder).isDir())
                continue;
            for (BrowserProfile &profile : chromiumProfilesIn(folder, QString::fromLatin1(product)))
                out.push_back(std::move(profile));
        }
    }
    return out;
}

} // namespace tfjs

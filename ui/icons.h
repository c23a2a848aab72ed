#pragma once

#include <QIcon>

namespace tfjs::ui {

enum class IconId {
    App, Store, LocalStorage, Folder, Recent, Model, OpenUrl, Import, Upload,
    Browsers, Profile, Origin, // the Browsers section, a browser profile, a page's origin
};

// The app's own SVG icons (resources/icons, compiled into the ui library).
QIcon icon(IconId id);
// The icon a registry entry names (SchemeInfo::iconName); unknown or empty: the store's.
QIcon schemeIcon(const QString &name);

} // namespace tfjs::ui

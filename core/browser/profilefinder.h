#pragma once

#include <QString>

#include <vector>

namespace tfjs {

// A browser profile found on this machine.
struct BrowserProfile
{
    QString scheme;  // "firefox" or "chromium" (the family: Chrome, Edge, Brave are "chromium")
    QString product; // "Firefox", "Chromium", "Google Chrome", "Microsoft Edge", "Brave"
    QString name;    // as the browser shows it ("default-esr", "Person 1", "Default")
    QString path;    // the profile folder, absolute
};

// Every profile of the family `scheme` in the usual places below `home`: Firefox's
// profiles.ini (plain, snap and flatpak folders), Chromium's user-data-dirs (Chromium, Google
// Chrome, Edge, Brave; snap and flatpak folders) and their profile folders. Missing places are
// skipped; nothing is written.
std::vector<BrowserProfile> findProfiles(const QString &scheme, const QString &home);

// The profile folders of a Chromium user-data-dir (`Default`, `Profile 1` ...; the names
// `Local State` records, else every folder holding `Preferences`); a folder that is a profile
// itself comes back alone.
std::vector<BrowserProfile> chromiumProfilesIn(const QString &folder, const QString &product = {});

} // namespace tfjs

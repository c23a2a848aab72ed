#pragma once

#include "browsermodel.h"
#include "handlers/handleroptions.h"
#include "handlers/registry.h"
#include "profilefinder.h"

#include <functional>
#include <memory>

namespace tfjs {

// One browser family behind a scheme: how to read a profile, and which profiles a folder
// given in a URL stands for (Chromium's user-data-dir holds several).
struct BrowserFamily
{
    SchemeInfo info; // capabilities are set to Load | Find
    std::function<std::unique_ptr<ProfileReader>(const QString &profile)> reader;
    std::function<std::vector<BrowserProfile>(const QString &folder)> profilesIn;
    QString homeDir; // for "<scheme>://" (every profile found); empty: $HOME
};

// Registers a read-only browser scheme (see BrowserUrl): "<scheme>:///PROFILE" and
// "<scheme>://" are listed (HandlerRegistry::listModels), model URLs are loaded; saves are
// refused.
void registerBrowser(HandlerRegistry &registry, BrowserFamily family);

// Registers firefox:// and chromium:// (Firefox's and the Chromium family's profiles).
void registerBrowserHandlers(HandlerRegistry &registry, const HandlerOptions &options);

// The profiles a browser URL without a model stands for: the one given (a Chromium
// user-data-dir: its profiles) or every profile found below homeDir.
std::vector<BrowserProfile> profilesFor(const BrowserFamily &family, const QString &profile);

} // namespace tfjs

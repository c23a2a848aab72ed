#pragma once

#include "base/error.h"
#include "browsermodel.h"
#include "handlers/registry.h"

#include <QString>

#include <optional>

namespace tfjs {

// A browser URL: "<browser>://" (every profile found), "<browser>:///ABS/PROFILE" (one
// profile), or one model of a profile:
//   <browser>:///ABS/PROFILE?origin=<origin>&storage=indexeddb|localstorage&model=<path>
// with the profile path and each value percent-encoded. The one place these are parsed and
// printed.
struct BrowserUrl
{
    QString scheme;  // "firefox", "chromium"
    QString profile; // absolute; empty: every profile found
    std::optional<BrowserModelRef> model;

    // Errors name the URL: a relative profile, a model URL missing origin, storage or model,
    // an unknown storage.
    [[nodiscard]] static Result<BrowserUrl> parse(const ModelUrl &url);
    // The ModelUrl path ("/ABS/PROFILE?...") of a model, and of a profile.
    static QString modelPath(const BrowserModelRef &ref);
    static QString profilePath(const QString &profile);
};

} // namespace tfjs

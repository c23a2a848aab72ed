// tfjs-model browsers: the browser profiles found on this machine (where firefox:// and
// chromium:// look), with the URL that lists each one's models.
#include "browser/browserurl.h"
#include "browser/profilefinder.h"
#include "cli.h"

#include <QDir>

namespace tfjs::cli {

Command browsersCommand()
{
    return {QStringLiteral("browsers"),
            QStringLiteral("List the Firefox and Chromium-family profiles found (their TF.js models: "
                           "'tfjs-model list URL')."),
            [](QCommandLineParser &parser) {
                parser.addOption({QStringLiteral("json"),
                                  QStringLiteral("Print [{scheme, product, name, path, url}].")});
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                const QString home = ctx.handlerOptions.homeDir.isEmpty()
                                         ? QDir::homePath()
                                         : ctx.handlerOptions.homeDir;
                std::vector<BrowserProfile> profiles;
                for (const SchemeInfo &info : ctx.registry.entriesWith(Capability::Find)) {
                    for (BrowserProfile &profile : findProfiles(info.scheme, home))
                        profiles.push_back(std::move(profile));
                }
                const auto urlOf = [](const BrowserProfile &profile) {
                    return ModelUrl::make(profile.scheme, BrowserUrl::profilePath(profile.path));
                };
                if (parser.isSet(QStringLiteral("json"))) {
                    Json json = Json::array();
                    for (const BrowserProfile &profile : profiles)
                        json.push_back({{"scheme", profile.scheme.toStdString()},
                                        {"product", profile.product.toStdString()},
                                        {"name", profile.name.toStdString()},
                                        {"path", profile.path.toStdString()},
                                        {"url", urlOf(profile).toStdString()}});
                    ctx.out << QString::fromStdString(json.dump(2)) << '\n';
                    return int(Success);
                }
                if (profiles.empty()) {
                    ctx.out << "no browser profiles found in " << home << '\n';
                    return int(Success);
                }
                for (const BrowserProfile &profile : profiles)
                    ctx.out << profile.product << "  " << profile.name << "  " << urlOf(profile)
                            << '\n';
                return int(Success);
            }};
}

} // namespace tfjs::cli

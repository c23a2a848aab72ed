#include "browserhandlers.h"

#include "browserurl.h"
#include "chromiumprofile.h"
#include "firefoxprofile.h"

#include <QDir>
#include <QFileInfo>

namespace tfjs {

namespace {

Error readOnly(const QString &url)
{
    Error error{ErrorCode::Unsupported,
                QStringLiteral("Cannot save to '%1': browser profiles are read-only here (save "
                               "to a folder, the model store or a server instead).")
                    .arg(url)};
    error.url = url;
    return error;
}

class BrowserHandler : public IOHandler
{
public:
    BrowserHandler(std::shared_ptr<const BrowserFamily> family, ModelUrl url, BrowserModelRef ref)
        : m_family(std::move(family)), m_url(std::move(url)), m_ref(std::move(ref))
    {
    }

    bool canSave() const override { return false; }

    Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options) override
    {
        if (!QFileInfo(m_ref.profile).isDir()) {
            Error error{ErrorCode::NotFound,
                        QStringLiteral("Cannot find the browser profile folder '%1' (in '%2').")
                            .arg(m_ref.profile, m_url.text)};
            error.path = m_ref.profile;
            error.url = m_url.text;
            return fail(error);
        }
        return m_family->reader(m_ref.profile)->loadModel(m_ref, ctx, options);
    }

    Result<SaveResult> save(const ModelArtifacts &, JobContext &) override
    {
        return fail(readOnly(m_url.text));
    }

private:
    std::shared_ptr<const BrowserFamily> m_family;
    ModelUrl m_url;
    BrowserModelRef m_ref;
};

Result<std::vector<StoredModel>> listProfiles(const BrowserFamily &family, const ModelUrl &where,
                                              JobContext &ctx)
{
    auto url = BrowserUrl::parse(where);
    if (!url)
        return fail(url.error());
    if (url->model) {
        Error error{ErrorCode::InvalidArgument,
                    QStringLiteral("'%1' names one model; list its profile, '%2://%3'.")
                        .arg(where.text, where.scheme, BrowserUrl::profilePath(url->profile))};
        error.url = where.text;
        return fail(error);
    }
    if (!url->profile.isEmpty() && !QFileInfo(url->profile).isDir()) {
        Error error{ErrorCode::NotFound,
                    QStringLiteral("Cannot find the browser profile folder '%1'.").arg(url->profile)};
        error.path = url->profile;
        return fail(error);
    }
    std::vector<StoredModel> out;
    for (const BrowserProfile &profile : profilesFor(family, url->profile)) {
        auto models = family.reader(profile.path)->listModels(ctx);
        if (!models)
            return fail(models.error());
        for (const BrowserModel &model : *models)
            out.emplace_back(BrowserUrl::modelPath(model.ref), model.info, model.ref.origin,
                             browserStorageName(model.ref.storage));
    }
    return out;
}

} // namespace

std::vector<BrowserProfile> profilesFor(const BrowserFamily &family, const QString &profile)
{
    if (!profile.isEmpty())
        return family.profilesIn(profile);
    return findProfiles(family.info.scheme,
                        family.homeDir.isEmpty() ? QDir::homePath() : family.homeDir);
}

void registerBrowser(HandlerRegistry &registry, BrowserFamily family)
{
    family.info.capabilities = Capability::Load | Capability::Find;
    const auto shared = std::make_shared<const BrowserFamily>(std::move(family));
    registry.add(
        shared->info,
        [shared](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
            auto parsed = BrowserUrl::parse(url);
            if (!parsed)
                return fail(parsed.error());
            if (!parsed->model) {
                Error error{ErrorCode::InvalidArgument,
                            QStringLiteral("'%1' names a browser profile, not a model: 'tfjs-model "
                                           "list %1' shows the URLs of its models.")
                                .arg(url.text.isEmpty() ? url.toString() : url.text)};
                error.url = url.text;
                return fail(error);
            }
            return std::make_unique<BrowserHandler>(shared, url, *parsed->model);
        });
    registry.setLister(shared->info.scheme, [shared](const ModelUrl &where, JobContext &ctx) {
        return listProfiles(*shared, where, ctx);
    });
}

namespace {

// A family whose readers are `Reader` objects on one profile folder.
template <typename Reader>
BrowserFamily familyOf(const QString &scheme, const QString &name, int rank,
                       std::function<std::vector<BrowserProfile>(const QString &)> profilesIn,
                       const HandlerOptions &options)
{
    BrowserFamily family;
    family.info.scheme = scheme;
    family.info.displayName = name;
    family.info.rank = rank;
    family.info.iconName = scheme; // resources/icons/firefox.svg, chromium.svg
    family.reader = [](const QString &profile) { return std::make_unique<Reader>(profile); };
    family.profilesIn = std::move(profilesIn);
    family.homeDir = options.homeDir;
    return family;
}

} // namespace

void registerBrowserHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    // A Firefox profile folder is one profile; a Chromium user-data-dir holds several.
    const auto firefoxProfile = [](const QString &folder) {
        return std::vector<BrowserProfile>{{QStringLiteral("firefox"), QStringLiteral("Firefox"),
                                            QFileInfo(folder).fileName(), folder}};
    };
    const auto chromiumProfiles = [](const QString &folder) { return chromiumProfilesIn(folder); };
    registerBrowser(registry, familyOf<FirefoxProfileReader>(QStringLiteral("firefox"),
                                                             QStringLiteral("Firefox"), 5,
                                                             firefoxProfile, options));
    registerBrowser(registry, familyOf<ChromiumProfileReader>(QStringLiteral("chromium"),
                                                              QStringLiteral("Chromium"), 6,
                                                              chromiumProfiles, options));
}

} // namespace tfjs

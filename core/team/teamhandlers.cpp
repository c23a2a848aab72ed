#include "teamhandlers.h"

#include "teamstore.h"

namespace tfjs {

void registerTeamHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    // Without a URI team:// URLs still make handlers, which say what to configure; lists, Save
    // To and the app's browser leave the store out (no capabilities, no ModelStoreManager).
    const bool configured = !teamUri(options).isEmpty();
    SchemeInfo info;
    info.scheme = QStringLiteral("team");
    if (configured)
        info.capabilities = Capability::Load | Capability::Save | Capability::List | Capability::Remove
            | Capability::Rename | Capability::Trash;
    info.displayName = QStringLiteral("Team store");
    info.iconName = QStringLiteral("team");
    info.trashName = QStringLiteral("Team store trash");
    info.rank = 1; // beside the stores, after local storage (registered before it)
    auto handler = [options](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
            if (url.path.isEmpty())
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("For the team store, modelPath must not be empty."));
            return std::make_unique<TeamHandler>(teamUri(options), options.teamPassword, url.path);
    };
    if (!configured) {
        registry.add(info, handler);
        return;
    }
    registry.add(info, handler, [options]() -> Result<std::unique_ptr<ModelStoreManager>> {
        auto store = TeamStore::open(teamUri(options), TeamStore::Access::Read, options.teamPassword);
        if (!store)
            return fail(store.error());
        return std::unique_ptr<ModelStoreManager>(std::move(*store));
    });
}

} // namespace tfjs

#include "storeaccess.h"

#include "base/job.h"
#include "browser/browserurl.h"
#include "browser/profilefinder.h"
#include "format/modeloverview.h"
#include "handlers/modelmanager.h"

#include <QDir>

namespace tfjs::ui {

namespace {
// Listing reads each model's JSON (not its weights) to show its format, up to this many.
constexpr std::size_t kMaxFormatLookups = 200;
} // namespace

namespace {

// The browser's entries of listed models: URL, name and size from the listing; with
// `lookUpFormats`, the format from each JSON (not its weights), up to kMaxFormatLookups of them.
Result<std::vector<BrowserEntry>> entriesOf(const HandlerRegistry &registry, const QString &scheme,
                                            const std::vector<StoredModel> &models, bool lookUpFormats,
                                            JobContext &ctx)
{
    ctx.setStage(QStringLiteral("Listing %1://").arg(scheme), 0, int(models.size()));
    std::vector<BrowserEntry> entries;
    entries.reserve(models.size());
    for (const StoredModel &model : models) {
        if (ctx.isCancelled())
            return fail(cancelledError());
        BrowserEntry entry;
        entry.url = ModelUrl::make(scheme, model.path);
        entry.name = model.path;
        entry.size = model.info.modelTopologyBytes + model.info.weightSpecsBytes + model.info.weightDataBytes;
        entry.date = model.info.dateSaved;
        entry.savedBy = model.savedBy;
        if (lookUpFormats && entries.size() < kMaxFormatLookups) {
            auto handler = registry.handlerFor(entry.url);
            if (handler) {
                if (auto artifacts = (*handler)->load(ctx, LoadOptions::withoutWeights()))
                    entry.format = overviewOf(*artifacts).format;
                else if (!artifacts.error().isCancelled())
                    entry.problem = artifacts.error().message;
            }
        }
        entries.push_back(std::move(entry));
        ctx.addItems();
    }
    return entries;
}

} // namespace

Result<std::vector<BrowserEntry>> listStore(const HandlerRegistry &registry, const QString &scheme,
                                            JobContext &ctx)
{
    const ModelManager manager(registry);
    auto models = manager.listModels(scheme);
    if (!models)
        return fail(models.error());
    return entriesOf(registry, scheme, *models, true, ctx);
}

Result<FoundModels> listFound(const HandlerRegistry &registry, const QString &scheme,
                              const QString &homeDir, JobContext &ctx)
{
    auto models = registry.listModels(ModelUrl{scheme, {}, ModelUrl::make(scheme, {})}, ctx);
    if (!models)
        return fail(models.error());
    // The format from each model's record, as for the store: the profile readers leave the
    // weights where they are when asked for none, so a lookup reads the record alone.
    auto entries = entriesOf(registry, scheme, *models, true, ctx);
    if (!entries)
        return fail(entries.error());
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const StoredModel &model = (*models)[i];
        BrowserEntry &entry = (*entries)[i];
        entry.origin = model.origin;
        entry.storage = model.storage;
        if (const auto url = BrowserUrl::parse(ModelUrl{scheme, model.path, entry.url}); url && url->model) {
            entry.name = url->model->path;
            entry.profile = url->profile;
        }
    }
    FoundModels found{std::move(*entries)};
    found.profiles = findProfiles(scheme, homeDir.isEmpty() ? QDir::homePath() : homeDir).size();
    return found;
}

Result<std::vector<BrowserEntry>> listTrash(const HandlerRegistry &registry, const QString &scheme,
                                            JobContext &ctx)
{
    if (ctx.isCancelled())
        return fail(cancelledError());
    const ModelManager manager(registry);
    auto items = manager.listTrash(scheme);
    if (!items)
        return fail(items.error());
    std::vector<BrowserEntry> entries;
    entries.reserve(items->size());
    for (const ModelManager::TrashItem &item : *items) {
        BrowserEntry entry;
        entry.url = item.url();
        entry.name = item.entry.path;
        const ModelArtifactsInfo &info = item.entry.info;
        entry.size = info.modelTopologyBytes + info.weightSpecsBytes + info.weightDataBytes;
        entry.date = item.entry.removed;
        entry.trashId = item.entry.id;
        entry.trashReason = item.entry.reason == TrashReason::Replaced ? QStringLiteral("replaced")
                                                                       : QStringLiteral("deleted");
        entries.push_back(std::move(entry));
    }
    return entries;
}

} // namespace tfjs::ui

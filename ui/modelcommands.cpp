#include "modelcommands.h"

#include "formatting.h"
#include "jobtracker.h"
#include "messages.h"
#include "storeaccess.h"

#include "file/filelisthandler.h"
#include "format/modeloverview.h"
#include "handlers/modelmanager.h"
#include "handlers/quantizesave.h"
#include "handlers/registry.h"

#include <QWidget>

namespace tfjs::ui {

namespace {

// Where a save wrote, for the report: its files, else its URL.
QString whereSaved(const SaveResult &saved, const QString &destination)
{
    return saved.files.isEmpty() ? destination : saved.files.join(QStringLiteral(", "));
}

} // namespace

ModelCommands::ModelCommands(JobTracker *jobs, QWidget *window)
    : QObject(window), m_jobs(jobs), m_window(window)
{ }

void ModelCommands::setOptions(
    const HandlerOptions &options, std::shared_ptr<const HandlerRegistry> registry)
{
    m_options = options;
    m_registry = std::move(registry);
}

void ModelCommands::save(const ModelTarget &target, const QString &url)
{
    auto request = std::make_shared<WriteRequest>();
    const QString name = target.source.displayName();
    request->what = target.description();
    request->title = [shortName = target.name()](
                         const QString &to) { return tr("Saving %1 to %2").arg(shortName, to); };
    request->failed
        = [name](const QString &to) { return tr("Could not save %1 to %2").arg(name, to); };
    request->done = [name](const QString &where) { return tr("Saved %1 to %2").arg(name, where); };
    const auto registry = m_registry;
    const HandlerOptions options = m_options;
    request->write = [registry, options, target](const QString &destination, Existing existing,
                         JobContext &ctx) -> Result<QString> {
        Result<SaveResult> saved;
        const ModelManager manager(*registry);
        if (target.opened) {
            // What is open is saved as it is: there is nothing to load.
            saved = registry->save(destination, target.opened->artifacts, ctx, existing);
        } else if (target.source.isFileSet()) {
            FileListHandler files(target.source.files);
            saved = manager.copyModel(files, destination, ctx, existing);
        } else {
            // Core's copy refuses a taken destination before it loads anything.
            saved = manager.copyModel(modelUrlOf(target.source), destination, ctx, existing);
        }
        if (!saved)
            return fail(saved.error());
        return whereSaved(*saved, destination);
    };
    runWrite(request, url, Existing::Refuse);
}

void ModelCommands::quantize(
    const ModelTarget &target, const QString &url, const QuantizeOptions &quantize)
{
    auto request = std::make_shared<WriteRequest>();
    const QString name = target.source.displayName();
    const QString dtype = QString::fromLatin1(quantDTypeName(quantize.dtype));
    request->what = tr("%1 quantized to %2").arg(target.description(), dtype);
    request->title = [shortName = target.name(), dtype](const QString &to) {
        return tr("Quantizing %1 to %2 (%3)").arg(shortName, to, dtype);
    };
    request->failed
        = [name](const QString &to) { return tr("Could not quantize %1 to %2").arg(name, to); };
    request->done = [name, dtype](const QString &where) {
        return tr("Quantized %1 to %2: %3").arg(name, dtype, where);
    };
    const auto registry = m_registry;
    request->write = [registry, target, quantize](const QString &destination, Existing existing,
                         JobContext &ctx) -> Result<QString> {
        // Core refuses a taken destination before it loads or quantizes anything.
        auto done = quantizeAndSave(
            *registry, [&](JobContext &loading) { return artifactsOf(*registry, target, loading); },
            destination, quantize, existing, ctx);
        if (!done)
            return fail(done.error());
        return whereSaved(done->saved, destination);
    };
    runWrite(request, url, Existing::Refuse);
}

void ModelCommands::restore(const QString &scheme, qint64 id, const QString &url)
{
    auto request = std::make_shared<WriteRequest>();
    request->what = tr("%1 from the trash").arg(url);
    request->title = [url](const QString &) { return tr("Restoring %1").arg(url); };
    request->failed
        = [url](const QString &to) { return tr("Could not restore %1 to %2").arg(url, to); };
    request->done = [url](const QString &where) { return tr("Restored %1 as %2").arg(url, where); };
    const auto registry = m_registry;
    const HandlerOptions options = m_options;
    request->write = [registry, options, scheme, id](const QString &destination, Existing existing,
                         JobContext &) -> Result<QString> {
        const ModelManager manager(*registry);
        return manager.restoreFromTrash(scheme, id, destination, existing);
    };
    runWrite(request, url, Existing::Refuse);
}

void ModelCommands::runWrite(
    std::shared_ptr<const WriteRequest> request, const QString &url, Existing existing)
{
    struct Outcome
    {
        QString where;
        // When the destination was taken: the format of the model there, where Keep Both writes.
        QString held;
        QString freeUrl;
    };
    auto outcome = std::make_shared<Outcome>();
    const auto registry = m_registry;
    const HandlerOptions options = m_options;
    m_jobs->start(
        request->title(url),
        [request, url, existing, outcome, registry, options](JobContext &ctx) -> Result<void> {
            auto written = request->write(url, existing, ctx);
            if (written) {
                outcome->where = *written;
                return {};
            }
            if (isExistsError(written.error())) {
                if (auto held = registry->load(url, ctx, LoadOptions::withoutWeights()))
                    outcome->held = overviewOf(*held).format;
                const ModelManager manager(*registry);
                if (auto free = manager.freeDestination(url))
                    outcome->freeUrl = *free;
            }
            return fail(written.error());
        },
        this,
        [this, request, url, existing, outcome](const std::optional<Error> &error) {
            if (!error) {
                emit done(request->done(outcome->where));
                if (m_registry->can(url, Capability::List))
                    emit storeChanged();
                if (existing == Existing::Replace)
                    emit replaced(url);
                emit saved(url);
            } else if (existing == Existing::Refuse && isExistsError(*error)) {
                askAboutExisting(request, url, outcome->held, outcome->freeUrl);
            } else if (!error->isCancelled()) {
                emit failed(request->failed(url), *error);
            }
        });
}

void ModelCommands::askAboutExisting(std::shared_ptr<const WriteRequest> request,
    const QString &url, const QString &held, const QString &freeUrl)
{
    const QString text = held.isEmpty() ? tr("%1 already holds a model.").arg(url)
                                        : tr("%1 already holds a %2.").arg(url, held);
    QString informative = tr("Replace it with %1?").arg(request->what) + QLatin1Char(' ')
        + (m_registry->can(url, Capability::Trash) ? tr("The model there now goes to the store's trash.")
                           : tr("The model there now is overwritten."));
    if (!freeUrl.isEmpty())
        informative += QLatin1Char(' ') + tr("Keep Both saves as %1.").arg(freeUrl);
    askReplace(
        m_window, text, informative, freeUrl, [this, request, url, freeUrl](ReplaceAnswer answer) {
            switch (answer) {
            case ReplaceAnswer::Replace:
                runWrite(request, url, Existing::Replace);
                break;
            case ReplaceAnswer::KeepBoth:
                runWrite(request, freeUrl, Existing::Refuse);
                break;
            case ReplaceAnswer::Cancel:
                emit done(tr("Nothing written: %1 already holds a model").arg(url));
                break;
            }
        });
}

void ModelCommands::runStoreJob(const QString &title, const QString &failedText,
    std::function<Result<QString>(const ModelManager &, JobContext &)> work,
    std::function<void()> after)
{
    const auto registry = m_registry;
    const HandlerOptions options = m_options;
    m_jobs->start<QString>(
        title,
        [registry, options, work](JobContext &ctx) -> Result<QString> {
            if (ctx.isCancelled())
                return fail(cancelledError());
            const ModelManager manager(*registry);
            return work(manager, ctx);
        },
        this,
        [this, failedText, after](Result<QString> report) {
            if (!report) {
                if (!report.error().isCancelled())
                    emit failed(failedText, report.error());
                return;
            }
            emit done(*report);
            if (after)
                after();
            emit storeChanged();
        });
}

void ModelCommands::remove(const QString &url)
{
    runStoreJob(
        tr("Deleting %1").arg(url), tr("Could not delete %1").arg(url),
        [url](const ModelManager &manager, JobContext &) -> Result<QString> {
            auto removed = manager.removeModel(url);
            if (!removed)
                return fail(removed.error());
            return tr("Moved %1 to the trash").arg(url);
        },
        [this, url] { emit removed(url); });
}

void ModelCommands::rename(const QString &url, const QString &newName)
{
    // A rename stays in the scheme (renameModel refuses anything else).
    const auto parsed = ModelUrl::parse(url);
    const QString destination = parsed ? ModelUrl::make(parsed->scheme, newName) : newName;
    runStoreJob(
        tr("Renaming %1").arg(url), tr("Could not rename %1 to %2").arg(url, destination),
        [url, destination](const ModelManager &manager, JobContext &) -> Result<QString> {
            auto renamed = manager.renameModel(url, destination, Existing::Refuse);
            if (!renamed)
                return fail(renamed.error());
            return tr("Renamed %1 to %2").arg(url, destination);
        },
        [this, url, destination] { emit renamed(url, destination); });
}

void ModelCommands::deleteFromTrash(const QString &scheme, const BrowserEntry &entry)
{
    const QString url = entry.url;
    const qint64 id = entry.trashId;
    confirm(m_window, tr("Delete Permanently"),
        tr("Delete %1 (%2 %3) from the trash permanently? This cannot be undone.")
            .arg(url, entry.trashReason, formatDate(entry.date)),
        tr("&Delete Permanently"), [this, scheme, id, url] {
            runStoreJob(tr("Deleting %1 from the trash").arg(url),
                tr("Could not delete %1 from the trash").arg(url),
                [scheme, id](const ModelManager &manager, JobContext &) -> Result<QString> {
                    auto deleted = manager.deleteFromTrash(scheme, id);
                    if (!deleted)
                        return fail(deleted.error());
                    return tr("Deleted %1 permanently").arg(deleted->url());
                });
        });
}

void ModelCommands::emptyTrash(const QString &scheme, qint64 count)
{
    confirm(m_window, tr("Empty Trash"),
        tr("Delete %1 in the trash of %2:// for good? This cannot be undone.")
            .arg(countOf(count, tr("model"), tr("models")), scheme),
        tr("&Empty Trash"), [this, scheme] {
            runStoreJob(tr("Emptying the trash of %1://").arg(scheme),
                tr("Could not empty the trash of %1://").arg(scheme),
                [scheme](const ModelManager &manager, JobContext &) -> Result<QString> {
                    auto emptied = manager.emptyTrash(scheme);
                    if (!emptied)
                        return fail(emptied.error());
                    return tr("Deleted %1 for good")
                        .arg(countOf(*emptied, tr("model"), tr("models")));
                });
        });
}

} // namespace tfjs::ui

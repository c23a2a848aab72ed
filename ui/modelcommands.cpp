#include "modelcommands.h"

#include "jobtracker.h"
#include "storeaccess.h"

#include "registry.h"

#include <QWidget>

namespace tfjs::ui {

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
    auto result = std::make_shared<SaveResult>();
    const auto registry = m_registry;
    m_jobs->start(
        tr("Saving %1 to %2").arg(target.name(), url),
        [registry, target, url, result](JobContext &ctx) -> Result<void> {
            auto artifacts = artifactsOf(*registry, target, ctx);
            if (!artifacts)
                return fail(artifacts.error());
            auto saved = registry->save(url, *artifacts, ctx);
            if (!saved)
                return fail(saved.error());
            *result = std::move(*saved);
            return {};
        },
        this,
        [this, target, url, result](const std::optional<Error> &error) {
            if (error) {
                if (!error->isCancelled())
                    emit failed(tr("Could not save %1 to %2").arg(target.source.displayName(), url),
                        *error);
                return;
            }
            const QString where
                = result->files.isEmpty() ? url : result->files.join(QStringLiteral(", "));
            emit done(tr("Saved %1 to %2").arg(target.source.displayName(), where));
            if (isStoreUrl(url))
                emit storeChanged();
            emit saved(url);
        });
}

void ModelCommands::remove(const QString &url)
{
    const HandlerOptions options = m_options;
    m_jobs->start(
        tr("Deleting %1").arg(url),
        [options, url](JobContext &ctx) { return removeStoredModel(options, url, ctx); }, this,
        [this, url](const std::optional<Error> &error) {
            if (error) {
                if (!error->isCancelled())
                    emit failed(tr("Could not delete %1").arg(url), *error);
                return;
            }
            emit done(tr("Deleted %1").arg(url));
            emit removed(url);
            emit storeChanged();
        });
}

void ModelCommands::rename(const QString &url, const QString &newName)
{
    const HandlerOptions options = m_options;
    m_jobs->start(
        tr("Renaming %1").arg(url),
        [options, url, newName](
            JobContext &ctx) { return renameStoredModel(options, url, newName, ctx); },
        this,
        [this, url, newName](const std::optional<Error> &error) {
            if (error) {
                if (!error->isCancelled())
                    emit failed(tr("Could not rename %1").arg(url), *error);
                return;
            }
            emit done(tr("Renamed %1 to %2").arg(url, newName));
            emit storeChanged();
        });
}

} // namespace tfjs::ui

#pragma once

#include "modeltarget.h"

#include "format/quantize.h"
#include "io/existing.h"
#include "schemes/schemes.h"

#include <QObject>

#include <functional>
#include <memory>

class QWidget;

namespace tfjs {
class ModelManager;
}

namespace tfjs::ui {

class JobTracker;

// Runs the jobs that write models for the window: save (or import) a model somewhere, rename
// and delete store models, restore them from the trash, delete entries of the trash for good
// and empty it. Nothing is replaced unasked: a write runs with Existing::Refuse, and when core
// reports the destination taken the user is asked Replace / Keep Both / Cancel, then the write
// runs again with Replace or at the first free name. What cannot be undone (deleting from the
// trash) is confirmed first. Outcomes are reported through the signals, including what
// happened to a model's URL (replaced, renamed, removed), so that a view of that model can
// follow; the work and every check are core's.
class ModelCommands final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelCommands)

public:
    // Questions are asked over `window`.
    ModelCommands(JobTracker *jobs, QWidget *window);

    void setOptions(const HandlerOptions &options, std::shared_ptr<const HandlerRegistry> registry);

    // Saves the target at `url` (a store, local storage, folder or downloads URL). A model that
    // is not loaded yet is loaded only after the destination was found free (or the user chose).
    void save(const ModelTarget &target, const QString &url);
    // Quantizes the target (core's quantizeModel) and saves it at `url`, with the same rule.
    void quantize(const ModelTarget &target, const QString &url, const QuantizeOptions &quantize);
    // Moves a store model to its store's trash.
    void remove(const QString &url);
    // `newName` is the path without the scheme. A model with that name is never replaced: the
    // rename is refused with core's message.
    void rename(const QString &url, const QString &newName);
    // Puts trash entry `id` of `scheme` ("indexeddb") back at `url`, its original URL.
    void restore(const QString &scheme, qint64 id, const QString &url);
    // Asks, then deletes trash entry `entry` of `scheme`'s trash for good. The question names
    // the model, when it went to the trash and why.
    void deleteFromTrash(const QString &scheme, const BrowserEntry &entry);
    // Asks, then deletes the `count` entries of a store's trash for good.
    void emptyTrash(const QString &scheme, qint64 count);

signals:
    // A model was written at `url` (save, import, restore).
    void saved(const QString &url);
    // A store's models or trash changed.
    void storeChanged();
    // The model at `url` went to its store's trash: removed ...
    void removed(const QString &url);
    // ... or replaced by a save, import or restore (with Replace); `url` holds the new model.
    void replaced(const QString &url);
    // A store model was renamed.
    void renamed(const QString &from, const QString &to);
    // `what` failed ("Could not save a to indexeddb://a"); the error says why and where.
    void failed(const QString &what, const tfjs::Error &error);
    // A short report of what was done (or not done), for the status bar.
    void done(const QString &text);

private:
    // A write that may find a model at its destination; runs on a worker thread and returns
    // where it wrote, for the report ("indexeddb://a", "/models/a/model.json, …").
    using Write = std::function<Result<QString>(
        const QString &destination, Existing existing, JobContext &ctx)>;
    struct WriteRequest
    {
        QString what; // the model written, for the question: "/models/a (layers-model, 1 KiB)"
        std::function<QString(const QString &destination)> title; // the job's title
        std::function<QString(const QString &destination)> failed; // what failed
        std::function<QString(const QString &where)> done; // what was done
        Write write;
    };
    void runWrite(
        std::shared_ptr<const WriteRequest> request, const QString &url, Existing existing);
    // `held` is the format of the model at `url` (empty: unknown); `freeUrl` where Keep Both
    // writes (empty: no Keep Both).
    void askAboutExisting(std::shared_ptr<const WriteRequest> request, const QString &url,
        const QString &held, const QString &freeUrl);
    // Runs a store job with a ModelManager; `work` returns the report for the status bar.
    void runStoreJob(const QString &title, const QString &failed,
        std::function<Result<QString>(const ModelManager &, JobContext &)> work,
        std::function<void()> after = {});

    JobTracker *m_jobs;
    QWidget *m_window;
    HandlerOptions m_options;
    std::shared_ptr<const HandlerRegistry> m_registry;
};

} // namespace tfjs::ui

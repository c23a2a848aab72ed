#pragma once

#include "modeltarget.h"

#include "handlers.h"

#include <QObject>

#include <memory>

class QWidget;

namespace tfjs::ui {

class JobTracker;

// Runs the jobs that write models for the window: save (or import) a model somewhere, rename
// and delete store models. Each reports its outcome through the signals; nothing here knows a
// storage layout: the work is core's.
class ModelCommands final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelCommands)

public:
    // Questions and errors are shown over `window`.
    ModelCommands(JobTracker *jobs, QWidget *window);

    void setOptions(const HandlerOptions &options, std::shared_ptr<const HandlerRegistry> registry);

    // Saves the target at `url` (a store, local storage, folder or downloads URL).
    void save(const ModelTarget &target, const QString &url);
    void remove(const QString &url);
    // `newName` is the path without the scheme.
    void rename(const QString &url, const QString &newName);

signals:
    void saved(const QString &url);
    // A store's models changed (saved, renamed, removed).
    void storeChanged();
    void removed(const QString &url);
    // `what` failed ("Could not save to indexeddb://a"); the error says why and where.
    void failed(const QString &what, const tfjs::Error &error);
    // A short report of what was done, for the status bar.
    void done(const QString &text);

private:
    JobTracker *m_jobs;
    QWidget *m_window;
    HandlerOptions m_options;
    std::shared_ptr<const HandlerRegistry> m_registry;
};

} // namespace tfjs::ui

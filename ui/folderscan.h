#pragma once

#include "browserentry.h"

#include "base/error.h"
#include "file/modelscan.h"

#include <QObject>
#include <QStringList>

#include <map>
#include <vector>

class QFileSystemWatcher;
class QTimer;

namespace tfjs {
class JobContext;
}

namespace tfjs::ui {

struct FolderScan
{
    std::vector<BrowserEntry> entries; // model JSONs found (name = path relative to the root)
    QStringList directories;           // every folder visited, for the file watcher
    QStringList files;                 // the model JSONs, for the file watcher
    bool truncated = false;            // stopped at kMaxScannedDirectories
};

// Core's scanForModels, as browser entries.
Result<FolderScan> scanFolder(const QString &root, JobContext &ctx);

// Watches added folders (their subfolders and model JSONs) and reports, debounced, which root
// changed. It never scans itself: the owner starts a scan job on changed().
class FolderWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FolderWatcher)

public:
    explicit FolderWatcher(QObject *parent = nullptr, int debounceMs = 400);

    // Replaces what is watched for `root` with the result of its latest scan.
    void watch(const QString &root, const QStringList &directories, const QStringList &files);
    void unwatch(const QString &root);
    QStringList watchedPaths() const;

signals:
    void changed(const QString &root);

private:
    void onPathChanged(const QString &path);

    QFileSystemWatcher *m_watcher = nullptr;
    std::map<QString, QStringList> m_pathsByRoot;
    std::map<QString, QTimer *> m_timers;
    int m_debounceMs;
};

} // namespace tfjs::ui

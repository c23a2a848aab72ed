#include "folderscan.h"

#include <QFileSystemWatcher>
#include <QTimer>

namespace tfjs::ui {

Result<FolderScan> scanFolder(const QString &root, JobContext &ctx)
{
    auto found = scanForModels(root, ctx);
    if (!found)
        return fail(found.error());
    FolderScan scan;
    scan.entries.reserve(found->models.size());
    for (FoundModel &model : found->models) {
        BrowserEntry entry;
        entry.url = std::move(model.path);
        entry.name = std::move(model.name);
        entry.format = std::move(model.format);
        entry.size = model.size;
        entry.date = model.modified;
        entry.problem = std::move(model.problem);
        scan.entries.push_back(std::move(entry));
    }
    scan.directories = std::move(found->directories);
    scan.files = std::move(found->files);
    scan.truncated = found->truncated;
    return scan;
}

FolderWatcher::FolderWatcher(QObject *parent, int debounceMs)
    : QObject(parent), m_watcher(new QFileSystemWatcher(this)), m_debounceMs(debounceMs)
{
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &FolderWatcher::onPathChanged);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &FolderWatcher::onPathChanged);
}

void FolderWatcher::watch(const QString &root, const QStringList &directories,
                          const QStringList &files)
{
    unwatch(root);
    QStringList paths = directories + files;
    paths.removeDuplicates();
    if (!paths.isEmpty()) {
        const QStringList failed = m_watcher->addPaths(paths);
        for (const QString &path : failed)
            paths.removeOne(path);
    }
    m_pathsByRoot[root] = paths;
    if (!m_timers.contains(root)) {
        auto *timer = new QTimer(this);
        timer->setSingleShot(true);
        timer->setInterval(m_debounceMs);
        connect(timer, &QTimer::timeout, this, [this, root] { emit changed(root); });
        m_timers[root] = timer;
    }
}

void FolderWatcher::unwatch(const QString &root)
{
    if (const auto it = m_pathsByRoot.find(root); it != m_pathsByRoot.end()) {
        if (!it->second.isEmpty())
            m_watcher->removePaths(it->second);
        m_pathsByRoot.erase(it);
    }
    if (const auto it = m_timers.find(root); it != m_timers.end()) {
        delete it->second;
        m_timers.erase(it);
    }
}

QStringList FolderWatcher::watchedPaths() const
{
    return m_watcher->directories() + m_watcher->files();
}

void FolderWatcher::onPathChanged(const QString &path)
{
    for (const auto &[root, paths] : m_pathsByRoot) {
        if (path == root || path.startsWith(root + QLatin1Char('/')) || paths.contains(path)) {
            if (const auto timer = m_timers.find(root); timer != m_timers.end())
                timer->second->start();
        }
    }
}

} // namespace tfjs::ui

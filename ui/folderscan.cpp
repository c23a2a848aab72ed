#include "folderscan.h"

#include "file/filehandler.h"
#include "base/job.h"
#include "format/modeloverview.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace tfjs::ui {

namespace {

constexpr qint64 kFullReadLimit = qint64(16) << 20; // bigger JSON: look at the head first
constexpr qint64 kHeadBytes = 256 << 10;

// Bigger files are only parsed when their head looks like a model JSON.
bool headLooksLikeModel(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return true; // let core report the error
    const QByteArray head = file.read(kHeadBytes);
    return head.contains("\"modelTopology\"") || head.contains("\"weightsManifest\"")
           || head.contains("\"paths\"") || head.contains("\"format\"");
}

QString entryName(const QDir &root, const QFileInfo &json)
{
    if (json.fileName() == QLatin1String(FileHandler::kModelFile)) {
        const QString folder = root.relativeFilePath(json.absolutePath());
        return folder == QLatin1String(".") ? QFileInfo(root.absolutePath()).fileName() : folder;
    }
    QString name = root.relativeFilePath(json.absoluteFilePath());
    name.chop(5); // ".json"
    return name;
}

} // namespace

Result<FolderScan> scanFolder(const QString &rootPath, JobContext &ctx)
{
    const QFileInfo rootInfo(rootPath);
    if (!rootInfo.isDir()) {
        Error error{ErrorCode::NotFound, QStringLiteral("The folder %1 does not exist.").arg(rootPath)};
        error.path = rootPath;
        return fail(error);
    }
    const QDir root(rootInfo.absoluteFilePath());
    const QString canonicalRoot = rootInfo.canonicalFilePath();
    FolderScan scan;
    QStringList pending{root.absolutePath()};
    ctx.setStage(QStringLiteral("Scanning %1").arg(root.absolutePath()), 0);
    while (!pending.isEmpty()) {
        if (ctx.isCancelled())
            return fail(cancelledError());
        if (scan.directories.size() >= kMaxScannedDirectories) {
            scan.truncated = true;
            break;
        }
        const QString dirPath = pending.takeFirst();
        scan.directories << dirPath;
        const QDir dir(dirPath);
        const QFileInfoList children =
            dir.entryInfoList(QDir::Dirs | QDir::Files | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo &child : children) {
            if (child.isDir()) {
                if (child.fileName() == QLatin1String("node_modules"))
                    continue;
                // Links may point anywhere: follow only those that stay inside the root.
                if (child.isSymLink()
                    && !child.canonicalFilePath().startsWith(canonicalRoot + QLatin1Char('/')))
                    continue;
                pending << child.absoluteFilePath();
                continue;
            }
            if (!child.fileName().endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
                continue;
            if (ctx.isCancelled())
                return fail(cancelledError());
            if (child.size() > kFullReadLimit && !headLooksLikeModel(child.absoluteFilePath()))
                continue;
            BrowserEntry entry;
            entry.url = child.absoluteFilePath();
            entry.name = entryName(root, child);
            entry.date = child.lastModified().toUTC();
            auto artifacts = readModelJsonFile(child.absoluteFilePath(), LoadOptions::withoutWeights());
            if (!artifacts) {
                const ErrorCode code = artifacts.error().code;
                if (code == ErrorCode::Parse || code == ErrorCode::Format)
                    continue; // not a model JSON
                entry.problem = artifacts.error().message;
                entry.size = child.size();
            } else {
                entry.format = overviewOf(*artifacts).format;
                entry.size = child.size() + artifacts->weightData.size();
            }
            scan.files << entry.url;
            scan.entries.push_back(std::move(entry));
            ctx.addItems();
        }
    }
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

#include "modelscan.h"

#include "filehandler.h"

#include "base/job.h"
#include "format/modeloverview.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace tfjs {

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

Result<ModelScan> scanForModels(const QString &rootPath, JobContext &ctx)
{
    const QFileInfo rootInfo(rootPath);
    if (!rootInfo.isDir()) {
        Error error{ErrorCode::NotFound, QStringLiteral("The folder %1 does not exist.").arg(rootPath)};
        error.path = rootPath;
        return fail(error);
    }
    const QDir root(rootInfo.absoluteFilePath());
    const QString canonicalRoot = rootInfo.canonicalFilePath();
    ModelScan scan;
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
            FoundModel entry;
            entry.path = child.absoluteFilePath();
            entry.name = entryName(root, child);
            entry.modified = child.lastModified().toUTC();
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
            scan.files << entry.path;
            scan.models.push_back(std::move(entry));
            ctx.addItems();
        }
    }
    return scan;
}

} // namespace tfjs

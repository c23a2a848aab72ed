#include "filehandler.h"
#include "modelfolder.h"

#include "io/atomicdir.h"
#include "io/foldercommit.h"
#include "io/spoolfile.h"
#include "base/job.h"
#include "format/weightlayout.h"

#include <QDir>
#include <QFile>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tfjs {

namespace {

constexpr qint64 kMaxJsonBytes = qint64(1) << 30;
// How long a load waits for another process's commit into the folder to end.
constexpr qint64 kCommitWaitMs = 2000;

Error pathError(ErrorCode code, const QString &message, const QString &path)
{
    Error error{code, message};
    error.path = path;
    return error;
}

// The model.json or weights.bin a save into `folder` would replace, if there is one.
QString modelFileIn(const QString &folder)
{
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        return {};
    for (const char *name : {FileHandler::kModelFile, FileHandler::kWeightsFile}) {
        const QString file = QDir(folder).filePath(QLatin1String(name));
        if (QFileInfo::exists(file) || QFileInfo(file).isSymLink())
            return file;
    }
    return {};
}

// What a path that exists but is not a regular file is, for messages ("a folder", "a link to
// /dev/zero, a device").
QString kindOfNonFile(const QString &path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return QStringLiteral("unreadable");
    const QString kind = S_ISDIR(st.st_mode)                          ? QStringLiteral("a folder")
                         : S_ISFIFO(st.st_mode)                       ? QStringLiteral("a FIFO")
                         : S_ISSOCK(st.st_mode)                       ? QStringLiteral("a socket")
                         : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? QStringLiteral("a device")
                                                                      : QStringLiteral("not a file");
    const QFileInfo info(path);
    return info.isSymLink() ? QStringLiteral("a link to %1, %2").arg(info.symLinkTarget(), kind)
                            : kind;
}

// Reads `jsonPath` and finds its shards so that the JSON and the weight files are those of one
// save: no commit (foldercommit.h) was under way in the folder before or after, and the JSON
// at the path is still the file read (held open meanwhile, so its inode cannot be reused).
// Otherwise reads again, for up to kCommitWaitMs; then returns what it read.
Result<ModelArtifacts> readOneVersion(const QString &jsonPath, const LoadOptions &options)
{
    const QString folder = QFileInfo(jsonPath).absolutePath();
    const QByteArray path = QFile::encodeName(jsonPath);
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        const bool late = waited.elapsed() > kCommitWaitMs;
        if (!late && commitInProgress(folder)) {
            QThread::msleep(1);
            recoverFolder(folder); // the writer may have died meanwhile
            continue;
        }
        const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
        struct stat before{};
        const bool opened = fd >= 0 && ::fstat(fd, &before) == 0;
        auto artifacts = readModelJsonFile(jsonPath, options);
        struct stat after{};
        const bool same = opened && ::stat(path.constData(), &after) == 0
                          && after.st_ino == before.st_ino && after.st_dev == before.st_dev;
        if (fd >= 0)
            ::close(fd);
        if (!opened || late || (same && !commitInProgress(folder)))
            return artifacts;
    }
}

} // namespace

Result<Json> readJsonFile(const QString &jsonPath, QByteArray *text)
{
    QFile file(jsonPath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(pathError(ErrorCode::Io,
                              QStringLiteral("Cannot read %1: %2").arg(jsonPath, file.errorString()),
                              jsonPath));
    if (file.size() > kMaxJsonBytes)
        return fail(pathError(ErrorCode::Format,
                              QStringLiteral("%1 is %2 bytes; model JSON files over 1 GiB are "
                                             "refused.")
                                  .arg(jsonPath)
                                  .arg(file.size()),
                              jsonPath));
    const QByteArray bytes = file.readAll();
    if (text)
        *text = bytes;
    return parseJson(std::string_view(bytes.constData(), std::size_t(bytes.size())), jsonPath);
}

Result<ModelArtifacts> readModelJsonFile(const QString &jsonPath, const LoadOptions &options)
{
    QByteArray text;
    auto json = readJsonFile(jsonPath, &text);
    if (!json)
        return fail(json.error());
    auto artifacts = artifactsFromModelJson(*json, jsonPath);
    if (!artifacts)
        return artifacts;
    artifacts->jsonText = std::move(text);
    if (!artifacts->manifest)
        return artifacts;

    // Shards are resolved against the JSON's folder and must stay inside it, also through
    // symbolic links: a model from an untrusted archive must not make us read (and then copy
    // or upload) files from elsewhere.
    const QDir folder = QFileInfo(jsonPath).absoluteDir();
    const QString realFolder = QFileInfo(folder.absolutePath()).canonicalFilePath();
    QStringList missing;
    Error firstMissing;
    WeightData data;
    for (const WeightsGroup &group : *artifacts->manifest) {
        for (const std::string &shard : group.paths) {
            if (auto ok = checkRelativeShardPath(shard, jsonPath); !ok)
                return fail(ok.error());
            const QString label = QString::fromStdString(shard);
            const QString shardPath = QDir::cleanPath(folder.absoluteFilePath(label));
            const QFileInfo info(shardPath);
            if (info.exists() && !info.isFile()) {
                Error error{ErrorCode::Format,
                            QStringLiteral("Weight file %1 is %2, not a file: loading failed")
                                .arg(shardPath, kindOfNonFile(shardPath))};
                error.path = shardPath;
                error.shard = label;
                return fail(error);
            }
            if (!info.isFile()) {
                if (missing.isEmpty()) {
                    firstMissing = pathError(ErrorCode::NotFound, {}, shardPath);
                    firstMissing.shard = label;
                }
                missing << shardPath;
                continue;
            }
            const QString real = info.canonicalFilePath();
            if (!realFolder.isEmpty() && !real.startsWith(realFolder + QLatin1Char('/'))) {
                Error error{ErrorCode::Format,
                            QStringLiteral("Weight file %1 is a link to %2, outside the model's "
                                           "folder %3: refusing to read it.")
                                .arg(shardPath, real, folder.absolutePath())};
                error.path = shardPath;
                error.shard = label;
                return fail(error);
            }
            // A load that reads weights holds the files open, so they stay the ones found
            // with this model.json while another process replaces the model (readOneVersion).
            // Without a descriptor to spare, the file is read by path later, as `info` does.
            std::shared_ptr<SpoolFile> held;
            if (options.weights) {
                if (auto opened = SpoolFile::holdOpen(real, shardPath))
                    held = *opened;
            }
            if (held)
                data.appendSpool(held, 0, held->size(), label);
            else
                data.appendFile(shardPath, 0, info.size(), label);
        }
    }
    if (!missing.isEmpty()) {
        firstMissing.message =
            missing.size() == 1
                ? QStringLiteral("Weight file %1 does not exist: loading failed").arg(missing[0])
                : QStringLiteral("%1 weight files do not exist: loading failed: %2")
                      .arg(missing.size())
                      .arg(missing.join(QStringLiteral(", ")));
        return fail(firstMissing);
    }
    // Shards are described as file segments: only string tensors' length prefixes are read,
    // also for a load without weights (`info` then agrees with every verb that reads them).
    if (auto checked = checkWeightLayout(*artifacts->weightSpecs, data, jsonPath); !checked)
        return fail(checked.error());
    artifacts->weightData = std::move(data);
    return artifacts;
}

FileHandler::FileHandler(QString path) : m_path(std::move(path)) {}

Result<ModelArtifacts> FileHandler::load(JobContext &ctx, const LoadOptions &options)
{
    QString jsonPath = m_path;
    // A commit a killed writer left half done is finished first.
    if (const QFileInfo given(m_path); given.isDir())
        recoverFolder(given.absoluteFilePath());
    else if (given.absoluteDir().exists())
        recoverFolder(given.absolutePath());
    const QFileInfo info(jsonPath);
    if (!info.exists())
        return fail(pathError(ErrorCode::NotFound,
                              QStringLiteral("Path %1 does not exist: loading failed").arg(m_path),
                              m_path));
    if (info.isDir()) {
        // tfjs-node refuses folders; we accept a folder that holds one model, as users expect.
        auto json = modelJsonInFolder(m_path);
        if (!json)
            return fail(json.error());
        jsonPath = *json;
    }
    ctx.setStage(QStringLiteral("Reading %1").arg(QFileInfo(jsonPath).fileName()), 0);
    if (ctx.isCancelled())
        return fail(cancelledError());
    return readOneVersion(jsonPath, options);
}

Result<bool> FileHandler::hasModel()
{
    return !modelFileIn(m_path).isEmpty();
}

QString FileHandler::spoolFolder() const
{
    return m_path.isEmpty() ? QString() : nearestExistingFolder(m_path);
}

std::vector<WeightFile> weightFilesOf(
    const WeightData &data, qint64 shardSize, const QString &single, const QString &prefix)
{
    if (shardSize <= 0)
        return { { single, data } };
    const qint64 count = std::max<qint64>(1, (data.size() + shardSize - 1) / shardSize);
    std::vector<WeightFile> files;
    for (qint64 i = 0; i < count; ++i)
        files.push_back({ prefix + QStringLiteral("group1-shard%1of%2.bin").arg(i + 1).arg(count),
            data.slice(i * shardSize, shardSize) });
    return files;
}

Result<SaveResult> FileHandler::save(const ModelArtifacts &artifacts, JobContext &ctx)
{
    if (m_path.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The folder to save to is empty."));
    if (QFileInfo(m_path).isDir())
        recoverFolder(m_path); // a killed writer's commit first: its model may be in the way
    // A model file in the way (found now, or at the final rename) refuses the whole save.
    const Error refused = existsError(QStringLiteral("file://") + m_path, m_path);
    if (existing() == Existing::Refuse && !modelFileIn(m_path).isEmpty())
        return fail(refused);
    if (auto checked = checkWeightLayout(artifacts, &ctx); !checked)
        return fail(checked.error());
    auto write = AtomicFolderWrite::begin(m_path, existing(), durability());
    if (!write)
        return fail(write.error());

    const bool hasWeights = artifacts.weightSpecs.has_value();
    const std::vector<WeightFile> weightFiles
        = weightFilesOf(artifacts.weightData, shardSize(), QLatin1String(kWeightsFile));
    std::optional<WeightsManifest> manifest;
    if (hasWeights) {
        manifest = singleGroupManifest(artifacts, kWeightsFile);
        manifest->front().paths.clear();
        for (const WeightFile &weights : weightFiles)
            manifest->front().paths.push_back(weights.name.toStdString());
    }
    ctx.setStage(QStringLiteral("Writing %1").arg(weightFiles.front().name),
                 artifacts.weightData.size());
    const auto failed = [&](const Error &error) {
        const bool inTheWay = error.code == ErrorCode::Exists && existing() == Existing::Refuse;
        return fail(inTheWay ? refused : error);
    };
    for (const WeightFile &weights : weightFiles) {
        if (!hasWeights)
            break;
        auto written = write->addWeights(weights.name, weights.data, &ctx);
        if (!written)
            return failed(written.error());
    }
    const std::string json = stringify(modelJson(artifacts, manifest, JsonLayout::Node));
    auto written = write->addFile(QLatin1String(kModelFile), [&](QFile &file) {
        return writeAllBytes(file, json.data(), qint64(json.size()));
    });
    if (!written)
        return failed(written.error());
    if (ctx.isCancelled())
        return fail(cancelledError());
    auto files = write->commit();
    if (!files)
        return failed(files.error());
    SaveResult result;
    result.modelArtifactsInfo = artifactsInfo(artifacts);
    result.files = *files;
    return result;
}

} // namespace tfjs

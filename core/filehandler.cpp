#include "filehandler.h"

#include "atomicdir.h"
#include "job.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <limits>

namespace tfjs {

namespace {

constexpr qint64 kMaxJsonBytes = qint64(1) << 30;

Error pathError(ErrorCode code, const QString &message, const QString &path)
{
    Error error{code, message};
    error.path = path;
    return error;
}

// The data ends (or has its surplus) in the last shard: name it.
QString lastShardLabel(const WeightData &data)
{
    return data.segments().empty() ? QString() : data.segments().back().label;
}

QString lastShardFile(const WeightData &data, const QString &fallback)
{
    const QString path = data.segments().empty() ? QString() : data.segments().back().userPath();
    return path.isEmpty() ? fallback : path;
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

QString lastShardNote(const WeightData &data)
{
    if (data.segments().empty())
        return {};
    const WeightData::Segment &last = data.segments().back();
    return QStringLiteral("; the last shard, %1, ends at byte %2 of the data")
        .arg(last.name())
        .arg(data.size());
}

} // namespace

Result<void> checkWeightDataSize(const std::vector<WeightSpec> &specs, const WeightData &data,
                                 const QString &where)
{
    qint64 need = 0;
    bool exact = true;
    const qint64 have = data.size();
    for (const WeightSpec &spec : specs) {
        qint64 size = spec.byteSize();
        if (size < 0) { // string: at least a 4-byte length prefix per element
            exact = false;
            const std::int64_t count = spec.elementCount();
            if (__builtin_mul_overflow(count, std::int64_t(4), &size))
                size = std::numeric_limits<std::int64_t>::max();
        }
        if (size > have - need) {
            Error error{ErrorCode::Weights,
                        QStringLiteral("The weight files of %1 are too short: tensor '%2' starts "
                                       "at byte %3 and needs %4 bytes, but the shards hold %5 "
                                       "bytes in all%6.")
                            .arg(where, QString::fromStdString(spec.name))
                            .arg(need)
                            .arg(size)
                            .arg(have)
                            .arg(lastShardNote(data))};
            error.path = lastShardFile(data, where);
            error.shard = lastShardLabel(data);
            error.tensor = QString::fromStdString(spec.name);
            error.offset = need;
            return fail(error);
        }
        need += size;
    }
    if (exact && need != have) {
        Error error{ErrorCode::Weights,
                    QStringLiteral("The weight files of %1 are too long: the specs need %2 bytes, "
                                   "the shards hold %3 bytes (%4 extra)%5.")
                        .arg(where)
                        .arg(need)
                        .arg(have)
                        .arg(have - need)
                        .arg(lastShardNote(data))};
        error.path = lastShardFile(data, where);
        error.shard = lastShardLabel(data);
        error.offset = need;
        return fail(error);
    }
    return {};
}

Result<Json> readJsonFile(const QString &jsonPath)
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
    const QByteArray text = file.readAll();
    return parseJson(std::string_view(text.constData(), std::size_t(text.size())), jsonPath);
}

Result<ModelArtifacts> readModelJsonFile(const QString &jsonPath, const LoadOptions &options)
{
    auto json = readJsonFile(jsonPath);
    if (!json)
        return fail(json.error());
    auto artifacts = artifactsFromModelJson(*json, jsonPath);
    if (!artifacts)
        return artifacts;
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
    if (auto sized = checkWeightDataSize(*artifacts->weightSpecs, data, jsonPath); !sized)
        return fail(sized.error());
    // Describing shards as file segments reads no weight bytes, so `options` changes nothing.
    Q_UNUSED(options)
    artifacts->weightData = std::move(data);
    return artifacts;
}

FileHandler::FileHandler(QString path) : m_path(std::move(path)) {}

Result<ModelArtifacts> FileHandler::load(JobContext &ctx, const LoadOptions &options)
{
    QString jsonPath = m_path;
    const QFileInfo info(jsonPath);
    if (!info.exists())
        return fail(pathError(ErrorCode::NotFound,
                              QStringLiteral("Path %1 does not exist: loading failed").arg(m_path),
                              m_path));
    if (info.isDir()) {
        // tfjs-node refuses folders; we accept a folder holding model.json, as users expect.
        jsonPath = QDir(m_path).filePath(QLatin1String(kModelFile));
        if (!QFileInfo(jsonPath).isFile())
            return fail(pathError(ErrorCode::NotFound,
                                  QStringLiteral("The folder %1 has no model.json; give the path "
                                                 "of the model JSON file to load.")
                                      .arg(m_path),
                                  m_path));
    }
    ctx.setStage(QStringLiteral("Reading %1").arg(QFileInfo(jsonPath).fileName()), 0);
    if (ctx.isCancelled())
        return fail(cancelledError());
    return readModelJsonFile(jsonPath, options);
}

Result<bool> FileHandler::hasModel()
{
    return !modelFileIn(m_path).isEmpty();
}

QString FileHandler::spoolFolder() const
{
    return m_path.isEmpty() ? QString() : nearestExistingFolder(m_path);
}

Result<SaveResult> FileHandler::save(const ModelArtifacts &artifacts, JobContext &ctx)
{
    if (m_path.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The folder to save to is empty."));
    // A model file in the way (found now, or at the final rename) refuses the whole save.
    const Error refused = existsError(QStringLiteral("file://") + m_path, m_path);
    if (existing() == Existing::Refuse && !modelFileIn(m_path).isEmpty())
        return fail(refused);
    auto write = AtomicFolderWrite::begin(m_path, existing(), durability());
    if (!write)
        return fail(write.error());

    const bool hasWeights = artifacts.weightSpecs.has_value();
    std::optional<WeightsManifest> manifest;
    if (hasWeights)
        manifest = singleGroupManifest(artifacts, kWeightsFile);
    ctx.setStage(QStringLiteral("Writing %1").arg(QLatin1String(kWeightsFile)),
                 artifacts.weightData.size());
    const auto failed = [&](const Error &error) {
        const bool inTheWay = error.code == ErrorCode::Exists && existing() == Existing::Refuse;
        return fail(inTheWay ? refused : error);
    };
    if (hasWeights) {
        auto written = write->addWeights(QLatin1String(kWeightsFile), artifacts.weightData, &ctx);
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

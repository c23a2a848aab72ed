#include "filelisthandler.h"

#include "filehandler.h"
#include "base/job.h"
#include "format/weightlayout.h"

#include <QFileInfo>

#include <map>

namespace tfjs {

namespace {

QString basename(const std::string &path)
{
    const QString text = QString::fromStdString(path);
    return text.mid(text.lastIndexOf(QLatin1Char('/')) + 1);
}

Error filesError(ErrorCode code, const QString &message, const QString &path = {})
{
    Error error{code, message};
    error.path = path;
    return error;
}

} // namespace

FileListHandler::FileListHandler(QStringList files) : m_files(std::move(files)) {}

Result<SaveResult> FileListHandler::save(const ModelArtifacts &, JobContext &)
{
    return fail(ErrorCode::Unsupported,
                QStringLiteral("A set of chosen files can only be loaded, not saved to."));
}

Result<ModelArtifacts> FileListHandler::load(JobContext &ctx, const LoadOptions &)
{
    if (m_files.isEmpty())
        return fail(filesError(ErrorCode::InvalidArgument,
                               QStringLiteral("At least 1 file is required (the model JSON), but "
                                              "received 0.")));
    ctx.setStage(QStringLiteral("Reading files"), 0, int(m_files.size()));
    const QString jsonPath = m_files.front();
    QByteArray text;
    auto json = readJsonFile(jsonPath, &text);
    if (!json)
        return fail(json.error());
    // TF.js needs the topology; a bare weights manifest (an array) is ours, for inspection.
    if (json->is_object() && !json->contains("modelTopology"))
        return fail(filesError(ErrorCode::Format,
                               QStringLiteral("modelTopology field is missing from file %1")
                                   .arg(QFileInfo(jsonPath).fileName()),
                               jsonPath));
    ctx.addItems();
    auto artifacts = artifactsFromModelJson(*json, jsonPath);
    if (!artifacts)
        return artifacts;
    artifacts->jsonText = std::move(text);

    const QStringList weightFiles = m_files.mid(1);
    if (weightFiles.isEmpty()) { // TF.js returns the topology alone
        artifacts->manifest.reset();
        artifacts->weightSpecs.reset();
        return artifacts;
    }
    if (!artifacts->manifest)
        return fail(filesError(ErrorCode::Format,
                               QStringLiteral("weightsManifest field is missing from file %1")
                                   .arg(QFileInfo(jsonPath).fileName()),
                               jsonPath));

    std::map<QString, QString> byName; // basename -> chosen file
    for (const QString &path : weightFiles) {
        const QString name = QFileInfo(path).fileName();
        if (byName.contains(name))
            return fail(filesError(ErrorCode::InvalidArgument,
                                   QStringLiteral("Two weight files are named '%1': %2 and %3.")
                                       .arg(name, byName[name], path),
                                   path));
        byName[name] = path;
    }

    std::vector<std::pair<QString, std::string>> ordered; // chosen file, manifest path
    std::map<QString, bool> used;
    int manifestPaths = 0;
    for (const WeightsGroup &group : *artifacts->manifest) {
        for (const std::string &shard : group.paths) {
            ++manifestPaths;
            const QString name = basename(shard);
            if (used.contains(name))
                return fail(filesError(ErrorCode::Format,
                                       QStringLiteral("Duplicate file basename found in weights "
                                                      "manifest: '%1'")
                                           .arg(name),
                                       jsonPath));
            used[name] = true;
            const auto it = byName.find(name);
            if (it == byName.end()) {
                Error error = filesError(
                    ErrorCode::NotFound,
                    QStringLiteral("Weight file with basename '%1' is not provided.").arg(name),
                    jsonPath);
                error.shard = QString::fromStdString(shard);
                return fail(error);
            }
            ordered.emplace_back(it->second, shard);
        }
    }
    if (manifestPaths != weightFiles.size()) {
        QStringList extra;
        for (const auto &[name, path] : byName) {
            if (!used.contains(name))
                extra << name;
        }
        return fail(filesError(ErrorCode::InvalidArgument,
                               QStringLiteral("Mismatch in the number of files in weights manifest "
                                              "(%1) and the number of weight files provided (%2): "
                                              "not in the manifest: %3.")
                                   .arg(manifestPaths)
                                   .arg(weightFiles.size())
                                   .arg(extra.join(QStringLiteral(", "))),
                               jsonPath));
    }
    WeightData data;
    for (const auto &[path, shard] : ordered) {
        const QFileInfo info(path);
        if (!info.isFile()) {
            Error error = filesError(ErrorCode::NotFound,
                                     QStringLiteral("Weight file %1 does not exist.").arg(path), path);
            error.shard = QString::fromStdString(shard);
            return fail(error);
        }
        data.appendFile(info.absoluteFilePath(), 0, info.size(), QString::fromStdString(shard));
        ctx.addItems();
    }
    if (auto checked = checkWeightLayout(*artifacts->weightSpecs, data, jsonPath, &ctx); !checked)
        return fail(checked.error());
    artifacts->weightData = std::move(data);
    return artifacts;
}

} // namespace tfjs

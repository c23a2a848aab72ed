#include "downloadshandler.h"

#include "base/job.h"
#include "filehandler.h"
#include "format/weightlayout.h"
#include "io/atomicdir.h"
#include "io/foldercommit.h"

#include <QFileInfo>

#include <algorithm>

namespace tfjs {

namespace {

constexpr int kMaxAttempts = 10000;

} // namespace

DownloadsHandler::DownloadsHandler(QString folder, QString name)
    : m_folder(std::move(folder)), m_prefix(prefixFor(name))
{
}

QString DownloadsHandler::prefixFor(const QString &name)
{
    QString prefix = name;
    if (prefix.startsWith(QLatin1String("downloads://")))
        prefix = prefix.mid(12);
    for (QChar &c : prefix) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c.unicode() < 0x20
            || c.unicode() == 0x7f)
            c = QLatin1Char('_');
    }
    if (prefix.isEmpty())
        return QStringLiteral("model");
    if (prefix == QLatin1String(".") || prefix == QLatin1String(".."))
        return QStringLiteral("_");
    return prefix;
}

Result<ModelArtifacts> DownloadsHandler::load(JobContext &ctx, const LoadOptions &options)
{
    Q_UNUSED(ctx)
    Q_UNUSED(options)
    return fail(ErrorCode::Unsupported,
                QStringLiteral("downloads:// can only be saved to (as in TF.js, where browser "
                               "downloads are save-only)."));
}

QString DownloadsHandler::spoolFolder() const
{
    return nearestExistingFolder(m_folder);
}

Result<SaveResult> DownloadsHandler::save(const ModelArtifacts &artifacts, JobContext &ctx)
{
    if (auto checked = checkWeightLayout(artifacts, &ctx); !checked)
        return fail(checked.error());
    const bool withBin = artifacts.weightSpecs.has_value() || !artifacts.weightData.isEmpty();
    if (QFileInfo(m_folder).isDir())
        recoverFolder(m_folder); // a killed download's files first: they take their names
    Error lastError;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
        const QString stem = attempt == 0 ? m_prefix
                                          : QStringLiteral("%1 (%2)").arg(m_prefix).arg(attempt);
        const QString jsonName = stem + QStringLiteral(".json");
        // TF.js's one NAME.weights.bin, or with a shard size NAME.group1-shard1ofK.bin, ...
        const QString binName = stem + QStringLiteral(".weights.bin");
        const std::vector<WeightFile> bins
            = weightFilesOf(artifacts.weightData, shardSize(), binName, stem + QLatin1Char('.'));
        const QString folder = m_folder + QLatin1Char('/');
        // All names must be free, so the JSON and its bins share one suffix.
        const auto taken = [&] {
            return QFileInfo::exists(folder + jsonName)
                || std::ranges::any_of(bins,
                    [&](const WeightFile &bin) { return QFileInfo::exists(folder + bin.name); });
        };
        if (taken())
            continue;

        auto write = AtomicFolderWrite::begin(m_folder, AtomicFolderWrite::Existing::Refuse,
                                               durability());
        if (!write)
            return fail(write.error());
        ctx.setStage(QStringLiteral("Writing %1").arg(withBin ? bins.front().name : jsonName),
            artifacts.weightData.size());
        // The bins first: a JSON is never in place without the bins it names.
        std::optional<WeightsManifest> manifest;
        if (withBin) {
            manifest = singleGroupManifest(artifacts, {});
            manifest->front().paths.clear();
            for (const WeightFile &bin : bins) {
                auto written = write->addWeights(bin.name, bin.data, &ctx);
                if (!written)
                    return fail(written.error());
                manifest->front().paths.push_back("./" + bin.name.toStdString());
            }
        } else {
            manifest = singleGroupManifest(artifacts, "./" + binName.toStdString());
        }
        const std::string json = stringify(modelJson(artifacts, manifest, JsonLayout::Browser));
        auto written = write->addFile(jsonName, [&](QFile &file) {
            return writeAllBytes(file, json.data(), qint64(json.size()));
        });
        if (!written)
            return fail(written.error());
        if (ctx.isCancelled())
            return fail(cancelledError());
        auto files = write->commit();
        if (!files) {
            // Someone took one of the names meanwhile: try the next suffix.
            if (taken()) {
                lastError = files.error();
                continue;
            }
            return fail(files.error());
        }
        SaveResult result;
        result.modelArtifactsInfo = artifactsInfo(artifacts);
        result.files = *files;
        return result;
    }
    Error error{ErrorCode::Exists,
                QStringLiteral("Cannot find a free file name for '%1' in %2.").arg(m_prefix, m_folder)};
    error.path = m_folder;
    error.detail = lastError.message;
    return fail(error);
}

} // namespace tfjs

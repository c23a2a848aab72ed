#include "cli.h"
#include "registry.h"

#include <QDir>
#include <QFileInfo>

namespace tfjs::cli {

namespace {

// True when two URLs name one model: the same text (TF.js's check), or for file:// a model
// JSON inside the destination folder under the name a save would write.
bool sameModel(const QString &source, const QString &destination)
{
    if (source == destination)
        return true;
    auto src = ModelUrl::parse(source);
    auto dst = ModelUrl::parse(destination);
    if (!src || !dst || src->scheme != QStringLiteral("file") || dst->scheme != src->scheme)
        return false;
    QFileInfo from(src->path);
    const QString fromJson = from.isDir() ? QDir(src->path).absoluteFilePath(QStringLiteral("model.json"))
                                          : from.absoluteFilePath();
    return QDir::cleanPath(fromJson)
           == QDir::cleanPath(QDir(dst->path).absoluteFilePath(QStringLiteral("model.json")));
}

} // namespace

Command copyCommand()
{
    return {QStringLiteral("copy"),
            QStringLiteral("Load a model through one handler and save it through another."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("SRC"), QStringLiteral("Source URL."));
                parser.addPositionalArgument(QStringLiteral("DST"),
                                             QStringLiteral("Destination URL (file://: a folder)."));
                parser.addOption({QStringLiteral("json"), QStringLiteral("Print the SaveResult as JSON.")});
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                if (parser.positionalArguments().size() != 2)
                    return ctx.usageError(parser, QStringLiteral("copy takes SRC and DST."));
                const QString source = parser.positionalArguments().at(0);
                const QString destination = parser.positionalArguments().at(1);
                if (sameModel(source, destination)) {
                    Error error{ErrorCode::InvalidArgument,
                                QStringLiteral("Old path and new path are the same: '%1'").arg(source)};
                    return ctx.failWith(error);
                }
                LoadOptions options; // downloads go where the save can name them
                options.spoolFolder = ctx.registry.spoolFolderFor(destination);
                auto artifacts = ctx.load(source, options);
                if (!artifacts)
                    return ctx.failWith(artifacts.error());
                auto saved = ctx.save(destination, *artifacts);
                if (!saved)
                    return ctx.failWith(saved.error());
                if (parser.isSet(QStringLiteral("json"))) {
                    Json json = Json::object();
                    json["modelArtifactsInfo"] = saved->modelArtifactsInfo.toJson();
                    Json files = Json::array();
                    for (const QString &file : std::as_const(saved->files))
                        files.push_back(file.toStdString());
                    json["files"] = files;
                    if (saved->httpStatus != 0) {
                        json["httpStatus"] = saved->httpStatus;
                        json["responseBody"] = QString::fromUtf8(saved->responseBody).toStdString();
                    }
                    ctx.out << QString::fromStdString(json.dump(2)) << '\n';
                } else {
                    for (const QString &file : std::as_const(saved->files))
                        ctx.out << "wrote " << file << '\n';
                    const ModelArtifactsInfo &info = saved->modelArtifactsInfo;
                    ctx.out << "modelTopologyBytes=" << info.modelTopologyBytes
                            << " weightSpecsBytes=" << info.weightSpecsBytes
                            << " weightDataBytes=" << info.weightDataBytes << '\n';
                    if (saved->httpStatus != 0) // an upload: the server's answer
                        ctx.out << "HTTP " << saved->httpStatus << '\n'
                                << QString::fromUtf8(saved->responseBody) << '\n';
                }
                return int(Success);
            }};
}

} // namespace tfjs::cli

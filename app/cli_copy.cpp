#include "cli.h"
#include "handlers/modelmanager.h"

namespace tfjs::cli {

Command copyCommand()
{
    return {QStringLiteral("copy"),
            QStringLiteral("Load a model through one handler and save it through another; a "
                           "destination that holds a model is refused unless --overwrite."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("SRC"), QStringLiteral("Source URL."));
                parser.addPositionalArgument(QStringLiteral("DST"),
                                             QStringLiteral("Destination URL (file://: a folder)."));
                parser.addOption({QStringLiteral("json"), QStringLiteral("Print the SaveResult as JSON.")});
                addOverwriteOption(parser);
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                if (parser.positionalArguments().size() != 2)
                    return ctx.usageError(parser, QStringLiteral("copy takes SRC and DST."));
                const QString source = parser.positionalArguments().at(0);
                const QString destination = parser.positionalArguments().at(1);
                // The same check runs in the core copy; here it names the paths as typed.
                if (ModelManager::sameModel(cliUrl(source), cliUrl(destination))) {
                    Error error{ErrorCode::InvalidArgument,
                                QStringLiteral("Old path and new path are the same: '%1'").arg(source)};
                    return ctx.failWith(error);
                }
                ctx.noteShardSize(destination);
                SaveResult saved;
                auto ran = ctx.runJob(QStringLiteral("Copying %1").arg(source),
                                      [&](JobContext &job) -> Result<void> {
                                          const ModelManager manager(ctx.registry);
                                          auto copied = manager.copyModel(
                                              cliUrl(source), cliUrl(destination), job,
                                              existingFrom(parser));
                                          if (!copied)
                                              return fail(copied.error());
                                          saved = std::move(*copied);
                                          return {};
                                      });
                if (!ran)
                    return ctx.failWith(withOverwriteHint(ran.error()));
                if (parser.isSet(QStringLiteral("json"))) {
                    Json json = Json::object();
                    json["modelArtifactsInfo"] = saved.modelArtifactsInfo.toJson();
                    Json files = Json::array();
                    for (const QString &file : std::as_const(saved.files))
                        files.push_back(file.toStdString());
                    json["files"] = files;
                    if (saved.httpStatus != 0) {
                        json["httpStatus"] = saved.httpStatus;
                        json["responseBody"] = QString::fromUtf8(saved.responseBody).toStdString();
                    }
                    ctx.out << QString::fromStdString(json.dump(2)) << '\n';
                } else {
                    for (const QString &file : std::as_const(saved.files))
                        ctx.out << "wrote " << file << '\n';
                    const ModelArtifactsInfo &info = saved.modelArtifactsInfo;
                    ctx.out << "modelTopologyBytes=" << info.modelTopologyBytes
                            << " weightSpecsBytes=" << info.weightSpecsBytes
                            << " weightDataBytes=" << info.weightDataBytes << '\n';
                    if (saved.httpStatus != 0) // an upload: the server's answer
                        ctx.out << "HTTP " << saved.httpStatus << '\n'
                                << QString::fromUtf8(saved.responseBody) << '\n';
                }
                return int(Success);
            }};
}

} // namespace tfjs::cli

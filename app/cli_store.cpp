#include "cli.h"
#include "cliprogress.h"
#include "store/modelmanager.h"

namespace tfjs::cli {

namespace {

// The CLI's rule: a plain path is file://. ModelManager itself keeps TF.js's rule (no scheme,
// no handler), so the conversion happens here.
QString cliUrl(const QString &text)
{
    return text.contains(QStringLiteral("://")) ? text : QStringLiteral("file://") + text;
}

Json infoJson(const ModelArtifactsInfo &info)
{
    return info.toJson();
}

void printInfoLine(QTextStream &out, const ModelArtifactsInfo &info)
{
    out << "modelTopologyBytes=" << info.modelTopologyBytes
        << " weightSpecsBytes=" << info.weightSpecsBytes
        << " weightDataBytes=" << info.weightDataBytes << '\n';
}

Command listCommand()
{
    return {QStringLiteral("list"),
            QStringLiteral("List the models of the indexeddb:// and localstorage:// stores."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("STORE"),
                                             QStringLiteral("indexeddb:// or localstorage:// "
                                                            "(default: both)."),
                                             QStringLiteral("[STORE...]"));
                parser.addOption({QStringLiteral("json"),
                                  QStringLiteral("Print {url: ModelArtifactsInfo} as TF.js's "
                                                 "listModels() returns it.")});
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                const ModelManager manager(ctx.registry, ctx.handlerOptions);
                QStringList stores = parser.positionalArguments();
                if (stores.isEmpty())
                    stores = manager.schemes();
                std::vector<std::pair<QString, ModelArtifactsInfo>> rows;
                for (QString store : std::as_const(stores)) {
                    if (store.endsWith(QStringLiteral("://")))
                        store.chop(3);
                    auto models = manager.listModels(store);
                    if (!models)
                        return ctx.failWith(models.error());
                    for (const StoredModel &model : *models)
                        rows.emplace_back(store.toLower() + QStringLiteral("://") + model.path,
                                          model.info);
                }
                if (parser.isSet(QStringLiteral("json"))) {
                    Json json = Json::object();
                    for (const auto &[url, info] : rows)
                        json[url.toStdString()] = infoJson(info);
                    ctx.out << QString::fromStdString(json.dump(2)) << '\n';
                    return int(Success);
                }
                if (rows.empty()) {
                    ctx.out << "no models in " << stores.join(QStringLiteral(", ")) << '\n';
                    return int(Success);
                }
                qsizetype width = 3;
                for (const auto &[url, info] : rows)
                    width = std::max(width, url.size());
                const auto row = [&](const QString &url, const QString &saved, const QString &topology,
                                     const QString &specs, const QString &weights) {
                    ctx.out << url.leftJustified(width) << "  " << saved.leftJustified(24) << "  "
                            << topology.rightJustified(10) << "  " << specs.rightJustified(10)
                            << "  " << weights.rightJustified(10) << '\n';
                };
                row(QStringLiteral("URL"), QStringLiteral("SAVED (UTC)"), QStringLiteral("TOPOLOGY"),
                    QStringLiteral("SPECS"), QStringLiteral("WEIGHTS"));
                for (const auto &[url, info] : rows)
                    row(url, info.dateSaved.toUTC().toString(Qt::ISODateWithMs),
                        formatBytes(info.modelTopologyBytes), formatBytes(info.weightSpecsBytes),
                        formatBytes(info.weightDataBytes));
                return int(Success);
            }};
}

// move and rename share their shape; `rename` refuses to leave the store.
Command moveLikeCommand(bool rename)
{
    const QString name = rename ? QStringLiteral("rename") : QStringLiteral("move");
    return {name,
            rename ? QStringLiteral("Rename a model inside its store (metadata only).")
                   : QStringLiteral("Move a model: a rename inside one store, else copy then "
                                    "remove the source (kept if the copy fails)."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("SRC"), QStringLiteral("Source URL."));
                parser.addPositionalArgument(QStringLiteral("DST"),
                                             QStringLiteral("Destination URL."));
                parser.addOption({QStringLiteral("json"),
                                  QStringLiteral("Print the destination's ModelArtifactsInfo as "
                                                 "JSON.")});
            },
            [rename, name](Context &ctx, const QCommandLineParser &parser) {
                if (parser.positionalArguments().size() != 2)
                    return ctx.usageError(parser, QStringLiteral("%1 takes SRC and DST.").arg(name));
                const QString source = cliUrl(parser.positionalArguments().at(0));
                const QString destination = cliUrl(parser.positionalArguments().at(1));
                ModelArtifactsInfo info;
                auto ran = ctx.runJob(QStringLiteral("Moving %1").arg(source),
                                      [&](JobContext &job) -> Result<void> {
                                          const ModelManager manager(ctx.registry,
                                                                     ctx.handlerOptions);
                                          auto moved = rename
                                                           ? manager.renameModel(source, destination)
                                                           : manager.moveModel(source, destination,
                                                                               job);
                                          if (!moved)
                                              return fail(moved.error());
                                          info = *moved;
                                          return {};
                                      });
                if (!ran)
                    return ctx.failWith(ran.error());
                if (parser.isSet(QStringLiteral("json"))) {
                    ctx.out << QString::fromStdString(infoJson(info).dump(2)) << '\n';
                } else {
                    ctx.out << "moved " << source << " to " << destination << '\n';
                    printInfoLine(ctx.out, info);
                }
                return int(Success);
            }};
}

Command removeCommand()
{
    return {QStringLiteral("remove"),
            QStringLiteral("Remove models from the indexeddb:// or localstorage:// store."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("Model URLs."),
                                             QStringLiteral("URL..."));
                parser.addOption({QStringLiteral("json"),
                                  QStringLiteral("Print {url: removed ModelArtifactsInfo}.")});
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                const QStringList urls = parser.positionalArguments();
                if (urls.isEmpty())
                    return ctx.usageError(parser, QStringLiteral("remove takes at least one URL."));
                const ModelManager manager(ctx.registry, ctx.handlerOptions);
                Json json = Json::object();
                for (const QString &url : urls) {
                    auto removed = manager.removeModel(url);
                    if (!removed)
                        return ctx.failWith(removed.error());
                    if (parser.isSet(QStringLiteral("json")))
                        json[url.toStdString()] = infoJson(*removed);
                    else
                        ctx.out << "removed " << url << '\n';
                }
                if (parser.isSet(QStringLiteral("json")))
                    ctx.out << QString::fromStdString(json.dump(2)) << '\n';
                return int(Success);
            }};
}

} // namespace

QList<Command> storeCommands()
{
    return {listCommand(), moveLikeCommand(false), moveLikeCommand(true), removeCommand()};
}

} // namespace tfjs::cli

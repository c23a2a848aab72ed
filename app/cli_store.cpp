#include "cli.h"
#include "cliprogress.h"
#include "handlers/modelmanager.h"

namespace tfjs::cli {

QString cliUrl(const QString &text)
{
    return text.contains(QStringLiteral("://")) ? text : QStringLiteral("file://") + text;
}

void addOverwriteOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("overwrite"),
                      QStringLiteral("Replace a model at the destination (a replaced store model "
                                     "goes to the store's trash).")});
}

Existing existingFrom(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("overwrite")) ? Existing::Replace : Existing::Refuse;
}

Error withOverwriteHint(Error error)
{
    if (isExistsError(error)) {
        if (error.message.endsWith(QLatin1Char('.')))
            error.message.chop(1);
        error.message += QStringLiteral("; use --overwrite to replace it.");
    }
    return error;
}

namespace {

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
            QStringLiteral("List the models of the indexeddb:// and localstorage:// stores (and "
                           "team:// when --team or TFJS_TEAM names one), or "
                           "those a browser profile holds (firefox:///PROFILE, chromium:///PROFILE; "
                           "firefox:// and chromium:// alone: every profile found)."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("STORE"),
                                             QStringLiteral("indexeddb://, localstorage:// "
                                                            "(default: both), or a browser "
                                                            "profile URL."),
                                             QStringLiteral("[STORE...]"));
                parser.addOption({QStringLiteral("json"),
                                  QStringLiteral("Print {url: ModelArtifactsInfo} as TF.js's "
                                                 "listModels() returns it.")});
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                const ModelManager manager(ctx.registry);
                QStringList stores = parser.positionalArguments();
                if (stores.isEmpty())
                    stores = manager.schemes();
                std::vector<std::pair<QString, StoredModel>> rows;
                for (const QString &store : std::as_const(stores)) {
                    auto where = ModelUrl::parse(store.contains(QStringLiteral("://"))
                                                     ? store
                                                     : store + QStringLiteral("://"));
                    if (!where)
                        return ctx.failWith(where.error());
                    // Browser profiles are found (their URL has a path), stores hold models.
                    Result<std::vector<StoredModel>> models;
                    if (ctx.registry.can(where->toString(), Capability::Find)) {
                        auto ran = ctx.runJob(QStringLiteral("Listing %1").arg(store),
                                              [&](JobContext &job) -> Result<void> {
                                                  models = ctx.registry.listModels(*where, job);
                                                  return {};
                                              });
                        if (!ran)
                            return ctx.failWith(ran.error());
                    } else {
                        models = manager.listModels(where->scheme);
                    }
                    if (!models)
                        return ctx.failWith(models.error());
                    for (StoredModel &model : *models)
                        rows.emplace_back(ModelUrl::make(where->scheme, model.path), std::move(model));
                }
                if (parser.isSet(QStringLiteral("json"))) {
                    // Written entry by entry (as Json::dump(2) would write the whole object):
                    // 100,000 models as one document took 272 MiB.
                    ctx.out << (rows.empty() ? "{}" : "{");
                    for (std::size_t i = 0; i < rows.size(); ++i) {
                        const auto &[url, model] = rows[i];
                        Json entry = infoJson(model.info);
                        if (!model.origin.isEmpty())
                            entry["origin"] = model.origin.toStdString();
                        if (!model.storage.isEmpty())
                            entry["storage"] = model.storage.toStdString();
                        if (!model.savedBy.isEmpty())
                            entry["savedBy"] = model.savedBy.toStdString();
                        std::string text = entry.dump(2);
                        for (std::size_t at = text.find('\n'); at != std::string::npos;
                             at = text.find('\n', at + 3))
                            text.replace(at, 1, "\n  ");
                        ctx.out << (i ? ",\n  " : "\n  ") << QString::fromStdString(Json(url.toStdString()).dump())
                                << ": " << QString::fromStdString(text);
                    }
                    ctx.out << (rows.empty() ? "\n" : "\n}\n");
                    return int(Success);
                }
                if (rows.empty()) {
                    ctx.out << "no models in " << stores.join(QStringLiteral(", ")) << '\n';
                    return int(Success);
                }
                qsizetype width = 3;
                bool savedBy = false; // a column for stores that record who saved (team://)
                for (const auto &[url, model] : rows) {
                    width = std::max(width, url.size());
                    savedBy |= !model.savedBy.isEmpty();
                }
                const auto row = [&](const QString &url, const QString &saved, const QString &topology,
                                     const QString &specs, const QString &weights, const QString &by) {
                    ctx.out << url.leftJustified(width) << "  " << saved.leftJustified(24) << "  "
                            << topology.rightJustified(10) << "  " << specs.rightJustified(10)
                            << "  " << weights.rightJustified(10);
                    if (savedBy)
                        ctx.out << "  " << by;
                    ctx.out << '\n';
                };
                row(QStringLiteral("URL"), QStringLiteral("SAVED (UTC)"), QStringLiteral("TOPOLOGY"),
                    QStringLiteral("SPECS"), QStringLiteral("WEIGHTS"), QStringLiteral("SAVED BY"));
                for (const auto &[url, model] : rows)
                    row(url, model.info.dateSaved.toUTC().toString(Qt::ISODateWithMs),
                        formatBytes(model.info.modelTopologyBytes),
                        formatBytes(model.info.weightSpecsBytes),
                        formatBytes(model.info.weightDataBytes), model.savedBy);
                return int(Success);
            }};
}

// move and rename share their shape; `rename` refuses to leave the store.
Command moveLikeCommand(bool rename)
{
    const QString name = rename ? QStringLiteral("rename") : QStringLiteral("move");
    return {name,
            rename ? QStringLiteral("Rename a model inside its store (metadata only); an existing "
                                    "name is refused unless --overwrite.")
                   : QStringLiteral("Move a model: a rename inside one store, else copy then "
                                    "remove the source (kept if the copy fails); a destination "
                                    "that holds a model is refused unless --overwrite."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("SRC"), QStringLiteral("Source URL."));
                parser.addPositionalArgument(QStringLiteral("DST"),
                                             QStringLiteral("Destination URL."));
                parser.addOption({QStringLiteral("json"),
                                  QStringLiteral("Print the destination's ModelArtifactsInfo as "
                                                 "JSON.")});
                addOverwriteOption(parser);
            },
            [rename, name](Context &ctx, const QCommandLineParser &parser) {
                if (parser.positionalArguments().size() != 2)
                    return ctx.usageError(parser, QStringLiteral("%1 takes SRC and DST.").arg(name));
                const QString source = cliUrl(parser.positionalArguments().at(0));
                const QString destination = cliUrl(parser.positionalArguments().at(1));
                ctx.noteShardSize(destination);
                ModelArtifactsInfo info;
                auto ran = ctx.runJob(QStringLiteral("Moving %1").arg(source),
                                      [&](JobContext &job) -> Result<void> {
                                          const ModelManager manager(ctx.registry);
                                          const Existing existing = existingFrom(parser);
                                          auto moved =
                                              rename ? manager.renameModel(source, destination,
                                                                           existing)
                                                     : manager.moveModel(source, destination, job,
                                                                         existing);
                                          if (!moved)
                                              return fail(moved.error());
                                          info = *moved;
                                          return {};
                                      });
                if (!ran)
                    return ctx.failWith(withOverwriteHint(ran.error()));
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
            QStringLiteral("Move models of the indexeddb:// or localstorage:// store to its trash "
                           "('trash restore' brings them back for %1 days).")
                .arg(kTrashDays),
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
                const ModelManager manager(ctx.registry);
                Json json = Json::object();
                for (const QString &url : urls) {
                    auto removed = manager.removeModel(url);
                    if (!removed)
                        return ctx.failWith(removed.error());
                    if (parser.isSet(QStringLiteral("json")))
                        json[url.toStdString()] = infoJson(*removed);
                    else
                        ctx.out << "removed " << url << " (to the trash; 'tfjs-model trash restore "
                                << url << "' brings it back)\n";
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

#include "cli.h"

#include "cliprogress.h"

#include <QCoreApplication>
#include <QEventLoop>

namespace tfjs::cli {

namespace {

const QString kGlobalHelp = QStringLiteral(
    "Global options (any verb):\n"
    "  --store DIR       folder of the indexeddb:// and localstorage:// stores\n"
    "                    (default: $TFJS_STORE_DIR or the user's data folder)\n"
    "  --downloads DIR   folder of downloads:// (default: the user's Downloads folder)\n"
    "  --team URI        the team store (team://) on PostgreSQL: a libpq connection URI,\n"
    "                    postgresql://USER@HOST:PORT/DATABASE?sslmode=verify-full or\n"
    "                    ?host=/socket/dir (default: $TFJS_TEAM). Passwords come from\n"
    "                    PGPASSWORD or ~/.pgpass and are never printed\n"
    "  --no-progress     never draw a progress bar\n"
    "  --durable         sync what a save writes to disk before it reports success\n"
    "                    (default: atomic, but left to the OS's write-back as cp does;\n"
    "                    a move always syncs the copy before removing the source)\n"
    "  --shard-size BYTES  file:// and downloads:// saves (copy, move, quantize) cut the\n"
    "                    weights into group1-shardIofK.bin files of BYTES each, as\n"
    "                    tfjs-converter does (its default is 4194304); default: one\n"
    "                    weights.bin (downloads://: NAME.weights.bin, sharded\n"
    "                    NAME.group1-shardIofK.bin). indexeddb://, localstorage:// and\n"
    "                    http(s):// keep one buffer, as TF.js does: no meaning there\n");

// QCommandLineParser names the binary's full path; users typed "tfjs-model VERB".
QString helpText(const QCommandLineParser &parser, const QString &verb)
{
    QString text = parser.helpText();
    const QString usage = QStringLiteral("Usage: ");
    const qsizetype end = text.indexOf(QStringLiteral(" [options]"));
    if (text.startsWith(usage) && end > 0)
        text.replace(usage.size(), end - usage.size(), QStringLiteral("tfjs-model ") + verb);
    return text;
}

void addGlobalOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("store"), QStringLiteral("Store folder."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("downloads"), QStringLiteral("Downloads folder."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("team"), QStringLiteral("Team store URI."), QStringLiteral("URI")});
    parser.addOption({QStringLiteral("no-progress"), QStringLiteral("No progress bar.")});
    parser.addOption({QStringLiteral("durable"), QStringLiteral("Sync saves to disk.")});
    parser.addOption({ QStringLiteral("shard-size"),
        QStringLiteral("Bytes per weight file of file:// and downloads:// saves."),
        QStringLiteral("BYTES") });
    addHttpOptions(parser);
    parser.addHelpOption();
}

QString usage(const QList<Command> &all)
{
    QString text = QStringLiteral("Usage: tfjs-model VERB [options] ARGS...\n\n"
                                  "Saves, loads, inspects and moves TensorFlow.js models.\n"
                                  "A URL is scheme://path; a plain path means file://.\n\nVerbs:\n");
    for (const Command &command : all)
        text += QStringLiteral("  %1%2\n").arg(command.name, -12).arg(command.summary);
    text += QStringLiteral("\nRun 'tfjs-model VERB --help' for a verb's options.\n\n") + kGlobalHelp
            + httpOptionsHelp()
            + QStringLiteral("Global options go after the verb or before it, as in\n"
                             "'tfjs-model --store DIR list indexeddb://'.\n");
    text += QStringLiteral("\nExit status: 0 success, 1 failure (message on stderr), 2 usage error.\n");
    return text;
}

} // namespace

Context::Context(QTextStream &out, QTextStream &err, bool progressBar)
    : out(out), err(err), m_progressBar(progressBar)
{
}

Result<void> Context::runJob(const QString &title, const Job::Work &work)
{
    Job job(title, work);
    std::optional<ProgressBar> bar;
    if (m_progressBar)
        bar.emplace(err);
    QEventLoop loop;
    QObject::connect(&job, &Job::progressChanged, &job, [&bar](const Progress &progress) {
        if (bar)
            bar->update(progress);
    });
    Result<void> outcome;
    QObject::connect(&job, &Job::finished, &loop, [&](const Result<void> &result) {
        outcome = result;
        loop.quit();
    });
    job.start();
    loop.exec();
    job.wait();
    if (bar)
        bar->clear();
    return outcome;
}

void Context::noteShardSize(const QString &destination)
{
    const auto url = ModelUrl::parse(cliUrl(destination));
    if (handlerOptions.shardSize <= 0 || !url || url->scheme == QLatin1String("file")
        || url->scheme == QLatin1String("downloads"))
        return;
    err << "tfjs-model: note: --shard-size applies to file:// and downloads:// saves; "
        << url->scheme << ":// keeps the weights as one buffer, as TF.js does\n";
}

int Context::failWith(const Error &error)
{
    err << "tfjs-model: " << error.toString() << '\n';
    err.flush();
    return Failure;
}

int Context::usageError(const QCommandLineParser &parser, const QString &message)
{
    err << "tfjs-model: " << message << "\n\n" << helpText(parser, verb);
    err.flush();
    return Usage;
}

Result<ModelArtifacts> Context::load(const QString &url, const LoadOptions &options)
{
    ModelArtifacts artifacts;
    auto ran = runJob(QStringLiteral("Loading %1").arg(url), [&](JobContext &job) -> Result<void> {
        auto loaded = registry.load(url, job, options);
        if (!loaded)
            return fail(loaded.error());
        artifacts = std::move(*loaded);
        return {};
    });
    if (!ran)
        return fail(ran.error());
    return artifacts;
}

QList<Command> commands()
{
    QList<Command> all = {infoCommand(), validateCommand(), copyCommand()};
    all += storeCommands();
    all += trashCommand();
    all += browsersCommand();
    all += httpCommands();
    all += inspectCommands();
    all += serveCommand();
    all += diffCommand();
    all += quantizeCommand();
    return all;
}

namespace {

// Global options before the verb, as git and docker take them: moves them after the verb
// (where every verb's parser knows them) and runs that. A parser that knows only the global
// options reads up to the first positional argument, the verb.
int runWithLeadingOptions(const QStringList &args, const QList<Command> &all, QTextStream &out,
                          QTextStream &err, bool stderrIsTerminal)
{
    QCommandLineParser globals;
    globals.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    addGlobalOptions(globals);
    if (!globals.parse(args)) {
        const QStringList unknown = globals.unknownOptionNames();
        if (unknown.isEmpty())
            err << "tfjs-model: " << globals.errorText() << "\n\n" << usage(all);
        else
            err << "tfjs-model: '" << (unknown.front().size() == 1 ? "-" : "--") << unknown.front()
                << "' before the verb is not a global option; a verb's own options go after "
                   "the verb (tfjs-model VERB [options] ARGS...).\n\n"
                << usage(all);
        return Usage;
    }
    const QStringList positional = globals.positionalArguments();
    if (globals.isSet(QStringLiteral("help")) || globals.isSet(QStringLiteral("help-all"))) {
        out << usage(all);
        return Success;
    }
    if (positional.isEmpty()) {
        err << "tfjs-model: no verb after the global options.\n\n" << usage(all);
        return Usage;
    }
    if (positional.front() == QStringLiteral("help")) // global options change no help text
        return run(QStringList{args.front()} + positional, out, err, stderrIsTerminal);
    const qsizetype leading = args.size() - 1 - positional.size();
    return run(QStringList{args.front(), positional.front()} + args.mid(1, leading)
                   + positional.mid(1),
               out, err, stderrIsTerminal);
}

} // namespace

int run(const QStringList &args, QTextStream &out, QTextStream &err, bool stderrIsTerminal)
{
    const QList<Command> all = commands();
    if (args.size() < 2) {
        err << usage(all);
        return Usage;
    }
    QString verb = args.at(1);
    if (verb.startsWith(QLatin1Char('-')) && verb != QStringLiteral("--help")
        && verb != QStringLiteral("-h") && verb != QStringLiteral("--version"))
        return runWithLeadingOptions(args, all, out, err, stderrIsTerminal);
    if (verb == QStringLiteral("--help") || verb == QStringLiteral("-h")
        || verb == QStringLiteral("help")) {
        if (verb == QStringLiteral("help") && args.size() > 2)
            verb = args.at(2);
        else {
            out << usage(all);
            return Success;
        }
        QStringList helpArgs = {args.at(0), verb, QStringLiteral("--help")};
        return run(helpArgs, out, err, stderrIsTerminal);
    }
    if (verb == QStringLiteral("--version")) {
        out << "tfjs-model " << QCoreApplication::applicationVersion() << '\n';
        return Success;
    }
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&verb](const Command &command) { return command.name == verb; });
    if (it == all.end()) {
        err << "tfjs-model: unknown verb '" << verb << "'.\n\n" << usage(all);
        return Usage;
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(it->summary);
    it->declare(parser);
    addGlobalOptions(parser);
    QStringList verbArgs = args.mid(1);
    verbArgs[0] = QStringLiteral("tfjs-model ") + verb;
    if (!parser.parse(verbArgs)) {
        err << "tfjs-model: " << verb << ": " << parser.errorText() << "\n\n" << helpText(parser, verb);
        return Usage;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        out << helpText(parser, verb) << '\n' << kGlobalHelp << httpOptionsHelp();
        return Success;
    }

    Context ctx(out, err, stderrIsTerminal && !parser.isSet(QStringLiteral("no-progress")));
    ctx.verb = verb;
    ctx.handlerOptions.storeDir = parser.value(QStringLiteral("store"));
    if (ctx.handlerOptions.storeDir.isEmpty())
        ctx.handlerOptions.storeDir = qEnvironmentVariable("TFJS_STORE_DIR");
    ctx.handlerOptions.downloadsDir = parser.value(QStringLiteral("downloads"));
    ctx.handlerOptions.teamUri = parser.value(QStringLiteral("team"));
    auto http = httpOptionsFrom(parser);
    if (!http)
        return ctx.usageError(parser, http.error().message);
    ctx.handlerOptions.http = std::move(*http);
    if (parser.isSet(QStringLiteral("durable")))
        ctx.handlerOptions.durability = Durability::Strict;
    if (parser.isSet(QStringLiteral("shard-size"))) {
        bool ok = false;
        ctx.handlerOptions.shardSize = parser.value(QStringLiteral("shard-size")).toLongLong(&ok);
        if (!ok || ctx.handlerOptions.shardSize <= 0)
            return ctx.usageError(parser, QStringLiteral("--shard-size takes a number of bytes greater than 0."));
    }
    ctx.registry = makeDefaultRegistry(ctx.handlerOptions);
    const int code = it->run(ctx, parser);
    out.flush();
    err.flush();
    return code;
}

} // namespace tfjs::cli

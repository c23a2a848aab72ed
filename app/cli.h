#pragma once

#include "base/error.h"
#include "format/artifacts.h"
#include "schemes/schemes.h"
#include "handlers/iohandler.h"
#include "base/job.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <functional>

namespace tfjs::cli {

// Exit codes of tfjs-model.
enum Exit { Success = 0, Failure = 1, Usage = 2 };

// What every verb gets: the output streams, the registry built from the global options, and a
// way to run long work as a Job with a progress bar on stderr (only when stderr is a terminal).
class Context
{
public:
    Context(QTextStream &out, QTextStream &err, bool progressBar);

    QTextStream &out;
    QTextStream &err;
    QString verb;
    HandlerOptions handlerOptions;
    HandlerRegistry registry;

    // Runs `work` on the thread pool as a Job and waits for it, drawing progress.
    Result<void> runJob(const QString &title, const Job::Work &work);
    // Prints "tfjs-model: <error>" on stderr and returns Failure.
    int failWith(const Error &error);
    // Prints the message and the verb's help on stderr and returns Usage.
    int usageError(const QCommandLineParser &parser, const QString &message);

    // A note on stderr when --shard-size is given for a destination that keeps one buffer
    // (stores, http(s)): it applies to file:// and downloads:// only.
    void noteShardSize(const QString &destination);

    // Loads through the registry as a Job.
    Result<ModelArtifacts> load(const QString &url, const LoadOptions &options = {});

private:
    bool m_progressBar;
};

struct Command
{
    QString name;
    QString summary;
    // Adds the verb's options and positional arguments to `parser`.
    std::function<void(QCommandLineParser &parser)> declare;
    // Runs the verb once parsing succeeded; returns an Exit code.
    std::function<int(Context &ctx, const QCommandLineParser &parser)> run;
};

// The verbs, in the order `--help` lists them.
QList<Command> commands();

// Entry point: parses global options and the verb, runs it. `args` includes argv[0].
int run(const QStringList &args, QTextStream &out, QTextStream &err, bool stderrIsTerminal);

// Verbs defined in their own files.
Command infoCommand();
Command validateCommand();
Command copyCommand();
QList<Command> storeCommands();   // list, move, remove, rename (cli_store.cpp)
Command trashCommand();           // trash list|restore|empty (cli_trash.cpp)
Command browsersCommand();        // the browser profiles found (cli_browsers.cpp)
// The CLI's rule: a plain path is file:// (ModelManager keeps TF.js's rule: no scheme, no
// handler), so verbs that go through ModelManager convert first (cli_store.cpp).
QString cliUrl(const QString &text);
// --overwrite for verbs that would otherwise refuse a destination holding a model, the policy
// it gives, and the CLI's hint on such a refusal ("... already exists; use --overwrite to
// replace it.") (cli_store.cpp).
void addOverwriteOption(QCommandLineParser &parser);
Existing existingFrom(const QCommandLineParser &parser);
Error withOverwriteHint(Error error);
QList<Command> httpCommands();    // HTTP-specific verbs, if any (cli_http.cpp)
// The global HTTP options (--header, --method, --insecure-host, --weight-path-prefix), their
// help lines, and the HttpOptions they give (cli_http.cpp).
void addHttpOptions(QCommandLineParser &parser);
QString httpOptionsHelp();
Result<HttpOptions> httpOptionsFrom(const QCommandLineParser &parser);
QList<Command> inspectCommands(); // summary, stats (cli_inspect.cpp)
Command serveCommand();          // the store as a local model server (cli_serve.cpp)
Command diffCommand();            // diff A B (cli_diff.cpp)
Command quantizeCommand();        // quantize SRC DST --dtype (cli_quantize.cpp)

} // namespace tfjs::cli

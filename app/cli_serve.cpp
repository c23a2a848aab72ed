#include "cli.h"

#include "serve/modelserver.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace tfjs::cli {

namespace {

const QString kPort = QStringLiteral("port");
const QString kBind = QStringLiteral("bind");
const QString kToken = QStringLiteral("token");
const QString kAllowOrigin = QStringLiteral("allow-origin");
const QString kMaxBody = QStringLiteral("max-body");

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(g_signalPipe[1], &byte, 1);
}

// SIGINT and SIGTERM end `loop` (through a pipe: a signal handler may only write).
bool quitOnSignals(QEventLoop &loop, std::unique_ptr<QSocketNotifier> &notifier)
{
    if (g_signalPipe[0] < 0 && ::pipe2(g_signalPipe, O_CLOEXEC) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    notifier = std::make_unique<QSocketNotifier>(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(notifier.get(), &QSocketNotifier::activated, &loop, [&loop] {
        char byte = 0;
        [[maybe_unused]] const ssize_t read = ::read(g_signalPipe[0], &byte, 1);
        loop.quit();
    });
    return true;
}

Result<ServeOptions> serveOptionsFrom(const QCommandLineParser &parser)
{
    ServeOptions options;
    if (parser.isSet(kPort)) {
        bool ok = false;
        const uint port = parser.value(kPort).toUInt(&ok);
        if (!ok || port > 65535)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("'%1' is not a port number (0-65535).").arg(parser.value(kPort)));
        options.port = quint16(port);
    }
    if (parser.isSet(kBind)) {
        const QString text = parser.value(kBind);
        options.bind = text == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost)
                                                          : QHostAddress(text);
        if (options.bind.isNull())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("'%1' is not an IP address to bind to.").arg(text));
    }
    options.token = parser.isSet(kToken) ? parser.value(kToken) : qEnvironmentVariable("TFJS_SERVE_TOKEN");
    options.allowedOrigins = parser.values(kAllowOrigin);
    if (parser.isSet(kMaxBody)) {
        bool ok = false;
        options.bodyLimit = parser.value(kMaxBody).toLongLong(&ok);
        if (!ok || options.bodyLimit <= 0)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("'%1' is not a number of bytes.").arg(parser.value(kMaxBody)));
    }
    return options.validate();
}

} // namespace

Command serveCommand()
{
    return {QStringLiteral("serve"),
            QStringLiteral("Serve a store over HTTP for web pages (STORE: indexeddb://, the default, or "
                           "team:// with --team): GET /models, "
                           "/models/PATH/model.json loads, model.save('http://ADDR:PORT/models/PATH') "
                           "saves; runs until interrupted (SIGINT, SIGTERM)."),
            [](QCommandLineParser &parser) {
                parser.addPositionalArgument(QStringLiteral("STORE"),
                                             QStringLiteral("indexeddb:// (default) or team://."),
                                             QStringLiteral("[STORE]"));
                parser.addOption({kPort, QStringLiteral("Port (default 0: a free one, printed)."),
                                  QStringLiteral("N")});
                parser.addOption({kBind,
                                  QStringLiteral("Address to listen on (default 127.0.0.1; any other "
                                                 "needs --token)."),
                                  QStringLiteral("ADDR")});
                parser.addOption({kToken,
                                  QStringLiteral("Writes need 'Authorization: Bearer T'; DELETE needs "
                                                 "it always (default: $TFJS_SERVE_TOKEN)."),
                                  QStringLiteral("T")});
                parser.addOption({kAllowOrigin,
                                  QStringLiteral("A web page origin allowed to use the server, or '*' "
                                                 "(repeatable). Default: while bound to loopback, pages "
                                                 "served from loopback themselves (http(s)://localhost, "
                                                 "127.0.0.0/8, [::1], any port), no other site: a "
                                                 "page's multipart POST needs no preflight, so any site "
                                                 "visited could save into the store. 'null' (file:// "
                                                 "pages, but also sandboxed iframes of any site) only "
                                                 "when listed. Requests without an Origin (curl, Node) "
                                                 "are always allowed."),
                                  QStringLiteral("ORIGIN")});
                parser.addOption({kMaxBody,
                                  QStringLiteral("Largest upload body in bytes (default 2 GiB; 413 "
                                                 "above)."),
                                  QStringLiteral("BYTES")});
            },
            [](Context &ctx, const QCommandLineParser &parser) {
                if (parser.positionalArguments().size() > 1)
                    return ctx.usageError(parser, QStringLiteral("serve takes one STORE at most."));
                auto options = serveOptionsFrom(parser);
                if (!options)
                    return ctx.usageError(parser, options.error().message);
                if (!parser.positionalArguments().isEmpty()) {
                    const QString store = parser.positionalArguments().front();
                    const SchemeInfo *info = ctx.registry.info(store.section(QStringLiteral("://"), 0, 0));
                    if (!info || !info->can(Capability::List) || !info->can(Capability::Save))
                        return ctx.usageError(parser, QStringLiteral("'%1' is not a store serve can serve: "
                                                                     "indexeddb://, or team:// with --team "
                                                                     "or TFJS_TEAM.")
                                                          .arg(store));
                    options->scheme = info->scheme;
                }
                QEventLoop loop;
                std::unique_ptr<QSocketNotifier> signalNotifier;
                if (!quitOnSignals(loop, signalNotifier))
                    return ctx.failWith(Error(ErrorCode::Io, QStringLiteral("Cannot watch for signals.")));
                ModelServer server;
                QObject::connect(&server, &ModelServer::modelStored, &loop,
                                 [&ctx](const QString &url, const ModelArtifactsInfo &info) {
                                     ctx.out << "stored " << url << " (" << info.weightDataBytes
                                             << " weight bytes)\n";
                                     ctx.out.flush();
                                 });
                QObject::connect(&server, &ModelServer::requestFailed, &loop,
                                 [&ctx](const QString &what, int status) {
                                     ctx.err << "tfjs-model: serve: " << status << ' ' << what << '\n';
                                     ctx.err.flush();
                                 });
                QObject::connect(&server, &ModelServer::message, &loop, [&ctx](const QString &line) {
                    ctx.err << "tfjs-model: serve: " << line << '\n';
                    ctx.err.flush();
                });
                auto url = server.start(*options, ctx.handlerOptions);
                if (!url)
                    return ctx.failWith(url.error());
                // The line pages' tooling waits for: "serving URL" alone (tests/interop/lib/serve.mjs).
                ctx.out << "serving " << url->toString() << '\n';
                if (options->scheme != QLatin1String("indexeddb"))
                    ctx.err << "tfjs-model: serve: serving " << options->scheme << "://\n";
                ctx.out.flush();
                loop.exec();
                server.stop();
                return int(Success);
            }};
}

} // namespace tfjs::cli

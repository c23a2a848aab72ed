#include "httpdaemon.h"

#include "servehandler.h"
#include "uploadspool.h"

#include <microhttpd.h>

#include <QFile>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

namespace tfjs {

struct HttpDaemon::State
{
    ServeHandler &handler;
    Log log;
    qint64 bodyLimit;
    qint64 jsonLimit;
};

namespace {

constexpr size_t kPostBuffer = 64 * 1024;
constexpr size_t kReadBlock = 256 * 1024;

// One request, kept in MHD's per-request pointer from its first call to its end.
struct Exchange
{
    ServeRequest request;
    std::optional<ServeResponse> answer; // decided; sent once the body has been read
    std::unique_ptr<UploadSpool> spool;
    MHD_PostProcessor *parser = nullptr;
    std::optional<Error> partError; // why the multipart iterator stopped
    qint64 received = 0;

    ~Exchange()
    {
        if (parser)
            MHD_destroy_post_processor(parser);
    }
};

Error statusError(int status, QString message)
{
    Error error(ErrorCode::InvalidArgument, std::move(message));
    error.status = status;
    return error;
}

MHD_Result collect(void *cls, MHD_ValueKind kind, const char *key, const char *value)
{
    auto *request = static_cast<ServeRequest *>(cls);
    const QByteArray name(key ? key : "");
    const QByteArray text(value ? value : "");
    if (kind == MHD_HEADER_KIND)
        request->headers.insert(name.toLower(), text);
    else
        request->arguments.insert(QByteArray::fromPercentEncoding(QByteArray(name).replace('+', ' ')),
                                  QByteArray::fromPercentEncoding(QByteArray(text).replace('+', ' ')));
    return MHD_YES;
}

ServeRequest readRequest(MHD_Connection *connection, const char *url, const char *method)
{
    ServeRequest request;
    request.method = method;
    request.rawPath = url;
    MHD_get_connection_values(connection, MHD_HEADER_KIND, collect, &request);
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect, &request);
    bool ok = false;
    const qint64 length = request.header("content-length").trimmed().toLongLong(&ok);
    request.contentLength = ok && length >= 0 ? length : -1;
    return request;
}

ssize_t readWeights(void *cls, uint64_t pos, char *buffer, size_t max)
{
    const auto *data = static_cast<const WeightData *>(cls);
    const qint64 count = std::min<qint64>(qint64(max), data->size() - qint64(pos));
    if (count <= 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    auto bytes = data->readRange(qint64(pos), count);
    if (!bytes || bytes->size() != count)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    std::memcpy(buffer, bytes->constData(), size_t(count));
    return ssize_t(count);
}

// A file's byte range by sendfile when the weights are one segment of one file, else read
// through WeightData in blocks.
MHD_Response *weightsResponse(const WeightData &weights)
{
    const auto &segments = weights.segments();
    if (segments.size() == 1 && !segments.front().file.isEmpty()) {
        const auto &segment = segments.front();
        const int fd = ::open(QFile::encodeName(segment.file).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return nullptr;
        MHD_Response *response = MHD_create_response_from_fd_at_offset64(
            uint64_t(segment.size), fd, uint64_t(segment.offset));
        if (!response)
            ::close(fd);
        return response;
    }
    return MHD_create_response_from_callback(
        uint64_t(weights.size()), kReadBlock, readWeights, new WeightData(weights),
        [](void *cls) { delete static_cast<WeightData *>(cls); });
}

MHD_Result send(MHD_Connection *connection, const ServeResponse &answer)
{
    MHD_Response *response = answer.weights
        ? weightsResponse(*answer.weights)
        : MHD_create_response_from_buffer(size_t(answer.body.size()),
                                          const_cast<char *>(answer.body.constData()),
                                          MHD_RESPMEM_MUST_COPY);
    if (!response)
        return MHD_NO;
    if (!answer.contentType.isEmpty())
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, answer.contentType.constData());
    for (const auto &[name, value] : answer.headers)
        MHD_add_response_header(response, name.constData(), value.constData());
    const MHD_Result queued = MHD_queue_response(connection, unsigned(answer.status), response);
    MHD_destroy_response(response);
    return queued;
}

// An answer decided from the headers is queued once the request has been read (MHD 0.9.75
// closes the connection after an answer queued in the first call), any body read and thrown
// away: Node's fetch reports an answer that comes before it has sent its body as a broken pipe.
// Only a client that waits for "100 Continue" (it then sends no body), or one that declares
// more than kDrainLimit bytes, is answered at once (and the connection closed).
MHD_Result answerOnceRead(MHD_Connection *connection, Exchange &exchange, ServeResponse answer)
{
    const ServeRequest &request = exchange.request;
    const bool waits = request.header("expect").toLower().startsWith("100-continue");
    if (request.hasBody() && (waits || request.contentLength > HttpDaemon::kDrainLimit))
        return send(connection, answer);
    exchange.answer = std::move(answer);
    return MHD_YES;
}

MHD_Result onPart(void *cls, MHD_ValueKind, const char *key, const char *, const char *,
                  const char *, const char *data, uint64_t offset, size_t size)
{
    auto *exchange = static_cast<Exchange *>(cls);
    auto added = exchange->spool->add(QByteArray(key ? key : ""), offset, data, qint64(size));
    if (added)
        return MHD_YES;
    exchange->partError = added.error();
    return MHD_NO;
}

MHD_Result startUpload(MHD_Connection *connection, HttpDaemon::State &state, Exchange &exchange,
                       const QString &spoolFolder)
{
    const ServeRequest &request = exchange.request;
    const auto refuse = [&](int status, const QString &message) {
        return answerOnceRead(connection, exchange,
                             state.handler.finish(request, fail(statusError(status, message))));
    };
    if (request.contentLength > state.bodyLimit)
        return refuse(413, QStringLiteral("The request body (%1 bytes) is larger than the server's "
                                          "limit of %2 bytes.")
                               .arg(request.contentLength)
                               .arg(state.bodyLimit));
    if (!request.header("content-type").toLower().startsWith("multipart/form-data"))
        return refuse(400, QStringLiteral("A save's body must be multipart/form-data with the "
                                          "parts model.json and model.weights.bin (TF.js's http "
                                          "handler)."));
    exchange.spool = std::make_unique<UploadSpool>(spoolFolder, state.jsonLimit);
    exchange.parser = MHD_create_post_processor(connection, kPostBuffer, onPart, &exchange);
    if (!exchange.parser)
        return refuse(400, QStringLiteral("The multipart/form-data body has no boundary."));
    return MHD_YES;
}

// Body bytes of an upload: parsed while it is accepted, thrown away once it is refused.
void receive(HttpDaemon::State &state, Exchange &exchange, const char *data, size_t size)
{
    exchange.received += qint64(size);
    if (exchange.answer)
        return;
    const auto refuse = [&](const Error &error) {
        exchange.answer = state.handler.finish(exchange.request, fail(error));
        exchange.spool.reset();
    };
    if (exchange.received > state.bodyLimit)
        return refuse(statusError(413, QStringLiteral("The request body is larger than the "
                                                      "server's limit of %1 bytes.")
                                           .arg(state.bodyLimit)));
    if (MHD_post_process(exchange.parser, data, size) != MHD_YES)
        refuse(exchange.partError.value_or(
            statusError(400, QStringLiteral("The multipart/form-data body is malformed."))));
}

MHD_Result finishUpload(MHD_Connection *connection, HttpDaemon::State &state, Exchange &exchange)
{
    const bool complete = MHD_destroy_post_processor(exchange.parser) == MHD_YES;
    exchange.parser = nullptr;
    const ServeResponse answer =
        complete && !exchange.partError
            ? state.handler.finish(exchange.request, exchange.spool.get())
            : state.handler.finish(
                  exchange.request,
                  fail(exchange.partError.value_or(statusError(
                      400, QStringLiteral("The multipart/form-data body is truncated or "
                                          "malformed (no closing boundary).")))));
    exchange.spool.reset();
    return send(connection, answer);
}

MHD_Result onRequest(void *cls, MHD_Connection *connection, const char *url, const char *method,
                     const char *, const char *data, size_t *size, void **requestCls)
{
    auto &state = *static_cast<HttpDaemon::State *>(cls);
    auto *exchange = static_cast<Exchange *>(*requestCls);
    if (!exchange) {
        exchange = new Exchange;
        *requestCls = exchange;
        exchange->request = readRequest(connection, url, method);
        auto decision = state.handler.begin(exchange->request);
        if (auto *answer = std::get_if<ServeResponse>(&decision))
            return answerOnceRead(connection, *exchange, std::move(*answer));
        return startUpload(connection, state, *exchange, std::get<ServeHandler::Upload>(decision).spoolFolder);
    }
    if (*size != 0) {
        receive(state, *exchange, data, *size);
        *size = 0;
        return MHD_YES;
    }
    if (exchange->answer)
        return send(connection, *exchange->answer);
    if (!exchange->parser)
        return MHD_NO;
    return finishUpload(connection, state, *exchange);
}

void onCompleted(void *cls, MHD_Connection *, void **requestCls, MHD_RequestTerminationCode code)
{
    const std::unique_ptr<Exchange> exchange(static_cast<Exchange *>(*requestCls));
    *requestCls = nullptr;
    const auto *state = static_cast<HttpDaemon::State *>(cls);
    if (exchange && exchange->spool && code != MHD_REQUEST_TERMINATED_COMPLETED_OK && state->log)
        state->log(QStringLiteral("%1 %2: the upload ended after %3 bytes, before its body did "
                                  "(%4); nothing stored.")
                       .arg(QString::fromLatin1(exchange->request.method),
                            QString::fromUtf8(exchange->request.rawPath))
                       .arg(exchange->received)
                       .arg(code == MHD_REQUEST_TERMINATED_CLIENT_ABORT ? QStringLiteral("the client left")
                            : code == MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN
                                ? QStringLiteral("the server stopped")
                                : QStringLiteral("connection error %1").arg(int(code))));
    // The unfinished upload's spool (an unnamed file) goes with the exchange.
}

// Leaves the path and query as sent: the router decodes each segment itself (MHD's decoding
// would turn %2F into '/' and cut the path at %00).
size_t keepRaw(void *, MHD_Connection *, char *text)
{
    return std::strlen(text);
}

void onLog(void *cls, const char *format, va_list args)
{
    const auto *state = static_cast<HttpDaemon::State *>(cls);
    char line[1024];
    std::vsnprintf(line, sizeof line, format, args);
    if (state->log)
        state->log(QString::fromUtf8(line).trimmed());
}

} // namespace

Result<std::unique_ptr<HttpDaemon>> HttpDaemon::start(const ServeOptions &options, ServeHandler &handler, Log log)
{
    std::unique_ptr<HttpDaemon> daemon(new HttpDaemon);
    daemon->m_state.reset(new State{handler, std::move(log), options.bodyLimit, options.jsonLimit});
    sockaddr_storage address{};
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL
                     | MHD_USE_ERROR_LOG;
    if (options.bind.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&address);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(options.port);
        const Q_IPV6ADDR bytes = options.bind.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        flags |= MHD_USE_IPv6;
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&address);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(options.port);
        in4->sin_addr.s_addr = htonl(options.bind.toIPv4Address());
    }
    State *state = daemon->m_state.get();
    daemon->m_daemon = MHD_start_daemon(
        flags, options.port, nullptr, nullptr, onRequest, state,
        MHD_OPTION_EXTERNAL_LOGGER, onLog, state, // first, so that every message goes through it
        MHD_OPTION_SOCK_ADDR, &address,
        MHD_OPTION_NOTIFY_COMPLETED, onCompleted, state,
        MHD_OPTION_UNESCAPE_CALLBACK, keepRaw, state,
        MHD_OPTION_CONNECTION_LIMIT, unsigned(options.connectionLimit),
        MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, size_t(128 * 1024),
        MHD_OPTION_END);
    if (!daemon->m_daemon) {
        Error error(ErrorCode::Network,
                    QStringLiteral("Cannot serve on %1 port %2.").arg(options.bind.toString()).arg(options.port));
        error.detail = QString::fromLocal8Bit(std::strerror(errno));
        return fail(error);
    }
    daemon->m_port = MHD_get_daemon_info(daemon->m_daemon, MHD_DAEMON_INFO_BIND_PORT)->port;
    return daemon;
}

HttpDaemon::~HttpDaemon()
{
    if (m_daemon)
        MHD_stop_daemon(m_daemon);
}

} // namespace tfjs

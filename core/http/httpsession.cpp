#include "httpsession.h"

#include "base/job.h"
#include "uploadreply.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QIODevice>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#if QT_CONFIG(ssl)
#include <QSslError>
#endif

#include <vector>

namespace tfjs {

namespace {

constexpr qint64 kReadBufferBytes = qint64(2) << 20;

QString originOf(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return QStringLiteral("%1://%2:%3")
        .arg(scheme, url.host().toLower())
        .arg(url.port(scheme == QStringLiteral("https") ? 443 : 80));
}

bool isRedirectStatus(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// 307 and 308 keep the method and the body; the others do not.
bool keepsBody(int status)
{
    return status == 307 || status == 308;
}

QUrl locationOf(const QNetworkReply &reply)
{
    return reply.url().resolved(QUrl::fromEncoded(reply.rawHeader("Location").trimmed()));
}

// Errors below HTTP: the reply has no usable status.
bool isTransportError(QNetworkReply::NetworkError error)
{
    const int code = int(error);
    return (code >= 1 && code < 200) || error == QNetworkReply::ProtocolFailure;
}

QString seconds(int ms)
{
    return ms % 1000 == 0 ? QString::number(ms / 1000) : QString::number(ms / 1000.0, 'f', 1);
}

} // namespace

namespace {
struct Transfer
{
    HttpRequest request;
    HttpSession::Handlers handlers;
    QString origin; // of the first URL: secret headers go only there
    QUrl url; // current (after redirects)
    QByteArray method;
    bool sendBody = false;
    int redirects = 0;
    QNetworkReply *reply = nullptr;
    qint64 sentAtMs = 0; // session clock: when the current request was sent
    qint64 lastActivityMs = 0; // last byte in either direction (or the send)
    qint64 received = 0, sent = 0; // bytes of the current request, as progress reports them
    qint64 windowStartMs = 0, windowMoved = 0; // the low-speed window: since when, bytes then
    bool connected = false;
    bool headSeen = false;
    bool redirect = false;
    bool ended = false;
    HttpResponseHead head;
    qint64 bodyBytes = 0;
    qint64 bodySent = 0; // of the request body
    QStringList tlsErrors;
};
} // namespace

struct HttpSession::Private
{
    Private(const HttpOptions &options, JobContext &ctx, const SecretScrubber &scrubber)
        : options(options), ctx(ctx), scrubber(scrubber)
    {
        clock.start();
        // One timer for cancellation and both timeouts (restarting a timer per chunk costs).
        poll.setInterval(50);
        QObject::connect(&poll, &QTimer::timeout, &loop, [this] {
            if (this->ctx.isCancelled())
                failAll(cancelledError());
            else
                checkTimeouts();
        });
    }

    HttpOptions options;
    JobContext &ctx;
    SecretScrubber scrubber;
    UploadingAccessManager nam; // Qt's backend, except for requests with a body
    QEventLoop loop;
    QTimer poll;
    QElapsedTimer clock;
    std::vector<std::unique_ptr<Transfer>> transfers;
    int active = 0;
    bool running = false;
    std::optional<Error> error;

    Error makeError(const Transfer &t, ErrorCode code, const QString &message) const
    {
        Error e { code, scrubber.scrub(message) };
        e.url = displayUrl(t.url);
        e.shard = t.request.shard;
        return e;
    }

    void send(Transfer &t);
    void onMetaData(Transfer &t);
    void onReadyRead(Transfer &t);
    void onFinished(Transfer &t);
    void follow(Transfer &t);
    void activity(Transfer &t)
    {
        t.connected = true;
        t.lastActivityMs = clock.elapsed();
    }
    void checkTimeouts();
    void end(Transfer &t, const Result<void> &result);
    void failAll(const Error &e);
    QString transportReason(const Transfer &t, QNetworkReply::NetworkError code) const;
};

HttpSession::HttpSession(
    const HttpOptions &options, JobContext &ctx, const SecretScrubber &scrubber)
    : d(std::make_unique<Private>(options, ctx, scrubber))
{ }

HttpSession::~HttpSession()
{
    for (auto &t : d->transfers) {
        if (t->reply) {
            t->reply->disconnect();
            t->reply->abort();
            delete t->reply;
            t->reply = nullptr;
        }
    }
}

void HttpSession::start(HttpRequest request, Handlers handlers)
{
    if (d->error)
        return;
    auto t = std::make_unique<Transfer>();
    t->url = request.url;
    t->origin = originOf(request.url);
    t->method = request.method;
    t->sendBody = request.body != nullptr;
    t->request = std::move(request);
    t->handlers = std::move(handlers);
    Transfer &ref = *t;
    d->transfers.push_back(std::move(t));
    ++d->active;
    d->send(ref);
}

Result<void> HttpSession::run()
{
    if (d->active > 0 && !d->error) {
        d->running = true;
        d->poll.start();
        d->loop.exec();
        d->poll.stop();
        d->running = false;
    }
    // Replies of ended transfers were deleteLater()'d; delete them now, not at some later
    // event loop of this (pool) thread.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    if (d->error)
        return fail(*d->error);
    return {};
}

void HttpSession::Private::send(Transfer &t)
{
    QNetworkRequest request(t.url);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(
        QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setRawHeader("User-Agent", "tfjs-model-manager");
    if (t.request.identity)
        request.setRawHeader("Accept-Encoding", "identity");
    const bool sameOrigin = originOf(t.url) == t.origin;
    for (const HttpHeader &header : options.headers) {
        if (!sameOrigin && isSecretHeader(header.name))
            continue;
        const QByteArray lower = header.name.toLower();
        if (t.sendBody && (lower == "content-type" || lower == "content-length"))
            continue; // the body's own; a multipart boundary must match the body
        request.setRawHeader(header.name, header.value);
    }
    QIODevice *body = nullptr;
    if (t.sendBody) {
        body = t.request.body;
        body->seek(0);
        request.setHeader(QNetworkRequest::ContentTypeHeader, t.request.contentType);
        request.setHeader(QNetworkRequest::ContentLengthHeader, body->size());
    }
    t.connected = false;
    t.headSeen = false;
    t.redirect = false;
    t.bodyBytes = 0;
    t.bodySent = 0;
    t.head = {};
    t.tlsErrors.clear();
    // GET and HEAD through their own calls: QNAM reads no body for a HEAD only when it knows.
    QNetworkReply *reply = t.method == "GET" ? nam.get(request)
        : t.method == "HEAD"                 ? nam.head(request)
                                             : nam.sendCustomRequest(request, t.method, body);
    t.reply = reply;
    // Qt's HTTP thread stops reading the socket when this much waits for us: a destination
    // slower than the network holds back the download instead of filling memory.
    reply->setReadBufferSize(kReadBufferBytes);

    t.sentAtMs = clock.elapsed();
    t.lastActivityMs = t.sentAtMs;
    t.received = t.sent = t.windowMoved = 0;
    t.windowStartMs = t.sentAtMs;

    QObject::connect(reply, &QNetworkReply::requestSent, reply, [this, &t] { activity(t); });
    QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, [this, &t] {
        activity(t);
        onMetaData(t);
    });
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [this, &t] {
        activity(t);
        onReadyRead(t);
    });
    QObject::connect(
        reply, &QNetworkReply::uploadProgress, reply, [this, &t](qint64 sent, qint64 total) {
            if (sent > 0)
                activity(t);
            t.sent = sent;
            t.bodySent = sent;
            if (t.handlers.uploadProgress && !t.ended)
                t.handlers.uploadProgress(sent, total);
        });
    QObject::connect(
        reply, &QNetworkReply::downloadProgress, reply, [this, &t](qint64 got, qint64) {
            if (got > 0)
                activity(t);
            t.received = got;
        });
#if QT_CONFIG(ssl)
    QObject::connect(
        reply, &QNetworkReply::sslErrors, reply, [this, &t](const QList<QSslError> &errors) {
            const QString host = t.url.host();
            for (const QString &allowed : std::as_const(options.insecureHosts)) {
                if (allowed.compare(host, Qt::CaseInsensitive) == 0) {
                    t.reply->ignoreSslErrors();
                    return;
                }
            }
            for (const QSslError &e : errors)
                t.tlsErrors << e.errorString();
        });
#endif
    QObject::connect(reply, &QNetworkReply::finished, reply, [this, &t] { onFinished(t); });
}

void HttpSession::Private::checkTimeouts()
{
    const qint64 now = clock.elapsed();
    for (auto &transfer : transfers) {
        Transfer &t = *transfer;
        if (t.ended || !t.reply)
            continue;
        if (!t.connected && now - t.sentAtMs >= options.connectTimeoutMs)
            end(t,
                fail(makeError(t, ErrorCode::Network,
                    QStringLiteral("Request for %1 at %2 failed: no connection "
                                   "within %3 s.")
                        .arg(t.request.what, displayUrl(t.url),
                            seconds(options.connectTimeoutMs)))));
        else if (now - t.lastActivityMs >= options.stallTimeoutMs)
            end(t,
                fail(makeError(t, ErrorCode::Network,
                    QStringLiteral("Request for %1 at %2 failed: nothing was sent "
                                   "or received for %3 s.")
                        .arg(t.request.what, displayUrl(t.url), seconds(options.stallTimeoutMs)))));
        else if (t.connected && now - t.windowStartMs >= options.stallTimeoutMs) {
            const qint64 moved = t.received + t.sent - t.windowMoved;
            if (moved < options.lowSpeedBytes)
                end(t,
                    fail(makeError(t, ErrorCode::Network,
                        QStringLiteral("Request for %1 at %2 failed: only %3 bytes were sent or "
                                       "received in %4 s (fewer than %5); the server is too slow.")
                            .arg(t.request.what, displayUrl(t.url))
                            .arg(moved)
                            .arg(seconds(options.stallTimeoutMs))
                            .arg(options.lowSpeedBytes))));
            t.windowStartMs = now;
            t.windowMoved = t.received + t.sent;
        }
        if (error)
            return;
    }
}

void HttpSession::Private::onMetaData(Transfer &t)
{
    if (t.ended || t.headSeen || t.redirect)
        return;
    const QVariant status = t.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    t.head.status = status.toInt();
    // Qt's HTTP/1 client drops every header field of an answer whose fields are over 100, or
    // one over 100 KiB, or over 256 KiB in all (bounding what it holds), and reads on as if
    // there were none: no length, no encoding. Such an answer is refused. (Uploads are read by
    // UploadReply's own parser, which refuses a head over 1 MiB.)
    if (!t.sendBody && t.reply->rawHeaderPairs().isEmpty()
        && !t.reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool()) {
        end(t,
            fail(makeError(t, ErrorCode::Network,
                QStringLiteral("Request for %1 at %2 failed: the answer came without header "
                               "fields Qt could read (Qt drops them all when there are over "
                               "100, one is over 100 KiB, or all are over 256 KiB).")
                    .arg(t.request.what, displayUrl(t.url)))));
        return;
    }
    const bool hasLocation = t.reply->hasRawHeader("Location");
    if (isRedirectStatus(t.head.status) && hasLocation
        && (!t.sendBody || keepsBody(t.head.status))) {
        t.redirect = true;
        return;
    }
    t.headSeen = true;
    t.head.reason = t.reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    t.head.url = t.reply->url();
    if (t.head.status >= 300 && t.head.status < 400 && hasLocation)
        t.head.location = locationOf(*t.reply);
    t.head.contentType = t.reply->rawHeader("Content-Type");
    const QVariant length = t.reply->header(QNetworkRequest::ContentLengthHeader);
    // RFC 9112 6.3: chunked framing wins over Content-Length; 204 and 304 have no body.
    const bool framed = t.reply->rawHeader("Transfer-Encoding").toLower().contains("chunked")
        || t.head.status == 204 || t.head.status == 304;
    t.head.contentLength = length.isValid() && !framed ? length.toLongLong() : -1;
    const QByteArray encoding = t.reply->rawHeader("Content-Encoding").trimmed().toLower();
    t.head.contentEncoded = !encoding.isEmpty() && encoding != "identity";
    t.head.contentEncoding = encoding;
    if (t.handlers.head) {
        if (auto ok = t.handlers.head(t.head); !ok)
            end(t, ok);
    }
}

void HttpSession::Private::onReadyRead(Transfer &t)
{
    if (t.ended)
        return;
    if (!t.headSeen && !t.redirect)
        onMetaData(t);
    if (t.ended)
        return;
    const QByteArray chunk = t.reply->readAll();
    if (t.redirect || chunk.isEmpty())
        return;
    t.bodyBytes += chunk.size();
    if (t.handlers.data) {
        if (auto ok = t.handlers.data(chunk.constData(), chunk.size()); !ok)
            end(t, ok);
    }
}

QString HttpSession::Private::transportReason(
    const Transfer &t, QNetworkReply::NetworkError code) const
{
    if (t.sendBody && t.bodySent < t.request.body->size()
        && (code == QNetworkReply::RemoteHostClosedError
            || code == QNetworkReply::UnknownNetworkError))
        return QStringLiteral("the server closed the connection after %1 of the %2 bytes of the "
                              "request body, without an answer")
            .arg(t.bodySent)
            .arg(t.request.body->size());
    if (code >= QNetworkReply::ProxyConnectionRefusedError
        && code <= QNetworkReply::UnknownProxyError)
        return t.reply->errorString(); // names the proxy
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("the connection was refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("the server closed or reset the connection before the response "
                              "was complete");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("the host %1 was not found").arg(t.url.host());
    case QNetworkReply::TimeoutError:
        return QStringLiteral("the connection timed out");
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("the TLS handshake failed%1; TLS errors are ignored only for "
                              "hosts allowed explicitly (--insecure-host %2)")
            .arg(t.tlsErrors.isEmpty()
                    ? QString()
                    : QStringLiteral(" (%1)").arg(t.tlsErrors.join(QStringLiteral("; "))),
                t.url.host());
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return QStringLiteral("the network is not available");
    default:
        break;
    }
    return QStringLiteral("%1 (network error %2)").arg(t.reply->errorString()).arg(int(code));
}

void HttpSession::Private::onFinished(Transfer &t)
{
    if (t.ended)
        return;
    if (t.reply->bytesAvailable() > 0)
        onReadyRead(t);
    if (t.ended)
        return;
    const QNetworkReply::NetworkError code = t.reply->error();
    const bool hasStatus = t.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid();
    if (!t.headSeen && !t.redirect && hasStatus)
        onMetaData(t);
    if (t.ended)
        return;
    // A server may answer an error status before reading the whole request body and close
    // the connection (Python's http.server does for an unsupported POST): its answer is the
    // result, not the broken upload.
    const bool earlyErrorAnswer = t.headSeen && t.head.status >= 400;
    if (code != QNetworkReply::NoError && !earlyErrorAnswer
        && (!hasStatus || isTransportError(code))) {
        end(t,
            fail(makeError(t, ErrorCode::Network,
                QStringLiteral("Request for %1 at %2 failed: %3.")
                    .arg(t.request.what, displayUrl(t.url), transportReason(t, code)))));
        return;
    }
    if (t.redirect) {
        follow(t);
        return;
    }
    if (!t.head.contentEncoded && t.head.contentLength >= 0 && t.method != "HEAD"
        && !earlyErrorAnswer && t.bodyBytes != t.head.contentLength) {
        end(t,
            fail(makeError(t, ErrorCode::Network,
                QStringLiteral("Request for %1 at %2 failed: the response ended "
                               "after %3 of its %4 bytes.")
                    .arg(t.request.what, displayUrl(t.url))
                    .arg(t.bodyBytes)
                    .arg(t.head.contentLength))));
        return;
    }
    Result<void> result;
    if (t.handlers.done)
        result = t.handlers.done(t.head, t.bodyBytes);
    end(t, result);
}

void HttpSession::Private::follow(Transfer &t)
{
    const int status = t.head.status;
    const QUrl target = locationOf(*t.reply);
    const QString scheme = target.scheme().toLower();
    if (!target.isValid()
        || (scheme != QStringLiteral("http") && scheme != QStringLiteral("https"))) {
        Error e = makeError(t, ErrorCode::Http,
            QStringLiteral("Request for %1 at %2 was redirected to '%3'; only "
                           "http and https redirects are followed.")
                .arg(t.request.what, displayUrl(t.url), displayUrl(target)));
        e.status = status;
        end(t, fail(e));
        return;
    }
    if (++t.redirects > options.maxRedirects) {
        Error e = makeError(t, ErrorCode::Http,
            QStringLiteral("Request for %1 failed: more than %2 redirects "
                           "(from %3, the last one to %4).")
                .arg(t.request.what)
                .arg(options.maxRedirects)
                .arg(displayUrl(t.request.url), displayUrl(target)));
        e.status = status;
        end(t, fail(e));
        return;
    }
    // Methods stay: GET and HEAD under any redirect, a body's method under 307 and 308.
    QNetworkReply *old = t.reply;
    old->disconnect();
    old->deleteLater();
    t.reply = nullptr;
    t.url = target;
    send(t);
}

void HttpSession::Private::end(Transfer &t, const Result<void> &result)
{
    if (t.ended)
        return;
    t.ended = true;
    --active;
    if (QNetworkReply *reply = t.reply) {
        t.reply = nullptr;
        reply->disconnect();
        if (reply->isRunning())
            reply->abort();
        reply->deleteLater();
    }
    if (!result && !error) {
        error = result.error();
        failAll(*error);
    }
    if (active == 0 && running)
        loop.quit();
}

void HttpSession::Private::failAll(const Error &e)
{
    if (!error)
        error = e;
    for (auto &t : transfers) {
        if (!t->ended)
            end(*t, {});
    }
    if (running)
        loop.quit();
}

} // namespace tfjs

#pragma once

#include "httpurl.h"

#include <QByteArray>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QIODevice;

namespace tfjs {

class JobContext;

struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    QIODevice *body = nullptr; // random access with a size; read again from 0 on 307/308
    QByteArray contentType; // of the body
    QString what; // for messages: "the model JSON", "weight file 'x.bin'"
    QString shard; // Error::shard of errors about this request
    bool identity = false; // Accept-Encoding: identity (the bytes as stored, with their length)
};

struct HttpResponseHead
{
    int status = 0;
    QByteArray reason;
    QUrl url; // after redirects
    QUrl location; // a 3xx answer's Location, resolved against url
    QByteArray contentType;
    qint64 contentLength = -1;
    bool contentEncoded = false; // a Content-Encoding: Content-Length counts encoded bytes
    QByteArray contentEncoding; // as sent ("gzip"); empty when none
    bool isSuccess() const { return status >= 200 && status < 300; }
};

// Runs HTTP requests on the calling thread (a worker thread): one QNetworkAccessManager (an
// UploadingAccessManager), a local event loop inside run(), the JobContext's cancel flag
// polled, connect and stall timeouts, redirects followed by hand (http and https only; secret
// headers dropped when the origin changes), TLS errors fatal unless the host is in
// HttpOptions::insecureHosts. A request with a body follows only 307 and 308, sending the body
// again; a 301, 302 or 303 is its final answer (fetch() would follow it as a GET without the
// body, and report that page). Status codes are the callers' to judge. Must not be used on a
// thread whose event loop is already running this session.
class HttpSession
{
public:
    struct Handlers
    {
        // The final (non-redirect) response's status and headers.
        std::function<Result<void>(const HttpResponseHead &)> head;
        // Its body bytes, in order.
        std::function<Result<void>(const char *data, qint64 size)> data;
        // After the whole body arrived (its length checked against Content-Length).
        std::function<Result<void>(const HttpResponseHead &, qint64 bodyBytes)> done;
        std::function<void(qint64 sent, qint64 total)> uploadProgress;
    };

    HttpSession(const HttpOptions &options, JobContext &ctx, const SecretScrubber &scrubber);
    ~HttpSession();
    HttpSession(const HttpSession &) = delete;
    HttpSession &operator=(const HttpSession &) = delete;

    // Queues a request; may be called from handlers while run() is running.
    void start(HttpRequest request, Handlers handlers);
    // Runs until every started request has ended. The first error (a handler's, a network
    // error, a timeout, cancellation) aborts the others and is returned.
    [[nodiscard]] Result<void> run();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace tfjs

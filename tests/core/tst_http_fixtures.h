#pragma once
// Test fixtures shared by the tst_http* tests: a QHttpServer on 127.0.0.1 with per-path
// behaviours (plain answers, status codes, redirects, and raw-socket faults: truncated bodies,
// resets, stalls, slow drips), a request log, and a helper running work as a Job while the
// test's event loop serves.

#include "base/job.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <map>
#include <optional>

#include <sys/socket.h>

namespace httptest {

struct LoggedRequest
{
    QByteArray method;
    QString path;
    QString query; // without '?'
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    QString target() const { return query.isEmpty() ? path : path + QLatin1Char('?') + query; }
};

inline QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Head: return "HEAD";
    case QHttpServerRequest::Method::Options: return "OPTIONS";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    default: return "OTHER";
    }
}

// A self-signed certificate for 127.0.0.1 and its key, made by openssl for this run; nothing
// when openssl is missing.
struct TestCertificate
{
    QSslCertificate certificate;
    QSslKey key;
    bool isNull() const { return certificate.isNull() || key.isNull(); }
};

inline TestCertificate makeTestCertificate()
{
    QTemporaryDir dir;
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                   QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                   QStringLiteral("-keyout"), dir.filePath(QStringLiteral("key.pem")),
                   QStringLiteral("-out"), dir.filePath(QStringLiteral("cert.pem"))});
    TestCertificate made;
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0)
        return made;
    QFile certFile(dir.filePath(QStringLiteral("cert.pem")));
    QFile keyFile(dir.filePath(QStringLiteral("key.pem")));
    if (certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly)) {
        made.certificate = QSslCertificate(certFile.readAll(), QSsl::Pem);
        made.key = QSslKey(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
    }
    return made;
}

// makeTestCertificate() once per process (openssl takes a while).
inline const TestCertificate &testCertificate()
{
    static const TestCertificate made = makeTestCertificate();
    return made;
}

class FaultServer
{
public:
    using Handler = std::function<void(const QHttpServerRequest &, QHttpServerResponder &)>;

    // With a certificate and key: https (QHttpServer::sslSetup).
    FaultServer() { start(); }
    FaultServer(const QSslCertificate &certificate, const QSslKey &key)
    {
        m_server.sslSetup(certificate, key);
        m_scheme = QStringLiteral("https");
        start();
    }

    void start()
    {
        m_server.route(QStringLiteral("/<arg>"),
                       [this](const QUrl &, const QHttpServerRequest &request,
                              QHttpServerResponder &&responder) { dispatch(request, responder); });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_port; }
    QString url(const QString &path) const
    {
        return QStringLiteral("%1://127.0.0.1:%2%3").arg(m_scheme).arg(m_port).arg(path);
    }

    void on(const QString &path, Handler handler) { m_routes[path] = std::move(handler); }

    // A complete answer.
    void serve(const QString &path, QByteArray body,
               QByteArray contentType = "application/octet-stream", int status = 200)
    {
        on(path, [=](const QHttpServerRequest &request, QHttpServerResponder &responder) {
            const bool head = request.method() == QHttpServerRequest::Method::Head;
            writeRaw(responder.socket(), status, contentType, head ? QByteArray() : body,
                     body.size());
        });
    }
    // A redirect (any 3xx) to `location`, as written.
    void redirect(const QString &path, QByteArray location, int status = 302)
    {
        on(path, [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
            QTcpSocket *socket = responder.socket();
            socket->write("HTTP/1.1 " + QByteArray::number(status) + " Redirect\r\nLocation: "
                          + location + "\r\nContent-Length: 0\r\n\r\n");
        });
    }
    // Headers announcing all of `body`, then only its first `sent` bytes, then a close.
    void truncated(const QString &path, QByteArray body, qint64 sent)
    {
        on(path, [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
            QTcpSocket *socket = responder.socket();
            writeRaw(socket, 200, "application/octet-stream", body.left(sent), body.size());
            socket->flush();
            socket->disconnectFromHost();
        });
    }
    // Headers and `sent` bytes, then a TCP reset (SO_LINGER 0).
    void reset(const QString &path, QByteArray body, qint64 sent)
    {
        on(path, [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
            QTcpSocket *socket = responder.socket();
            writeRaw(socket, 200, "application/octet-stream", body.left(sent), body.size());
            socket->flush();
            const linger noLinger{1, 0};
            ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &noLinger,
                         sizeof noLinger);
            socket->abort();
        });
    }
    // Headers and `sent` bytes of `body`, then silence (the connection stays open).
    void stall(const QString &path, QByteArray body, qint64 sent)
    {
        on(path, [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
            writeRaw(responder.socket(), 200, "application/octet-stream", body.left(sent),
                     body.size());
        });
    }
    // The whole body, `chunk` bytes every `intervalMs`.
    void drip(const QString &path, QByteArray body, int chunk, int intervalMs)
    {
        on(path, [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
            QPointer<QTcpSocket> socket = responder.socket();
            writeRaw(socket, 200, "application/octet-stream", {}, body.size());
            auto *timer = new QTimer(socket);
            auto at = std::make_shared<qint64>(0);
            QObject::connect(timer, &QTimer::timeout, socket, [=] {
                if (!socket || *at >= body.size()) {
                    timer->stop();
                    return;
                }
                socket->write(body.mid(*at, chunk));
                *at += chunk;
            });
            timer->start(intervalMs);
        });
    }

    // The whole body with Transfer-Encoding: chunked (no Content-Length), `chunk` bytes every
    // `intervalMs`, then the last chunk.
    void dripChunked(const QString &path, QByteArray body, int chunk, int intervalMs)
    {
        on(path, [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
            QPointer<QTcpSocket> socket = responder.socket();
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n");
            auto *timer = new QTimer(socket);
            auto at = std::make_shared<qint64>(0);
            QObject::connect(timer, &QTimer::timeout, socket, [=] {
                if (!socket)
                    return;
                if (*at >= body.size()) {
                    timer->stop();
                    socket->write("0\r\n\r\n");
                    return;
                }
                const QByteArray piece = body.mid(*at, chunk);
                socket->write(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
                *at += chunk;
            });
            timer->start(intervalMs);
        });
    }

    static void writeRaw(QTcpSocket *socket, int status, const QByteArray &contentType,
                         const QByteArray &body, qint64 contentLength)
    {
        socket->write("HTTP/1.1 " + QByteArray::number(status) + " " + reason(status)
                      + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                      + QByteArray::number(contentLength) + "\r\n\r\n");
        socket->write(body);
    }
    static QByteArray reason(int status)
    {
        switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 413:
            return "Payload Too Large";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Status";
        }
    }

    QList<LoggedRequest> requests;

    QStringList targets(const QByteArray &method = {}) const
    {
        QStringList out;
        for (const LoggedRequest &request : requests) {
            if (method.isEmpty() || request.method == method)
                out << request.target();
        }
        return out;
    }

private:
    void dispatch(const QHttpServerRequest &request, QHttpServerResponder &responder)
    {
        LoggedRequest logged;
        logged.method = methodName(request.method());
        logged.path = request.url().path();
        logged.query = request.url().query(QUrl::FullyEncoded);
        logged.headers = request.headers();
        logged.body = request.body();
        requests << logged;
        const auto it = m_routes.find(logged.path);
        if (it == m_routes.end()) {
            writeRaw(responder.socket(), 404, "text/plain", "no route " + logged.path.toUtf8(),
                     13 + logged.path.toUtf8().size());
            return;
        }
        it->second(request, responder);
    }

    QHttpServer m_server;
    quint16 m_port = 0;
    QString m_scheme = QStringLiteral("http");
    std::map<QString, Handler> m_routes;
};

// Answers every request once its head (and `read` bytes of its body) is in, then closes the
// connection with the rest of the body unread, as Werkzeug (Flask) and Python's http.server
// do: the server's kernel then resets the connection under a client still sending. With
// `hold`, it keeps the connection after the answer, reading nothing more, until it is deleted.
// Status 0: no answer, only the reset.
class EarlyAnswerServer
{
public:
    EarlyAnswerServer(int status, QByteArray body, qint64 read = 0, bool hold = false)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [=, this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket, status, body, read, hold);
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString &path, const QString &host = QStringLiteral("127.0.0.1")) const
    {
        return QStringLiteral("http://%1:%2%3").arg(host).arg(port()).arg(path);
    }

    QList<QByteArray> heads; // of the requests answered

private:
    void serve(QTcpSocket *socket, int status, const QByteArray &body, qint64 read, bool hold)
    {
        socket->setReadBufferSize(64 << 10); // the rest stays in the kernel
        auto in = std::make_shared<QByteArray>();
        auto answered = std::make_shared<bool>(false);
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [=, this] {
            if (*answered)
                return; // holding: its read buffer fills, then the kernel's
            in->append(socket->read(64 << 10));
            const qsizetype end = in->indexOf("\r\n\r\n");
            if (end < 0 || in->size() - end - 4 < read)
                return;
            heads << in->left(end);
            *answered = true;
            if (status == 0) {
                socket->abort(); // unread bytes: a reset
                socket->deleteLater();
                return;
            }
            socket->write("HTTP/1.1 " + QByteArray::number(status) + " "
                + FaultServer::reason(status)
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            socket->flush();
            if (hold)
                return;
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
            socket->abort(); // unread bytes: a reset
            socket->deleteLater();
        });
    }

    QTcpServer m_server;
};

// Runs `work` as a Job (on the thread pool) while this thread's event loop serves requests.
// `cancelAfterMs` >= 0 cancels the job after that long.
template <typename T>
tfjs::Result<T> runJob(const std::function<tfjs::Result<T>(tfjs::JobContext &)> &work,
                       int cancelAfterMs = -1, QList<tfjs::Progress> *progress = nullptr)
{
    std::optional<tfjs::Result<T>> result;
    tfjs::Job job(QStringLiteral("test"), [&](tfjs::JobContext &ctx) -> tfjs::Result<void> {
        result = work(ctx);
        return {};
    });
    QEventLoop loop;
    QObject::connect(&job, &tfjs::Job::finished, &loop, &QEventLoop::quit);
    if (progress)
        QObject::connect(&job, &tfjs::Job::progressChanged, &loop,
                         [progress](const tfjs::Progress &p) { progress->append(p); });
    if (cancelAfterMs >= 0)
        QTimer::singleShot(cancelAfterMs, &loop, [&job] { job.cancel(); });
    QTimer::singleShot(120000, &loop, [&] { job.cancel(); loop.quit(); }); // fail, not hang
    job.start();
    loop.exec();
    job.wait();
    QCoreApplication::processEvents(); // deliver the last queued progress
    if (!result)
        return tfjs::fail(tfjs::ErrorCode::Io, QStringLiteral("the job did not run"));
    return std::move(*result);
}

} // namespace httptest

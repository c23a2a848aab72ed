#pragma once

#include "responseparser.h"

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>

class QTcpSocket;

namespace tfjs {

// A QNetworkAccessManager whose http(s) requests with a body are answered by UploadReply;
// everything else goes to Qt's own HTTP backend. Qt 6.4's backend reads no response while it
// still sends a body, and re-sends the request when the server then closes the connection
// (qhttpprotocolhandler.cpp, qhttpnetworkconnectionchannel.cpp): a server that refuses an
// upload before reading it (a 401, 404 or 413 from Flask) is reported as a closed connection
// after the body went out up to four times. createRequest() is QNAM's hook for replies of
// one's own; the proxy is chosen as Qt's backend chooses it.
class UploadingAccessManager final : public QNetworkAccessManager
{
    Q_OBJECT

public:
    using QNetworkAccessManager::QNetworkAccessManager;

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request,
                                 QIODevice *outgoingData) override;

private:
    // As QNetworkReplyHttpImpl: the first of the manager's (or the application's) proxies for
    // `url` that fits: none, a caching HTTP proxy for plain http, a tunnel (HTTP CONNECT,
    // SOCKS); a DefaultProxy when none fits.
    QNetworkProxy proxyFor(const QUrl &url) const;
};

// One HTTP/1.1 request with a body of known size (Content-Length), sent on the caller's
// thread over its own connection (Connection: close) in large writes straight from the body
// device, and its response read as QNAM's replies present it: status and reason attributes,
// headers, body bytes (ResponseParser), uploadProgress for bytes the kernel took, sslErrors
// that ignoreSslErrors() can answer. Through `proxy` as Qt's backend goes: plain http to an
// HTTP proxy as a forward request (absolute URI, Proxy-Authorization from the proxy's user),
// anything else through a tunnel. A final answer that comes before the body is sent is read
// before more is written, and kept when a write then fails because the server closed the
// connection: a 3xx-5xx ends the upload and is the result; a 2xx still gets the rest of the
// body (RFC 9112 9.5). No cache, no cookies, no redirects: HttpSession follows redirects.
class UploadReply final : public QNetworkReply
{
    Q_OBJECT

public:
    UploadReply(const QNetworkRequest &request, QByteArray verb, QIODevice *body,
        QNetworkProxy proxy, QObject *parent = nullptr);
    ~UploadReply() override;

    void abort() override;
    qint64 bytesAvailable() const override;
    bool isSequential() const override { return true; }
    void ignoreSslErrors() override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;

private:
    void connectToServer();
    QByteArray requestHead() const;
    qint64 unsent() const; // bytes handed to the socket that the kernel has not taken
    void sendMore();
    void onConnected();
    void onWritten();
    void onSocketError();
    void onDisconnected();
    QByteArray readWaiting(); // everything received and not read yet
    void takeResponse(const QByteArray &bytes);
    // The connection ends: takes what it left and finishes if that is an answer.
    bool finishWithWhatIsLeft();
    void complete(); // the answer is complete
    void finishAnswered();
    void failWith(NetworkError code, const QString &message);
    void failConnecting(QAbstractSocket::SocketError error);
    void closeConnection();

    QTcpSocket *m_socket = nullptr;
    int m_peerFd = -1; // plain TCP: our own descriptor of the connection (see readWaiting)
    QByteArray m_verb;
    QIODevice *m_body = nullptr;
    QNetworkProxy m_proxy;
    bool m_forward = false; // a request to m_proxy with the absolute URI
    bool m_connected = false;
    qint64 m_bodySize = 0;
    qint64 m_headSize = 0;   // of the request head
    qint64 m_handed = 0;     // head and body bytes handed to the socket
    qint64 m_queued = 0;     // body bytes handed to the socket
    qint64 m_sent = 0;       // body bytes the kernel took
    bool m_requestSent = false;
    bool m_answered = false; // the whole answer is in
    ResponseParser m_response;
    QByteArray m_out; // response body bytes not read yet
    bool m_done = false;
};

} // namespace tfjs

#include "uploadreply.h"

#include <QNetworkProxyFactory>
#include <QTcpSocket>
#include <QTimer>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <algorithm>
#include <cstring>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tfjs {

namespace {

constexpr qint64 kChunk = qint64(1) << 20; // body bytes per read and socket write
constexpr qint64 kHighWater = qint64(4) << 20; // most body bytes waiting in the socket

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(QStringLiteral("https"), Qt::CaseInsensitive) == 0;
}

bool hasLineBreak(const QByteArray &text)
{
    return text.contains('\r') || text.contains('\n');
}

bool isHttpProxy(const QNetworkProxy &proxy)
{
    return proxy.type() == QNetworkProxy::HttpProxy
        || proxy.type() == QNetworkProxy::HttpCachingProxy;
}

QNetworkReply::NetworkError replyError(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QNetworkReply::ConnectionRefusedError;
    case QAbstractSocket::RemoteHostClosedError:
        return QNetworkReply::RemoteHostClosedError;
    case QAbstractSocket::HostNotFoundError:
        return QNetworkReply::HostNotFoundError;
    case QAbstractSocket::SocketTimeoutError:
        return QNetworkReply::TimeoutError;
    case QAbstractSocket::SslHandshakeFailedError:
        return QNetworkReply::SslHandshakeFailedError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

} // namespace

QNetworkReply *UploadingAccessManager::createRequest(Operation op, const QNetworkRequest &request,
                                                     QIODevice *outgoingData)
{
    const QString scheme = request.url().scheme().toLower();
    if (outgoingData && !outgoingData->isSequential()
        && (scheme == QStringLiteral("http") || scheme == QStringLiteral("https"))) {
        const QByteArray verb = op == PostOperation ? QByteArrayLiteral("POST")
            : op == PutOperation ? QByteArrayLiteral("PUT")
            : op == CustomOperation
            ? request.attribute(QNetworkRequest::CustomVerbAttribute).toByteArray()
            : QByteArray();
        if (!verb.isEmpty())
            return new UploadReply(request, verb, outgoingData, proxyFor(request.url()), this);
    }
    return QNetworkAccessManager::createRequest(op, request, outgoingData);
}

QNetworkProxy UploadingAccessManager::proxyFor(const QUrl &url) const
{
    const QNetworkProxyQuery query(url);
    QList<QNetworkProxy> proxies { proxy() };
    if (proxyFactory())
        proxies = proxyFactory()->queryProxy(query);
    else if (proxy().type() == QNetworkProxy::DefaultProxy)
        proxies = QNetworkProxyFactory::proxyForQuery(query); // the application's
    for (const QNetworkProxy &candidate : proxies) {
        if (candidate.type() == QNetworkProxy::NoProxy || candidate.isTransparentProxy()
            || (!isHttps(url) && isHttpProxy(candidate)
                && (candidate.capabilities() & QNetworkProxy::CachingCapability)))
            return candidate;
    }
    return QNetworkProxy(QNetworkProxy::DefaultProxy);
}

UploadReply::UploadReply(const QNetworkRequest &request, QByteArray verb, QIODevice *body,
    QNetworkProxy proxy, QObject *parent)
    : QNetworkReply(parent), m_verb(std::move(verb)), m_body(body), m_proxy(std::move(proxy))
{
    setRequest(request);
    setUrl(request.url());
    setOperation(QNetworkAccessManager::CustomOperation);
    setAttribute(QNetworkRequest::CustomVerbAttribute, m_verb);
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    m_bodySize = std::max<qint64>(0, body->size() - body->pos());
    // Plain http to an HTTP proxy goes as a forward request, as Qt's backend sends it.
    m_forward = !isHttps(request.url()) && isHttpProxy(m_proxy)
        && (m_proxy.capabilities() & QNetworkProxy::CachingCapability);
    // Like QNAM's replies, nothing happens before the caller is back in its event loop.
    QTimer::singleShot(0, this, &UploadReply::connectToServer);
}

UploadReply::~UploadReply()
{
    closeConnection();
}

void UploadReply::connectToServer()
{
    if (m_done)
        return;
    const QUrl target = url();
    const bool tls = isHttps(target);
    const QByteArray head = requestHead();
    if (head.isEmpty()) {
        failWith(ProtocolInvalidOperationError,
            QStringLiteral("The method or a request header contains a line break."));
        return;
    }
    if (m_proxy.type() == QNetworkProxy::DefaultProxy) {
        failWith(ProxyNotFoundError,
            QStringLiteral("no configured proxy can carry %1").arg(target.scheme()));
        return;
    }
#if QT_CONFIG(ssl)
    if (tls) {
        auto *socket = new QSslSocket(this);
        socket->setSslConfiguration(request().sslConfiguration());
        if (!request().peerVerifyName().isEmpty())
            socket->setPeerVerifyName(request().peerVerifyName());
        connect(socket, &QSslSocket::sslErrors, this,
            [this](const QList<QSslError> &errors) { emit sslErrors(errors); });
        m_socket = socket;
    }
#endif
    if (tls && !m_socket) {
        failWith(ProtocolUnknownError, QStringLiteral("TLS is not available in this build."));
        return;
    }
    if (!m_socket)
        m_socket = new QTcpSocket(this);
    m_socket->setProxy(m_forward ? QNetworkProxy(QNetworkProxy::NoProxy) : m_proxy);
    connect(m_socket, &QAbstractSocket::connected, this, &UploadReply::onConnected);
    connect(m_socket, &QAbstractSocket::readyRead, this, [this] {
        if (!m_done)
            takeResponse(m_socket->readAll());
    });
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &UploadReply::onSocketError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &UploadReply::onDisconnected);
#if QT_CONFIG(ssl)
    if (auto *socket = qobject_cast<QSslSocket *>(m_socket)) {
        // QSslSocket buffers without limit before the handshake and reports bytesWritten when
        // it encrypts, not when the kernel takes the bytes: send and count by its encrypted
        // side instead.
        connect(socket, &QSslSocket::encrypted, this, &UploadReply::sendMore);
        connect(socket, &QSslSocket::encryptedBytesWritten, this, &UploadReply::onWritten);
    } else
#endif
        connect(m_socket, &QAbstractSocket::bytesWritten, this, &UploadReply::onWritten);

    const QString host = m_forward ? m_proxy.hostName() : target.host();
    const quint16 port = m_forward ? m_proxy.port() : quint16(target.port(tls ? 443 : 80));
#if QT_CONFIG(ssl)
    if (auto *socket = qobject_cast<QSslSocket *>(m_socket))
        socket->connectToHostEncrypted(target.host(), port);
    else
#endif
        m_socket->connectToHost(host, port);
    if (m_done)
        return; // failed at once
    // The head now, the body once connected (and encrypted), as the socket drains.
    m_headSize = head.size();
    m_handed = head.size();
    m_socket->write(head);
    sendMore();
}

QByteArray UploadReply::requestHead() const
{
    QUrl target = url();
    QByteArray requestTarget;
    if (m_forward) {
        if (target.path().isEmpty())
            target.setPath(QStringLiteral("/"));
        requestTarget = target.toEncoded(QUrl::RemoveUserInfo | QUrl::RemoveFragment);
    } else {
        requestTarget = target.path(QUrl::FullyEncoded).toLatin1();
        if (requestTarget.isEmpty())
            requestTarget = "/";
        if (target.hasQuery())
            requestTarget += '?' + target.query(QUrl::FullyEncoded).toLatin1();
    }
    QByteArray host = target.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (target.port() != -1 && target.port() != (isHttps(target) ? 443 : 80))
        host += ':' + QByteArray::number(target.port());
    if (m_verb.isEmpty() || hasLineBreak(m_verb) || m_verb.contains(' '))
        return {};
    QByteArray head = m_verb + ' ' + requestTarget + " HTTP/1.1\r\nHost: " + host + "\r\n";
    const QNetworkRequest &req = request();
    for (const QByteArray &name : req.rawHeaderList()) {
        const QByteArray lower = name.toLower();
        if (lower == "host" || lower == "connection" || lower == "content-length"
            || lower == "transfer-encoding" || lower == "proxy-authorization")
            continue;
        const QByteArray value = req.rawHeader(name);
        if (hasLineBreak(name) || hasLineBreak(value))
            return {};
        head += name + ": " + value + "\r\n";
    }
    if (m_forward && !m_proxy.user().isEmpty())
        head += "Proxy-Authorization: Basic "
            + QByteArray(m_proxy.user().toUtf8() + ':' + m_proxy.password().toUtf8()).toBase64()
            + "\r\n";
    head += "Content-Length: " + QByteArray::number(m_bodySize) + "\r\nConnection: close\r\n\r\n";
    return head;
}

qint64 UploadReply::unsent() const
{
    qint64 waiting = m_socket->bytesToWrite();
#if QT_CONFIG(ssl)
    if (auto *socket = qobject_cast<QSslSocket *>(m_socket))
        waiting += socket->encryptedBytesToWrite();
#endif
    return waiting;
}

void UploadReply::onConnected()
{
    m_connected = true;
    // Qt closes its descriptor as soon as a write fails (EPIPE, ECONNRESET: the server answered
    // early and closed), dropping the answer still unread in the kernel, which Linux keeps
    // readable; this one keeps the socket open for readWaiting(). Encrypted bytes are
    // QSslSocket's to read.
    if (!isHttps(url()))
        m_peerFd = ::fcntl(int(m_socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
}

void UploadReply::sendMore()
{
#if QT_CONFIG(ssl)
    if (auto *socket = qobject_cast<QSslSocket *>(m_socket); socket && !socket->isEncrypted())
        return;
#endif
    while (!m_done && m_queued < m_bodySize && unsent() < kHighWater) {
        // An answer may be in already (a 401 before the body): take it before writing more.
        if (m_peerFd >= 0)
            takeResponse(readWaiting());
        if (m_done)
            return;
        const qint64 want = std::min(kChunk, m_bodySize - m_queued);
        QByteArray chunk(want, Qt::Uninitialized);
        const qint64 got = m_body->read(chunk.data(), want);
        if (got <= 0) {
            failWith(ProtocolFailure,
                QStringLiteral("The request body could not be read at byte %1: %2")
                    .arg(m_queued)
                    .arg(m_body->errorString()));
            return;
        }
        chunk.truncate(got);
        m_socket->write(chunk);
        m_queued += got;
        m_handed += got;
    }
}

void UploadReply::onWritten()
{
    if (m_done)
        return;
    // What the kernel took: everything handed over minus what still waits in the socket
    // (TLS adds a little framing to the waiting bytes; the clamp keeps the count honest).
    const qint64 taken = std::max<qint64>(0, m_handed - unsent());
    const qint64 sent = std::clamp<qint64>(taken - m_headSize, m_sent, m_queued);
    if (sent > m_sent) {
        m_sent = sent;
        emit uploadProgress(m_sent, m_bodySize);
    }
    if (!m_requestSent && taken >= m_handed && m_queued == m_bodySize) {
        m_requestSent = true;
        emit requestSent();
        if (m_answered) {
            finishAnswered();
            return;
        }
    }
    sendMore();
}

QByteArray UploadReply::readWaiting()
{
    QByteArray bytes = m_socket->isOpen() ? m_socket->readAll() : QByteArray();
    if (m_peerFd >= 0) {
        char buffer[16384];
        qint64 n;
        while ((n = ::recv(m_peerFd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0)
            bytes.append(buffer, n);
    }
    return bytes;
}

void UploadReply::takeResponse(const QByteArray &bytes)
{
    if (m_done || m_answered || bytes.isEmpty())
        return;
    const bool hadHead = m_response.hasHead();
    if (!m_response.feed(bytes)) {
        failWith(ProtocolFailure, m_response.error());
        return;
    }
    if (!hadHead && m_response.hasHead()) {
        for (const auto &[name, value] : m_response.fields())
            setRawHeader(name, value);
        setAttribute(QNetworkRequest::HttpStatusCodeAttribute, m_response.status());
        setAttribute(
            QNetworkRequest::HttpReasonPhraseAttribute, QString::fromLatin1(m_response.reason()));
        emit metaDataChanged();
    }
    if (m_done)
        return;
    if (const QByteArray body = m_response.takeBody(); !body.isEmpty()) {
        m_out.append(body);
        emit readyRead();
        if (!m_done)
            emit downloadProgress(m_response.bodyReceived(), m_response.contentLength());
    }
    if (!m_done && m_response.isComplete())
        complete();
}

void UploadReply::complete()
{
    if (m_done || m_answered)
        return;
    m_answered = true;
    // A redirect or an error ends the upload: the server does not want the rest. A success
    // answer before the whole body went out still gets the rest of it, then counts.
    if (m_response.status() >= 300 || m_requestSent)
        finishAnswered();
}

void UploadReply::finishAnswered()
{
    if (m_done)
        return;
    m_done = true;
    closeConnection(); // Connection: close
    setFinished(true);
    emit finished();
}

void UploadReply::failWith(NetworkError code, const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    closeConnection();
    setError(code, message);
    setFinished(true);
    emit errorOccurred(code);
    emit finished();
}

void UploadReply::closeConnection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    if (m_peerFd >= 0) {
        ::close(m_peerFd);
        m_peerFd = -1;
    }
}

bool UploadReply::finishWithWhatIsLeft()
{
    takeResponse(readWaiting());
    if (!m_done && !m_answered && m_response.connectionClosed())
        complete(); // a body that ends with the connection
    if (!m_done && m_answered)
        finishAnswered(); // no connection left to send the rest of the body on
    return m_done;
}

void UploadReply::onDisconnected()
{
    if (m_done || finishWithWhatIsLeft())
        return;
    failWith(RemoteHostClosedError,
        m_response.hasHead()
            ? QStringLiteral("The server closed the connection before the "
                             "response was complete.")
            : QStringLiteral("The server closed the connection without an answer."));
}

void UploadReply::onSocketError()
{
    if (m_done)
        return;
    const QAbstractSocket::SocketError error = m_socket->error();
    if (!m_connected && m_proxy.type() != QNetworkProxy::NoProxy) {
        failConnecting(error);
        return;
    }
    if (error == QAbstractSocket::RemoteHostClosedError) {
        onDisconnected();
        return;
    }
    // A reset after an early answer (a 413 while the body was still going): take the answer.
    if (!finishWithWhatIsLeft())
        failWith(replyError(error), m_socket->errorString());
}

// Before the connection through a proxy stood: the error names the proxy.
void UploadReply::failConnecting(QAbstractSocket::SocketError error)
{
    const QString proxy = QStringLiteral("%1:%2").arg(m_proxy.hostName()).arg(m_proxy.port());
    if (error == QAbstractSocket::ProxyConnectionRefusedError
        || (m_forward && error == QAbstractSocket::ConnectionRefusedError)) {
        failWith(ProxyConnectionRefusedError,
            QStringLiteral("the proxy %1 refused the connection").arg(proxy));
        return;
    }
    const QString target
        = QStringLiteral("%1:%2").arg(url().host()).arg(url().port(isHttps(url()) ? 443 : 80));
    failWith(UnknownProxyError,
        QStringLiteral("the connection through the proxy %1 to %2 failed: %3")
            .arg(proxy, target, m_socket->errorString()));
}

void UploadReply::abort()
{
    failWith(OperationCanceledError, QStringLiteral("Operation canceled"));
}

qint64 UploadReply::bytesAvailable() const
{
    return m_out.size() + QNetworkReply::bytesAvailable();
}

void UploadReply::ignoreSslErrors()
{
#if QT_CONFIG(ssl)
    if (auto *socket = qobject_cast<QSslSocket *>(m_socket))
        socket->ignoreSslErrors();
#endif
}

qint64 UploadReply::readData(char *data, qint64 maxSize)
{
    if (m_out.isEmpty())
        return m_done ? -1 : 0;
    const qint64 n = std::min<qint64>(maxSize, m_out.size());
    std::memcpy(data, m_out.constData(), std::size_t(n));
    m_out.remove(0, n);
    return n;
}

} // namespace tfjs

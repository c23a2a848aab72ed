#include "uploadreply.h"

#include <QTcpSocket>
#include <QTimer>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <algorithm>
#include <cstring>

namespace tfjs {

namespace {

constexpr qint64 kChunk = qint64(1) << 20; // body bytes per read and socket write
constexpr qint64 kHighWater = qint64(4) << 20; // most body bytes waiting in the socket
constexpr qsizetype kMaxHead = 1 << 20; // a longer response head is not HTTP we accept
constexpr qsizetype kMaxLine = 4096; // a chunk-size or trailer line

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(QStringLiteral("https"), Qt::CaseInsensitive) == 0;
}

bool hasLineBreak(const QByteArray &text)
{
    return text.contains('\r') || text.contains('\n');
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
    if (m_streamUploads && outgoingData && !outgoingData->isSequential()
        && (scheme == QStringLiteral("http") || scheme == QStringLiteral("https"))) {
        const QByteArray verb = op == PostOperation ? QByteArrayLiteral("POST")
            : op == PutOperation ? QByteArrayLiteral("PUT")
            : op == CustomOperation
            ? request.attribute(QNetworkRequest::CustomVerbAttribute).toByteArray()
            : QByteArray();
        if (!verb.isEmpty())
            return new UploadReply(request, verb, outgoingData, this);
    }
    return QNetworkAccessManager::createRequest(op, request, outgoingData);
}

UploadReply::UploadReply(
    const QNetworkRequest &request, QByteArray verb, QIODevice *body, QObject *parent)
    : QNetworkReply(parent), m_verb(std::move(verb)), m_body(body)
{
    setRequest(request);
    setUrl(request.url());
    setOperation(QNetworkAccessManager::CustomOperation);
    setAttribute(QNetworkRequest::CustomVerbAttribute, m_verb);
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    m_bodySize = std::max<qint64>(0, body->size() - body->pos());
    // Like QNAM's replies, nothing happens before the caller is back in its event loop.
    QTimer::singleShot(0, this, &UploadReply::connectToServer);
}

UploadReply::~UploadReply()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
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
    connect(m_socket, &QAbstractSocket::readyRead, this, &UploadReply::onReadyRead);
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

    const quint16 port = quint16(target.port(tls ? 443 : 80));
#if QT_CONFIG(ssl)
    if (auto *socket = qobject_cast<QSslSocket *>(m_socket))
        socket->connectToHostEncrypted(target.host(), port);
    else
#endif
        m_socket->connectToHost(target.host(), port);
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
    const QUrl target = url();
    QByteArray path = target.path(QUrl::FullyEncoded).toLatin1();
    if (path.isEmpty())
        path = "/";
    if (target.hasQuery())
        path += '?' + target.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = target.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (target.port() != -1 && target.port() != (isHttps(target) ? 443 : 80))
        host += ':' + QByteArray::number(target.port());
    if (m_verb.isEmpty() || hasLineBreak(m_verb) || m_verb.contains(' '))
        return {};
    QByteArray head = m_verb + ' ' + path + " HTTP/1.1\r\nHost: " + host + "\r\n";
    const QNetworkRequest &req = request();
    for (const QByteArray &name : req.rawHeaderList()) {
        const QByteArray lower = name.toLower();
        if (lower == "host" || lower == "connection" || lower == "content-length"
            || lower == "transfer-encoding")
            continue;
        const QByteArray value = req.rawHeader(name);
        if (hasLineBreak(name) || hasLineBreak(value))
            return {};
        head += name + ": " + value + "\r\n";
    }
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

void UploadReply::sendMore()
{
#if QT_CONFIG(ssl)
    if (auto *socket = qobject_cast<QSslSocket *>(m_socket); socket && !socket->isEncrypted())
        return;
#endif
    while (!m_done && m_queued < m_bodySize && unsent() < kHighWater) {
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

void UploadReply::onReadyRead()
{
    if (m_done || m_answered)
        return;
    m_in.append(m_socket->readAll());
    if (!m_headDone && !parseHead()) {
        if (!m_done && m_in.size() > kMaxHead)
            failWith(ProtocolFailure, QStringLiteral("The response head is over 1 MiB."));
        return;
    }
    parseBody();
}

bool UploadReply::parseHead()
{
    while (!m_done) {
        // The head ends at an empty line; lines end in CRLF, or LF from lax servers.
        const qsizetype crlf = m_in.indexOf("\r\n\r\n");
        const qsizetype lf = m_in.indexOf("\n\n");
        if (crlf < 0 && lf < 0)
            return false;
        const bool byCrlf = crlf >= 0 && (lf < 0 || crlf < lf);
        const qsizetype end = byCrlf ? crlf : lf;
        const QList<QByteArray> lines = m_in.left(end).split('\n');
        m_in.remove(0, end + (byCrlf ? 4 : 2));
        const QByteArray statusLine = lines.front().trimmed();
        const QList<QByteArray> fields = statusLine.split(' ');
        bool ok = false;
        const int status = fields.size() >= 2 ? fields[1].toInt(&ok) : 0;
        if (!statusLine.startsWith("HTTP/1.") || !ok || status < 100 || status > 999) {
            failWith(ProtocolFailure,
                QStringLiteral("The server's answer is not HTTP/1.x: '%1'")
                    .arg(QString::fromLatin1(statusLine.left(80))));
            return false;
        }
        if (status < 200 && status != 101)
            continue; // 100 Continue and other interim answers
        QList<QPair<QByteArray, QByteArray>> headers;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed();
            const QByteArray value = line.mid(colon + 1).trimmed();
            auto same = std::find_if(headers.begin(), headers.end(), [&](const auto &header) {
                return header.first.compare(name, Qt::CaseInsensitive) == 0;
            });
            if (same == headers.end())
                headers.append({ name, value });
            else
                same->second += ", " + value;
        }
        for (const auto &[name, value] : std::as_const(headers))
            setRawHeader(name, value);
        setAttribute(QNetworkRequest::HttpStatusCodeAttribute, status);
        setAttribute(QNetworkRequest::HttpReasonPhraseAttribute,
            QString::fromLatin1(fields.mid(2).join(' ')));
        if (status == 204 || status == 304) {
            m_contentLength = 0;
        } else if (rawHeader("Transfer-Encoding").toLower().contains("chunked")) {
            m_chunked = true;
        } else if (hasRawHeader("Content-Length")) {
            // Repeated fields were joined: "10, 10" is one length, "10, 12" none.
            const QList<QByteArray> lengths = rawHeader("Content-Length").split(',');
            m_contentLength = lengths.front().trimmed().toLongLong(&ok);
            for (const QByteArray &other : lengths)
                ok = ok && other.trimmed().toLongLong() == m_contentLength;
            if (!ok || m_contentLength < 0) {
                failWith(ProtocolFailure, QStringLiteral("The response has an invalid "
                                                         "Content-Length."));
                return false;
            }
        } else {
            m_untilClose = true;
        }
        m_headDone = true;
        emit metaDataChanged();
        return !m_done;
    }
    return false;
}

void UploadReply::parseBody()
{
    if (m_done || !m_headDone)
        return;
    if (m_untilClose) {
        if (!m_in.isEmpty())
            bodyBytes(m_in.constData(), m_in.size());
        m_in.clear();
        return;
    }
    if (!m_chunked) {
        const qint64 n = std::min<qint64>(m_contentLength - m_received, m_in.size());
        if (n > 0)
            bodyBytes(m_in.constData(), n);
        m_in.remove(0, n);
        if (m_received == m_contentLength)
            complete();
        return;
    }
    // Chunked: "<hex size>[;ext]\r\n<bytes>\r\n" ... "0\r\n" trailers "\r\n".
    while (!m_done) {
        if (m_chunk == Chunk::Data) {
            const qint64 n = std::min<qint64>(m_chunkLeft, m_in.size());
            if (n == 0)
                return;
            bodyBytes(m_in.constData(), n);
            m_in.remove(0, n);
            m_chunkLeft -= n;
            if (m_chunkLeft == 0)
                m_chunk = Chunk::DataEnd;
            continue;
        }
        const qsizetype eol = m_in.indexOf("\r\n");
        if (eol < 0) {
            if (m_in.size() > kMaxLine)
                failWith(ProtocolFailure, QStringLiteral("A chunk line of the response is too long."));
            return;
        }
        const QByteArray line = m_in.left(eol);
        m_in.remove(0, eol + 2);
        switch (m_chunk) {
        case Chunk::DataEnd:
            if (!line.isEmpty()) {
                failWith(ProtocolFailure, QStringLiteral("A response chunk is longer than its size."));
                return;
            }
            m_chunk = Chunk::Size;
            break;
        case Chunk::Trailers:
            if (line.isEmpty())
                complete();
            break;
        case Chunk::Size:
        case Chunk::Data: {
            bool ok = false;
            m_chunkLeft = line.split(';').front().trimmed().toLongLong(&ok, 16);
            if (!ok || m_chunkLeft < 0) {
                failWith(ProtocolFailure, QStringLiteral("A chunk size of the response is invalid."));
                return;
            }
            m_chunk = m_chunkLeft == 0 ? Chunk::Trailers : Chunk::Data;
            break;
        }
        }
    }
}

void UploadReply::bodyBytes(const char *data, qint64 size)
{
    m_out.append(data, size);
    m_received += size;
    emit readyRead();
    if (!m_done)
        emit downloadProgress(m_received, m_contentLength);
}

void UploadReply::complete()
{
    if (m_done || m_answered)
        return;
    m_answered = true;
    // An error answer ends the upload; a success answer before the whole body went out
    // still gets the rest of it (RFC 9112 9.5), then counts.
    const int status = attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 400 || m_requestSent)
        finishAnswered();
    else
        sendMore();
}

void UploadReply::finishAnswered()
{
    if (m_done)
        return;
    m_done = true;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort(); // Connection: close
    }
    setFinished(true);
    emit finished();
}

void UploadReply::failWith(NetworkError code, const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    setError(code, message);
    setFinished(true);
    emit errorOccurred(code);
    emit finished();
}

bool UploadReply::finishWithWhatIsLeft()
{
    m_in.append(m_socket->readAll());
    if (m_headDone || parseHead())
        parseBody();
    if (!m_done && m_headDone && m_untilClose)
        complete();
    if (!m_done && m_answered)
        finishAnswered(); // no connection left to send the rest of the body on
    return m_done;
}

void UploadReply::onDisconnected()
{
    if (m_done || finishWithWhatIsLeft())
        return;
    failWith(RemoteHostClosedError,
        m_headDone ? QStringLiteral("The server closed the connection before the response "
                                    "was complete.")
                   : QStringLiteral("The server closed the connection without an answer."));
}

void UploadReply::onSocketError()
{
    if (m_done)
        return;
    const QAbstractSocket::SocketError error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError) {
        onDisconnected();
        return;
    }
    // A reset after an early answer (a 413 while the body was still going): take the answer.
    if (!finishWithWhatIsLeft())
        failWith(replyError(error), m_socket->errorString());
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

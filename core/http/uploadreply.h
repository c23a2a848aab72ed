#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>

class QTcpSocket;

namespace tfjs {

// A QNetworkAccessManager whose http(s) requests with a body are answered by UploadReply;
// everything else goes to Qt's own HTTP backend. Qt's backend moves a request body from the
// caller's thread to its HTTP thread 16 KiB per queued round trip, which caps an upload of a
// large model at about a fifth of what the link carries (measured: 244 MiB/s on loopback
// where curl sends 1442 MiB/s); createRequest() is QNAM's hook for replies of one's own.
class UploadingAccessManager final : public QNetworkAccessManager
{
    Q_OBJECT

public:
    using QNetworkAccessManager::QNetworkAccessManager;
    // false: every request goes to Qt's backend.
    void setStreamUploads(bool on) { m_streamUploads = on; }

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request,
                                 QIODevice *outgoingData) override;

private:
    bool m_streamUploads = true;
};

// One HTTP/1.1 request with a body of known size (Content-Length), sent on the caller's
// thread over its own connection (Connection: close) in large writes straight from the body
// device, and its response read as QNAM's replies present it: status and reason attributes,
// headers, body bytes (Content-Length, chunked, or up to the close), uploadProgress for bytes
// the kernel took, sslErrors that ignoreSslErrors() can answer. An answer that arrives before
// the body is sent (a 413, say) ends the upload and is the result. No proxy, no cache, no
// cookies, no redirects: HttpSession follows redirects itself.
class UploadReply final : public QNetworkReply
{
    Q_OBJECT

public:
    UploadReply(const QNetworkRequest &request, QByteArray verb, QIODevice *body,
                QObject *parent = nullptr);
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
    void onWritten();
    void onReadyRead();
    void onSocketError();
    void onDisconnected();
    // The connection ends: parses what it left and finishes if that is an answer.
    bool finishWithWhatIsLeft();
    bool parseHead(); // false: not complete yet
    void parseBody();
    void bodyBytes(const char *data, qint64 size);
    void complete(); // the answer is complete
    void finishAnswered();
    void failWith(NetworkError code, const QString &message);

    QTcpSocket *m_socket = nullptr;
    QByteArray m_verb;
    QIODevice *m_body = nullptr;
    qint64 m_bodySize = 0;
    qint64 m_headSize = 0;   // of the request head
    qint64 m_handed = 0;     // head and body bytes handed to the socket
    qint64 m_queued = 0;     // body bytes handed to the socket
    qint64 m_sent = 0;       // body bytes the kernel took
    bool m_requestSent = false;
    bool m_answered = false; // the whole answer is in
    QByteArray m_in;         // response bytes not parsed yet
    QByteArray m_out;        // response body bytes not read yet
    bool m_headDone = false;
    bool m_chunked = false;
    bool m_untilClose = false;
    qint64 m_contentLength = -1;
    enum class Chunk { Size, Data, DataEnd, Trailers };
    Chunk m_chunk = Chunk::Size; // chunked: what comes next
    qint64 m_chunkLeft = 0; // chunked: bytes left in the current chunk
    qint64 m_received = 0;
    bool m_done = false;
};

} // namespace tfjs

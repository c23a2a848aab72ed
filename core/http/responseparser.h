#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace tfjs {

// Reads one HTTP/1.x response as its bytes arrive (RFC 9112): interim 1xx answers skipped,
// then the head (status, reason, fields; a repeated field joined with ", "; lines ending in
// CRLF or a lax LF), then the body framed by Transfer-Encoding: chunked (which wins over a
// Content-Length), Content-Length, none for 204 and 304, or else the end of the connection.
class ResponseParser
{
public:
    using Fields = QList<QPair<QByteArray, QByteArray>>;

    // Parses what it can of `bytes` after what came before. False once the response is not
    // HTTP it accepts (error() says why); bytes after a complete response are ignored.
    bool feed(const QByteArray &bytes);
    // The connection ended: a body framed by it is complete now. False if the response is
    // cut short (isComplete() stays false).
    bool connectionClosed();

    bool hasHead() const { return m_headDone; }
    bool isComplete() const { return m_complete; }
    QString error() const { return m_error; }

    int status() const { return m_status; }
    QByteArray reason() const { return m_reason; }
    const Fields &fields() const { return m_fields; }
    QByteArray field(QByteArrayView name) const; // "" when absent
    qint64 contentLength() const { return m_contentLength; } // -1: not given by the framing
    qint64 bodyReceived() const { return m_received; }
    // Body bytes parsed and not taken yet.
    QByteArray takeBody();

private:
    bool parseHead();
    bool parseBody();
    bool parseChunks();
    bool fail(const QString &why);
    void bodyBytes(qsizetype count);

    QByteArray m_in; // bytes not parsed yet
    QByteArray m_body;
    QString m_error;
    bool m_headDone = false;
    bool m_complete = false;
    int m_status = 0;
    QByteArray m_reason;
    Fields m_fields;
    enum class Framing { Length, Chunked, Close } m_framing = Framing::Close;
    qint64 m_contentLength = -1;
    qint64 m_received = 0;
    enum class Chunk { Size, Data, DataEnd, Trailers } m_chunk = Chunk::Size;
    qint64 m_chunkLeft = 0;
};

} // namespace tfjs

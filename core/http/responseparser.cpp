#include "responseparser.h"

#include <algorithm>

namespace tfjs {

namespace {

constexpr qsizetype kMaxHead = 1 << 20; // a longer response head is not HTTP we accept
constexpr qsizetype kMaxLine = 4096; // a chunk-size or trailer line

} // namespace

bool ResponseParser::feed(const QByteArray &bytes)
{
    if (!m_error.isEmpty())
        return false;
    if (m_complete)
        return true;
    m_in.append(bytes);
    if (!m_headDone && (!parseHead() || !m_headDone))
        return m_error.isEmpty();
    return parseBody();
}

bool ResponseParser::connectionClosed()
{
    if (m_error.isEmpty() && m_headDone && !m_complete && m_framing == Framing::Close)
        m_complete = true;
    return m_complete;
}

QByteArray ResponseParser::field(QByteArrayView name) const
{
    for (const auto &[key, value] : m_fields) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray ResponseParser::takeBody()
{
    return std::exchange(m_body, {});
}

bool ResponseParser::fail(const QString &why)
{
    m_error = why;
    return false;
}

bool ResponseParser::parseHead()
{
    while (true) {
        const qsizetype crlf = m_in.indexOf("\r\n\r\n");
        const qsizetype lf = m_in.indexOf("\n\n");
        if (crlf < 0 && lf < 0)
            return m_in.size() <= kMaxHead
                || fail(QStringLiteral("The response head is over 1 MiB."));
        const bool byCrlf = crlf >= 0 && (lf < 0 || crlf < lf);
        const qsizetype end = byCrlf ? crlf : lf;
        if (end > kMaxHead) // also when it came whole in one read
            return fail(QStringLiteral("The response head is over 1 MiB."));
        const QList<QByteArray> lines = m_in.left(end).split('\n');
        m_in.remove(0, end + (byCrlf ? 4 : 2));
        const QByteArray statusLine = lines.front().trimmed();
        const QList<QByteArray> words = statusLine.split(' ');
        bool ok = false;
        const int status = words.size() >= 2 ? words[1].toInt(&ok) : 0;
        if (!statusLine.startsWith("HTTP/1.") || !ok || status < 100 || status > 999)
            return fail(QStringLiteral("The server's answer is not HTTP/1.x: '%1'")
                            .arg(QString::fromLatin1(statusLine.left(80))));
        if (status < 200 && status != 101)
            continue; // 100 Continue and other interim answers
        m_status = status;
        m_reason = words.mid(2).join(' ');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed();
            const QByteArray value = line.mid(colon + 1).trimmed();
            auto same = std::find_if(m_fields.begin(), m_fields.end(),
                [&](const auto &f) { return f.first.compare(name, Qt::CaseInsensitive) == 0; });
            if (same == m_fields.end())
                m_fields.append({ name, value });
            else
                same->second += ", " + value;
        }
        if (status == 204 || status == 304) {
            m_framing = Framing::Length;
            m_contentLength = 0;
        } else if (field("Transfer-Encoding").toLower().contains("chunked")) {
            m_framing = Framing::Chunked;
        } else if (const QByteArray length = field("Content-Length"); !length.isEmpty()) {
            // Repeated fields were joined: "10, 10" is one length, "10, 12" none.
            const QList<QByteArray> lengths = length.split(',');
            m_contentLength = lengths.front().trimmed().toLongLong(&ok);
            for (const QByteArray &other : lengths)
                ok = ok && other.trimmed().toLongLong() == m_contentLength;
            if (!ok || m_contentLength < 0)
                return fail(QStringLiteral("The response has an invalid Content-Length."));
            m_framing = Framing::Length;
        }
        m_headDone = true;
        return true;
    }
}

void ResponseParser::bodyBytes(qsizetype count)
{
    m_body.append(m_in.constData(), count);
    m_in.remove(0, count);
    m_received += count;
}

bool ResponseParser::parseBody()
{
    switch (m_framing) {
    case Framing::Close:
        bodyBytes(m_in.size());
        return true;
    case Framing::Length:
        bodyBytes(qsizetype(std::min<qint64>(m_contentLength - m_received, m_in.size())));
        m_complete = m_received == m_contentLength;
        return true;
    case Framing::Chunked:
        return parseChunks();
    }
    return true;
}

// "<hex size>[;ext]\r\n<bytes>\r\n" ... "0\r\n" trailers "\r\n".
bool ResponseParser::parseChunks()
{
    while (!m_complete) {
        if (m_chunk == Chunk::Data) {
            const qsizetype n = qsizetype(std::min<qint64>(m_chunkLeft, m_in.size()));
            if (n == 0)
                return true;
            bodyBytes(n);
            m_chunkLeft -= n;
            if (m_chunkLeft == 0)
                m_chunk = Chunk::DataEnd;
            continue;
        }
        const qsizetype eol = m_in.indexOf("\r\n");
        if (eol < 0)
            return m_in.size() <= kMaxLine
                || fail(QStringLiteral("A chunk line of the response is too long."));
        const QByteArray line = m_in.left(eol);
        m_in.remove(0, eol + 2);
        switch (m_chunk) {
        case Chunk::DataEnd:
            if (!line.isEmpty())
                return fail(QStringLiteral("A response chunk is longer than its size."));
            m_chunk = Chunk::Size;
            break;
        case Chunk::Trailers:
            m_complete = line.isEmpty();
            break;
        case Chunk::Size:
        case Chunk::Data: {
            bool ok = false;
            m_chunkLeft = line.split(';').front().trimmed().toLongLong(&ok, 16);
            if (!ok || m_chunkLeft < 0)
                return fail(QStringLiteral("A chunk size of the response is invalid."));
            m_chunk = m_chunkLeft == 0 ? Chunk::Trailers : Chunk::Data;
            break;
        }
        }
    }
    return true;
}

} // namespace tfjs

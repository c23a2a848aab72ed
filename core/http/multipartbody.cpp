#include "multipartbody.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cstring>

namespace tfjs {

namespace {

QByteArray quoted(QByteArray value)
{
    // The HTML form-data encoding: " and line breaks are percent-escaped in names.
    value.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
    return '"' + value + '"';
}

} // namespace

MultipartBody::MultipartBody(QByteArray boundary, const std::vector<Part> &parts, QObject *parent)
    : QIODevice(parent), m_boundary(std::move(boundary))
{
    for (const Part &part : parts) {
        addBytes("--" + m_boundary + "\r\nContent-Disposition: form-data; name=" + quoted(part.name)
            + "; filename=" + quoted(part.filename) + "\r\nContent-Type: " + part.contentType
            + "\r\n\r\n");
        for (const WeightData::Segment &segment : part.content.segments()) {
            if (segment.size == 0)
                continue;
            m_pieces.push_back({ m_size, segment });
            m_size += segment.size;
        }
        addBytes("\r\n");
    }
    addBytes("--" + m_boundary + "--\r\n");
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

QByteArray MultipartBody::makeBoundary()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray boundary = "----tfjsFormBoundary";
    for (int i = 0; i < 24; ++i)
        boundary += alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet) - 1)];
    return boundary;
}

QByteArray MultipartBody::contentType() const
{
    return "multipart/form-data; boundary=" + m_boundary;
}

void MultipartBody::addBytes(QByteArray bytes)
{
    const qint64 size = bytes.size();
    m_pieces.push_back({ m_size, WeightData::fromBytes(std::move(bytes)).segments().front() });
    m_size += size;
}

bool MultipartBody::seek(qint64 pos)
{
    if (pos < 0 || pos > m_size)
        return false;
    return QIODevice::seek(pos);
}

qint64 MultipartBody::readData(char *data, qint64 maxSize)
{
    qint64 at = pos();
    qint64 done = 0;
    auto it = std::upper_bound(m_pieces.begin(), m_pieces.end(), at,
        [](qint64 value, const Piece &piece) { return value < piece.start; });
    if (it != m_pieces.begin())
        --it;
    for (; it != m_pieces.end() && done < maxSize; ++it) {
        const WeightData::Segment &segment = it->segment;
        if (at >= it->start + segment.size)
            continue;
        const qint64 inPiece = at - it->start;
        const qint64 n = std::min(maxSize - done, segment.size - inPiece);
        if (segment.file.isEmpty()) {
            std::memcpy(data + done, segment.bytes.constData() + inPiece, std::size_t(n));
        } else {
            const qint64 fileAt = segment.offset + inPiece;
            if (m_file.fileName() != segment.file || !m_file.isOpen()) {
                m_file.close();
                m_file.setFileName(segment.file);
                if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
                    return failRead(WeightData::readError(segment, fileAt, m_file.errorString()), done);
            }
            qint64 got = -1;
            if (m_file.pos() == fileAt || m_file.seek(fileAt))
                got = m_file.read(data + done, n);
            if (got != n)
                return failRead(WeightData::readError(segment, fileAt + std::max<qint64>(got, 0),
                                    got < 0 ? m_file.errorString()
                                            : QStringLiteral("the file ends before byte %1")
                                                  .arg(fileAt + n)),
                    done);
        }
        done += n;
        at += n;
    }
    return done;
}

qint64 MultipartBody::failRead(const Error &error, qint64 done)
{
    setErrorString(error.message);
    emit readFailed(error);
    return done > 0 ? done : -1;
}

qint64 MultipartBody::writeData(const char *, qint64)
{
    return -1;
}

} // namespace tfjs

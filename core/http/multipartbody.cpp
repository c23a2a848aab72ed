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
            Piece piece;
            piece.start = m_size;
            piece.size = segment.size;
            piece.bytes = segment.bytes;
            piece.file = segment.file;
            piece.fileOffset = segment.offset;
            piece.label = segment.label;
            m_pieces.push_back(std::move(piece));
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

void MultipartBody::addBytes(QByteArray bytes, QString label)
{
    Piece piece;
    piece.start = m_size;
    piece.size = bytes.size();
    piece.bytes = std::move(bytes);
    piece.label = std::move(label);
    m_size += piece.size;
    m_pieces.push_back(std::move(piece));
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
        const Piece &piece = *it;
        if (at >= piece.start + piece.size)
            continue;
        const qint64 inPiece = at - piece.start;
        const qint64 n = std::min(maxSize - done, piece.size - inPiece);
        if (piece.file.isEmpty()) {
            std::memcpy(data + done, piece.bytes.constData() + inPiece, std::size_t(n));
        } else {
            if (m_file.fileName() != piece.file || !m_file.isOpen()) {
                m_file.close();
                m_file.setFileName(piece.file);
                if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
                    Error error { ErrorCode::Io,
                        QStringLiteral("Cannot read weight file '%1': %2")
                            .arg(piece.file, m_file.errorString()) };
                    error.path = piece.file;
                    error.shard = piece.label;
                    m_error = error;
                    setErrorString(error.message);
                    return done > 0 ? done : -1;
                }
            }
            const qint64 fileAt = piece.fileOffset + inPiece;
            qint64 got = -1;
            if (m_file.pos() == fileAt || m_file.seek(fileAt))
                got = m_file.read(data + done, n);
            if (got != n) {
                Error error { ErrorCode::Io,
                    QStringLiteral("Cannot read weight file '%1': %2")
                        .arg(piece.file,
                            got < 0
                                ? m_file.errorString()
                                : QStringLiteral("the file ends before byte %1").arg(fileAt + n)) };
                error.path = piece.file;
                error.shard = piece.label;
                error.offset = fileAt + std::max<qint64>(got, 0);
                m_error = error;
                setErrorString(error.message);
                return done > 0 ? done : -1;
            }
        }
        done += n;
        at += n;
    }
    return done;
}

qint64 MultipartBody::writeData(const char *, qint64)
{
    return -1;
}

} // namespace tfjs

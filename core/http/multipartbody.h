#pragma once

#include "base/error.h"
#include "io/weightdata.h"

#include <QFile>
#include <QIODevice>

#include <vector>

namespace tfjs {

// A multipart/form-data body (RFC 7578, laid out as fetch()'s FormData writes it) that reads
// its parts lazily: the part headers are built up front, the contents come from WeightData
// segments (files are read when QNetworkAccessManager asks for the bytes), so uploading a
// large model does not hold its weights in memory. Random access, so a 307/308 redirect can
// send it again. Lives and is read on one thread.
class MultipartBody final : public QIODevice
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MultipartBody)

public:
    struct Part
    {
        QByteArray name;
        QByteArray filename;
        QByteArray contentType;
        WeightData content;
    };

    MultipartBody(QByteArray boundary, const std::vector<Part> &parts, QObject *parent = nullptr);

    // A random boundary of the form "----tfjsFormBoundary<24 letters and digits>".
    static QByteArray makeBoundary();
    // "multipart/form-data; boundary=<boundary>"
    QByteArray contentType() const;
    QByteArray boundary() const { return m_boundary; }

    bool isSequential() const override { return false; }
    qint64 size() const override { return m_size; }
    bool seek(qint64 pos) override;

signals:
    // A read failed (a weight file missing or shorter than described): QIODevice's read()
    // can only return -1, so the reason comes here, while the read happens.
    void readFailed(const tfjs::Error &error);

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    struct Piece
    {
        qint64 start = 0; // in the body
        WeightData::Segment segment; // bytes, or a range of a file
    };
    void addBytes(QByteArray bytes);
    qint64 failRead(const Error &error, qint64 done);

    QByteArray m_boundary;
    std::vector<Piece> m_pieces;
    qint64 m_size = 0;
    QFile m_file; // the file of the piece last read
};

} // namespace tfjs

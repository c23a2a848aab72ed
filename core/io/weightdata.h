#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace tfjs {

class JobContext;
class SpoolFile;

// The concatenated weight bytes of a model, without necessarily holding them: a list of
// segments, each a byte range of a file or bytes in memory. Copies share the segments.
// Handlers that load from disk describe shards as file segments, so `info` reads no weight
// bytes and `copy` can stream.
class WeightData
{
public:
    struct Segment
    {
        QString file;      // empty: the segment is `bytes`
        qint64 offset = 0; // into file
        qint64 size = 0;
        QByteArray bytes;
        QString label;     // shard path as written in the manifest, for error messages
        std::shared_ptr<SpoolFile> spool; // keeps `file` (a downloaded spool, a held file) alive

        // What messages call it: the file, or for bytes and downloads the shard's name.
        QString name() const;
        // The file as a user can find it (a held file's SpoolFile::shownAs()): empty for
        // bytes, downloads and files held without a name to show.
        QString userPath() const;
    };

    WeightData() = default;
    static WeightData fromBytes(QByteArray bytes, QString label = {});
    // "Cannot read weight file '<file>': <why>", naming the file, shard and byte offset `at`.
    static Error readError(const Segment &segment, qint64 at, const QString &why);

    void appendFile(QString file, qint64 offset, qint64 size, QString label);
    void appendBytes(QByteArray bytes, QString label);
    // A byte range of a spool file (downloaded weights), kept alive by this data.
    void appendSpool(std::shared_ptr<SpoolFile> spool, qint64 offset, qint64 size, QString label);
    // The spool file when the data is exactly that whole file, in order; else null. A save
    // can then name the file instead of copying it.
    std::shared_ptr<SpoolFile> wholeSpool() const;

    // The bytes [offset, offset + size) of the concatenation as data of their own, sharing
    // the files and bytes (nothing is read); clamped to the data.
    WeightData slice(qint64 offset, qint64 size) const;
    // Appends the segments of `other` (shared, not read).
    void append(const WeightData &other);

    bool isEmpty() const { return size() == 0; }
    qint64 size() const;
    const std::vector<Segment> &segments() const;

    // Pushes the bytes in order in chunks of at most `chunkSize` to `sink`; a sink returning
    // false stops the walk (the result is then cancelledError()). Checks `ctx` for cancellation
    // and reports progress in bytes between chunks when given. A file that is shorter than
    // its segment, missing or unreadable is an error naming the file and offset.
    using Sink = std::function<bool(const char *data, qint64 size)>;
    [[nodiscard]] Result<void> read(const Sink &sink, JobContext *ctx = nullptr,
                      qint64 chunkSize = 4 << 20) const;

    // Reads `size` bytes starting at `offset` of the concatenation.
    [[nodiscard]] Result<QByteArray> readRange(qint64 offset, qint64 size) const;
    // All bytes in one buffer (use for small models or when a buffer is needed anyway).
    [[nodiscard]] Result<QByteArray> readAll(JobContext *ctx = nullptr) const;

private:
    std::shared_ptr<std::vector<Segment>> m_segments;
};

} // namespace tfjs

#pragma once

#include "browser/snappydecode.h"
#include "browser/valueinput.h"

#include <QByteArray>

#include <functional>

namespace tfjs {

// A file in snappy framing (Firefox's external IndexedDB values) as a value input. The file is
// mapped and held open; its chunks are indexed, not uncompressed. bytes() is a buffer of the
// uncompressed size whose chunks are filled in only when the decoder reads them (need()), so
// the chunks of big ArrayBuffers, which the decoder skips, stay unread: a reference to them
// becomes segments of the file where the chunks are stored uncompressed, and bytes where they
// are compressed.
class FramedValueInput final : public ValueInput
{
public:
    // `what` names the file in messages.
    [[nodiscard]] static Result<std::unique_ptr<FramedValueInput>> open(const QString &path,
                                                                        const QString &what);

    Result<void> need(qint64 offset, qint64 size) override;
    // Where a reference of kSpoolMinimum bytes or more is uncompressed to: an unnamed file
    // (SpoolFile) in this folder (empty: the system's temporary folder), through a small
    // buffer, so the weights take no memory and a save on the same file system names the file
    // instead of copying it (LoadOptions::spoolFolder). Smaller ones, or when no file can be
    // made, become bytes.
    void setSpoolFolder(const QString &folder) { m_spoolFolder = folder; }
    static constexpr qint64 kSpoolMinimum = 4 << 20;

private:
    FramedValueInput() : ValueInput({}) {}
    Result<void> appendRange(Range range, WeightData &out, const QString &label) override;
    // The chunks that hold [offset, offset + size) of the uncompressed bytes.
    std::pair<size_t, size_t> chunksOf(qint64 offset, qint64 size) const;
    // `take(chunk index, from, to)` for each chunk's part of the range, in order; stops at the
    // first error.
    Result<void> forEachPart(Range range,
                             const std::function<Result<void>(size_t, qint64, qint64)> &take) const;
    // Bytes [from, to) of chunk `index` into `out`: uncompressed straight from the file when
    // the chunk is whole and not yet in the buffer, else through the buffer.
    Result<void> copyChunk(size_t index, qint64 from, qint64 to, char *out);
    // The range uncompressed into a new spool file; null when none can be made.
    Result<std::shared_ptr<SpoolFile>> spoolRange(Range range);

    QString m_path;
    QString m_spoolFolder;
    std::unique_ptr<MappedFile> m_file;
    QByteArrayView m_framed;
    std::vector<SnappyChunk> m_chunks;
    std::vector<bool> m_filled;
    QByteArray m_buffer;
};

} // namespace tfjs

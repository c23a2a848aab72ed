#pragma once

#include "browser/snappydecode.h"
#include "browser/valueinput.h"

#include <QByteArray>

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

private:
    FramedValueInput() : ValueInput({}) {}
    Result<void> appendRange(Range range, WeightData &out, const QString &label) override;
    // The chunks that hold [offset, offset + size) of the uncompressed bytes.
    std::pair<size_t, size_t> chunksOf(qint64 offset, qint64 size) const;

    QString m_path;
    std::unique_ptr<MappedFile> m_file;
    QByteArrayView m_framed;
    std::vector<SnappyChunk> m_chunks;
    std::vector<bool> m_filled;
    QByteArray m_buffer;
};

} // namespace tfjs

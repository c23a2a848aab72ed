#include "browser/framedvalueinput.h"

#include "browser/browsererror.h"
#include "io/spoolfile.h"
#include "io/weightdata.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <limits>

namespace tfjs {

Result<std::unique_ptr<FramedValueInput>> FramedValueInput::open(const QString &path,
                                                                 const QString &what)
{
    auto file = MappedFile::open(path, what);
    if (!file)
        return fail(file.error());
    std::unique_ptr<FramedValueInput> input(new FramedValueInput);
    input->m_path = path;
    input->m_file = std::move(*file);
    input->m_framed = input->m_file->bytes();
    auto chunks = snappyFrameChunks(input->m_framed, path);
    if (!chunks)
        return fail(chunks.error());
    input->m_chunks = std::move(*chunks);
    input->m_filled.assign(input->m_chunks.size(), false);
    const qint64 total = input->m_chunks.empty()
                             ? 0
                             : input->m_chunks.back().out + input->m_chunks.back().outSize;
    // Pages of the buffer that are never filled are never touched, so never take memory.
    input->m_buffer = QByteArray(qsizetype(total), Qt::Uninitialized);
    input->setBytes(input->m_buffer, true);
    return input;
}

std::pair<size_t, size_t> FramedValueInput::chunksOf(qint64 offset, qint64 size) const
{
    const auto after = [](qint64 at, const SnappyChunk &chunk) { return at < chunk.out + chunk.outSize; };
    const auto first = std::upper_bound(m_chunks.begin(), m_chunks.end(), offset, after);
    const auto last = std::upper_bound(first, m_chunks.end(), offset + size - 1, after);
    return {size_t(first - m_chunks.begin()),
            std::min(size_t(last - m_chunks.begin()) + 1, m_chunks.size())};
}

Result<void> FramedValueInput::need(qint64 offset, qint64 size)
{
    if (size <= 0)
        return {};
    const auto [first, end] = chunksOf(offset, size);
    for (size_t i = first; i < end; ++i) {
        if (m_filled[i])
            continue;
        const SnappyChunk &chunk = m_chunks[i];
        if (auto into = snappyChunkInto(m_framed, chunk, m_buffer.data() + chunk.out, m_path);
            !into)
            return into;
        m_filled[i] = true;
    }
    return {};
}

Result<void> FramedValueInput::forEachPart(
    Range range, const std::function<Result<void>(size_t, qint64, qint64)> &take) const
{
    const auto [first, end] = chunksOf(range.offset, range.size);
    const qint64 stop = range.offset + range.size;
    for (size_t i = first; i < end; ++i) {
        const SnappyChunk &chunk = m_chunks[i];
        const qint64 from = std::max(range.offset, chunk.out);
        const qint64 to = std::min(stop, chunk.out + chunk.outSize);
        if (to > from)
            if (auto taken = take(i, from, to); !taken)
                return taken;
    }
    return {};
}

Result<void> FramedValueInput::copyChunk(size_t index, qint64 from, qint64 to, char *out)
{
    const SnappyChunk &chunk = m_chunks[index];
    if (!m_filled[index] && from == chunk.out && to == chunk.out + chunk.outSize)
        return snappyChunkInto(m_framed, chunk, out, m_path);
    if (auto ready = need(from, to - from); !ready)
        return ready;
    std::memcpy(out, m_buffer.constData() + from, size_t(to - from));
    return {};
}

Result<std::shared_ptr<SpoolFile>> FramedValueInput::spoolRange(Range range)
{
    auto made = SpoolFile::create(m_spoolFolder);
    if (!made && !m_spoolFolder.isEmpty())
        made = SpoolFile::create();
    if (!made)
        return std::shared_ptr<SpoolFile>();
    const std::shared_ptr<SpoolFile> &spool = *made;
    // Chunk by chunk through one buffer that stays in the processor's cache.
    QByteArray buffer(qsizetype(std::min(range.size, qint64(1) << 20)), Qt::Uninitialized);
    qsizetype held = 0;
    qint64 written = 0;
    const auto flush = [&]() -> Result<void> {
        if (auto ok = spool->writeAt(written, buffer.constData(), held); !ok)
            return ok;
        written += held;
        held = 0;
        return {};
    };
    auto copied = forEachPart(range, [&](size_t i, qint64 from, qint64 to) -> Result<void> {
        if (buffer.size() - held < to - from)
            if (auto ok = flush(); !ok)
                return ok;
        if (auto ok = copyChunk(i, from, to, buffer.data() + held); !ok)
            return ok;
        held += qsizetype(to - from);
        return {};
    });
    if (!copied)
        return fail(copied.error());
    if (auto ok = flush(); !ok)
        return fail(ok.error());
    return spool;
}

Result<void> FramedValueInput::appendRange(Range range, WeightData &out, const QString &label)
{
    if (range.size <= 0)
        return {};
    if (range.size >= kSpoolMinimum) {
        auto spool = spoolRange(range);
        if (!spool)
            return fail(spool.error());
        if (*spool) {
            out.appendSpool(*spool, 0, range.size, label);
            return {};
        }
    }
    // Chunks are uncompressed straight into pieces of up to kPiece bytes (Firefox writes every
    // chunk compressed, even random weights), not into the buffer and then copied.
    constexpr qint64 kPiece = 4 << 20;
    QByteArray piece;
    const auto flush = [&] {
        if (!piece.isEmpty())
            out.appendBytes(std::exchange(piece, {}), label);
    };
    const qint64 stop = range.offset + range.size;
    auto copied = forEachPart(range, [&](size_t i, qint64 from, qint64 to) -> Result<void> {
        const SnappyChunk &chunk = m_chunks[i];
        if (!chunk.compressed) {
            flush();
            out.appendSpool(m_file->held(), chunk.in + (from - chunk.out), to - from, label);
            return {};
        }
        if (piece.isEmpty())
            piece.reserve(qsizetype(std::min(kPiece, stop - from)));
        const qsizetype at = piece.size();
        piece.resize(at + qsizetype(to - from));
        if (auto ok = copyChunk(i, from, to, piece.data() + at); !ok)
            return ok;
        if (piece.size() >= kPiece)
            flush();
        return {};
    });
    flush();
    return copied;
}

} // namespace tfjs

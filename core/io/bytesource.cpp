#include "bytesource.h"

#include <QFile>

#include <algorithm>
#include <cstring>

namespace tfjs {

namespace {

// A mapped (or, where mapping is refused, read) range of a file.
struct FileRange
{
    QFile file;
    uchar *mapped = nullptr;
    QByteArray copy;

    ~FileRange()
    {
        if (mapped)
            file.unmap(mapped);
    }
};

const char kEmpty[1] = {0};

} // namespace

ByteSource::ByteSource(WeightData data) : m_data(std::move(data))
{
    for (const WeightData::Segment &segment : m_data.segments()) {
        m_starts.push_back(m_size);
        m_size += segment.size;
    }
}

std::size_t ByteSource::segmentAt(qint64 offset) const
{
    // The last segment starting at or before offset, skipping empty segments.
    const auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
    std::size_t index = std::size_t(it - m_starts.begin());
    index = index == 0 ? 0 : index - 1;
    const auto &segments = m_data.segments();
    while (index + 1 < segments.size() && m_starts[index] + segments[index].size <= offset)
        ++index;
    return index;
}

qint64 ByteSource::segmentEnd(qint64 offset) const
{
    if (offset >= m_size || m_starts.empty())
        return m_size;
    const std::size_t index = segmentAt(offset);
    return m_starts[index] + m_data.segments()[index].size;
}

std::vector<qint64> ByteSource::boundariesIn(qint64 begin, qint64 end) const
{
    std::vector<qint64> cuts;
    for (qint64 at = segmentEnd(begin); at < end; at = segmentEnd(at))
        cuts.push_back(at);
    return cuts;
}

Result<ByteSource::View> ByteSource::segmentView(std::size_t index, qint64 from, qint64 size) const
{
    const WeightData::Segment &segment = m_data.segments()[index];
    if (segment.file.isEmpty())
        return View{segment.bytes.constData() + from, size, {}};
    auto range = std::make_shared<FileRange>();
    range->file.setFileName(segment.file);
    const qint64 at = segment.offset + from;
    if (!range->file.open(QIODevice::ReadOnly))
        return fail(WeightData::readError(segment, at, range->file.errorString()));
    // Mapping past the end of a file that shrank since loading would fault on access.
    if (range->file.size() < segment.offset + segment.size) {
        return fail(WeightData::readError(segment, range->file.size(),
                              QStringLiteral("the file ends at byte %1, %2 bytes expected")
                                  .arg(range->file.size())
                                  .arg(segment.offset + segment.size)));
    }
    range->mapped = range->file.map(at, size);
    if (range->mapped) {
        const char *data = reinterpret_cast<const char *>(range->mapped);
        return View{data, size, std::move(range)};
    }
    if (!range->file.seek(at))
        return fail(WeightData::readError(segment, at, range->file.errorString()));
    range->copy = range->file.read(size);
    if (range->copy.size() != size)
        return fail(WeightData::readError(segment, at + range->copy.size(),
                              QStringLiteral("the file is shorter than expected")));
    const char *data = range->copy.constData();
    return View{data, size, std::move(range)};
}

Result<ByteSource::View> ByteSource::view(qint64 offset, qint64 size) const
{
    if (offset < 0 || size < 0 || offset > m_size || size > m_size - offset)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Byte range %1+%2 is outside the %3 bytes of weight data")
                        .arg(offset)
                        .arg(size)
                        .arg(m_size));
    if (size == 0)
        return View{kEmpty, 0, {}};
    std::size_t index = segmentAt(offset);
    const auto &segments = m_data.segments();
    qint64 inSegment = offset - m_starts[index];
    if (inSegment + size <= segments[index].size)
        return segmentView(index, inSegment, size);

    auto copy = std::make_shared<QByteArray>();
    copy->resize(size);
    qint64 done = 0;
    while (done < size) {
        const qint64 n = std::min(size - done, segments[index].size - inSegment);
        if (n > 0) {
            auto part = segmentView(index, inSegment, n);
            if (!part)
                return fail(part.error());
            std::memcpy(copy->data() + done, part->data, std::size_t(n));
            done += n;
        }
        ++index;
        inSegment = 0;
    }
    const char *data = copy->constData();
    return View{data, size, std::move(copy)};
}

} // namespace tfjs

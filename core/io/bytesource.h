#pragma once

#include "base/error.h"
#include "weightdata.h"

#include <memory>
#include <vector>

namespace tfjs {

// Read-only random access to the concatenated bytes of a WeightData, for workers that each
// look at their own range. A range inside one segment is handed out without copying (a memory
// map of the file range, or the segment's own bytes); a range across segments is copied.
// Thread-safe: views share nothing mutable.
class ByteSource
{
public:
    struct View
    {
        const char *data = nullptr;
        qint64 size = 0;
        std::shared_ptr<const void> owner; // keeps the mapping or copy alive
    };

    explicit ByteSource(WeightData data);

    qint64 size() const { return m_size; }
    // Where the segment holding byte `offset` ends (in the concatenation); size() past the end.
    qint64 segmentEnd(qint64 offset) const;
    // Segment boundaries strictly inside (begin, end), in order.
    std::vector<qint64> boundariesIn(qint64 begin, qint64 end) const;

    // The bytes [offset, offset + size). A file shorter than its segment, missing or
    // unreadable is an ErrorCode::Io error naming the file, shard and offset.
    [[nodiscard]] Result<View> view(qint64 offset, qint64 size) const;

private:
    std::size_t segmentAt(qint64 offset) const;
    [[nodiscard]] Result<View> segmentView(std::size_t index, qint64 from, qint64 size) const;

    WeightData m_data;
    std::vector<qint64> m_starts; // start of each segment in the concatenation
    qint64 m_size = 0;
};

} // namespace tfjs

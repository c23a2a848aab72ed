#include "weightlayout.h"

#include "io/bytesource.h"
#include "base/job.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace tfjs {

namespace {

constexpr qint64 kPrefixBytes = 4; // TF.js NUM_BYTES_STRING_LENGTH
constexpr qint64 kWindowBytes = 1 << 20;

QString bytesText(qint64 count)
{
    return count == 1 ? QStringLiteral("1 byte") : QStringLiteral("%1 bytes").arg(count);
}

// Builds the errors of one check: the same subject, end-of-data note and location fields.
class Problems
{
public:
    Problems(const WeightData &data, const QString &where, qint64 firstOffset)
        : m_data(data), m_where(where), m_first(firstOffset)
    { }

    // A tensor that needs `need` bytes from `start` (a minimum for strings not yet walked).
    Error cutShort(const WeightSpec &spec, qint64 start, qint64 need, bool minimum) const
    {
        const QString what = minimum
            ? QStringLiteral("string tensor '%1' starts at byte %2 and needs at least %3, "
                             "a 4-byte length prefix for each of its %4 elements")
                  .arg(name(spec), at(start), bytesText(need), QString::number(spec.elementCount()))
            : QStringLiteral("tensor '%1' starts at byte %2 and needs %3")
                  .arg(name(spec), at(start), bytesText(need));
        return error(false, what, &spec, start);
    }
    Error missingPrefix(
        const WeightSpec &spec, qint64 start, std::int64_t element, qint64 pos) const
    {
        return error(false,
            QStringLiteral("string element %1 of tensor '%2' (which starts at byte %3) "
                           "needs a 4-byte length prefix at byte %4")
                .arg(QString::number(element), name(spec), at(start), at(pos)),
            &spec, pos);
    }
    Error prefixPastEnd(
        const WeightSpec &spec, qint64 start, std::int64_t element, qint64 pos, qint64 length) const
    {
        return error(false,
            QStringLiteral("the length prefix of string element %1 of tensor '%2' (which "
                           "starts at byte %3) at byte %4 says %5, which would end at "
                           "byte %6")
                .arg(QString::number(element), name(spec), at(start), at(pos), bytesText(length),
                    at(pos + kPrefixBytes + length)),
            &spec, pos);
    }
    Error trailing(const std::vector<WeightSpec> &specs, qint64 end) const
    {
        if (specs.empty())
            return error(true, QStringLiteral("the specs list no tensors"), nullptr, end);
        const qint64 extra = m_data.size() - end;
        return error(true,
            QStringLiteral("%1 %2 the last tensor '%3', which ends at byte %4")
                .arg(bytesText(extra),
                    extra == 1 ? QStringLiteral("follows") : QStringLiteral("follow"),
                    name(specs.back()), at(end)),
            &specs.back(), end);
    }

private:
    // With several shards, what each one held: a shard cut short on the way (a lying
    // Content-Length, broken chunking) shows as the odd one, not as the last shard's end.
    // Beyond a few shards, those whose size differs from the first's, and the last.
    static QString shardSizes(const std::vector<WeightData::Segment> &segments)
    {
        constexpr std::size_t kListed = 8;
        const auto unnamed = [](const WeightData::Segment &s) { return s.label.isEmpty() && s.name().isEmpty(); };
        if (segments.size() < 2 || std::any_of(segments.begin(), segments.end(), unnamed))
            return {};
        const auto label = [](const WeightData::Segment &s) {
            return s.label.isEmpty() ? s.name() : s.label;
        };
        QStringList parts;
        if (segments.size() <= kListed) {
            for (const WeightData::Segment &segment : segments)
                parts << QStringLiteral("%1 %2").arg(label(segment), bytesText(segment.size));
            return QStringLiteral(" (shards: %1)").arg(parts.join(QStringLiteral(", ")));
        }
        const qint64 common = segments.front().size;
        for (std::size_t i = 1; i + 1 < segments.size(); ++i) {
            if (segments[i].size != common)
                parts << QStringLiteral("%1 %2").arg(label(segments[i]), bytesText(segments[i].size));
        }
        parts << QStringLiteral("the last, %1, %2").arg(label(segments.back()), bytesText(segments.back().size));
        return QStringLiteral(" (%1 shards of %2 each, except %3)")
            .arg(segments.size())
            .arg(bytesText(common), parts.join(QStringLiteral(", ")));
    }

    static QString name(const WeightSpec &spec) { return QString::fromStdString(spec.name); }
    // A position in the data as messages give it: counted from the model's first weight byte.
    QString at(qint64 offset) const { return QString::number(m_first + offset); }

    Error error(bool tooLong, const QString &what, const WeightSpec *spec, qint64 offset) const
    {
        const QString subject = m_where.isEmpty()
            ? QStringLiteral("The weight data is")
            : QStringLiteral("The weight files of %1 are").arg(m_where);
        QString end = QStringLiteral("the data ends at byte %1").arg(at(m_data.size()));
        const auto &segments = m_data.segments();
        const WeightData::Segment *last = segments.empty() ? nullptr : &segments.back();
        if (last && !last->name().isEmpty())
            end += QStringLiteral(", the end of the last shard, %1").arg(last->name());
        end += shardSizes(segments);
        Error e { ErrorCode::Weights,
            QStringLiteral("%1 too %2: %3%4 %5.")
                .arg(subject, tooLong ? QStringLiteral("long") : QStringLiteral("short"), what,
                    tooLong ? QStringLiteral(";") : QStringLiteral(", but"), end) };
        e.path = last && !last->userPath().isEmpty() ? last->userPath() : m_where;
        e.shard = last ? last->label : QString();
        if (spec)
            e.tensor = name(*spec);
        e.offset = m_first + offset;
        return e;
    }

    const WeightData &m_data;
    const QString &m_where;
    qint64 m_first;
};

// A spec built in code may have a shape whose size is unknown (parsed specs are validated).
Error invalidShape(const WeightSpec &spec)
{
    if (auto count = checkedElementCount(spec); !count)
        return count.error();
    Error error { ErrorCode::Format,
        QStringLiteral("Weight '%1' is too large: its %2 elements take more than 2^63 - 1 "
                       "bytes.")
            .arg(QString::fromStdString(spec.name))
            .arg(spec.elementCount()) };
    error.tensor = QString::fromStdString(spec.name);
    return error;
}

// The bytes of the string tensor starting at `start`, walked by its length prefixes through
// windows of the data that end at a shard's end (only a prefix split by a shard is copied).
Result<qint64> stringTensorBytes(const ByteSource &source, const WeightSpec &spec, qint64 start,
    const Problems &problems, JobContext *ctx)
{
    const std::int64_t count = spec.elementCount();
    const qint64 size = source.size();
    qint64 pos = start;
    ByteSource::View window;
    qint64 windowStart = 0;
    // Every element takes at least 4 bytes, so this ends within size / 4 steps.
    for (std::int64_t i = 0; i < count; ++i) {
        if (size - pos < kPrefixBytes)
            return fail(problems.missingPrefix(spec, start, i, pos));
        if (!window.data || pos + kPrefixBytes > windowStart + window.size) {
            if (ctx && ctx->isCancelled())
                return fail(cancelledError());
            const qint64 inShard = source.segmentEnd(pos) - pos;
            const qint64 bytes
                = inShard >= kPrefixBytes ? std::min(kWindowBytes, inShard) : kPrefixBytes;
            auto next = source.view(pos, bytes);
            if (!next)
                return fail(next.error());
            window = std::move(*next);
            windowStart = pos;
        }
        std::uint32_t length = 0;
        std::memcpy(&length, window.data + (pos - windowStart), sizeof length);
        if (qint64(length) > size - pos - kPrefixBytes)
            return fail(problems.prefixPastEnd(spec, start, i, pos, length));
        pos += kPrefixBytes + qint64(length);
    }
    return pos - start;
}

} // namespace

Result<void> checkWeightSizes(const std::vector<WeightSpec> &specs, const WeightData &data,
    const QString &where, qint64 firstOffset)
{
    const Problems problems(data, where, firstOffset);
    const qint64 have = data.size();
    qint64 need = 0;
    bool exact = true;
    for (const WeightSpec &spec : specs) {
        const bool isString = spec.dtype == DType::String;
        qint64 size = spec.byteSize();
        if (isString) {
            exact = false;
            if (spec.elementCount() >= 0
                && __builtin_mul_overflow(spec.elementCount(), kPrefixBytes, &size))
                size = std::numeric_limits<qint64>::max();
        }
        if (size < 0)
            return fail(invalidShape(spec));
        if (size > have - need)
            return fail(problems.cutShort(spec, need, size, isString));
        need += size;
    }
    if (exact && need != have)
        return fail(problems.trailing(specs, need));
    return {};
}

Result<WeightLayout> checkWeightLayout(const std::vector<WeightSpec> &specs, const WeightData &data,
    const QString &where, JobContext *ctx, qint64 firstOffset)
{
    // Sizes first: without string tensors they settle everything without reading a byte.
    if (auto sized = checkWeightSizes(specs, data, where, firstOffset); !sized)
        return fail(sized.error());
    const Problems problems(data, where, firstOffset);
    const bool hasStrings = std::any_of(specs.begin(), specs.end(),
        [](const WeightSpec &spec) { return spec.dtype == DType::String; });
    const std::optional<ByteSource> source
        = hasStrings ? std::optional<ByteSource>(std::in_place, data) : std::nullopt;
    const qint64 have = data.size();
    WeightLayout layout(specs.size());
    qint64 at = 0;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const WeightSpec &spec = specs[i];
        qint64 size = spec.byteSize();
        if (spec.dtype == DType::String) {
            auto walked = stringTensorBytes(*source, spec, at, problems, ctx);
            if (!walked)
                return fail(walked.error());
            size = *walked;
        } else if (size > have - at) {
            return fail(problems.cutShort(spec, at, size, false));
        }
        layout[i] = TensorExtent { at, size };
        at += size;
    }
    if (at != have)
        return fail(problems.trailing(specs, at));
    return layout;
}

Result<void> checkWeightLayout(const ModelArtifacts &artifacts, JobContext *ctx)
{
    static const std::vector<WeightSpec> kNoSpecs;
    auto checked = checkWeightLayout(
        artifacts.weightSpecs ? *artifacts.weightSpecs : kNoSpecs, artifacts.weightData, {}, ctx);
    if (!checked)
        return fail(checked.error());
    return {};
}

} // namespace tfjs

#include "weightdata.h"

#include "base/job.h"
#include "spoolfile.h"

#include <QFile>

#include <algorithm>

namespace tfjs {

namespace {

const std::vector<WeightData::Segment> &emptySegments()
{
    static const std::vector<WeightData::Segment> empty;
    return empty;
}

} // namespace

WeightData WeightData::fromBytes(QByteArray bytes, QString label)
{
    WeightData data;
    data.appendBytes(std::move(bytes), std::move(label));
    return data;
}

void WeightData::appendFile(QString file, qint64 offset, qint64 size, QString label)
{
    if (!m_segments)
        m_segments = std::make_shared<std::vector<Segment>>();
    else if (m_segments.use_count() > 1)
        m_segments = std::make_shared<std::vector<Segment>>(*m_segments);
    m_segments->push_back(Segment{std::move(file), offset, size, {}, std::move(label), {}});
}

void WeightData::appendBytes(QByteArray bytes, QString label)
{
    if (!m_segments)
        m_segments = std::make_shared<std::vector<Segment>>();
    else if (m_segments.use_count() > 1)
        m_segments = std::make_shared<std::vector<Segment>>(*m_segments);
    const qint64 size = bytes.size();
    m_segments->push_back(Segment{{}, 0, size, std::move(bytes), std::move(label), {}});
}

QString WeightData::Segment::name() const
{
    const QString user = userPath();
    return user.isEmpty() ? label : user;
}

QString WeightData::Segment::userPath() const
{
    return spool ? spool->shownAs() : file;
}

void WeightData::appendSpool(std::shared_ptr<SpoolFile> spool, qint64 offset, qint64 size,
                             QString label)
{
    appendFile(spool->path(), offset, size, std::move(label));
    m_segments->back().spool = std::move(spool);
}

std::shared_ptr<SpoolFile> WeightData::wholeSpool() const
{
    const auto &all = segments();
    if (all.empty() || !all.front().spool)
        return {};
    const std::shared_ptr<SpoolFile> &spool = all.front().spool;
    qint64 at = 0;
    for (const Segment &segment : all) {
        if (segment.spool != spool || segment.offset != at)
            return {};
        at += segment.size;
    }
    return at == spool->size() ? spool : nullptr;
}

WeightData WeightData::slice(qint64 offset, qint64 size) const
{
    WeightData out;
    const qint64 end = offset + size;
    qint64 at = 0;
    for (const Segment &segment : segments()) {
        const qint64 from = std::max(offset, at);
        const qint64 to = std::min(end, at + segment.size);
        if (from < to) {
            if (!out.m_segments)
                out.m_segments = std::make_shared<std::vector<Segment>>();
            Segment part = segment;
            part.offset = segment.offset + (from - at);
            part.size = to - from;
            if (segment.file.isEmpty())
                part.bytes = segment.bytes.mid(from - at, to - from);
            out.m_segments->push_back(std::move(part));
        }
        at += segment.size;
    }
    return out;
}

void WeightData::append(const WeightData &other)
{
    if (other.segments().empty())
        return;
    if (!m_segments)
        m_segments = std::make_shared<std::vector<Segment>>();
    else if (m_segments.use_count() > 1)
        m_segments = std::make_shared<std::vector<Segment>>(*m_segments);
    const std::vector<Segment> added = other.segments(); // `other` may be this data
    m_segments->insert(m_segments->end(), added.begin(), added.end());
}

qint64 WeightData::size() const
{
    qint64 total = 0;
    for (const Segment &segment : segments())
        total += segment.size;
    return total;
}

const std::vector<WeightData::Segment> &WeightData::segments() const
{
    return m_segments ? *m_segments : emptySegments();
}

Result<void> WeightData::read(const Sink &sink, JobContext *ctx, qint64 chunkSize) const
{
    chunkSize = std::max<qint64>(chunkSize, 4096);
    QByteArray buffer;
    for (const Segment &segment : segments()) {
        if (segment.file.isEmpty()) {
            for (qint64 at = 0; at < segment.size; at += chunkSize) {
                if (ctx && ctx->isCancelled())
                    return fail(cancelledError());
                const qint64 n = std::min(chunkSize, segment.size - at);
                if (!sink(segment.bytes.constData() + at, n))
                    return fail(cancelledError());
                if (ctx)
                    ctx->addBytes(n);
            }
            continue;
        }
        QFile file(segment.file);
        if (!file.open(QIODevice::ReadOnly))
            return fail(readError(segment, segment.offset, file.errorString()));
        if (segment.offset > 0 && !file.seek(segment.offset))
            return fail(readError(segment, segment.offset, file.errorString()));
        if (buffer.size() < std::min(chunkSize, segment.size))
            buffer.resize(std::min(chunkSize, segment.size));
        for (qint64 at = 0; at < segment.size;) {
            if (ctx && ctx->isCancelled())
                return fail(cancelledError());
            const qint64 want = std::min(chunkSize, segment.size - at);
            const qint64 got = file.read(buffer.data(), want);
            if (got < 0)
                return fail(readError(segment, segment.offset + at, file.errorString()));
            if (got == 0)
                return fail(readError(segment, segment.offset + at,
                                      QStringLiteral("the file ends at byte %1, %2 bytes expected")
                                          .arg(segment.offset + at)
                                          .arg(segment.offset + segment.size)));
            if (!sink(buffer.constData(), got))
                return fail(cancelledError());
            if (ctx)
                ctx->addBytes(got);
            at += got;
        }
    }
    return {};
}

Result<QByteArray> WeightData::readRange(qint64 offset, qint64 size) const
{
    if (offset < 0 || size < 0 || offset + size > this->size())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Byte range %1+%2 is outside the %3 bytes of weight data")
                        .arg(offset)
                        .arg(size)
                        .arg(this->size()));
    QByteArray out;
    out.reserve(size);
    qint64 segmentStart = 0;
    for (const Segment &segment : segments()) {
        const qint64 segmentEnd = segmentStart + segment.size;
        const qint64 from = std::max(offset, segmentStart);
        const qint64 to = std::min(offset + size, segmentEnd);
        if (from < to) {
            if (segment.file.isEmpty()) {
                out.append(segment.bytes.constData() + (from - segmentStart), to - from);
            } else {
                QFile file(segment.file);
                const qint64 at = segment.offset + (from - segmentStart);
                if (!file.open(QIODevice::ReadOnly) || !file.seek(at))
                    return fail(readError(segment, at, file.errorString()));
                const QByteArray bytes = file.read(to - from);
                if (bytes.size() != to - from)
                    return fail(readError(segment, at + bytes.size(),
                                          QStringLiteral("the file is shorter than expected")));
                out.append(bytes);
            }
        }
        segmentStart = segmentEnd;
        if (segmentStart >= offset + size)
            break;
    }
    return out;
}

Result<QByteArray> WeightData::readAll(JobContext *ctx) const
{
    const auto &all = segments();
    if (all.size() == 1 && all.front().file.isEmpty())
        return all.front().bytes;
    QByteArray out;
    out.reserve(size());
    auto done = read(
        [&out](const char *data, qint64 n) {
            out.append(data, n);
            return true;
        },
        ctx);
    if (!done)
        return fail(done.error());
    return out;
}

Error WeightData::readError(const Segment &segment, qint64 at, const QString &why)
{
    Error error{ErrorCode::Io,
                QStringLiteral("Cannot read weight file '%1': %2").arg(segment.name(), why)};
    error.path = segment.userPath();
    error.shard = segment.label;
    error.offset = at;
    return error;
}

} // namespace tfjs

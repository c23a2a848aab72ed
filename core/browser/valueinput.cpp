#include "browser/valueinput.h"

#include "browser/browsererror.h"
#include "io/spoolfile.h"
#include "io/weightdata.h"

namespace tfjs {

Result<void> ValueInput::need(qint64, qint64)
{
    return {};
}

void ValueInput::setBytes(QByteArrayView bytes, bool inPlace)
{
    m_bytes = bytes;
    m_inPlace = inPlace;
}

std::optional<Json> ValueInput::reference(const char *data, qint64 size)
{
    if (!m_inPlace || size < kInPlaceMinimum)
        return std::nullopt;
    m_ranges.push_back({qint64(data - m_bytes.data()), size});
    return Json::binary(Json::binary_t::container_type(), m_ranges.size() - 1);
}

std::optional<Json> ValueInput::subReference(const Json::binary_t &buffer, qint64 offset,
                                             qint64 size)
{
    if (!buffer.has_subtype() || buffer.subtype() >= m_ranges.size())
        return std::nullopt;
    const Range whole = m_ranges[size_t(buffer.subtype())];
    m_ranges.push_back({whole.offset + offset, size});
    return Json::binary(Json::binary_t::container_type(), m_ranges.size() - 1);
}

Result<void> ValueInput::appendBuffer(const Json::binary_t &buffer, WeightData &out,
                                      const QString &label)
{
    if (!buffer.has_subtype() || buffer.subtype() >= m_ranges.size()) {
        out.appendBytes(QByteArray(reinterpret_cast<const char *>(buffer.data()),
                                   qsizetype(buffer.size())),
                        label);
        return {};
    }
    return appendRange(m_ranges[size_t(buffer.subtype())], out, label);
}

Result<void> ValueInput::appendRange(Range range, WeightData &out, const QString &label)
{
    if (auto ready = need(range.offset, range.size); !ready)
        return ready;
    out.appendBytes(m_bytes.sliced(range.offset, range.size).toByteArray(), label);
    return {};
}

Result<std::unique_ptr<MappedFile>> MappedFile::open(const QString &path, const QString &what)
{
    auto held = SpoolFile::holdOpen(path);
    if (!held)
        return fail(browserError(held.error().code, path,
                                 QStringLiteral("cannot read %1 (%2).").arg(what, held.error().detail)));
    std::unique_ptr<MappedFile> file(new MappedFile);
    file->m_held = std::move(*held);
    file->m_file.setFileName(file->m_held->path());
    const qint64 size = file->m_held->size();
    if (!file->m_file.open(QIODevice::ReadOnly)
        || (size > 0 && !(file->m_map = file->m_file.map(0, size))))
        return fail(browserError(ErrorCode::Io, path,
                                 QStringLiteral("cannot read %1 (%2).")
                                     .arg(what, file->m_file.errorString())));
    file->m_bytes = QByteArrayView(reinterpret_cast<const char *>(file->m_map), size);
    return file;
}

MappedFile::~MappedFile()
{
    if (m_map)
        m_file.unmap(m_map);
}

Result<std::unique_ptr<FileValueInput>> FileValueInput::open(const QString &path,
                                                             const QString &what)
{
    auto file = MappedFile::open(path, what);
    if (!file)
        return fail(file.error());
    return std::unique_ptr<FileValueInput>(new FileValueInput(std::move(*file)));
}

FileValueInput::FileValueInput(std::unique_ptr<MappedFile> file)
    : ValueInput({}), m_file(std::move(file))
{
    setBytes(m_file->bytes(), true);
}

Result<void> FileValueInput::appendRange(Range range, WeightData &out, const QString &label)
{
    out.appendSpool(m_file->held(), range.offset, range.size, label);
    return {};
}

} // namespace tfjs

#pragma once

// Helpers shared by the fuzz targets: the input as Qt byte views, and splitting one input into
// several fields, so a target can feed a parser that takes more than one argument.
#include <QByteArrayView>

#include <cstdint>
#include <string_view>

namespace tfjs::fuzz {

inline QByteArrayView bytesOf(const std::uint8_t *data, std::size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

// Takes the bytes up to the next NUL (or the end) off the front of `rest`.
inline QByteArrayView takeField(QByteArrayView &rest)
{
    const qsizetype end = rest.indexOf('\0');
    const QByteArrayView field = end < 0 ? rest : rest.first(end);
    rest = end < 0 ? QByteArrayView() : rest.sliced(end + 1);
    return field;
}

inline std::string_view textOf(QByteArrayView bytes)
{
    return std::string_view(bytes.data(), std::size_t(bytes.size()));
}

} // namespace tfjs::fuzz

#include "browser/chromiumlocalstorage.h"

#include <QtEndian>

namespace tfjs {

namespace {

constexpr char kUtf16 = 0x00;
constexpr char kLatin1 = 0x01;

} // namespace

std::optional<QString> decodeChromiumLocalStorageText(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return std::nullopt;
    const QByteArrayView text = bytes.sliced(1);
    if (bytes[0] == kLatin1)
        return QString::fromLatin1(text);
    if (bytes[0] != kUtf16 || text.size() % 2 != 0)
        return std::nullopt;
    QString out(text.size() / 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < out.size(); ++i)
        out[i] = QChar(qFromLittleEndian<quint16>(text.data() + 2 * i));
    return out;
}

std::optional<ChromiumLocalStorageKey> decodeChromiumLocalStorageKey(QByteArrayView key)
{
    if (key.isEmpty() || key[0] != '_')
        return std::nullopt;
    const qsizetype separator = key.indexOf('\0');
    if (separator < 0)
        return std::nullopt;
    auto text = decodeChromiumLocalStorageText(key.sliced(separator + 1));
    if (!text)
        return std::nullopt;
    return ChromiumLocalStorageKey{QString::fromUtf8(key.sliced(1, separator - 1)), *text};
}

} // namespace tfjs

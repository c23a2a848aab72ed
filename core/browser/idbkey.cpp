#include "browser/idbkey.h"

#include "browser/leveldblog.h"

#include <QtEndian>

namespace tfjs {

namespace {

constexpr quint8 kDatabaseNameType = 0xC9;
constexpr quint8 kStoreMetaType = 0x32;
constexpr quint8 kStringKey = 0x01;

int byteLength(quint64 value)
{
    int length = 1;
    while (length < 8 && (value >> (8 * length)) != 0)
        ++length;
    return length;
}

void appendId(QByteArray &out, quint64 id, int length)
{
    for (int i = 0; i < length; ++i)
        out.append(char((id >> (8 * i)) & 0xff));
}

quint64 readId(QByteArrayView bytes, qsizetype pos, int length)
{
    quint64 id = 0;
    for (int i = 0; i < length; ++i)
        id |= quint64(quint8(bytes[pos + i])) << (8 * i);
    return id;
}

// Varint length in UTF-16 units, then UTF-16BE.
std::optional<QString> readStringWithLength(QByteArrayView bytes, qsizetype &pos)
{
    const auto units = readVarint(bytes, pos);
    if (!units || *units > quint64(bytes.size() - pos) / 2)
        return std::nullopt;
    const QString text = decodeUtf16Be(bytes.sliced(pos, qsizetype(*units) * 2));
    pos += qsizetype(*units) * 2;
    return text;
}

} // namespace

QString decodeUtf16Be(QByteArrayView bytes)
{
    QString text(bytes.size() / 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < text.size(); ++i)
        text[i] = QChar(qFromBigEndian<quint16>(bytes.data() + 2 * i));
    return text;
}

QByteArray encodeIdbPrefix(const IdbKeyPrefix &prefix)
{
    const int db = byteLength(prefix.database);
    const int store = byteLength(prefix.store);
    const int index = std::min(byteLength(prefix.index), 4);
    QByteArray out(1, char(((db - 1) << 5) | ((store - 1) << 2) | (index - 1)));
    appendId(out, prefix.database, db);
    appendId(out, prefix.store, store);
    appendId(out, prefix.index, index);
    return out;
}

std::optional<std::pair<IdbKeyPrefix, qsizetype>> decodeIdbPrefix(QByteArrayView key)
{
    if (key.isEmpty())
        return std::nullopt;
    const quint8 first = quint8(key[0]);
    const int db = (first >> 5) + 1;
    const int store = ((first >> 2) & 7) + 1;
    const int index = (first & 3) + 1;
    const qsizetype size = 1 + db + store + index;
    if (key.size() < size)
        return std::nullopt;
    IdbKeyPrefix prefix{readId(key, 1, db), readId(key, 1 + db, store),
                        readId(key, 1 + db + store, index)};
    return std::pair{prefix, size};
}

std::optional<QString> decodeIdbStringKey(QByteArrayView bytes)
{
    if (bytes.isEmpty() || quint8(bytes[0]) != kStringKey)
        return std::nullopt;
    qsizetype pos = 1;
    auto text = readStringWithLength(bytes, pos);
    if (!text || pos != bytes.size())
        return std::nullopt;
    return text;
}

QByteArray encodeIdbStringKey(const QString &key)
{
    QByteArray out(1, char(kStringKey));
    for (quint64 n = quint64(key.size());; n >>= 7) {
        out.append(char((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
        if (n < 0x80)
            break;
    }
    for (const QChar c : key) {
        out.append(char(c.unicode() >> 8));
        out.append(char(c.unicode() & 0xff));
    }
    return out;
}

std::optional<IdbDatabaseName> decodeIdbDatabaseNameKey(QByteArrayView key)
{
    const auto prefix = decodeIdbPrefix(key);
    if (!prefix || prefix->first != IdbKeyPrefix{} || prefix->second >= key.size()
        || quint8(key[prefix->second]) != kDatabaseNameType)
        return std::nullopt;
    qsizetype pos = prefix->second + 1;
    auto origin = readStringWithLength(key, pos);
    auto name = origin ? readStringWithLength(key, pos) : std::nullopt;
    if (!name || pos != key.size())
        return std::nullopt;
    return IdbDatabaseName{*origin, *name};
}

std::optional<std::pair<quint64, quint64>> decodeIdbStoreNameKey(QByteArrayView key)
{
    const auto prefix = decodeIdbPrefix(key);
    if (!prefix || prefix->first.database == 0 || prefix->first.store != 0
        || prefix->first.index != 0)
        return std::nullopt;
    qsizetype pos = prefix->second;
    if (pos >= key.size() || quint8(key[pos++]) != kStoreMetaType)
        return std::nullopt;
    const auto store = readVarint(key, pos);
    if (!store || pos + 1 != key.size() || key[pos] != '\0')
        return std::nullopt;
    return std::pair{prefix->first.database, *store};
}

std::optional<std::vector<quint64>> decodeIdbBlobList(QByteArrayView value)
{
    std::vector<quint64> numbers;
    qsizetype pos = 0;
    while (pos < value.size()) {
        const bool isFile = value[pos++] != '\0';
        const auto number = readVarint(value, pos);
        if (!number || !readStringWithLength(value, pos))
            return std::nullopt;
        if (isFile ? !readStringWithLength(value, pos) || !readVarint(value, pos)
                   : !readVarint(value, pos))
            return std::nullopt;
        numbers.push_back(*number);
    }
    return numbers;
}

} // namespace tfjs

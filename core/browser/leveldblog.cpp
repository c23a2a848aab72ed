#include "browser/leveldblog.h"

#include <QtEndian>

#include <array>
#include <set>

namespace tfjs {

namespace {

constexpr qsizetype kBlockSize = 32768;
constexpr qsizetype kHeaderSize = 7;
enum FragmentType : quint8 { kZero = 0, kFull = 1, kFirst = 2, kMiddle = 3, kLast = 4 };

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): no Debian library exports it (LevelDB
// keeps its own internal), so the table lives here.
constexpr std::array<quint32, 256> crcTable()
{
    std::array<quint32, 256> table{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 crc = i;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        table[i] = crc;
    }
    return table;
}
constexpr std::array<quint32, 256> kCrcTable = crcTable();

Error fileError(const QString &path, qint64 offset, const QString &message)
{
    Error error{ErrorCode::Format,
                QStringLiteral("%1: %2 at byte %3.").arg(path, message).arg(offset)};
    error.path = path;
    error.offset = offset;
    return error;
}

// A varint-length-prefixed slice; `pos` stays where it was when there is none.
std::optional<QByteArrayView> readSlice(QByteArrayView bytes, qsizetype &pos)
{
    qsizetype at = pos;
    const auto length = readVarint(bytes, at);
    if (!length || *length > quint64(bytes.size() - at))
        return std::nullopt;
    pos = at + qsizetype(*length);
    return bytes.sliced(at, qsizetype(*length));
}

} // namespace

std::optional<quint64> readVarint(QByteArrayView bytes, qsizetype &pos)
{
    quint64 value = 0;
    for (int shift = 0; shift < 70 && pos < bytes.size(); shift += 7) {
        const quint8 byte = quint8(bytes[pos++]);
        value |= quint64(byte & 0x7f) << shift;
        if (byte < 0x80)
            return value;
    }
    return std::nullopt;
}

quint32 maskedCrc32c(QByteArrayView bytes)
{
    quint32 crc = 0xFFFFFFFFu;
    for (const char c : bytes)
        crc = kCrcTable[(crc ^ quint8(c)) & 0xff] ^ (crc >> 8);
    crc ^= 0xFFFFFFFFu;
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

Result<std::vector<QByteArray>> readLevelDbLog(QByteArrayView bytes, const QString &path)
{
    std::vector<QByteArray> records;
    QByteArray pending;
    bool inRecord = false;
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        const qsizetype blockLeft = kBlockSize - pos % kBlockSize;
        if (blockLeft < kHeaderSize) { // the block's trailer, zero-filled
            pos += blockLeft;
            continue;
        }
        if (bytes.size() - pos < kHeaderSize)
            break; // a header cut short by the end of the file
        const quint32 crc = qFromLittleEndian<quint32>(bytes.data() + pos);
        const quint16 length = qFromLittleEndian<quint16>(bytes.data() + pos + 4);
        const quint8 type = quint8(bytes[pos + 6]);
        if (type == kZero && length == 0 && crc == 0) { // preallocated space
            pos += blockLeft;
            continue;
        }
        if (kHeaderSize + length > blockLeft)
            return fail(fileError(path, pos, QStringLiteral("a log fragment crosses its block")));
        if (pos + kHeaderSize + length > bytes.size())
            break; // the writer stopped mid-record
        const QByteArrayView typeAndData = bytes.sliced(pos + 6, 1 + length);
        if (maskedCrc32c(typeAndData) != crc)
            return fail(fileError(path, pos, QStringLiteral("log fragment checksum mismatch")));
        const QByteArrayView data = typeAndData.sliced(1);
        switch (type) {
        case kFull:
            if (inRecord)
                return fail(fileError(path, pos,
                                      QStringLiteral("a full log record inside a fragmented one")));
            records.emplace_back(data.toByteArray());
            break;
        case kFirst:
            if (inRecord)
                return fail(
                    fileError(path, pos, QStringLiteral("a first log fragment inside a record")));
            pending = data.toByteArray();
            inRecord = true;
            break;
        case kMiddle:
        case kLast:
            if (!inRecord)
                return fail(
                    fileError(path, pos, QStringLiteral("a log fragment without its first")));
            pending.append(data);
            if (type == kLast) {
                records.push_back(std::move(pending));
                pending.clear();
                inRecord = false;
            }
            break;
        default:
            return fail(
                fileError(path, pos, QStringLiteral("unknown log fragment type %1").arg(type)));
        }
        pos += kHeaderSize + length;
    }
    return records;
}

void mergeLevelDbEntry(LevelDbEntries &entries, QByteArray key, quint64 sequence,
                       std::optional<QByteArray> value)
{
    auto [it, inserted] = entries.try_emplace(std::move(key));
    if (inserted || it->second.sequence <= sequence)
        it->second = LevelDbEntry{sequence, std::move(value)};
}

Result<void> mergeWriteBatch(QByteArrayView batch, LevelDbEntries &entries, const QString &path)
{
    if (batch.size() < 12)
        return fail(fileError(path, 0, QStringLiteral("a write batch shorter than its header")));
    quint64 sequence = qFromLittleEndian<quint64>(batch.data());
    const quint32 count = qFromLittleEndian<quint32>(batch.data() + 8);
    qsizetype pos = 12;
    for (quint32 i = 0; i < count; ++i, ++sequence) {
        if (pos >= batch.size())
            return fail(fileError(path, pos,
                                  QStringLiteral("a write batch ends before operation %1 of %2")
                                      .arg(i + 1)
                                      .arg(count)));
        const quint8 op = quint8(batch[pos]);
        if (op > 1)
            return fail(
                fileError(path, pos, QStringLiteral("unknown write batch operation %1").arg(op)));
        ++pos;
        const auto key = readSlice(batch, pos);
        if (!key)
            return fail(fileError(path, pos, QStringLiteral("a write batch key is truncated")));
        if (op == 0) {
            mergeLevelDbEntry(entries, key->toByteArray(), sequence, std::nullopt);
        } else {
            const auto value = readSlice(batch, pos);
            if (!value)
                return fail(
                    fileError(path, pos, QStringLiteral("a write batch value is truncated")));
            mergeLevelDbEntry(entries, key->toByteArray(), sequence, value->toByteArray());
        }
    }
    return {};
}

Result<LevelDbManifest> parseLevelDbManifest(QByteArrayView bytes, const QString &path)
{
    auto records = readLevelDbLog(bytes, path);
    if (!records)
        return fail(records.error());
    LevelDbManifest manifest;
    std::set<std::pair<quint64, quint64>> live; // (level, file number)
    for (const QByteArray &edit : *records) {
        qsizetype pos = 0;
        const auto bad = [&] {
            return fail(fileError(path, pos, QStringLiteral("a malformed version edit")));
        };
        while (pos < edit.size()) {
            const auto tag = readVarint(edit, pos);
            if (!tag)
                return bad();
            std::optional<quint64> a, b;
            switch (*tag) {
            case 1: { // comparator
                const auto name = readSlice(edit, pos);
                if (!name)
                    return bad();
                manifest.comparator = QString::fromLatin1(*name);
                break;
            }
            case 2:
            case 3:
            case 4:
            case 9: // log, next file, last sequence, previous log
                if (!(a = readVarint(edit, pos)))
                    return bad();
                if (*tag == 2)
                    manifest.logNumber = *a;
                if (*tag == 9)
                    manifest.prevLogNumber = *a;
                break;
            case 5: // compaction pointer: level, internal key
                if (!readVarint(edit, pos) || !readSlice(edit, pos))
                    return bad();
                break;
            case 6: // deleted file: level, number
                if (!(a = readVarint(edit, pos)) || !(b = readVarint(edit, pos)))
                    return bad();
                live.erase({*a, *b});
                break;
            case 7: // new file: level, number, size, smallest, largest
                if (!(a = readVarint(edit, pos)) || !(b = readVarint(edit, pos))
                    || !readVarint(edit, pos) || !readSlice(edit, pos) || !readSlice(edit, pos))
                    return bad();
                live.insert({*a, *b});
                break;
            default:
                return fail(
                    fileError(path, pos, QStringLiteral("unknown version edit tag %1").arg(*tag)));
            }
        }
    }
    for (const auto &[level, number] : live)
        manifest.tables.push_back(number);
    std::sort(manifest.tables.begin(), manifest.tables.end());
    return manifest;
}

} // namespace tfjs

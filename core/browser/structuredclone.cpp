#include "structuredclone.h"

#include "base/objectbuilder.h"

#include <QtEndian>

#include <bit>
#include <functional>
#include <optional>
#include <vector>

namespace tfjs {

namespace {

// Tags of js/src/vm/StructuredClone.cpp.
enum Tag : quint32 {
    kFloatMax = 0xFFF00000,
    kHeader = 0xFFF10000,
    kNull = 0xFFFF0000,
    kUndefined = 0xFFFF0001,
    kBoolean = 0xFFFF0002,
    kInt32 = 0xFFFF0003,
    kString = 0xFFFF0004,
    kDate = 0xFFFF0005,
    kArray = 0xFFFF0007,
    kObject = 0xFFFF0008,
    kArrayBufferV2 = 0xFFFF0009,
    kBackReference = 0xFFFF000D,
    kEndOfKeys = 0xFFFF0013,
    kArrayBuffer = 0xFFFF001F,
};

// Scopes a clone written to disk carries (JS::StructuredCloneScope).
constexpr quint32 kScopeDifferentProcess = 2;
constexpr quint32 kScopeForIndexedDb = 3;
constexpr quint32 kLatin1Flag = 0x80000000;
// What decoded values count against the output limit, as they take memory: every value a
// node; a string, byte array, object or array also a block of its own (the container and the
// allocator's overhead) besides its bytes; an object's member its key and slot. (A 618-byte
// value the fuzzer made peaked at 240 MB under the 64 MiB limit, and took 0.6 s, when only
// nodes, text and bytes counted and objects copied their members as they grew.)
constexpr qint64 kNodeCost = qint64(sizeof(Json));
constexpr qint64 kHeapCost = 48;
constexpr qint64 kMemberCost = qint64(sizeof(Json::object_t::value_type)) + 64; // + its index

QString tagName(quint32 tag)
{
    switch (tag) {
    case 0xFFFF0006: return QStringLiteral("RegExp");
    case 0xFFFF000A: return QStringLiteral("Boolean object");
    case 0xFFFF000B: return QStringLiteral("String object");
    case 0xFFFF000C: return QStringLiteral("Number object");
    case 0xFFFF0010: case 0xFFFF0020: return QStringLiteral("typed array");
    case 0xFFFF0011: return QStringLiteral("Map");
    case 0xFFFF0012: return QStringLiteral("Set");
    case 0xFFFF0015: case 0xFFFF0021: return QStringLiteral("DataView");
    case 0xFFFF001B: case 0xFFFF0024: return QStringLiteral("SharedArrayBuffer");
    case 0xFFFF001D: case 0xFFFF001E: return QStringLiteral("BigInt");
    case 0xFFFF0022: return QStringLiteral("Error");
    case 0xFFFF0023: return QStringLiteral("resizable ArrayBuffer");
    case kEndOfKeys: return QStringLiteral("end of keys");
    default: break;
    }
    if (tag >= 0xFFFF0100 && tag < 0xFFFF0200)
        return QStringLiteral("typed array (version 1)");
    if (tag >= 0xFFFF8000)
        return QStringLiteral("DOM object");
    return QStringLiteral("unknown");
}

QString hex(quint32 value)
{
    return QStringLiteral("0x%1").arg(value, 8, 16, QLatin1Char('0'));
}

class Reader
{
public:
    Reader(ValueInput &input, const QString &where, const StructuredCloneLimits &limits)
        : m_input(input), m_data(input.bytes()), m_where(where), m_limits(limits)
    {
        m_budget = limits.maxOutputBytes > 0 ? limits.maxOutputBytes
                                             : (qint64(64) << 20) + 2 * qint64(m_data.size());
    }

    Result<Json> readAll()
    {
        auto header = word();
        if (!header)
            return fail(header.error());
        const quint32 tag = tagOf(*header);
        const quint32 scope = dataOf(*header);
        if (tag != kHeader)
            return fail(error(ErrorCode::Unsupported,
                              QStringLiteral("no structured clone header: the data starts with "
                                             "tag %1 (%2).")
                                  .arg(hex(tag), tagName(tag)),
                              0));
        if (scope != kScopeDifferentProcess && scope != kScopeForIndexedDb)
            return fail(error(ErrorCode::Unsupported,
                              QStringLiteral("the structured clone has scope %1, not one "
                                             "written to disk (2 or 3).")
                                  .arg(scope),
                              0));
        auto value = readValue(0);
        if (!value)
            return fail(value.error());
        return std::move(*value).value_or(Json());
    }

private:
    static quint32 tagOf(quint64 word) { return quint32(word >> 32); }
    static quint32 dataOf(quint64 word) { return quint32(word & 0xFFFFFFFFu); }

    Error error(ErrorCode code, const QString &message, qint64 offset) const
    {
        Error out{code, QStringLiteral("%1: %2").arg(m_where, message)};
        out.path = m_where;
        out.offset = offset;
        return out;
    }
    Error truncated(quint64 need) const
    {
        return error(ErrorCode::Format,
                     QStringLiteral("the structured clone is truncated at byte %1: %2 bytes "
                                    "needed, %3 left.")
                         .arg(m_pos)
                         .arg(need)
                         .arg(m_data.size() - m_pos),
                     m_pos);
    }

    Result<quint64> word()
    {
        if (m_data.size() - m_pos < 8)
            return fail(truncated(8));
        if (auto ready = m_input.need(m_pos, 8); !ready)
            return fail(ready.error());
        const quint64 value = qFromLittleEndian<quint64>(m_data.data() + m_pos);
        m_pos += 8;
        return value;
    }
    // `count` bytes, then the padding to the next 8-byte boundary; `fill`: made readable.
    Result<QByteArrayView> bytes(quint64 count, bool fill = true)
    {
        const quint64 left = quint64(m_data.size() - m_pos);
        if (count > left)
            return fail(truncated(count));
        const quint64 padded = (count + 7) & ~quint64(7);
        if (padded > left)
            return fail(truncated(padded));
        if (fill)
            if (auto ready = m_input.need(m_pos, qint64(count)); !ready)
                return fail(ready.error());
        const QByteArrayView out = m_data.sliced(m_pos, qsizetype(count));
        m_pos += qsizetype(padded);
        return out;
    }
    Result<void> spend(qint64 cost)
    {
        m_budget -= cost;
        if (m_budget < 0)
            return fail(error(ErrorCode::Format,
                              QStringLiteral("the structured clone expands beyond the limit "
                                             "of its decoded size (near byte %1).")
                                  .arg(m_pos),
                              m_pos));
        return {};
    }

    Result<QString> readString(quint32 data)
    {
        const quint32 length = data & ~kLatin1Flag;
        const bool latin1 = data & kLatin1Flag;
        auto raw = bytes(latin1 ? quint64(length) : quint64(length) * 2);
        if (!raw)
            return fail(raw.error());
        if (auto spent = spend(raw->size()); !spent)
            return fail(spent.error());
        if (latin1)
            return QString::fromLatin1(raw->data(), raw->size());
        QString out(qsizetype(length), Qt::Uninitialized);
        for (quint32 i = 0; i < length; ++i)
            out[i] = QChar(qFromLittleEndian<quint16>(raw->data() + 2 * i));
        return out;
    }

    // An object's key: a string, or an int32 index.
    Result<QString> readKey()
    {
        const qsizetype at = m_pos;
        auto w = word();
        if (!w)
            return fail(w.error());
        if (tagOf(*w) == kString)
            return readString(dataOf(*w));
        if (tagOf(*w) == kInt32)
            return QString::number(qint32(dataOf(*w)));
        return fail(error(ErrorCode::Format,
                          QStringLiteral("a property key at byte %1 has tag %2 (%3), not a "
                                         "string or an index.")
                              .arg(at)
                              .arg(hex(tagOf(*w)), tagName(tagOf(*w))),
                          at));
    }

    // True (and consumes it) when the next word ends an object's or array's keys.
    Result<bool> atEndOfKeys()
    {
        if (m_data.size() - m_pos < 8)
            return fail(truncated(8));
        if (auto ready = m_input.need(m_pos, 8); !ready)
            return fail(ready.error());
        if (tagOf(qFromLittleEndian<quint64>(m_data.data() + m_pos)) != kEndOfKeys)
            return false;
        m_pos += 8;
        return true;
    }

    // Objects, arrays, dates and buffers are numbered in the order they start, for
    // back-references; a replay (the copy a back-reference makes) numbers nothing.
    std::size_t enter(qsizetype start)
    {
        if (m_replaying > 0)
            return std::size_t(-1);
        m_objects.push_back({start, false});
        return m_objects.size() - 1;
    }
    void leave(std::size_t index)
    {
        if (index != std::size_t(-1))
            m_objects[index].complete = true;
    }

    // nullopt: undefined.
    Result<std::optional<Json>> readValue(int depth)
    {
        if (depth > m_limits.maxDepth)
            return fail(error(ErrorCode::Format,
                              QStringLiteral("the structured clone nests deeper than %1 levels "
                                             "(at byte %2).")
                                  .arg(m_limits.maxDepth)
                                  .arg(m_pos),
                              m_pos));
        if (auto spent = spend(kNodeCost); !spent)
            return fail(spent.error());
        const qsizetype start = m_pos;
        auto w = word();
        if (!w)
            return fail(w.error());
        const quint32 tag = tagOf(*w);
        const quint32 data = dataOf(*w);
        if (tag <= kFloatMax)
            return Json(std::bit_cast<double>(*w));
        switch (tag) {
        case kNull:
            return Json();
        case kUndefined:
            return std::optional<Json>();
        case kBoolean:
            return Json(data != 0);
        case kInt32:
            return Json(qint32(data));
        case kString: {
            if (auto spent = spend(kHeapCost); !spent)
                return fail(spent.error());
            auto text = readString(data);
            if (!text)
                return fail(text.error());
            return Json(text->toStdString());
        }
        case kDate: {
            const std::size_t index = enter(start);
            auto time = word();
            if (!time)
                return fail(time.error());
            leave(index);
            return Json(std::bit_cast<double>(*time));
        }
        case kObject:
            return readObject(start, depth);
        case kArray:
            return readArray(start, data, depth);
        case kArrayBuffer:
        case kArrayBufferV2: {
            const std::size_t index = enter(start);
            quint64 length = data;
            if (tag == kArrayBuffer) {
                auto size = word();
                if (!size)
                    return fail(size.error());
                length = *size;
            }
            auto raw = bytes(length, false);
            if (!raw)
                return fail(raw.error());
            if (auto spent = spend(kHeapCost + raw->size()); !spent)
                return fail(spent.error());
            leave(index);
            if (auto reference = m_input.reference(raw->data(), raw->size()))
                return std::move(*reference);
            if (auto ready = m_input.need(raw->data() - m_data.data(), raw->size()); !ready)
                return fail(ready.error());
            return Json::binary(std::vector<std::uint8_t>(
                reinterpret_cast<const std::uint8_t *>(raw->data()),
                reinterpret_cast<const std::uint8_t *>(raw->data()) + raw->size()));
        }
        case kBackReference:
            return readBackReference(start, data, depth);
        default:
            return fail(error(ErrorCode::Unsupported,
                              QStringLiteral("unsupported structured clone tag %1 (%2) at byte "
                                             "%3.")
                                  .arg(hex(tag), tagName(tag))
                                  .arg(start),
                              start));
        }
    }

    // The key/value pairs of an object or array up to END_OF_KEYS, each given to `take` with
    // the byte offset of its key.
    using Take = std::function<Result<void>(const QString &key, std::optional<Json> value,
                                            qsizetype keyAt)>;
    Result<void> readProperties(int depth, const Take &take)
    {
        while (true) {
            auto end = atEndOfKeys();
            if (!end)
                return fail(end.error());
            if (*end)
                return {};
            const qsizetype keyAt = m_pos;
            auto key = readKey();
            if (!key)
                return fail(key.error());
            auto value = readValue(depth + 1);
            if (!value)
                return fail(value.error());
            if (auto taken = take(*key, std::move(*value), keyAt); !taken)
                return taken;
        }
    }

    Result<std::optional<Json>> readObject(qsizetype start, int depth)
    {
        const std::size_t index = enter(start);
        if (auto spent = spend(kHeapCost); !spent)
            return fail(spent.error());
        ObjectBuilder object;
        auto read = readProperties(depth, [&](const QString &key, std::optional<Json> value,
                                              qsizetype) -> Result<void> {
            if (auto spent = spend(kMemberCost); !spent)
                return spent;
            object.set(key.toStdString(), std::move(value)); // undefined members are dropped
            return {};
        });
        if (!read)
            return fail(read.error());
        leave(index);
        return object.take();
    }

    Result<std::optional<Json>> readArray(qsizetype start, quint32 length, int depth)
    {
        const std::size_t index = enter(start);
        // Each slot twice: destroying an array moves its elements into a stack of that size
        // (nlohmann's destructor avoids recursion so).
        if (auto spent = spend(kHeapCost + 2 * qint64(length) * kNodeCost); !spent)
            return fail(spent.error());
        Json array = Json::array();
        array.get_ref<Json::array_t &>().resize(length); // holes are null
        auto read = readProperties(depth, [&](const QString &key, std::optional<Json> value,
                                              qsizetype keyAt) -> Result<void> {
            bool isIndex = false;
            const quint32 element = key.toUInt(&isIndex);
            if (!isIndex)
                return {}; // a named property of the array: JSON.stringify ignores it too
            if (element >= length)
                return fail(error(ErrorCode::Format,
                                  QStringLiteral("array element %1 at byte %2 lies beyond the "
                                                 "array's length %3.")
                                      .arg(element)
                                      .arg(keyAt)
                                      .arg(length),
                                  keyAt));
            if (value)
                array[element] = std::move(*value);
            else
                array[element] = nullptr; // undefined elements read as null
            return {};
        });
        if (!read)
            return fail(read.error());
        leave(index);
        return array;
    }

    // A copy of an object read before: its bytes are read again.
    Result<std::optional<Json>> readBackReference(qsizetype start, quint32 index, int depth)
    {
        if (index >= m_objects.size() || !m_objects[index].complete)
            return fail(error(ErrorCode::Format,
                              QStringLiteral("the back-reference at byte %1 refers to object %2, "
                                             "%3.")
                                  .arg(start)
                                  .arg(index)
                                  .arg(index >= m_objects.size()
                                           ? QStringLiteral("which does not exist (yet)")
                                           : QStringLiteral("which contains it (a cycle)")),
                              start));
        const qsizetype resume = m_pos;
        m_pos = m_objects[index].start;
        ++m_replaying;
        auto value = readValue(depth + 1);
        --m_replaying;
        m_pos = resume;
        return value;
    }

    struct Started
    {
        qsizetype start;
        bool complete;
    };

    ValueInput &m_input;
    QByteArrayView m_data;
    QString m_where;
    StructuredCloneLimits m_limits;
    qsizetype m_pos = 0;
    qint64 m_budget = 0;
    int m_replaying = 0;
    std::vector<Started> m_objects;
};

} // namespace

Result<Json> decodeStructuredClone(QByteArrayView data, const QString &where,
                                   const StructuredCloneLimits &limits)
{
    ValueInput input(data);
    return Reader(input, where, limits).readAll();
}

Result<Json> decodeStructuredClone(ValueInput &input, const QString &where,
                                   const StructuredCloneLimits &limits)
{
    return Reader(input, where, limits).readAll();
}

} // namespace tfjs

#include "browser/v8value.h"

#include "browser/leveldblog.h"
#include "base/objectbuilder.h"

#include <QtEndian>

#include <cstring>
#include <optional>
#include <vector>

namespace tfjs {

namespace {

// A decoded value, or undefined (nullopt).
using Value = std::optional<Json>;

constexpr qint64 kMaxSparseLength = qint64(1) << 24;
// Back-references may decode again at most this many times the value's size, plus the slack.
constexpr qint64 kReplayFactor = 4;
constexpr qint64 kReplaySlack = qint64(1) << 20;

class V8Reader
{
public:
    V8Reader(QByteArrayView bytes, const QString &where, ValueInput *input)
        : m_bytes(bytes), m_where(where), m_input(input)
    {}

    Result<Json> run()
    {
        if (m_bytes.isEmpty() || quint8(m_bytes[0]) != 0xFF)
            return fail(error(
                ErrorCode::Format,
                QStringLiteral("the V8 value does not start with its version tag FF at byte 0.")));
        m_pos = 1;
        const auto version = readVarint(m_bytes, m_pos);
        if (!version)
            return truncated();
        if (*version != kV8Version)
            return fail(
                error(ErrorCode::Unsupported,
                      QStringLiteral("V8 serialization version %1 is not supported (%2 is).")
                          .arg(*version)
                          .arg(kV8Version),
                      1));
        auto value = readValue();
        if (!value)
            return fail(value.error());
        return std::move(*value).value_or(Json());
    }

private:
    Error error(ErrorCode code, const QString &message, qint64 offset = -1) const
    {
        Error e{code, QStringLiteral("%1: %2").arg(m_where, message)};
        e.path = m_where;
        e.offset = offset < 0 ? m_pos : offset;
        return e;
    }
    std::unexpected<Error> truncated() const
    {
        return fail(error(ErrorCode::Format,
                          QStringLiteral("the V8 value is truncated at byte %1.").arg(m_pos)));
    }
    std::unexpected<Error> malformed(const QString &what, qsizetype at) const
    {
        return fail(error(ErrorCode::Format,
                          QStringLiteral("%1 at byte %2 of the V8 value.").arg(what).arg(at), at));
    }

    // The next tag after any padding, not consumed; nullopt at the end.
    std::optional<quint8> peekTag()
    {
        while (m_pos < m_bytes.size() && m_bytes[m_pos] == '\0')
            ++m_pos;
        if (m_pos >= m_bytes.size())
            return std::nullopt;
        return quint8(m_bytes[m_pos]);
    }

    Result<quint64> varint()
    {
        const auto value = readVarint(m_bytes, m_pos);
        if (!value)
            return truncated();
        return *value;
    }

    Result<QByteArrayView> raw(quint64 length)
    {
        if (length > quint64(m_bytes.size() - m_pos))
            return truncated();
        const QByteArrayView slice = m_bytes.sliced(m_pos, qsizetype(length));
        m_pos += qsizetype(length);
        return slice;
    }

    Result<double> readDouble()
    {
        auto bytes = raw(8);
        if (!bytes)
            return fail(bytes.error());
        return qFromLittleEndian<double>(bytes->data());
    }

    // Where each object id's serialization starts and ends (-1 while it is being read): a
    // back-reference decodes those bytes again instead of the reader keeping a copy of every
    // object (the record's objects hold whole weight buffers).
    struct ObjectBytes
    {
        qsizetype start = 0;
        qsizetype end = -1;
        bool bufferOnly = false; // an ArrayBuffer whose view follows it: decode without the view
    };
    size_t beginObject(qsizetype start, bool bufferOnly = false)
    {
        m_objects.push_back({start, -1, bufferOnly});
        return m_objects.size() - 1;
    }
    Json endObject(size_t id, Json value)
    {
        m_objects[id].end = m_pos;
        return value;
    }

    // Object `id` decoded again from its bytes; the ids that assigns are dropped after. The
    // bytes decoded again are limited (a few back-references to each other could otherwise
    // multiply the output).
    Result<Value> replay(quint64 id, qsizetype at)
    {
        if (id >= m_objects.size() || m_objects[size_t(id)].end < 0)
            return malformed(
                QStringLiteral("a back-reference to object %1, unknown or not complete").arg(id),
                at);
        const ObjectBytes object = m_objects[size_t(id)];
        m_replayed += object.end - object.start;
        if (m_replayed > kReplayFactor * m_bytes.size() + kReplaySlack)
            return malformed(QStringLiteral("back-references decoding more than %1 bytes again")
                                 .arg(kReplayFactor * m_bytes.size() + kReplaySlack),
                             at);
        const qsizetype saved = m_pos;
        const size_t ids = m_objects.size();
        m_pos = object.start;
        Result<Value> value = object.bufferOnly ? readBufferOnly() : readValue();
        m_objects.resize(ids);
        m_pos = saved;
        return value;
    }
    Result<Value> readBufferOnly()
    {
        const qsizetype start = m_pos++;
        auto buffer = readArrayBuffer(start, false);
        if (!buffer)
            return fail(buffer.error());
        return Value(std::move(*buffer));
    }

    Result<Json> readString(quint8 tag)
    {
        auto length = varint();
        if (!length)
            return fail(length.error());
        const qsizetype at = m_pos;
        auto bytes = raw(*length);
        if (!bytes)
            return fail(bytes.error());
        QString text;
        if (tag == '"') {
            text = QString::fromLatin1(*bytes);
        } else if (tag == 'S') {
            text = QString::fromUtf8(*bytes);
        } else {
            if (bytes->size() % 2 != 0)
                return malformed(QStringLiteral("a UTF-16 string of odd byte length"), at);
            text.resize(bytes->size() / 2);
            for (qsizetype i = 0; i < text.size(); ++i)
                text[i] = QChar(qFromLittleEndian<quint16>(bytes->data() + 2 * i));
        }
        return Json(text.toStdString());
    }

    // A property key: a string or a number, as the string JS would use.
    Result<std::string> readKey()
    {
        const qsizetype at = m_pos;
        auto key = readValue();
        if (!key)
            return fail(key.error());
        if (*key && (*key)->is_string())
            return (*key)->get<std::string>();
        if (*key && (*key)->is_number())
            return formatNumber((*key)->get<double>());
        return malformed(QStringLiteral("a property key that is neither a string nor a number"),
                         at);
    }

    // Properties up to `endTag`; then the varint property count (and, for arrays, length).
    Result<void> readProperties(quint8 endTag, ObjectBuilder *object, Json *sparse)
    {
        for (;;) {
            const auto tag = peekTag();
            if (!tag)
                return truncated();
            if (*tag == endTag) {
                ++m_pos;
                if (auto count = varint(); !count)
                    return fail(count.error());
                if (endTag != '{')
                    if (auto length = varint(); !length)
                        return fail(length.error());
                return {};
            }
            auto key = readKey();
            if (!key)
                return fail(key.error());
            auto value = readValue();
            if (!value)
                return fail(value.error());
            if (object) {
                object->set(std::move(*key), std::move(*value)); // undefined: dropped
            } else if (sparse) { // an index below the length sets an element; other keys are dropped
                char *end = nullptr;
                const unsigned long long index = std::strtoull(key->c_str(), &end, 10);
                if (!key->empty() && *end == '\0' && index < sparse->size())
                    (*sparse)[index] = std::move(*value).value_or(Json());
            }
        }
    }

    // After the tag B at `start`; with the view (tag V) that may follow it when `withView`.
    Result<Json> readArrayBuffer(qsizetype start, bool withView)
    {
        const size_t id = beginObject(start, true);
        auto length = varint();
        if (!length)
            return fail(length.error());
        auto bytes = raw(*length);
        if (!bytes)
            return fail(bytes.error());
        const auto *data = reinterpret_cast<const std::uint8_t *>(bytes->data());
        auto reference = m_input ? m_input->reference(bytes->data(), bytes->size()) : std::nullopt;
        Json buffer = reference ? std::move(*reference)
                                : Json::binary(Json::binary_t::container_type(
                                      data, data + bytes->size()));
        buffer = endObject(id, std::move(buffer));
        if (!withView || peekTag() != std::optional<quint8>('V'))
            return buffer;
        ++m_pos;
        const size_t viewId = beginObject(start);
        const qsizetype at = m_pos;
        auto subtag = raw(1);
        auto offset = subtag ? varint() : Result<quint64>(std::unexpected(subtag.error()));
        auto size = offset ? varint() : offset;
        if (!size)
            return fail(size.error());
        if (auto flags = varint(); !flags) // version 14 and later
            return fail(flags.error());
        const auto &all = buffer.get_binary();
        if (*offset > *length || *size > *length - *offset)
            return malformed(QStringLiteral("a view outside its ArrayBuffer"), at);
        if (m_input)
            if (auto part = m_input->subReference(all, qint64(*offset), qint64(*size)))
                return endObject(viewId, std::move(*part));
        Json view = Json::binary(Json::binary_t::container_type(
            all.begin() + qsizetype(*offset), all.begin() + qsizetype(*offset + *size)));
        return endObject(viewId, std::move(view));
    }

    Result<Value> readValue()
    {
        if (m_depth >= kMaxJsonDepth)
            return fail(error(ErrorCode::Format,
                              QStringLiteral("the V8 value nests deeper than %1 at byte %2.")
                                  .arg(kMaxJsonDepth)
                                  .arg(m_pos)));
        ++m_depth;
        auto value = readTagged();
        --m_depth;
        return value;
    }

    Result<Value> readTagged()
    {
        auto tag = peekTag();
        while (tag == std::optional<quint8>('?')) { // object-count check
            ++m_pos;
            if (auto count = varint(); !count)
                return fail(count.error());
            tag = peekTag();
        }
        if (!tag)
            return truncated();
        const qsizetype at = m_pos++;
        switch (*tag) {
        case '_':
            return Value();
        case '0':
            return Value(Json());
        case 'T':
            return Value(Json(true));
        case 'F':
            return Value(Json(false));
        case 'I': {
            auto v = varint();
            if (!v)
                return fail(v.error());
            const quint32 zigzag = quint32(*v);
            return Value(Json(qint32((zigzag >> 1) ^ -qint32(zigzag & 1))));
        }
        case 'U': {
            auto v = varint();
            if (!v)
                return fail(v.error());
            return Value(Json(quint32(*v)));
        }
        case 'N': {
            auto v = readDouble();
            if (!v)
                return fail(v.error());
            return Value(Json(*v));
        }
        case '"':
        case 'c':
        case 'S': {
            auto s = readString(*tag);
            if (!s)
                return fail(s.error());
            return Value(std::move(*s));
        }
        case 'D':
        case 'n': {
            const size_t id = beginObject(at);
            auto v = readDouble();
            if (!v)
                return fail(v.error());
            return Value(endObject(id, Json(*v)));
        }
        case 'y':
        case 'x': {
            const size_t id = beginObject(at);
            return Value(endObject(id, Json(*tag == 'y')));
        }
        case 's': {
            const size_t id = beginObject(at);
            const auto stringTag = peekTag();
            if (!stringTag)
                return truncated();
            if (*stringTag != '"' && *stringTag != 'c' && *stringTag != 'S')
                return malformed(QStringLiteral("a String object without a string"), m_pos);
            ++m_pos;
            auto s = readString(*stringTag);
            if (!s)
                return fail(s.error());
            return Value(endObject(id, std::move(*s)));
        }
        case '^': {
            auto id = varint();
            if (!id)
                return fail(id.error());
            return replay(*id, at);
        }
        case 'o': {
            const size_t id = beginObject(at);
            ObjectBuilder object;
            if (auto read = readProperties('{', &object, nullptr); !read)
                return fail(read.error());
            return Value(endObject(id, object.take()));
        }
        case 'A': {
            const size_t id = beginObject(at);
            auto length = varint();
            if (!length)
                return fail(length.error());
            if (*length > quint64(m_bytes.size() - m_pos))
                return malformed(
                    QStringLiteral("a dense array longer (%1) than the bytes left").arg(*length),
                    at);
            Json array = Json::array();
            for (quint64 i = 0; i < *length; ++i) {
                if (peekTag() == std::optional<quint8>('-')) {
                    ++m_pos;
                    array.push_back(Json());
                    continue;
                }
                auto element = readValue();
                if (!element)
                    return fail(element.error());
                array.push_back(std::move(*element).value_or(Json()));
            }
            if (auto read = readProperties('$', nullptr, nullptr); !read)
                return fail(read.error());
            return Value(endObject(id, std::move(array)));
        }
        case 'a': {
            const size_t id = beginObject(at);
            auto length = varint();
            if (!length)
                return fail(length.error());
            if (*length > quint64(kMaxSparseLength))
                return malformed(QStringLiteral("a sparse array of length %1 (more than %2)")
                                     .arg(*length)
                                     .arg(kMaxSparseLength),
                                 at);
            Json array = Json::array();
            array.get_ref<Json::array_t &>().resize(size_t(*length)); // holes: null
            if (auto read = readProperties('@', nullptr, &array); !read)
                return fail(read.error());
            return Value(endObject(id, std::move(array)));
        }
        case 'B': {
            auto buffer = readArrayBuffer(at, true);
            if (!buffer)
                return fail(buffer.error());
            return Value(std::move(*buffer));
        }
        default:
            return fail(error(ErrorCode::Unsupported,
                              QStringLiteral("V8 tag '%1' (0x%2) at byte %3 is not read.")
                                  .arg(QChar::fromLatin1(char(*tag)))
                                  .arg(*tag, 2, 16, QLatin1Char('0'))
                                  .arg(at),
                              at));
        }
    }

    QByteArrayView m_bytes;
    QString m_where;
    ValueInput *m_input = nullptr;
    qsizetype m_pos = 0;
    int m_depth = 0;
    std::vector<ObjectBytes> m_objects;
    qint64 m_replayed = 0;
};

} // namespace

Result<Json> decodeV8Value(QByteArrayView bytes, const QString &where, ValueInput *input)
{
    return V8Reader(bytes, where, input).run();
}

} // namespace tfjs

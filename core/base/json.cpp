#include "json.h"

#include "objectbuilder.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <type_traits>
#include <unordered_set>
#include <vector>

// stringify() and stringifiedSize() recurse once per nesting level. parseJson() refuses more
// than kMaxJsonDepth levels, so for parsed values the recursion is bounded; values built in
// code are trusted to be reasonably shallow.
//
// nlohmann value kinds that JavaScript lacks are mapped to what JSON.stringify does with the
// nearest JavaScript value:
// - `discarded` plays `undefined`: an object key holding it is dropped, an array element
//   becomes null, and at the top level the result is empty (JSON.stringify returns undefined);
// - `binary` plays a Uint8Array: {"0":b0,"1":b1,...}.

namespace tfjs {

namespace {

// Appends `value` formatted per ECMAScript Number::toString (radix 10).
void appendNumber(std::string &out, double value)
{
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    if (value == 0) { // both +0 and -0
        out += '0';
        return;
    }
    // Shortest round-trip digits, laid out as d[.ddd]e±xx.
    std::array<char, 64> buf{};
    const auto [end, ec] =
        std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::scientific);
    if (ec != std::errc()) { // cannot happen with 64 bytes; be safe anyway
        out += "null";
        return;
    }
    std::string_view text(buf.data(), static_cast<size_t>(end - buf.data()));
    if (text.front() == '-') {
        out += '-';
        text.remove_prefix(1);
    }
    const size_t e = text.find('e');
    std::array<char, 32> digits{};
    int k = 0; // number of significant digits
    for (char c : text.substr(0, e)) {
        if (c != '.')
            digits[static_cast<size_t>(k++)] = c;
    }
    std::string_view expText = text.substr(e + 1);
    const bool expNegative = expText.front() == '-';
    if (expText.front() == '+' || expText.front() == '-')
        expText.remove_prefix(1);
    int exp = 0;
    std::from_chars(expText.data(), expText.data() + expText.size(), exp);
    if (expNegative)
        exp = -exp;

    // ECMA-262 Number::toString: value = 0.d1d2...dk × 10^n.
    const int n = exp + 1;
    const std::string_view s(digits.data(), static_cast<size_t>(k));
    if (k <= n && n <= 21) {
        out += s;
        out.append(static_cast<size_t>(n - k), '0');
    } else if (0 < n && n <= 21) {
        out += s.substr(0, static_cast<size_t>(n));
        out += '.';
        out += s.substr(static_cast<size_t>(n));
    } else if (-6 < n && n <= 0) {
        out += "0.";
        out.append(static_cast<size_t>(-n), '0');
        out += s;
    } else {
        out += s.front();
        if (k > 1) {
            out += '.';
            out += s.substr(1);
        }
        out += 'e';
        out += n - 1 >= 0 ? '+' : '-';
        out += std::to_string(std::abs(n - 1));
    }
}

template <typename Int>
void appendInteger(std::string &out, Int value)
{
    // JavaScript holds every number as a double: exact up to 2^53, rounded beyond.
    constexpr std::int64_t limit = std::int64_t{1} << 53;
    bool exact = false;
    if constexpr (std::is_signed_v<Int>)
        exact = value >= -limit && value <= limit;
    else
        exact = value <= static_cast<std::uint64_t>(limit);
    if (exact) {
        std::array<char, 24> buf{};
        const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
        out.append(buf.data(), end);
        (void)ec;
    } else {
        appendNumber(out, static_cast<double>(value));
    }
}

// Length of the escaped form of one byte of a string (without the quotes).
int escapedLength(unsigned char c)
{
    switch (c) {
    case '"': case '\\': case '\b': case '\f': case '\n': case '\r': case '\t':
        return 2;
    default:
        return c < 0x20 ? 6 : 1;
    }
}

void appendString(std::string &out, const std::string &text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xf];
            } else {
                out += ch; // raw, including DEL, '/', U+2028/2029 and all non-ASCII bytes
            }
        }
    }
    out += '"';
}

qint64 stringSize(const std::string &text)
{
    qint64 size = 2;
    for (const char ch : text)
        size += escapedLength(static_cast<unsigned char>(ch));
    return size;
}

void appendValue(std::string &out, const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded: // undefined in an array or at the top is handled by callers
        out += "null";
        return;
    case Json::value_t::boolean:
        out += value.get<bool>() ? "true" : "false";
        return;
    case Json::value_t::number_integer:
        appendInteger(out, value.get<std::int64_t>());
        return;
    case Json::value_t::number_unsigned:
        appendInteger(out, value.get<std::uint64_t>());
        return;
    case Json::value_t::number_float:
        appendNumber(out, value.get<double>());
        return;
    case Json::value_t::string:
        appendString(out, value.get_ref<const std::string &>());
        return;
    case Json::value_t::array: {
        out += '[';
        bool first = true;
        for (const Json &element : value) {
            if (!first)
                out += ',';
            first = false;
            appendValue(out, element);
        }
        out += ']';
        return;
    }
    case Json::value_t::object: {
        out += '{';
        bool first = true;
        for (const auto &[key, element] : value.get_ref<const Json::object_t &>()) {
            if (element.is_discarded())
                continue;
            if (!first)
                out += ',';
            first = false;
            appendString(out, key);
            out += ':';
            appendValue(out, element);
        }
        out += '}';
        return;
    }
    case Json::value_t::binary: {
        out += '{';
        const auto &bytes = value.get_binary();
        for (size_t i = 0; i < bytes.size(); ++i) {
            if (i)
                out += ',';
            out += '"';
            out += std::to_string(i);
            out += "\":";
            out += std::to_string(bytes[i]);
        }
        out += '}';
        return;
    }
    }
}

qint64 valueSize(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
        return 4;
    case Json::value_t::boolean:
        return value.get<bool>() ? 4 : 5;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: {
        std::string text;
        appendValue(text, value);
        return static_cast<qint64>(text.size());
    }
    case Json::value_t::string:
        return stringSize(value.get_ref<const std::string &>());
    case Json::value_t::array: {
        qint64 size = 2;
        for (const Json &element : value)
            size += valueSize(element) + 1;
        return value.empty() ? size : size - 1;
    }
    case Json::value_t::object: {
        qint64 size = 2;
        int written = 0;
        for (const auto &[key, element] : value.get_ref<const Json::object_t &>()) {
            if (element.is_discarded())
                continue;
            size += stringSize(key) + 1 + valueSize(element) + 1;
            ++written;
        }
        return written ? size - 1 : size;
    }
    case Json::value_t::binary: {
        std::string text;
        appendValue(text, value);
        return static_cast<qint64>(text.size());
    }
    }
    return 0;
}

} // namespace

void appendNewKey(Json &object, std::string key, Json value)
{
    auto &members = object.get_ref<Json::object_t &>();
    static_cast<Json::object_t::Container &>(members).emplace_back(std::move(key), std::move(value));
}

void appendMembers(Json &object, const Json &from, std::initializer_list<std::string_view> skip)
{
    if (!from.is_object())
        return;
    std::unordered_set<std::string_view> present(skip);
    std::vector<std::string> kept; // present's views into `object` must not move: copy first
    for (const auto &[key, value] : object.items())
        kept.push_back(key);
    present.insert(kept.begin(), kept.end());
    for (const auto &[key, value] : from.items()) {
        if (present.insert(key).second)
            appendNewKey(object, key, value);
    }
}

namespace {

// Builds the DOM like nlohmann's own SAX DOM parser, but records where parsing failed and
// stops at kMaxJsonDepth. nlohmann's SAX parser is iterative, so deep input never recurses.
class DomBuilder
{
public:
    Json root;
    bool tooDeep = false;
    std::size_t errorPosition = 0;
    std::string errorText;

    bool null() { return put(Json(nullptr)); }
    bool boolean(bool v) { return put(Json(v)); }
    bool number_integer(Json::number_integer_t v) { return put(Json(v)); }
    bool number_unsigned(Json::number_unsigned_t v) { return put(Json(v)); }
    bool number_float(Json::number_float_t v, const Json::string_t &) { return put(Json(v)); }
    bool string(Json::string_t &v) { return put(Json(std::move(v))); }
    bool binary(Json::binary_t &v) { return put(Json::binary(std::move(v))); }

    bool start_object(std::size_t) { return open(Json::object()); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    // A duplicate key keeps its first place and its later value wins, as in JSON.parse.
    bool key(Json::string_t &k)
    {
        m_slot = &m_stack.back().members.member(std::move(k));
        return true;
    }

    bool parse_error(std::size_t position, const std::string &lastToken, const Json::exception &ex)
    {
        errorPosition = position;
        // A number that overflows a double is reported after it was read: point at its start.
        if (ex.id == 406 && position >= lastToken.size())
            errorPosition = position - lastToken.size() + 1;
        errorText = ex.what();
        return false;
    }

private:
    struct Frame
    {
        Json *value;
        ObjectBuilder members; // an object's, moved into it when it closes
    };
    std::vector<Frame> m_stack;
    Json *m_slot = nullptr; // the object member named by the last key()

    bool put(Json &&v)
    {
        place(std::move(v));
        return true;
    }

    Json *place(Json &&v)
    {
        if (m_stack.empty()) {
            root = std::move(v);
            return &root;
        }
        Json &top = *m_stack.back().value;
        if (top.is_array()) {
            top.push_back(std::move(v));
            return &top.back();
        }
        *m_slot = std::move(v);
        return m_slot;
    }
    bool open(Json &&container)
    {
        if (static_cast<int>(m_stack.size()) >= kMaxJsonDepth) {
            tooDeep = true;
            return false;
        }
        m_stack.push_back({place(std::move(container)), {}});
        return true;
    }
    bool close()
    {
        Frame &frame = m_stack.back();
        if (frame.value->is_object())
            frame.members.moveInto(*frame.value);
        m_stack.pop_back();
        return true;
    }
};

// Byte offset of the first '[' or '{' (outside strings) that opens level kMaxJsonDepth + 1,
// or -1. Linear, no recursion.
qint64 tooDeepOffset(std::string_view text)
{
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > kMaxJsonDepth)
                return static_cast<qint64>(i);
            break;
        case ']':
        case '}':
            if (depth > 0)
                --depth;
            break;
        default:
            break;
        }
    }
    return -1;
}

// "[json.exception.parse_error.101] parse error at line 1, column 4: syntax error ..." ->
// "syntax error ...".
std::string reasonOf(std::string what)
{
    if (what.starts_with("[json.exception.")) {
        const size_t close = what.find("] ");
        if (close != std::string::npos)
            what.erase(0, close + 2);
    }
    if (what.starts_with("parse error")) {
        const size_t colon = what.find(": ");
        if (colon != std::string::npos)
            what.erase(0, colon + 2);
    }
    if (!what.empty() && what.back() != '.')
        what += '.';
    return what;
}

Error parseError(const QString &where, qint64 offset, const std::string &reason)
{
    Error error{ErrorCode::Parse,
                QStringLiteral("Invalid JSON in %1 at byte %2: %3")
                    .arg(where)
                    .arg(offset)
                    .arg(QString::fromUtf8(reason))};
    error.path = where;
    error.offset = offset;
    return error;
}

} // namespace

std::string stringify(const Json &value)
{
    std::string out;
    if (value.is_discarded())
        return out;
    appendValue(out, value);
    return out;
}

qint64 stringifiedSize(const Json &value)
{
    return value.is_discarded() ? 0 : valueSize(value);
}

// Non-finite values give "null", as JSON.stringify writes them.
std::string formatNumber(double value)
{
    std::string out;
    appendNumber(out, value);
    return out;
}

Result<Json> parseJson(std::string_view text, const QString &where)
{
    DomBuilder builder;
    bool ok = false;
    try {
        ok = Json::sax_parse(text.data(), text.data() + text.size(), &builder);
    } catch (const Json::exception &ex) { // not expected: errors go through parse_error()
        return std::unexpected(parseError(where, 0, reasonOf(ex.what())));
    }
    if (ok)
        return std::move(builder.root);
    if (builder.tooDeep) {
        // nlohmann only gets this deep when everything before is valid, so the bracket scan
        // (which tracks strings the same way) finds the same bracket.
        const qint64 offset = tooDeepOffset(text);
        return std::unexpected(parseError(
            where, offset < 0 ? static_cast<qint64>(text.size()) : offset,
            "arrays and objects are nested deeper than " + std::to_string(kMaxJsonDepth)
                + " levels."));
    }
    // nlohmann counts the offending character as read: position - 1 is its 0-based offset
    // (text.size() for an unexpected end of input).
    const qint64 offset = builder.errorPosition > 0
                              ? static_cast<qint64>(builder.errorPosition) - 1
                              : 0;
    return std::unexpected(parseError(where, offset, reasonOf(builder.errorText)));
}

} // namespace tfjs

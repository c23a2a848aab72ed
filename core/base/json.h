#pragma once

#include "error.h"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace tfjs {

// Objects keep their keys in insertion order, as JavaScript objects do.
using Json = nlohmann::ordered_json;

// Maximum nesting of arrays/objects accepted by parseJson.
inline constexpr int kMaxJsonDepth = 256;

// Writes `value` exactly as ECMAScript's JSON.stringify(value) would: compact, keys in order,
// numbers in the shortest round-trip ECMAScript form (5, 0.1, 1e-7, 1e+21, -0 -> 0,
// integers beyond 2^53 as the double they become), non-ASCII as raw UTF-8, control characters
// as \b \f \n \r \t or lower-case \u00xx. NaN/Inf (which JSON cannot hold) become null.
std::string stringify(const Json &value);

// UTF-8 byte length of stringify(value), without building the string.
qint64 stringifiedSize(const Json &value);

// ECMAScript Number::toString for a double (what JSON.stringify writes for a finite number).
std::string formatNumber(double value);

// Parses JSON text in either TF.js's or Python's style. Refuses nesting deeper than
// kMaxJsonDepth and invalid UTF-8. On failure: ErrorCode::Parse, `offset` = byte position,
// `path` = `where`, message "Invalid JSON in <where> at byte <n>: <reason>".
[[nodiscard]] Result<Json> parseJson(std::string_view text, const QString &where);

// The member `key` of `object`, or null when `object` is not an object or lacks it.
inline const Json *jsonMember(const Json &object, const char *key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

// The string member `key` of `object`; empty when absent or not a string.
inline std::string jsonString(const Json &object, const char *key)
{
    const Json *value = jsonMember(object, key);
    return value && value->is_string() ? value->get<std::string>() : std::string();
}

// Appends `key` to the object `object` without looking for it first. `object[key] = value`
// searches the ordered object's keys, so building an object of n keys that way is O(n^2);
// this is O(1). The caller guarantees the key is not in the object yet.
void appendNewKey(Json &object, std::string key, Json value);

// Appends the members of the object `from` whose keys `object` lacks and `skip` does not name,
// in order, in O(n) (one hash set of `object`'s keys).
void appendMembers(Json &object, const Json &from, std::initializer_list<std::string_view> skip = {});

// A JSON array of item.toJson() for each item of `items`, in order.
template <typename Items>
Json toJsonArray(const Items &items)
{
    Json list = Json::array();
    for (const auto &item : items)
        list.push_back(item.toJson());
    return list;
}

} // namespace tfjs

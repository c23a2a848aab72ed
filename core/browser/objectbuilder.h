#pragma once

#include "base/json.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tfjs {

// A JSON object built member by member, for the browser value decoders. nlohmann's ordered
// object is a vector of pairs whose keys are const, so each time it grows it copies every
// member, values and all: a decoded value with a large member before a dozen small ones was
// copied a dozen times (a fuzzed 618-byte Firefox value peaked at 300 MB). Here members are
// kept movable and moved into the object once, in order.
class ObjectBuilder
{
public:
    // A repeated key keeps its first place and takes the last value; nullopt (undefined)
    // drops the member.
    void set(std::string key, std::optional<Json> value)
    {
        const auto [at, added] = m_index.try_emplace(key, m_members.size());
        if (added)
            m_members.emplace_back(std::move(key), std::move(value));
        else
            m_members[at->second].second = std::move(value);
    }

    Json take()
    {
        Json object = Json::object();
        auto &members = object.get_ref<Json::object_t &>();
        members.reserve(m_members.size());
        for (auto &[key, value] : m_members) {
            if (value)
                members.emplace_back(std::move(key), std::move(*value));
        }
        m_members.clear();
        m_index.clear();
        return object;
    }

private:
    std::vector<std::pair<std::string, std::optional<Json>>> m_members;
    std::unordered_map<std::string, std::size_t> m_index;
};

} // namespace tfjs

#pragma once

#include "base/json.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tfjs {

// A JSON object built member by member, for the JSON parser and the browser value decoders.
// nlohmann's ordered object is a vector of pairs whose keys are const, so each time it grows it
// copies every member, values and all (a 25 MB model.json's topology three times; a fuzzed
// 618-byte Firefox value peaked at 240 MB). Here members stay movable and go into the object
// once, in order. A repeated key keeps its first place and takes the last value, as in
// JSON.parse. Small objects are searched; from kIndexedKeys members on, the keys get a hash
// index, so n keys take O(n), not O(n^2) (100,000 keys took 8 s of CPU before).
class ObjectBuilder
{
public:
    // The member named `key`, null when new; valid until the next call.
    Json &member(std::string key)
    {
        std::optional<Json> &slot = slotFor(std::move(key));
        if (!slot)
            slot.emplace();
        return *slot;
    }

    // Sets `key`; nullopt (undefined) drops it.
    void set(std::string key, std::optional<Json> value) { slotFor(std::move(key)) = std::move(value); }

    // Moves the members into `object` (an empty JSON object).
    void moveInto(Json &object)
    {
        auto &members = static_cast<Json::object_t::Container &>(object.get_ref<Json::object_t &>());
        members.reserve(m_members.size());
        for (auto &[key, value] : m_members) {
            if (value)
                members.emplace_back(std::move(key), std::move(*value));
        }
        m_members.clear();
        m_index.reset();
    }

    Json take()
    {
        Json object = Json::object();
        moveInto(object);
        return object;
    }

private:
    static constexpr std::size_t kIndexedKeys = 32;

    std::optional<Json> &slotFor(std::string key)
    {
        if (!m_index && m_members.size() >= kIndexedKeys) {
            m_index = std::make_unique<std::unordered_map<std::string, std::size_t>>();
            for (std::size_t i = 0; i < m_members.size(); ++i)
                m_index->emplace(m_members[i].first, i);
        }
        std::size_t at = m_members.size();
        if (m_index) {
            at = m_index->try_emplace(key, m_members.size()).first->second;
        } else {
            for (std::size_t i = 0; i < m_members.size(); ++i) {
                if (m_members[i].first == key) {
                    at = i;
                    break;
                }
            }
        }
        if (at == m_members.size())
            m_members.emplace_back(std::move(key), std::nullopt);
        return m_members[at].second;
    }

    std::vector<std::pair<std::string, std::optional<Json>>> m_members;
    std::unique_ptr<std::unordered_map<std::string, std::size_t>> m_index;
};

} // namespace tfjs

#pragma once
// JSON text for every writer. Paths in maps come from any host and need not be valid UTF-8;
// nlohmann's dump() would throw on them, so invalid bytes are replaced instead.
#include <string>

#include <nlohmann/json.hpp>

namespace sizebudget {

template <typename Json>
std::string json_text(const Json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sizebudget

#pragma once
// Interns the names a map repeats thousands of times (object paths, section names) so the model
// holds each once, and so parsers allocate per distinct name rather than per line.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "sizebudget/name_hash.hpp"

namespace sizebudget {

class StringPool {
public:
    StringPool() = default;
    StringPool(const StringPool&) = delete;
    StringPool& operator=(const StringPool&) = delete;

    // The returned view stays valid as long as the pool lives, and a NUL follows its last byte.
    std::string_view intern(std::string_view text);
    // Keeps a copy without looking for an equal one: for names that are nearly all distinct,
    // where interning would cost a hash-table probe per name and save nothing.
    std::string_view copy(std::string_view text);

    std::size_t bytes_used() const { return bytes_used_; }

private:
    std::string_view store(std::string_view text);

    NameSet interned_;  // views into blocks_

    std::vector<std::unique_ptr<char[]>> blocks_;
    std::size_t block_left_ = 0;
    char* block_next_ = nullptr;
    std::size_t bytes_used_ = 0;
};

}  // namespace sizebudget

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
    // Object paths ("dir/libx.a(member.o)" or "dir/x.o") are best found by archive, then by
    // member name within it: a map names 20,000 objects sharing a long prefix, in no order the
    // cache keeps, and confirming a hit by the whole path read a line of memory per lookup; the
    // few archives stay in the cache, and members are short. path_key() is that key: 1 + the
    // archive's number and the member's name (a view into `path`), or 0 and the whole path where
    // it names no archive.
    ScopedName path_key(std::string_view path);
    // The archive path (interned) of a key's scope, 1 or more.
    std::string_view archive(std::uint32_t scope) const { return archives_[scope - 1]; }
    // Keeps a copy without looking for an equal one: for names that are nearly all distinct,
    // where interning would cost a hash-table probe per name and save nothing.
    std::string_view copy(std::string_view text);

    std::size_t bytes_used() const { return bytes_used_; }

private:
    std::string_view store(std::string_view text);

    NameSet interned_;  // views into blocks_

    NameMap<std::uint32_t> archive_numbers_;  // archive path (interned) -> 1 + its number
    std::vector<std::string_view> archives_;  // by number
    std::uint32_t last_archive_number_ = 0;   // of the last path_key(), 0 before one

    std::vector<std::unique_ptr<char[]>> blocks_;
    std::size_t block_left_ = 0;
    char* block_next_ = nullptr;
    std::size_t bytes_used_ = 0;
};

}  // namespace sizebudget

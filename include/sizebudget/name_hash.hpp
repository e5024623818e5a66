#pragma once
// The hash tables of the model, the parsers and the totals: Boost's open-addressing flat maps,
// hashing names over every byte. Paths in one map share long prefixes and, where member names
// repeat across archives (`libcomp165.a(obj12.c.obj)`), long suffixes too: a hash that samples
// part of a key puts all of those in one chain.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

namespace sizebudget {

// XXH3 over the whole name. Its output is well mixed, so the table uses it as it is.
struct NameHash {
    using is_avalanching = void;
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const noexcept;
    // The same over a name in a numbered scope (a member name within its archive).
    std::size_t operator()(std::string_view name, std::uint64_t scope) const noexcept;
};

// a == b for paths of one map, which share long prefixes and differ near the end: the tail is
// compared first, so a miss rarely reads the whole path.
inline bool same_path(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    const std::size_t tail = a.size() < 16 ? a.size() : 16;
    return a.substr(a.size() - tail) == b.substr(b.size() - tail) && a == b;
}

// A name within a numbered scope: an object's member name within its archive (string_pool.hpp).
struct ScopedName {
    std::uint32_t scope;
    std::string_view name;
    bool operator==(const ScopedName& o) const noexcept { return scope == o.scope && name == o.name; }
};
struct ScopedNameHash {
    using is_avalanching = void;
    std::size_t operator()(const ScopedName& k) const noexcept { return NameHash{}(k.name, k.scope); }
};

template <typename Value>
using NameMap = boost::unordered_flat_map<std::string_view, Value, NameHash>;
template <typename Value>
using ScopedNameMap = boost::unordered_flat_map<ScopedName, Value, ScopedNameHash>;
using NameSet = boost::unordered_flat_set<std::string_view, NameHash>;

// Keys that are already small integers or pointers: Boost's default hash, which the table
// mixes itself.
template <typename Value>
using IdMap = boost::unordered_flat_map<std::uint64_t, Value>;
using IdSet = boost::unordered_flat_set<std::uint64_t>;

}  // namespace sizebudget

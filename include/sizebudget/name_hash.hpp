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
};

template <typename Value>
using NameMap = boost::unordered_flat_map<std::string_view, Value, NameHash>;
using NameSet = boost::unordered_flat_set<std::string_view, NameHash>;

// Keys that are already small integers or pointers: Boost's default hash, which the table
// mixes itself.
template <typename Value>
using IdMap = boost::unordered_flat_map<std::uint64_t, Value>;

}  // namespace sizebudget

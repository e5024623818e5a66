#include "sizebudget/name_hash.hpp"

// xxHash is header-only here; inlining it into this one function keeps it out of every other
// translation unit.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace sizebudget {

std::size_t NameHash::operator()(std::string_view name) const noexcept {
    return static_cast<std::size_t>(XXH3_64bits(name.data(), name.size()));
}

std::size_t NameHash::operator()(std::string_view name, std::uint64_t scope) const noexcept {
    return static_cast<std::size_t>(XXH3_64bits_withSeed(name.data(), name.size(), scope));
}

}  // namespace sizebudget

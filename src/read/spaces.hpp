#pragma once
// Runs of one byte in a map's lines, skipped eight bytes at a time: linkers pad their columns with
// spaces (an lld line holds some fifty, a GNU ld input section line twenty) and 64-bit addresses
// with zeros, and testing them one by one was a third of reading an lld map.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sizebudget {

// Eight bytes of text with the first in the lowest byte, whatever the machine's byte order: then
// the first byte found is the lowest flagged one (std::countr_zero).
inline std::uint64_t eight_bytes(const char* at) {
    std::uint64_t word;
    std::memcpy(&word, at, 8);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    return word;
}

// The first position from `p` whose byte is not `c`.
inline std::size_t skip_run(std::string_view s, std::size_t p, char c) {
    const std::uint64_t run = 0x0101010101010101ull * static_cast<unsigned char>(c);
    while (p + 8 <= s.size()) {
        if (const std::uint64_t other = eight_bytes(s.data() + p) ^ run; other != 0)
            return p + std::countr_zero(other) / 8;
        p += 8;
    }
    while (p < s.size() && s[p] == c) ++p;
    return p;
}

// The first position from `p` that is not a space (' ').
inline std::size_t skip_blanks(std::string_view s, std::size_t p) { return skip_run(s, p, ' '); }

// The first position from `p` that holds a space or a tab: where a section's or a symbol's name
// ends (they run to forty characters and more).
inline std::size_t find_blank(std::string_view s, std::size_t p) {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    // A byte of `v` that is zero sets its high bit here; the lowest flagged byte is always a
    // true zero (a borrow only runs upward from one, toward later bytes of the text).
    auto zero_bytes = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    while (p + 8 <= s.size()) {
        const std::uint64_t word = eight_bytes(s.data() + p);
        if (const std::uint64_t hit = zero_bytes(word ^ (ones * ' ')) | zero_bytes(word ^ (ones * '\t')); hit != 0)
            return p + std::countr_zero(hit) / 8;
        p += 8;
    }
    while (p < s.size() && s[p] != ' ' && s[p] != '\t') ++p;
    return p;
}

}  // namespace sizebudget

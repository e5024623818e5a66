#pragma once
// What both map readers scan lines for: runs of one byte, skipped eight bytes at a time (linkers
// pad their columns with spaces, some fifty an lld line and twenty a GNU ld input section line,
// and 64-bit addresses with zeros: testing them one by one was a third of reading an lld map),
// the end of a name, and hex numbers.
#include <array>
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

// 0..15 for a hex digit, 16 otherwise: one load a character rather than tests of its ranges
// (2.6 million fewer instructions reading a 2.7 MB lld map).
inline constexpr auto hex_digit_values = [] {
    std::array<std::uint8_t, 256> t{};
    for (unsigned c = 0; c < 256; ++c)
        t[c] = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
    return t;
}();
inline unsigned hex_digit(char c) { return hex_digit_values[static_cast<unsigned char>(c)]; }

// The hex digits from s[p]: their value in `value`, `fits` false past 64 bits (more than 16
// digits after the leading zeros). Returns where the digits end.
[[gnu::always_inline]] inline std::size_t hex_digits(std::string_view s, std::size_t p, std::uint64_t& value, bool& fits) {
    std::uint64_t v = 0;
    unsigned significant = 0;
    for (; p < s.size(); ++p) {
        const unsigned d = hex_digit(s[p]);
        if (d > 15) break;
        if (v != 0 || d != 0) ++significant;
        v = (v << 4) | d;
    }
    value = v;
    fits = significant <= 16;
    return p;
}

}  // namespace sizebudget

#include "sizebudget/utf8.hpp"

#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace sizebudget {

std::size_t utf8_sequence_at(std::string_view text, std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) return 1;
    const std::size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len == 0 || i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
    const auto c1 = static_cast<unsigned char>(text[i + 1]);
    if (len == 3 && ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0))) return 0;  // overlong, surrogate
    if (len == 4 && ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90))) return 0;  // overlong, > U+10FFFF
    return len;
}

bool is_valid_utf8(std::string_view text) {
    // Names are ASCII nearly always: eight bytes at a time decide that (every name of a map
    // passes here once, so this is on the parsers' hot path).
    std::uint64_t high = 0;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        high |= word;
    }
    for (; i < text.size(); ++i) high |= static_cast<unsigned char>(text[i]);
    if ((high & 0x8080808080808080ull) == 0) return true;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8_sequence_at(text, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::string escape_invalid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8_sequence_at(text, i);
        if (len == 0) {
            out += fmt::format("%{:02X}", static_cast<unsigned char>(text[i]));
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

}  // namespace sizebudget

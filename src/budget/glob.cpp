// Shell-style globs for budget keys. Our own rather than fnmatch(3) so that matching is the same
// on every host and '/' needs no special flag: `*` matches any run of characters, '/' included.
#include <fmt/format.h>

#include "sizebudget/budget.hpp"

namespace sizebudget {

namespace {

// Matches the bracket expression starting at pattern[p] == '[' against c. Sets `end` to the index
// after the closing ']'. Returns false for an unterminated bracket (then `end` is npos).
bool match_bracket(std::string_view pattern, std::size_t p, char c, bool& matched, std::size_t& end) {
    std::size_t i = p + 1;
    bool negate = false;
    if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
        negate = true;
        ++i;
    }
    bool hit = false;
    bool first = true;
    while (i < pattern.size() && (first || pattern[i] != ']')) {
        first = false;
        char lo = pattern[i];
        if (lo == '\\' && i + 1 < pattern.size()) lo = pattern[++i];
        char hi = lo;
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
            hi = pattern[i + 2];
            if (hi == '\\' && i + 3 < pattern.size()) {
                hi = pattern[i + 3];
                ++i;
            }
            i += 2;
        }
        if (static_cast<unsigned char>(c) >= static_cast<unsigned char>(lo) &&
            static_cast<unsigned char>(c) <= static_cast<unsigned char>(hi))
            hit = true;
        ++i;
    }
    if (i >= pattern.size()) {
        end = std::string_view::npos;
        return false;
    }
    end = i + 1;
    matched = hit != negate;
    return true;
}

}  // namespace

bool is_glob(std::string_view pattern) {
    return pattern.find_first_of("*?[\\") != std::string_view::npos;
}

std::string glob_error(std::string_view pattern) {
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\') {
            ++i;
            if (i == pattern.size()) return "the glob ends with a lone '\\'";
        } else if (pattern[i] == '[') {
            bool matched = false;
            std::size_t end = 0;
            if (!match_bracket(pattern, i, 'a', matched, end))
                return fmt::format("unterminated '[' at position {} of the glob (write '\\[' for a literal '[')",
                                   i + 1);
            i = end - 1;
        }
    }
    return {};
}

std::string_view glob_plain_tail(std::string_view pattern) {
    const std::size_t star = pattern.rfind('*');
    if (star == std::string_view::npos) return {};
    const std::string_view tail = pattern.substr(star + 1);
    return tail.find_first_of("?[]\\") == std::string_view::npos ? tail : std::string_view{};
}

bool glob_match(std::string_view pattern, std::string_view text) {
    // Most texts a budget's globs are tried against ("*/libdrv*.a(uart.o)" against 2,000 object
    // paths) fail on the plain tail, without a walk.
    if (!text.ends_with(glob_plain_tail(pattern))) return false;
    // Iterative matcher with one backtrack point (the last '*'): linear in practice and never
    // exponential, whatever the pattern.
    std::size_t p = 0, t = 0;
    std::size_t star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size()) {
            char pc = pattern[p];
            if (pc == '*') {
                while (p < pattern.size() && pattern[p] == '*') ++p;
                if (p == pattern.size()) return true;
                star_p = p;
                star_t = t;
                continue;
            }
            if (pc == '?') {
                ++p;
                ++t;
                continue;
            }
            if (pc == '[') {
                bool matched = false;
                std::size_t end = 0;
                if (match_bracket(pattern, p, text[t], matched, end)) {
                    if (matched) {
                        p = end;
                        ++t;
                        continue;
                    }
                } else if (text[t] == '[') {  // unterminated: a literal '['
                    ++p;
                    ++t;
                    continue;
                }
            } else {
                if (pc == '\\' && p + 1 < pattern.size()) pc = pattern[p + 1];
                if (pc == text[t]) {
                    p += pattern[p] == '\\' && p + 1 < pattern.size() ? 2 : 1;
                    ++t;
                    continue;
                }
            }
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p;
        t = ++star_t;
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace sizebudget

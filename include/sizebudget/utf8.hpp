#pragma once
// Text from maps comes from any host and need not be UTF-8. Every name entering the model is made
// valid UTF-8 once, the same way for every output: a byte that starts no valid sequence is written
// %XX, as in URLs (a backslash escape would read as a Windows folder separator in paths). Valid
// text, nearly all of it ASCII, is left as it is.
#include <cstddef>
#include <string>
#include <string_view>

namespace sizebudget {

// Length of the valid UTF-8 sequence at text[i] (1 for ASCII), or 0 when none starts there
// (a stray continuation byte, an overlong form, a surrogate, a truncated sequence).
std::size_t utf8_sequence_at(std::string_view text, std::size_t i);

// True when `text` is valid UTF-8; fast for ASCII.
bool is_valid_utf8(std::string_view text);

// `text` with each byte that starts no valid sequence written as %XX.
std::string escape_invalid_utf8(std::string_view text);

}  // namespace sizebudget

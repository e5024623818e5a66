#pragma once
// How sizes are written for people and how GNU ld writes them.
#include <cstdint>
#include <string>

namespace sizebudget {

// "812 B", "21.9 KiB", "1.50 MiB": three significant digits, binary units.
std::string human_size(std::uint64_t bytes);

// Signed change for diffs: "+416 B", "-4.3 KiB", "0 B".
std::string human_delta(std::int64_t bytes);

// One size column of ld's --print-memory-usage: "%11u B", or "%10u KB"/MB/GB when an exact multiple.
std::string ld_size_column(std::uint64_t bytes);

// ld's "%age Used" column, e.g. "   2.28%".
std::string ld_percent_column(std::uint64_t used, std::uint64_t length);

}  // namespace sizebudget

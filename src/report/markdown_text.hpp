#pragma once
// Pieces of GitHub-flavoured Markdown the Markdown writers share (report, check).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sizebudget {

// A table cell: no line breaks, '|' escaped, Markdown emphasis characters defused.
std::string markdown_cell(std::string_view text);

// A code span that survives any backticks in `text`. In a table a '|' must be escaped even
// inside a code span (the table is split into cells first); the backslash is not shown.
std::string markdown_code(std::string_view text, bool in_table = true);

// One size trap: title, evidence (with what it retains, when it has bytes), chain, remedy.
std::string markdown_hint(std::string_view title, std::string_view evidence, std::uint64_t retained,
                          const std::vector<std::string>& why, std::string_view remedy);

}  // namespace sizebudget

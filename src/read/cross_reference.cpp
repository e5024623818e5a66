// The Cross Reference Table of GNU ld and lld maps (-Wl,--cref).
#include "sizebudget/map_reader.hpp"

namespace sizebudget {

namespace {

constexpr std::size_t file_column = 50;  // ldcref.c FILECOL; lld pads the name to 49 and a space

// By hand: find_first_not_of(" \t\r") calls memchr once per character, and a file line of the
// table is 50 spaces of indent.
constexpr bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim_end(std::string_view s) {
    // A symbol's name is padded to the 50th column: eight spaces at a time first.
    while (s.size() >= 8 && s.ends_with("        ")) s.remove_suffix(8);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    return trim_end(s);
}

}  // namespace

std::string_view strip_plugin_suffix(std::string_view s) {
    constexpr std::string_view suffix = " (symbol from plugin)";
    if (s.ends_with(suffix)) s.remove_suffix(suffix.size());
    return trim_end(s);
}

void read_cross_reference_line(LinkMap& map, std::string_view line, StoredPaths* stored) {
    map.has_cross_references = true;
    // Most lines of the table are a file under the previous symbol: 50 spaces, then the file.
    constexpr std::string_view column_of_spaces = "                                                  ";
    static_assert(column_of_spaces.size() == file_column);
    std::size_t indent = line.starts_with(column_of_spaces) ? file_column : 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    if (indent == line.size()) return;
    auto add_file = [&](std::string_view file) {
        file = strip_plugin_suffix(trim(file));
        if (file.empty() || map.cross_references.empty()) return;
        // Stored once: a table names each file again under every symbol it defines or references
        // (a 200 MB map's table held 19 MB of copies of 4,000 paths).
        const char* path = stored != nullptr ? stored->find(file) : nullptr;
        map.cref_files.push_back(path != nullptr ? path : map.intern(file).data());
        ++map.cross_references.back().file_count;
    };
    if (indent >= file_column) {
        add_file(line.substr(indent));
        return;
    }
    if (indent > 0) return;  // not a line of the table
    std::string_view name, file;
    if (line.size() > file_column && line[file_column - 1] == ' ' && line[file_column] != ' ' &&
        line[file_column] != '\t') {
        name = trim(line.substr(0, file_column));
        file = line.substr(file_column);
    } else {
        // A name of 49 characters or more is followed by one space. C++ names hold spaces, in
        // their parameter lists above all: the file follows the last space outside parentheses.
        int depth = 0;
        std::size_t split = std::string_view::npos;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '(') ++depth;
            else if (line[i] == ')') --depth;
            else if (line[i] == ' ' && depth == 0) split = i;
        }
        if (split == std::string_view::npos) return;  // "No symbols", a heading
        name = trim(line.substr(0, split));
        file = line.substr(split + 1);
    }
    if (name.empty() || (name == "Symbol" && trim(file) == "File")) return;  // the header
    map.cross_references.emplace_back(map.strings->copy(name), static_cast<std::uint32_t>(map.cref_files.size()));
    add_file(file);
}

}  // namespace sizebudget

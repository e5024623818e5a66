#pragma once
// YAML files read strictly (the budget file, hint rules): yaml-cpp's event API into a small tree
// that keeps every key's line and column and rejects duplicate keys, anchors, aliases and deep
// nesting, so that every problem is one Error(file, line, column, message).
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/budget.hpp"

namespace sizebudget {

struct YNode {
    enum class Kind { null, scalar, sequence, map } kind = Kind::null;
    SourceLocation where;
    std::string value;                      // scalars
    std::vector<YNode> items;               // sequence items, or map values
    std::vector<std::string> keys;          // map keys, parallel to items
    std::vector<SourceLocation> key_where;  // map key locations
};

// The user's text as a message may quote it: control characters and bytes that are not UTF-8 as
// \xNN, at most one line of sane length.
std::string printable(std::string_view text);

// The one YAML document of `text`; `what` names the file in messages ("budget file"), `needs`
// says what an empty one lacks ("`version: 1` and one budget"). Throws Error at the problem.
YNode parse_yaml_tree(std::string_view text, const std::string& path, std::string_view what, std::string_view needs);

}  // namespace sizebudget

#pragma once
// Where the bytes go, as a tree for the HTML report's treemap: region -> output section ->
// archive -> object -> symbol from a map, or region -> archive -> object -> symbol from totals
// (a snapshot records no section per archive). Every node's size is the sum of its children's,
// so an area drawn for a node is exactly filled by its children.
//
// A big link has hundreds of thousands of symbols; a page cannot draw them all, nor should it
// carry them: fold() keeps the largest items and sums the rest of each parent into one
// "(N more)" node.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/link_map.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget {

enum class NodeKind : std::uint8_t {
    root,
    region,
    section,
    archive,
    object,
    symbol,
    fill,      // fill, linker script data and linker-made gaps: no object's content
    reserved,  // reserved address space (OutputSection::reserved), not content
    folded,    // "(N more)": the small items of a parent, summed
};
// One letter per kind, as the page's data names them: R r s a o y f v m.
char node_kind_letter(NodeKind kind);

struct TreeNode {
    std::string name;    // archive file names, object members, "(fill)"; symbols as the map writes
                         // them (mangled): only those a page keeps are worth demangling
    std::string detail;  // full path of an archive or object, a symbol's aliases, a section's note
    std::uint64_t size = 0;
    NodeKind kind = NodeKind::root;
    std::vector<std::uint32_t> children;  // indexes into SizeTree::nodes
    // What a check or diff says of the item: a verdict status ("exceeded") or a change ("grown");
    // empty when nothing does. `delta` is the diff's change of its bytes.
    std::string mark;
    std::int64_t delta = 0;
    // What budgets and diffs know the item by: from a map, an object's name in the totals
    // ("libc_nano.a(lib_a-printf.o)"); from a snapshot's totals, the identity (identity.hpp).
    std::string id;
};

struct SizeTree {
    std::vector<TreeNode> nodes;  // nodes[0] is the root
    TreeNode& root() { return nodes.front(); }
    const TreeNode& root() const { return nodes.front(); }
};

// Region -> section -> archive -> object -> symbol. A section copied from flash to RAM (`.data`)
// is under both regions, as the regions count it; sections outside every region are under
// "(no region)". Reserved sections are one leaf each.
SizeTree map_tree(const LinkMap& map);

// Region -> archive -> object -> symbol from rows that carry per-region bytes (a snapshot's
// totals, with symbol rows; without them objects are leaves).
SizeTree totals_tree(const Totals& totals);

struct FoldLimits {
    std::size_t max_nodes = 30000;   // archive, object, symbol and fill nodes kept in all
    std::size_t max_children = 250;  // kept under one parent
};

// Keeps the largest archives, objects and symbols, and at most max_children under one parent
// (regions and sections fold only past that), and folds each parent's others into one
// "(N more)" node. Sizes are unchanged.
void fold(SizeTree& tree, const FoldLimits& limits = {});

}  // namespace sizebudget

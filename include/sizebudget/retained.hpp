#pragma once
// Retained sizes of the totals' rows: what the link would lose without each archive, object,
// symbol and crate (reference_graph.hpp), for the report's `retained` column and JSON field.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/link_map.hpp"
#include "sizebudget/name_hash.hpp"
#include "sizebudget/reference_graph.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget {

// A row retained sizes say nothing of: fill, linker data, reserved space, "(no symbol)".
inline constexpr std::uint64_t no_retained = ~std::uint64_t{0};

// What a symbol retains. With relocations (--emit-relocs), a symbol that is its input section
// (-ffunction-sections: the section holds nothing else) retains what the section does in the
// dominator tree of the sections. Otherwise its own bytes, or its object's retained size where
// every reference to the object is to that symbol. Built once per graph.
class SymbolRetention {
public:
    SymbolRetention(const ReferenceGraph& graph, const LinkMap& map);
    // `name` as the map prints it or readable; `object_path` the defining object's.
    std::uint64_t of(std::string_view object_path, std::string_view name, std::uint64_t size) const;
    const std::vector<std::uint64_t>& by_node() const { return by_node_; }

private:
    const ReferenceGraph& graph_;
    std::vector<std::uint64_t> by_node_;
    std::vector<std::string_view> only_symbol_;  // the one symbol every reference to a node names
    std::vector<bool> mixed_;                     // references to the node name several
    // Symbols that are their whole input section, by name: (object path, section's retained).
    NameMap<std::vector<std::pair<std::string_view, std::uint64_t>>> by_section_;
};

struct RetainedSizes {
    // What the figures rest on: "cross reference table", "archive member table", "--why-extract";
    // empty when the map has no evidence (then every figure is no_retained).
    std::string evidence;
    // Parallel to the rows of the Totals they were computed for.
    std::vector<std::uint64_t> archives, objects, symbols, crates;
    // Archives and crates whose figure is a lower bound: a link of too many to search each
    // (retained_by_group()).
    std::size_t estimated = 0;
    // The graph they come from and what its symbols retain, for hints and why-chains.
    std::shared_ptr<const ReferenceGraph> graph;
    std::shared_ptr<const SymbolRetention> symbol_retention;

    const std::vector<std::uint64_t>& of(Breakdown by) const;
};

// From the map's evidence, for the rows of `totals` (computed from `map`, after any filtering).
// An object retains its bytes and what only it keeps; an archive or crate, what only its members
// keep; a symbol, as SymbolRetention says. Only the first `symbol_rows` symbol rows get a figure
// (the rest no_retained): a report showing the top 20 of two million need not hold them all.
RetainedSizes retained_sizes(const LinkMap& map, const Totals& totals,
                             std::size_t symbol_rows = std::numeric_limits<std::size_t>::max());

}  // namespace sizebudget

#pragma once
// `sizebudget why MAP ITEM`: the chains of references that put an item in the link, and what
// leaving it out would save.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/link_map.hpp"
#include "sizebudget/reference_graph.hpp"

namespace sizebudget {

struct WhyAnswer {
    std::string item;                 // as asked
    std::string kind;                 // "symbol", "object", "archive", "crate"; empty when not linked
    std::vector<std::string> matches; // what the item named in the link (readable), up to a few
    std::vector<std::uint32_t> nodes; // the files that hold it
    std::uint64_t bytes = 0;          // its own bytes
    std::uint64_t retained = 0;       // what the link would lose without it (reference_graph.hpp)
    std::vector<std::vector<WhyStep>> chains;
    // Not linked: why not, when the map says ("its section .text.f of obj/a.o was discarded").
    std::string not_linked;
    std::vector<std::string> notes;   // missing evidence and the link option that adds it
};

// Answers for `item` (a symbol, object, archive or crate name, or a glob of them). Throws Error
// naming the closest names when nothing in the map, linked or discarded, is called that.
WhyAnswer answer_why(const LinkMap& map, const ReferenceGraph& graph, std::string_view item);

// One chain, a line per step: "obj/main.o (linked directly)", then "references printf in
// libc_nano.a(lib_a-printf.o)  [cross reference table]" for each reference.
std::vector<std::string> chain_lines(const ReferenceGraph& graph, const std::vector<WhyStep>& chain);

// The answer as text, one step of each chain a line.
std::string why_text(const ReferenceGraph& graph, const WhyAnswer& answer);

// Evidence missing from `map` for why-chains, as notes naming the link option that adds it.
std::vector<std::string> missing_evidence(const LinkMap& map);

}  // namespace sizebudget

#pragma once
// Why an object file is in the link, and what leaving it out would save: the graph of references
// between the link's files, from the evidence the map carries.
//
// Evidence, strongest first:
//   - GNU ld's Cross Reference Table (-Wl,--cref): every file that references each global symbol
//     and the file that defines it (the map's own symbol lists tell the definition apart);
//   - the archive member table GNU ld always writes ("Archive member included to satisfy
//     reference by file (symbol)"), and lld's --why-extract=FILE output: for each archive member,
//     the first reference that pulled it in.
//   - with an --elf image linked with --emit-relocs, its relocations: the references between the
//     sections the link kept, and nothing else. They replace the cross reference table, which
//     also lists references from sections --gc-sections dropped; the member table then only
//     explains members no relocation reaches (kept by KEEP, or by -u).
// Nodes are files. Without relocations the edges join files, not sections: the graph knows that
// main.o references printf, not that only a section --gc-sections dropped did, and an object kept
// by a reference from a discarded section counts as kept.
//
// Roots are the files linked directly (not archive members), members the command line or the
// entry point asks for (-u SYMBOL, ENTRY) and members no evidence explains.
#include <cstdint>
#include <list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sizebudget/link_map.hpp"
#include "sizebudget/name_hash.hpp"

namespace sizebudget {

enum class Evidence : std::uint8_t { cross_reference, member_table, why_extract, relocations };
std::string_view evidence_name(Evidence e);  // "cross reference table", "archive member table", ...

struct ReferenceEdge {
    std::string_view symbol;  // what `to` defines that the source of the edge references
    std::uint32_t to = 0;     // node
    // With relocations: index into ReferenceGraph::edge_sections; npos32 otherwise.
    std::uint32_t sections = npos32;
    Evidence evidence = Evidence::cross_reference;
};

// A graph is as large as the link's files and references (400,000 objects in the benchmark's
// densest map): nodes hold no heap storage of their own, and edges lie in one array, each node's
// together.
struct ReferenceNode {
    std::string_view path;     // as the map writes it: "libc_nano.a(lib_a-printf.o)", "obj/main.o"
    std::string_view archive;  // empty when linked directly
    std::uint64_t bytes = 0;   // allocated bytes of its input sections (reserved space excluded)
    std::uint32_t object = npos32;  // index into LinkMap::objects; npos32 for a file that only
                                    // appears as evidence (it contributed no section)
    bool root = false;
    // "linked directly", "-u or the entry point asks for SYMBOL", ...; kept by the graph.
    std::string_view root_reason;
    std::uint32_t first_edge = 0, edge_count = 0;  // range in ReferenceGraph::edges
};

struct ReferenceGraph {
    std::vector<ReferenceNode> nodes;
    std::vector<ReferenceEdge> edges;  // each node's edges together, in the order found
    // With relocations, the input sections an edge's reference leaves and reaches.
    std::vector<std::pair<std::string_view, std::string_view>> edge_sections;
    std::list<std::string> reasons;  // root reasons that name a symbol (a list: views stay valid)
    bool has_cross_references = false;  // the map had --cref's table
    bool has_member_table = false;      // GNU ld's archive member table or lld's --why-extract
    bool has_relocations = false;       // the --elf image's relocations (--emit-relocs)
    NameMap<std::uint32_t> index;       // node by path

    // The node of a path, npos32 when the link has none.
    std::uint32_t find(std::string_view path) const {
        auto it = index.find(path);
        return it == index.end() ? npos32 : it->second;
    }
    std::span<const ReferenceEdge> edges_of(std::uint32_t node) const {
        return {edges.data() + nodes[node].first_edge, nodes[node].edge_count};
    }
    std::string_view from_section(const ReferenceEdge& e) const {
        return e.sections == npos32 ? std::string_view{} : edge_sections[e.sections].first;
    }
    std::string_view to_section(const ReferenceEdge& e) const {
        return e.sections == npos32 ? std::string_view{} : edge_sections[e.sections].second;
    }
};

ReferenceGraph build_reference_graph(const LinkMap& map);

// What the link would lose without each node: its bytes and those of every node only it keeps
// (its subtree in the dominator tree, from a virtual root before all roots).
std::vector<std::uint64_t> retained_by_node(const ReferenceGraph& graph);
// The same for groups of nodes removed together (archives, crates): `group[i]` is node i's
// group or npos32; the result is per group: the bytes no root reaches without the group's
// members, one search of the graph per group, largest groups first, up to `max_work` steps in all;
// the others get a lower bound (what their members dominate), and their count goes to `estimated`.
// A group of one node needs no search given `node_retained` (retained_by_node()): its figure is
// that node's.
std::vector<std::uint64_t> retained_by_group(const ReferenceGraph& graph, const std::vector<std::uint32_t>& group,
                                             std::size_t groups, std::size_t* estimated = nullptr,
                                             std::size_t max_work = 50'000'000,
                                             const std::vector<std::uint64_t>* node_retained = nullptr);

// With relocations (LinkMap::section_references): what the link would lose without each input
// section (index into LinkMap::inputs), from the dominator tree of the sections. Roots are the
// sections nothing references (kept by KEEP or the entry point), every section of an object
// the command line keeps (`kept`, per LinkMap::objects: a member -u pulled in) and, unless the
// link collected garbage (`gc`: --gc-sections drops what nothing references), every section of
// an object linked directly. Empty without relocations.
std::vector<std::uint64_t> retained_by_section(const LinkMap& map, bool gc, const std::vector<bool>& kept);

// One step of a chain: `node` references `symbol`, defined by the next step's node.
struct WhyStep {
    std::uint32_t node = 0;
    std::string_view symbol;   // empty on the last step
    Evidence evidence = Evidence::cross_reference;
    std::string_view from_section, to_section;  // with relocations
};
// Shortest chains of references from a root to any of `targets`, one per distinct first root
// reached, at most `max_chains`; breadth-first, so cycles never loop.
std::vector<std::vector<WhyStep>> why_chains(const ReferenceGraph& graph, const std::vector<std::uint32_t>& targets,
                                             std::size_t max_chains = 3);

}  // namespace sizebudget

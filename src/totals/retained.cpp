// Retained sizes per row of the totals, from the reference graph.
#include "sizebudget/retained.hpp"

#include <algorithm>
#include <span>

#include "sizebudget/crates.hpp"
#include "sizebudget/demangle.hpp"
#include "sizebudget/name_hash.hpp"
#include "sizebudget/reference_graph.hpp"

namespace sizebudget {

const std::vector<std::uint64_t>& RetainedSizes::of(Breakdown by) const {
    switch (by) {
    case Breakdown::object: return objects;
    case Breakdown::symbol: return symbols;
    case Breakdown::crate: return crates;
    default: return archives;
    }
}

namespace {

// Node groups for a level: each distinct key (an archive path, a crate) is one group.
template <typename KeyOf>
std::vector<std::uint64_t> by_key(const ReferenceGraph& g, const std::vector<std::uint64_t>& by_node, KeyOf&& key_of,
                                  NameMap<std::uint32_t>& groups, std::size_t& estimated) {
    std::vector<std::uint32_t> group(g.nodes.size(), npos32);
    for (std::uint32_t i = 0; i < g.nodes.size(); ++i) {
        const std::string_view key = key_of(g.nodes[i]);
        if (key.empty()) continue;
        group[i] = groups.try_emplace(key, static_cast<std::uint32_t>(groups.size())).first->second;
    }
    std::size_t lower_bounds = 0;
    std::vector<std::uint64_t> out = retained_by_group(g, group, groups.size(), &lower_bounds, 50'000'000, &by_node);
    estimated += lower_bounds;
    return out;
}

}  // namespace

SymbolRetention::SymbolRetention(const ReferenceGraph& graph, const LinkMap& map)
    : graph_(graph), by_node_(retained_by_node(graph)), only_symbol_(graph.nodes.size()), mixed_(graph.nodes.size()) {
    for (const ReferenceEdge& e : graph.edges) {
        if (only_symbol_[e.to].empty()) only_symbol_[e.to] = e.symbol;
        else if (only_symbol_[e.to] != e.symbol) mixed_[e.to] = true;
    }
    // GNU ld lists the sections --gc-sections dropped; lld does not, and Rust links always collect.
    const bool gc = map.discarded_sections > 0 || map.format == MapFormat::lld;
    // Members the command line keeps: roots of the graph that are archive members (-u in GNU
    // ld's member table) and what lld's "-u" and "<internal>" reference.
    std::vector<bool> kept_node(graph.nodes.size(), false);
    for (std::uint32_t i = 0; i < graph.nodes.size(); ++i) {
        const ReferenceNode& n = graph.nodes[i];
        if (!n.root) continue;
        if (n.object != npos32 && !n.archive.empty()) kept_node[i] = true;
        if (n.object == npos32)
            for (const ReferenceEdge& e : graph.edges_of(i)) kept_node[e.to] = true;
    }
    std::vector<bool> kept(map.objects.size(), false);
    for (std::size_t i = 0; i < map.objects.size(); ++i)
        if (const std::uint32_t n = graph.find(map.objects[i].path); n != npos32) kept[i] = kept_node[n];
    const std::vector<std::uint64_t> sections = retained_by_section(map, gc, kept);
    if (sections.empty()) return;
    for (const OutputSection& s : map.sections)
        for (std::uint32_t k = s.first_input; k < s.first_input + s.input_count; ++k) {
            const InputSection& in = map.inputs[k];
            if (sections[k] == 0 || in.object == npos32) continue;
            // Aliases (printf and iprintf) are one function: every symbol must span the section.
            const std::span<const Symbol> symbols = map.symbols_of(in);
            const bool whole = !symbols.empty() && std::all_of(symbols.begin(), symbols.end(), [&](const Symbol& sym) {
                return sym.address == in.address && (sym.size == in.size || symbols.size() == 1);
            });
            if (!whole) continue;
            for (const Symbol& sym : symbols) by_section_[sym.name()].push_back({map.objects[in.object].path, sections[k]});
        }
}

std::uint64_t SymbolRetention::of(std::string_view object_path, std::string_view name, std::uint64_t size) const {
    if (auto it = by_section_.find(name); it != by_section_.end())
        for (const auto& [path, kept] : it->second)
            if (path == object_path) return std::max(size, kept);
    const std::uint32_t n = graph_.find(object_path);
    if (n == npos32 || graph_.nodes[n].root || mixed_[n] || only_symbol_[n].empty()) return size;
    const std::string_view only = only_symbol_[n];
    const bool same = only == name || (may_demangle(name) && demangle(name) == only);
    return same ? std::max(size, by_node_[n]) : size;
}

RetainedSizes retained_sizes(const LinkMap& map, const Totals& t, std::size_t symbol_rows) {
    RetainedSizes out;
    out.archives.assign(t.archives.size(), no_retained);
    out.objects.assign(t.objects.size(), no_retained);
    out.symbols.assign(std::min(symbol_rows, t.symbols.size()), no_retained);
    out.crates.assign(t.crates.size(), no_retained);
    out.graph = std::make_shared<const ReferenceGraph>(build_reference_graph(map));
    out.symbol_retention = std::make_shared<const SymbolRetention>(*out.graph, map);
    const ReferenceGraph& g = *out.graph;
    if (g.has_relocations) out.evidence = "relocations";
    else if (g.has_cross_references) out.evidence = "cross reference table";
    else if (g.has_member_table) out.evidence = map.format == MapFormat::lld ? "--why-extract" : "archive member table";
    else return out;

    const std::vector<std::uint64_t>& by_node = out.symbol_retention->by_node();
    for (std::size_t i = 0; i < t.objects.size(); ++i)
        if (std::uint32_t n = g.find(t.objects.path(i)); n != npos32) out.objects[i] = by_node[n];

    // Archives by path; the objects linked directly are "(no archive)", as in the totals.
    NameMap<std::uint32_t> archive_group;
    const std::vector<std::uint64_t> by_archive = by_key(
        g, by_node,
        [](const ReferenceNode& n) {
            return !n.archive.empty() ? n.archive : n.object != npos32 ? no_archive_name : std::string_view{};
        },
        archive_group, out.estimated);
    for (std::size_t i = 0; i < t.archives.size(); ++i) {
        const std::string_view path = t.archives.path(i);
        if (auto it = archive_group.find(path.empty() ? t.archives.name(i) : path); it != archive_group.end())
            out.archives[i] = by_archive[it->second];
    }

    NameMap<std::uint32_t> crate_group;
    const std::vector<std::uint64_t> by_crate =
        by_key(g, by_node, [](const ReferenceNode& n) { return crate_of_object(n.archive, n.path); }, crate_group,
               out.estimated);
    for (std::size_t i = 0; i < t.crates.size(); ++i)
        if (auto it = crate_group.find(t.crates.name(i)); it != crate_group.end())
            out.crates[i] = std::max(by_crate[it->second], t.crates.bytes(i));

    for (std::size_t i = 0; i < out.symbols.size(); ++i) {
        const std::string_view path = t.symbols.path(i), name = t.symbols.name(i);
        if (path.empty() || name == no_symbol_name) continue;
        out.symbols[i] = out.symbol_retention->of(path, name, t.symbols.bytes(i));
    }
    return out;
}

}  // namespace sizebudget

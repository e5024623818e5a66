// The reference graph of a link, its dominator tree (retained sizes) and why-chains.
#include "sizebudget/reference_graph.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <stdexcept>
#include <utility>

#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <fmt/format.h>

#include "sizebudget/demangle.hpp"
#include "sizebudget/error.hpp"

namespace sizebudget {

std::string_view evidence_name(Evidence e) {
    switch (e) {
    case Evidence::cross_reference: return "cross reference table";
    case Evidence::member_table: return "archive member table";
    case Evidence::why_extract: return "--why-extract";
    case Evidence::relocations: return "relocations";
    }
    return "";
}

namespace {

class GraphBuilder {
public:
    explicit GraphBuilder(const LinkMap& map) : map_(map) {}

    ReferenceGraph build() {
        g_.has_cross_references = map_.has_cross_references;
        g_.has_member_table = !map_.archive_inclusions.empty();
        // Objects of one path (a hostile map may repeat one) share a node.
        object_node_.resize(map_.objects.size());
        g_.nodes.reserve(map_.objects.size());
        g_.index.reserve(map_.objects.size());
        for (std::uint32_t i = 0; i < map_.objects.size(); ++i) {
            const ObjectFile& o = map_.objects[i];
            object_node_[i] = node(o.path, o.archive, i);
        }
        count_bytes();
        g_.has_relocations = map_.has_relocations;
        std::vector<bool> relocated;  // nodes a relocation reaches
        if (map_.has_relocations) relocated = add_relocations();
        else add_cross_references();
        for (const ArchiveInclusion& a : map_.archive_inclusions) {
            if (a.member >= object_node_.size()) continue;
            const std::uint32_t to = object_node_[a.member];
            if (a.referenced_by.empty()) {
                // ld names no file when the symbol came from the command line or the script.
                g_.nodes[to].root = true;
                g_.nodes[to].root_reason = g_.reasons.emplace_back(fmt::format("-u {} or the entry point asks for it", a.symbol));
                continue;
            }
            const std::uint32_t from = evidence_node(a.referenced_by);
            // The relocations say which files keep it; the linker's own reference (lld's "-u",
            // "<internal>") is none of theirs.
            if (!relocated.empty() && relocated[to] && !(g_.nodes[from].root && g_.nodes[from].object == npos32)) continue;
            if (from != to)
                add_edge(from, {a.symbol, to, npos32, map_.format == MapFormat::lld ? Evidence::why_extract : Evidence::member_table});
        }
        place_edges();
        mark_roots();
        return std::move(g_);
    }

private:
    void add_edge(std::uint32_t from, const ReferenceEdge& e) {
        // Edges and their ranges are numbered in 32 bits.
        if (pending_.size() >= npos32 - 1) throw Error(map_.source, "more than 2^32 references between the link's files");
        pending_.push_back({from, e});
        ++g_.nodes[from].edge_count;
    }

    // The edges found, each node's together in the order they were found.
    void place_edges() {
        std::uint32_t at = 0;
        for (ReferenceNode& n : g_.nodes) {
            n.first_edge = at;
            at += n.edge_count;
            n.edge_count = 0;
        }
        g_.edges.resize(pending_.size());
        for (const auto& [from, e] : pending_) {
            ReferenceNode& n = g_.nodes[from];
            g_.edges[n.first_edge + n.edge_count++] = e;
        }
        pending_ = {};
    }

    std::uint32_t node(std::string_view path, std::string_view archive, std::uint32_t object) {
        auto [it, fresh] = g_.index.try_emplace(path, 0);
        if (fresh) {
            it->second = static_cast<std::uint32_t>(g_.nodes.size());
            ReferenceNode n;
            n.path = path;
            n.archive = archive;
            n.object = object;
            g_.nodes.push_back(std::move(n));
        }
        return it->second;
    }

    // A file named only as evidence: "--entry", "-u" and "<internal>" in lld's --why-extract, or an object
    // whose every section was discarded.
    std::uint32_t evidence_node(std::string_view path) {
        if (std::uint32_t found = g_.find(path); found != npos32) return found;
        std::string_view archive, member;
        const std::uint32_t n = node(path, split_archive_member(path, archive, member) ? archive : std::string_view{}, npos32);
        // lld names "--entry", "--undefined" or "<internal>" (the linker itself, for -u).
        if (path.starts_with("-") || path == "<internal>") {
            g_.nodes[n].root = true;
            g_.nodes[n].root_reason = path == "<internal>" ? "the linker's own reference: -u or the entry point"
                                                           : "named on the command line";
        }
        return n;
    }

    void count_bytes() {
        for (const OutputSection& s : map_.sections) {
            if (!s.allocated || s.reserved) continue;
            for (const InputSection& in : map_.inputs_of(s))
                if (in.kind == PieceKind::input && in.object < object_node_.size())
                    g_.nodes[object_node_[in.object]].bytes += in.size;
        }
    }

    // Edges between the files whose kept sections reference each other, one per pair of files
    // and symbol, naming the first pair of sections. Returns which nodes an edge reaches.
    std::vector<bool> add_relocations() {
        std::vector<bool> reached(g_.nodes.size(), false);
        boost::unordered_flat_set<std::array<std::uint32_t, 3>, boost::hash<std::array<std::uint32_t, 3>>> seen;
        NameMap<std::uint32_t> symbol_ids;
        for (const SectionReference& r : map_.section_references) {
            const InputSection& a = map_.inputs[r.from];
            const InputSection& b = map_.inputs[r.to];
            if (a.object >= object_node_.size() || b.object >= object_node_.size()) continue;
            const std::uint32_t from = object_node_[a.object], to = object_node_[b.object];
            if (from == to) continue;
            const std::uint32_t symbol = symbol_ids.try_emplace(r.symbol, static_cast<std::uint32_t>(symbol_ids.size())).first->second;
            if (!seen.insert({from, to, symbol}).second) continue;
            add_edge(from, {r.symbol, to, static_cast<std::uint32_t>(g_.edge_sections.size()), Evidence::relocations});
            g_.edge_sections.emplace_back(a.name(), b.name());
            reached[to] = true;
        }
        return reached;
    }

    // Edges from each file that references a symbol to the files that define it. ld lists the
    // defining files first; they are those whose sections the map shows holding the symbol.
    void add_cross_references() {
        if (map_.cross_references.empty()) return;
        // Each symbol the table names, by its name; then which files' sections hold it, as
        // (node << 32 | entry) keys.
        NameMap<std::uint32_t> entry;
        for (std::uint32_t i = 0; i < map_.cross_references.size(); ++i)
            entry.emplace(map_.cross_references[i].symbol(), i);
        // (entry << 32 | node) for each file holding a symbol of the table, sorted: a map of
        // 700,000 symbols makes as many, and a hash set of them took three times the memory.
        std::vector<std::uint64_t> defines;
        defines.reserve(map_.symbols.size());  // one at most per symbol
        auto define = [&](std::uint32_t node, std::string_view name) {
            if (auto it = entry.find(name); it != entry.end()) defines.push_back((std::uint64_t{it->second} << 32) | node);
        };
        for (const OutputSection& s : map_.sections)
            for (const InputSection& in : map_.inputs_of(s)) {
                if (in.object >= object_node_.size()) continue;
                const std::uint32_t node = object_node_[in.object];
                for (const Symbol& sym : map_.symbols_of(in)) {
                    // ld prints C++ names demangled.
                    if (sym.name().starts_with("_Z")) define(node, demangle(sym.name()));
                    else define(node, sym.name());
                }
            }
        std::sort(defines.begin(), defines.end());
        defines.erase(std::unique(defines.begin(), defines.end()), defines.end());
        // The table's files are nearly all objects, stored as the object's own path (the readers'
        // StoredPaths): found by that address, not by hashing and comparing the text again.
        IdMap<std::uint32_t> node_at;
        node_at.reserve(map_.objects.size());
        for (std::uint32_t i = 0; i < map_.objects.size(); ++i)
            node_at.emplace(reinterpret_cast<std::uintptr_t>(map_.objects[i].path.data()), object_node_[i]);
        auto find = [&](const char* file) {
            const auto it = node_at.find(reinterpret_cast<std::uintptr_t>(file));
            return it != node_at.end() ? it->second : g_.find(file);
        };
        auto from_node = [&](const char* file) {
            const auto it = node_at.find(reinterpret_cast<std::uintptr_t>(file));
            return it != node_at.end() ? it->second : evidence_node(file);
        };
        for (std::uint32_t i = 0; i < map_.cross_references.size(); ++i) {
            const CrossReference& c = map_.cross_references[i];
            const char* const* files = map_.cref_files.data() + c.first_file;
            std::size_t definers = 0;
            while (definers < c.file_count) {
                const std::uint32_t n = find(files[definers]);
                if (n == npos32 || !std::binary_search(defines.begin(), defines.end(), (std::uint64_t{i} << 32) | n))
                    break;
                ++definers;
            }
            if (definers == 0) continue;  // defined by the script, a ROM, or in a discarded section
            for (std::size_t r = definers; r < c.file_count; ++r) {
                const std::uint32_t from = from_node(files[r]);
                for (std::size_t d = 0; d < definers; ++d) {
                    const std::uint32_t to = find(files[d]);
                    if (from != to) add_edge(from, {c.symbol(), to, npos32, Evidence::cross_reference});
                }
            }
        }
    }

    void mark_roots() {
        for (ReferenceNode& n : g_.nodes)
            if (!n.root && n.archive.empty()) {
                n.root = true;
                n.root_reason = "linked directly";
            }
        // Whatever no root reaches is in the link all the same: the evidence does not say why.
        std::vector<bool> seen(g_.nodes.size(), false);
        std::vector<std::uint32_t> stack;
        auto reach = [&](std::uint32_t from) {
            stack.push_back(from);
            seen[from] = true;
            while (!stack.empty()) {
                const std::uint32_t n = stack.back();
                stack.pop_back();
                for (const ReferenceEdge& e : g_.edges_of(n))
                    if (!seen[e.to]) {
                        seen[e.to] = true;
                        stack.push_back(e.to);
                    }
            }
        };
        for (std::uint32_t i = 0; i < g_.nodes.size(); ++i)
            if (g_.nodes[i].root) reach(i);
        for (std::uint32_t i = 0; i < g_.nodes.size(); ++i)
            if (!seen[i]) {
                g_.nodes[i].root = true;
                g_.nodes[i].root_reason = "no evidence of what pulled it in";
                reach(i);
            }
    }

    const LinkMap& map_;
    ReferenceGraph g_;
    std::vector<std::uint32_t> object_node_;  // object index -> node
    std::vector<std::pair<std::uint32_t, ReferenceEdge>> pending_;  // (from, edge) until place_edges()
};

// Lists of numbers per node in one array: node v's are items[first[v], first[v + 1]). A vector
// per node cost an allocation each, and the graph of 400,000 objects held two such sets at once.
struct Adjacency {
    std::vector<std::uint32_t> first{0};
    std::vector<std::uint32_t> items;

    std::uint32_t nodes() const { return static_cast<std::uint32_t>(first.size() - 1); }
    std::span<const std::uint32_t> of(std::uint32_t v) const { return {items.data() + first[v], first[v + 1] - first[v]}; }

    // From (from, to) pairs that `each(add)` calls add(from, to) with, twice: once to count,
    // once to place; each node's keep the order they came in.
    template <typename Each>
    static Adjacency of_pairs(std::uint32_t nodes, Each&& each) {
        Adjacency a;
        a.first.assign(std::size_t{nodes} + 1, 0);
        std::uint64_t pairs = 0;
        each([&](std::uint32_t from, std::uint32_t) {
            ++a.first[from + 1];
            ++pairs;
        });
        // Ranges are numbered in 32 bits (the graph's edges are bounded in add_edge).
        if (pairs >= npos32) throw std::length_error("more than 2^32 references between sections");
        for (std::uint32_t v = 0; v < nodes; ++v) a.first[v + 1] += a.first[v];
        a.items.resize(a.first[nodes]);
        std::vector<std::uint32_t> at(a.first.begin(), a.first.end() - 1);
        each([&](std::uint32_t from, std::uint32_t to) { a.items[at[from]++] = to; });
        return a;
    }
};

// A graph as successor lists, with its roots and bytes per node.
struct Flow {
    Adjacency succ;
    std::vector<std::uint32_t> roots;
    std::vector<std::uint64_t> bytes;
};

// Cooper, Harvey and Kennedy's iterative dominators ("A Simple, Fast Dominance Algorithm") over a
// virtual root (index f.succ.nodes()) whose successors are the roots.
struct Dominators {
    std::vector<std::uint32_t> idom;   // per node; the virtual root's own
    std::vector<std::uint32_t> order;  // postorder: children before their dominators
};

Dominators dominators(const Flow& f) {
    const std::uint32_t n = f.succ.nodes();
    const std::uint32_t virtual_root = n;
    auto successors = [&](std::uint32_t v) -> std::span<const std::uint32_t> {
        return v == virtual_root ? std::span<const std::uint32_t>(f.roots) : f.succ.of(v);
    };
    // Postorder by an iterative depth-first search.
    std::vector<std::uint32_t> post_number(n + 1, npos32), order;
    order.reserve(n + 1);
    std::vector<std::pair<std::uint32_t, std::size_t>> stack{{virtual_root, 0}};
    std::vector<bool> visited(n + 1, false);
    visited[virtual_root] = true;
    while (!stack.empty()) {
        auto& [v, next] = stack.back();
        const auto& succ = successors(v);
        if (next < succ.size()) {
            const std::uint32_t w = succ[next++];
            if (!visited[w]) {
                visited[w] = true;
                stack.push_back({w, 0});
            }
            continue;
        }
        post_number[v] = static_cast<std::uint32_t>(order.size());
        order.push_back(v);
        stack.pop_back();
    }
    const Adjacency pred = Adjacency::of_pairs(n + 1, [&](auto&& add) {
        for (std::uint32_t v = 0; v <= n; ++v)
            if (visited[v])
                for (std::uint32_t w : successors(v)) add(w, v);
    });
    std::vector<std::uint32_t> idom(n + 1, npos32);
    idom[virtual_root] = virtual_root;
    auto intersect = [&](std::uint32_t a, std::uint32_t b) {
        while (a != b) {
            while (post_number[a] < post_number[b]) a = idom[a];
            while (post_number[b] < post_number[a]) b = idom[b];
        }
        return a;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const std::uint32_t v = *it;
            if (v == virtual_root) continue;
            std::uint32_t dom = npos32;
            for (std::uint32_t p : pred.of(v)) {
                if (idom[p] == npos32) continue;
                dom = dom == npos32 ? p : intersect(p, dom);
            }
            if (dom != idom[v]) {
                idom[v] = dom;
                changed = true;
            }
        }
    }
    return {std::move(idom), std::move(order)};
}

// Retained bytes per node of `f`: subtree sums of its dominator tree.
std::vector<std::uint64_t> retained(const Flow& f) {
    const std::uint32_t n = f.succ.nodes();
    const Dominators d = dominators(f);
    std::vector<std::uint64_t> out(n + 1, 0);
    for (std::uint32_t v = 0; v < n; ++v) out[v] = f.bytes[v];
    for (std::uint32_t v : d.order)
        if (v != n && d.idom[v] != npos32 && d.idom[v] != n) out[d.idom[v]] += out[v];
    out.pop_back();
    return out;
}

Flow flow_of(const ReferenceGraph& graph) {
    Flow f;
    f.succ.first.reserve(graph.nodes.size() + 1);
    f.succ.items.reserve(graph.edges.size());
    f.bytes.reserve(graph.nodes.size());
    for (std::uint32_t i = 0; i < graph.nodes.size(); ++i) {
        const ReferenceNode& n = graph.nodes[i];
        for (const ReferenceEdge& e : graph.edges_of(i)) f.succ.items.push_back(e.to);
        f.succ.first.push_back(static_cast<std::uint32_t>(f.succ.items.size()));
        if (n.root) f.roots.push_back(i);
        f.bytes.push_back(n.bytes);
    }
    return f;
}

}  // namespace

ReferenceGraph build_reference_graph(const LinkMap& map) { return GraphBuilder(map).build(); }

std::vector<std::uint64_t> retained_by_node(const ReferenceGraph& graph) { return retained(flow_of(graph)); }

std::vector<std::uint64_t> retained_by_section(const LinkMap& map, bool gc, const std::vector<bool>& kept) {
    if (map.section_references.empty()) return {};
    const auto n = static_cast<std::uint32_t>(map.inputs.size());
    Flow f;
    f.bytes.assign(n, 0);
    std::vector<bool> referenced(n, false), counted(n, false);
    for (const OutputSection& s : map.sections) {
        if (!s.allocated || s.reserved) continue;
        for (std::uint32_t k = s.first_input; k < s.first_input + s.input_count; ++k)
            if (map.inputs[k].kind == PieceKind::input) {
                f.bytes[k] = map.inputs[k].size;
                counted[k] = true;
            }
    }
    f.succ = Adjacency::of_pairs(n, [&](auto&& add) {
        for (const SectionReference& r : map.section_references)
            if (r.from < n && r.to < n && counted[r.from] && counted[r.to]) add(r.from, r.to);
    });
    for (std::uint32_t w : f.succ.items) referenced[w] = true;
    std::vector<bool> seen(n, false);
    std::vector<std::uint32_t> stack;
    auto reach = [&] {
        while (!stack.empty()) {
            const std::uint32_t at = stack.back();
            stack.pop_back();
            for (std::uint32_t w : f.succ.of(at))
                if (!seen[w]) {
                    seen[w] = true;
                    stack.push_back(w);
                }
        }
    };
    auto root = [&](std::uint32_t v) {
        f.roots.push_back(v);
        seen[v] = true;
        stack.push_back(v);
    };
    for (std::uint32_t k = 0; k < n; ++k) {
        if (!counted[k]) continue;
        const InputSection& in = map.inputs[k];
        const bool direct = in.object != npos32 && map.objects[in.object].archive.empty();
        const bool asked = in.object < kept.size() && kept[in.object];
        if (!referenced[k] || asked || (!gc && direct)) root(k);
    }
    reach();
    // Cycles nothing outside them reaches are kept all the same.
    for (std::uint32_t k = 0; k < n; ++k)
        if (counted[k] && !seen[k]) {
            root(k);
            reach();
        }
    return retained(f);
}

std::vector<std::uint64_t> retained_by_group(const ReferenceGraph& graph, const std::vector<std::uint32_t>& group,
                                             std::size_t groups, std::size_t* estimated, std::size_t max_work,
                                             const std::vector<std::uint64_t>* node_retained) {
    // Per group, what no root reaches once its members are gone: one search of the graph each.
    // (No single dominator tree answers for sets: merging each group into one node, or giving it
    // one entry, makes every member reachable once one is.) Searches stop at a bound of work,
    // largest groups first; the others get a lower bound from the nodes' dominator tree: what
    // their members dominate.
    const std::size_t n = graph.nodes.size();
    std::vector<std::vector<std::uint32_t>> members(groups);
    std::vector<std::uint64_t> own(groups, 0);
    const std::size_t edges = graph.edges.size();
    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        total += graph.nodes[i].bytes;
        if (group[i] == npos32) continue;
        members[group[i]].push_back(i);
        own[group[i]] += graph.nodes[i].bytes;
    }
    const std::size_t searches = std::max<std::size_t>(1, max_work / std::max<std::size_t>(1, n + edges));
    std::vector<std::uint64_t> out(groups, 0);
    std::vector<bool> searched(groups, false);
    // A group of one is its node: what the node dominates is what no root reaches without it.
    std::vector<std::uint32_t> by_size;
    for (std::uint32_t g = 0; g < groups; ++g) {
        if (node_retained != nullptr && members[g].size() == 1) {
            out[g] = (*node_retained)[members[g].front()];
            searched[g] = true;
        } else {
            by_size.push_back(g);
        }
    }
    std::stable_sort(by_size.begin(), by_size.end(), [&](std::uint32_t a, std::uint32_t b) { return own[a] > own[b]; });

    std::vector<std::uint32_t> seen(n, npos32), stack;
    for (std::size_t k = 0; k < by_size.size() && k < searches; ++k) {
        const std::uint32_t g = by_size[k];
        searched[g] = true;
        if (members[g].empty()) continue;
        std::uint64_t reached = 0;
        auto visit = [&](std::uint32_t v) {
            if (seen[v] == g || group[v] == g) return;
            seen[v] = g;
            reached += graph.nodes[v].bytes;
            stack.push_back(v);
        };
        for (std::uint32_t i = 0; i < n; ++i)
            if (graph.nodes[i].root) visit(i);
        while (!stack.empty()) {
            const std::uint32_t v = stack.back();
            stack.pop_back();
            for (const ReferenceEdge& e : graph.edges_of(v)) visit(e.to);
        }
        out[g] = total - reached;
    }
    if (estimated) *estimated = by_size.size() > searches ? by_size.size() - searches : 0;
    if (by_size.size() > searches) {
        // Dominators before the nodes they dominate: a node counts for the nearest group member
        // above it in the tree.
        const Dominators d = dominators(flow_of(graph));
        std::vector<std::uint32_t> cover(n + 1, npos32);
        for (auto it = d.order.rbegin(); it != d.order.rend(); ++it) {
            const std::uint32_t v = *it;
            if (v == n) continue;
            const std::uint32_t up = d.idom[v] == npos32 || d.idom[v] == n ? npos32 : cover[d.idom[v]];
            cover[v] = group[v] != npos32 && !searched[group[v]] ? group[v] : up;
            if (cover[v] != npos32 && !searched[cover[v]]) out[cover[v]] += graph.nodes[v].bytes;
        }
    }
    return out;
}

std::vector<std::vector<WhyStep>> why_chains(const ReferenceGraph& graph, const std::vector<std::uint32_t>& targets,
                                             std::size_t max_chains) {
    // Breadth-first from every root at once: each node's first parent is on a shortest chain.
    struct Parent {
        std::uint32_t node = npos32;
        const ReferenceEdge* edge = nullptr;
    };
    const std::size_t n = graph.nodes.size();
    std::vector<Parent> parent(n);
    std::vector<std::uint32_t> depth(n, npos32), queue;
    for (std::uint32_t i = 0; i < n; ++i)
        if (graph.nodes[i].root) {
            depth[i] = 0;
            queue.push_back(i);
        }
    // A chain ends at the first file of the item it reaches (an archive's members reach each other).
    std::vector<bool> target(n, false);
    for (std::uint32_t t : targets) target[t] = true;
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::uint32_t v = queue[head];
        if (target[v]) continue;
        for (const ReferenceEdge& e : graph.edges_of(v))
            if (depth[e.to] == npos32) {
                depth[e.to] = depth[v] + 1;
                parent[e.to] = {v, &e};
                queue.push_back(e.to);
            }
    }
    auto step = [&graph](std::uint32_t node, const ReferenceEdge* e) {
        WhyStep s;
        s.node = node;
        if (e) {
            s.symbol = e->symbol;
            s.evidence = e->evidence;
            s.from_section = graph.from_section(*e);
            s.to_section = graph.to_section(*e);
        }
        return s;
    };
    auto chain_to = [&](std::uint32_t v) {
        std::vector<WhyStep> chain{step(v, nullptr)};
        for (std::uint32_t at = v; parent[at].node != npos32; at = parent[at].node)
            chain.push_back(step(parent[at].node, parent[at].edge));
        std::reverse(chain.begin(), chain.end());
        return chain;
    };
    // The references into each target, from one pass over the edges.
    std::vector<std::vector<std::pair<std::uint32_t, const ReferenceEdge*>>> incoming(n);
    for (std::uint32_t v = 0; v < n; ++v)
        for (const ReferenceEdge& e : graph.edges_of(v))
            if (target[e.to]) incoming[e.to].push_back({v, &e});
    std::vector<std::vector<WhyStep>> out;
    std::vector<std::uint32_t> sorted = targets;
    std::sort(sorted.begin(), sorted.end(), [&](std::uint32_t a, std::uint32_t b) { return depth[a] < depth[b]; });
    for (std::uint32_t t : sorted) {
        if (out.size() >= max_chains || depth[t] == npos32) break;
        if (graph.nodes[t].root || parent[t].node == npos32) {
            out.push_back(chain_to(t));
            continue;
        }
        // One chain per file that references the target, nearest first.
        std::vector<std::pair<std::uint32_t, const ReferenceEdge*>> into;
        for (const auto& [v, e] : incoming[t])
            if (depth[v] != npos32 && !target[v]) into.push_back({v, e});
        std::stable_sort(into.begin(), into.end(), [&](const auto& a, const auto& b) { return depth[a.first] < depth[b.first]; });
        std::vector<std::uint32_t> used;
        for (const auto& [v, e] : into) {
            if (out.size() >= max_chains) break;
            if (std::find(used.begin(), used.end(), v) != used.end()) continue;
            used.push_back(v);
            std::vector<WhyStep> chain = chain_to(v);
            chain.back() = step(v, e);
            chain.push_back(step(t, nullptr));
            out.push_back(std::move(chain));
        }
    }
    return out;
}

}  // namespace sizebudget

// The treemap's tree, from a map or from totals, and its folding for pages of bounded size.
#include "sizebudget/size_tree.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "sizebudget/demangle.hpp"
#include "sizebudget/name_hash.hpp"

// Nodes are made with designated initializers naming only what they set; GCC 12 warns of the
// members left to their defaults, which is the point of them (GCC 13 no longer does).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif

namespace sizebudget {

char node_kind_letter(NodeKind kind) {
    static constexpr char letters[] = "Rrsaoyfvm";
    return letters[static_cast<std::size_t>(kind)];
}

namespace {

class Builder {
public:
    SizeTree tree;

    Builder(std::string name) { tree.nodes.push_back({.name = std::move(name), .kind = NodeKind::root}); }

    std::uint32_t add(std::uint32_t parent, TreeNode node) {
        const auto index = static_cast<std::uint32_t>(tree.nodes.size());
        tree.nodes.push_back(std::move(node));
        tree.nodes[parent].children.push_back(index);
        return index;
    }
    TreeNode& operator[](std::uint32_t i) { return tree.nodes[i]; }

    // Sizes from the leaves up: a parent is what its children hold, and at least what it holds
    // itself (a remainder no child explains becomes a child of its own).
    std::uint64_t settle(std::uint32_t i) {
        if (tree.nodes[i].children.empty()) return tree.nodes[i].size;
        std::uint64_t sum = 0;
        for (std::size_t k = 0; k < tree.nodes[i].children.size(); ++k) sum += settle(tree.nodes[i].children[k]);
        TreeNode& n = tree.nodes[i];
        if (n.kind != NodeKind::root && n.kind != NodeKind::region && n.size > sum) {
            add(i, {.name = std::string(n.kind == NodeKind::object ? no_symbol_name : std::string_view("(gaps)")),
                    .size = n.size - sum,
                    .kind = n.kind == NodeKind::object ? NodeKind::symbol : NodeKind::fill});
            sum = tree.nodes[i].size;
        }
        tree.nodes[i].size = sum;
        return sum;
    }
};

// Symbols of one input section, each byte counted once, as the totals' symbol rows count them;
// what no symbol covers is the name the section gives, or "(no symbol)".
void add_symbols(Builder& b, std::uint32_t object, const LinkMap& map, const InputSection& in,
                 NameMap<std::uint32_t>& by_name) {
    const Address end = in.address + in.size;
    Address covered = in.address;
    std::uint64_t counted = 0;
    const auto syms = map.symbols_of(in);
    auto add = [&](std::string_view name, std::uint64_t bytes, std::string aliases) {
        auto [it, fresh] = by_name.try_emplace(name, 0);
        if (fresh)
            it->second = b.add(object, {.name = std::string(name), .detail = std::move(aliases), .kind = NodeKind::symbol});
        b[it->second].size += bytes;
    };
    for (std::size_t i = 0; i < syms.size(); ++i) {
        const Symbol& sym = syms[i];
        if (sym.size == 0) continue;
        std::size_t j = i + 1;
        std::string aliases;
        for (; j < syms.size() && syms[j].address == sym.address && syms[j].size == sym.size; ++j)
            aliases += (aliases.empty() ? "also " : ", ") + demangle(syms[j].name());
        const Address from = std::max(sym.address, covered), to = std::min(sym.address + sym.size, end);
        const std::uint64_t bytes = to > from ? to - from : 0;
        covered = std::max(covered, to);
        if (bytes > 0) add(sym.name(), bytes, std::move(aliases));
        counted += bytes;
        i = j - 1;
    }
    if (counted >= in.size) return;
    const std::string_view derived = counted == 0 ? symbol_of_section(in.name()) : std::string_view{};
    add(derived.empty() ? no_symbol_name : derived, in.size - counted, {});
}

// The pieces of one output section under `node`: archives, objects, symbols, fill.
void add_section_content(Builder& b, std::uint32_t node, const LinkMap& map, const OutputSection& s) {
    IdMap<std::uint32_t> archives;  // interned archive path -> node
    IdMap<std::uint32_t> objects;   // object index -> position in `symbols`
    // Per object: its node and its symbols' nodes by name.
    std::vector<std::pair<std::uint32_t, NameMap<std::uint32_t>>> symbols;
    std::uint32_t fill = npos32, linker = npos32;
    for (const InputSection& in : map.inputs_of(s)) {
        if (in.size == 0) continue;
        const ObjectFile* obj = in.kind == PieceKind::input ? map.object_of(in) : nullptr;
        if (obj == nullptr) {
            std::uint32_t& slot = in.kind == PieceKind::fill ? fill : linker;
            if (slot == npos32)
                slot = b.add(node, {.name = std::string(in.kind == PieceKind::fill ? fill_name : linker_name),
                                    .detail = in.kind == PieceKind::fill ? "padding the linker inserted"
                                                                         : "linker script data and linker-made gaps",
                                    .kind = NodeKind::fill});
            b[slot].size += in.size;
            continue;
        }
        const std::string_view archive_path = obj->archive.empty() ? no_archive_name : obj->archive;
        auto [a, fresh_archive] = archives.try_emplace(reinterpret_cast<std::uintptr_t>(archive_path.data()), 0);
        if (fresh_archive)
            a->second = b.add(node, {.name = std::string(file_name(archive_path)),
                                     .detail = std::string(obj->archive),
                                     .kind = NodeKind::archive});
        auto [o, fresh_object] = objects.try_emplace(in.object, 0);
        if (fresh_object) {
            o->second = static_cast<std::uint32_t>(symbols.size());
            const std::string_view name = obj->archive.empty() ? file_name(obj->path) : obj->member;
            // Its id is the name the totals (and so budgets) give it: "libc_nano.a(lib_a-printf.o)".
            std::string id = obj->archive.empty() ? std::string(name)
                                                  : fmt::format("{}({})", file_name(obj->archive), obj->member);
            symbols.push_back({b.add(a->second, {.name = std::string(name), .detail = std::string(obj->path),
                                                  .kind = NodeKind::object, .id = std::move(id)}),
                               {}});
        }
        auto& [obj_node, by_name] = symbols[o->second];
        b[obj_node].size += in.size;
        add_symbols(b, obj_node, map, in, by_name);
    }
}

}  // namespace

SizeTree map_tree(const LinkMap& map) {
    Builder b(std::string(file_name(map.source)));
    std::vector<std::uint32_t> region_node(map.regions.size(), npos32);
    std::uint32_t no_region = npos32;
    auto region = [&](std::uint32_t r) -> std::uint32_t {
        if (r == npos32) {
            if (no_region == npos32)
                no_region = b.add(0, {.name = "(no region)", .detail = "sections outside every memory region",
                                      .kind = NodeKind::region});
            return no_region;
        }
        if (region_node[r] == npos32)
            region_node[r] = b.add(0, {.name = std::string(map.regions[r].name), .kind = NodeKind::region});
        return region_node[r];
    };
    for (const OutputSection& s : map.sections) {
        if (!s.allocated || s.size == 0) continue;
        const bool copied = s.loaded && s.load_region != npos32 && s.load_region != s.run_region;
        for (int side = 0; side < (copied ? 2 : 1); ++side) {
            const std::uint32_t r = side == 0 ? s.run_region : s.load_region;
            TreeNode node{.name = std::string(s.name), .size = s.size, .kind = NodeKind::section};
            if (s.reserved) {
                node.kind = NodeKind::reserved;
                node.detail = "reserved address space, not content";
            } else if (copied) {
                node.detail = side == 0 ? fmt::format("runs here; its load image is in {}", map.regions[s.load_region].name)
                                        : fmt::format("load image, copied to {} at start-up",
                                                      s.run_region == npos32 ? "(no region)" : map.regions[s.run_region].name);
            }
            const std::uint32_t n = b.add(region(r), std::move(node));
            if (!s.reserved) add_section_content(b, n, map, s);
        }
    }
    b.settle(0);
    // Regions in the map's order, with what nothing fills left out.
    return std::move(b.tree);
}

SizeTree totals_tree(const Totals& t) {
    Builder b("image");
    const std::size_t nregions = t.regions.size();
    auto kind_of = [](const ItemSize& row, NodeKind real) {
        if (!row.path.empty()) return real;
        if (row.name == reserved_name) return NodeKind::reserved;
        if (row.name == fill_name || row.name == linker_name) return NodeKind::fill;
        return real;
    };
    std::vector<std::uint32_t> region_node(nregions, npos32);
    auto region = [&](std::size_t r) {
        if (region_node[r] == npos32)
            region_node[r] = b.add(0, {.name = t.regions[r].name, .kind = NodeKind::region});
        return region_node[r];
    };
    // (region, row) -> node, for each level's parents.
    auto key = [](std::size_t r, std::size_t row) { return (static_cast<std::uint64_t>(r) << 40) | row; };
    NameMap<std::uint32_t> archive_row;  // archive path (or pseudo name) -> row
    for (std::size_t i = 0; i < t.archives.size(); ++i)
        archive_row.emplace(t.archives[i].path.empty() ? t.archives[i].name : t.archives[i].path, i);
    IdMap<std::uint32_t> archive_node, object_node;
    auto archive_at = [&](std::size_t r, std::string_view archive) -> std::uint32_t {
        auto row = archive_row.find(archive);
        if (row == archive_row.end()) return region(r);
        auto [it, fresh] = archive_node.try_emplace(key(r, row->second), 0);
        if (fresh) {
            const ItemSize& a = t.archives[row->second];
            it->second = b.add(region(r), {.name = std::string(a.name), .detail = std::string(a.path),
                                           .kind = kind_of(a, NodeKind::archive), .id = std::string(a.id)});
        }
        return it->second;
    };
    NameMap<std::uint32_t> object_row;  // object path (or pseudo name) -> row
    for (std::size_t i = 0; i < t.objects.size(); ++i) {
        const ItemSize& o = t.objects[i];
        object_row.emplace(o.path.empty() ? o.name : o.path, i);
        std::string_view archive = o.name, member;
        if (!o.path.empty() && !split_archive_member(o.path, archive, member)) archive = no_archive_name;
        // Under its archive, a member is its own name ("lib_a-printf.o"), as in the map's tree.
        const std::string name = member.empty() ? std::string(o.name) : std::string(member);
        for (const auto& [r, bytes] : o.regions) {
            if (r >= nregions || bytes == 0) continue;
            const std::uint32_t parent = archive_at(r, archive);
            object_node[key(r, i)] = b.add(parent, {.name = name, .detail = std::string(o.path),
                                                    .size = bytes, .kind = kind_of(o, NodeKind::object),
                                                    .id = std::string(o.id)});
        }
    }
    for (const ItemSize& s : t.symbols) {
        auto row = object_row.find(s.path.empty() ? s.name : s.path);
        for (const auto& [r, bytes] : s.regions) {
            if (r >= nregions || bytes == 0 || row == object_row.end()) continue;
            auto parent = object_node.find(key(r, row->second));
            if (parent == object_node.end()) continue;
            if (s.path.empty()) continue;  // a pseudo object's only symbol is itself
            b.add(parent->second, {.name = std::string(s.name), .detail = std::string(s.path), .size = bytes,
                                   .kind = NodeKind::symbol, .id = std::string(s.id)});
        }
    }
    b.settle(0);
    return std::move(b.tree);
}

void fold(SizeTree& tree, const FoldLimits& limits) {
    auto foldable = [](NodeKind k) {
        return k != NodeKind::root && k != NodeKind::region && k != NodeKind::section && k != NodeKind::reserved;
    };
    // Nodes of at most `floor` bytes fold: the max_nodes largest foldable nodes stay. A parent is
    // never smaller than its child, so what stays is a tree.
    std::vector<std::uint64_t> sizes;
    for (const TreeNode& n : tree.nodes)
        if (foldable(n.kind)) sizes.push_back(n.size);
    std::uint64_t floor = 0;
    if (sizes.size() > limits.max_nodes) {
        auto nth = sizes.begin() + static_cast<std::ptrdiff_t>(limits.max_nodes);
        std::nth_element(sizes.begin(), nth, sizes.end(), std::greater<>());
        floor = *nth;
    }
    const std::size_t count = tree.nodes.size();
    for (std::size_t i = 0; i < count; ++i) {
        std::vector<std::uint32_t>& kids = tree.nodes[i].children;
        std::stable_sort(kids.begin(), kids.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return tree.nodes[a].size > tree.nodes[b].size; });
        // Regions and sections fold only past max_children (a link of 20,000 regions).
        std::size_t keep = 0;
        while (keep < kids.size() && keep < limits.max_children &&
               !(foldable(tree.nodes[kids[keep]].kind) && tree.nodes[kids[keep]].size <= floor))
            ++keep;
        if (keep == kids.size()) continue;
        std::uint64_t bytes = 0;
        for (std::size_t k = keep; k < kids.size(); ++k) bytes += tree.nodes[kids[k]].size;
        const std::size_t folded = kids.size() - keep;
        kids.resize(keep);
        if (bytes == 0) continue;
        // The removed nodes stay in the vector, unreachable; emit() walks from the root.
        tree.nodes[i].children.push_back(static_cast<std::uint32_t>(tree.nodes.size()));
        tree.nodes.push_back({.name = fmt::format("({} more)", folded),
                              .detail = "items too small to draw, summed",
                              .size = bytes,
                              .kind = NodeKind::folded});
    }
}

}  // namespace sizebudget

// What `why` names in a link, and what its chains and retained size are.
#include "sizebudget/why.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sizebudget/budget.hpp"
#include "sizebudget/crates.hpp"
#include "sizebudget/demangle.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/name_hash.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget {

namespace {

bool is_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

bool matches(std::string_view item, std::string_view text) {
    return is_glob(item) ? glob_match(item, text) : item == text;
}

// An object's name as reports show it: "libc_nano.a(lib_a-printf.o)", or its file name.
std::string object_label(const ObjectFile& o) {
    return o.archive.empty() ? std::string(file_name(o.path)) : fmt::format("{}({})", file_name(o.archive), o.member);
}

[[noreturn]] void unknown(const LinkMap& map, std::string_view item) {
    std::vector<std::pair<std::size_t, std::string>> near;
    NameSet seen;
    auto consider = [&](std::string_view name) {
        const std::size_t length_gap = name.size() > item.size() ? name.size() - item.size() : item.size() - name.size();
        if (length_gap > 4 || !seen.insert(name).second) return;
        const std::size_t d = edit_distance(item, name);
        if (d <= std::max<std::size_t>(2, item.size() / 3)) near.emplace_back(d, std::string(name));
    };
    std::vector<std::string> readable;
    for (const Symbol& s : map.symbols) {
        if (may_demangle(s.name())) readable.push_back(demangle(s.name()));
        else consider(s.name());
    }
    for (const std::string& r : readable) consider(r);
    for (const ObjectFile& o : map.objects) {
        consider(file_name(o.path));
        consider(o.member);
        if (!o.archive.empty()) consider(file_name(o.archive));
    }
    std::sort(near.begin(), near.end());
    std::string hint;
    for (std::size_t i = 0; i < near.size() && i < 3; ++i) hint += fmt::format("{}'{}'", i ? ", " : "", near[i].second);
    throw Error(map.source, fmt::format("nothing in the link is called '{}' (no symbol, object, archive or crate){}", item,
                                        hint.empty() ? "" : fmt::format("; did you mean {}?", hint)));
}

}  // namespace

std::vector<std::string> missing_evidence(const LinkMap& map) {
    std::vector<std::string> notes;
    if (map.format == MapFormat::gnu_ld && !map.has_cross_references)
        notes.push_back(map.archive_inclusions.empty()
                            ? "the map has neither a cross reference table nor an archive member table: link with "
                              "-Wl,--cref for the references between files"
                            : "the map has no cross reference table: only the first reference that pulled each archive "
                              "member in is known; link with -Wl,--cref for every reference");
    if (map.has_elf && !map.has_relocations)
        notes.push_back("the ELF keeps no relocations: link with -Wl,--emit-relocs for the references between the "
                        "sections the link kept (the map's evidence also counts references from dropped sections)");
    if (map.format == MapFormat::lld && map.archive_inclusions.empty())
        notes.push_back(map.has_cross_references
                            ? "lld's cross reference table leaves out some references (to libgcc's helpers, for one): "
                              "link with -Wl,--why-extract=FILE and pass --why-extract FILE for why each archive "
                              "member was extracted"
                            : "an lld map records no references: link with -Wl,--cref, and with -Wl,--why-extract=FILE "
                              "passing --why-extract FILE, for why each archive member was extracted");
    return notes;
}

WhyAnswer answer_why(const LinkMap& map, const ReferenceGraph& graph, std::string_view item) {
    WhyAnswer a;
    a.item = std::string(item);
    a.notes = missing_evidence(map);
    std::vector<std::uint32_t> targets;
    auto add_node = [&](std::string_view path) {
        if (std::uint32_t n = graph.find(path); n != npos32 && std::find(targets.begin(), targets.end(), n) == targets.end())
            targets.push_back(n);
    };
    auto add_match = [&](std::string label) {
        if (a.matches.size() < 5 && std::find(a.matches.begin(), a.matches.end(), label) == a.matches.end())
            a.matches.push_back(std::move(label));
    };
    const bool file_like = item.find('/') != std::string_view::npos || item.ends_with(".o") ||
                           item.ends_with(".obj") || item.ends_with(".a") || item.ends_with(".rlib") || item.ends_with(")");

    // Symbols: by the name the map prints or the readable one; their bytes are the symbol's.
    auto find_symbols = [&] {
        for (const OutputSection& s : map.sections) {
            if (!s.allocated) continue;
            for (const InputSection& in : map.inputs_of(s))
                for (const Symbol& sym : map.symbols_of(in)) {
                    const bool raw = matches(item, sym.name());
                    std::string readable;
                    if (!raw && may_demangle(sym.name())) readable = demangle(sym.name());
                    if (!raw && (readable.empty() || !matches(item, readable))) continue;
                    a.bytes += sym.size;
                    add_match(readable.empty() ? std::string(sym.name()) : readable);
                    if (in.object != npos32) add_node(map.objects[in.object].path);
                }
        }
        if (!a.matches.empty()) a.kind = "symbol";
    };
    auto find_files = [&] {
        for (const ObjectFile& o : map.objects) {
            const bool object = matches(item, o.path) || matches(item, file_name(o.path)) ||
                                matches(item, object_label(o)) || (!o.archive.empty() && matches(item, o.member));
            const bool archive = !o.archive.empty() && (matches(item, file_name(o.archive)) || matches(item, o.archive));
            const std::string_view crate = crate_of_object(o.archive, o.path);
            const bool in_crate = !object && !archive && !crate.empty() && matches(item, crate);
            if (!object && !archive && !in_crate) continue;
            if (a.kind.empty()) a.kind = object ? "object" : archive ? "archive" : "crate";
            add_match(object ? object_label(o) : archive ? std::string(file_name(o.archive)) : std::string(crate));
            add_node(o.path);
        }
    };
    if (file_like) find_files();
    if (a.kind.empty()) find_symbols();
    if (a.kind.empty()) find_files();

    if (a.kind.empty() || targets.empty()) {
        a.kind.clear();
        // Not linked. The map may say that it was, and was dropped.
        for (const DiscardedSection& d : map.discarded) {
            const std::string_view named = symbol_of_section(d.name);
            std::string_view archive, member;
            const bool archived = split_archive_member(d.file, archive, member);
            const bool file = matches(item, d.file) || matches(item, file_name(d.file)) ||
                              (archived && (matches(item, member) || matches(item, file_name(archive))));
            if ((!named.empty() && matches(item, named)) || file) {
                a.not_linked = fmt::format("'{}' is not linked: the map lists its section {} of {} as discarded "
                                           "(--gc-sections or /DISCARD/)",
                                           item, d.name, d.file);
                return a;
            }
        }
        if (!a.matches.empty()) {
            a.not_linked = fmt::format("'{}' is in the map but holds no byte of the image", item);
            return a;
        }
        unknown(map, item);
    }

    if (a.kind != "symbol")
        for (std::uint32_t n : targets) a.bytes += graph.nodes[n].bytes;
    a.nodes = targets;
    // What leaves with it: the files only it keeps. A symbol takes its file with it only where
    // every reference to the file is to that symbol.
    std::vector<std::uint32_t> group(graph.nodes.size(), npos32);
    for (std::uint32_t n : targets) group[n] = 0;
    const std::uint64_t whole = retained_by_group(graph, group, 1)[0];
    if (a.kind != "symbol") {
        a.retained = whole;
    } else {
        bool only_for_it = true;
        for (const ReferenceEdge& e : graph.edges)
            if (group[e.to] == 0 && std::find(a.matches.begin(), a.matches.end(), std::string(e.symbol)) == a.matches.end())
                only_for_it = false;
        for (std::uint32_t t : targets) only_for_it = only_for_it && !graph.nodes[t].root;
        a.retained = only_for_it ? std::max(whole, a.bytes) : a.bytes;
    }
    a.chains = why_chains(graph, targets);
    return a;
}

}  // namespace sizebudget

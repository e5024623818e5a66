// GNU ld's Cross Reference Table and discarded sections in the model; the reference graph, its
// retained sizes and why-chains, on hand-made maps and on the ESP-IDF corpus maps (linked --cref).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/hints.hpp"
#include "sizebudget/line_reader.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/reference_graph.hpp"
#include "sizebudget/retained.hpp"
#include "sizebudget/why.hpp"
#include "map_builder.hpp"
#include "test_support.hpp"

using namespace sizebudget;
namespace fs = std::filesystem;

namespace {

LinkMap parse(std::string_view text) {
    LineReader in("test.map", text);
    LinkMap m = parse_gnu_ld_map(in, /*keep_discarded=*/true);
    finish_map(m);
    return m;
}

// main.o calls helper (a.o), which calls shared (b.o); other.o, from the same archive, is pulled
// in by main.o for `other` and also calls shared. tiny.o is pulled in by a -u option.
constexpr std::string_view map_text = R"(Archive member included to satisfy reference by file (symbol)

lib/libx.a(a.o)               obj/main.o (helper)
lib/libx.a(other.o)           obj/main.o (other)
lib/libx.a(b.o)               lib/libx.a(a.o) (shared)
lib/libx.a(tiny.o)
                              (forced)

Discarded input sections

 .text.unused   0x00000000       0x20 obj/main.o

Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x08000000         0x00010000         xr
*default*        0x00000000         0xffffffff

Linker script and memory map

.text           0x08000000      0x170
 .text.main     0x08000000       0x10 obj/main.o
                0x08000000                main
 .text.helper   0x08000010       0x40 lib/libx.a(a.o)
                0x08000010                helper
 .text.other    0x08000050       0x20 lib/libx.a(other.o)
                0x08000050                other
 .text.shared   0x08000070      0x100 lib/libx.a(b.o)
                0x08000070                shared
OUTPUT(fw.elf elf32-littlearm)

Cross Reference Table

Symbol                                            File
helper                                            lib/libx.a(a.o)
                                                  obj/main.o
other                                             lib/libx.a(other.o)
                                                  obj/main.o
shared                                            lib/libx.a(b.o)
                                                  lib/libx.a(other.o)
                                                  lib/libx.a(a.o)
std::__throw_length_error(char const*) with a very long tail beyond the column lib/libx.a(a.o)
script_symbol                                     obj/main.o
)";

std::uint32_t node(const ReferenceGraph& g, std::string_view path) {
    const std::uint32_t n = g.find(path);
    REQUIRE_MESSAGE(n != npos32, path);
    return n;
}

}  // namespace

TEST_CASE("cref: the table and discarded sections are read") {
    LinkMap m = parse(map_text);
    CHECK(m.has_cross_references);
    REQUIRE(m.cross_references.size() == 5);
    CHECK(m.cross_references[2].symbol() == "shared");
    CHECK(m.cross_references[2].file_count == 3);
    CHECK(m.cref_file(m.cross_references[2].first_file + 1) == "lib/libx.a(other.o)");
    // A name longer than the column is followed by one space; C++ names hold spaces.
    CHECK(m.cross_references[3].symbol() == "std::__throw_length_error(char const*) with a very long tail beyond the column");
    CHECK(m.cref_file(m.cross_references[3].first_file) == "lib/libx.a(a.o)");
    REQUIRE(m.discarded.size() == 1);
    CHECK(m.discarded[0].name == ".text.unused");
    CHECK(m.discarded[0].file == "obj/main.o");
}

TEST_CASE("reference graph: edges, roots, retained sizes and chains") {
    LinkMap m = parse(map_text);
    ReferenceGraph g = build_reference_graph(m);
    const std::uint32_t main_o = node(g, "obj/main.o"), a = node(g, "lib/libx.a(a.o)"),
                        b = node(g, "lib/libx.a(b.o)"), other = node(g, "lib/libx.a(other.o)"),
                        tiny = node(g, "lib/libx.a(tiny.o)");
    CHECK(g.nodes[main_o].root);
    CHECK(g.nodes[main_o].root_reason == "linked directly");
    CHECK(g.nodes[tiny].root);
    CHECK(g.nodes[tiny].root_reason == "-u forced or the entry point asks for it");
    CHECK_FALSE(g.nodes[a].root);
    // The definer is told from the map's symbols: script_symbol's only file references it.
    // main.o's references, in the order the map gives them: the cross reference table, then the
    // archive member table.
    std::vector<std::pair<std::string_view, Evidence>> from_main;
    for (const ReferenceEdge& e : g.edges_of(main_o)) from_main.emplace_back(e.symbol, e.evidence);
    CHECK(from_main == std::vector<std::pair<std::string_view, Evidence>>{{"helper", Evidence::cross_reference},
                                                                          {"other", Evidence::cross_reference},
                                                                          {"helper", Evidence::member_table},
                                                                          {"other", Evidence::member_table}});

    const std::vector<std::uint64_t> kept = retained_by_node(g);
    CHECK(kept[b] == 0x100);
    CHECK(kept[a] == 0x40);  // b.o is also kept by other.o
    CHECK(kept[other] == 0x20);
    CHECK(kept[main_o] == 0x10 + 0x40 + 0x20 + 0x100);

    // a.o and other.o together keep b.o.
    std::vector<std::uint32_t> group(g.nodes.size(), npos32);
    group[a] = group[other] = 0;
    CHECK(retained_by_group(g, group, 1)[0] == 0x40 + 0x20 + 0x100);

    // Past the bound of work only the largest group is searched; the other gets a lower bound.
    std::vector<std::uint32_t> two(g.nodes.size(), npos32);
    two[a] = 0;      // a.o alone: b.o stays, other.o keeps it
    two[other] = 1;  // other.o alone
    std::size_t estimated = 0;
    const auto exact = retained_by_group(g, two, 2, &estimated);
    CHECK(estimated == 0);
    CHECK(exact[0] == 0x40);
    CHECK(exact[1] == 0x20);
    const auto bounded = retained_by_group(g, two, 2, &estimated, 1);
    CHECK(estimated == 1);
    CHECK(bounded[0] == 0x40);  // the larger group, searched
    CHECK(bounded[1] <= exact[1]);
    CHECK(bounded[1] >= 0x20);
    // Groups of one take their node's figure without a search, even past the bound: the same.
    const auto singles = retained_by_group(g, two, 2, &estimated, 1, &kept);
    CHECK(estimated == 0);
    CHECK(singles == exact);

    const auto chains = why_chains(g, {b});
    REQUIRE(chains.size() == 2);  // one per file that references b.o
    CHECK(chains[0].front().node == main_o);
    CHECK(chains[0].back().node == b);
    CHECK(chains[0].size() == 3);
}

TEST_CASE("why: symbols, files, not linked, unknown") {
    LinkMap m = parse(map_text);
    ReferenceGraph g = build_reference_graph(m);
    WhyAnswer w = answer_why(m, g, "helper");
    CHECK(w.kind == "symbol");
    CHECK(w.bytes == 0x40);
    CHECK(w.retained == 0x40);
    CHECK(w.notes.empty());
    w = answer_why(m, g, "libx.a");
    CHECK(w.kind == "archive");
    CHECK(w.retained == 0x40 + 0x20 + 0x100 + g.nodes[node(g, "lib/libx.a(tiny.o)")].bytes);
    w = answer_why(m, g, "unused");
    CHECK(w.kind.empty());
    CHECK(w.not_linked.find("discarded") != std::string::npos);
    CHECK_THROWS_WITH_AS(answer_why(m, g, "helpr"), doctest::Contains("did you mean 'helper'"), Error);
}

TEST_CASE("reference graph: the ESP-IDF corpus maps, linked with --cref") {
    const fs::path dir = test::corpus_dir() / "gnu-ld";
    if (!fs::is_directory(dir)) return;
    int checked = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (!e.path().filename().string().starts_with("esp32")) continue;
        LinkMap m = read_map(e.path().string());
        if (!m.has_cross_references) continue;
        CAPTURE(e.path().string());
        ++checked;
        CHECK(m.cross_references.size() > 100);
        ReferenceGraph g = build_reference_graph(m);
        CHECK(g.edges.size() > m.archive_inclusions.size());
        // Each node's edges lie together, node after node, and cover the array.
        std::size_t next = 0;
        for (const ReferenceNode& n : g.nodes) {
            CHECK(n.first_edge == next);
            next += n.edge_count;
        }
        CHECK(next == g.edges.size());
        // Every file holding bytes is reached, and retains at least its own bytes.
        const std::vector<std::uint64_t> kept = retained_by_node(g);
        for (std::size_t i = 0; i < g.nodes.size(); ++i) CHECK(kept[i] >= g.nodes[i].bytes);
        Totals t = compute_totals(m, {.symbols = false});
        RetainedSizes r = retained_sizes(m, t);
        CHECK(r.evidence == "cross reference table");
        for (std::size_t i = 0; i < t.archives.size(); ++i)
            if (r.archives[i] != no_retained) CHECK(r.archives[i] >= t.archives[i].size);
    }
    CHECK(checked >= 3);
}

TEST_CASE("hints: the built-in rules read, and a rules file's mistakes are located") {
    const std::vector<HintRule> rules = builtin_hint_rules();
    CHECK(rules.size() >= 13);
    for (const HintRule& r : rules) {
        CHECK_FALSE(r.title.empty());
        CHECK_FALSE(r.remedy.empty());
    }
    auto error_of = [](std::string_view text) -> std::string {
        try {
            parse_hint_rules(text, "h.yaml");
        } catch (const Error& e) {
            return e.located();
        }
        return {};
    };
    CHECK(error_of("version: 1\nhints:\n  a: { title: t, remedy: r, symbols: [x] }\n  a: { title: t, remedy: r }\n")
              .starts_with("h.yaml:4:3: duplicate key 'a'"));
    CHECK(error_of("version: 1\nhints:\n  a: { title: t, remedy: r }\n") ==
          "h.yaml:3:3: hint 'a' names nothing to look for (symbols, objects, archives, sections, crates or value_at_least)");
    CHECK(error_of("version: 1\nhints:\n  a: { title: t, remedy: r, value_at_least: { level: high } }\n") ==
          "h.yaml:3:54: the least value of 'level' in hint 'a' must be a number");
    CHECK(error_of("version: 1\nhints:\n  a: { title: t, remedy: r, symbol: [x] }\n").starts_with("h.yaml:3:29: unknown key 'symbol'"));
    CHECK(error_of("version: 2\nhints: {}\n") == "h.yaml:1:10: `version` must be 1");
    CHECK(error_of("").find("the hint rules file is empty") != std::string::npos);
}

TEST_CASE("hints: fire on evidence only") {
    LinkMap m = parse(map_text);
    Totals t = compute_totals(m, {.symbols = false});
    std::vector<HintRule> rules = parse_hint_rules(
        "version: 1\nhints:\n"
        "  shared: { title: shared is linked, remedy: drop it, symbols: [shared] }\n"
        "  absent: { title: never, remedy: none, symbols: [no_such_symbol] }\n"
        "  big: { title: big text, remedy: smaller, sections: [.text], min_bytes: 100000 }\n",
        "h.yaml");
    const std::vector<Hint> hints = find_hints(m, t, retained_sizes(m, t), rules);
    REQUIRE(hints.size() == 1);
    CHECK(hints[0].id == "shared");
    CHECK(hints[0].evidence == "symbol shared in lib/libx.a(b.o)");
    CHECK(hints[0].evidence_bytes == 0x100);
    CHECK(hints[0].retained == 0x100);
    REQUIRE(hints[0].why.size() == 3);
    CHECK(hints[0].why[0] == "obj/main.o (linked directly)");
}

namespace {

// A link holding one item: `section` (output section) with one input section of `size` bytes
// from `object`, holding `symbol` when given.
LinkMap one_item(std::string_view section, std::string_view object, std::string_view symbol, std::uint64_t size) {
    const std::string text = fmt::format(R"(Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x08000000         0x00100000         xr
*default*        0x00000000         0xffffffff

Linker script and memory map

.text           0x08000000       0x10
 .text.main     0x08000000       0x10 obj/main.o
                0x08000000                main
{0:<15} 0x08000010 {1:#10x}
 {0:<14} 0x08000010 {1:#10x} {2}
{3}OUTPUT(fw.elf elf32-littlearm)
)",
                                         section, size, object,
                                         symbol.empty() ? std::string() : fmt::format("                0x08000010                {}\n", symbol));
    return parse(text);
}

}  // namespace

TEST_CASE("hints: every built-in rule fires on its evidence, alone, and not below its threshold") {
    struct Case {
        std::string_view rule, section, object, symbol;
        std::uint64_t size;
        std::optional<std::uint64_t> value = {};  // the symbol's starting value, as --elf gives it
    };
    // One piece of evidence per rule, named as the maps of each toolchain name it.
    const Case cases[] = {
        {"newlib-printf-float", ".text", "libc_nano.a(lib_a-nano-vfprintf_float.o)", "_printf_float", 0x5a0},
        {"newlib-scanf-float", ".text", "libc_nano.a(lib_a-nano-vfscanf_float.o)", "_scanf_float", 0x200},
        {"newlib-full-printf", ".text", "/usr/lib/arm-none-eabi/lib/libc.a(lib_a-vfprintf.o)", "", 0x1800},
        {"cxx-exceptions", ".text", "libstdc++_nano.a(eh_throw.o)", "__cxa_throw", 0x60},
        {"cxx-rtti", ".text", "libstdc++_nano.a(dyncast.o)", "__dynamic_cast", 0x100},
        {"unwind-tables", ".ARM.exidx", "obj/main.o", "", 1024},
        {"assert-file-names", ".text", "libc_nano.a(lib_a-assert.o)", "__assert_func", 0x40},
        {"soft-double", ".text", "libgcc.a(_arm_muldivdf3.o)", "__aeabi_dmul", 0x430},
        {"heap-allocator", ".text", "libc_nano.a(lib_a-malloc.o)", "malloc", 0x10},
        {"rust-panic-fmt", ".text",
         "libcore-0123456789abcdef.rlib(core-0123456789abcdef.core.abc123-cgu.0.rcgu.o)",
         "_ZN73_$LT$core..panic..panic_info..PanicInfo$u20$as$u20$core..fmt..Display$GT$3fmt17h9be4a17a8c7af706E", 0x180},
        {"defmt-logging", ".text", "libdefmt_rtt-0123456789abcdef.rlib(defmt_rtt-0123456789abcdef.defmt_rtt.x-cgu.0.rcgu.o)",
         "_defmt_write", 0x40},
        {"esp-x509-bundle", ".flash.text", "esp-idf/mbedtls/libmbedtls.a(esp_crt_bundle.c.obj)", "esp_crt_bundle_attach", 0x120},
        {"mbedtls-error-strings", ".flash.text", "esp-idf/mbedtls/mbedtls/library/libmbedcrypto.a(error.c.obj)",
         "mbedtls_high_level_strerr", 0x2000},
        {"esp-log-verbose", ".dram0.data", "esp-idf/log/liblog.a(log_level.c.obj)", "esp_log_default_level", 4, 5},
    };
    const std::vector<HintRule> rules = builtin_hint_rules();
    auto fired = [&](const LinkMap& m) {
        const Totals t = compute_totals(m, {.symbols = false});
        std::vector<std::string> ids;
        for (const Hint& h : find_hints(m, t, retained_sizes(m, t), rules)) ids.push_back(h.id);
        return ids;
    };
    std::vector<std::string_view> covered;
    for (const Case& c : cases) {
        CAPTURE(c.rule);
        LinkMap m = one_item(c.section, c.object, c.symbol, c.size);
        if (c.value) {
            // Without the ELF the map has no value: silent. Below the least value: silent.
            CHECK(fired(m).empty());
            m.initial_values.push_back({c.symbol, 3});
            CHECK(fired(m).empty());
            m.initial_values.back().value = *c.value;
        }
        CHECK(fired(m) == std::vector<std::string>{std::string(c.rule)});
        covered.push_back(c.rule);
        // Below a rule's threshold it stays silent.
        const HintRule& rule = *std::find_if(rules.begin(), rules.end(), [&](const HintRule& r) { return r.id == c.rule; });
        if (rule.min_bytes > 0) CHECK(fired(one_item(c.section, c.object, c.symbol, rule.min_bytes - 1)).empty());
    }
    // A link with none of it: main alone.
    CHECK(fired(one_item(".rodata", "obj/main.o", "table", 0x40)).empty());
    // Every rule has its case here: a new rule needs one.
    for (const HintRule& r : rules) CHECK_MESSAGE(std::find(covered.begin(), covered.end(), r.id) != covered.end(), r.id);
}

TEST_CASE("retained: with relocations a function retains what only its own section reaches") {
    // util.o holds f and g (-ffunction-sections); f alone calls fa.o, g alone ga.o. At object
    // level main.o reaches util.o for two symbols and neither retains more than itself; the
    // sections tell each function's callees apart.
    test::MapBuilder b;
    const std::uint32_t main_o = b.object("obj/main.o"), util = b.object("obj/util.o");
    const std::uint32_t fa = b.object("libx.a(fa.o)", "libx.a", "fa.o"), ga = b.object("libx.a(ga.o)", "libx.a", "ga.o");
    b.region("FLASH", 0x08000000, 0x10000);
    b.section(".text", 0x08000000, 0x370).allocated = true;
    b.append(".text.main", 0x10, main_o);
    b.symbol_in_last("main");
    b.append(".text.f", 0x20, util);
    b.symbol_in_last("f");
    b.append(".text.g", 0x40, util);
    b.symbol_in_last("g");
    b.append(".text.fa", 0x100, fa);
    b.symbol_in_last("fa");
    b.append(".text.ga", 0x200, ga);
    b.symbol_in_last("ga");
    for (std::uint32_t i = 0; i < 5; ++i) b.map.symbols[i].size = b.map.inputs[i].size;
    b.map.has_relocations = true;
    b.map.discarded_sections = 1;  // --gc-sections
    b.map.section_references = {{0, 1, "f"}, {0, 2, "g"}, {1, 3, "fa"}, {2, 4, "ga"}};
    finish_map(b.map);
    const LinkMap& m = b.map;
    const Totals t = compute_totals(m, {});
    const RetainedSizes r = retained_sizes(m, t);
    CHECK(r.evidence == "relocations");
    // The retained figure of the row called `name` among `rows`.
    auto retained_of = [](const ItemRows& rows, const std::vector<std::uint64_t>& figures, std::string_view name) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (rows[i].name == name) return figures[i];
        FAIL("no row ", name);
        return std::uint64_t{0};
    };
    auto symbol = [&](std::string_view name) { return retained_of(t.symbols, r.symbols, name); };
    auto object = [&](std::string_view name) { return retained_of(t.objects, r.objects, name); };
    CHECK(symbol("f") == 0x20 + 0x100);
    CHECK(symbol("g") == 0x40 + 0x200);
    CHECK(symbol("fa") == 0x100);
    CHECK(symbol("main") == 0x370);
    CHECK(object("util.o") == 0x60 + 0x300);
    // Figures for the top rows only (a text report's): the same figures, for those rows alone.
    const RetainedSizes top = retained_sizes(m, t, 2);
    REQUIRE(top.symbols.size() == 2);
    CHECK(top.symbols[0] == r.symbols[0]);
    CHECK(top.symbols[1] == r.symbols[1]);
    CHECK(top.objects == r.objects);
    // Without --gc-sections every section of an object linked directly stays whoever calls it:
    // main keeps only itself, f still keeps what only f calls.
    b.map.discarded_sections = 0;
    const RetainedSizes kept = retained_sizes(b.map, t);
    CHECK(retained_of(t.symbols, kept.symbols, "main") == 0x10);
    CHECK(retained_of(t.symbols, kept.symbols, "f") == 0x20 + 0x100);
}

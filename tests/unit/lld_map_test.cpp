// parse_lld_map(): inline maps for every construct lld writes, error handling, and the real maps
// of the corpus (skipped with a message when the corpus is absent).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "sizebudget/error.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/totals.hpp"
#include "test_support.hpp"

using namespace sizebudget;

namespace {

LinkMap parse(std::string_view text) {
    LineReader in("test.map", text);
    return parse_lld_map(in);
}

LinkMap parse_file(const std::filesystem::path& p) {
    LineReader in(p.string());
    return parse_lld_map(in);
}

// The error a map raises; fails the test when it parses.
Error error_of(std::string_view text) {
    try {
        parse(text);
    } catch (const Error& e) {
        return e;
    }
    FAIL("expected an Error for:\n" << text);
    return Error("", "");
}

const OutputSection* section(const LinkMap& m, std::string_view name) {
    for (const OutputSection& s : m.sections)
        if (s.name == name) return &s;
    return nullptr;
}

const Symbol* symbol(const LinkMap& m, std::string_view name) {
    for (const Symbol& s : m.symbols)
        if (s.name() == name) return &s;
    return nullptr;
}

const ObjectFile* object(const LinkMap& m, std::string_view path) {
    for (const ObjectFile& o : m.objects)
        if (o.path == path) return &o;
    return nullptr;
}

bool is_mapping_symbol(std::string_view n) {
    return n.size() >= 2 && n[0] == '$' && std::string_view("atdx").find(n[1]) != std::string_view::npos &&
           (n.size() == 2 || n[2] == '.');
}

constexpr std::string_view header = "     VMA      LMA     Size Align Out     In      Symbol\n";

// A complete small map: ends with non-allocated sections as lld always does.
const std::string basic_map = std::string(header) +
    "       0        0        0     1 PROVIDE ( NonMaskableInt = DefaultHandler )\n"
    " 8000000  8000000       48     4 .vector_table\n"
    " 8000000  8000000        4     1         LONG ( _stack_start )\n"
    " 8000004  8000004        4     4         obj/startup.o:(.vector_table.reset_vector)\n"
    " 8000004  8000004        4     1                 __RESET_VECTOR\n"
    " 8000008  8000008        0     1         __reset_vector = .\n"
    " 8000008  8000008       40     4         lib/libhal.a(vectors.o):(.vector_table.exceptions)\n"
    " 8000008  8000008       40     1                 __EXCEPTIONS\n"
    " 8000048  8000048       20     4 .text\n"
    " 8000048  8000048       10     2         obj/main.o:(.text.main)\n"
    " 8000048  8000048        0     1                 $t.1\n"
    " 8000049  8000049       10     1                 main\n"
    " 8000058  8000058        8     2         lib/libhal.a(vectors.o):(.text.Reset)\n"
    " 8000058  8000058        0     1                 $t\n"
    " 8000059  8000059        8     1                 Reset\n"
    " 8000060  8000060        0     1         . = ALIGN ( 8 )\n"
    " 8000060  8000060        8     1         . += 8\n"
    "20000000  8000068       10     4 .data\n"
    "20000000  8000068       10     4         obj/main.o:(.data.counter)\n"
    "20000000  8000068       10     1                 counter\n"
    "20000010 20000010        0     1 __sheap = .\n"
    "       0        0       30     1 .debug_info\n"
    "       0        0       30     1         obj/main.o:(.debug_info)\n"
    "       0        0       13     1 .comment\n"
    "       0        0       13     1         <internal>:(.comment)\n"
    "       0        0       20     1 .strtab\n"
    "       0        0       20     1         <internal>:(.strtab)\n";

}  // namespace

TEST_SUITE("lld map") {

TEST_CASE("sections, load addresses, inputs, symbols and objects of a small map") {
    LinkMap m = parse(basic_map);
    CHECK(m.format == MapFormat::lld);
    CHECK(m.regions.empty());  // lld maps carry no MEMORY regions
    CHECK(m.warnings.empty());
    REQUIRE(m.sections.size() == 6);

    const OutputSection& vt = m.sections[0];
    CHECK(vt.name == ".vector_table");
    CHECK(vt.address == 0x8000000);
    CHECK(vt.load_address == 0x8000000);
    CHECK(vt.size == 0x48);
    CHECK(vt.allocated);
    CHECK(vt.line == 3);
    REQUIRE(vt.input_count == 3);  // LONG, reset_vector, exceptions; the assignment is no piece

    const OutputSection& data = *section(m, ".data");
    CHECK(data.address == 0x20000000);
    CHECK(data.load_address == 0x8000068);  // LMA column kept apart from VMA
    CHECK(data.line == 19);

    // The pieces of .text, in order, with the symbols of each.
    const OutputSection& text = *section(m, ".text");
    auto pieces = m.inputs_of(text);
    REQUIRE(pieces.size() == 2);
    CHECK(pieces[0].name() == ".text.main");
    CHECK(pieces[0].kind == PieceKind::input);
    CHECK(pieces[0].address == 0x8000048);
    CHECK(pieces[0].size == 0x10);
    REQUIRE(pieces[0].symbol_count == 1);
    CHECK(m.symbols_of(pieces[0])[0].name() == "main");
    CHECK(m.symbols_of(pieces[1])[0].name() == "Reset");

    // Objects: interned once each, archive members split.
    CHECK(m.objects.size() == 3);
    const ObjectFile* hal = object(m, "lib/libhal.a(vectors.o)");
    REQUIRE(hal != nullptr);
    CHECK(hal->archive == "lib/libhal.a");
    CHECK(hal->member == "vectors.o");
    const ObjectFile* main_o = object(m, "obj/main.o");
    REQUIRE(main_o != nullptr);
    CHECK(main_o->archive.empty());
    CHECK(main_o->member == "obj/main.o");
    // Both pieces from vectors.o point at the same object.
    CHECK(m.object_of(m.inputs[2]) == hal);
    CHECK(m.object_of(pieces[1]) == hal);

    // Symbol sizes come from lld's Size column.
    const Symbol* exceptions = symbol(m, "__EXCEPTIONS");
    REQUIRE(exceptions != nullptr);
    CHECK(exceptions->size == 0x40);
}

TEST_CASE("older lld maps without the LMA column, with 64-bit zero-padded columns") {
    LinkMap m = parse(
        "Address          Size             Align Out     In      Symbol\n"
        "0000000000201000 0000000000000015     4 .text\n"
        "0000000000201000 000000000000000e     4         test.o:(.text)\n"
        "0000000000201000 0000000000000000     0                 _start\n"
        "0000000000201005 0000000000000000     0                 f(int)\n"
        "000000000020100e 0000000000000007     4         foo.o:(.text)\n"
        "0000000000000000 0000000000000008     1 .comment\n"
        "0000000000000000 0000000000000008     1         <internal>:(.comment)\n");
    REQUIRE(m.sections.size() == 2);
    CHECK(m.sections[0].address == 0x201000);
    CHECK(m.sections[0].load_address == 0x201000);  // no LMA column: LMA = VMA
    CHECK(m.sections[0].size == 0x15);
    REQUIRE(m.sections[0].input_count == 2);
    CHECK(m.inputs[1].address == 0x20100e);
    CHECK(m.inputs[1].size == 7);
    // Names with spaces and parentheses survive; zero sizes stay unknown.
    const Symbol* f = symbol(m, "f(int)");
    REQUIRE(f != nullptr);
    CHECK(f->address == 0x201005);  // odd, but no Thumb code in this map: unchanged
    CHECK(f->size == 0);  // not recorded: finish_map() derives it
}

TEST_CASE("64-bit VMA/LMA columns") {
    LinkMap m = parse(
        "             VMA              LMA     Size Align Out     In      Symbol\n"
        "ffffffff80200000         80200000     1000  4096 .text\n"
        "ffffffff80200000         80200000     1000     4         k.o:(.text)\n"
        "               0                0       10     1 .comment\n"
        "               0                0       10     1         <internal>:(.comment)\n");
    REQUIRE(m.sections.size() == 2);
    CHECK(m.sections[0].address == 0xffffffff80200000ull);
    CHECK(m.sections[0].load_address == 0x80200000);
}

TEST_CASE("input section lines: archives, rlibs, Windows paths, linker-generated, eh_frame pieces") {
    LinkMap m = parse(std::string(header) +
        "80000000 80000000      100     4 .text\n"
        "80000000 80000000       10     2         libx.a(member.o):(.text)\n"
        "80000010 80000010       10     2         /t/deps/libcore-9a.rlib(core-9a.core.3b-cgu.0.rcgu.o):(.text.z)\n"
        "80000020 80000020       10     2         E:\\rust\\target\\debug\\deps\\kernel-94.3k.rcgu.o:(.text.entry)\n"
        "80000030 80000030       10     2         E:\\rust\\target\\debug\\deps\\libgoblin-b9.rlib(goblin-b9.goblin.0.rcgu.o):(.text.parse)\n"
        "80000040 80000040       10     2         C:\\Program Files (x86)\\arm\\lib\\libc.a(lib_a-printf(1).o):(.text.printf)\n"
        "80000050 80000050       10     2         /build/odd:(dir)/weird name.o:(.text:odd)\n"
        "80000060 80000060       10     1         <internal>:(.ARM.exidx)\n"
        "80000070 80000070       90     8         libx.a(member.o):(.eh_frame+0x1c)\n"
        "80000100 80000100      100     8 .bss\n"
        "80000100 80000100      100     8         <internal>:(.bss)\n"
        "       0        0       10     1 .strtab\n"
        "       0        0       10     1         <internal>:(.strtab)\n");
    REQUIRE(m.inputs.size() == 10);

    const ObjectFile* rlib = m.object_of(m.inputs[1]);
    REQUIRE(rlib != nullptr);
    CHECK(rlib->archive == "/t/deps/libcore-9a.rlib");
    CHECK(rlib->member == "core-9a.core.3b-cgu.0.rcgu.o");
    CHECK(m.inputs[1].name() == ".text.z");

    // The drive letter's colon does not split the line: the last ":(" does.
    const ObjectFile* win = m.object_of(m.inputs[2]);
    REQUIRE(win != nullptr);
    CHECK(win->path == "E:\\rust\\target\\debug\\deps\\kernel-94.3k.rcgu.o");
    CHECK(win->archive.empty());
    CHECK(m.inputs[2].name() == ".text.entry");

    const ObjectFile* goblin = m.object_of(m.inputs[3]);
    REQUIRE(goblin != nullptr);
    CHECK(goblin->archive == "E:\\rust\\target\\debug\\deps\\libgoblin-b9.rlib");
    CHECK(goblin->member == "goblin-b9.goblin.0.rcgu.o");
    CHECK(file_name(goblin->archive) == "libgoblin-b9.rlib");

    // Parentheses in a directory name and in the member name.
    const ObjectFile* libc = m.object_of(m.inputs[4]);
    REQUIRE(libc != nullptr);
    CHECK(libc->archive == "C:\\Program Files (x86)\\arm\\lib\\libc.a");
    CHECK(libc->member == "lib_a-printf(1).o");

    CHECK(m.object_of(m.inputs[5])->path == "/build/odd:(dir)/weird name.o");  // split at the last ":("
    CHECK(m.inputs[5].name() == ".text:odd");

    // <internal>: linker-generated, no object.
    CHECK(m.inputs[6].kind == PieceKind::generated);
    CHECK(m.inputs[6].object == npos32);
    CHECK(m.inputs[6].name() == ".ARM.exidx");
    CHECK(m.inputs[8].kind == PieceKind::generated);
    CHECK(m.inputs[8].name() == ".bss");

    // .eh_frame pieces lose their "+0x.." offset; the object is shared with inputs[0].
    CHECK(m.inputs[7].name() == ".eh_frame");
    CHECK(m.inputs[7].object == m.inputs[0].object);
    CHECK(m.objects.size() == 6);
}

TEST_CASE("objects: one per path, found again in any order, the same member in two archives two objects") {
    LinkMap m = parse(std::string(header) +
        "80000000 80000000       a0     4 .text\n"
        "80000000 80000000       10     2         /b/log/liblog.a(util.c.obj):(.text.a)\n"
        "80000010 80000010       10     2         /b/net/libnet.a(util.c.obj):(.text.b)\n"
        "80000020 80000020       10     2         main.o:(.text.c)\n"
        "80000030 80000030       10     2         /b/log/liblog.a(util.c.obj):(.text.d)\n"
        "80000040 80000040       10     2         /b/libdr\xe9v.a(x.o):(.text.e)\n"
        "80000050 80000050       10     2         main.o:(.text.f)\n"
        "80000060 80000060       10     2         /b/libdr\xe9v.a(x.o):(.text.g)\n"
        "80000070 80000070       10     2         /b/dr\xe9v.o:(.text.h)\n"
        "80000080 80000080       10     2         main.o:(.text.i)\n"
        "80000090 80000090       10     2         /b/dr\xe9v.o:(.text.j)\n");
    REQUIRE(m.inputs.size() == 10);
    CHECK(m.objects.size() == 5);
    CHECK(m.inputs[7].object == m.inputs[9].object);
    CHECK(m.object_of(m.inputs[7])->path == "/b/dr%E9v.o");
    CHECK(m.inputs[0].object == m.inputs[3].object);
    CHECK(m.inputs[0].object != m.inputs[1].object);
    CHECK(m.inputs[2].object == m.inputs[5].object);
    CHECK(m.inputs[4].object == m.inputs[6].object);
    CHECK(m.object_of(m.inputs[1])->archive == "/b/net/libnet.a");
    CHECK(m.object_of(m.inputs[1])->member == "util.c.obj");
    CHECK(m.object_of(m.inputs[4])->path == "/b/libdr%E9v.a(x.o)");
    // Stored once: the same text as every other intern() of the path.
    CHECK(m.object_of(m.inputs[0])->path.data() == m.intern("/b/log/liblog.a(util.c.obj)").data());
}

TEST_CASE("cross reference files are the objects' stored paths, or interned") {
    LinkMap m = parse(std::string(header) +
        "80000000 80000000       20     4 .text\n"
        "80000000 80000000       10     2         /b/log/liblog.a(util.c.obj):(.text.a)\n"
        "80000010 80000010       10     2         main.o:(.text.b)\n"
        "\n"
        "Cross Reference Table\n"
        "\n"
        "Symbol                                            File\n"
        "a                                                 /b/log/liblog.a(util.c.obj)\n"
        "                                                  libshared.so\n"
        "                                                  main.o\n");
    REQUIRE(m.cref_files.size() == 3);
    CHECK(m.cref_files[0] == m.object_of(m.inputs[0])->path.data());
    CHECK(m.cref_files[1] == m.intern("libshared.so").data());
    CHECK(m.cref_files[2] == m.object_of(m.inputs[1])->path.data());
}

TEST_CASE("data commands are data pieces; assignments, PROVIDE and ASSERT lines are skipped") {
    LinkMap m = parse(std::string(header) +
        "       0        0        0     1 _stext = ORIGIN ( RAM ) + 0x420\n"
        "       0        0        0     1 PROVIDE ( _stack_start = ORIGIN ( RAM ) + LENGTH ( RAM ) )\n"
        " 8000000  8000000       20     4 .vector_table\n"
        " 8000000  8000000        4     1         LONG ( _stack_start )\n"
        " 8000004  8000004        0     1         __reset_vector = .\n"
        " 8000004  8000004        0     1         PROVIDE ( end = . )\n"
        " 8000004  8000004        1     1         BYTE ( 0x1 )\n"
        " 8000005  8000005        2     1         SHORT ( 0x2 )\n"
        " 8000007  8000007        1     1         . = ALIGN ( 8 )\n"
        " 8000008  8000008        8     1         QUAD ( 0x3 )\n"
        " 8000010  8000010        8     1         SQUAD ( -1 )\n"
        " 8000018  8000018        8     1         . += 8\n"
        " 8000020  8000020        0     1 \n"  // ASSERT(...): lld prints an empty command
        " 8000020  8000020        0     1 __sheap = .\n"
        "       0        0       10     1 .strtab\n"
        "       0        0       10     1         <internal>:(.strtab)\n");
    REQUIRE(m.sections.size() == 2);
    auto pieces = m.inputs_of(m.sections[0]);
    REQUIRE(pieces.size() == 5);
    const char* names[] = {"LONG", "BYTE", "SHORT", "QUAD", "SQUAD"};
    const std::uint64_t sizes[] = {4, 1, 2, 8, 8};
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(pieces[i].kind == PieceKind::data);
        CHECK(pieces[i].name() == names[i]);
        CHECK(pieces[i].size == sizes[i]);
        CHECK(pieces[i].object == npos32);
    }
    CHECK(m.symbols.empty());
    CHECK(symbol(m, "__reset_vector") == nullptr);
    CHECK(section(m, "_stext") == nullptr);
    CHECK(m.warnings.empty());  // the `. +=` line covers the end of the section
}

TEST_CASE("mapping symbols and assembler-local labels are not program symbols") {
    LinkMap m = parse(std::string(header) +
        "80000000 80000000       40     4 .text\n"
        "80000000 80000000       40     2         a.o:(.text)\n"
        "80000000 80000000        0     1                 $x\n"
        "80000000 80000000        0     1                 .Lpcrel_hi0\n"
        "80000000 80000000        0     1                 .L0 \n"
        "80000000 80000000       10     1                 _start\n"
        "80000010 80000010        0     1                 $d.13\n"
        "80000010 80000010        0     1                 $x.1\n"
        "80000010 80000010        0     1                 $xrv32i2p1_m2p0\n"
        "80000010 80000010        0     1                 $a\n"
        "80000010 80000010        0     1                 $t.2\n"
        "80000010 80000010        0     1                 $d\n"
        "80000012 80000012        4     1                 $tfoo\n"
        "80000016 80000016        4     1                 $LT$impl$GT$::f\n"
        "80000020 80000020        4     1                 trailing_blank   \n"
        "       0        0       10     1 .strtab\n"
        "       0        0       10     1         <internal>:(.strtab)\n");
    std::vector<std::string_view> names;
    for (const Symbol& s : m.symbols) names.push_back(s.name());
    // Only real symbols remain; "$tfoo" and Rust's "$LT$..." only look like mapping symbols.
    CHECK(names == std::vector<std::string_view>{"_start", "$tfoo", "$LT$impl$GT$::f", "trailing_blank"});
    CHECK(m.inputs[0].symbol_count == 4);
}

TEST_CASE("Thumb bit: cleared for symbols in Thumb code, kept for data at odd addresses") {
    LinkMap m = parse(std::string(header) +
        " 8000000  8000000      200     4 .text\n"
        // Thumb code after $t: every odd symbol is a Thumb function, also past start + 1.
        " 8000000  8000000       50     4         libc_nano.a(lib_a-mlock.o):(.text)\n"
        " 8000000  8000000        0     1                 $t\n"
        " 8000001  8000001        2     1                 __malloc_lock\n"
        " 8000005  8000005        2     1                 __malloc_unlock\n"
        // A literal pool after $d: odd addresses there are data.
        " 8000008  8000008        0     1                 $d\n"
        " 8000009  8000009        1     1                 odd_pool_byte\n"
        // $t.N and back to Thumb.
        " 8000010  8000010        0     1                 $t.7\n"
        " 8000011  8000011       10     1                 after_pool\n"
        // No mapping symbol in this input, but Thumb code was seen: the first symbol at
        // start + 1 is a Thumb function.
        " 8000050  8000050       10     2         b.o:(.text.nomap)\n"
        " 8000051  8000051       10     1                 no_mapping_symbol_fn\n"
        // Same situation, but the odd symbol is not the input's first: data, unchanged.
        " 8000060  8000060       10     1         c.o:(.rodata.chars)\n"
        " 8000060  8000060        1     1                 char_a\n"
        " 8000061  8000061        1     1                 char_b\n"
        // ARM (A32) code: no Thumb bit to clear.
        " 8000070  8000070       10     4         d.o:(.text.arm)\n"
        " 8000070  8000070        0     1                 $a\n"
        " 8000071  8000071        1     1                 not_thumb\n"
        "       0        0       10     1 .strtab\n"
        "       0        0       10     1         <internal>:(.strtab)\n");
    auto at = [&](std::string_view n) {
        const Symbol* s = symbol(m, n);
        REQUIRE_MESSAGE(s != nullptr, n);
        return s->address;
    };
    CHECK(at("__malloc_lock") == 0x8000000);
    CHECK(at("__malloc_unlock") == 0x8000004);
    CHECK(at("odd_pool_byte") == 0x8000009);
    CHECK(at("after_pool") == 0x8000010);
    CHECK(at("no_mapping_symbol_fn") == 0x8000050);
    CHECK(at("char_a") == 0x8000060);
    CHECK(at("char_b") == 0x8000061);
    CHECK(at("not_thumb") == 0x8000071);
}

TEST_CASE("Thumb rule does not touch RISC-V or x86 maps") {
    LinkMap m = parse(std::string(header) +
        "80000000 80000000       10     4 .data\n"
        "80000000 80000000       10     1         a.o:(.data)\n"
        "80000001 80000001        1     1                 first_odd\n"  // start + 1, but no $t anywhere
        "80000003 80000003        1     1                 second_odd\n"
        "80000010 80000010       10     4 .text\n"
        "80000010 80000010       10     2         b.o:(.text)\n"
        "80000010 80000010        0     1                 $x\n"
        "80000013 80000013        1     1                 odd_in_code\n"
        "       0        0       10     1 .strtab\n"
        "       0        0       10     1         <internal>:(.strtab)\n");
    CHECK(symbol(m, "first_odd")->address == 0x80000001);
    CHECK(symbol(m, "second_odd")->address == 0x80000003);
    CHECK(symbol(m, "odd_in_code")->address == 0x80000013);
}

TEST_CASE("non-allocated sections are marked by name") {
    LinkMap m = parse(basic_map);
    CHECK(section(m, ".text")->allocated);
    CHECK(section(m, ".vector_table")->allocated);  // even a section at address 0 would be
    CHECK_FALSE(section(m, ".debug_info")->allocated);
    CHECK_FALSE(section(m, ".comment")->allocated);
    CHECK_FALSE(section(m, ".strtab")->allocated);
}

TEST_CASE("truncation: a last section whose lines fall short of its size is reported") {
    // basic_map cut inside .data: the section claims 0x10 bytes, none listed.
    std::string cut = basic_map.substr(0, basic_map.find("20000000  8000068       10     4         obj/main.o"));
    LinkMap m = parse(cut);
    REQUIRE(m.warnings.size() == 1);
    CHECK(m.warnings[0].message.find("truncated") != std::string::npos);
    CHECK(m.warnings[0].message.find(".data") != std::string::npos);
    CHECK(m.warnings[0].line == 19);

    // Cut in the middle of a line: an incomplete number row or input path is an error.
    std::size_t mid = basic_map.find("obj/main.o:(.data.counter)");
    CHECK_THROWS_AS(parse(basic_map.substr(0, mid + 6)), Error);        // path without ":(...)"
    CHECK_THROWS_AS(parse(basic_map.substr(0, mid - 20)), Error);       // only some columns

    // Cut at a section boundary: the map ends with an allocated section, which lld never does.
    std::string at_boundary = basic_map.substr(0, basic_map.find("       0        0       30     1 .debug_info"));
    LinkMap b = parse(at_boundary);
    REQUIRE(b.warnings.size() == 1);
    CHECK(b.warnings[0].message.find("truncated") != std::string::npos);

    // The complete map has no warning, although .vector_table's inputs leave no gap and
    // .text's are followed by `. +=` lines: every byte is accounted for.
    CHECK(parse(basic_map).warnings.empty());
}

TEST_CASE("truncation: legal gaps inside the map are not reported") {
    // .eh_frame's 4-byte terminator is never listed; that is fine when more follows.
    LinkMap m = parse(std::string(header) +
        "80000000 80000000       1c     8 .eh_frame\n"
        "80000000 80000000       18     1         a.o:(.eh_frame+0x0)\n"
        "       0        0       10     1 .strtab\n"
        "       0        0       10     1         <internal>:(.strtab)\n");
    CHECK(m.warnings.empty());
    CHECK(m.inputs[0].name() == ".eh_frame");
}

TEST_CASE("the parser survives a map cut at every byte") {
    // Every prefix either parses (perhaps with a truncation warning) or throws Error.
    for (std::size_t n = 0; n <= basic_map.size(); ++n) {
        try {
            LinkMap m = parse(std::string_view(basic_map).substr(0, n));
            for (const OutputSection& s : m.sections) CHECK(s.first_input + s.input_count <= m.inputs.size());
        } catch (const Error&) {
        }
    }
}

TEST_CASE("garbage lines never crash the parser") {
    std::uint64_t state = 0x9e3779b97f4a7c15ull;
    auto rnd = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    const std::string alphabet = " 0123456789abcdefx:()<>$.=\\/\t";
    for (int round = 0; round < 300; ++round) {
        std::string text(header);
        text += basic_map.substr(header.size(), rnd() % (basic_map.size() - header.size()));
        std::size_t extra = rnd() % 200;
        for (std::size_t i = 0; i < extra; ++i)
            text += (rnd() % 12 == 0) ? '\n' : alphabet[rnd() % alphabet.size()];
        try {
            parse(text);
        } catch (const Error&) {
        }
    }
}

TEST_CASE("errors name the file and the line") {
    SUBCASE("empty input") {
        Error e = error_of("");
        CHECK(e.file() == "test.map");
        CHECK(std::string(e.what()).find("empty") != std::string::npos);
        CHECK(std::string(error_of("\n  \n\t\n").what()).find("empty") != std::string::npos);
    }
    SUBCASE("not an lld map") {
        Error e = error_of("Archive member included to satisfy reference by file (symbol)\n\n");
        CHECK(e.line() == 1);
        CHECK(std::string(e.what()).find("not an lld map") != std::string::npos);
    }
    SUBCASE("lld 4 maps with a File column are refused clearly") {
        Error e = error_of("Address  Size     Align Out     In      File    Symbol\n");
        CHECK(std::string(e.what()).find("lld 4") != std::string::npos);
    }
    SUBCASE("a header and nothing else") {
        Error e = error_of(header);
        CHECK(std::string(e.what()).find("no output sections") != std::string::npos);
    }
    SUBCASE("a number that is not hex") {
        Error e = error_of(std::string(header) + " 800000g  8000000       10     4 .text\n");
        CHECK(e.line() == 2);
        CHECK(std::string(e.what()).find("VMA") != std::string::npos);
    }
    SUBCASE("a number wider than 64 bits") {
        Error e = error_of(std::string(header) + "10000000000000000 0 10     4 .text\n");
        CHECK(e.line() == 2);
        CHECK(std::string(e.what()).find("64 bits") != std::string::npos);
    }
    SUBCASE("address plus size past the 64-bit space") {
        Error e = error_of(std::string(header) + "ffffffffffffff00 ffffffffffffff00 1000 4 .text\n");
        CHECK(std::string(e.what()).find("64-bit") != std::string::npos);
    }
    SUBCASE("a line with too few columns") {
        Error e = error_of(std::string(header) + " 8000000  8000000       10\n");
        CHECK(e.line() == 2);
    }
    SUBCASE("an input section before any output section") {
        Error e = error_of(std::string(header) + " 8000000  8000000       10     4         a.o:(.text)\n");
        CHECK(std::string(e.what()).find("outside any output section") != std::string::npos);
    }
    SUBCASE("a symbol outside any input section") {
        Error e = error_of(std::string(header) + " 8000000  8000000       10     4 .text\n"
                                                  " 8000000  8000000       10     4                 sym\n");
        CHECK(e.line() == 3);
        CHECK(std::string(e.what()).find("outside any input section") != std::string::npos);
    }
    SUBCASE("an unrecognised line inside a section") {
        Error e = error_of(std::string(header) + " 8000000  8000000       10     4 .text\n"
                                                  " 8000000  8000000       10     4         just some words\n");
        CHECK(e.line() == 3);
        CHECK(std::string(e.what()).find("unrecognised") != std::string::npos);
    }
    SUBCASE("indentation lld never writes") {
        Error e = error_of(std::string(header) + " 8000000  8000000       10     4     .text\n");
        CHECK(std::string(e.what()).find("indentation") != std::string::npos);
    }
    SUBCASE("a GNU ld map line") {
        Error e = error_of(std::string(header) + " .text          0x08000000      0x100\n");
        CHECK(e.line() == 2);
    }
}

TEST_CASE("corpus: every lld map parses, without mapping symbols or local labels") {
    std::filesystem::path dir = test::corpus_dir() / "lld";
    if (!std::filesystem::is_directory(dir)) {
        MESSAGE("corpus not present at " << dir.string() << "; skipped");
        return;
    }
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".map") continue;
        CAPTURE(entry.path().string());
        ++count;
        LinkMap m;
        REQUIRE_NOTHROW(m = parse_file(entry.path()));
        CHECK(m.sections.size() > 10);
        CHECK(m.warnings.empty());
        for (const Symbol& s : m.symbols) {
            CHECK_FALSE(is_mapping_symbol(s.name()));
            CHECK_FALSE(s.name().starts_with(".L"));
        }
        std::uint32_t covered = 0;
        for (const OutputSection& s : m.sections) {
            CHECK(s.first_input == covered);
            covered += s.input_count;
        }
        CHECK(covered == m.inputs.size());
    }
    CHECK(count >= 6);
}

TEST_CASE("corpus: spot checks read off the maps") {
    std::filesystem::path dir = test::corpus_dir() / "lld";
    if (!std::filesystem::is_directory(dir)) {
        MESSAGE("corpus not present at " << dir.string() << "; skipped");
        return;
    }
    SUBCASE("rust-lld Cortex-M (bern-rtos): Thumb bit, LMA of .bss, sizes") {
        LinkMap m = parse_file(dir / "bern-rtos-stm32f4-rust.map");
        const OutputSection* text = section(m, ".text");
        REQUIRE(text != nullptr);
        CHECK(text->address == 0x80001a8);
        CHECK(text->size == 0x1b74);
        const OutputSection* bss = section(m, ".bss");
        REQUIRE(bss != nullptr);
        CHECK(bss->address == 0x20000000);
        CHECK(bss->load_address == 0x80022d4);
        const Symbol* reset = symbol(m, "Reset");  // listed as 80001a9 after $t.2
        REQUIRE(reset != nullptr);
        CHECK(reset->address == 0x80001a8);
        CHECK(reset->size == 0x58);
        const InputSection* holder = nullptr;
        for (const InputSection& in : m.inputs)
            for (const Symbol& s : m.symbols_of(in))
                if (&s == reset) holder = &in;
        REQUIRE(holder != nullptr);
        CHECK(holder->name() == ".Reset");
        CHECK(m.object_of(*holder)->archive.ends_with("libcortex_m_rt-33efea8a9fa2e2e7.rlib"));
        CHECK_FALSE(section(m, ".debug_info")->allocated);
    }
    SUBCASE("rust-lld Cortex-M (aspeed): vector table data, Reset") {
        LinkMap m = parse_file(dir / "aspeed-ast1060-rust.map");
        const OutputSection* vt = section(m, ".vector_table");
        REQUIRE(vt != nullptr);
        CHECK(vt->address == 0);
        CHECK(vt->size == 0x240);
        REQUIRE(vt->input_count == 4);
        CHECK(m.inputs[vt->first_input].kind == PieceKind::data);
        CHECK(m.inputs[vt->first_input].name() == "LONG");
        CHECK(section(m, ".text")->size == 0x127fc);
        CHECK(symbol(m, "Reset")->address == 0x420);
    }
    SUBCASE("rust-lld riscv64 with Windows paths (bogokernel)") {
        LinkMap m = parse_file(dir / "bogokernel-riscv64-rust.map");
        const OutputSection* text = section(m, ".text");
        REQUIRE(text != nullptr);
        CHECK(text->address == 0x80200000);
        CHECK(text->size == 0x1269a);
        const ObjectFile* goblin = object(
            m, "E:\\rust\\bogokernel\\target\\riscv64gc-unknown-none-elf\\debug\\deps\\libgoblin-b92d780140796af1.rlib"
               "(goblin-b92d780140796af1.goblin.ece8cadc441ed11d-cgu.0.rcgu.o)");
        REQUIRE(goblin != nullptr);
        CHECK(goblin->archive ==
              "E:\\rust\\bogokernel\\target\\riscv64gc-unknown-none-elf\\debug\\deps\\libgoblin-b92d780140796af1.rlib");
        CHECK(goblin->member == "goblin-b92d780140796af1.goblin.ece8cadc441ed11d-cgu.0.rcgu.o");
        CHECK(file_name(goblin->archive) == "libgoblin-b92d780140796af1.rlib");
        const ObjectFile* kernel = object(
            m, "E:\\rust\\bogokernel\\target\\riscv64gc-unknown-none-elf\\debug\\deps\\"
               "kernel-940d24825eda7479.3kgsiqb6mog5s1pq42w2lhfnc.0tbbtya.rcgu.o");
        REQUIRE(kernel != nullptr);
        CHECK(kernel->archive.empty());
        CHECK(symbol(m, "_start")->address == 0x80200000);
        for (const InputSection& in : m.inputs_of(*section(m, ".eh_frame"))) CHECK(in.name() == ".eh_frame");
        // Objects are deduplicated: 21 files contribute its 739 pieces.
        CHECK(m.objects.size() == 21);
    }
    SUBCASE("ld.lld riscv32 C (honenashios) and rust-lld riscv32") {
        LinkMap c = parse_file(dir / "honenashios-riscv32-clang.map");
        CHECK(section(c, ".text")->size == 0x18ea);
        CHECK(section(c, ".bss")->size == 0x180a8);
        CHECK(symbol(c, "boot")->address == 0x80200000);
        LinkMap r = parse_file(dir / "rust-riscv32-kernel.map");
        CHECK(section(r, ".text")->size == 0x1654);
        CHECK(symbol(r, "_start")->address == 0x80000000);
    }
    SUBCASE("ld.lld MIPS N64: LMA differs from VMA, odd data symbols stay odd") {
        LinkMap m = parse_file(dir / "n64-drmario64-lld.map");
        const OutputSection* hdr = section(m, ".header");
        REQUIRE(hdr != nullptr);
        CHECK(hdr->address == 0x80000000);
        CHECK(hdr->load_address == 0);
        const OutputSection* boot = section(m, ".boot");
        REQUIRE(boot != nullptr);
        CHECK(boot->address == 0x80000460);
        CHECK(boot->load_address == 0x1060);
        CHECK(boot->size == 0x10a00);
        CHECK(symbol(m, "evs_seqence")->address == 0x80088401);
    }
}

TEST_CASE("corpus: self-made Cortex-M4 lld map matches size -A of its ELF") {
    std::filesystem::path dir = test::corpus_dir().parent_path() / "selfmade";
    std::filesystem::path map_path = dir / "selfmade-cm4-lld.map";
    std::filesystem::path size_path = dir / "selfmade-cm4-lld.size-A.txt";
    if (!std::filesystem::exists(map_path) || !std::filesystem::exists(size_path)) {
        MESSAGE("self-made maps not present in " << dir.string() << "; skipped");
        return;
    }
    LinkMap m = parse_file(map_path);
    CHECK(m.warnings.empty());
    // size -A rows: "name size addr".
    std::istringstream rows(test::read_file(size_path));
    std::string line;
    int compared = 0;
    while (std::getline(rows, line)) {
        std::istringstream row(line);
        std::string name;
        std::uint64_t size = 0, addr = 0;
        if (!(row >> name >> size >> addr) || name.empty() || name[0] != '.') continue;
        CAPTURE(name);
        const OutputSection* s = section(m, name);
        REQUIRE(s != nullptr);
        if (addr == 0) {
            CHECK_FALSE(s->allocated);  // non-allocated; debug sizes vary with the build directory
            continue;
        }
        CHECK(s->allocated);
        CHECK(s->size == size);
        CHECK(s->address == addr);
        ++compared;
    }
    CHECK(compared == 11);
    CHECK(section(m, ".data")->load_address == 0x8001740);
    CHECK(symbol(m, "__malloc_unlock")->address == 0x80003c8);  // listed as 80003c9, after $t
    CHECK(symbol(m, "g_vectors")->address == 0x8000000);
    const ObjectFile* mathx = object(m, "lib/libmathx.a(mathx.o)");
    REQUIRE(mathx != nullptr);
    CHECK(mathx->archive == "lib/libmathx.a");
}

}  // TEST_SUITE

TEST_CASE("relocations --emit-relocs keeps are no image bytes; a dynamic executable's are") {
    // lld lists .rel.X at address 0 for every output section X when linking with --emit-relocs
    // (an N64 build's .rel.main_segment); .rela.plt of a dynamic executable has an address.
    LinkMap m = parse(R"(             VMA              LMA     Size Align Out     In      Symbol
         8000000          8000000       40     4 .text
         8000000          8000000       40     4         main.o:(.text)
         8000000          8000000        0     1                 main
         8000040          8000040       18     8 .plt
         8000040          8000040       18     8         <internal>:(.plt)
         8000058          8000058       30     8 .rela.plt
         8000058          8000058       30     8         <internal>:(.rela.plt)
               0                0       28     4 .rel.text
               0                0       28     4         main.o:(.rel.text)
               0                0       10     4 .rel.dyn_table
               0                0       10     4         main.o:(.rel.dyn_table)
)");
    finish_map(m);
    CHECK(section(m, ".text")->allocated);
    CHECK(section(m, ".rela.plt")->allocated);        // loaded: it has an address
    CHECK_FALSE(section(m, ".rel.text")->allocated);  // the relocations of .text
    CHECK(section(m, ".rel.dyn_table")->allocated);   // names no section of the map: not ours to judge
    const Totals t = compute_totals(m, {.symbols = false});
    CHECK(t.allocated == 0x40 + 0x18 + 0x30 + 0x10);
}

// parse_gnu_ld_map(): inline map snippets for every construct GNU ld prints, translated and
// damaged maps, and the real maps of the corpus (skipped when it is absent).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "sizebudget/error.hpp"
#include "sizebudget/map_reader.hpp"
#include "test_support.hpp"

using namespace sizebudget;

namespace {

LinkMap parse(std::string_view text) {
    LineReader in("test.map", text);
    return parse_gnu_ld_map(in);
}

LinkMap parse_file(const std::filesystem::path& p) {
    LineReader in(p.string());
    return parse_gnu_ld_map(in);
}

// The message of the Error parsing `text` throws ("" when it parses).
std::string error_of(std::string_view text) {
    try {
        parse(text);
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

std::vector<const OutputSection*> sections_named(const LinkMap& m, std::string_view name) {
    std::vector<const OutputSection*> out;
    for (const OutputSection& s : m.sections)
        if (s.name == name) out.push_back(&s);
    return out;
}

const OutputSection& section(const LinkMap& m, std::string_view name) {
    auto found = sections_named(m, name);
    REQUIRE_MESSAGE(found.size() == 1, "section ", name);
    return *found.front();
}

const InputSection* input(const LinkMap& m, const OutputSection& s, std::string_view name) {
    for (const InputSection& in : m.inputs_of(s))
        if (in.name() == name) return &in;
    return nullptr;
}

const Symbol* symbol(const LinkMap& m, std::string_view name) {
    for (const Symbol& sym : m.symbols)
        if (sym.name() == name) return &sym;
    return nullptr;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
        s.replace(p, from.size(), to);
    return s;
}

// Pieces of allocated sections lie inside their section, in address order, without overlap.
void check_pieces_tile(const LinkMap& m) {
    for (const OutputSection& s : m.sections) {
        if (!s.allocated) continue;
        Address cursor = s.address;
        for (const InputSection& in : m.inputs_of(s)) {
            if (in.size == 0) continue;
            CHECK_MESSAGE(in.address >= cursor, s.name, " / ", in.name());
            CHECK_MESSAGE(in.address + in.size <= s.address + s.size, s.name, " / ", in.name());
            cursor = in.address + in.size;
        }
    }
}

// A map with every construct of the English output of ld 2.3x, 32-bit addresses.
// Columns matter: output sections have their address at column 16, memory rows their origin at
// column 17, archive references start at column 30, the cross reference files at column 50.
constexpr std::string_view full_map = R"(Archive member included to satisfy reference by file (symbol)

/usr/lib/libc.a(lib_a-printf.o)
                              obj/main.o (printf)
/opt/toolchain/lib/gcc/arm-none-eabi/13.3.1/libgcc.a(_udivsi3.o)
                              (__aeabi_uidiv)
libm.a(s_sin.o)               obj/main.o (sin)
/tmp/lto/libx.a(a.o)
                              obj/float.o (symbol from plugin) (atan)

Allocating common symbols
Common symbol       size              file

common_buf          0x40              obj/main.o

Discarded input sections

 .text          0x00000000        0x0 obj/main.o
 .text.unused   0x00000000       0x24 obj/main.o
 .text.a_very_long_unused_function_name
                0x00000000       0x10 obj/util.o

Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x08000000         0x00010000         xr
RAM              0x20000000         0x00005000         xrw
CCM              0x10000000         0x00002000
*default*        0x00000000         0xffffffff

Linker script and memory map

LOAD obj/startup.o
LOAD obj/main.o
START GROUP
LOAD /usr/lib/libc.a
END GROUP
                0x00000400                _Min_Stack_Size = 0x400

.isr_vector     0x08000000       0x10
                0x08000000                . = ALIGN (0x4)
 *(.isr_vector)
 .isr_vector    0x08000000       0x10 obj/startup.o
                0x08000000                g_pfnVectors
                0x08000010                . = ALIGN (0x4)

.text           0x08000010       0x8c
 *(.text*)
 .text          0x08000010        0x0 obj/startup.o
 .text.main     0x08000010       0x40 obj/main.o
                0x08000010                main
                0x08000030                helper(int, char const*)
 .text.a_very_long_function_name_here
                0x08000050       0x20 obj/util.o
                                 0x28 (size before relaxing)
                0x08000050                a_very_long_function_name_here
 *fill*         0x08000070        0x2 
 .text.printf   0x08000072       0x12 /usr/lib/libc.a(lib_a-printf.o)
                0x08000072                printf
 .glue_7        0x08000084        0x0 linker stubs
 .text.stub     0x08000084        0x4 linker stubs
                0x08000088        0x4 LONG 0xdeadbeef
                0x0800008c        0x2 SHORT 0x1
                0x0800008e        0x1 BYTE 0x2 (1 + 1)
 FILL mask 0xff
 *fill*         0x0800008f        0x1 ff
                0x08000090        0x8 QUAD 0x0
                0x08000098        0x4 SQUAD 0x0
                0x0800009c                _etext = .
                [!provide]                PROVIDE (end = .)
                0x0800009c                PROVIDE (_end2 = .)
                0x0800009c                __total += 0x4

.data           0x20000000        0x8 load address 0x0800009c
 .data          0x20000000        0x8 obj/main.o
                0x20000000                counter
                0x20000004                A::operator=(A const&)

.bss            0x20000008       0x48 load address 0x080000a4
 COMMON         0x20000008       0x40 obj/main.o
                0x20000008                common_buf
 .bss.x         0x20000048        0x8 C:\work\lib\libc.a(lib_a-impure.o)
                0x20000048                _impure_ptr

.overlay_a      0x20001000       0x10 load address 0x08001000
 .ov_a          0x20001000       0x10 obj/ov a.o
.overlay_b      0x20001000       0x20 load address 0x08001010
 .ov_b          0x20001000       0x20 obj/ov(b).o

/DISCARD/
 *(.ARM.exidx*)
 libc.a(*)

.comment        0x00000000       0x45
 *(.comment)
 .comment       0x00000000       0x45 obj/main.o
                                 0x46 (size before relaxing)
 .comment       0x00000045       0x46 obj/util.o

OUTPUT(firmware.elf elf32-littlearm)
LOAD linker stubs

.debug_info     0x00000000      0x100
 .debug_info    0x00000000      0x100 obj/main.o

Cross Reference Table

Symbol                                            File
main                                              obj/main.o
printf                                            /usr/lib/libc.a(lib_a-printf.o)
                                                  obj/main.o
)";

}  // namespace

TEST_CASE("gnu ld: memory configuration rows become regions, without *default*") {
    LinkMap m = parse(full_map);
    REQUIRE(m.regions.size() == 3);
    CHECK(m.regions[0].name == "FLASH");
    CHECK(m.regions[0].origin == 0x08000000);
    CHECK(m.regions[0].length == 0x10000);
    CHECK(m.regions[0].attributes == "xr");
    CHECK(m.regions[1].name == "RAM");
    CHECK(m.regions[1].attributes == "xrw");
    CHECK(m.regions[2].name == "CCM");  // no attributes column
    CHECK(m.regions[2].origin == 0x10000000);
    CHECK(m.regions[2].attributes.empty());
    CHECK(m.format == MapFormat::gnu_ld);
}

TEST_CASE("gnu ld: archive member table") {
    LinkMap m = parse(full_map);
    REQUIRE(m.archive_inclusions.size() == 4);

    const ArchiveInclusion& printf_inc = m.archive_inclusions[0];
    const ObjectFile& printf_obj = m.objects[printf_inc.member];
    CHECK(printf_obj.path == "/usr/lib/libc.a(lib_a-printf.o)");
    CHECK(printf_obj.archive == "/usr/lib/libc.a");
    CHECK(printf_obj.member == "lib_a-printf.o");
    CHECK(printf_inc.referenced_by == "obj/main.o");
    CHECK(printf_inc.symbol == "printf");

    // Long member line, reference with no file (-u / KEEP): "(symbol)" only.
    const ArchiveInclusion& udiv = m.archive_inclusions[1];
    CHECK(m.objects[udiv.member].member == "_udivsi3.o");
    CHECK(udiv.referenced_by.empty());
    CHECK(udiv.symbol == "__aeabi_uidiv");

    // Short member name: the reference follows on the same line, at column 30.
    const ArchiveInclusion& sin_inc = m.archive_inclusions[2];
    CHECK(m.objects[sin_inc.member].archive == "libm.a");
    CHECK(m.objects[sin_inc.member].member == "s_sin.o");
    CHECK(sin_inc.referenced_by == "obj/main.o");
    CHECK(sin_inc.symbol == "sin");

    // LTO: the referencing file is the IR object "(symbol from plugin)".
    const ArchiveInclusion& atan_inc = m.archive_inclusions[3];
    CHECK(atan_inc.referenced_by == "obj/float.o");
    CHECK(atan_inc.symbol == "atan");

    // The member that also contributes an input section is the same object.
    const OutputSection& text = section(m, ".text");
    const InputSection* printf_in = input(m, text, ".text.printf");
    REQUIRE(printf_in != nullptr);
    CHECK(printf_in->object == printf_inc.member);
}

TEST_CASE("gnu ld: cross reference files are the objects' stored paths, or interned") {
    LinkMap m = parse(full_map);
    REQUIRE(m.cross_references.size() == 2);
    const CrossReference& printf_ref = m.cross_references[1];
    CHECK(printf_ref.symbol() == "printf");
    REQUIRE(printf_ref.file_count == 2);
    const auto object_path = [&](std::string_view path) -> const char* {
        for (const ObjectFile& o : m.objects)
            if (o.path == path) return o.path.data();
        return nullptr;
    };
    // Found in the object table by archive and member: the object's own text, not a copy.
    REQUIRE(object_path("/usr/lib/libc.a(lib_a-printf.o)") != nullptr);
    CHECK(m.cref_files[printf_ref.first_file] == object_path("/usr/lib/libc.a(lib_a-printf.o)"));
    CHECK(m.cref_files[printf_ref.first_file + 1] == object_path("obj/main.o"));
    CHECK(m.cref_files[m.cross_references[0].first_file] == object_path("obj/main.o"));

    // Objects in another order than the table's (the last object looked up is none of them). A
    // file that is no object of the map (a shared library) or whose path is not UTF-8 is interned.
    LinkMap other = parse("Memory Configuration\n\n"
                          "Name             Origin             Length             Attributes\n"
                          "*default*        0x0000000000000000 0xffffffffffffffff\n\n"
                          "Linker script and memory map\n\n"
                          ".text           0x0000000000001000       0x40\n"
                          " .text.a        0x0000000000001000       0x10 /b/libdr\xe9v.a(x.o)\n"
                          " .text.b        0x0000000000001010       0x10 obj/main.o\n"
                          " .text.c        0x0000000000001020       0x10 /l/libc.a(m.o)\n"
                          " .text.d        0x0000000000001030       0x10 obj/last.o\n"
                          "OUTPUT(x elf32-littlearm)\n\n"
                          "Cross Reference Table\n\n"
                          "Symbol                                            File\n"
                          "a                                                 /l/libc.a(m.o)\n"
                          "                                                  libshared.so\n"
                          "                                                  obj/main.o\n"
                          "                                                  /b/libdr\xe9v.a(x.o)\n");
    REQUIRE(other.cref_files.size() == 4);
    const auto path_of = [&](std::size_t input) { return other.objects[other.inputs[input].object].path.data(); };
    CHECK(other.cref_files[0] == path_of(2));
    CHECK(other.cref_files[1] == other.intern("libshared.so").data());
    CHECK(other.cref_files[2] == path_of(1));
    CHECK(other.cref_files[3] == path_of(0));
    CHECK(std::string_view(other.cref_files[3]) == "/b/libdr%E9v.a(x.o)");
}

TEST_CASE("gnu ld: old 'because of' wording of the archive table (avr)") {
    LinkMap m = parse(R"(Archive member included because of file (symbol)

c:/winavr/lib/gcc/avr/4.3.3/avr5\libgcc.a(_mulsi3.o)
                              ./MCAL/TIMER0/TIMER0_prog.o (__mulsi3)
c:/winavr/lib/gcc/avr/4.3.3/avr5\libgcc.a(_exit.o)
                              c:/winavr/avr/lib/avr5/crtm32.o (exit)

Memory Configuration

Name             Origin             Length             Attributes
text             0x00000000         0x00020000         xr
*default*        0x00000000         0xffffffff

Linker script and memory map

.text           0x00000000        0x4
 .text          0x00000000        0x4 c:/winavr/lib/gcc/avr/4.3.3/avr5\libgcc.a(_exit.o)
                0x00000000                exit
OUTPUT(project0.elf elf32-avr)
)");
    REQUIRE(m.archive_inclusions.size() == 2);
    const ObjectFile& o = m.objects[m.archive_inclusions[0].member];
    CHECK(o.archive == "c:/winavr/lib/gcc/avr/4.3.3/avr5\\libgcc.a");
    CHECK(file_name(o.archive) == "libgcc.a");
    CHECK(o.member == "_mulsi3.o");
    CHECK(m.archive_inclusions[0].referenced_by == "./MCAL/TIMER0/TIMER0_prog.o");
    CHECK(m.archive_inclusions[0].symbol == "__mulsi3");
    CHECK(m.archive_inclusions[1].symbol == "exit");
    CHECK(m.inputs.at(0).object == m.archive_inclusions[1].member);
}

TEST_CASE("gnu ld: discarded input sections are counted, never output") {
    LinkMap m = parse(full_map);
    CHECK(m.discarded_sections == 3);
    CHECK(m.discarded_bytes == 0x24 + 0x10);
    CHECK(sections_named(m, ".text.unused").empty());
    for (const InputSection& in : m.inputs) CHECK(in.name() != ".text.unused");
}

TEST_CASE("gnu ld: output sections, load addresses, /DISCARD/, overlays, non-allocated sections") {
    LinkMap m = parse(full_map);
    std::vector<std::string_view> names;
    for (const OutputSection& s : m.sections) names.push_back(s.name);
    CHECK(names == std::vector<std::string_view>{".isr_vector", ".text", ".data", ".bss", ".overlay_a",
                                                 ".overlay_b", ".comment", ".debug_info"});

    const OutputSection& text = section(m, ".text");
    CHECK(text.address == 0x08000010);
    CHECK(text.size == 0x8c);
    CHECK(text.load_address == text.address);
    CHECK(text.allocated);
    CHECK(text.line == 47);

    const OutputSection& data = section(m, ".data");
    CHECK(data.address == 0x20000000);
    CHECK(data.load_address == 0x0800009c);
    const OutputSection& bss = section(m, ".bss");
    CHECK(bss.load_address == 0x080000a4);

    // OVERLAY: both overlays at the same run address, different load addresses.
    const OutputSection& ov_a = section(m, ".overlay_a");
    const OutputSection& ov_b = section(m, ".overlay_b");
    CHECK(ov_a.address == ov_b.address);
    CHECK(ov_a.load_address == 0x08001000);
    CHECK(ov_b.load_address == 0x08001010);
    CHECK(ov_b.size == 0x20);

    CHECK_FALSE(section(m, ".comment").allocated);
    CHECK_FALSE(section(m, ".debug_info").allocated);
    // The contents of /DISCARD/ and the cross reference table are not read.
    CHECK(sections_named(m, "/DISCARD/").empty());
    CHECK(sections_named(m, "main").empty());
    CHECK(sections_named(m, "Symbol").empty());
}

TEST_CASE("gnu ld: input sections, fill, data, stubs, relaxing, zero-size inputs") {
    LinkMap m = parse(full_map);
    const OutputSection& text = section(m, ".text");
    auto pieces = m.inputs_of(text);
    std::vector<std::string_view> names;
    for (const InputSection& in : pieces) names.push_back(in.name());
    // The zero-size ".text" of startup.o and ".glue_7" carry no symbol and are left out.
    CHECK(names == std::vector<std::string_view>{".text.main", ".text.a_very_long_function_name_here",
                                                 "*fill*", ".text.printf", ".text.stub", "LONG", "SHORT",
                                                 "BYTE", "*fill*", "QUAD", "SQUAD"});
    REQUIRE(pieces.size() == 11);

    const InputSection& main_in = pieces[0];
    CHECK(main_in.kind == PieceKind::input);
    CHECK(main_in.address == 0x08000010);
    CHECK(main_in.size == 0x40);
    REQUIRE(main_in.object != npos32);
    CHECK(m.objects[main_in.object].path == "obj/main.o");
    CHECK(m.objects[main_in.object].archive.empty());
    CHECK(m.objects[main_in.object].member == "obj/main.o");

    // Name alone on its line, numbers on the next; the size after relaxing counts.
    CHECK(pieces[1].address == 0x08000050);
    CHECK(pieces[1].size == 0x20);
    CHECK(m.objects[pieces[1].object].path == "obj/util.o");

    CHECK(pieces[2].kind == PieceKind::fill);
    CHECK(pieces[2].size == 2);
    CHECK(pieces[2].object == npos32);

    CHECK(pieces[4].kind == PieceKind::generated);  // "linker stubs"
    CHECK(pieces[4].object == npos32);
    CHECK(pieces[4].size == 4);

    CHECK(pieces[5].kind == PieceKind::data);
    CHECK(pieces[5].size == 4);
    CHECK(pieces[5].object == npos32);
    CHECK(pieces[6].size == 2);
    CHECK(pieces[7].size == 1);
    CHECK(pieces[8].kind == PieceKind::fill);  // "*fill*" with its pattern printed after it
    CHECK(pieces[8].size == 1);
    CHECK(pieces[9].kind == PieceKind::data);
    CHECK(pieces[9].size == 8);
    CHECK(pieces[10].size == 4);

    std::uint64_t sum = 0;
    for (const InputSection& in : pieces) sum += in.size;
    CHECK(sum == text.size);

    // COMMON is an input section like any other.
    const OutputSection& bss = section(m, ".bss");
    const InputSection* common = input(m, bss, "COMMON");
    REQUIRE(common != nullptr);
    CHECK(common->kind == PieceKind::input);
    CHECK(common->size == 0x40);
    CHECK(m.symbols_of(*common).size() == 1);
    CHECK(m.symbols_of(*common)[0].name() == "common_buf");
    check_pieces_tile(m);
}

TEST_CASE("gnu ld: object paths with archives, Windows paths, spaces and parentheses") {
    LinkMap m = parse(full_map);
    const InputSection* impure = input(m, section(m, ".bss"), ".bss.x");
    REQUIRE(impure != nullptr);
    const ObjectFile& o = m.objects[impure->object];
    CHECK(o.path == "C:\\work\\lib\\libc.a(lib_a-impure.o)");
    CHECK(o.archive == "C:\\work\\lib\\libc.a");
    CHECK(o.member == "lib_a-impure.o");

    const InputSection* ov_a = input(m, section(m, ".overlay_a"), ".ov_a");
    REQUIRE(ov_a != nullptr);
    CHECK(m.objects[ov_a->object].path == "obj/ov a.o");
    CHECK(m.objects[ov_a->object].archive.empty());
    const InputSection* ov_b = input(m, section(m, ".overlay_b"), ".ov_b");
    REQUIRE(ov_b != nullptr);
    CHECK(m.objects[ov_b->object].path == "obj/ov(b).o");  // parentheses, but not an archive member
    CHECK(m.objects[ov_b->object].member == "obj/ov(b).o");

    // Each path is one object, however often it appears.
    for (std::size_t i = 0; i < m.objects.size(); ++i)
        for (std::size_t k = i + 1; k < m.objects.size(); ++k) CHECK(m.objects[i].path != m.objects[k].path);

    // Objects are found by archive and member: one member name in two archives is two objects,
    // each path one object whatever comes between, a path that is not UTF-8 included.
    LinkMap members = parse("Memory Configuration\n\nName             Origin             Length             Attributes\n"
                            "*default*        0x0000000000000000 0xffffffffffffffff\n\n"
                            "Linker script and memory map\n\n"
                            ".text           0x0000000000001000       0x60\n"
                            " .text.a        0x0000000000001000       0x10 /b/main/libmain.a(util.c.obj)\n"
                            " .text.b        0x0000000000001010       0x10 /b/log/liblog.a(util.c.obj)\n"
                            " .text.c        0x0000000000001020       0x10 /b/main/libmain.a(util.c.obj)\n"
                            " .text.d        0x0000000000001030       0x10 /b/libdr\xe9v.a(x.o)\n"
                            " .text.e        0x0000000000001040       0x10 /b/log/liblog.a(util.c.obj)\n"
                            " .text.f        0x0000000000001050       0x10 /b/libdr\xe9v.a(x.o)\n"
                            "OUTPUT(x elf32-littlearm)\n");
    REQUIRE(members.inputs.size() == 6);
    REQUIRE(members.objects.size() == 3);
    const auto object_of = [&](std::size_t i) { return members.inputs[i].object; };
    CHECK(object_of(0) == object_of(2));
    CHECK(object_of(1) == object_of(4));
    CHECK(object_of(0) != object_of(1));
    CHECK(object_of(3) == object_of(5));
    CHECK(members.objects[object_of(1)].archive == "/b/log/liblog.a");
    CHECK(members.objects[object_of(1)].member == "util.c.obj");
    CHECK(members.objects[object_of(3)].path == "/b/libdr%E9v.a(x.o)");
    // Interned: the same text as every other intern() of the path (cross reference files).
    CHECK(members.objects[object_of(1)].path.data() == members.intern("/b/log/liblog.a(util.c.obj)").data());

    LinkMap more = parse(R"(Memory Configuration

Name             Origin             Length             Attributes
*default*        0x0000000000000000 0xffffffffffffffff

Linker script and memory map

.text           0x0000000000001000       0x30
 .text.a        0x0000000000001000       0x10 C:/x/y/target/release/deps/libcore-1a2b.rlib(core-1a2b.core.0.rcgu.o)
 .text.b        0x0000000000001010       0x10 /tmp/ccXYZ.ltrans0.ltrans.o
 .text.c        0x0000000000001020       0x10 /home/me/my project (copy)/lib/lib foo.a(foo (1).o)
 .text.d        0x0000000000001030        0x0 obj/ir.o (symbol from plugin)
                0x0000000000001030                from_ir
OUTPUT(x elf64-x86-64)
)");
    REQUIRE(more.inputs.size() == 4);
    CHECK(more.objects[more.inputs[3].object].path == "obj/ir.o");  // the LTO IR object's own name
    const ObjectFile& rlib = more.objects[more.inputs[0].object];
    CHECK(rlib.archive == "C:/x/y/target/release/deps/libcore-1a2b.rlib");
    CHECK(rlib.member == "core-1a2b.core.0.rcgu.o");
    const ObjectFile& lto = more.objects[more.inputs[1].object];
    CHECK(lto.path == "/tmp/ccXYZ.ltrans0.ltrans.o");
    CHECK(lto.archive.empty());
    const ObjectFile& spaced = more.objects[more.inputs[2].object];
    CHECK(spaced.archive == "/home/me/my project (copy)/lib/lib foo.a");
    CHECK(spaced.member == "foo (1).o");
}

TEST_CASE("gnu ld: symbols belong to the input section before them; assignments are not symbols") {
    LinkMap m = parse(full_map);
    const OutputSection& text = section(m, ".text");
    const InputSection* main_in = input(m, text, ".text.main");
    REQUIRE(main_in != nullptr);
    auto syms = m.symbols_of(*main_in);
    REQUIRE(syms.size() == 2);
    CHECK(syms[0].name() == "main");
    CHECK(syms[0].address == 0x08000010);
    CHECK(syms[1].name() == "helper(int, char const*)");  // demangled names keep their spaces
    CHECK(syms[1].address == 0x08000030);
    CHECK(&m.symbols_of(*main_in)[0] == &syms[0]);

    const InputSection* long_in = input(m, text, ".text.a_very_long_function_name_here");
    REQUIRE(long_in != nullptr);
    REQUIRE(m.symbols_of(*long_in).size() == 1);  // "(size before relaxing)" is not a symbol
    CHECK(m.symbols_of(*long_in)[0].name() == "a_very_long_function_name_here");

    CHECK(symbol(m, "A::operator=(A const&)") != nullptr);  // '=' inside a name is no assignment
    CHECK(symbol(m, "_impure_ptr") != nullptr);
    CHECK(symbol(m, "g_pfnVectors") != nullptr);
    for (std::string_view assigned : {"_etext", "end", "_end2", "_Min_Stack_Size", "__total"})
        CHECK_MESSAGE(symbol(m, assigned) == nullptr, assigned);
    for (const Symbol& s : m.symbols) CHECK_FALSE(contains(s.name(), " = "));
    CHECK(m.symbols.size() == 9);
    // No symbol of the cross reference table is read.
    for (const Symbol& s : m.symbols) CHECK(s.name() != "printf                                            ");
}

TEST_CASE("gnu ld: merged (SHF_MERGE) pieces are cut where the next piece starts") {
    LinkMap m = parse(full_map);
    const OutputSection& comment = section(m, ".comment");
    REQUIRE(comment.input_count == 1);  // the second .comment starts at the section's end
    CHECK(m.inputs_of(comment)[0].size == 0x45);

    LinkMap strs = parse(R"(Memory Configuration

Name             Origin             Length             Attributes
*default*        0x00000000         0xffffffff

Linker script and memory map

.rodata         0x3f400000       0x40
 .rodata.a.str1.4
                0x3f400000       0xca lib.a(a.o)
 .rodata.b.str1.4
                0x3f400000       0x3c lib.a(b.o)
 *fill*         0x3f400000        0x3 
 .rodata.c      0x3f400003       0x10 lib.a(c.o)
                0x3f400003                c_table
 .rodata.d.str1.4
                0x3f500000       0x20 lib.a(d.o)
 .rodata.e      0x3f400013       0x2d lib.a(e.o)
OUTPUT(x.elf elf32-xtensa-le)
)");
    const OutputSection& ro = section(strs, ".rodata");
    std::vector<std::string_view> names;
    for (const InputSection& in : strs.inputs_of(ro)) names.push_back(in.name());
    // a and b hold no byte at their address; d lies in another output section.
    CHECK(names == std::vector<std::string_view>{"*fill*", ".rodata.c", ".rodata.e"});
    check_pieces_tile(strs);
}

TEST_CASE("gnu ld: long output section names, 64-bit addresses, duplicate section names") {
    LinkMap m = parse(R"(Memory Configuration

Name             Origin             Length             Attributes
RAM              0x0000000020000000 0x0000000000040000 xrw
HIGH             0x0000000100000000 0x0000000000100000 rw
*default*        0x0000000000000000 0xffffffffffffffff

Linker script and memory map

._user_heap_stack
                0x0000000020000100      0x600 load address 0x0000000008004654
                0x0000000020000100                . = ALIGN (0x8)
 *fill*         0x0000000020000100      0x600 

.iram.text      0x0000000040080400        0x3
 .iram.text.a   0x0000000040080400        0x3 a.o

.iram.text      0x0000000040080404        0x4
 .iram.text.b   0x0000000040080404        0x4 b.o

.high           0x0000000100000000       0x10
 .high          0x0000000100000000       0x10 c.o
                0x0000000100000008                high_symbol

.relr.dyn
 *(.relr.dyn)

.stack_dummy
                0x0000000100000010                __stack_top = .

.note.gnu.build-id
                0x0000000100000010       0x24
 *(.note.gnu.build-id)
 .note.gnu.build-id
                0x0000000100000010       0x24 c.o
OUTPUT(x.elf elf64-littleriscv)
)");
    REQUIRE(m.regions.size() == 2);
    CHECK(m.regions[1].origin == 0x100000000ull);
    CHECK(m.regions[1].length == 0x100000);

    const OutputSection& heap = section(m, "._user_heap_stack");
    CHECK(heap.address == 0x20000100);
    CHECK(heap.size == 0x600);
    CHECK(heap.load_address == 0x08004654);
    CHECK(heap.line == 10);  // the line of the name

    auto iram = sections_named(m, ".iram.text");
    REQUIRE(iram.size() == 2);
    CHECK(iram[0]->address == 0x40080400);
    CHECK(iram[0]->size == 3);
    CHECK(iram[1]->address == 0x40080404);
    CHECK(iram[1]->size == 4);
    CHECK(m.inputs_of(*iram[1])[0].name() == ".iram.text.b");

    const OutputSection& high = section(m, ".high");
    CHECK(high.address == 0x100000000ull);
    REQUIRE(symbol(m, "high_symbol") != nullptr);
    CHECK(symbol(m, "high_symbol")->address == 0x100000008ull);

    // ld prints the name of an output section it did not create, without numbers.
    CHECK(sections_named(m, ".relr.dyn").empty());
    CHECK(sections_named(m, ".stack_dummy").empty());
    const OutputSection& note = section(m, ".note.gnu.build-id");
    CHECK(note.size == 0x24);
    REQUIRE(note.input_count == 1);
    CHECK(m.inputs_of(note)[0].name() == ".note.gnu.build-id");
}

TEST_CASE("gnu ld: CRLF line endings read like LF") {
    std::string crlf = replace_all(std::string(full_map), "\n", "\r\n");
    LinkMap lf = parse(full_map);
    LinkMap m = parse(crlf);
    REQUIRE(m.sections.size() == lf.sections.size());
    for (std::size_t i = 0; i < m.sections.size(); ++i) {
        CHECK(m.sections[i].name == lf.sections[i].name);
        CHECK(m.sections[i].size == lf.sections[i].size);
        CHECK(m.sections[i].load_address == lf.sections[i].load_address);
    }
    CHECK(m.inputs.size() == lf.inputs.size());
    CHECK(m.symbols.size() == lf.symbols.size());
    CHECK(m.regions.size() == 3);
    CHECK(m.regions[0].attributes == "xr");
    CHECK(m.archive_inclusions.size() == 4);
    CHECK(m.discarded_sections == 3);
    CHECK(symbol(m, "helper(int, char const*)") != nullptr);
    for (const ObjectFile& o : m.objects) CHECK_FALSE(contains(o.path, "\r"));
}

TEST_CASE("gnu ld: headings in the user's language (German) are recognised by structure") {
    // ld's German headings; " load address" and "(size before relaxing)" are translated too.
    LinkMap m = parse(R"(Archivelement wird eingebunden, um Referenz aus Datei aufzulösen (Symbol)

/usr/lib/libc.a(lib_a-printf.o)
                              obj/main.o (printf)
libm.a(s_sin.o)               obj/main.o (sin)

Verworfene Eingabesektionen

 .text.unused   0x00000000       0x24 obj/main.o
 .text.ein_sehr_langer_funktionsname
                0x00000000       0x10 obj/util.o

Speicherkonfiguration

Name             Ursprung           Länge             Attribute
FLASH            0x08000000         0x00010000         xr
RAM              0x20000000         0x00005000         xrw
*default*        0x00000000         0xffffffff

Linkerskript und Speicherübersicht

LOAD obj/main.o
Adresse der Sektion .text ist auf 0x8000000 gesetzt

.text           0x08000000       0x40
 .text.main     0x08000000       0x40 obj/main.o
                                 0x48 (Größe vor dem Relaxing)
                0x08000000                main

.data           0x20000000        0x8 Ladeadresse 0x08000040
 .data          0x20000000        0x8 obj/main.o
                0x20000000                zaehler
OUTPUT(firmware.elf elf32-littlearm)

Querverweistabelle

Symbol                                            Datei
main                                              obj/main.o
zaehler                                           obj/main.o
)");
    REQUIRE(m.regions.size() == 2);
    CHECK(m.regions[0].name == "FLASH");
    CHECK(m.regions[1].length == 0x5000);
    REQUIRE(m.archive_inclusions.size() == 2);
    CHECK(m.archive_inclusions[0].symbol == "printf");
    CHECK(m.archive_inclusions[1].referenced_by == "obj/main.o");
    CHECK(m.discarded_sections == 2);
    CHECK(m.discarded_bytes == 0x34);
    REQUIRE(m.sections.size() == 2);
    CHECK(m.sections[0].name == ".text");
    CHECK(m.sections[0].size == 0x40);
    CHECK(m.sections[1].name == ".data");
    CHECK(m.sections[1].load_address == 0x08000040);
    REQUIRE(m.inputs.size() == 2);
    CHECK(m.inputs[0].size == 0x40);
    REQUIRE(m.symbols.size() == 2);
    CHECK(m.symbols[0].name() == "main");
    CHECK(m.symbols[1].name() == "zaehler");

    // Without the memory configuration and LOAD lines, the first output section line (address
    // at column 16, where a memory row has its origin at column 17) starts the map.
    LinkMap bare = parse(R"(Linkerskript und Speicherübersicht

.text           0x08000000       0x40
 .text.main     0x08000000       0x40 obj/main.o
)");
    CHECK(bare.regions.empty());
    REQUIRE(bare.sections.size() == 1);
    CHECK(bare.sections[0].size == 0x40);
    CHECK(bare.inputs.size() == 1);
}

TEST_CASE("gnu ld: a map without memory configuration or LOAD lines (excerpt)") {
    // Like mbed's hand-trimmed fixture: the map starts at an output section; numbers lines
    // without a name line before them take the previous name.
    LinkMap m = parse(R"(Linker script and memory map
.text           0x000000000001b000      0x100
 .Vectors       0x000000000001b000       0x98 /common/path/irqs/irqs.o
                0x000000000001b098       0x68 /common/path/main.o
                0x000000000001b098                count5(unsigned int, unsigned int)
)");
    REQUIRE(m.sections.size() == 1);
    REQUIRE(m.inputs.size() == 2);
    CHECK(m.inputs[1].name() == ".Vectors");
    CHECK(m.objects[m.inputs[1].object].path == "/common/path/main.o");
    CHECK(m.symbols.at(0).name() == "count5(unsigned int, unsigned int)");
    CHECK(m.warnings.empty());

    // An excerpt that stops early is read with a warning rather than rejected.
    LinkMap cut = parse(R"(Linker script and memory map
.bss            0x0000000020003a80     0x2050
 .bss.counter   0x0000000020003c08      0x198 /common/path/data.o
)");
    CHECK(cut.sections.size() == 1);
    CHECK(cut.warnings.size() == 1);
}

TEST_CASE("gnu ld: empty, foreign and truncated input is an Error") {
    CHECK(contains(error_of(""), "empty"));
    CHECK(contains(error_of(" \n\n\t \n"), "empty"));
    CHECK(contains(error_of("\r\n\r\n"), "empty"));
    CHECK(contains(error_of("hello world\nthis is not a map\n"), "not a GNU ld map"));
    CHECK(contains(error_of("Component: ARM Compiler 6.22 Tool: armlink\n\n==============\n"), "not a GNU ld map"));
    // IAR's entry list has "NAME 0xADDR 0xSIZE" too, followed by words no GNU ld line has there.
    CHECK(contains(error_of("# IAR ELF Linker V7.20.2.7424/W32 for ARM\n\n"
                            "BulkLen                 0x200029dc      0x4  Data  Gb  usbd_msc.o [1]\n"
                            "CAN0_ORed_Message_buffer_IRQHandler\n"
                            "                        0x00033c1d      0xa  Code  Gb  can.o [1]\n"
                            "CANBase         0x000382b4      0x8  Data  Gb  can.o [1]\n"),
                   "not a GNU ld map"));

    // The memory configuration with nothing after it.
    std::string_view map = full_map;
    std::string memory_only(map.substr(0, map.find("Linker script")));
    CHECK(contains(error_of(memory_only), "truncated"));

    // The file ends inside an output section whose contents do not reach its size.
    std::string in_text(map.substr(0, map.find(" *fill*         0x08000070")));
    CHECK(contains(error_of(in_text), "truncated"));
    // ... or just after an output section name whose numbers were on the next line.
    std::string name_only(map.substr(0, map.find("                0x08000050       0x20")));
    name_only += "\n.a_long_output_section_name\n";
    CHECK(contains(error_of(name_only), "truncated"));
    // ... or in the middle of a line.
    std::string mid_line(map.substr(0, map.find("0x12 /usr/lib/libc.a(lib_a-printf.o)") + 3));
    CHECK(contains(error_of(mid_line), "truncated"));

    // ... or between two output sections, before the OUTPUT line every ld map has.
    std::string between(map.substr(0, map.find(".data           0x20000000")));
    CHECK(contains(error_of(between), "truncated"));

    // A complete map that ends with its last output section is fine.
    std::string complete(map.substr(0, map.find("Cross Reference Table")));
    CHECK(error_of(complete).empty());
    // An allocated (orphan) section after the OUTPUT line whose contents stop short.
    std::string orphan(map.substr(0, map.find("Cross Reference Table")));
    orphan += ".orphan         0x20002000       0x40\n .orphan        0x20002000       0x10 obj/main.o\n";
    CHECK(contains(error_of(orphan), "truncated"));
    // Cut inside debug information after OUTPUT: only a warning, nothing allocated is missing.
    std::string in_debug(map.substr(0, map.find(" .debug_info    0x00000000")));
    CHECK(error_of(in_debug).empty());
    CHECK(parse(in_debug).warnings.size() == 1);

    // Errors carry the file name and the line.
    try {
        parse(in_text);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.file() == "test.map");
        CHECK(e.line() > 50);
    }
}

TEST_CASE("gnu ld: numbers beyond 64 bits are an Error") {
    std::string head = R"(Memory Configuration

Name             Origin             Length             Attributes
*default*        0x0000000000000000 0xffffffffffffffff

Linker script and memory map

)";
    CHECK(contains(error_of(head + ".text           0x10000000000000000       0x10\n"), "64 bits"));
    CHECK(contains(error_of(head + ".text           0x0000000000001000 0x1ffffffffffffffff\n"), "64 bits"));
    CHECK(contains(error_of(head + ".text           0x0000000000001000       0x10\n"
                                   " .text          0x0000000000001000 0x123456789abcdef01 a.o\n"),
                   "64 bits"));
    CHECK(contains(error_of(head + ".text           0xfffffffffffffff0       0x20\n"), "64-bit"));
    // Leading zeros are no overflow.
    LinkMap m = parse(head + ".text           0x00000000000000000000001000       0x10\n"
                             " .text          0x0000000000001000       0x10 a.o\n"
                             "OUTPUT(a.out elf64-x86-64)\n");
    CHECK(m.sections.at(0).address == 0x1000);
}

TEST_CASE("gnu ld: every prefix of a map, and mangled maps, give a model or an Error") {
    std::string_view map = full_map;
    const std::size_t output_line = map.find("OUTPUT(");
    std::size_t parsed = 0;
    for (std::size_t cut = 0; cut <= map.size(); cut += 3) {
        try {
            LinkMap m = parse(map.substr(0, cut));
            CHECK_FALSE(m.sections.empty());
            // Whatever the cut, a map that stops before its OUTPUT line is never taken as whole.
            CHECK_MESSAGE(cut >= output_line + 7, "cut at ", cut);
            ++parsed;
        } catch (const Error&) {
        }
    }
    CHECK(parsed > 0);

    // Lines shuffled, dropped, duplicated and bytes changed at random: never a crash.
    std::vector<std::string> lines;
    for (std::size_t p = 0; p < map.size();) {
        std::size_t nl = map.find('\n', p);
        lines.emplace_back(map.substr(p, nl - p));
        p = nl == std::string_view::npos ? map.size() : nl + 1;
    }
    std::mt19937 rng(12345);
    const std::string alphabet = " \t0x123456789abcdef()*.=[]!\r\\/ABCLOADxyz";
    for (int round = 0; round < 400; ++round) {
        std::vector<std::string> l = lines;
        for (int k = 0; k < 6; ++k) {
            std::size_t i = rng() % l.size();
            switch (rng() % 4) {
                case 0: l.erase(l.begin() + static_cast<std::ptrdiff_t>(i)); break;
                case 1: l.insert(l.begin() + static_cast<std::ptrdiff_t>(i), l[rng() % l.size()]); break;
                case 2: std::swap(l[i], l[rng() % l.size()]); break;
                default:
                    if (!l[i].empty()) l[i][rng() % l[i].size()] = alphabet[rng() % alphabet.size()];
            }
        }
        std::string text;
        for (const std::string& s : l) text += s + "\n";
        try {
            LinkMap m = parse(text);
            for (const OutputSection& s : m.sections)
                CHECK(s.first_input + s.input_count <= m.inputs.size());
            for (const InputSection& in : m.inputs) {
                CHECK(in.first_symbol + in.symbol_count <= m.symbols.size());
                CHECK((in.object == npos32 || in.object < m.objects.size()));
            }
            for (const ArchiveInclusion& a : m.archive_inclusions) CHECK(a.member < m.objects.size());
        } catch (const Error&) {
        }
    }
}

// ---- The corpus of real maps ----------------------------------------------------------------

namespace {

std::filesystem::path corpus_map(const char* name) { return test::corpus_dir() / "gnu-ld" / name; }

bool have_gnu_corpus() {
    if (test::have_corpus() && std::filesystem::is_directory(test::corpus_dir() / "gnu-ld")) return true;
    MESSAGE("corpus not found at ", test::corpus_dir().string(), ": skipped");
    return false;
}

}  // namespace

TEST_CASE("gnu ld corpus: every map parses into sections whose pieces tile them") {
    if (!have_gnu_corpus()) return;
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::corpus_dir() / "gnu-ld")) {
        if (entry.path().extension() != ".map") continue;
        ++count;
        CAPTURE(entry.path().filename().string());
        LinkMap m;
        REQUIRE_NOTHROW(m = parse_file(entry.path()));
        CHECK_FALSE(m.sections.empty());
        CHECK_FALSE(m.inputs.empty());
        CHECK_FALSE(m.objects.empty());
        check_pieces_tile(m);
        for (const OutputSection& s : m.sections) CHECK(s.name != "/DISCARD/");
        // finish_map() finds nothing to complain about in a real map.
        finish_map(m);
        if (entry.path().filename() != "mbed-memap-gcc-fixture.map") CHECK(m.warnings.empty());
    }
    CHECK(count >= 15);
}

TEST_CASE("gnu ld corpus: stm32l4r5 (STM32CubeIDE)") {
    if (!have_gnu_corpus()) return;
    LinkMap m = parse_file(corpus_map("stm32l4r5-cubeide-hello.map"));
    REQUIRE(m.regions.size() == 4);
    CHECK(m.regions[0].name == "RAM");
    CHECK(m.regions[0].origin == 0x20000000);
    CHECK(m.regions[0].length == 0x30000);
    CHECK(m.regions[1].name == "RAM2");
    CHECK(m.regions[2].name == "RAM3");
    CHECK(m.regions[2].origin == 0x20040000);
    CHECK(m.regions[3].name == "FLASH");
    CHECK(m.regions[3].origin == 0x08000000);
    CHECK(m.regions[3].length == 0x200000);
    CHECK(m.regions[3].attributes == "xr");
    const OutputSection& text = section(m, ".text");
    CHECK(text.address == 0x080001bc);
    CHECK(text.size == 0x43a0);
    CHECK(section(m, ".data").load_address == 0x080045ec);
    CHECK(section(m, "._user_heap_stack").size == 0x604);
    CHECK_FALSE(section(m, ".ARM.attributes").allocated);
    CHECK(m.archive_inclusions.size() == 28);
    CHECK(m.discarded_sections == 2246);
    CHECK(symbol(m, "main") != nullptr);
}

TEST_CASE("gnu ld corpus: esp32 bootloader has two .iram.text sections") {
    if (!have_gnu_corpus()) return;
    LinkMap m = parse_file(corpus_map("esp32-bootloader-idfsize.map"));
    auto iram = sections_named(m, ".iram.text");
    REQUIRE(iram.size() == 2);
    CHECK(iram[0]->address == 0x40080400);
    CHECK(iram[0]->size == 0x3);
    CHECK(iram[1]->address == 0x40080404);
    CHECK(iram[1]->size == 0xf13);
    CHECK(section(m, ".iram_loader.text").size == 0x3d1b);  // name alone on its line
    CHECK(m.regions.size() == 3);
    // The cross reference table at the end is not read as sections.
    CHECK(sections_named(m, "Cache_Flush_rom").empty());
}

TEST_CASE("gnu ld corpus: vim (x86-64, LTO) has no MEMORY regions") {
    if (!have_gnu_corpus()) return;
    LinkMap m = parse_file(corpus_map("vim-x86_64-lto.map"));
    CHECK(m.regions.empty());
    CHECK(m.archive_inclusions.size() == 878);
    const ArchiveInclusion& first = m.archive_inclusions.front();
    CHECK(m.objects[first.member].path == "/usr/lib/x86_64-linux-gnu/libm-2.35.a(s_atan.o)");
    CHECK(first.referenced_by == "objects/float.o");
    CHECK(first.symbol == "atan");
    CHECK(section(m, "__libc_freeres_fn").size == 0x175d);
    CHECK(sections_named(m, ".relr.dyn").empty());
    bool ltrans = false;
    for (const ObjectFile& o : m.objects) ltrans = ltrans || contains(o.path, ".ltrans.o");
    CHECK(ltrans);
}

TEST_CASE("gnu ld corpus: avr (WinAVR) uses the old archive table wording") {
    if (!have_gnu_corpus()) return;
    LinkMap m = parse_file(corpus_map("avr-winavr-project0.map"));
    REQUIRE(m.archive_inclusions.size() == 22);
    const ArchiveInclusion& first = m.archive_inclusions.front();
    CHECK(m.objects[first.member].member == "_mulsi3.o");
    CHECK(file_name(m.objects[first.member].archive) == "libgcc.a");
    CHECK(first.referenced_by == "./MCAL/TIMER0/TIMER0_prog.o");
    CHECK(first.symbol == "__mulsi3");
    REQUIRE(m.regions.size() == 6);
    CHECK(m.regions[1].name == "data");
    CHECK(m.regions[1].origin == 0x00800060);
    CHECK(m.regions[1].attributes == "rw !x");  // old ld: a space before the negated flags
}

TEST_CASE("gnu ld corpus: nrf52840 prints 64-bit wide addresses") {
    if (!have_gnu_corpus()) return;
    LinkMap m = parse_file(corpus_map("nrf52840-sdk-gpio-ppi.map"));
    REQUIRE(m.regions.size() == 2);
    CHECK(m.regions[0].name == "FLASH");
    CHECK(m.regions[0].length == 0x100000);
    CHECK(m.regions[1].name == "RAM");
    CHECK(m.regions[1].origin == 0x20000000);
    CHECK(m.regions[1].length == 0x40000);
    const OutputSection& text = section(m, ".text");
    CHECK(text.address == 0);
    CHECK(text.size == 0x1030);
}

TEST_CASE("gnu ld corpus: esp32p4 (built on Windows) has backslashes in archive paths") {
    if (!have_gnu_corpus()) return;
    LinkMap m = parse_file(corpus_map("esp32p4-lvgl-dsi.map"));
    const ObjectFile* libc = nullptr;
    for (const ObjectFile& o : m.objects)
        if (contains(o.path, "no-rtti\\libc.a(")) libc = &o;
    REQUIRE(libc != nullptr);
    CHECK(libc->archive.ends_with("no-rtti\\libc.a"));
    CHECK(file_name(libc->archive) == "libc.a");
    CHECK_FALSE(libc->member.empty());
    CHECK_FALSE(contains(libc->member, "("));
}

TEST_CASE("gnu ld corpus: zephyr (section names without dots, short archive lines)") {
    if (!have_gnu_corpus()) return;
    LinkMap m = parse_file(corpus_map("zephyr-esp32-microdoom.map"));
    const OutputSection& rodata = section(m, "rodata");
    CHECK(rodata.address == 0x3f400040);
    CHECK(rodata.size == 0x4908);
    CHECK(rodata.load_address == 0x40);
    CHECK(section(m, "zephyr_dbg_info").size == 0x40);
    CHECK(m.archive_inclusions.size() == 219);
    CHECK(m.regions.size() == 11);
}

TEST_CASE("gnu ld corpus: n64 (no regions) and the mbed excerpt") {
    if (!have_gnu_corpus()) return;
    LinkMap n64 = parse_file(corpus_map("n64-puzzleleague64.map"));
    CHECK(n64.regions.empty());
    CHECK(n64.sections.size() == 156);
    CHECK(n64.discarded_sections == 2132);

    LinkMap mbed = parse_file(corpus_map("mbed-memap-gcc-fixture.map"));
    REQUIRE(mbed.sections.size() == 3);
    CHECK(mbed.sections[0].name == ".text");
    CHECK(mbed.sections[0].size == 0x11a30);
    CHECK(mbed.sections[1].load_address == 0x2ca38);
}

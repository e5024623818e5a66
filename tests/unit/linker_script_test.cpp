// read_linker_script() / parse_linker_script(): MEMORY regions, numbers, expressions, symbols,
// INCLUDE, AT(expr) sections, and errors with their locations.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "sizebudget/error.hpp"
#include "sizebudget/linker_script.hpp"
#include "test_support.hpp"

using namespace sizebudget;
namespace fs = std::filesystem;

namespace {

LinkerScriptInfo parse(std::string_view text) { return parse_linker_script("test.ld", text, "."); }

Error error_of(std::string_view text) {
    try {
        parse(text);
    } catch (const Error& e) {
        return e;
    }
    FAIL("expected an Error for:\n" << text);
    return Error("", "");
}

bool mentions(const Error& e, std::string_view what) {
    return std::string_view(e.what()).find(what) != std::string_view::npos;
}

const MemoryRegion* region(const LinkerScriptInfo& info, std::string_view name) {
    for (const MemoryRegion& r : info.regions)
        if (r.name == name) return &r;
    return nullptr;
}

std::uint64_t origin(const LinkerScriptInfo& info, std::string_view name) {
    const MemoryRegion* r = region(info, name);
    REQUIRE_MESSAGE(r != nullptr, name);
    return r->origin;
}
std::uint64_t length(const LinkerScriptInfo& info, std::string_view name) {
    const MemoryRegion* r = region(info, name);
    REQUIRE_MESSAGE(r != nullptr, name);
    return r->length;
}

// One LENGTH expression evaluated in a MEMORY block of its own.
std::uint64_t eval(const std::string& expr, const std::string& before = {}) {
    LinkerScriptInfo info = parse(before + "\nMEMORY { R : ORIGIN = 0, LENGTH = " + expr + " }\n");
    REQUIRE(info.regions.size() == 1);
    return info.regions[0].length;
}

// A fresh directory under the system temp dir, removed afterwards.
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() /
               ("sizebudget-ld-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
    fs::path write(const std::string& name, const std::string& text) const {
        fs::path p = path / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
};

}  // namespace

TEST_SUITE("linker script") {

TEST_CASE("a plain MEMORY block") {
    LinkerScriptInfo info = parse(
        "ENTRY(Reset_Handler)\n"
        "MEMORY\n"
        "{\n"
        "  FLASH (rx)  : ORIGIN = 0x08000000, LENGTH = 256K\n"
        "  RAM   (rwx) : ORIGIN = 0x20000000, LENGTH = 64K\n"
        "}\n");
    REQUIRE(info.regions.size() == 2);
    CHECK(info.regions[0].name == "FLASH");
    CHECK(info.regions[0].origin == 0x08000000);
    CHECK(info.regions[0].length == 256 * 1024);
    CHECK(info.regions[0].attributes == "rx");
    CHECK(info.regions[1].name == "RAM");
    CHECK(info.regions[1].origin == 0x20000000);
    CHECK(info.regions[1].length == 64 * 1024);
    CHECK(info.regions[1].attributes == "rwx");
    CHECK(info.load_by_expression.empty());
}

TEST_CASE("abbreviations, optional attributes and commas, several regions on a line") {
    LinkerScriptInfo info = parse(
        "MEMORY {\n"
        "  rom (rx) : org = 0x0, len = 128K  ram (!rx) : o = 0x10000000, l = 32K\n"
        "  ccm : ORIGIN = 0x10010000 LENGTH = 8K\n"
        "  bkp ( r w ) : ORIGIN = 0x40024000, LENGTH = 4K,\n"
        "}\n");
    REQUIRE(info.regions.size() == 4);
    CHECK(origin(info, "rom") == 0);
    CHECK(length(info, "rom") == 128 * 1024);
    CHECK(region(info, "ram")->attributes == "!rx");
    CHECK(origin(info, "ram") == 0x10000000);
    CHECK(length(info, "ram") == 32 * 1024);
    CHECK(region(info, "ccm")->attributes.empty());
    CHECK(origin(info, "ccm") == 0x10010000);
    CHECK(region(info, "bkp")->attributes == "rw");
}

TEST_CASE("numbers: hex, decimal, K and M scales, ld's suffixes") {
    CHECK(eval("0x1000") == 0x1000);
    CHECK(eval("0X1F") == 0x1f);
    CHECK(eval("4096") == 4096);
    CHECK(eval("4K") == 4096);
    CHECK(eval("4k") == 4096);
    CHECK(eval("2M") == 2u << 20);
    CHECK(eval("2m") == 2u << 20);
    CHECK(eval("0x10K") == 16 * 1024);
    CHECK(eval("$8000") == 0x8000);
    CHECK(eval("1000h") == 0x1000);
    CHECK(eval("0ABh") == 0xab);
    CHECK(eval("17o") == 15);
    CHECK(eval("101b") == 5);
    CHECK(eval("99d") == 99);
    CHECK(eval("0") == 0);
    CHECK(eval("00") == 0);
    CHECK(eval("07") == 7);  // octal and decimal agree
    CHECK(eval("0xffffffffffffffff", "") == 0xffffffffffffffffull);
    // A leading zero reads as octal in GNU ld and as decimal in lld: refused, not guessed.
    Error e = error_of("MEMORY { R : ORIGIN = 0, LENGTH = 010 }");
    CHECK(mentions(e, "octal"));
    CHECK(e.line() == 1);
    CHECK(e.column() == 35);
    CHECK(mentions(error_of("MEMORY { R : ORIGIN = 0, LENGTH = 0x10000000000000000 }"), "64 bits"));
    CHECK(mentions(error_of("MEMORY { R : ORIGIN = 0, LENGTH = 0x }"), "invalid number"));
    CHECK(mentions(error_of("MEMORY { R : ORIGIN = 0, LENGTH = 12Q }"), "invalid number"));
    CHECK(mentions(error_of("MEMORY { R : ORIGIN = 0, LENGTH = 0xffffffffffffffK }"), "64 bits"));
}

TEST_CASE("expressions: precedence, parentheses, functions, regions") {
    CHECK(eval("1 + 2 * 3") == 7);
    CHECK(eval("(1 + 2) * 3") == 9);
    CHECK(eval("64K - 0x100") == 65536 - 256);
    CHECK(eval("512K / 2") == 256 * 1024);
    CHECK(eval("512K/2") == 256 * 1024);
    CHECK(eval("10 % 4") == 2);
    CHECK(eval("10 - 4 - 3") == 3);  // left-associative
    CHECK(eval("1 << 12") == 4096);
    CHECK(eval("0x1000 >> 4") == 0x100);
    CHECK(eval("0xf0 | 0x0f") == 0xff);
    CHECK(eval("0xff & ~0x0f") == 0xf0);
    CHECK(eval("3 > 2 ? 100 : 200") == 100);
    CHECK(eval("1 == 2 ? 100 : 200") == 200);
    CHECK(eval("-4 + 10") == 6);
    CHECK(eval("MIN(8K, 4K) + MAX(1, 2)") == 4096 + 2);
    CHECK(eval("ALIGN(0x1001, 0x100)") == 0x1100);
    CHECK(eval("ABSOLUTE(12)") == 12);
    CHECK(eval("LOG2CEIL(1000)") == 10);

    LinkerScriptInfo info = parse(
        "MEMORY {\n"
        "  FLASH : ORIGIN = 0x08000000, LENGTH = 1M\n"
        "  BOOT  : ORIGIN = ORIGIN(FLASH), LENGTH = 32K\n"
        "  APP   : ORIGIN = ORIGIN(BOOT) + LENGTH(BOOT), LENGTH = LENGTH(FLASH) - LENGTH(BOOT) - 4K\n"
        "  CFG   : ORIGIN = ORIGIN(FLASH) + LENGTH(FLASH) - 4K, LENGTH = 4K\n"
        "}\n");
    CHECK(origin(info, "BOOT") == 0x08000000);
    CHECK(origin(info, "APP") == 0x08008000);
    CHECK(length(info, "APP") == (1u << 20) - 32 * 1024 - 4096);
    CHECK(origin(info, "CFG") == 0x08000000 + (1u << 20) - 4096);
}

TEST_CASE("comments: /* */ over several lines, and // harmlessly") {
    LinkerScriptInfo info = parse(
        "/* Linker script\n"
        "   for a board */\n"
        "MEMORY /* the memory */ {\n"
        "  FLASH (rx) : ORIGIN = 0x0, /* inline */ LENGTH = 256K // trailing\n"
        "  // RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 64K\n"
        "  RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 32K/*glued*/\n"
        "}\n");
    REQUIRE(info.regions.size() == 2);
    CHECK(length(info, "RAM") == 32 * 1024);
    // Lines are still counted right after a multi-line comment.
    Error e = error_of("/* one\n two\n three */\nMEMORY { R : ORIGIN = 1 / 0, LENGTH = 1 }\n");
    CHECK(e.line() == 4);
    CHECK(e.column() == 25);
    CHECK(mentions(e, "division by zero"));
}

TEST_CASE("top-level symbols feed MEMORY") {
    LinkerScriptInfo info = parse(
        "__flash_size = 512K;\n"
        "__ram_start = 0x20000000 ;\n"
        "__ram_size = DEFINED(__ram_size) ? __ram_size : 128K;\n"  // the usual override idiom
        "__boot = 16K; __boot += 16K;\n"
        "PROVIDE(__flash_size = 1K);\n"    // already defined: PROVIDE does not override
        "PROVIDE(__heap = 0x400);\n"
        "HIDDEN(__hidden = 0x10);\n"
        "_text_size = SIZEOF(.text);\n"     // has no value yet, which is fine while unused
        "MEMORY {\n"
        "  FLASH : ORIGIN = 0x08000000 + __boot, LENGTH = __flash_size - __boot\n"
        "  RAM   : ORIGIN = __ram_start, LENGTH = __ram_size - __heap - __hidden\n"
        "}\n"
        "_estack = ORIGIN(RAM) + LENGTH(RAM);\n");
    CHECK(origin(info, "FLASH") == 0x08008000);
    CHECK(length(info, "FLASH") == 512 * 1024 - 32 * 1024);
    CHECK(origin(info, "RAM") == 0x20000000);
    CHECK(length(info, "RAM") == 128 * 1024 - 0x400 - 0x10);

    // A symbol without a value is an error only where MEMORY needs it.
    Error e = error_of("_sz = SIZEOF(.text);\nMEMORY { R : ORIGIN = 0, LENGTH = _sz }\n");
    CHECK(e.line() == 2);
    CHECK(mentions(e, "_sz"));
    CHECK(mentions(e, "SIZEOF"));
    Error u = error_of("MEMORY { R : ORIGIN = 0, LENGTH = __nowhere }\n");
    CHECK(mentions(u, "undefined symbol '__nowhere'"));
    CHECK(u.column() == 35);
    CHECK(mentions(error_of("MEMORY { R : ORIGIN = ., LENGTH = 1 }"), "location counter"));
}

TEST_CASE("REGION_ALIAS and other top-level commands") {
    LinkerScriptInfo info = parse(
        "OUTPUT_FORMAT(\"elf32-littlearm\", \"elf32-bigarm\", \"elf32-littlearm\")\n"
        "OUTPUT_ARCH(arm)\n"
        "SEARCH_DIR(\"=/usr/lib\"); GROUP(-lgcc -lc libx.a)\n"
        "FORCE_COMMON_ALLOCATION\n"
        "MEMORY { FLASH : ORIGIN = 0x1000, LENGTH = 0x1000 }\n"
        "REGION_ALIAS(\"REGION_TEXT\", FLASH);\n"
        "REGION_ALIAS(\"REGION_RODATA\", REGION_TEXT);\n"
        "_end_of_rodata = ORIGIN(REGION_RODATA) + LENGTH(REGION_RODATA);\n"
        "PHDRS { text PT_LOAD FILEHDR PHDRS ; data PT_LOAD ; }\n"
        "ASSERT(_end_of_rodata > 0, \"oops (really)\")\n"
        "INSERT AFTER .text;\n");
    REQUIRE(info.regions.size() == 1);  // aliases are not regions of their own
    CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0, LENGTH = 1 }\nREGION_ALIAS(\"X\", NOPE)\n"), "NOPE"));
    CHECK(mentions(error_of("FROBNICATE\n"), "unknown linker script command"));
}

TEST_CASE("INCLUDE beside the script, at top level and inside MEMORY") {
    TempDir tmp;
    tmp.write("memory.ld",
              "MEMORY {\n"
              "  FLASH (rx) : ORIGIN = 0x08000000, LENGTH = FLASH_SIZE\n"
              "  INCLUDE ram-regions.ld\n"
              "}\n");
    tmp.write("ram-regions.ld", "  RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 64K\n  SRAM2 : o = 0x10000000, l = 16K\n");
    tmp.write("sub/sections.ld", "INCLUDE ../common/at.ld\n");
    tmp.write("common/at.ld", ".data : AT (LOADADDR(.text) + SIZEOF(.text)) { *(.data) } > RAM\n");
    fs::path main = tmp.write("board/../main.ld",
                              "FLASH_SIZE = 512K;\n"
                              "INCLUDE memory.ld\n"
                              "SECTIONS {\n"
                              "  .text : { *(.text) } > FLASH\n"
                              "  INCLUDE \"sub/sections.ld\"\n"
                              "}\n");
    LinkerScriptInfo info = read_linker_script(main.string());
    REQUIRE(info.regions.size() == 3);
    CHECK(info.regions[0].name == "FLASH");
    CHECK(info.regions[0].length == 512 * 1024);
    CHECK(info.regions[1].name == "RAM");
    CHECK(info.regions[1].length == 64 * 1024);
    CHECK(info.regions[2].name == "SRAM2");
    CHECK(info.load_by_expression == std::vector<std::string>{".data"});

    // The same text parsed from memory resolves INCLUDE against the directory it is given.
    LinkerScriptInfo again = parse_linker_script("inline.ld", "FLASH_SIZE = 1K;\nINCLUDE memory.ld\n", tmp.path.string());
    CHECK(again.regions.size() == 3);
    CHECK(again.regions[0].length == 1024);

    // A missing INCLUDE file names the line and the place it looked.
    fs::path bad = tmp.write("bad.ld", "\n\nINCLUDE nowhere.ld\n");
    try {
        read_linker_script(bad.string());
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.file() == bad.string());
        CHECK(e.line() == 3);
        CHECK(mentions(e, "nowhere.ld"));
    }
    // Errors inside an included file name that file.
    tmp.write("broken.ld", "MEMORY {\n  X : ORIGIN = 0, LENGTH = 1 / 0\n}\n");
    fs::path top = tmp.write("top.ld", "INCLUDE broken.ld\n");
    try {
        read_linker_script(top.string());
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(fs::path(e.file()).filename() == "broken.ld");
        CHECK(e.line() == 2);
        CHECK(mentions(e, "division by zero"));
    }
}

TEST_CASE("INCLUDE searches the -L folders in order, as the linkers do for cortex-m-rt's link.x") {
    TempDir tmp;
    fs::path script = tmp.write("rt/link.x", "INCLUDE memory.x\nINCLUDE device.x\n");
    tmp.write("app/memory.x", "MEMORY { FLASH : ORIGIN = 0x08000000, LENGTH = 64K }\n");
    tmp.write("other/memory.x", "MEMORY { FLASH : ORIGIN = 0, LENGTH = 1K }\n");
    tmp.write("pac/device.x", "PROVIDE(UART0 = DefaultHandler);\n");
    // Not found without the search path; the message says which option adds it.
    try {
        read_linker_script(script.string());
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.line() == 1);
        CHECK(mentions(e, "cannot find INCLUDE file 'memory.x'"));
        CHECK(mentions(e, "-L DIR"));
    }
    std::vector<std::string> dirs{(tmp.path / "pac").string(), (tmp.path / "app").string(),
                                  (tmp.path / "other").string()};
    LinkerScriptInfo info = read_linker_script(script.string(), dirs);
    REQUIRE(info.regions.size() == 1);
    CHECK(info.regions[0].length == 64 * 1024);  // app/ comes before other/
    CHECK(info.warnings.empty());
    // device.x holds no memory: without it the regions still result, and a warning says what is missing.
    LinkerScriptInfo partial = read_linker_script(script.string(), {(tmp.path / "app").string()});
    REQUIRE(partial.regions.size() == 1);
    REQUIRE(partial.warnings.size() == 1);
    CHECK(partial.warnings[0].find("link.x:2:9: cannot find INCLUDE file 'device.x'") != std::string::npos);
    CHECK(partial.warnings[0].find("pac") == std::string::npos);
    // A file beside the script wins over the search path, as before.
    tmp.write("rt/memory.x", "MEMORY { FLASH : ORIGIN = 0, LENGTH = 2K }\n");
    CHECK(read_linker_script(script.string(), dirs).regions[0].length == 2048);
}

TEST_CASE("INCLUDE cycles are errors, not endless recursion") {
    TempDir tmp;
    tmp.write("a.ld", "INCLUDE b.ld\n");
    tmp.write("b.ld", "MEMORY { R : ORIGIN = 0, LENGTH = 1 }\nINCLUDE ./a.ld\n");
    fs::path self = tmp.write("self.ld", "INCLUDE self.ld\n");
    try {
        read_linker_script((tmp.path / "a.ld").string());
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(mentions(e, "INCLUDE cycle"));
        CHECK(fs::path(e.file()).filename() == "b.ld");
    }
    CHECK_THROWS_WITH_AS(read_linker_script(self.string()), doctest::Contains("INCLUDE cycle"), Error);
}

TEST_CASE("sections whose load address is given by AT(expr)") {
    LinkerScriptInfo info = parse(
        "MEMORY { FLASH : ORIGIN = 0, LENGTH = 1M  RAM : ORIGIN = 0x20000000, LENGTH = 64K }\n"
        "SECTIONS\n"
        "{\n"
        "  .text : { *(.text*) KEEP(*(.init)) } > FLASH\n"
        "  _sidata = LOADADDR(.data);\n"
        "  .data : AT (ADDR(.text) + SIZEOF(.text)) { _sdata = .; *(.data*) } > RAM\n"
        "  .data_at_gt : { *(.d2) } > RAM AT> FLASH\n"
        "  .data_at_gt_spaced : { *(.d3) } >RAM AT > FLASH :data =0xff\n"
        "  .fast 0x20001000 (NOLOAD) : AT(0x8000) ALIGN(4) { *(.fast) }\n"
        "  .ramfunc ALIGN(8):AT(LOADADDR(.data) + SIZEOF(.data)) SUBALIGN(4) { *(.ramfunc) } >RAM\n"
        "  .noinit (NOLOAD) : { *(.noinit) } > RAM = (0x90 | 0x01)\n"
        "  . = ALIGN(4);\n"
        "  PROVIDE(end = .);\n"
        "  OVERLAY 0x20008000 : NOCROSSREFS AT (0x10000) {\n"
        "    .ov1 { o1/*.o(.text) }\n"
        "    .ov2 { o2/*.o(.text) } :ovl =0\n"
        "  } > RAM\n"
        "  OVERLAY : { .ov3 { *(.ov3) } .ov4 { *(.ov4) } } > RAM AT > FLASH\n"
        "  /DISCARD/ : { *(.comment) libc.a ( * ) }\n"
        "  .ARM.attributes 0 : { *(.ARM.attributes) }\n"
        "}\n");
    CHECK(info.load_by_expression ==
          std::vector<std::string>{".data", ".fast", ".ramfunc", ".ov1", ".ov2"});
    CHECK(info.regions.size() == 2);
}

TEST_CASE("idioms of cortex-m-rt's link.x and pico-sdk's memmap") {
    TempDir tmp;
    tmp.write("memory.x", "MEMORY\n{\n  FLASH : ORIGIN = 0x08000000, LENGTH = 512K\n  RAM : ORIGIN = 0x20000000, LENGTH = 128K\n}\n");
    fs::path link = tmp.write("link.x",
        "INCLUDE memory.x\n"
        "ENTRY(Reset);\n"
        "EXTERN(__RESET_VECTOR); /* depends on the `Reset` symbol */\n"
        "PROVIDE(NonMaskableInt = DefaultHandler);\n"
        "SECTIONS\n"
        "{\n"
        "  PROVIDE(_stack_start = ORIGIN(RAM) + LENGTH(RAM));\n"
        "  .vector_table ORIGIN(FLASH) :\n"
        "  {\n"
        "    LONG(_stack_start);\n"
        "    KEEP(*(.vector_table.reset_vector));\n"
        "    __reset_vector = .;\n"
        "  } > FLASH\n"
        "  PROVIDE(_stext = ADDR(.vector_table) + SIZEOF(.vector_table));\n"
        "  .text _stext : { *(.text .text.*); } > FLASH\n"
        "  .rodata : ALIGN(4) { *(.rodata .rodata.*); . = ALIGN(4); } > FLASH\n"
        "  .data : ALIGN(4) { *(.data .data.*); } > RAM AT > FLASH\n"
        "  .ram_vector_table (NOLOAD): { *(.ram_vector_table) } > RAM\n"
        "  .text2 : { *(EXCLUDE_FILE(*libgcc.a: *libc.a:*lib_a-mem*.o) .text*) *crtbegin?.o(.ctors) } > FLASH\n"
        "  .got (NOLOAD) : { KEEP(*(.got .got.*)); }\n"
        "  /DISCARD/ : { *(.ARM.exidx.*); }\n"
        "}\n"
        "ASSERT(ORIGIN(FLASH) % 4 == 0, \"\n"
        "ERROR(cortex-m-rt): the start of the FLASH region must be 4-byte aligned\");\n"
        "ASSERT(SIZEOF(.got) == 0, \"\n"
        "ERROR(cortex-m-rt): .got section detected (see `cc::Build.pic`)\n"
        "\");\n"
        "MEMORY { SCRATCH_X(rwx) : ORIGIN = 0x20040000, LENGTH = 4k }\n"
        "oops\n");  // line 29: an error here proves the lines inside the strings were counted
    try {
        read_linker_script(link.string());
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.line() == 29);
        CHECK(mentions(e, "oops"));
    }
    std::string text = test::read_file(link);
    text.resize(text.rfind("oops"));
    LinkerScriptInfo info = parse_linker_script("link.x", text, tmp.path.string());
    REQUIRE(info.regions.size() == 3);
    CHECK(length(info, "FLASH") == 512 * 1024);
    CHECK(length(info, "RAM") == 128 * 1024);
    CHECK(region(info, "SCRATCH_X")->attributes == "rwx");
    CHECK(length(info, "SCRATCH_X") == 4096);
    CHECK(info.load_by_expression.empty());
}

TEST_CASE("the self-made project's link.ld") {
    fs::path script = test::corpus_dir().parent_path() / "selfmade" / "link.ld";
    if (!fs::exists(script)) {
        MESSAGE("self-made linker script not present at " << script.string() << "; skipped");
        return;
    }
    LinkerScriptInfo info = read_linker_script(script.string());
    REQUIRE(info.regions.size() == 2);
    CHECK(info.regions[0].name == "FLASH");
    CHECK(info.regions[0].origin == 0x08000000);
    CHECK(info.regions[0].length == 256 * 1024);
    CHECK(info.regions[0].attributes == "rx");
    CHECK(info.regions[1].name == "RAM");
    CHECK(info.regions[1].origin == 0x20000000);
    CHECK(info.regions[1].length == 64 * 1024);
    CHECK(info.regions[1].attributes == "rwx");
    CHECK(info.load_by_expression.empty());  // .data uses AT> FLASH, not AT(expr)
}

TEST_CASE("errors carry file, line and column") {
    SUBCASE("unreadable files") {
        CHECK_THROWS_WITH_AS(read_linker_script("/nonexistent/dir/x.ld"), doctest::Contains("cannot open"), Error);
        TempDir tmp;
        CHECK_THROWS_WITH_AS(read_linker_script(tmp.path.string()), doctest::Contains("directory"), Error);
        fs::path bin = tmp.write("bin.ld", std::string("MEMORY {\n\0\x01\x02", 12));
        CHECK_THROWS_WITH_AS(read_linker_script(bin.string()), doctest::Contains("NUL"), Error);
    }
    SUBCASE("unterminated comment") {
        Error e = error_of("MEMORY {\n  /* never closed\n}\n");
        CHECK(e.file() == "test.ld");
        CHECK(e.line() == 2);
        CHECK(e.column() == 3);
        CHECK(mentions(e, "comment"));
    }
    SUBCASE("unterminated blocks") {
        Error m = error_of("\nMEMORY {\n  R : ORIGIN = 0, LENGTH = 1\n");
        CHECK(m.line() == 2);
        CHECK(mentions(m, "MEMORY block"));
        Error s = error_of("SECTIONS {\n  .text : { *(.text) } > R\n");
        CHECK(s.line() == 1);
        CHECK(mentions(s, "SECTIONS block"));
        Error b = error_of("SECTIONS {\n  .text : { *(.text)\n");
        CHECK(b.line() == 2);
        CHECK(mentions(b, ".text"));
        CHECK(mentions(error_of("ENTRY(Reset"), "never closed"));
        CHECK(mentions(error_of("OUTPUT_FORMAT(\"elf32"), "never closed"));
    }
    SUBCASE("undefined region") {
        Error e = error_of("MEMORY {\n  A : ORIGIN = ORIGIN(FLASH), LENGTH = 1\n}\n");
        CHECK(e.line() == 2);
        CHECK(e.column() == 23);
        CHECK(mentions(e, "undefined memory region 'FLASH'"));
        // Regions are usable only after their definition.
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = LENGTH(B), LENGTH = 1  B : ORIGIN = 0, LENGTH = 2 }"),
                       "undefined memory region 'B'"));
    }
    SUBCASE("division by zero and overflow") {
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0, LENGTH = 4K / (2 - 2) }"), "division by zero"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0, LENGTH = 5 % 0 }"), "division by zero"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0, LENGTH = 0xffffffffffffffff + 1 }"), "overflow"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0, LENGTH = 0x100000000 * 0x100000000 }"), "overflow"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0, LENGTH = 1 << 64 }"), "overflow"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0, LENGTH = 1 - 2 }"), "negative"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0xffffffffffff0000, LENGTH = 1M }"), "64-bit"));
        // The untaken branch of ?: is not evaluated.
        CHECK(eval("1 ? 5 : 1 / 0") == 5);
        CHECK(eval("DEFINED(nope) ? nope : 7") == 7);
    }
    SUBCASE("syntax") {
        CHECK(mentions(error_of("MEMORY { A ORIGIN = 0, LENGTH = 1 }"), "expected ':'"));
        CHECK(mentions(error_of("MEMORY { A : START = 0, LENGTH = 1 }"), "ORIGIN"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN 0, LENGTH = 1 }"), "expected '='"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0 }"), "LENGTH"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = (1 + 2, LENGTH = 1 }"), "parenthesis"));
        CHECK(mentions(error_of("MEMORY { A : ORIGIN = 0, LENGTH = 1  A : ORIGIN = 2, LENGTH = 1 }"), "twice"));
        CHECK(mentions(error_of("MEMORY { 42 }"), "region name"));
        CHECK(mentions(error_of("SECTIONS { .text { } }"), "expected ':'"));
        CHECK(mentions(error_of("}"), "unexpected"));
        CHECK(mentions(error_of("ASSERT(1, \"unterminated\n)\n"), "never closed"));
    }
}

TEST_CASE("deeply nested expressions are an error, not a stack overflow") {
    CHECK(eval(std::string(150, '(') + "1" + std::string(150, ')')) == 1);
    std::string deep = "MEMORY { R : ORIGIN = 0, LENGTH = " + std::string(1000000, '(') + "1 }";
    CHECK(mentions(error_of(deep), "nested too deeply"));
    std::string minus = "MEMORY { R : ORIGIN = 0, LENGTH = ";
    for (int i = 0; i < 100000; ++i) minus += "- ";
    CHECK(mentions(error_of(minus + "1 }"), "nested too deeply"));
    std::string chain = "MEMORY { R : ORIGIN = 0, LENGTH = ";
    for (int i = 0; i < 100000; ++i) chain += "0 ? 1 : ";
    CHECK(mentions(error_of(chain + "1 }"), "nested too deeply"));
}

TEST_CASE("a script cut at every byte parses or throws Error") {
    const std::string script =
        "/* c */ __sz = 64K;\n"
        "MEMORY { FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 256K\n"
        "         RAM (rwx) : ORIGIN = ORIGIN(FLASH) + 0x18000000, LENGTH = __sz }\n"
        "SECTIONS { .text : { *(.text) } > FLASH\n"
        "  .data : AT (ADDR(.text) + SIZEOF(.text)) { *(.data) } > RAM =0\n"
        "  OVERLAY : AT (0x100) { .a { *(.a) } .b { *(.b) } } > RAM }\n";
    for (std::size_t n = 0; n <= script.size(); ++n) {
        try {
            parse(std::string_view(script).substr(0, n));
        } catch (const Error&) {
        }
    }
    LinkerScriptInfo whole = parse(script);
    CHECK(whole.regions.size() == 2);
    CHECK(whole.load_by_expression == std::vector<std::string>{".data", ".a", ".b"});
}

}  // TEST_SUITE

TEST_CASE("output sections' > REGION and AT > REGION, aliases resolved") {
    LinkerScriptInfo info = parse(
        "MEMORY { FLASH : ORIGIN = 0, LENGTH = 1M  RAM : ORIGIN = 0x20000000, LENGTH = 64K }\n"
        "REGION_ALIAS(\"REGION_TEXT\", FLASH);\n"
        "SECTIONS {\n"
        "  .text : { *(.text*) } > REGION_TEXT\n"
        "  .data : { *(.data*) } > RAM AT > FLASH\n"
        "  .bss (NOLOAD) : { *(.bss*) } > RAM :ram_phdr\n"
        "  .comment 0 : { *(.comment) }\n"
        "}\n");
    REQUIRE(info.placements.size() == 3);
    CHECK(info.placements[0].section == ".text");
    CHECK(info.placements[0].region == "FLASH");
    CHECK(info.placements[1].region == "RAM");
    CHECK(info.placements[1].load_region == "FLASH");
    CHECK(info.placements[2].region == "RAM");  // ':ram_phdr' is a program header, not a region
    CHECK(info.placements[2].load_region.empty());
}

// finish_map() and compute_totals() on hand-built models, where every expected number is known.
#include <doctest/doctest.h>

#include <numeric>
#include <optional>

#include <fmt/format.h>

#include "sizebudget/map_reader.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/totals.hpp"
#include "map_builder.hpp"

using namespace sizebudget;

namespace {

using Builder = test::MapBuilder;

// The invariant every later stage relies on.
void check_attribution(const LinkMap& map) {
    for (const OutputSection& s : map.sections) {
        if (!s.allocated) continue;
        std::uint64_t sum = 0;
        Address cursor = s.address;
        for (const InputSection& in : map.inputs_of(s)) {
            CHECK(in.address == cursor);
            cursor += in.size;
            sum += in.size;
        }
        CHECK_MESSAGE(sum == s.size, "section ", s.name);
    }
}

LinkMap firmware() {
    Builder b;
    b.region("FLASH", 0x0, 0x40000);
    b.region("RAM", 0x20000000, 0x10000);
    auto main_o = b.object("obj/main.o");
    auto printf_o = b.object("/x/libc_nano.a(lib_a-printf.o)", "/x/libc_nano.a", "lib_a-printf.o");
    b.section(".text", 0x0, 0x100);
    b.input(".text.main", 0x0, 0x40, main_o);
    b.symbol("main", 0x0);
    b.symbol("helper", 0x30);
    b.input("*fill*", 0x40, 0x4, npos32, PieceKind::fill);
    b.input(".text.printf", 0x48, 0xb0, printf_o);  // 4 bytes no line explains: 0x44..0x48
    b.symbol("_ZN3foo3barEv", 0x48);
    // 0xf8..0x100: trailing alignment gap
    b.section(".data", 0x20000000, 0x20, 0x100);
    b.input(".data.x", 0x20000000, 0x20, main_o);
    b.section(".bss", 0x20000020, 0x40, 0x120);  // ld prints a load address for .bss too
    b.input(".bss.y", 0x20000020, 0x30, main_o);
    b.input("COMMON", 0x20000050, 0x10, printf_o);
    b.section("._user_heap_stack", 0x20000060, 0xc00);  // `. = . + N` only
    b.section(".debug_info", 0x0, 0x5000);
    b.input(".debug_info", 0x0, 0x5000, main_o);
    finish_map(b.map);
    return b.map;
}

}  // namespace

TEST_CASE("finish_map tiles every allocated section with inputs, fill and generated gaps") {
    LinkMap map = firmware();
    check_attribution(map);
    const OutputSection& text = map.sections[0];
    auto pieces = map.inputs_of(text);
    REQUIRE(pieces.size() == 5);
    CHECK(pieces[2].kind == PieceKind::generated);
    CHECK(pieces[2].size == 4);
    CHECK(pieces[4].kind == PieceKind::generated);
    CHECK(pieces[4].size == 8);
    CHECK(map.sections[3].input_count == 1);  // heap/stack reservation is one generated piece
}

TEST_CASE("finish_map decides allocation, load image and regions") {
    LinkMap map = firmware();
    const auto& s = map.sections;
    CHECK(s[0].run_region == 0);
    CHECK(s[1].loaded);
    CHECK(s[1].run_region == 1);
    CHECK(s[1].load_region == 0);
    CHECK_FALSE(s[2].loaded);  // .bss: zero-initialised, no load image despite its load address
    CHECK(s[2].load_region == 1);
    CHECK_FALSE(s[3].loaded);
    CHECK_FALSE(s[4].allocated);  // .debug_info at 0 inside FLASH at 0 is still not allocated
    CHECK(s[4].run_region == npos32);
}

TEST_CASE("symbol sizes run to the next symbol or the end of the input section") {
    LinkMap map = firmware();
    auto syms = map.symbols_of(map.inputs_of(map.sections[0])[0]);
    REQUIRE(syms.size() == 2);
    CHECK(syms[0].size == 0x30);
    CHECK(syms[1].size == 0x10);
    CHECK(map.symbols_of(map.inputs_of(map.sections[0])[3])[0].size == 0xb0);
}

TEST_CASE("region usage counts runs, load images and reservations, never debug sections") {
    LinkMap map = firmware();
    Totals t = compute_totals(map);
    REQUIRE(t.regions.size() == 2);
    CHECK(t.regions[0].used == 0x120);  // .text + .data's load image at 0x100..0x120
    CHECK(t.regions[1].used == 0xc60);  // up to the end of the heap/stack reservation
    CHECK(t.regions[0].linker_used == t.regions[0].used);
    CHECK(t.allocated == 0x100 + 0x20 + 0x40 + 0xc00);
}

TEST_CASE("a load image placed with AT(expr) is counted although ld's own figure misses it") {
    LinkMap map = firmware();
    map.sections[1].load_by_expression = true;
    Totals t = compute_totals(map);
    CHECK(t.regions[0].used == 0x120);
    CHECK(t.regions[0].linker_used == 0x100);
    REQUIRE(t.regions[0].missed_by_linker.size() == 1);
    CHECK(t.regions[0].missed_by_linker[0] == ".data");
}

TEST_CASE("archive, object and symbol totals add up and count .data in both regions") {
    LinkMap map = firmware();
    Totals t = compute_totals(map);
    auto sum = [](const ItemRows& items) {
        return std::accumulate(items.begin(), items.end(), std::uint64_t{0},
                               [](std::uint64_t a, const ItemSize& i) { return a + i.size; });
    };
    CHECK(sum(t.archives) == t.allocated);
    CHECK(sum(t.objects) == t.allocated);
    CHECK(sum(t.sections) == t.allocated);

    std::optional<ItemSize> libc, loose;
    for (const ItemSize& a : t.archives) {
        if (a.name == "libc_nano.a") libc = a;
        if (a.name == no_archive_name) loose = a;
    }
    REQUIRE(libc);
    CHECK(libc->path == "/x/libc_nano.a");
    CHECK(libc->size == 0xb0 + 0x10);
    REQUIRE(loose);
    CHECK(loose->size == 0x40 + 0x20 + 0x30);
    CHECK(loose->regions[0] == 0x40 + 0x20);  // .text.main + .data's load image
    CHECK(loose->regions[1] == 0x20 + 0x30);  // .data + .bss.y

    bool found = false;
    for (const ItemSize& o : t.objects)
        if (o.name == "libc_nano.a(lib_a-printf.o)") found = true;
    CHECK(found);
    // The symbol level adds up too: gaps and fill are rows of their own, not dropped.
    CHECK(sum(t.symbols) == t.allocated);
    auto symbol = [&](std::string_view name) -> std::optional<ItemSize> {
        for (const ItemSize& s : t.symbols)
            if (s.name == name) return s;
        return std::nullopt;
    };
    REQUIRE(symbol("_ZN3foo3barEv").has_value());
    CHECK(symbol("_ZN3foo3barEv")->size > 0);
    CHECK(symbol("(linker)").has_value());
}

TEST_CASE("an object's bytes per region are the same with few regions and with many") {
    // Up to 15 regions a row's bytes per region are kept in one dense array, beyond that only the
    // regions a row is in: both must give every region its bytes.
    for (const std::size_t regions : {std::size_t{3}, std::size_t{15}, std::size_t{16}, std::size_t{40}}) {
        CAPTURE(regions);
        Builder b;
        const auto member = b.object("/x/libdrv.a(uart.o)", "/x/libdrv.a", "uart.o");
        // A member whose path the map did not write as ARCHIVE(MEMBER): named from its parts.
        const auto odd = b.object("odd-path", "/y/libodd.a", "odd.o");
        for (std::size_t r = 0; r < regions; ++r) {
            const Address origin = 0x10000000 * (r + 1);
            b.region(fmt::format("BANK{}", r), origin, 0x1000);
            b.section(fmt::format(".text.bank{}", r), origin, 0x30);
            b.input(".text.a", origin, 0x10 * (r % 3 + 1), member);
            if (r % 3 != 2) b.input(".text.b", origin + 0x10 * (r % 3 + 1), 0x30 - 0x10 * (r % 3 + 1), odd);
        }
        finish_map(b.map);
        const Totals t = compute_totals(b.map);
        auto row = [](const ItemRows& rows, std::string_view name) -> std::optional<ItemSize> {
            for (const ItemSize& r : rows)
                if (r.name == name) return r;
            return std::nullopt;
        };
        for (const ItemRows* level : {&t.objects, &t.archives}) {
            const bool objects = level == &t.objects;
            const auto drv = row(*level, objects ? "libdrv.a(uart.o)" : "libdrv.a");
            const auto o = row(*level, objects ? "libodd.a(odd.o)" : "libodd.a");
            REQUIRE(drv);
            REQUIRE(o);
            std::uint64_t drv_sum = 0;
            for (std::size_t r = 0; r < regions; ++r) {
                CAPTURE(r);
                CHECK(drv->regions[r] == 0x10 * (r % 3 + 1));
                CHECK(o->regions[r] == (r % 3 == 2 ? 0 : 0x30 - 0x10 * (r % 3 + 1)));
                drv_sum += drv->regions[r];
            }
            CHECK(drv->size == drv_sum);
            CHECK(drv->regions[regions] == 0);
        }
    }
}

TEST_CASE("symbol rows: aliases once, bytes no symbol covers, statics named by their section") {
    test::MapBuilder b;
    b.region("FLASH", 0x0, 0x1000);
    b.region("RAM", 0x20000000, 0x1000);
    const std::uint32_t o = b.object("obj/app.o");
    b.section(".text", 0x0, 0x40);
    b.input(".text.__aeabi_idiv", 0x0, 0x20, o);
    b.symbol("__aeabi_idiv", 0x0);
    b.symbol("__divsi3", 0x0);      // an alias: same address, same (derived) size
    b.input(".text.handlers", 0x20, 0x20, o);
    b.symbol("Reset_Handler", 0x28);  // 8 bytes before it belong to no symbol
    b.section(".bss", 0x20000000, 0x80);
    b.input(".bss.frame_buf", 0x20000000, 0x80, o);  // a file-local static: ld lists no symbol
    LinkMap map = std::move(b.map);
    finish_map(map);
    Totals t = compute_totals(map);
    std::uint64_t sum = 0;
    for (const ItemSize& s : t.symbols) sum += s.size;
    CHECK(sum == t.allocated);
    auto symbol = [&](std::string_view name) -> std::optional<ItemSize> {
        for (const ItemSize& s : t.symbols)
            if (s.name == name) return s;
        return std::nullopt;
    };
    REQUIRE(symbol("__aeabi_idiv").has_value());
    CHECK(symbol("__aeabi_idiv")->size == 0x20);
    CHECK(symbol("__aeabi_idiv")->aliases == "__divsi3");
    CHECK(!symbol("__divsi3").has_value());
    REQUIRE(symbol("Reset_Handler").has_value());
    CHECK(symbol("Reset_Handler")->size == 0x18);
    CHECK(symbol("Reset_Handler")->address == 0x28);
    REQUIRE(symbol("(no symbol)").has_value());
    CHECK(symbol("(no symbol)")->size == 8);
    CHECK(symbol("(no symbol)")->path == "obj/app.o");
    REQUIRE(symbol("frame_buf").has_value());
    CHECK(symbol("frame_buf")->size == 0x80);
    CHECK(symbol("frame_buf")->address == 0x20000000);
    CHECK(symbol("frame_buf")->regions[1] == 0x80);
}

TEST_CASE("inputs that overrun their section are reported, never counted twice") {
    Builder b;
    b.region("FLASH", 0x0, 0x1000);
    auto o = b.object("a.o");
    b.section(".text", 0x0, 0x10);
    b.input(".text.a", 0x0, 0x10, o);
    b.input(".text.b", 0x8, 0x10, o);
    finish_map(b.map);
    check_attribution(b.map);
    REQUIRE_FALSE(b.map.warnings.empty());
    CHECK(b.map.warnings[0].message.find("cannot be trusted") != std::string::npos);
}

TEST_CASE("an allocated section outside every region is reported") {
    Builder b;
    b.region("FLASH", 0x08000000, 0x1000);
    b.section(".text", 0x08000000, 0x10);
    b.section(".extra", 0x30000000, 0x10);
    b.input(".extra", 0x30000000, 0x10, b.object("x.o"));
    finish_map(b.map);
    REQUIRE(b.map.warnings.size() == 1);
    CHECK(b.map.warnings[0].message.find("outside every memory region") != std::string::npos);
}

TEST_CASE("the memory usage table matches GNU ld's layout") {
    LinkMap map = firmware();
    Totals t = compute_totals(map);
    CHECK(memory_usage_table(t) ==
          "Memory region         Used Size  Region Size  %age Used\n"
          "           FLASH:         288 B       256 KB      0.11%\n"
          "             RAM:        3168 B        64 KB      4.83%\n");
}

TEST_CASE("regions that share an origin: ld's forward-moving location decides, or a warning says it cannot") {
    Builder b;
    b.region("drom", 0x3c000020, 0x100000);
    b.region("extram", 0x3c000020, 0x100000);
    auto o = b.object("main.o");
    // Both regions are at their origin: declaration order. Then drom has moved on, so a section
    // back at the origin is extram's.
    b.section(".rodata_dummy", 0x3c000020, 0x1000);
    b.input("*fill*", 0x3c000020, 0x1000, npos32, PieceKind::fill);
    b.section(".rodata", 0x3c001020, 0x200);
    b.input(".rodata.x", 0x3c001020, 0x200, o);
    b.section(".ext_ram.dummy", 0x3c000020, 0x800);
    b.input("*fill*", 0x3c000020, 0x800, npos32, PieceKind::fill);
    // Below both regions' locations now: no region can have placed it; counted, with a warning.
    b.section(".late", 0x3c000100, 0x10);
    b.input(".late", 0x3c000100, 0x10, o);
    finish_map(b.map);
    const auto& s = b.map.sections;
    CHECK(s[0].run_region == 0);
    CHECK(s[1].run_region == 0);
    CHECK(s[2].run_region == 1);
    CHECK(s[0].reserved);
    CHECK(s[2].reserved);
    CHECK_FALSE(s[1].reserved);
    REQUIRE(b.map.warnings.size() == 1);
    CHECK(b.map.warnings[0].message.find("section '.late' at 0x3c000100 lies in regions drom, extram") != std::string::npos);
    const Totals t = compute_totals(b.map, TotalsOptions{.symbols = true});
    CHECK(t.regions[0].used == 0x1200);
    CHECK(t.regions[0].reserved == 0x1000);
    CHECK(t.regions[1].used == 0x800);
    CHECK(t.reserved == 0x1800);
    CHECK(t.content() == 0x210);
}

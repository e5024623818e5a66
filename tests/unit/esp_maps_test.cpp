// ESP-IDF maps counted as ld and ESP-IDF's own tools count them: regions that share an origin
// as ld assigned them, reserved address space apart from content, the image size.
#include <doctest/doctest.h>

#include <filesystem>

#include "sizebudget/map_reader.hpp"
#include "sizebudget/totals.hpp"
#include "test_support.hpp"

using namespace sizebudget;

namespace {

Totals esp_totals(const char* name) {
    return compute_totals(read_map((test::corpus_dir() / "gnu-ld" / name).string()), TotalsOptions{.symbols = true});
}

const RegionUsage& region(const Totals& t, std::string_view name) {
    for (const RegionUsage& r : t.regions)
        if (r.name == name) return r;
    FAIL("no region ", name);
    throw;
}

std::uint64_t reserved_row(const std::vector<ItemSize>& rows) {
    for (const ItemSize& r : rows)
        if (r.name == reserved_name && r.path.empty()) return r.size;
    return 0;
}

}  // namespace

TEST_CASE("regions sharing an origin hold what ld placed in them") {
    if (!test::have_corpus()) return;
    // GNU ld's own figures for these maps (its --print-memory-usage table, given in the issue).
    const Totals s3 = esp_totals("esp32s3-app-idfsize.map");
    CHECK(region(s3, "drom0_0_seg").used == 173684);   // .flash_rodata_dummy, .flash.appdesc, .flash.rodata
    CHECK(region(s3, "extern_ram_seg").used == 196576);  // .ext_ram.dummy, also at 0x3c000020
    const Totals p4 = esp_totals("esp32p4-lvgl-dsi.map");
    CHECK(region(p4, "irom_seg").used == 105680);
    CHECK(region(p4, "drom_seg").used == 174800);
}

TEST_CASE("reserved address space is not content") {
    if (!test::have_corpus()) return;
    const Totals t = esp_totals("esp32s3-lvgl-hello.map");
    // .flash_rodata_dummy (320 KiB) and .dram0.dummy (44.1 KiB) hold only *fill*: they keep
    // address space free for the flash text mapping and for IRAM; the 1-byte .iram0.data is
    // alignment padding and stays (fill).
    CHECK(t.reserved == 327680 + 45208);
    CHECK(t.reserved_sections == std::vector<std::string>{".dram0.dummy", ".flash_rodata_dummy"});
    CHECK(region(t, "drom0_0_seg").reserved == 327680);
    CHECK(region(t, "dram0_0_seg").reserved == 45208);
    CHECK(region(t, "iram0_0_seg").reserved == 0);
    // Every level shows them as one (reserved) row, and the levels still add up.
    CHECK(reserved_row(t.archives) == t.reserved);
    CHECK(reserved_row(t.objects) == t.reserved);
    CHECK(reserved_row(t.symbols) == t.reserved);
    for (const ItemSize& a : t.archives)
        if (a.name == fill_name) CHECK(a.size < 8192);  // alignment padding only (4.2 KiB), not 368 KiB
    CHECK(t.content() == t.allocated - t.reserved);
    // ld's region figures still include them: a region budget must equal ld.
    CHECK(region(t, "drom0_0_seg").used == 392416);
}

TEST_CASE("image size as esp_idf_size counts it, and where we differ") {
    if (!test::have_corpus()) return;
    // esp_idf_size: "Total image size: 444242 bytes" for this map. The 1 byte between us is
    // `.iram0.data`, one byte of alignment fill and nothing else: esp_idf_size, reading a map
    // without its ELF, counts output sections by name (a name ending in ".data" counts); GNU ld
    // writes a section of only fill as NOBITS (tests/fixtures/README.md), which no image holds.
    const Totals t = esp_totals("esp32s3-lvgl-hello.map");
    CHECK(t.image_size == 444242 - 1);
}

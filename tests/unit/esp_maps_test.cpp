// ESP-IDF maps counted as ld and ESP-IDF's own tools count them: regions that share an origin
// as ld assigned them, reserved address space apart from content, the image size.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "sizebudget/map_reader.hpp"
#include "sizebudget/memories.hpp"
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

std::uint64_t reserved_row(const ItemRows& rows) {
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

TEST_CASE("memory types as idf.py size counts them") {
    if (!test::have_corpus()) return;
    const LinkMap map = read_map((test::corpus_dir() / "gnu-ld" / "esp32s3-lvgl-hello.map").string());
    REQUIRE(detect_esp_chip(map) == std::optional<std::string>("esp32s3"));
    const std::vector<MemoryUsage> m = memory_usage(map, esp_memory_types("esp32s3"));
    auto find = [&](std::string_view name) {
        for (const MemoryUsage& u : m)
            if (u.name == name) return u;
        FAIL("no memory type ", name);
        throw;
    };
    // esp_idf_size on this map: "IRAM 16383 of 16384", "DIRAM 112599 of 345856". The first 16 KiB
    // of iram0_0_seg's SRAM is IRAM only; the rest is the SRAM dram0_0_seg also shows, counted once.
    CHECK(find("IRAM").used == 16383);
    CHECK(find("IRAM").size == 16384);
    CHECK(find("DIRAM").size == 345856);
    // One byte more than esp_idf_size: `.iram0.data` is one byte of alignment fill at 0x40383097
    // (in DIRAM through its instruction-bus alias) with no input section; esp_idf_size sums input
    // sections, we count the memory the output sections occupy.
    CHECK(find("DIRAM").used == 112599 + 1);
    // Reserved space is not used memory: .dram0.dummy covers what IRAM code already uses.
    CHECK(find("DIRAM").used < 112608);  // dram0_0_seg's ld figure, the dummy included
    CHECK(find("Flash Code").used == 308851);  // .flash.text, all of iram0_2_seg's content
    // Types the link does not reach are left out (DRAM at 0x3fcf0000, External RAM unused).
    for (const MemoryUsage& u : m) CHECK(u.name != "DRAM");
}

TEST_CASE("chips are recognised from their regions, never guessed") {
    if (!test::have_corpus()) return;
    auto chip = [](const char* name) {
        return detect_esp_chip(read_map((test::corpus_dir() / "gnu-ld" / name).string()));
    };
    CHECK(chip("esp32-app-idfsize.map") == std::optional<std::string>("esp32"));  // IDF_TARGET_ESP32
    CHECK(chip("esp32-bootloader-idfsize.map") == std::optional<std::string>("esp32"));
    CHECK(chip("esp32c3-app-idfsize.map") == std::optional<std::string>("esp32c3"));
    CHECK(chip("esp32p4-lvgl-dsi.map") == std::optional<std::string>("esp32p4"));
    CHECK(chip("esp32s3-app-idfsize.map") == std::optional<std::string>("esp32s3"));
    CHECK(chip("esp32-gatt-server-2019.map") == std::optional<std::string>("esp32"));
    // Zephyr's ESP32 map has regions at 0 (mcuboot header): no ESP-IDF layout, no summary.
    std::string why;
    CHECK_FALSE(detect_esp_chip(read_map((test::corpus_dir() / "gnu-ld" / "zephyr-esp32-microdoom.map").string()), &why));
    CHECK(why.find("fit no ESP chip") != std::string::npos);
    CHECK_FALSE(chip("stm32l4r5-cubeide-hello.map"));
}

TEST_CASE("a linker script's > REGION settles which of two regions at one origin holds a section") {
    if (!test::have_corpus()) return;
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "sizebudget-esp-script-test";
    std::filesystem::create_directories(dir);
    const std::filesystem::path script = dir / "sections.ld";
    // Not what ESP-IDF's script says: proof that the script, not the addresses, decides.
    std::ofstream(script) << "MEMORY {\n"
                             "  drom0_0_seg (R) : org = 0x3c000020, len = 0x1ffffe0\n"
                             "  extern_ram_seg (RWX) : org = 0x3c000020, len = 0x1ffffe0\n"
                             "}\n"
                             "REGION_ALIAS(\"default_rodata_seg\", drom0_0_seg);\n"
                             "SECTIONS {\n"
                             "  .flash_rodata_dummy (NOLOAD) : { . = . + 16; } > extern_ram_seg\n"
                             "  .flash.appdesc : { *(.rodata_desc) } > default_rodata_seg\n"
                             "  .flash.rodata : { *(.rodata*) } > default_rodata_seg\n"
                             "  .ext_ram.dummy (NOLOAD) : { . = . + 16; } > default_rodata_seg\n"
                             "}\n";
    ReadOptions options;
    options.linker_script = script.string();
    const LinkMap map = read_map((test::corpus_dir() / "gnu-ld" / "esp32s3-app-idfsize.map").string(), options);
    const Totals t = compute_totals(map, TotalsOptions{.symbols = false});
    CHECK(region(t, "extern_ram_seg").used == 0x20000);    // .flash_rodata_dummy only
    CHECK(region(t, "drom0_0_seg").used == 0x2ffe0);       // .ext_ram.dummy reaches furthest
    std::filesystem::remove_all(dir);
}

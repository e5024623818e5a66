// read_link_command() and overflowed_regions(): what `sizebudget link` reads of a link.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "sizebudget/link_invocation.hpp"

using namespace sizebudget;

TEST_CASE("the map, scripts, search folders and output of a compiler-driver link") {
    LinkInvocation link = read_link_command(
        {"arm-none-eabi-gcc", "-mcpu=cortex-m4", "-Wl,--gc-sections", "-T/src/fw.ld", "-Wl,-Map=/b/app.map",
         "-Lvendor", "-L", "/opt/lib", "-Wl,-L,rt", "main.o", "-o", "app.elf", "-lc"});
    REQUIRE(link.map);
    CHECK(*link.map == "/b/app.map");
    CHECK(link.scripts == std::vector<std::string>{"/src/fw.ld"});
    CHECK(link.search_dirs == std::vector<std::string>{"vendor", "/opt/lib", "rt"});
    CHECK(link.output == "app.elf");
}

TEST_CASE("the spellings of the linkers' own options") {
    LinkInvocation ld = read_link_command({"ld.lld", "-Map", "x.map", "--script=link.x", "-T", "defmt.x",
                                           "--library-path=a", "-Ttext=0x8000", "-Xlinker", "-Lb", "-ofw.elf"});
    REQUIRE(ld.map);
    CHECK(*ld.map == "x.map");
    // -Ttext=ADDR sets an address; it names no script.
    CHECK(ld.scripts == std::vector<std::string>{"link.x", "defmt.x"});
    CHECK(ld.search_dirs == std::vector<std::string>{"a", "b"});
    CHECK(ld.output == "fw.elf");
    CHECK(*read_link_command({"gcc", "-Wl,-Map,out/fw.map"}).map == "out/fw.map");
    CHECK(*read_link_command({"ld", "--Map=fw.map"}).map == "fw.map");
    CHECK_FALSE(read_link_command({"gcc", "main.o", "-o", "fw.elf"}).map);
}

TEST_CASE("response files are read for the map and scripts") {
    auto dir = std::filesystem::temp_directory_path() / "sizebudget-link-invocation-test";
    std::filesystem::create_directories(dir);
    auto rsp = dir / "link.rsp";
    std::ofstream(rsp) << "main.o \"-Wl,-Map=with space/app.map\"\n-T 'fw.ld' -Lx\\ y\n";
    LinkInvocation link = read_link_command({"gcc", "@" + rsp.string(), "-o", "app.elf"});
    REQUIRE(link.map);
    CHECK(*link.map == "with space/app.map");
    CHECK(link.scripts == std::vector<std::string>{"fw.ld"});
    CHECK(link.search_dirs == std::vector<std::string>{"x y"});
    // One that cannot be read is the linker's business, not a reason to stop.
    CHECK_FALSE(read_link_command({"gcc", "@" + (dir / "missing.rsp").string()}).map);
    std::filesystem::remove_all(dir);
}

TEST_CASE("overflowed regions in GNU ld's and ld.lld's words, each once, in order") {
    CHECK(overflowed_regions(
              "/usr/bin/arm-none-eabi-ld: app.elf section `.data' will not fit in region `RAM'\n"
              "/usr/bin/arm-none-eabi-ld: app.elf section `.text' will not fit in region `FLASH'\n"
              "/usr/bin/arm-none-eabi-ld: region `RAM' overflowed by 24 bytes\n"
              "/usr/bin/arm-none-eabi-ld: region `FLASH' overflowed by 904 bytes\n"
              "collect2: error: ld returned 1 exit status\n") == std::vector<std::string>{"RAM", "FLASH"});
    CHECK(overflowed_regions("ld.lld: error: section '.text' will not fit in region 'FLASH': overflowed by 814 bytes\n"
                             "ld.lld: error: section '.data' will not fit in region 'dram0_0_seg': overflowed by 4 bytes\n") ==
          std::vector<std::string>{"FLASH", "dram0_0_seg"});
    // Other failures name no region; neither does a region that did not overflow.
    CHECK(overflowed_regions("main.c:(.text+0x2e): undefined reference to `missing_function'\n").empty());
    CHECK(overflowed_regions("note: region `FLASH' is 90% full\n").empty());
    CHECK(overflowed_regions("").empty());
}

// The readers' line scanning (src/read/line_scan.hpp) against byte-by-byte scans, and numbers
// whose leading zeros it skips.
#include <doctest/doctest.h>

#include <string>

#include "read/line_scan.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/line_reader.hpp"
#include "sizebudget/map_reader.hpp"

using namespace sizebudget;

namespace {

LinkMap parse(const std::string& text) {
    LineReader in("zeros.map", text);
    return parse_gnu_ld_map(in);
}

}  // namespace

TEST_CASE("skip_run: the first other byte, at every offset, run length and next byte") {
    for (char c : {' ', '0'})
        for (std::size_t lead = 0; lead < 9; ++lead)
            for (std::size_t run = 0; run < 27; ++run)
                for (const std::string& tail : {std::string{}, std::string("x"), std::string("\t "),
                                                std::string(1, static_cast<char>(c ^ 1)), std::string("\xff")}) {
                    const std::string s = std::string(lead, 'a') + std::string(run, c) + tail;
                    std::size_t want = lead;
                    while (want < s.size() && s[want] == c) ++want;
                    CAPTURE(lead);
                    CAPTURE(run);
                    CAPTURE(tail);
                    CHECK(skip_run(s, lead, c) == want);
                }
    CHECK(skip_blanks("", 0) == 0);
    CHECK(skip_blanks("  ", 2) == 2);
}

TEST_CASE("find_blank: the first space or tab, at every offset and name length, whatever bytes come first") {
    // Bytes just above and below ' ' and '\t', and high ones, test the word-at-a-time borrows.
    const std::string fill = std::string("\x1f!\x08\n\xff\x80\xa0\x89") + ".text.esp_x";
    for (std::size_t lead = 0; lead < 9; ++lead)
        for (std::size_t len = 0; len < 27; ++len)
            for (const std::string& tail : {std::string{}, std::string(" x"), std::string("\t"), std::string("\t ")}) {
                std::string name;
                for (std::size_t k = 0; k < len; ++k) name += fill[(k * 7 + lead) % fill.size()];
                const std::string s = std::string(lead, 'a') + name + tail;
                std::size_t want = lead;
                while (want < s.size() && s[want] != ' ' && s[want] != '\t') ++want;
                CAPTURE(lead);
                CAPTURE(len);
                CHECK(find_blank(s, lead) == want);
            }
}

TEST_CASE("hex_digits: value, end and whether it fits in 64 bits") {
    std::uint64_t v = 1;
    bool fits = false;
    CHECK(hex_digits("00000000000000000000ffffFFFFffffFFFF x", 0, v, fits) == 36);
    CHECK(v == ~std::uint64_t{0});
    CHECK(fits);
    CHECK(hex_digits("10000000000000000 ", 0, v, fits) == 17);
    CHECK_FALSE(fits);
    CHECK(hex_digits("0x1f", 2, v, fits) == 4);
    CHECK(v == 0x1f);
    CHECK(hex_digits("g", 0, v, fits) == 0);
}

TEST_CASE("numbers: leading zeros beyond sixteen digits, and seventeen significant ones") {
    auto map_with = [](std::string_view address, std::string_view size) {
        return "Memory Configuration\n\nName             Origin             Length             Attributes\n"
               "FLASH            0x0000000008000000 0x0000000000010000 xr\n"
               "*default*        0x0000000000000000 0xffffffffffffffff\n\n"
               "Linker script and memory map\n\n"
               ".text           0x08000000       0x10\n .text.a        " +
               std::string(address) + " " + std::string(size) + " a.o\nOUTPUT(fw.elf elf32-littlearm)\n";
    };
    const std::string text = map_with("0x000000000000000000000000008000000", "0x00000000000000000000010");
    LinkMap m = parse(text);
    REQUIRE(m.inputs.size() >= 1);
    CHECK(m.inputs[0].address == 0x08000000);
    CHECK(m.inputs[0].size == 0x10);
    CHECK_THROWS_WITH_AS(parse(map_with("0x08000000", "0x100000000000000010")),
                         doctest::Contains("does not fit in 64 bits"), Error);
}

// Sizes and percents as budget files write them; globs for budget keys.
#include <doctest/doctest.h>

#include "sizebudget/budget.hpp"

using namespace sizebudget;

namespace {

std::uint64_t bytes(std::string_view text) {
    std::string error;
    auto q = parse_quantity(text, error);
    INFO("text: ", text, " error: ", error);
    REQUIRE(q.has_value());
    REQUIRE_FALSE(q->is_percent());
    return q->bytes;
}

std::string error_of(std::string_view text) {
    std::string error;
    auto q = parse_quantity(text, error);
    CHECK_FALSE(q.has_value());
    return error;
}

}  // namespace

TEST_CASE("sizes: plain bytes, hex and B") {
    CHECK(bytes("0") == 0);
    CHECK(bytes("1024") == 1024);
    CHECK(bytes("0x400") == 1024);
    CHECK(bytes("0X1f") == 31);
    CHECK(bytes("512B") == 512);
    CHECK(bytes("512 B") == 512);
    CHECK(bytes("  77  ") == 77);
    CHECK(bytes("18446744073709551615") == 18446744073709551615ull);
}

TEST_CASE("sizes: K, M and G are binary in every spelling, like linker scripts") {
    for (const char* k : {"96K", "96KB", "96KiB", "96k", "96kb", "96kib", "96 KiB"}) CHECK(bytes(k) == 96 * 1024);
    for (const char* m : {"2M", "2MB", "2MiB", "2m"}) CHECK(bytes(m) == 2 * 1024 * 1024);
    CHECK(bytes("1G") == 1024ull * 1024 * 1024);
    CHECK(bytes("0x10K") == 16 * 1024);
}

TEST_CASE("sizes: decimals with a unit, rounded to the nearest byte") {
    CHECK(bytes("1.5K") == 1536);
    CHECK(bytes("0.5KiB") == 512);
    CHECK(bytes("1.25M") == 1310720);
    CHECK(bytes("1.1K") == 1126);   // 1126.4
    CHECK(bytes("1.0001K") == 1024);  // 1024.1024
    CHECK(bytes("0.0009765625K") == 1);
}

TEST_CASE("percents") {
    std::string error;
    auto q = parse_quantity("85%", error);
    REQUIRE(q);
    CHECK(q->is_percent());
    CHECK(q->percent == doctest::Approx(85.0));
    CHECK(q->text == "85%");
    q = parse_quantity("92.5 %", error);
    REQUIRE(q);
    CHECK(q->percent == doctest::Approx(92.5));
    q = parse_quantity("0%", error);
    REQUIRE(q);
    CHECK(q->percent == 0.0);
}

TEST_CASE("sizes that cannot be read say why") {
    CHECK(error_of("-1K").find("negative size '-1K'") != std::string::npos);
    CHECK(error_of("-5%").find("negative") != std::string::npos);
    CHECK(error_of("12Q").find("unknown unit 'Q'") != std::string::npos);
    CHECK(error_of("12 kilo").find("unknown unit") != std::string::npos);
    CHECK(error_of("1.5").find("whole") != std::string::npos);
    CHECK(error_of("1.5B").find("whole") != std::string::npos);
    CHECK(error_of("abc").find("cannot read 'abc' as a size") != std::string::npos);
    CHECK(error_of("").find("found nothing") != std::string::npos);
    CHECK(error_of("0x").find("cannot read") != std::string::npos);
    CHECK(error_of("1.K").find("decimal point") != std::string::npos);
    CHECK(error_of("99999999999999999999").find("too large") != std::string::npos);
    CHECK(error_of("20000000000G").find("too large") != std::string::npos);
    CHECK(error_of("1e3").find("unknown unit 'e3'") != std::string::npos);
    CHECK(error_of("x%").find("percent") != std::string::npos);
    CHECK(error_of("1.2.3%").find("percent") != std::string::npos);
    // Tiny values are refused with the true reason, never rounded into "forbidden" (0).
    CHECK(error_of("0.0000001K").find("less than half a byte; write 0 to forbid") != std::string::npos);
    CHECK(error_of("0.0000000001K").find("less than half a byte") != std::string::npos);  // past 9 decimals
    CHECK(bytes("0.0K") == 0);  // a written zero stays zero
    CHECK(error_of("0.0000000000001%").find("at most ten decimals") != std::string::npos);
    CHECK(error_of("1000%").find("at most 100%") != std::string::npos);
}

TEST_CASE("globs: *, ?, classes and escapes") {
    CHECK(glob_match("libc_nano.a", "libc_nano.a"));
    CHECK_FALSE(glob_match("libc_nano.a", "libc_nano.ab"));
    CHECK(glob_match("libmbed*.a", "libmbedtls.a"));
    CHECK(glob_match("libmbed*.a", "libmbed.a"));
    CHECK_FALSE(glob_match("libmbed*.a", "libmbedtls.so"));
    CHECK(glob_match("*", ""));
    CHECK(glob_match("*/drivers/*.o", "build/x/drivers/uart.o"));  // '*' crosses '/'
    CHECK_FALSE(glob_match("*/drivers/*.o", "drivers/uart.o"));
    CHECK(glob_match("lib?.a", "libm.a"));
    CHECK_FALSE(glob_match("lib?.a", "lib.a"));
    CHECK(glob_match("lib[cm].a", "libm.a"));
    CHECK_FALSE(glob_match("lib[cm].a", "libx.a"));
    CHECK(glob_match("lib[!cm].a", "libx.a"));
    CHECK(glob_match("lib[^cm].a", "libx.a"));
    CHECK(glob_match("v[0-9]*", "v7e-m"));
    CHECK_FALSE(glob_match("v[0-9]*", "va"));
    CHECK(glob_match("a\\*b", "a*b"));
    CHECK_FALSE(glob_match("a\\*b", "axb"));
    CHECK(glob_match("libc_nano.a(*printf*)", "libc_nano.a(lib_a-nano-svfprintf.o)"));
    // Plain text after the last '*' must end the text (checked first); tails with specials are walked.
    CHECK(glob_match("*/libdrv*.a(uart.o)", "/x/libdrv1.a(uart.o)"));
    CHECK_FALSE(glob_match("*/libdrv*.a(uart.o)", "/x/libdrv1.a(spi.o)"));
    CHECK_FALSE(glob_match("*.o", "o"));
    CHECK(glob_match("*.c?", "x.cc"));
    CHECK(glob_match("*.[ch]", "x.h"));
    CHECK(glob_match("*x\\*", "ax*"));
    CHECK_FALSE(glob_match("*x\\*", "axy"));
    CHECK(glob_match("a*b\\*", "aXb*"));
    CHECK(glob_match("[*]x", "*x"));  // the last '*' is in a class
    CHECK(glob_plain_tail("*/libdrv*.a(uart.o)") == ".a(uart.o)");
    CHECK(glob_plain_tail("[*]x").empty());
    CHECK(glob_plain_tail("*.c?").empty());
    CHECK(glob_plain_tail("uart.o").empty());
    CHECK(glob_match("*a*a*a*a*a*b", std::string(60, 'a') + "b"));
    CHECK_FALSE(glob_match("*a*a*a*a*a*b", std::string(2000, 'a')));  // no exponential backtracking
}

TEST_CASE("glob validity") {
    CHECK(glob_error("lib*.a").empty());
    CHECK(glob_error("lib[cm].a").empty());
    CHECK(glob_error("lib[]].a").empty());  // ']' first in a class is literal
    CHECK(glob_error("lib[cm.a").find("unterminated '['") != std::string::npos);
    CHECK(glob_error("abc\\").find("lone") != std::string::npos);
    CHECK(is_glob("lib*.a"));
    CHECK_FALSE(is_glob("libc_nano.a"));
}

TEST_CASE("percent_of: rounded down, never wrapped") {
    CHECK(percent_of(65536, 1.0) == 655);
    CHECK(percent_of(100, 100.0) == 100);
    CHECK(percent_of(0, 50.0) == 0);
    // A growth budget of +300% of a region near the top of 64 bits is every byte, not a wrap.
    CHECK(percent_of(~std::uint64_t{0}, 300.0) == ~std::uint64_t{0});
    CHECK(percent_of(std::uint64_t{1} << 63, 200.0) == ~std::uint64_t{0});
    CHECK(percent_of(std::uint64_t{1} << 62, 200.0) == std::uint64_t{1} << 63);
}

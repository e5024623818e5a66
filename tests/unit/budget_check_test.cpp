// check_budget() on a hand-built firmware (budget_test_support.hpp), where every figure is known:
// regions, percents, globs, first match, component sums, forbidden symbols, unmatched entries.
#include <doctest/doctest.h>

#include "budget_test_support.hpp"
#include "sizebudget/check_report.hpp"
#include "sizebudget/error.hpp"

using namespace sizebudget;
using sizebudget::test::check_text;
using sizebudget::test::find_verdict;

TEST_CASE("the sample firmware has the figures the budget tests rely on") {
    LinkMap map = test::sample_firmware();
    Totals t = compute_totals(map);
    REQUIRE(t.regions.size() == 2);
    CHECK(t.regions[0].used == 9696);
    CHECK(t.regions[1].used == 368);
}

TEST_CASE("region budgets: bytes, percent of the length, warn as percent of max") {
    CheckResult r = check_text("version: 1\nregions:\n  FLASH: { max: 9K }\n  RAM: { max: 5%, warn: 90% }\n");
    const Verdict* flash = find_verdict(r, "FLASH");
    REQUIRE(flash);
    CHECK(flash->status == VerdictStatus::exceeded);
    CHECK(flash->severity == Severity::error);
    CHECK(flash->limit == 9216);
    CHECK(flash->used == 9696);
    CHECK(flash->where.line == 3);
    CHECK(flash->where.column == 3);
    CHECK(verdict_message(*flash) == "region 'FLASH' overflowed its budget by 480 bytes (9696 B used, budget 9216 B)");
    REQUIRE(flash->contributors.size() == 2);
    CHECK(flash->contributor_kind == "section");
    CHECK(flash->contributors[0].name == ".text");
    CHECK(flash->contributors[0].bytes == 9600);
    CHECK(flash->contributors[1].name == ".data");  // its load image
    CHECK(flash->contributors[1].bytes == 96);

    const Verdict* ram = find_verdict(r, "RAM");
    REQUIRE(ram);
    CHECK(ram->limit == 409);    // 5% of 8192 = 409.6, rounded down
    CHECK(ram->warn_at == 368);  // 90% of 409 = 368.1
    CHECK(ram->status == VerdictStatus::warning);
    CHECK(ram->severity == Severity::warning);
    CHECK(r.failed());
    CHECK(r.count(Severity::error) == 1);
    CHECK(r.count(Severity::warning) == 1);

    REQUIRE(r.regions.size() == 2);
    CHECK(r.regions[0].budget == 9216u);
    CHECK(r.regions[0].status == VerdictStatus::exceeded);
    CHECK(r.regions[1].status == VerdictStatus::warning);
}

TEST_CASE("a region without max is limited by its length; below warn is ok") {
    CheckResult r = check_text("version: 1\nregions:\n  FLASH: { warn: 80% }\n  RAM: { max: 1K, warn: 512 }\n");
    const Verdict* flash = find_verdict(r, "FLASH");
    REQUIRE(flash);
    CHECK(flash->limit == 65536);
    CHECK(flash->limit_text == "100%");
    CHECK(flash->status == VerdictStatus::ok);
    CHECK(find_verdict(r, "RAM")->status == VerdictStatus::ok);  // 368 < 512
    CHECK_FALSE(r.failed());
}

TEST_CASE("warn is reached at exactly its threshold, max is exceeded only above it") {
    CheckResult r = check_text("version: 1\nregions:\n  RAM: { max: 368, warn: 368 }\n");
    CHECK(find_verdict(r, "RAM")->status == VerdictStatus::warning);
    r = check_text("version: 1\nregions:\n  RAM: { max: 367 }\n");
    CHECK(find_verdict(r, "RAM")->status == VerdictStatus::exceeded);
}

TEST_CASE("an absolute warn above a percent max is an error at the warn") {
    try {
        check_text("version: 1\nregions:\n  RAM: { max: 5%, warn: 1K }\n");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.located() == "b.yaml:3:25: warn (1K) is above max (5% of 'RAM' = 409 bytes)");
    }
}

TEST_CASE("a region the map lacks is unmatched: a warning, an error with strict") {
    CheckResult r = check_text("version: 1\nregions:\n  CCMRAM: 1K\n");
    const Verdict* v = find_verdict(r, "CCMRAM");
    REQUIRE(v);
    CHECK(v->status == VerdictStatus::unmatched);
    CHECK(v->severity == Severity::warning);
    CHECK(v->detail == "region 'CCMRAM' is not in the map (the map has FLASH, RAM)");
    CHECK_FALSE(r.failed());

    r = check_text("version: 1\nstrict: true\nregions:\n  CCMRAM: 1K\n");
    CHECK(find_verdict(r, "CCMRAM")->severity == Severity::error);
    CHECK(r.failed());
}

TEST_CASE("archive globs budget each match on its own; the first matching key wins") {
    CheckResult r = check_text(
        "version: 1\narchives:\n  libmbedtls.a: 1K\n  \"libmbed*.a\": 4K\n  \"lib*.a\": { max: 3K, warn: 75% }\n");
    const Verdict* tls = find_verdict(r, "libmbedtls.a");
    REQUIRE(tls);
    CHECK(tls->entry == "libmbedtls.a");  // not the later glob
    CHECK(tls->limit == 1024);
    CHECK(tls->status == VerdictStatus::exceeded);

    const Verdict* crypto = find_verdict(r, "libmbedcrypto.a");
    REQUIRE(crypto);
    CHECK(crypto->entry == "libmbed*.a");
    CHECK(crypto->used == 4128);
    CHECK(crypto->status == VerdictStatus::exceeded);
    CHECK(verdict_message(*crypto) ==
          "archive 'libmbedcrypto.a' (budget 'libmbed*.a') exceeds its budget by 32 B (4.03 KiB of 4 KiB)");
    REQUIRE(crypto->contributors.size() == 1);
    CHECK(crypto->contributors[0].name == "libmbedcrypto.a(aes.o)");

    const Verdict* libc = find_verdict(r, "libc_nano.a");
    REQUIRE(libc);
    CHECK(libc->entry == "lib*.a");
    CHECK(libc->used == 2320);
    CHECK(libc->status == VerdictStatus::warning);  // 2320 >= 75% of 3072 = 2304
    CHECK(verdict_message(*libc) == "archive 'libc_nano.a' (budget 'lib*.a') at 75.5% of its budget (warn at 75%)");
    // "(no archive)" is not a library: globs leave it alone.
    CHECK(find_verdict(r, std::string(no_archive_name)) == nullptr);
    CHECK(r.verdicts.size() == 3);
}

TEST_CASE("`region` counts only the bytes in that region") {
    CheckResult r = check_text("version: 1\narchives:\n  libmbedcrypto.a: { max: 16, region: RAM }\n");
    const Verdict* v = find_verdict(r, "libmbedcrypto.a", "RAM");
    REQUIRE(v);
    CHECK(v->used == 32);
    CHECK(v->status == VerdictStatus::exceeded);
    CHECK(verdict_message(*v) == "archive 'libmbedcrypto.a' exceeds its RAM budget by 16 B (32 B of 16 B)");

    r = check_text("version: 1\narchives:\n  libmbedcrypto.a: { max: 16, region: SRAM2 }\n");
    REQUIRE(r.verdicts.size() == 1);
    CHECK(r.verdicts[0].status == VerdictStatus::unmatched);
    CHECK(r.verdicts[0].detail.find("counts only region 'SRAM2', which is not in the map") != std::string::npos);
    CHECK(r.verdicts[0].where.line == 3);
    CHECK(r.verdicts[0].where.column == 39);  // at the region value
}

TEST_CASE("object globs: paths, file names, archive members") {
    CheckResult r = check_text(
        "version: 1\nobjects:\n  \"*/drivers/*.o\": 600\n  \"*/obj/app/*\": 1K\n  lib_a-printf.o: 2K\n"
        "  \"libc_nano.a(*)\": 1K\n");
    const Verdict* uart = find_verdict(r, "obj/drivers/uart.o");
    REQUIRE(uart);
    CHECK(uart->used == 768);
    CHECK(uart->status == VerdictStatus::exceeded);
    REQUIRE_FALSE(uart->contributors.empty());
    CHECK(uart->contributor_kind == "symbol");
    CHECK(uart->contributors[0].name == "uart_init");
    // "*/obj/app/*" matches the relative path obj/app/main.o as if it were rooted.
    const Verdict* main = find_verdict(r, "obj/app/main.o");
    REQUIRE(main);
    CHECK(main->entry == "*/obj/app/*");
    CHECK(main->used == 1216);
    // A member name matches archive members; "libc_nano.a(*)" takes the remaining member.
    const Verdict* printf_o = find_verdict(r, "libc_nano.a(lib_a-printf.o)");
    REQUIRE(printf_o);
    CHECK(printf_o->entry == "lib_a-printf.o");
    CHECK(printf_o->used == 2064);
    CHECK(printf_o->status == VerdictStatus::exceeded);
    CHECK(find_verdict(r, "libc_nano.a(lib_a-memcpy.o)")->entry == "libc_nano.a(*)");
}

TEST_CASE("section budgets list the objects in the section") {
    CheckResult r = check_text("version: 1\nsections:\n  .data: 64\n  \".t*\": 10K\n");
    const Verdict* data = find_verdict(r, ".data");
    REQUIRE(data);
    CHECK(data->used == 96);
    CHECK(data->status == VerdictStatus::exceeded);
    REQUIRE(data->contributors.size() == 2);
    CHECK(data->contributors[0].name == "obj/app/main.o");
    CHECK(data->contributors[1].name == "libmbedcrypto.a(aes.o)");
    CHECK(find_verdict(r, ".text")->status == VerdictStatus::ok);
}

TEST_CASE("components: sums, per-region limits, first match, (other)") {
    CheckResult r = check_text(
        "version: 1\ncomponents:\n"
        "  crypto: { archives: [\"libmbed*.a\"], max: { FLASH: 5K, RAM: 64 } }\n"
        "  app:    { objects: [\"*/app/*\"], max: 2K }\n"
        "  tls:    { archives: libmbedtls.a, max: 1 }\n"  // libmbedtls.a already belongs to crypto
        "  drivers: { objects: uart.o }\n");
    REQUIRE(r.components.size() == 5);
    const ComponentRow& crypto = r.components[0];
    CHECK(crypto.name == "crypto");
    CHECK(crypto.size == 5664);
    CHECK(crypto.regions[0] == 5664);
    CHECK(crypto.regions[1] == 32);
    CHECK(crypto.limits == std::vector<std::string>{"FLASH 5K", "RAM 64"});
    CHECK(crypto.status == VerdictStatus::exceeded);
    CHECK(r.components[1].size == 1216);
    CHECK(r.components[2].size == 0);
    CHECK(r.components[3].size == 768);
    CHECK(r.components[3].limits.empty());
    const ComponentRow& other = r.components[4];
    CHECK(other.name == "(other)");
    CHECK(other.size == 2320);  // libc_nano.a

    const Verdict* flash = find_verdict(r, "crypto", "FLASH");
    REQUIRE(flash);
    CHECK(flash->status == VerdictStatus::exceeded);
    CHECK(flash->where.line == 3);
    CHECK(flash->where.column == 46);  // the FLASH key of the per-region max
    CHECK(verdict_message(*flash) == "component 'crypto' exceeds its FLASH budget by 544 B (5.53 KiB of 5 KiB)");
    REQUIRE(flash->contributors.size() == 2);
    CHECK(flash->contributor_kind == "archive");
    CHECK(flash->contributors[0].name == "libmbedcrypto.a");
    CHECK(flash->contributors[0].bytes == 4128);
    CHECK(flash->contributors[1].name == "libmbedtls.a");
    CHECK(find_verdict(r, "crypto", "RAM")->status == VerdictStatus::ok);
    CHECK(find_verdict(r, "app")->status == VerdictStatus::ok);
    const Verdict* tls = find_verdict(r, "tls");
    REQUIRE(tls);
    CHECK(tls->status == VerdictStatus::unmatched);
}

TEST_CASE("components and everything else add up to the whole image") {
    CheckResult r = check_text("version: 1\ncomponents:\n  all: { objects: [\"*\"] }\n  none: { objects: [x.o] }\n");
    LinkMap map = test::sample_firmware();
    CHECK(r.components[0].size == compute_totals(map).allocated);
    CHECK(r.components.back().size == 0);
    CHECK(find_verdict(r, "none")->status == VerdictStatus::unmatched);
}

TEST_CASE("forbidden symbols: linked at all is an error, even at size 0; absent is fine") {
    CheckResult r = check_text("version: 1\nsymbols:\n  _printf_float: { max: 0 }\n  _dtoa_r: 0\n  memcpy: 0\n");
    const Verdict* pf = find_verdict(r, "_printf_float");
    REQUIRE(pf);
    CHECK(pf->status == VerdictStatus::forbidden);
    CHECK(pf->severity == Severity::error);
    CHECK(pf->used == 0);
    REQUIRE(pf->contributors.size() == 1);
    CHECK(pf->contributors[0].name == "libc_nano.a(lib_a-printf.o)");
    CHECK(verdict_message(*pf) ==
          "symbol '_printf_float' must not be linked (max 0), but is: 0 B, in libc_nano.a(lib_a-printf.o)");
    const Verdict* dtoa = find_verdict(r, "_dtoa_r");
    REQUIRE(dtoa);
    CHECK(dtoa->status == VerdictStatus::ok);  // not unmatched: absence is what was asked for
    CHECK(verdict_message(*dtoa) == "symbol '_dtoa_r' is not linked, as its budget requires");
    CHECK(find_verdict(r, "memcpy")->status == VerdictStatus::forbidden);
    CHECK(find_verdict(r, "memcpy")->used == 256);
}

TEST_CASE("symbol globs match mangled and demangled names") {
    CheckResult r = check_text("version: 1\nsymbols:\n  \"app::Task::*\": 64\n  \"*_init\": 1K\n");
    // Verdicts name symbols as people read them.
    const Verdict* run = find_verdict(r, "app::Task::run()");
    REQUIRE(run);
    CHECK(run->entry == "app::Task::*");
    CHECK(run->used == 128);
    CHECK(run->status == VerdictStatus::exceeded);
    CHECK(find_verdict(r, "uart_init")->status == VerdictStatus::ok);
}

TEST_CASE("entries that match nothing, or only what earlier entries took") {
    CheckResult r = check_text("version: 1\nobjects:\n  \"*.o\": 10K\n  main.o: 1K\narchives:\n  libfoo.a: 1K\n");
    const Verdict* shadowed = find_verdict(r, "main.o");
    REQUIRE(shadowed);
    CHECK(shadowed->status == VerdictStatus::unmatched);
    CHECK(shadowed->detail ==
          "objects entry 'main.o' matches only objects already budgeted by the earlier entry '*.o' (line 3); the "
          "first matching entry wins");
    const Verdict* foo = find_verdict(r, "libfoo.a");
    REQUIRE(foo);
    CHECK(foo->detail == "archives entry 'libfoo.a' matches no archive in the map");
    CHECK(foo->severity == Severity::warning);
    CHECK_FALSE(r.failed());
}

TEST_CASE("verdicts come in budget file order") {
    CheckResult r = check_text("version: 1\nsymbols:\n  memcpy: 1K\nregions:\n  RAM: 1K\narchives:\n  \"*\": 8K\n");
    REQUIRE(r.verdicts.size() >= 3);
    for (std::size_t i = 1; i < r.verdicts.size(); ++i)
        CHECK(r.verdicts[i - 1].where.line <= r.verdicts[i].where.line);
    CHECK(r.verdicts[0].kind == EntryKind::symbol);
}

TEST_CASE("regions declared in the budget are checked against the map's own") {
    CheckResult r = check_text("version: 1\nregions:\n  RAM: { origin: 0x20000000, length: 16K, max: 1K }\n");
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].where.line == 3);
    CHECK(r.notes[0].message.find("the map has origin 0x20000000 and length 8192") != std::string::npos);
    r = check_text("version: 1\nregions:\n  RAM: { origin: 0x20000000, length: 8K, max: 1K }\n");
    CHECK(r.notes.empty());
}

TEST_CASE("a declared region gives a map without regions its region") {
    LinkMap map = test::sample_firmware();
    BudgetFile budget = parse_budget("version: 1\nregions:\n  CCM: { origin: 0x10000000, length: 64K, max: 1K }\n", "b.yaml");
    // What read_map does with ReadOptions::extra_regions:
    auto declared = budget.declared_regions();
    REQUIRE(declared.size() == 1);
    map.regions.push_back({map.intern(declared[0].name), declared[0].origin, declared[0].length, {}});
    CheckResult r = check_budget(budget, map, compute_totals(map));
    const Verdict* ccm = find_verdict(r, "CCM");
    REQUIRE(ccm);
    CHECK(ccm->status == VerdictStatus::ok);
    CHECK(ccm->used == 0);
}

TEST_CASE("check_budget is a pure function of its inputs") {
    LinkMap map = test::sample_firmware();
    Totals totals = compute_totals(map);
    BudgetFile budget = parse_budget("version: 1\nregions:\n  FLASH: 9K\narchives:\n  \"*\": 2K\n", "b.yaml");
    CheckResult a = check_budget(budget, map, totals);
    CheckResult b = check_budget(budget, map, totals);
    CHECK(check_json_report(a) == check_json_report(b));
    CHECK(check_text_report(a) == check_text_report(b));
}

TEST_CASE("a forbidden archive limited to one region: absent is fine, present fails") {
    CheckResult r = check_text("version: 1\narchives:\n  libfoo.a: { max: 0, region: FLASH }\n"
                               "  libmbedcrypto.a: { max: 0, region: RAM }\n");
    const Verdict* foo = find_verdict(r, "libfoo.a", "FLASH");
    REQUIRE(foo);
    CHECK(foo->status == VerdictStatus::ok);
    CHECK(verdict_message(*foo) == "archive 'libfoo.a' has no bytes in FLASH, as its budget requires");
    const Verdict* crypto = find_verdict(r, "libmbedcrypto.a", "RAM");
    REQUIRE(crypto);
    CHECK(crypto->status == VerdictStatus::exceeded);
    CHECK(crypto->used == 32);
}

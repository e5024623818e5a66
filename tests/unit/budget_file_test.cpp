// Loading and validating budget files: the accepted format and every validation error, each with
// its message and the line and column it points at.
#include <doctest/doctest.h>

#include <filesystem>
#include <optional>

#include "budget_test_support.hpp"
#include "sizebudget/budget.hpp"
#include "sizebudget/error.hpp"
#include "test_support.hpp"

using namespace sizebudget;
using test::check_error;
using test::error_of;

namespace {

const BudgetEntry& entry(const BudgetFile& b, EntryKind kind, std::string_view key) {
    for (const BudgetEntry& e : b.entries)
        if (e.kind == kind && e.key == key) return e;
    FAIL("no entry ", key);
    return b.entries.front();
}

constexpr std::string_view issue_example = R"(# budgets/example.yaml
version: 1
regions:
  FLASH:  { max: 96K, warn: 90% }     # warn when 90% of max is reached
  RAM:    { max: 85% }                # percent of the region's length
  CCMRAM: { origin: 0x10000000, length: 64K, max: 32K }   # a region declared here (for lld maps)
sections:
  .data: { max: 2K }
archives:
  libc_nano.a:      { max: 12K }
  "libmbedtls*.a":  { max: 48K, region: FLASH }   # glob; `region` limits which bytes count
objects:
  "*/drivers/*.o":  { max: 16K }
components:                                      # named groups, budgeted on their sum
  crypto: { archives: ["libmbed*.a"], max: { FLASH: 60K, RAM: 6K } }
  app:    { objects: ["*/app/*"], max: { FLASH: 20K } }
symbols:
  _printf_float: { max: 0 }                      # forbid: must not be linked at all
)";

}  // namespace

TEST_CASE("the issue's example budget loads with every field") {
    BudgetFile b = parse_budget(issue_example, "budgets/example.yaml");
    CHECK(b.version == 1);
    CHECK_FALSE(b.strict);
    CHECK(b.entries.size() == 10);

    const BudgetEntry& flash = entry(b, EntryKind::region, "FLASH");
    CHECK(flash.where.line == 4);
    CHECK(flash.where.column == 3);
    REQUIRE(flash.max);
    CHECK(flash.max->bytes == 96 * 1024);
    REQUIRE(flash.warn);
    CHECK(flash.warn->is_percent());
    CHECK(flash.warn->percent == doctest::Approx(90));

    const BudgetEntry& ram = entry(b, EntryKind::region, "RAM");
    REQUIRE(ram.max);
    CHECK(ram.max->is_percent());
    CHECK(ram.max->text == "85%");

    const BudgetEntry& ccm = entry(b, EntryKind::region, "CCMRAM");
    CHECK(ccm.origin == 0x10000000u);
    CHECK(ccm.length == 64u * 1024);
    auto declared = b.declared_regions();
    REQUIRE(declared.size() == 1);
    CHECK(declared[0].name == "CCMRAM");
    CHECK(declared[0].origin == 0x10000000u);
    CHECK(declared[0].length == 65536u);

    const BudgetEntry& tls = entry(b, EntryKind::archive, "libmbedtls*.a");
    CHECK(tls.region == "FLASH");
    CHECK(tls.max->bytes == 48 * 1024);

    const BudgetEntry& crypto = entry(b, EntryKind::component, "crypto");
    REQUIRE(crypto.archives.size() == 1);
    CHECK(crypto.archives[0].glob == "libmbed*.a");
    REQUIRE(crypto.max_per_region.size() == 2);
    CHECK(crypto.max_per_region[0].region == "FLASH");
    CHECK(crypto.max_per_region[0].max.bytes == 60 * 1024);
    CHECK(crypto.max_per_region[1].region == "RAM");
    CHECK(crypto.max_per_region[1].max.where.line == 15);
    CHECK(entry(b, EntryKind::component, "app").objects[0].glob == "*/app/*");

    const BudgetEntry& pf = entry(b, EntryKind::symbol, "_printf_float");
    CHECK(pf.forbids());
    CHECK(entry(b, EntryKind::object, "*/drivers/*.o").max->bytes == 16 * 1024);
    CHECK(entry(b, EntryKind::section, ".data").max->bytes == 2048);
}

TEST_CASE("shorthand entries, single globs, strict and empty sections") {
    BudgetFile b = parse_budget("version: 1\nstrict: true\narchives:\n  libc.a: 12K\n  \"*\": 0x100\n"
                                "components:\n  c: { objects: \"*.o\" }\nsymbols:\nsections: ~\n",
                                "b.yaml");
    CHECK(b.strict);
    REQUIRE(b.entries.size() == 3);
    CHECK(b.entries[0].max->bytes == 12 * 1024);
    CHECK(b.entries[1].max->bytes == 256);
    CHECK(b.entries[2].objects.size() == 1);
    CHECK_FALSE(b.entries[2].max);  // a component without max is listed, not budgeted
}

TEST_CASE("YAML syntax errors carry the position") {
    // An unclosed '{' or '[' is reported where it opens, not where yaml-cpp notices it.
    check_error("version: 1\nregions: { FLASH: [1K\n", "b.yaml:2:19", "YAML syntax error: this '[' is never closed: a ']' is missing");
    check_error("version: 1\nregions:\n  FLASH: { max: 1K\n  RAM: 2K\n", "b.yaml:3:10",
                "YAML syntax error: this '{' is never closed: a '}' is missing");
    check_error("version: 1\nregions:\n  FLASH: { max: 1K }\n  RAM: { max: 2K }\n  CCM: { max: 1K\n\narchives:\n  a.a: 1K\n",
                "b.yaml:5:8", "this '{' is never closed");
    // Braces in quotes and comments are not counted.
    check_error("version: 1\narchives:\n  \"lib{x}.a\": 1K  # {\n  b.a: { max: 1K\n  c.a: 2K\n", "b.yaml:4:8",
                "this '{' is never closed");
    check_error("version: 1\narchives:\n  a: 1K\n b: 2K\n", "b.yaml:4:2", "YAML syntax error: end of map not found");
    // A tab in an indentation is named as such.
    check_error("version: 1\nregions:\n\tFLASH: 1K\n", "b.yaml:3:1", "a tab in the indentation: YAML indents with spaces only");
    check_error("version: 1\nregions:\n  FLASH: 1K\n  \tRAM: 1K\n", "b.yaml:4:3", "a tab in the indentation");
}

TEST_CASE("a size with a decimal comma says so, not 'unknown key'") {
    check_error("version: 1\nregions:\n  FLASH: { max: 1,5K }\n", "b.yaml:3:17",
                "malformed size '1,5K' for 'max': a size has no ','");
}

TEST_CASE("unknown keys, with a suggestion when one is close") {
    check_error("version: 1\nregoins:\n  FLASH: 1K\n", "b.yaml:2:1",
                "unknown key 'regoins' at the top level (did you mean 'regions'?)");
    check_error("version: 1\narchives:\n  libc.a: { maxx: 1K }\n", "b.yaml:3:13",
                "unknown key 'maxx' in archive 'libc.a' (did you mean 'max'?)");
    check_error("version: 1\nregions:\n  FLASH: { max: 1K, wran: 90% }\n", "b.yaml:3:21", "(did you mean 'warn'?)");
    check_error("version: 1\ncomponents:\n  c: { archive: [a], max: 1K }\n", "b.yaml:3:8",
                "unknown key 'archive' in component 'c' (did you mean 'archives'?)");
    check_error("version: 1\nregions:\n  FLASH: { max: 1K, region: RAM }\n", "b.yaml:3:21",
                "unknown key 'region' in region 'FLASH'");
    check_error("version: 1\nbudgets:\n  FLASH: 1K\n", "b.yaml:2:1",
                "unknown key 'budgets' at the top level (known keys: version, strict, regions, memories, sections, "
                "archives, objects, crates, components, symbols, growth)");
    check_error("version: 1\ngrowth:\n  FLASH: 1K\n", "b.yaml:3:3", "unknown key 'FLASH' in `growth`");
}

TEST_CASE("wrong types") {
    check_error("version: 1\nregions: [FLASH]\n", "b.yaml:2:10", "`regions` must be a mapping");
    check_error("version: 1\narchives:\n  libc.a: [1K]\n", "b.yaml:3:11", "needs a budget such as");
    check_error("version: 1\narchives:\n  libc.a: { max: [1K] }\n", "b.yaml:3:18", "must be a size");
    check_error("version: 1\nstrict: yes\n", "b.yaml:2:9", "`strict` must be true or false, not 'yes'");
    check_error("version: 1\ncomponents:\n  c: { archives: { a: b } }\n", "b.yaml:3:18", "must be a list of globs");
    check_error("version: 1\ncomponents:\n  c: { archives: [[a]] }\n", "b.yaml:3:19", "must list globs");
    check_error("version: 1\ncomponents:\n  c: 12K\n", "b.yaml:3:6", "component 'c' needs a mapping");
    check_error("version: 1\narchives:\n  libc.a: { max: 1K, region: [FLASH] }\n", "b.yaml:3:30",
                "`region` must be a name");
    check_error("version: 1\nregions:\n  FLASH: { max: { RAM: 1K } }\n", "b.yaml:3:17",
                "the max of region 'FLASH' is one size or percent, not a mapping");
    check_error("version: [1]\n", "b.yaml:1:10", "`version` must be the number 1");
    check_error("- a\n- b\n", "b.yaml:1:1", "a budget file is a mapping");
    check_error("version: 1\nregions:\n  FLASH:\n", "b.yaml:3:3", "region 'FLASH' needs a budget");
}

TEST_CASE("unparseable and negative sizes point at the value") {
    check_error("version: 1\narchives:\n  libc.a: { max: 12Q }\n", "b.yaml:3:18",
                "the max of archive 'libc.a': cannot read '12Q' as a size: unknown unit 'Q'");
    check_error("version: 1\narchives:\n  libc.a: { max: -1K }\n", "b.yaml:3:18", "negative size '-1K'");
    check_error("version: 1\nregions:\n  FLASH: { max: 1K, warn: -5% }\n", "b.yaml:3:27", "negative size");
    check_error("version: 1\nregions:\n  FLASH: { origin: 0x0, length: lots }\n", "b.yaml:3:33",
                "cannot read 'lots'");
    check_error("version: 1\nsymbols:\n  foo: 1.5\n", "b.yaml:3:8", "whole");
}

TEST_CASE("warn above max") {
    check_error("version: 1\narchives:\n  libc.a: { max: 10K, warn: 12K }\n", "b.yaml:3:29",
                "warn (12K) is above max (10K)");
    check_error("version: 1\nregions:\n  FLASH: { max: 10K, warn: 120% }\n", "b.yaml:3:28",
                "warn at 120% of max is above max");
    check_error("version: 1\nregions:\n  FLASH: { origin: 0, length: 4K, warn: 5K }\n", "b.yaml:3:41",
                "warn (5K) is above the length of region 'FLASH'");
    check_error("version: 1\ncomponents:\n  c: { objects: [a], max: { FLASH: 2K }, warn: 1K }\n", "b.yaml:3:48",
                "with a per-region max, the warn of component 'c' must be a percent");
    check_error("version: 1\ncomponents:\n  c: { objects: [a], warn: 90% }\n", "b.yaml:3:28",
                "has `warn` but no `max`");
}

TEST_CASE("percents only where they mean something") {
    check_error("version: 1\narchives:\n  libc.a: { max: 50% }\n", "b.yaml:3:18",
                "a percent means nothing as the max of an archive");
    check_error("version: 1\nsymbols:\n  foo: 10%\n", "b.yaml:3:8", "a percent means nothing as the max of a symbol");
    check_error("version: 1\ncomponents:\n  c: { objects: [a], max: { FLASH: 10% } }\n", "b.yaml:3:36",
                "a percent means nothing in a per-region max");
    check_error("version: 1\nregions:\n  FLASH: { origin: 10%, length: 1K }\n", "b.yaml:3:20",
                "the origin of region 'FLASH' is an address, not a percent");
    check_error("version: 1\nregions:\n  FLASH: { max: 110% }\n", "b.yaml:3:17", "above 100% means nothing");
    // Where they do mean something:
    BudgetFile b = parse_budget("version: 1\nregions:\n  RAM: 85%\narchives:\n  a: { max: 1K, warn: 80% }\n", "b.yaml");
    CHECK(b.entries[0].max->is_percent());
    CHECK(b.entries[1].warn->is_percent());
}

TEST_CASE("duplicate keys are errors, at every level") {
    check_error("version: 1\nregions:\n  FLASH: 1K\n  RAM: 1K\n  FLASH: 2K\n", "b.yaml:5:3",
                "duplicate key 'FLASH' (first at line 3)");
    check_error("version: 1\narchives:\n  a: 1K\narchives:\n  b: 1K\n", "b.yaml:4:1", "duplicate key 'archives'");
    check_error("version: 1\narchives:\n  a: { max: 1K, max: 2K }\n", "b.yaml:3:17", "duplicate key 'max'");
    check_error("version: 1\narchives:\n  \"a\": 1K\n  a: 2K\n", "b.yaml:4:3", "duplicate key 'a'");
}

TEST_CASE("the version must be one this tool knows") {
    check_error("version: 2\nregions:\n  FLASH: 1K\n", "b.yaml:1:10",
                "unsupported budget file version '2': this sizebudget reads version 1");
    check_error("version: 1.0\n", "b.yaml:1:10", "unsupported budget file version '1.0'");
    check_error("regions:\n  FLASH: 1K\n", "b.yaml:1:1", "missing `version: 1`");
}

TEST_CASE("empty budget files") {
    CHECK(error_of("") == "b.yaml: the budget file is empty: it needs at least `version: 1` and one budget");
    CHECK(error_of("# nothing but a comment\n\n").find("the budget file is empty") != std::string::npos);
    CHECK(error_of("---\n").find("the budget file is empty") != std::string::npos);
    CHECK(error_of("~\n").find("the budget file is empty") != std::string::npos);
}

TEST_CASE("anchors, aliases, nesting and documents are bounded") {
    check_error("version: 1\narchives:\n  a: &x { max: 1K }\n  b: *x\n", "b.yaml:3:6", "anchors (&name)");
    check_error("version: 1\nobjects:\n  */drivers/*.o: 1K\n", "b.yaml:3:3",
                "a glob that starts with '*' must be quoted");
    std::string deep = "version: 1\nx: " + std::string(200, '[') + std::string(200, ']') + "\n";
    check_error(deep, "b.yaml:2:35", "nested more than 32 levels deep");
    // A "billion laughs" document never expands: its first alias is refused.
    check_error("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "b.yaml:1:4", "not supported");
    check_error("version: 1\n---\nversion: 1\n", "b.yaml:2:1", "a second YAML document");
    std::string huge(max_budget_file_size + 1, '#');
    CHECK(error_of(huge).find("larger than 4 MiB") != std::string::npos);
}

TEST_CASE("structural rules of entries") {
    check_error("version: 1\nregions:\n  CCM: { origin: 0x10000000 }\n", "b.yaml:3:10",
                "region 'CCM' has an origin but no length");
    check_error("version: 1\nregions:\n  CCM: { length: 64K }\n", "b.yaml:3:10", "has a length but no origin");
    check_error("version: 1\nregions:\n  CCM: { origin: 0, length: 0 }\n", "b.yaml:3:29", "must be above 0");
    check_error("version: 1\ncomponents:\n  c: { max: 1K }\n", "b.yaml:3:3", "component 'c' needs `archives:`, `objects:`, `crates:` or `symbols:`");
    check_error("version: 1\narchives:\n  libc.a: { warn: 1K }\n", "b.yaml:3:3", "archive 'libc.a' has no `max`");
    check_error("version: 1\ncomponents:\n  c: { objects: [a], region: FLASH, max: { RAM: 1K } }\n", "b.yaml:3:30",
                "has both `region` and a per-region max");
    check_error("version: 1\ncomponents:\n  c: { objects: [a], max: {} }\n", "b.yaml:3:27", "lists no region");
    check_error("version: 1\narchives:\n  \"lib[c.a\": 1K\n", "b.yaml:3:3", "bad glob 'lib[c.a': unterminated '['");
    check_error("version: 1\narchives:\n  \"\": 1K\n", "b.yaml:3:3", "empty name or glob");
    check_error("version: 1\ncomponents:\n  c: { objects: [\"\"] }\n", "b.yaml:3:18", "empty name or glob");
    check_error("version: 1\ncomponents:\n  (other): { objects: [a] }\n", "b.yaml:3:3", "'(other)' is reserved");
}

TEST_CASE("load_budget reads files and reports unreadable ones") {
    auto missing = test::source_dir() / "budgets" / "no-such-budget.yaml";
    try {
        load_budget(missing.string());
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.file() == missing.string());
        CHECK(std::string(e.what()).find("cannot read the budget file") != std::string::npos);
    }
    // Every example shipped in budgets/ loads.
    int examples = 0;
    for (const auto& f : std::filesystem::directory_iterator(test::source_dir() / "budgets")) {
        if (f.path().extension() != ".yaml") continue;
        ++examples;
        INFO(f.path().string());
        BudgetFile b = load_budget(f.path().string());
        CHECK_FALSE(b.entries.empty());
        CHECK(test::read_file(f.path()).starts_with("# yaml-language-server: $schema="));
    }
    CHECK(examples >= 3);
}

TEST_CASE("messages never carry control characters or broken UTF-8 from the budget") {
    // "\x01" in a double-quoted YAML key is a real control character.
    check_error("version: 1\narchives:\n  \"a\\x01b\": { maxx: 1K }\n", "b.yaml:3:15",
                "unknown key 'maxx' in archive 'a\\x01b'");
    check_error("version: 1\nregions:\n  \"FL\\u00c4SH\": { maxx: 1K }\n", "b.yaml:3:19", "in region 'FLÄSH'");
    std::string binary = "version: 1\nregions:\n  FLASH: \"\xff\xfe\x80\"\n";
    std::string got = error_of(binary);
    CHECK(got.find("\\xff\\xfe\\x80") != std::string::npos);
    for (char c : got) CHECK(static_cast<unsigned char>(c) >= 0x20);
}

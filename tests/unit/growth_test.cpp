// Growth budgets: the `growth:` section of the budget file (loading and validation) and
// check_growth() against hand-made baseline and current snapshots.
#include <doctest/doctest.h>

#include "budget_test_support.hpp"
#include "sizebudget/budget.hpp"
#include "sizebudget/check_report.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/growth_check.hpp"

using namespace sizebudget;
using test::check_error;
using test::error_of;

namespace {

// A snapshot with FLASH and RAM: objects main.o (FLASH/RAM bytes given) and libc.a(printf.o).
Snapshot snapshot(std::uint64_t main_flash, std::uint64_t main_ram, std::uint64_t printf_flash) {
    Snapshot s;
    s.map = "fw.map";
    s.format = "gnu-ld";
    Totals& t = s.totals;
    t.regions = {{"FLASH", 0x08000000, 0x40000, main_flash + printf_flash, main_flash + printf_flash, {}},
                 {"RAM", 0x20000000, 0x10000, main_ram, main_ram, {}}};
    t.sections = {{".text", "", main_flash + printf_flash, {main_flash + printf_flash, 0}},
                  {".bss", "", main_ram, {0, main_ram}}};
    t.archives = {{"libc.a", "/lib/libc.a", printf_flash, {printf_flash, 0}},
                  {no_archive_name, "", main_flash + main_ram, {main_flash, main_ram}}};
    t.objects = {{"libc.a(printf.o)", "/lib/libc.a(printf.o)", printf_flash, {printf_flash, 0}},
                 {"main.o", "obj/main.o", main_flash + main_ram, {main_flash, main_ram}}};
    t.allocated = main_flash + main_ram + printf_flash;
    return s;
}

const Verdict& verdict(const CheckResult& r, EntryKind kind, std::string_view item) {
    for (const Verdict& v : r.verdicts)
        if (v.rule == Rule::growth && v.kind == kind && v.item == item) return v;
    FAIL("no growth verdict for ", item);
    return r.verdicts.front();
}

constexpr std::string_view budget_text = R"(version: 1
components:
  app: { objects: ["main.o"] }
growth:
  regions: { FLASH: 512, RAM: 10% }
  archives: { "*": 1K }
  components: { app: 5% }
  total: 1K
)";

}  // namespace

TEST_CASE("growth: the section is read with locations, sizes and percents") {
    BudgetFile b = parse_budget(budget_text, "b.yaml");
    CHECK(b.has_growth);
    CHECK(b.growth_where.line == 4);
    REQUIRE(b.growth.size() == 5);
    CHECK(b.growth[0].kind == GrowthKind::region);
    CHECK(b.growth[0].key == "FLASH");
    CHECK(b.growth[0].max.bytes == 512);
    CHECK(b.growth[0].where.line == 5);
    CHECK(b.growth[0].where.column == 14);
    CHECK(b.growth[1].max.is_percent());
    CHECK(b.growth[1].max.percent == 10.0);
    CHECK(b.growth[2].kind == GrowthKind::archive);
    CHECK(b.growth[2].key == "*");
    CHECK(b.growth[2].max.bytes == 1024);
    CHECK(b.growth[3].kind == GrowthKind::component);
    CHECK(b.growth[4].kind == GrowthKind::total);
    CHECK(b.growth[4].max.bytes == 1024);
    CHECK(!parse_budget("version: 1\nregions: { FLASH: 10K }\n", "b.yaml").has_growth);
    CHECK(parse_budget("version: 1\ngrowth:\n", "b.yaml").has_growth);
}

TEST_CASE("growth: validation errors point at the line and column") {
    check_error("version: 1\ngrowth:\n  region: { FLASH: 1K }\n", "b.yaml:3:3",
                "unknown key 'region' in `growth` (did you mean 'regions'?)");
    check_error("version: 1\ngrowth:\n  totl: 1K\n", "b.yaml:3:3", "(did you mean 'total'?)");
    check_error("version: 1\ngrowth: 1K\n", "b.yaml:2:9", "`growth` must be a mapping");
    check_error("version: 1\ngrowth:\n  regions: [FLASH]\n", "b.yaml:3:12", "`growth: regions` must be a mapping");
    check_error("version: 1\ngrowth:\n  regions: { FLASH: lots }\n", "b.yaml:3:21",
                "the growth budget of region 'FLASH'");
    check_error("version: 1\ngrowth:\n  regions: { FLASH: -1 }\n", "b.yaml:3:21", "growth budget of region 'FLASH'");
    check_error("version: 1\ngrowth:\n  total: { max: 1K }\n", "b.yaml:3:10",
                "the growth budget `total` is one size (512, 1K) or a percent of the baseline");
    check_error("version: 1\ngrowth:\n  regions: { FLASH: 1K, FLASH: 2K }\n", "b.yaml:3:25", "duplicate key 'FLASH'");
    check_error("version: 1\ngrowth:\n  archives: { \"[a\": 1K }\n", "b.yaml:3:15", "bad glob '[a'");
    check_error("version: 1\ngrowth:\n  components: { crypto: 2% }\n", "b.yaml:3:17",
                "growth of component 'crypto': no such component in `components:`");
    check_error("version: 1\ngrowht:\n  total: 1K\n", "b.yaml:2:1", "(did you mean 'growth'?)");
}

TEST_CASE("growth: within budget passes, with the figures in the verdicts") {
    BudgetFile b = parse_budget(budget_text, "b.yaml");
    CheckResult r;
    r.budget_path = "b.yaml";
    check_growth(b, snapshot(4000, 1000, 2000), snapshot(4100, 1050, 2000), r);
    CHECK(!r.failed());
    const Verdict& flash = verdict(r, EntryKind::region, "FLASH");
    CHECK(flash.baseline == 6000);
    CHECK(flash.used == 6100);
    CHECK(flash.growth == 100);
    CHECK(flash.limit == 512);
    CHECK(flash.status == VerdictStatus::ok);
    CHECK(verdict(r, EntryKind::region, "RAM").limit == 100);  // 10% of the baseline's 1000
    CHECK(verdict(r, EntryKind::archive, "libc.a").growth == 0);
    CHECK(verdict(r, EntryKind::component, "app").limit == 250);  // 5% of 5000
    CHECK(verdict(r, EntryKind::component, "app").growth == 150);
    CHECK(verdict(r, EntryKind::region, growth_total_name).growth == 150);
    CHECK(verdict_message(flash) ==
          "region 'FLASH' grew by 100 bytes against the baseline, within its growth budget (budget +512 B; "
          "6000 B -> 6100 B)");
}

TEST_CASE("growth: an exceeded growth budget fails and names the contributors") {
    BudgetFile b = parse_budget(budget_text, "b.yaml");
    CheckResult r;
    check_growth(b, snapshot(4000, 1000, 2000), snapshot(4000, 1000, 3500), r);
    CHECK(r.failed());
    const Verdict& flash = verdict(r, EntryKind::region, "FLASH");
    CHECK(flash.status == VerdictStatus::exceeded);
    CHECK(flash.severity == Severity::error);
    CHECK(verdict_message(flash) == "region 'FLASH' grew by 1500 bytes against the baseline (budget +512 B; "
                                    "6000 B -> 7500 B)");
    REQUIRE(flash.contributors.size() == 1);
    CHECK(flash.contributors[0].name == "libc.a(printf.o)");
    CHECK(flash.contributors[0].bytes == 1500);
    CHECK(contributors_heading(flash) == "objects that grew most in region 'FLASH'");
    const Verdict& libc = verdict(r, EntryKind::archive, "libc.a");
    CHECK(libc.status == VerdictStatus::exceeded);
    REQUIRE(libc.contributors.size() == 1);
    CHECK(libc.contributors[0].name == "libc.a(printf.o)");
    const Verdict& total = verdict(r, EntryKind::region, growth_total_name);
    CHECK(total.status == VerdictStatus::exceeded);
    CHECK(verdict_message(total).starts_with("all allocated bytes grew by 1500 bytes"));
    CHECK(verdict(r, EntryKind::component, "app").status == VerdictStatus::ok);
    // Verdicts stay in budget-line order.
    for (std::size_t i = 1; i < r.verdicts.size(); ++i) CHECK(r.verdicts[i - 1].where.line <= r.verdicts[i].where.line);
    // Shrinking is always within a growth budget.
    CheckResult shrunk;
    check_growth(b, snapshot(4000, 1000, 3500), snapshot(4000, 1000, 2000), shrunk);
    CHECK(!shrunk.failed());
    CHECK(verdict(shrunk, EntryKind::region, "FLASH").growth == -1500);
}

TEST_CASE("growth: entries that name nothing are unmatched (errors when strict)") {
    BudgetFile b = parse_budget("version: 1\ngrowth:\n  regions: { CCM: 1K }\n  archives: { \"libx*.a\": 1K }\n",
                                "b.yaml");
    CheckResult r;
    check_growth(b, snapshot(1, 1, 1), snapshot(1, 1, 1), r);
    REQUIRE(r.verdicts.size() == 2);
    CHECK(r.verdicts[0].status == VerdictStatus::unmatched);
    CHECK(r.verdicts[0].severity == Severity::warning);
    CHECK(verdict_message(r.verdicts[0]).find("region 'CCM'") != std::string::npos);
    CHECK(r.verdicts[1].status == VerdictStatus::unmatched);
    b.strict = true;
    CheckResult strict;
    check_growth(b, snapshot(1, 1, 1), snapshot(1, 1, 1), strict);
    CHECK(strict.failed());
}

TEST_CASE("growth: every report format carries growth verdicts") {
    BudgetFile b = parse_budget(budget_text, "b.yaml");
    CheckResult r;
    r.budget_path = "b.yaml";
    r.map_path = "fw.map";
    check_growth(b, snapshot(4000, 1000, 2000), snapshot(4000, 1000, 3500), r);
    CHECK(check_text_report(r).find("b.yaml:5:14: error: region 'FLASH' grew by 1500 bytes") != std::string::npos);
    CHECK(check_json_report(r).find("\"rule\": \"growth\"") != std::string::npos);
    CHECK(check_junit_report(r).find("<testsuite name=\"budget growth\"") != std::string::npos);
    CHECK(check_markdown_report(r).find("### Growth against the baseline") != std::string::npos);
    CHECK(check_github_report(r).find("::error file=b.yaml,line=5,col=14,title=size growth%3A region FLASH::") !=
          std::string::npos);
}

// The check report writers: the message wording, tables, and each format's escaping.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "budget_test_support.hpp"
#include "sizebudget/check_report.hpp"

using namespace sizebudget;
using sizebudget::test::check_text;

namespace {

Verdict verdict(EntryKind kind, std::string item, std::uint64_t used, std::uint64_t limit, VerdictStatus status) {
    Verdict v;
    v.kind = kind;
    v.entry = item;
    v.item = std::move(item);
    v.used = used;
    v.limit = limit;
    v.status = status;
    v.severity = status == VerdictStatus::warning ? Severity::warning : Severity::error;
    return v;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// Cells of a Markdown table row: '|' not preceded by a backslash separate them.
std::size_t cells(const std::string& row) {
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < row.size(); ++i)
        if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++pipes;
    return pipes - 1;
}

constexpr std::string_view failing_budget =
    "version: 1\n"
    "regions:\n"
    "  FLASH: { max: 9K }\n"
    "  RAM: { max: 5%, warn: 90% }\n"
    "archives:\n"
    "  \"libmbed*.a\": 4K\n"
    "components:\n"
    "  crypto: { archives: [\"libmbed*.a\"], max: { FLASH: 5K } }\n"
    "symbols:\n"
    "  _printf_float: 0\n";

}  // namespace

TEST_CASE("messages read like the issue's examples") {
    Verdict flash = verdict(EntryKind::region, "FLASH", 22504, 20480, VerdictStatus::exceeded);
    CHECK(verdict_message(flash) == "region 'FLASH' overflowed its budget by 2024 bytes (22504 B used, budget 20480 B)");
    Verdict libc = verdict(EntryKind::archive, "libc_nano.a", 13517, 12288, VerdictStatus::exceeded);
    CHECK(verdict_message(libc) == "archive 'libc_nano.a' exceeds its budget by 1.2 KiB (13.2 KiB of 12 KiB)");
    Verdict warn = verdict(EntryKind::region, "FLASH", 931, 1000, VerdictStatus::warning);
    warn.warn_at = 900;
    warn.warn_text = "90%";
    CHECK(verdict_message(warn) == "region 'FLASH' at 93.1% of its budget (warn at 90%)");
    warn.warn_text = "880";
    warn.warn_at = 880;
    CHECK(verdict_message(warn) == "region 'FLASH' at 93.1% of its budget (warn at 880 B)");
}

TEST_CASE("short sizes and percents drop trailing zeros") {
    CHECK(short_size(12288) == "12 KiB");
    CHECK(short_size(1229) == "1.2 KiB");
    CHECK(short_size(13517) == "13.2 KiB");
    CHECK(short_size(1280) == "1.25 KiB");
    CHECK(short_size(812) == "812 B");
    CHECK(short_size(0) == "0 B");
    CHECK(short_size(1024 * 1024) == "1 MiB");
    CHECK(format_percent(93.14) == "93.1%");
    CHECK(format_percent(90.0) == "90%");
    CHECK(format_percent(0.0) == "0%");
}

TEST_CASE("text report: located messages, contributors, region and component tables") {
    CheckResult r = check_text(failing_budget);
    std::string text = check_text_report(r);
    auto lines = lines_of(text);
    REQUIRE(lines.size() > 5);
    CHECK(lines[0] == "b.yaml:3:3: error: region 'FLASH' overflowed its budget by 480 bytes (9696 B used, budget 9216 B)");
    CHECK(lines[1] == "b.yaml:4:3: warning: region 'RAM' at 90% of its budget (warn at 90%)");
    CHECK(lines[2] ==
          "b.yaml:6:3: error: archive 'libmbedcrypto.a' (budget 'libmbed*.a') exceeds its budget by 32 B (4.03 KiB of 4 KiB)");
    CHECK(lines[3] == "b.yaml:8:46: error: component 'crypto' exceeds its FLASH budget by 544 B (5.53 KiB of 5 KiB)");
    CHECK(lines[4] ==
          "b.yaml:10:3: error: symbol '_printf_float' must not be linked (max 0), but is: 0 B, in libc_nano.a(lib_a-printf.o)");
    CHECK(lines[5] == "");
    CHECK(lines[6] == "Largest contributors:");
    CHECK(text.find("  largest sections in region 'FLASH' (b.yaml:3:3):\n      9.38 KiB  .text\n          96 B  .data\n") !=
          std::string::npos);
    CHECK(text.find("  largest archives in component 'crypto' (bytes in FLASH) (b.yaml:8:46):\n      4.03 KiB  "
                    "libmbedcrypto.a\n       1.5 KiB  libmbedtls.a\n") != std::string::npos);
    CHECK(text.find("Memory region         Used Size  Region Size  %age Used      Budget        Left  Status\n"
                    "           FLASH:        9696 B        64 KB     14.79%       9 KiB      -480 B  OVER\n"
                    "             RAM:         368 B         8 KB      4.49%       409 B        41 B  WARN\n") !=
          std::string::npos);
    CHECK(text.find("Component          FLASH         RAM       Total  Budget    Status\n"
                    "crypto          5.53 KiB        32 B    5.53 KiB  FLASH 5K  OVER\n") != std::string::npos);
    CHECK(text.find("(other)         3.94 KiB       336 B     4.2 KiB  -         -\n") != std::string::npos);
    CHECK(lines.back() == "FAILED: 6 budget checks: 4 errors, 1 warning");
}

TEST_CASE("text report of a budget that passes") {
    CheckResult r = check_text("version: 1\nregions:\n  FLASH: 64K\n");
    std::string text = check_text_report(r);
    CHECK(text.find("error:") == std::string::npos);
    CHECK(text.find("Largest contributors") == std::string::npos);
    CHECK(text.ends_with("PASSED: all 1 budget check within budget\n"));
    CHECK(text.find("             RAM:         368 B         8 KB      4.49%           -           -  -\n") !=
          std::string::npos);
}

TEST_CASE("json report: every verdict with its budget line") {
    CheckResult r = check_text(failing_budget);
    auto j = nlohmann::json::parse(check_json_report(r));
    CHECK(j["schema"] == "sizebudget-check/1");
    CHECK(j["budget"] == "b.yaml");
    CHECK(j["map"] == "fw.map");
    CHECK(j["status"] == "fail");
    CHECK(j["summary"]["errors"] == 4);
    CHECK(j["summary"]["warnings"] == 1);
    REQUIRE(j["verdicts"].size() == r.verdicts.size());
    const auto& flash = j["verdicts"][0];
    CHECK(flash["kind"] == "region");
    CHECK(flash["line"] == 3);
    CHECK(flash["column"] == 3);
    CHECK(flash["used"] == 9696);
    CHECK(flash["limit"] == 9216);
    CHECK(flash["status"] == "exceeded");
    CHECK(flash["region"].is_null());
    CHECK(flash["contributors"][0]["name"] == ".text");
    CHECK(j["regions"][1]["left"] == 41);
    CHECK(j["regions"][0]["left"] == -480);
    CHECK(j["components"][0]["regions"]["FLASH"] == 5664);
    CHECK(j["components"][1]["name"] == "(other)");
    CHECK(j["components"][1]["status"].is_null());

    CheckResult pass = check_text("version: 1\nregions:\n  FLASH: 64K\n");
    CHECK(nlohmann::json::parse(check_json_report(pass))["status"] == "pass");
}

TEST_CASE("markdown report: tables whose rows all have the header's column count") {
    CheckResult r = check_text(failing_budget);
    // Names with Markdown and table syntax in them must not break the table.
    r.verdicts[2].item = "lib|weird*_name`.a";
    r.components[0].name = "a|b";
    std::string md = check_markdown_report(r);
    CHECK(md.starts_with("## ❌ Size budget: 6 budget checks: 4 errors, 1 warning\n"));
    auto lines = lines_of(md);
    std::size_t tables = 0;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        if (!lines[i].starts_with("|") || !lines[i + 1].starts_with("|---")) continue;
        ++tables;
        const std::size_t columns = cells(lines[i]);
        std::size_t rows = 0;
        for (std::size_t k = i + 1; k < lines.size() && lines[k].starts_with("|"); ++k, ++rows)
            CHECK_MESSAGE(cells(lines[k]) == columns, lines[k]);
        CHECK(rows >= 2);
    }
    CHECK(tables == 3);  // problems, memory regions, components
    CHECK(md.find("| `FLASH` | 9.47 KiB | 64 KiB | 14.8% | 9 KiB | −480 B | ❌ |") != std::string::npos);
    CHECK(md.find("<details><summary>Largest contributors</summary>") != std::string::npos);
}

TEST_CASE("junit report: a test case per verdict, failures for exceeded, escaped text") {
    CheckResult r = check_text(failing_budget);
    r.verdicts[2].item = "a<b>&\"c\"";
    std::string xml = check_junit_report(r);
    CHECK(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sizebudget\" tests=\"6\" "
                          "failures=\"4\" errors=\"0\" skipped=\"0\">"));
    CHECK(xml.find("<testsuite name=\"budget regions\" tests=\"2\" failures=\"1\"") != std::string::npos);
    CHECK(xml.find("<testcase classname=\"sizebudget.regions\" name=\"RAM\" file=\"b.yaml\" line=\"4\">\n"
                   "      <system-out>") != std::string::npos);
    CHECK(xml.find("name=\"a&lt;b&gt;&amp;&quot;c&quot; (libmbed*.a)\"") != std::string::npos);
    CHECK(xml.find("<failure type=\"forbidden\"") != std::string::npos);
    CHECK(xml.find("a<b") == std::string::npos);
    CHECK(std::count(xml.begin(), xml.end(), '<') == std::count(xml.begin(), xml.end(), '>'));

    CheckResult unmatched = check_text("version: 1\narchives:\n  libfoo.a: 1K\n");
    CHECK(check_junit_report(unmatched).find("<skipped message=\"archives entry &apos;libfoo.a&apos; matches no archive "
                                             "in the map\"/>") != std::string::npos);
    CheckResult strict = check_text("version: 1\nstrict: true\narchives:\n  libfoo.a: 1K\n");
    CHECK(check_junit_report(strict).find("<failure type=\"unmatched\"") != std::string::npos);
}

TEST_CASE("github report: annotations on the budget line, escaped as the runner wants") {
    CheckResult r = check_text(failing_budget);
    r.budget_path = "budgets/a,b:c.yaml";
    std::string gh = check_github_report(r);
    auto lines = lines_of(gh);
    REQUIRE(lines.size() == 6);
    CHECK(lines[0].starts_with("::error file=budgets/a%2Cb%3Ac.yaml,line=3,col=3,title=size budget%3A region FLASH::"
                               "region 'FLASH' overflowed its budget by 480 bytes (9696 B used, budget 9216 B)%0A"
                               "largest sections in region 'FLASH':%0A"));
    // '%' in the message is escaped as %25.
    CHECK(lines[1] == "::warning file=budgets/a%2Cb%3Ac.yaml,line=4,col=3,title=size budget%3A region RAM::region "
                      "'RAM' at 90%25 of its budget (warn at 90%25)");
    CHECK(lines[5] == "sizebudget: 6 budget checks: 4 errors, 1 warning");
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) CHECK(lines[i].starts_with("::"));
}

TEST_CASE("format names") {
    CHECK(parse_check_format("junit") == CheckFormat::junit);
    CHECK(parse_check_format("github") == CheckFormat::github);
    CHECK_FALSE(parse_check_format("xml"));
}

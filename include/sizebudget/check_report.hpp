#pragma once
// Writers for `sizebudget check`: each turns a CheckResult into one format and returns the text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sizebudget/budget_check.hpp"

namespace sizebudget {

enum class CheckFormat { text, json, markdown, junit, github };
std::optional<CheckFormat> parse_check_format(std::string_view name);

// Linker-style lines naming the budget line: errors and warnings for `FILE:LINE:COL: error: ...`,
// then largest contributors, the memory-usage table with Budget/Left/Status and the component table.
std::string check_text_report(const CheckResult& result);
// Machine-readable; shape documented by budgets/check-result.schema.json.
std::string check_json_report(const CheckResult& result);
// GitHub-flavoured Markdown for a PR comment or $GITHUB_STEP_SUMMARY.
std::string check_markdown_report(const CheckResult& result);
// JUnit XML: one test case per verdict (a budgeted item), a <failure> per exceeded one.
std::string check_junit_report(const CheckResult& result);
// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message` per verdict.
std::string check_github_report(const CheckResult& result);

std::string check_report(const CheckResult& result, CheckFormat format);

// Shared wording (check_messages.cpp).
// The message of a verdict, without location or severity:
//   "region 'FLASH' overflowed its budget by 2024 bytes (22504 B used, budget 20480 B)"
//   "archive 'libc_nano.a' exceeds its budget by 1.2 KiB (13.2 KiB of 12 KiB)"
//   "region 'FLASH' at 93.1% of its budget (warn at 90%)"
std::string verdict_message(const Verdict& v);
// "largest objects in libc_nano.a" for the contributor list of a verdict.
std::string contributors_heading(const Verdict& v);
// One-line summary: "2 budgets exceeded, 1 warning (14 checked)".
std::string check_summary(const CheckResult& result);
// human_size() without trailing zeros: "12 KiB", "1.2 KiB", "13.2 KiB", "812 B".
std::string short_size(std::uint64_t bytes);
// "93.1%"; one decimal, trailing ".0" dropped.
std::string format_percent(double percent);

}  // namespace sizebudget

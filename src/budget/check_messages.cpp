// The wording every check report shares: verdict messages, headings, the summary line.
#include <fmt/format.h>

#include "sizebudget/check_report.hpp"
#include "sizebudget/size_format.hpp"

namespace sizebudget {

std::optional<CheckFormat> parse_check_format(std::string_view name) {
    if (name == "text") return CheckFormat::text;
    if (name == "json") return CheckFormat::json;
    if (name == "markdown") return CheckFormat::markdown;
    if (name == "junit") return CheckFormat::junit;
    if (name == "github") return CheckFormat::github;
    return std::nullopt;
}

std::string check_report(const CheckResult& result, CheckFormat format) {
    switch (format) {
    case CheckFormat::json: return check_json_report(result);
    case CheckFormat::markdown: return check_markdown_report(result);
    case CheckFormat::junit: return check_junit_report(result);
    case CheckFormat::github: return check_github_report(result);
    case CheckFormat::text: break;
    }
    return check_text_report(result);
}

std::string short_size(std::uint64_t bytes) {
    std::string s = human_size(bytes);
    std::size_t dot = s.find('.');
    if (dot == std::string::npos) return s;
    std::size_t space = s.find(' ', dot);
    std::size_t last = space - 1;
    while (last > dot && s[last] == '0') --last;
    if (last == dot) --last;
    return s.substr(0, last + 1) + s.substr(space);
}

std::string format_percent(double percent) {
    std::string s = fmt::format("{:.1f}", percent);
    if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
    return s + "%";
}

namespace {

// "archive 'libmbedcrypto.a'", with the entry when a glob matched it: "archive 'x.a' (budget 'libmbed*.a')".
std::string subject(const Verdict& v) {
    if (v.rule == Rule::growth && v.item == growth_total_name) return "all allocated bytes";
    std::string s = fmt::format("{} '{}'", entry_kind_name(v.kind), v.item);
    if (v.item != v.entry) s += fmt::format(" (budget '{}')", v.entry);
    return s;
}

std::string its_budget(const Verdict& v) {
    return v.region.empty() ? std::string("its budget") : fmt::format("its {} budget", v.region);
}

// "region 'FLASH' grew by 640 bytes against the baseline (budget +512 B; 20480 B -> 21120 B)"
std::string growth_message(const Verdict& v) {
    if (v.status == VerdictStatus::unmatched) return v.detail;
    std::string change = v.growth > 0   ? fmt::format("grew by {} bytes", v.growth)
                         : v.growth < 0 ? fmt::format("shrank by {} bytes", -v.growth)
                                        : std::string("did not change");
    std::string budget = v.limit_text.ends_with('%') ? fmt::format("+{} = {} B", v.limit_text, v.limit)
                                                     : fmt::format("+{} B", v.limit);
    return fmt::format("{} {} against the baseline{} (budget {}; {} B -> {} B)", subject(v), change,
                       v.status == VerdictStatus::exceeded ? "" : ", within its growth budget", budget, v.baseline,
                       v.used);
}

}  // namespace

std::string verdict_message(const Verdict& v) {
    if (v.rule == Rule::growth) return growth_message(v);
    switch (v.status) {
    case VerdictStatus::unmatched: return v.detail;
    case VerdictStatus::forbidden: {
        std::string where;
        if (!v.contributors.empty()) where = fmt::format(", in {}", v.contributors.front().name);
        if (v.contributors.size() > 1) where += fmt::format(" and {} more", v.contributors.size() - 1);
        return fmt::format("{} must not be linked (max 0), but is: {}{}", subject(v), short_size(v.used), where);
    }
    case VerdictStatus::exceeded:
        if (v.kind == EntryKind::region && v.entry.empty())  // not budgeted: the link's own limit
            return fmt::format("region '{}' overflowed by {} bytes ({} B used, region {} B)", v.item,
                               v.used - v.limit, v.used, v.limit);
        if (v.kind == EntryKind::region)
            return fmt::format("region '{}' overflowed its budget by {} bytes ({} B used, budget {} B)", v.item,
                               v.used - v.limit, v.used, v.limit);
        return fmt::format("{} exceeds {} by {} ({} of {})", subject(v), its_budget(v), short_size(v.used - v.limit),
                           short_size(v.used), short_size(v.limit));
    case VerdictStatus::warning: {
        std::string warn = v.warn_text.ends_with('%') || !v.warn_at ? v.warn_text : short_size(*v.warn_at);
        return fmt::format("{} at {} of {} (warn at {})", subject(v), format_percent(v.percent_of_limit()),
                           its_budget(v), warn);
    }
    case VerdictStatus::ok: break;
    }
    if (v.limit == 0 && v.used == 0)
        return v.region.empty() ? fmt::format("{} is not linked, as its budget requires", subject(v))
                                : fmt::format("{} has no bytes in {}, as its budget requires", subject(v), v.region);
    return fmt::format("{} within {}: {} of {} ({})", subject(v), its_budget(v), short_size(v.used),
                       short_size(v.limit), format_percent(v.percent_of_limit()));
}

std::string contributors_heading(const Verdict& v) {
    if (v.rule == Rule::growth)
        return fmt::format("{}s that grew most in {}", v.contributor_kind,
                           v.item == growth_total_name ? std::string("the link")
                                                       : fmt::format("{} '{}'", entry_kind_name(v.kind), v.item));
    std::string in_region = v.region.empty() ? std::string() : fmt::format(" (bytes in {})", v.region);
    if (v.kind == EntryKind::symbol) return fmt::format("objects defining {}{}", v.item, in_region);
    return fmt::format("largest {}s in {} '{}'{}", v.contributor_kind, entry_kind_name(v.kind), v.item, in_region);
}

std::string check_summary(const CheckResult& result) {
    const std::size_t errors = result.count(Severity::error);
    const std::size_t warnings = result.count(Severity::warning);
    const std::size_t checked = result.verdicts.size();
    auto plural = [](std::size_t n, std::string_view word) {
        return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
    };
    if (errors == 0 && warnings == 0) return fmt::format("all {} within budget", plural(checked, "budget check"));
    return fmt::format("{}: {}, {}", plural(checked, "budget check"), plural(errors, "error"),
                       plural(warnings, "warning"));
}

}  // namespace sizebudget

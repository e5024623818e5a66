// `sizebudget check --format markdown`: GitHub-flavoured Markdown for a pull-request comment or the
// job summary ($GITHUB_STEP_SUMMARY).
#include <algorithm>

#include <fmt/format.h>

#include "report/markdown_text.hpp"
#include "sizebudget/check_report.hpp"
#include "sizebudget/size_diff.hpp"

namespace sizebudget {

namespace {

using Out = std::back_insert_iterator<std::string>;

std::string cell(std::string_view text) { return markdown_cell(text); }
std::string code(std::string_view text, bool in_table = true) { return markdown_code(text, in_table); }

std::string_view icon(VerdictStatus s) {
    switch (s) {
    case VerdictStatus::ok: return "✅";
    case VerdictStatus::warning: return "⚠️";
    case VerdictStatus::exceeded: return "❌";
    case VerdictStatus::forbidden: return "⛔";
    case VerdictStatus::unmatched: return "❔";
    }
    return "";
}

std::string left_of(std::uint64_t budget, std::uint64_t used) {
    return used > budget ? "−" + short_size(used - budget) : short_size(budget - used);
}

void problems(Out out, const CheckResult& r) {
    bool any = std::any_of(r.verdicts.begin(), r.verdicts.end(),
                           [](const Verdict& v) { return v.severity != Severity::ok; });
    if (!any) return;
    fmt::format_to(out, "| | Budget | Line | Item | Used | Limit | Message |\n");
    fmt::format_to(out, "|---|---|---:|---|---:|---:|---|\n");
    for (const Verdict& v : r.verdicts) {
        if (v.severity == Severity::ok) continue;
        const bool measured = v.status != VerdictStatus::unmatched;
        std::string item = v.region.empty() ? code(v.item) : fmt::format("{} in {}", code(v.item), cell(v.region));
        fmt::format_to(out, "| {} | {}{} {} | {} | {} | {} | {} | {} |\n", icon(v.status),
                       v.rule == Rule::growth ? "growth " : "", entry_list_name(v.kind),
                       code(v.entry), v.where.line, item, measured ? short_size(v.used) : "–",
                       measured ? short_size(v.limit) : "–", cell(verdict_message(v)));
    }
    fmt::format_to(out, "\n");
}

void region_table(Out out, const CheckResult& r) {
    if (r.regions.empty()) return;
    fmt::format_to(out, "### Memory regions\n\n");
    fmt::format_to(out, "| Region | Used | Size | Used % | Budget | Left | Status |\n");
    fmt::format_to(out, "|---|---:|---:|---:|---:|---:|:---:|\n");
    for (const RegionRow& row : r.regions) {
        const RegionUsage& u = row.usage;
        std::string percent =
            u.length ? format_percent(static_cast<double>(u.used) * 100.0 / static_cast<double>(u.length)) : "–";
        fmt::format_to(out, "| {} | {} | {} | {} | {} | {} | {} |\n", code(u.name), short_size(u.used),
                       short_size(u.length), percent, row.budget ? short_size(*row.budget) : "–",
                       row.budget ? left_of(*row.budget, u.used) : "–", row.budgeted ? icon(row.status) : "–");
    }
    fmt::format_to(out, "\n");
}

void component_table(Out out, const CheckResult& r) {
    if (r.components.empty()) return;
    std::vector<std::size_t> cols;
    for (std::size_t c = 0; c < r.region_names.size(); ++c)
        if (std::any_of(r.components.begin(), r.components.end(),
                        [c](const ComponentRow& row) { return row.regions[c] != 0; }))
            cols.push_back(c);
    fmt::format_to(out, "### Components\n\n| Component |");
    for (std::size_t c : cols) fmt::format_to(out, " {} |", cell(r.region_names[c]));
    fmt::format_to(out, " Total | Budget | Status |\n|---|");
    for (std::size_t i = 0; i < cols.size(); ++i) fmt::format_to(out, "---:|");
    fmt::format_to(out, "---:|---|:---:|\n");
    for (const ComponentRow& row : r.components) {
        fmt::format_to(out, "| {} |", code(row.name));
        for (std::size_t c : cols) fmt::format_to(out, " {} |", row.regions[c] ? short_size(row.regions[c]) : "–");
        fmt::format_to(out, " {} | {} | {} |\n", short_size(row.size),
                       row.limits.empty() ? "–" : cell(fmt::format("{}", fmt::join(row.limits, ", "))),
                       row.limits.empty() ? "–" : icon(row.status));
    }
    fmt::format_to(out, "\n");
}

void contributors(Out out, const CheckResult& r) {
    bool any = false;
    for (const Verdict& v : r.verdicts) {
        if (v.severity != Severity::error || v.contributors.empty()) continue;
        if (!any) fmt::format_to(out, "<details><summary>Largest contributors</summary>\n\n");
        any = true;
        fmt::format_to(out, "**{}** (line {})\n\n", cell(contributors_heading(v)), v.where.line);
        for (const Contributor& c : v.contributors)
            fmt::format_to(out, "- {}{} {}\n", c.bytes && v.rule == Rule::growth ? "+" : "",
                           c.bytes ? short_size(c.bytes) : "–", code(c.name, false));
        if (!v.why.empty()) {
            fmt::format_to(out, "\nLinked because:\n\n");
            for (const std::string& step : v.why) fmt::format_to(out, "    {}\n", step);
        }
        fmt::format_to(out, "\n");
    }
    if (any) fmt::format_to(out, "</details>\n\n");
}

void growth_table(Out out, const CheckResult& r) {
    if (std::none_of(r.verdicts.begin(), r.verdicts.end(), [](const Verdict& v) { return v.rule == Rule::growth; }))
        return;
    fmt::format_to(out, "### Growth against the baseline\n\n");
    fmt::format_to(out, "| Item | Baseline | Now | Change | Budget | Status |\n");
    fmt::format_to(out, "|---|---:|---:|---:|---:|:---:|\n");
    for (const Verdict& v : r.verdicts) {
        if (v.rule != Rule::growth) continue;
        const bool measured = v.status != VerdictStatus::unmatched;
        std::string item = v.item == growth_total_name ? std::string("total")
                                                       : fmt::format("{} {}", entry_kind_name(v.kind), code(v.item));
        fmt::format_to(out, "| {} | {} | {} | {} | +{} | {} |\n", item, measured ? short_size(v.baseline) : "–",
                       measured ? short_size(v.used) : "–", measured ? signed_bytes(v.growth) : "–",
                       short_size(v.limit), icon(v.status));
    }
    fmt::format_to(out, "\n");
}

}  // namespace

std::string check_markdown_report(const CheckResult& r) {
    std::string s;
    Out out(s);
    const std::size_t errors = r.count(Severity::error), warnings = r.count(Severity::warning);
    std::string_view badge = errors ? "❌" : warnings ? "⚠️" : "✅";
    fmt::format_to(out, "## {} Size budget: {}\n\n", badge, check_summary(r));
    fmt::format_to(out, "Budget {} checked against {}.\n\n", code(r.budget_path, false), code(r.map_path, false));
    problems(out, r);
    region_table(out, r);
    component_table(out, r);
    growth_table(out, r);
    contributors(out, r);
    if (!r.hints.empty()) {
        fmt::format_to(out, "<details><summary>Size traps ({})</summary>\n\n", r.hints.size());
        for (const CheckHint& h : r.hints) s += markdown_hint(h.title, h.evidence, h.retained, h.why, h.remedy);
        fmt::format_to(out, "</details>\n\n");
    }
    for (const CheckNote& n : r.notes)
        fmt::format_to(out, "> **{}** {}{}: {}\n", severity_name(n.severity), code(n.file, false),
                       n.where.line ? fmt::format(" line {}", n.where.line) : "", cell(n.message));
    return s;
}

}  // namespace sizebudget

// `sizebudget check --format text`: messages in the linker's own style, pointing at the budget line
// (so IDEs and CI logs link to it), then the largest contributors of each failed item, the memory
// usage table with Budget/Left/Status, the component table and a summary.
#include <algorithm>

#include <fmt/format.h>

#include "sizebudget/check_report.hpp"
#include "sizebudget/size_format.hpp"

namespace sizebudget {

namespace {

using Out = std::back_insert_iterator<std::string>;

std::string location(const std::string& file, SourceLocation w) {
    if (w.line == 0) return file;
    if (w.column == 0) return fmt::format("{}:{}", file, w.line);
    return fmt::format("{}:{}:{}", file, w.line, w.column);
}

std::string_view status_word(VerdictStatus s, bool budgeted) {
    if (!budgeted) return "-";
    switch (s) {
    case VerdictStatus::ok: return "ok";
    case VerdictStatus::warning: return "WARN";
    case VerdictStatus::exceeded: return "OVER";
    case VerdictStatus::forbidden: return "FORBIDDEN";
    case VerdictStatus::unmatched: return "UNMATCHED";
    }
    return "-";
}

std::string left_of(std::uint64_t budget, std::uint64_t used) {
    return used > budget ? "-" + short_size(used - budget) : short_size(budget - used);
}

void messages(Out out, const CheckResult& r) {
    for (const Verdict& v : r.verdicts)
        if (v.severity != Severity::ok)
            fmt::format_to(out, "{}: {}: {}\n", location(r.file_of(v), v.where), severity_name(v.severity),
                           verdict_message(v));
    for (const CheckNote& n : r.notes)
        fmt::format_to(out, "{}: {}: {}\n", location(n.file, n.where), severity_name(n.severity), n.message);
}

void contributors(Out out, const CheckResult& r) {
    bool any = false;
    for (const Verdict& v : r.verdicts) {
        if (v.severity != Severity::error || v.contributors.empty()) continue;
        if (!any) fmt::format_to(out, "\nLargest contributors:\n");
        any = true;
        fmt::format_to(out, "  {} ({}):\n", contributors_heading(v), location(r.file_of(v), v.where));
        for (const Contributor& c : v.contributors)
            fmt::format_to(out, "    {:>10}  {}\n",
                           c.bytes == 0 && v.status == VerdictStatus::forbidden ? "-"
                           : v.rule == Rule::growth                             ? "+" + short_size(c.bytes)
                                                                                : short_size(c.bytes),
                           c.name);
        if (!v.why.empty()) {
            fmt::format_to(out, "    linked because:\n");
            for (const std::string& step : v.why) fmt::format_to(out, "      {}\n", step);
        }
    }
}

void region_table(Out out, const CheckResult& r) {
    if (r.regions.empty()) return;
    // GNU ld's --print-memory-usage columns, then the budget's.
    fmt::format_to(out, "\nMemory region         Used Size  Region Size  %age Used      Budget        Left  Status\n");
    for (const RegionRow& row : r.regions) {
        const RegionUsage& u = row.usage;
        std::string budget = row.budget ? short_size(*row.budget) : "-";
        std::string left = row.budget ? left_of(*row.budget, u.used) : "-";
        std::string percent = ld_percent_column(u.used, u.length);
        if (percent.empty()) percent = fmt::format("{:>11}", "-");
        fmt::format_to(out, "{:>16}: {}{}{}  {:>10}  {:>10}  {}\n", u.name, ld_size_column(u.used),
                       ld_size_column(u.length), percent, budget, left, status_word(row.status, row.budgeted));
    }
}

void component_table(Out out, const CheckResult& r) {
    if (r.components.empty()) return;
    std::vector<std::size_t> cols;
    for (std::size_t c = 0; c < r.region_names.size(); ++c)
        if (std::any_of(r.components.begin(), r.components.end(),
                        [c](const ComponentRow& row) { return row.regions[c] != 0; }))
            cols.push_back(c);
    std::size_t width = 12;
    for (const ComponentRow& row : r.components) width = std::max(width, row.name.size());
    std::vector<std::string> limits;
    std::size_t limit_width = 6;
    for (const ComponentRow& row : r.components) {
        limits.push_back(row.limits.empty() ? "-" : fmt::format("{}", fmt::join(row.limits, ", ")));
        limit_width = std::max(limit_width, limits.back().size());
    }

    std::vector<std::size_t> col_width;
    for (std::size_t c : cols) col_width.push_back(std::max<std::size_t>(10, r.region_names[c].size()));
    fmt::format_to(out, "\n{:<{}}", "Component", width);
    for (std::size_t k = 0; k < cols.size(); ++k) fmt::format_to(out, "  {:>{}}", r.region_names[cols[k]], col_width[k]);
    fmt::format_to(out, "  {:>10}  {:<{}}  Status\n", "Total", "Budget", limit_width);
    for (std::size_t i = 0; i < r.components.size(); ++i) {
        const ComponentRow& row = r.components[i];
        fmt::format_to(out, "{:<{}}", row.name, width);
        for (std::size_t k = 0; k < cols.size(); ++k)
            fmt::format_to(out, "  {:>{}}", row.regions[cols[k]] == 0 ? "-" : short_size(row.regions[cols[k]]),
                           col_width[k]);
        fmt::format_to(out, "  {:>10}  {:<{}}  {}\n", short_size(row.size), limits[i], limit_width,
                       status_word(row.status, !row.limits.empty()));
    }
}

// Growth against the baseline: one row per growth verdict.
void growth_table(Out out, const CheckResult& r) {
    std::size_t width = 16;
    bool any = false;
    for (const Verdict& v : r.verdicts)
        if (v.rule == Rule::growth) {
            any = true;
            width = std::max(width, v.item.size() + entry_kind_name(v.kind).size() + 1);
        }
    if (!any) return;
    fmt::format_to(out, "\n{:<{}}  {:>10}  {:>10}  {:>10}  {:>10}  Status\n", "Growth", width, "Baseline", "Now",
                   "Change", "Budget");
    for (const Verdict& v : r.verdicts) {
        if (v.rule != Rule::growth) continue;
        const bool measured = v.status != VerdictStatus::unmatched;
        std::string name = v.item == growth_total_name ? std::string("total")
                                                       : fmt::format("{} {}", entry_kind_name(v.kind), v.item);
        fmt::format_to(out, "{:<{}}  {:>10}  {:>10}  {:>10}  {:>10}  {}\n", name, width,
                       measured ? std::to_string(v.baseline) : "-", measured ? std::to_string(v.used) : "-",
                       measured ? (v.growth > 0 ? "+" : "") + std::to_string(v.growth) : "-", "+" + std::to_string(v.limit),
                       status_word(v.status, true));
    }
}

}  // namespace

std::string check_text_report(const CheckResult& r) {
    std::string s;
    Out out(s);
    messages(out, r);
    contributors(out, r);
    region_table(out, r);
    component_table(out, r);
    growth_table(out, r);
    fmt::format_to(out, "\n{}: {}\n", r.failed() ? "FAILED" : "PASSED", check_summary(r));
    return s;
}

}  // namespace sizebudget

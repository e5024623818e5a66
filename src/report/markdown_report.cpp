// `sizebudget report --format markdown`: the report as GitHub-flavoured Markdown, for a
// pull-request comment, a wiki page or $GITHUB_STEP_SUMMARY. Every table row has as many cells
// as its header; names are code spans, so no name can make a link, a heading or a broken table.
#include <algorithm>

#include <fmt/format.h>

#include "report/markdown_text.hpp"
#include "sizebudget/check_report.hpp"
#include "sizebudget/hints.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/retained.hpp"

namespace sizebudget {

namespace {

using Out = std::back_insert_iterator<std::string>;

void region_table(Out out, const Totals& t) {
    if (t.regions.empty()) {
        fmt::format_to(out, "No memory regions are known ({} allocated bytes in all): give `--linker-script` for an "
                            "lld map.\n\n",
                       t.allocated);
        return;
    }
    fmt::format_to(out, "| Region | Used | Size | Used % | Free |\n|---|---:|---:|---:|---:|\n");
    for (const RegionUsage& r : t.regions) {
        const std::string percent =
            r.length ? format_percent(static_cast<double>(r.used) * 100.0 / static_cast<double>(r.length)) : "–";
        const std::string free = r.used > r.length ? "−" + short_size(r.used - r.length) : short_size(r.length - r.used);
        fmt::format_to(out, "| {} | {} | {} | {} | {} |\n", markdown_code(r.name), short_size(r.used),
                       short_size(r.length), percent, free);
    }
    fmt::format_to(out, "\n");
    for (const RegionUsage& r : t.regions) {
        if (r.overflowed()) fmt::format_to(out, "**{} overflowed by {}.**  \n", markdown_cell(r.name), short_size(r.used - r.length));
        if (r.reserved > 0)
            fmt::format_to(out, "{} of {} is reserved address space (heap, stack), not content; ld counts it as used.  \n",
                           short_size(r.reserved), markdown_code(r.name, false));
    }
}

void item_table(Out out, const Totals& t, const ReportOptions& options) {
    const ItemRows& all = breakdown_items(t, options.by);
    const std::vector<std::uint64_t>* retained =
        options.retained != nullptr && !options.retained->evidence.empty() && options.by != Breakdown::section
            ? &options.retained->of(options.by)
            : nullptr;
    const std::vector<std::size_t> cols = used_region_columns(t);
    std::string title(breakdown_name(options.by));
    title[0] = static_cast<char>(title[0] - 'a' + 'A');
    fmt::format_to(out, "| {} | Size |{}", title, retained ? " Retained |" : "");
    for (std::size_t c : cols) fmt::format_to(out, " {} |", markdown_cell(t.regions[c].name));
    fmt::format_to(out, "\n|---|---:|{}", retained ? "---:|" : "");
    for (std::size_t i = 0; i < cols.size(); ++i) fmt::format_to(out, "---:|");
    fmt::format_to(out, "\n");
    // Reserved address space is no content: not a row, it follows the table (the text report's way).
    const ContentRows items(all, options.by);
    const std::size_t shown = options.top == 0 ? items.size() : std::min(options.top, items.size());
    std::uint64_t rest = 0;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const std::size_t i = items[k];
        if (k >= shown) {
            rest += all.bytes(i);
            continue;
        }
        const ItemSize item = all[i];
        const std::uint64_t kept = retained && i < retained->size() ? (*retained)[i] : no_retained;
        fmt::format_to(out, "| {} | {} |{}", markdown_code(display_name(item, options.by)), short_size(item.size),
                       retained ? fmt::format(" {} |", kept == no_retained ? "–" : short_size(kept)) : "");
        for (std::size_t c : cols) fmt::format_to(out, " {} |", item.regions[c] ? short_size(item.regions[c]) : "–");
        fmt::format_to(out, "\n");
    }
    if (shown < items.size()) {
        fmt::format_to(out, "| ({} more) | {} |{}", items.size() - shown, short_size(rest), retained ? " |" : "");
        for (std::size_t i = 0; i < cols.size(); ++i) fmt::format_to(out, " |");
        fmt::format_to(out, "\n");
    }
    fmt::format_to(out, "\n");
    if (items.reserved())
        fmt::format_to(out, "Not in the table: {} of reserved address space (not content).\n\n",
                       short_size(all.bytes(*items.reserved())));
    if (retained)
        fmt::format_to(out, "Retained: what leaving the item out would save, from the {}.\n\n",
                       markdown_cell(options.retained->evidence));
}

}  // namespace

std::string markdown_report(const LinkMap& map, const Totals& breakdown, const ReportOptions& options) {
    std::string s;
    Out out(s);
    const Totals& t = options.region_totals != nullptr ? *options.region_totals : breakdown;
    fmt::format_to(out, "## Size report: {}\n\n", markdown_code(file_name(map.source), false));
    region_table(out, t);
    fmt::format_to(out, "Image size: {} (sections with contents, at their load addresses).\n\n", short_size(t.image_size));
    if (!map.warnings.empty()) {
        fmt::format_to(out, "<details><summary>Warnings ({})</summary>\n\n", map.warnings.size());
        for (const Diagnostic& w : map.warnings) fmt::format_to(out, "- {}\n", markdown_cell(w.text()));
        fmt::format_to(out, "\n</details>\n\n");
    }
    if (options.by != Breakdown::region) {
        fmt::format_to(out, "### By {}\n\n", breakdown_name(options.by));
        item_table(out, breakdown, options);
    }
    if (options.hints != nullptr && !options.hints->empty()) {
        fmt::format_to(out, "### Size traps ({})\n\n", options.hints->size());
        for (const Hint& h : *options.hints) s += markdown_hint(h.title, h.evidence, h.retained, h.why, h.remedy);
    }
    return s;
}

}  // namespace sizebudget

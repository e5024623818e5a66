// `sizebudget diff --format markdown`: for a pull-request comment or $GITHUB_STEP_SUMMARY.
// - the first line is the stable marker `<!-- sizebudget-diff -->`, so a CI job can find its
//   comment and update it in place;
// - every table row has as many cells as its header (names are escaped: `|` would split a cell);
// - unchanged rows are hidden, the top changes come first, the full lists are folded in <details>;
// - the whole text stays under options.max_chars (GitHub allows 65,536), truncated with a note.
#include <fmt/format.h>

#include "sizebudget/demangle.hpp"
#include "sizebudget/identity.hpp"
#include "sizebudget/size_diff.hpp"

namespace sizebudget {

namespace {

constexpr std::string_view up = "▲", down = "▼";
// Room kept for closing tags and the truncation note.
constexpr std::size_t closing_reserve = 400;

std::string_view marker(std::int64_t delta) { return delta > 0 ? up : delta < 0 ? down : ""; }

// A table cell holding `text` as code: pipes escaped, backticks fenced, no newlines.
std::string code_cell(std::string_view text) {
    std::string body;
    for (char c : text) {
        if (c == '|') body += "\\|";
        else if (c == '\n' || c == '\r') body += ' ';
        else body += c;
    }
    if (body.find('`') != std::string::npos) return "`` " + body + " ``";
    return "`" + body + "`";
}

std::string singular_title(Breakdown by) {
    switch (by) {
    case Breakdown::section: return "Section";
    case Breakdown::object: return "Object";
    case Breakdown::symbol: return "Symbol";
    case Breakdown::crate: return "Crate";
    case Breakdown::archive:
    case Breakdown::region: break;
    }
    return "Archive";
}

// Plain digits, as in the text and JSON reports: "5860", "+416", "-4360".
std::string grouped(std::uint64_t v) { return std::to_string(v); }
std::string signed_grouped(std::int64_t d) { return signed_bytes(d); }

class Writer {
public:
    Writer(const DiffReportOptions& options) : options_(options) {}

    // Appends unconditionally (headers, closing tags: small, covered by the reserve).
    void put(std::string_view s) { out_ += s; }
    // Appends a table row if it fits; otherwise counts it as dropped.
    bool row(const std::string& s) {
        if (truncated_ || out_.size() + s.size() + closing_reserve > options_.max_chars) {
            truncated_ = true;
            ++dropped_;
            return false;
        }
        out_ += s;
        return true;
    }
    bool truncated() const { return truncated_; }
    std::size_t dropped() const { return dropped_; }
    std::string& text() { return out_; }

private:
    const DiffReportOptions& options_;
    std::string out_;
    bool truncated_ = false;
    std::size_t dropped_ = 0;
};

std::string_view change_title(Change c) {
    switch (c) {
    case Change::grown: return "Grown";
    case Change::shrunk: return "Shrunk";
    case Change::added: return "Added";
    case Change::removed: return "Removed";
    case Change::unchanged: break;
    }
    return "Unchanged";
}

std::string item_header(Breakdown by) {
    return fmt::format("| | {} | Old | New | Delta | % |\n|:-:|:--|--:|--:|--:|--:|\n", singular_title(by));
}

std::string item_row(const ItemDelta& i, Breakdown by) {
    std::string name = code_cell(by == Breakdown::symbol ? demangle(i.name) : i.name);
    if (by == Breakdown::symbol && !i.path.empty()) name += " in " + code_cell(portable_path(i.path));
    if (i.change == Change::added) name += " (new)";
    if (i.change == Change::removed) name += " (removed)";
    return fmt::format("| {} | {} | {} | {} | {} | {} |\n", marker(i.delta), name, grouped(i.old_size),
                       grouped(i.new_size), signed_grouped(i.delta), signed_percent(i.percent(), i.delta));
}

}  // namespace

std::string diff_markdown_report(const SizeDiff& diff, const DiffReportOptions& options) {
    Writer w(options);
    const std::string old_side = options.old_label.empty() ? diff.old_map : options.old_label;
    const std::string new_side = options.new_label.empty() ? diff.new_map : options.new_label;
    w.put(diff_markdown_marker);
    w.put("\n### Firmware size\n\n");
    w.put(fmt::format("{} → {}\n\n", code_cell(old_side), code_cell(new_side)));

    w.put("| Region | Old | New | Delta | % | |\n|:--|--:|--:|--:|--:|:-:|\n");
    for (const RegionDelta& r : diff.regions) {
        std::string name = code_cell(r.name);
        if (!r.in_old) name += " (new)";
        if (!r.in_new) name += " (removed)";
        if (r.in_old && r.in_new && r.old_length != r.new_length)
            name += fmt::format(" (length {} → {})", grouped(r.old_length), grouped(r.new_length));
        w.row(fmt::format("| {} | {} | {} | {} | {} | {} |\n", name, grouped(r.old_used), grouped(r.new_used),
                          signed_grouped(r.delta), signed_percent(r.percent(), r.delta), marker(r.delta)));
    }
    std::optional<double> ap;
    if (diff.old_allocated)
        ap = static_cast<double>(diff.allocated_delta) * 100.0 / static_cast<double>(diff.old_allocated);
    w.row(fmt::format("| **allocated** | {} | {} | {} | {} | {} |\n", grouped(diff.old_allocated),
                      grouped(diff.new_allocated), signed_grouped(diff.allocated_delta),
                      signed_percent(ap, diff.allocated_delta), marker(diff.allocated_delta)));

    if (options.by != Breakdown::region) {
        const std::vector<ItemDelta>& items = diff_items(diff, options.by);
        std::vector<const ItemDelta*> shown;
        std::size_t hidden = 0;
        for (const ItemDelta& i : items) {
            if (diff_row_shown(i, options)) shown.push_back(&i);
            else if (i.change != Change::unchanged) ++hidden;
        }
        const std::string kind(breakdown_name(options.by));
        if (shown.empty()) {
            w.put(fmt::format("\nNo {} changed{}.\n", kind, hidden ? " by the threshold or more" : ""));
        } else {
            const std::size_t top = std::min(options.top == 0 ? shown.size() : options.top, shown.size());
            w.put(fmt::format("\n#### Top {} changes\n\n", kind));
            w.put(item_header(options.by));
            for (std::size_t k = 0; k < top; ++k) w.row(item_row(*shown[k], options.by));
            for (Change c : {Change::grown, Change::shrunk, Change::added, Change::removed}) {
                std::vector<const ItemDelta*> rows;
                for (const ItemDelta* i : shown)
                    if (i->change == c) rows.push_back(i);
                if (rows.empty()) continue;
                if (w.truncated()) {
                    for (std::size_t k = 0; k < rows.size(); ++k) w.row({});
                    continue;
                }
                w.put(fmt::format("\n<details><summary>{}: {} {}{}</summary>\n\n", change_title(c), rows.size(), kind,
                                  rows.size() == 1 ? "" : "s"));
                w.put(item_header(options.by));
                for (const ItemDelta* i : rows) w.row(item_row(*i, options.by));
                w.put("\n</details>\n");
            }
        }
        if (hidden)
            w.put(fmt::format("\n{} changed {}{} below the {}-byte threshold not shown.\n", hidden, kind,
                              hidden == 1 ? "" : "s", options.threshold));
    }
    if (w.truncated())
        w.put(fmt::format("\n**Truncated:** {} more row{} did not fit in a comment; run `sizebudget diff` for "
                          "the full lists.\n", w.dropped(), w.dropped() == 1 ? "" : "s"));
    return std::move(w.text());
}

}  // namespace sizebudget

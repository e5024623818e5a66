// `sizebudget diff --format text`: region deltas first, then what grew, shrank, appeared and
// disappeared at the chosen level, each list sorted by absolute change.
#include <fmt/format.h>

#include "sizebudget/demangle.hpp"
#include "sizebudget/identity.hpp"
#include "sizebudget/size_diff.hpp"

namespace sizebudget {

namespace {

std::string plural_title(Breakdown by) {
    switch (by) {
    case Breakdown::section: return "Sections";
    case Breakdown::object: return "Objects";
    case Breakdown::symbol: return "Symbols";
    case Breakdown::crate: return "Crates";
    case Breakdown::archive:
    case Breakdown::region: break;
    }
    return "Archives";
}

std::string side(const std::string& label, const std::string& map) { return label.empty() ? map : label; }

}  // namespace

std::string diff_text_report(const SizeDiff& diff, const DiffReportOptions& options) {
    std::string out;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "Size diff: {} -> {}\n\n", side(options.old_label, diff.old_map),
                   side(options.new_label, diff.new_map));

    std::size_t width = 11;
    for (const RegionDelta& r : diff.regions) width = std::max(width, r.name.size());
    fmt::format_to(o, "{:<{}} {:>11} {:>11} {:>11} {:>9} {:>11}\n", "Region", width, "Old", "New", "Delta",
                   "%", "Length");
    for (const RegionDelta& r : diff.regions) {
        std::string note = !r.in_old ? "  (new region)" : !r.in_new ? "  (region removed)" : "";
        if (r.in_old && r.in_new && r.old_length != r.new_length)
            note = fmt::format("  (length was {})", r.old_length);
        fmt::format_to(o, "{:<{}} {:>11} {:>11} {:>11} {:>9} {:>11}{}\n", r.name, width, r.old_used, r.new_used,
                       signed_bytes(r.delta), signed_percent(r.percent(), r.delta),
                       r.in_new ? r.new_length : r.old_length, note);
    }
    std::optional<double> ap;
    if (diff.old_allocated) ap = static_cast<double>(diff.allocated_delta) * 100.0 / static_cast<double>(diff.old_allocated);
    fmt::format_to(o, "{:<{}} {:>11} {:>11} {:>11} {:>9}\n", "(allocated)", width, diff.old_allocated,
                   diff.new_allocated, signed_bytes(diff.allocated_delta), signed_percent(ap, diff.allocated_delta));

    if (options.by == Breakdown::region) return out;

    const std::vector<ItemDelta>& items = diff_items(diff, options.by);
    const std::string title = plural_title(options.by);
    std::size_t hidden = 0, shown_total = 0;
    for (const ItemDelta& i : items)
        if (i.change != Change::unchanged && !diff_row_shown(i, options)) ++hidden;
    for (Change c : {Change::grown, Change::shrunk, Change::added, Change::removed}) {
        std::vector<const ItemDelta*> rows;
        for (const ItemDelta& i : items)
            if (i.change == c && diff_row_shown(i, options)) rows.push_back(&i);
        if (rows.empty()) continue;
        shown_total += rows.size();
        fmt::format_to(o, "\n{} {} ({}):\n", title, change_name(c), rows.size());
        fmt::format_to(o, "{:>11} {:>9} {:>11} {:>11}  {}\n", "Delta", "%", "Old", "New", "Name");
        for (const ItemDelta* i : rows) {
            std::string name = options.by == Breakdown::symbol ? demangle(i->name) : i->name;
            std::string where;
            if (options.by == Breakdown::symbol && !i->path.empty()) where = fmt::format("  ({})", portable_path(i->path));
            fmt::format_to(o, "{:>11} {:>9} {:>11} {:>11}  {}{}\n", signed_bytes(i->delta),
                           signed_percent(i->percent(), i->delta), i->old_size, i->new_size, name, where);
        }
    }
    if (shown_total == 0) fmt::format_to(o, "\nNo {} changed{}.\n", breakdown_name(options.by),
                                         hidden ? " by the threshold or more" : "");
    if (hidden)
        fmt::format_to(o, "\n({} changed {} row{} below the {}-byte threshold hidden)\n", hidden,
                       breakdown_name(options.by), hidden == 1 ? "" : "s", options.threshold);
    return out;
}

}  // namespace sizebudget

// `sizebudget diff --format json`: the deltas for machines ("schema": "sizebudget-diff/1").
#include <cmath>

#include <nlohmann/json.hpp>

#include "sizebudget/demangle.hpp"
#include "sizebudget/json_text.hpp"
#include "sizebudget/size_diff.hpp"
#include "sizebudget/totals_json.hpp"

namespace sizebudget {

namespace {

using nlohmann::ordered_json;

ordered_json percent_json(std::optional<double> p) {
    if (!p) return nullptr;
    return std::round(*p * 100.0) / 100.0;  // two decimals, as in the text report
}

}  // namespace

std::string diff_json_report(const SizeDiff& diff, const DiffReportOptions& options) {
    ordered_json j;
    j["schema"] = "sizebudget-diff/1";
    j["old"] = options.old_label.empty() ? diff.old_map : options.old_label;
    j["new"] = options.new_label.empty() ? diff.new_map : options.new_label;
    j["by"] = breakdown_name(options.by);
    j["threshold"] = options.threshold;
    ordered_json regions = ordered_json::array();
    for (const RegionDelta& r : diff.regions) {
        ordered_json o;
        o["name"] = r.name;
        o["old_used"] = r.old_used;
        o["new_used"] = r.new_used;
        o["delta"] = r.delta;
        o["percent"] = percent_json(r.percent());
        o["old_length"] = r.old_length;
        o["new_length"] = r.new_length;
        o["in_old"] = r.in_old;
        o["in_new"] = r.in_new;
        regions.push_back(std::move(o));
    }
    j["regions"] = std::move(regions);
    std::optional<double> ap;
    if (diff.old_allocated) ap = static_cast<double>(diff.allocated_delta) * 100.0 / static_cast<double>(diff.old_allocated);
    j["allocated"] = {{"old", diff.old_allocated}, {"new", diff.new_allocated},
                      {"delta", diff.allocated_delta}, {"percent", percent_json(ap)}};

    ordered_json items = ordered_json::array();
    std::size_t hidden = 0;
    if (options.by != Breakdown::region) {
        for (const ItemDelta& i : diff_items(diff, options.by)) {
            if (!diff_row_shown(i, options)) {
                if (i.change != Change::unchanged) ++hidden;
                continue;
            }
            ordered_json o;
            o["id"] = i.id;
            o["name"] = i.name;
            if (options.by == Breakdown::symbol) {
                o["demangled"] = demangle(i.name);
                o["object"] = i.path;
            } else {
                o["path"] = i.path;
            }
            o["change"] = change_name(i.change);
            o["old"] = i.old_size;
            o["new"] = i.new_size;
            o["delta"] = i.delta;
            o["percent"] = percent_json(i.percent());
            o["regions"] = per_region_json(i.regions, [&](std::size_t r) -> const std::string& { return diff.regions[r].name; });
            items.push_back(std::move(o));
        }
    }
    j["items"] = std::move(items);
    j["hidden"] = hidden;
    return json_text(j, 2) + "\n";
}

}  // namespace sizebudget

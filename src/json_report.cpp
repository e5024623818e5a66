// Machine-readable report; its shape is documented by budgets/report.schema.json.
#include <nlohmann/json.hpp>

#include "sizebudget/demangle.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/json_text.hpp"

namespace sizebudget {

namespace {

using nlohmann::ordered_json;

ordered_json region_bytes(const Totals& t, const std::vector<std::uint64_t>& regions) {
    ordered_json out = ordered_json::object();
    for (std::size_t r = 0; r < t.regions.size(); ++r)
        if (regions[r] != 0) out[t.regions[r].name] = regions[r];
    return out;
}

ordered_json items(const Totals& t, const std::vector<ItemSize>& list, std::size_t top, bool symbols) {
    ordered_json out = ordered_json::array();
    std::size_t n = top == 0 ? list.size() : std::min(top, list.size());
    for (std::size_t i = 0; i < n; ++i) {
        const ItemSize& item = list[i];
        ordered_json j;
        j["name"] = item.name;
        if (symbols) {
            j["demangled"] = demangle(item.name);
            j["object"] = item.path;
        } else {
            j["path"] = item.path;
        }
        j["size"] = item.size;
        j["regions"] = region_bytes(t, item.regions);
        out.push_back(std::move(j));
    }
    return out;
}

std::string region_name(const LinkMap& map, std::uint32_t index) {
    return index == npos32 ? std::string() : std::string(map.regions[index].name);
}

}  // namespace

std::string json_report(const LinkMap& map, const Totals& t, const ReportOptions& options) {
    ordered_json j;
    j["schema"] = "sizebudget-report/1";
    j["map"] = map.source;
    j["format"] = map.format == MapFormat::lld ? "lld" : "gnu-ld";
    j["allocated"] = t.allocated;

    ordered_json regions = ordered_json::array();
    for (const RegionUsage& r : t.regions) {
        ordered_json o;
        o["name"] = r.name;
        o["origin"] = r.origin;
        o["length"] = r.length;
        o["used"] = r.used;
        o["linker_used"] = r.linker_used;
        o["free"] = r.used > r.length ? 0 : r.length - r.used;
        o["overflowed"] = r.overflowed();
        regions.push_back(std::move(o));
    }
    j["regions"] = std::move(regions);

    ordered_json sections = ordered_json::array();
    for (const OutputSection& s : map.sections) {
        ordered_json o;
        o["name"] = s.name;
        o["address"] = s.address;
        o["load_address"] = s.load_address;
        o["size"] = s.size;
        o["allocated"] = s.allocated;
        o["loaded"] = s.loaded;
        o["run_region"] = region_name(map, s.run_region);
        o["load_region"] = region_name(map, s.loaded ? s.load_region : s.run_region);
        sections.push_back(std::move(o));
    }
    j["sections"] = std::move(sections);
    j["archives"] = items(t, t.archives, options.top, false);
    j["objects"] = items(t, t.objects, options.top, false);
    j["symbols"] = items(t, t.symbols, options.top, true);

    ordered_json warnings = ordered_json::array();
    for (const Diagnostic& w : map.warnings) warnings.push_back({{"line", w.line}, {"message", w.message}});
    j["warnings"] = std::move(warnings);
    j["discarded"] = {{"sections", map.discarded_sections}, {"bytes", map.discarded_bytes}};
    return json_text(j, 2) + "\n";
}

}  // namespace sizebudget

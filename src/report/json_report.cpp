// Machine-readable report; its shape is documented by budgets/report.schema.json.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "sizebudget/demangle.hpp"
#include "sizebudget/hints.hpp"
#include "sizebudget/memories.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/retained.hpp"
#include "sizebudget/json_text.hpp"
#include "sizebudget/totals_json.hpp"

namespace sizebudget {

namespace {

using nlohmann::ordered_json;

ordered_json item_row(const Totals& t, const ItemSize& item, bool symbol) {
    ordered_json j;
    if (symbol) {
        // The readable name (demangle.hpp) is the name; the map's own text is kept beside it.
        const std::string readable = demangle(item.name);
        j["name"] = readable;
        j["demangled"] = readable;  // the same; kept for scripts written against earlier reports
        if (readable != item.name) j["mangled"] = item.name;
        j["object"] = item.path;
        j["address"] = item.address;
        if (!item.aliases.empty()) j["aliases"] = aliases_json(item);
    } else {
        j["name"] = item.name;
        j["path"] = item.path;
    }
    j["size"] = item.size;
    j["regions"] = region_bytes_json(t, item);
    return j;
}

std::string region_name(const LinkMap& map, std::uint32_t index) {
    return index == npos32 ? std::string() : std::string(map.regions[index].name);
}

}  // namespace

std::string json_report(const LinkMap& map, const Totals& t, const ReportOptions& options) {
    std::string out;
    json_report(map, t, options, [&](std::string_view text) { out += text; });
    return out;
}

void json_report(const LinkMap& map, const Totals& t, const ReportOptions& options, const TextSink& sink) {
    JsonLines doc(sink);
    doc.field("schema", ordered_json("sizebudget-report/1"));
    doc.field("map", ordered_json(map.source));
    doc.field("format", ordered_json(map_format_name(map.format)));
    doc.field("allocated", ordered_json(t.allocated));
    doc.field("image_size", ordered_json(t.image_size));
    doc.field("reserved", ordered_json(t.reserved));
    doc.field("reserved_sections", ordered_json(t.reserved_sections));
    doc.array("regions", t.regions.size(), [&](std::size_t i) {
        const RegionUsage& r = t.regions[i];
        ordered_json o = region_usage_json(r);
        o["free"] = r.used > r.length ? 0 : r.length - r.used;
        o["overflowed"] = r.overflowed();
        return o;
    });
    // The chip's memory types (memories.hpp), for ESP-IDF maps.
    std::string why;
    const std::optional<std::string> chip = detect_esp_chip(map, &why);
    const std::vector<MemoryUsage> memories = chip ? memory_usage(map, esp_memory_types(*chip)) : std::vector<MemoryUsage>{};
    doc.field("chip", chip ? ordered_json(*chip) : ordered_json(nullptr));
    doc.array("memories", memories.size(), [&](std::size_t i) {
        ordered_json o;
        o["name"] = memories[i].name;
        o["used"] = memories[i].used;
        o["size"] = memories[i].size;
        return o;
    });
    doc.array("sections", map.sections.size(), [&](std::size_t i) {
        const OutputSection& s = map.sections[i];
        ordered_json o;
        o["name"] = s.name;
        o["address"] = s.address;
        o["load_address"] = s.load_address;
        o["size"] = s.size;
        o["allocated"] = s.allocated;
        o["loaded"] = s.loaded;
        o["run_region"] = region_name(map, s.run_region);
        o["load_region"] = region_name(map, s.loaded ? s.load_region : s.run_region);
        return o;
    });
    // What the retained figures rest on; null: the map records no references, and every row's
    // "retained" is null.
    const RetainedSizes* kept = options.retained;
    doc.field("retained_evidence", kept && !kept->evidence.empty() ? ordered_json(kept->evidence) : ordered_json(nullptr));
    // Archives and crates whose "retained" is a lower bound (too many to search each).
    doc.field("retained_estimated", ordered_json(kept ? kept->estimated : 0));
    auto rows = [&](std::string_view key, const ItemRows& list, bool symbol, Breakdown by) {
        const std::size_t n = options.top == 0 ? list.size() : std::min(options.top, list.size());
        doc.array(key, n, [&](std::size_t i) {
            ordered_json row = item_row(t, list[i], symbol);
            const std::uint64_t r = kept && i < kept->of(by).size() ? kept->of(by)[i] : no_retained;
            row["retained"] = r == no_retained ? ordered_json(nullptr) : ordered_json(r);
            return row;
        });
    };
    rows("archives", t.archives, false, Breakdown::archive);
    rows("objects", t.objects, false, Breakdown::object);
    rows("crates", t.crates, false, Breakdown::crate);  // Rust crates (crates.hpp)
    rows("symbols", t.symbols, true, Breakdown::symbol);
    doc.array("warnings", map.warnings.size(), [&](std::size_t i) {
        ordered_json o;
        o["line"] = map.warnings[i].line;
        o["message"] = map.warnings[i].message;
        return o;
    });
    // The size traps found (hints.hpp); empty when none fired or none were looked for.
    const std::vector<Hint> no_hints;
    const std::vector<Hint>& hints = options.hints ? *options.hints : no_hints;
    doc.array("hints", hints.size(), [&](std::size_t i) {
        const Hint& h = hints[i];
        ordered_json o;
        o["id"] = h.id;
        o["title"] = h.title;
        o["evidence"] = h.evidence;
        o["evidence_bytes"] = h.evidence_bytes;
        o["also"] = h.also;
        o["bytes"] = h.bytes;
        o["retained"] = h.retained;
        o["why"] = h.why;
        o["remedy"] = h.remedy;
        return o;
    });
    ordered_json discarded;
    discarded["sections"] = map.discarded_sections;
    discarded["bytes"] = map.discarded_bytes;
    doc.field("discarded", discarded);
    doc.close();
}

}  // namespace sizebudget

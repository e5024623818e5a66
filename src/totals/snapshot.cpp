// Snapshots made from totals and written as JSON (snapshot_reader.cpp reads them back); the shape
// is documented by budgets/snapshot.schema.json.
#include "sizebudget/snapshot.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sizebudget/demangle.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/identity.hpp"
#include "sizebudget/input_file.hpp"
#include "sizebudget/json_text.hpp"
#include "sizebudget/totals_json.hpp"

namespace sizebudget {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Largest first, then by name and path, so equal sizes never depend on map order.
void sort_items(ItemRows& items) {
    items.stable_sort([](const ItemRows& rows, std::size_t a, std::size_t b) {
        if (rows.bytes(a) != rows.bytes(b)) return rows.bytes(a) > rows.bytes(b);
        if (rows.name(a) != rows.name(b)) return rows.name(a) < rows.name(b);
        return rows.path(a) < rows.path(b);
    });
}

ordered_json item_row(const Totals& t, const ItemSize& item, std::string_view path_key) {
    ordered_json j;
    if (!path_key.empty()) j["id"] = item.id;
    // Symbols by their readable names, as everywhere else (the identity starts with it too).
    j["name"] = path_key == "object" ? demangle(item.name) : std::string(item.name);
    if (!path_key.empty() && !item.path.empty()) j[std::string(path_key)] = item.path;
    if (path_key == "object") {
        j["address"] = item.address;
        if (!item.aliases.empty()) j["aliases"] = aliases_json(item);
    }
    j["size"] = item.size;
    j["regions"] = region_bytes_json(t, item);
    return j;
}

}  // namespace

Snapshot make_snapshot(const LinkMap& map, Totals totals) {
    // A snapshot without its symbols would read as "every symbol removed" in a later diff.
    if (!totals.has_symbols || !totals.has_crates)
        throw std::logic_error("make_snapshot: totals computed without symbols or crates");
    Snapshot s;
    s.map = std::filesystem::path(map.source).filename().string();
    s.format = map_format_name(map.format);
    s.totals = std::move(totals);
    for (const Diagnostic& w : map.warnings) s.warnings.push_back(w.text());
    for (RegionUsage& r : s.totals.regions) r.missed_by_linker.clear();
    sort_items(s.totals.sections);
    sort_items(s.totals.archives);
    sort_items(s.totals.objects);
    sort_items(s.totals.symbols);
    sort_items(s.totals.crates);
    assign_identities(s.totals);
    return s;
}

std::string snapshot_to_json(const Snapshot& s) {
    std::string out;
    snapshot_to_json(s, [&](std::string_view text) { out += text; });
    return out;
}

void snapshot_to_json(const Snapshot& s, const TextSink& sink) {
    const Totals& t = s.totals;
    JsonLines doc(sink);
    doc.field("schema", json(snapshot_schema));
    doc.field("map", json(s.map));
    doc.field("format", json(s.format));
    doc.field("allocated", json(t.allocated));
    doc.field("reserved", json(t.reserved));
    doc.array("regions", t.regions.size(), [&](std::size_t i) { return region_usage_json(t.regions[i]); });
    auto rows = [&](std::string_view key, const ItemRows& list, std::string_view path_key) {
        doc.array(key, list.size(), [&](std::size_t i) { return item_row(t, list[i], path_key); });
    };
    rows("sections", t.sections, {});
    rows("archives", t.archives, "path");
    rows("objects", t.objects, "path");
    rows("symbols", t.symbols, "object");
    rows("crates", t.crates, {});  // absent from snapshots made before crates were a level
    if (!s.warnings.empty()) doc.field("warnings", json(s.warnings));
    doc.close();
}

bool is_snapshot_file(const std::string& path) {
    if (!is_regular_file(path)) return false;  // read_map() refuses it in its own words
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;  // read_map() reports the error in its own words
    char c = 0;
    while (in.get(c))
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c == '{';
    return false;
}

Snapshot load_snapshot_or_map(const std::string& path, const ReadOptions& options) {
    if (is_snapshot_file(path)) return load_snapshot(path);
    LinkMap map = read_map(path, options);
    return make_snapshot(map, compute_totals(map, snapshot_totals));
}

}  // namespace sizebudget

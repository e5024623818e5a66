// Snapshots to and from JSON; the shape is documented by budgets/snapshot.schema.json.
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
void sort_items(std::vector<ItemSize>& items) {
    std::stable_sort(items.begin(), items.end(), [](const ItemSize& a, const ItemSize& b) {
        if (a.size != b.size) return a.size > b.size;
        if (a.name != b.name) return a.name < b.name;
        return a.path < b.path;
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

// --- loading -------------------------------------------------------------------------------

std::size_t line_of_offset(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

struct Loader {
    const std::string& file;
    bool with_ids = true;  // schema 2 rows carry their identity; schema 1 rows get one computed

    static std::string join(const std::string& where, const std::string& key) {
        return where == "top level" ? key : where + "." + key;
    }

    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throw Error(file, fmt::format("invalid snapshot: {}: {}", where, what));
    }

    const json& field(const json& obj, const char* key, const std::string& where) const {
        auto it = obj.find(key);
        if (it == obj.end()) fail(where, fmt::format("missing \"{}\"", key));
        return *it;
    }

    std::uint64_t bytes(const json& obj, const char* key, const std::string& where) const {
        const json& v = field(obj, key, where);
        if (!v.is_number_unsigned()) fail(join(where, key), "expected a non-negative integer");
        return v.get<std::uint64_t>();
    }

    std::string string(const json& obj, const char* key, const std::string& where, bool required = true) const {
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) fail(where, fmt::format("missing \"{}\"", key));
            return {};
        }
        if (!it->is_string()) fail(join(where, key), "expected a string");
        return it->get<std::string>();
    }

    // Keys a writer of this version never writes are an error: a typo or a hand edit.
    void only_keys(const json& obj, const std::string& where, std::initializer_list<std::string_view> known) const {
        for (const auto& entry : obj.items())
            if (std::find(known.begin(), known.end(), entry.key()) == known.end())
                fail(where, fmt::format("unknown key \"{}\"", entry.key()));
    }

    const json& array(const json& obj, const char* key) const {
        const json& v = field(obj, key, "top level");
        if (!v.is_array()) fail(key, "expected an array");
        return v;
    }

    std::vector<ItemSize> items(const json& root, const char* key, const char* path_key, Totals& t) const {
        std::vector<ItemSize> out;
        const json& list = array(root, key);
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const json& row = list[i];
            std::string where = fmt::format("{}[{}]", key, i);
            if (!row.is_object()) fail(where, "expected an object");
            only_keys(row, where, {"id", "name", "path", "object", "address", "aliases", "size", "regions"});
            ItemSize item;
            item.name = t.intern(string(row, "name", where));
            if (with_ids && path_key != nullptr) item.id = t.intern(string(row, "id", where));
            if (path_key != nullptr) item.path = t.intern(string(row, path_key, where, false));
            item.size = bytes(row, "size", where);
            if (item.size > t.allocated) fail(where + ".size", fmt::format("{} bytes, more than all allocated ones", item.size));
            if (std::string_view(path_key ? path_key : "") == "object") {
                if (row.contains("address")) item.address = bytes(row, "address", where);
                if (auto aliases = row.find("aliases"); aliases != row.end()) {
                    if (!aliases->is_array()) fail(where + ".aliases", "expected an array of names");
                    std::string joined;
                    for (const json& a : *aliases) {
                        if (!a.is_string()) fail(where + ".aliases", "expected an array of names");
                        if (!joined.empty()) joined += '\n';
                        joined += a.get<std::string>();
                    }
                    item.aliases = t.intern(joined);
                }
            }
            item.regions.assign(t.regions.size(), 0);
            const json& regions = field(row, "regions", where);
            if (!regions.is_object()) fail(where + ".regions", "expected an object");
            for (const auto& entry : regions.items()) {
                // Named copies: clang 14 cannot capture structured bindings in a lambda.
                const std::string& name = entry.key();
                const json& value = entry.value();
                auto r = std::find_if(t.regions.begin(), t.regions.end(),
                                      [&](const RegionUsage& u) { return u.name == name; });
                if (r == t.regions.end())
                    fail(where + ".regions", fmt::format("unknown region '{}'", name));
                if (!value.is_number_unsigned())
                    fail(where + ".regions." + name, "expected a non-negative integer");
                item.regions[static_cast<std::size_t>(r - t.regions.begin())] = value.get<std::uint64_t>();
            }
            sum += item.size;  // no wrap: each size is at most `allocated` and there are < 2^40 rows
            out.push_back(std::move(item));
        }
        // Every allocated byte is in one row of each level (totals.hpp); a snapshot whose rows
        // say otherwise was edited or cut, and its figures cannot be trusted. (An empty level is
        // one the writer did not record.)
        if (!out.empty() && sum != t.allocated)
            fail(key, fmt::format("the rows add up to {} bytes, but \"allocated\" is {}", sum, t.allocated));
        sort_items(out);
        return out;
    }
};

std::string read_whole_file(const std::string& path) {
    require_regular_file(path, "snapshot");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open file");
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) throw Error(path, "cannot read file");
    return s.str();
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
    const Totals& t = s.totals;
    std::string out;
    JsonLines doc(out);
    doc.field("schema", json(snapshot_schema));
    doc.field("map", json(s.map));
    doc.field("format", json(s.format));
    doc.field("allocated", json(t.allocated));
    doc.field("reserved", json(t.reserved));
    doc.array("regions", t.regions.size(), [&](std::size_t i) { return region_usage_json(t.regions[i]); });
    auto rows = [&](std::string_view key, const std::vector<ItemSize>& list, std::string_view path_key) {
        doc.array(key, list.size(), [&](std::size_t i) { return item_row(t, list[i], path_key); });
    };
    rows("sections", t.sections, {});
    rows("archives", t.archives, "path");
    rows("objects", t.objects, "path");
    rows("symbols", t.symbols, "object");
    rows("crates", t.crates, {});  // absent from snapshots made before crates were a level
    doc.close();
    return out;
}

Snapshot parse_snapshot(std::string_view text, const std::string& file) {
    json root;
    try {
        // JSON objects with a key twice parse as the last one: refuse them instead.
        std::vector<std::vector<std::string>> keys;  // per open object
        std::string duplicate;
        root = json::parse(text, [&](int, json::parse_event_t event, json& parsed) {
            if (event == json::parse_event_t::object_start) keys.emplace_back();
            else if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
            else if (event == json::parse_event_t::key && !keys.empty() && duplicate.empty()) {
                const std::string k = parsed.get<std::string>();
                if (std::find(keys.back().begin(), keys.back().end(), k) != keys.back().end()) duplicate = k;
                keys.back().push_back(k);
            }
            return true;
        });
        if (!duplicate.empty()) throw Error(file, fmt::format("invalid snapshot: the key \"{}\" appears twice in one object", duplicate));
    } catch (const json::parse_error& e) {
        // e.byte is 1-based and points just past the offending character.
        std::size_t offset = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
        std::size_t line = line_of_offset(text, offset);
        std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
        std::size_t column = line_start == std::string_view::npos || offset == 0 ? offset + 1 : offset - line_start;
        if (offset > 0 && text[offset - 1] == '\n') column = 1;
        // "[json.exception.parse_error.101] parse error at line 2, column 1: syntax error ..."
        std::string what = e.what();
        if (auto pos = what.find(": syntax error"); pos != std::string::npos) what = what.substr(pos + 2);
        else if (auto p2 = what.find("] "); p2 != std::string::npos) what = what.substr(p2 + 2);
        throw Error(file, line, column, "not valid JSON (a snapshot was expected): " + what);
    } catch (const json::exception& e) {
        // A number beyond what JSON readers hold (out_of_range.406: "2e978") and the like.
        std::string what = e.what();
        if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
        throw Error(file, "not a valid snapshot: " + what);
    }
    Loader load{file};
    if (!root.is_object()) load.fail("top level", "expected a JSON object");
    auto schema = root.find("schema");
    if (schema == root.end() || !schema->is_string())
        load.fail("top level", fmt::format("missing \"schema\" (expected \"{}\")", snapshot_schema));
    const std::string version = schema->get<std::string>();
    if (version != snapshot_schema && version != snapshot_schema_v1)
        throw Error(file, fmt::format("unsupported snapshot schema \"{}\" (this sizebudget reads \"{}\" and \"{}\")",
                                      version, snapshot_schema, snapshot_schema_v1));
    load.with_ids = version == snapshot_schema;

    Snapshot s;
    s.map = load.string(root, "map", "top level", false);
    s.format = load.string(root, "format", "top level", false);
    load.only_keys(root, "top level",
                   {"schema", "map", "format", "allocated", "reserved", "regions", "sections", "archives", "objects",
                    "symbols", "crates"});
    Totals& t = s.totals;
    t.allocated = load.bytes(root, "allocated", "top level");
    // Snapshots made before reserved space was told apart hold none.
    t.reserved = root.contains("reserved") ? load.bytes(root, "reserved", "top level") : 0;
    if (t.reserved > t.allocated) load.fail("top level", "more reserved bytes than allocated ones");
    const json& regions = load.array(root, "regions");
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const json& r = regions[i];
        std::string where = fmt::format("regions[{}]", i);
        if (!r.is_object()) load.fail(where, "expected an object");
        load.only_keys(r, where, {"name", "origin", "length", "used", "linker_used", "reserved"});
        RegionUsage u;
        u.name = load.string(r, "name", where);
        if (u.name.empty()) load.fail(where + ".name", "empty region name");
        for (const RegionUsage& prev : t.regions)
            if (prev.name == u.name) load.fail(where, fmt::format("region '{}' listed twice", u.name));
        u.origin = load.bytes(r, "origin", where);
        u.length = load.bytes(r, "length", where);
        u.used = load.bytes(r, "used", where);
        // What a region holds ends within the address space; an overflowed region may hold more
        // than its length, but not more than there are addresses.
        if (u.used > ~std::uint64_t{0} - u.origin)
            load.fail(where + ".used", fmt::format("{} bytes from origin {:#x} run past the 64-bit address space", u.used, u.origin));
        u.linker_used = r.contains("linker_used") ? load.bytes(r, "linker_used", where) : u.used;
        if (u.linker_used > u.used) load.fail(where + ".linker_used", "more than used: ld's figure never exceeds it");
        u.reserved = r.contains("reserved") ? load.bytes(r, "reserved", where) : 0;
        if (u.reserved > u.used) load.fail(where + ".reserved", "more reserved bytes than used ones");
        t.regions.push_back(std::move(u));
    }
    t.sections = load.items(root, "sections", nullptr, t);
    t.archives = load.items(root, "archives", "path", t);
    t.objects = load.items(root, "objects", "path", t);
    t.symbols = load.items(root, "symbols", "object", t);
    t.has_symbols = true;
    if (root.contains("crates")) t.crates = load.items(root, "crates", nullptr, t);
    t.has_crates = true;
    if (!load.with_ids) assign_identities(t);
    return s;
}

Snapshot load_snapshot(const std::string& path) { return parse_snapshot(read_whole_file(path), path); }

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

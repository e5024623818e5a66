// The HTML pages of report, check and diff: the data as JSON inside one page that draws it.
// Names in maps can be hostile: the data is JSON in a non-executed script element with every '<'
// escaped, and the page script only ever sets text, never markup.
#include "sizebudget/html_report.hpp"

#include <algorithm>
#include <functional>
#include <span>

#include <boost/unordered/unordered_flat_map.hpp>
#include <fmt/format.h>

#include "embedded_files.hpp"
#include "sizebudget/check_report.hpp"
#include "sizebudget/demangle.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/hints.hpp"
#include "sizebudget/identity.hpp"
#include "sizebudget/json_text.hpp"
#include "sizebudget/size_format.hpp"
#include "sizebudget/size_tree.hpp"

namespace sizebudget {

using nlohmann::json;

namespace {

// Rows per table: a table of 200,000 symbols is no use on a page; the CSV report has them all.
constexpr std::size_t max_table_rows = 1000;
// Region columns in a table, and region bars above the treemap, at most.
constexpr std::size_t max_region_columns = 24;
constexpr std::size_t max_region_bars = 16;

// [name, size, kind, detail, children, mark, delta], trailing empty fields left out.
json node_json(const SizeTree& tree, std::uint32_t i) {
    const TreeNode& n = tree.nodes[i];
    // Pages are shared (CI artifacts): paths without the machine's folders, as Markdown shows them.
    const bool path = n.kind == NodeKind::archive || n.kind == NodeKind::object;
    json j = json::array({n.kind == NodeKind::symbol ? demangle(n.name) : n.name, n.size,
                          std::string(1, node_kind_letter(n.kind)),
                          path && !n.detail.empty() ? portable_path(n.detail) : n.detail});
    json kids = json::array();
    for (std::uint32_t c : n.children) kids.push_back(node_json(tree, c));
    if (!kids.empty() || !n.mark.empty() || n.delta != 0) j.push_back(kids.empty() ? json(0) : std::move(kids));
    if (!n.mark.empty() || n.delta != 0) {
        j.push_back(n.mark);
        j.push_back(n.delta);
    }
    return j;
}

// Marks nodes through `mark_of(node, shown name)`, which returns the mark and delta or nothing.
template <typename MarkOf>
void mark_nodes(SizeTree& tree, std::uint32_t i, MarkOf&& mark_of) {
    TreeNode& n = tree.nodes[i];
    mark_of(n);
    for (std::size_t k = 0; k < tree.nodes[i].children.size(); ++k) mark_nodes(tree, tree.nodes[i].children[k], mark_of);
}

json region_json(const RegionUsage& r) {
    return {{"name", r.name}, {"origin", r.origin}, {"length", r.length}, {"used", r.used}, {"reserved", r.reserved}};
}

// A table of a breakdown's rows: name, bytes, per-region bytes (regions any row uses), path.
// A link of thousands of regions gets no per-region columns: a table that wide is no table.
json item_table(std::string_view title, std::string_view what, const ItemRows& rows,
                const std::vector<RegionUsage>& regions, std::size_t top, bool symbols) {
    const std::size_t shown = std::min(rows.size(), top == 0 ? max_table_rows : std::min(top, max_table_rows));
    std::vector<bool> used(regions.size(), false);
    for (const ItemSize& row : rows)
        for (const auto& [r, bytes] : row.regions)
            if (bytes != 0 && r < used.size()) used[r] = true;
    std::vector<std::size_t> used_regions;
    for (std::size_t r = 0; r < used.size(); ++r)
        if (used[r]) used_regions.push_back(r);
    std::string note;
    if (used_regions.size() > max_region_columns) {
        note = fmt::format("bytes per region left out: {} regions", used_regions.size());
        used_regions.clear();
    }
    json columns = json::array({json{{"name", what}}, json{{"name", "Bytes"}, {"numeric", true}}});
    for (std::size_t r : used_regions) columns.push_back({{"name", regions[r].name}, {"numeric", true}});
    const bool paths = std::any_of(rows.begin(), rows.end(), [](const ItemSize& row) { return !row.path.empty(); });
    if (paths) columns.push_back({{"name", symbols ? "Object" : "Path"}});
    json out_rows = json::array();
    for (std::size_t i = 0; i < shown; ++i) {
        const ItemSize& row = rows[i];
        json cells = json::array({symbols ? demangle(row.name) : std::string(row.name), row.size});
        for (std::size_t r : used_regions) cells.push_back(row.regions[r]);
        if (paths) cells.push_back(row.path.empty() ? std::string() : portable_path(row.path));
        out_rows.push_back(std::move(cells));
    }
    return {{"title", title}, {"columns", std::move(columns)}, {"rows", std::move(out_rows)},
            {"more", rows.size() - shown}, {"note", note}};
}

json region_table(const std::vector<RegionUsage>& regions) {
    json rows = json::array();
    const std::size_t shown = std::min(regions.size(), max_table_rows);
    for (const RegionUsage& r : std::span(regions).first(shown))
        rows.push_back(json::array({r.name, fmt::format("{:#010x}", r.origin), r.length, r.used,
                                    r.length > r.used ? r.length - r.used : 0, r.reserved}));
    return {{"title", "Regions"},
            {"columns", json::array({json{{"name", "Region"}}, json{{"name", "Origin"}},
                                     json{{"name", "Length"}, {"numeric", true}}, json{{"name", "Used"}, {"numeric", true}},
                                     json{{"name", "Free"}, {"numeric", true}},
                                     json{{"name", "Reserved"}, {"numeric", true}}})},
            {"rows", std::move(rows)},
            {"more", regions.size() - shown}};
}

// The bars above the treemap: every region of an ordinary link; of thousands, the fullest.
template <typename Row, typename Used>
json region_bars(const std::vector<Row>& rows, Used&& used, std::function<json(const Row&)> bar) {
    std::vector<const Row*> order;
    for (const Row& r : rows) order.push_back(&r);
    if (order.size() > max_region_bars) {
        std::stable_sort(order.begin(), order.end(), [&](const Row* a, const Row* b) { return used(*a) > used(*b); });
        order.resize(max_region_bars);
    }
    json out = json::array();
    for (const Row* r : order) out.push_back(bar(*r));
    // The page says how many regions have no bar.
    if (rows.size() > order.size()) out.push_back({{"more", rows.size() - order.size()}});
    return out;
}

json totals_tables(const Totals& t, std::size_t top) {
    json tables = json::array({region_table(t.regions)});
    tables.push_back(item_table("Sections", "Section", t.sections, t.regions, top, false));
    tables.push_back(item_table("Archives", "Archive", t.archives, t.regions, top, false));
    tables.push_back(item_table("Objects", "Object", t.objects, t.regions, top, false));
    if (t.has_symbols) tables.push_back(item_table("Symbols", "Symbol", t.symbols, t.regions, top, true));
    // C links have only "(no crate)" and the pseudo rows: no table.
    if (t.has_crates && std::any_of(t.crates.begin(), t.crates.end(), [](const ItemSize& c) { return !c.name.starts_with("("); }))
        tables.push_back(item_table("Crates", "Crate", t.crates, t.regions, top, false));
    return tables;
}

json tree_json(SizeTree& tree) {
    fold(tree);
    return node_json(tree, 0);
}

json hints_json(const std::vector<Hint>* hints) {
    json out = json::array();
    if (hints == nullptr) return out;
    for (const Hint& h : *hints)
        out.push_back({{"id", h.id}, {"title", h.title}, {"evidence", h.evidence}, {"evidence_bytes", h.evidence_bytes},
                       {"retained", h.retained}, {"why", h.why}, {"remedy", h.remedy}});
    return out;
}

json warnings_json(const std::vector<Diagnostic>& warnings) {
    json out = json::array();
    for (const Diagnostic& w : warnings) out.push_back(w.text());
    return out;
}

std::string page(const json& data) {
    if (!html_reports_available())
        throw Error("--format html", "this sizebudget was built without d3-hierarchy (Debian's node-d3-hierarchy), "
                                     "which draws the treemap: install it and rebuild sizebudget");
    std::string data_text = json_text(data);
    // Inside <script>, only "</script" or "<!--" could end the element early; JSON has '<' only
    // in strings, where \u003c reads the same.
    std::string escaped;
    escaped.reserve(data_text.size());
    for (char c : data_text) {
        if (c == '<') escaped += "\\u003c";
        else escaped += c;
    }
    std::string out;
    out.reserve(escaped.size() + embedded::d3_hierarchy.size() + embedded::page_js.size() + 16384);
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    // No request may leave the page: a report opened from a CI artifact must not call home.
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    // The script titles the page from the data: no name from a map is ever written as markup.
    out += fmt::format("<title>sizebudget {}</title>\n<meta name=\"generator\" content=\"sizebudget\">\n",
                       data["page"].get<std::string>());
    out += "<style>\n";
    out += embedded::page_css;
    out += "</style>\n</head>\n<body>\n<noscript>This report draws with JavaScript; the same figures are in "
           "`sizebudget report --format text`.</noscript>\n";
    out += "<script type=\"application/json\" id=\"sb-data\">";
    out += escaped;
    out += "</script>\n<script>\n";
    out += embedded::d3_hierarchy;
    out += "\n</script>\n<script>\n";
    out += embedded::page_js;
    out += "\n</script>\n</body>\n</html>\n";
    return out;
}

}  // namespace

bool html_reports_available() { return !embedded::d3_hierarchy.empty(); }

std::string html_report(const LinkMap& map, const Totals& totals, const ReportOptions& options) {
    SizeTree tree = map_tree(map);
    const std::string name = std::string(file_name(map.source));
    json data = {{"page", "report"},
                 {"title", name},
                 {"subtitle", fmt::format("{} map, {} of content, {} reserved, image {}", map_format_name(map.format),
                                          human_size(totals.content()), human_size(totals.reserved),
                                          human_size(totals.image_size))},
                 {"regions", region_bars<RegionUsage>(totals.regions, [](const RegionUsage& r) { return r.used; },
                                                      region_json)},
                 {"tree", tree_json(tree)},
                 {"tables", totals_tables(totals, options.top)},
                 {"hints", hints_json(options.hints)},
                 {"notes", warnings_json(map.warnings)}};
    return page(data);
}

std::string check_html_report(const LinkMap& map, const Totals& totals, const CheckResult& result) {
    SizeTree tree = map_tree(map);
    fold(tree);
    // The verdict each budgeted item got, by what budgets name: regions, sections and archives
    // by name, objects by their totals name, symbols by their readable name.
    auto worst = [](VerdictStatus a, VerdictStatus b) {
        auto rank = [](VerdictStatus s) {
            switch (s) {
            case VerdictStatus::forbidden: return 4;
            case VerdictStatus::exceeded: return 3;
            case VerdictStatus::warning: return 2;
            case VerdictStatus::ok: return 1;
            case VerdictStatus::unmatched: return 0;
            }
            return 0;
        };
        return rank(a) >= rank(b) ? a : b;
    };
    boost::unordered_flat_map<std::string, VerdictStatus> by_item[5];
    auto slot = [](EntryKind k) -> int {
        switch (k) {
        case EntryKind::region: return 0;
        case EntryKind::section: return 1;
        case EntryKind::archive: return 2;
        case EntryKind::object: return 3;
        case EntryKind::symbol: return 4;
        default: return -1;
        }
    };
    for (const Verdict& v : result.verdicts) {
        const int s = slot(v.kind);
        if (s < 0 || v.status == VerdictStatus::unmatched || v.rule != Rule::max) continue;
        auto [it, fresh] = by_item[s].try_emplace(v.item, v.status);
        if (!fresh) it->second = worst(it->second, v.status);
    }
    mark_nodes(tree, 0, [&](TreeNode& n) {
        int s = -1;
        std::string key = n.kind == NodeKind::object ? n.id : n.name;
        switch (n.kind) {
        case NodeKind::region: s = 0; break;
        case NodeKind::section: s = 1; break;
        case NodeKind::archive: s = 2; break;
        case NodeKind::object: s = 3; break;
        case NodeKind::symbol: s = 4; key = demangle(n.name); break;
        default: return;
        }
        if (auto it = by_item[s].find(key); it != by_item[s].end()) n.mark = std::string(status_name(it->second));
    });

    json verdicts = json::array();
    for (const Verdict& v : result.verdicts) {
        json contributors = json::array();
        for (const Contributor& c : v.contributors) contributors.push_back(json::array({c.name, c.bytes}));
        verdicts.push_back({{"status", status_name(v.status)},
                            {"severity", severity_name(v.severity)},
                            {"kind", entry_kind_name(v.kind)},
                            {"rule", rule_name(v.rule)},
                            {"item", v.item},
                            {"region", v.region},
                            {"message", verdict_message(v)},
                            {"where", v.where.line ? fmt::format("{}:{}:{}", portable_path(result.file_of(v)),
                                                                 v.where.line, v.where.column)
                                                   : portable_path(result.file_of(v))},
                            {"used", v.used},
                            {"limit", v.limit},
                            {"growth", v.growth},
                            {"contributors_heading", v.contributors.empty() ? std::string() : contributors_heading(v)},
                            {"contributors", std::move(contributors)},
                            {"why", v.why}});
    }
    json notes = json::array();
    for (const CheckNote& n : result.notes) notes.push_back(n.message);
    const std::string name = std::string(file_name(map.source));
    json data = {{"page", "check"},
                 {"title", name},
                 {"subtitle", fmt::format("budget {}: {}", portable_path(result.budget_path), check_summary(result))},
                 {"failed", result.failed()},
                 {"regions", region_bars<RegionRow>(result.regions, [](const RegionRow& r) { return r.usage.used; },
                                                    [](const RegionRow& r) {
                                                        json j = region_json(r.usage);
                                                        if (r.budget) j["budget"] = *r.budget;
                                                        if (r.budgeted) j["status"] = status_name(r.status);
                                                        return j;
                                                    })},
                 {"tree", node_json(tree, 0)},
                 {"verdicts", std::move(verdicts)},
                 {"tables", totals_tables(totals, 0)},
                 {"notes", std::move(notes)}};
    return page(data);
}

std::string diff_html_report(const SizeDiff& diff, const Snapshot& new_snapshot, const DiffReportOptions& options) {
    SizeTree tree = totals_tree(new_snapshot.totals);
    tree.root().name = std::string(file_name(options.new_label));
    fold(tree);
    boost::unordered_flat_map<std::string, const ItemDelta*> by_id[3];
    const std::vector<ItemDelta>* levels[3] = {&diff.archives, &diff.objects, &diff.symbols};
    for (int l = 0; l < 3; ++l)
        for (const ItemDelta& d : *levels[l]) by_id[l].emplace(d.id, &d);
    boost::unordered_flat_map<std::string, const RegionDelta*> regions;
    for (const RegionDelta& r : diff.regions) regions.emplace(r.name, &r);
    mark_nodes(tree, 0, [&](TreeNode& n) {
        if (n.kind == NodeKind::region) {
            if (auto it = regions.find(n.name); it != regions.end() && it->second->delta != 0) {
                n.mark = it->second->delta > 0 ? "grown" : "shrunk";
                n.delta = it->second->delta;
            }
            return;
        }
        const int l = n.kind == NodeKind::archive ? 0 : n.kind == NodeKind::object ? 1 : n.kind == NodeKind::symbol ? 2 : -1;
        if (l < 0 || n.id.empty()) return;
        if (auto it = by_id[l].find(n.id); it != by_id[l].end() && it->second->change != Change::unchanged) {
            n.mark = std::string(change_name(it->second->change));
            n.delta = it->second->delta;
        }
    });

    json region_rows = region_bars<RegionDelta>(
        diff.regions, [](const RegionDelta& r) { return std::max(r.old_used, r.new_used); }, [](const RegionDelta& r) {
            return json{{"name", r.name}, {"old_used", r.old_used}, {"used", r.new_used}, {"length", r.new_length},
                        {"delta", r.delta}, {"origin", 0}, {"reserved", 0}};
        });
    const Breakdown by = options.by == Breakdown::region ? Breakdown::archive : options.by;
    json rows = json::array();
    std::size_t more = 0;
    for (const ItemDelta& d : diff_items(diff, by)) {
        if (!diff_row_shown(d, options)) continue;
        if (rows.size() == max_table_rows) {
            ++more;
            continue;
        }
        rows.push_back(json::array({by == Breakdown::symbol ? demangle(d.name) : d.name, d.old_size, d.new_size, d.delta,
                                    std::string(change_name(d.change)), d.path.empty() ? d.path : portable_path(d.path)}));
    }
    json changes = {{"title", fmt::format("Changed {}s", breakdown_name(by))},
                    {"columns", json::array({json{{"name", std::string(breakdown_name(by))}},
                                             json{{"name", "Old"}, {"numeric", true}},
                                             json{{"name", "New"}, {"numeric", true}},
                                             json{{"name", "Change"}, {"numeric", true}}, json{{"name", "What"}},
                                             json{{"name", "Path"}}})},
                    {"rows", std::move(rows)},
                    {"more", more}};
    json data = {{"page", "diff"},
                 {"title", fmt::format("{} → {}", options.old_label, options.new_label)},
                 {"subtitle", fmt::format("allocated {} → {} ({} bytes)", human_size(diff.old_allocated),
                                          human_size(diff.new_allocated), signed_bytes(diff.allocated_delta))},
                 {"regions", std::move(region_rows)},
                 {"tree", node_json(tree, 0)},
                 {"tables", json::array({std::move(changes)})},
                 {"notes", json::array()}};
    for (const std::string& w : new_snapshot.warnings) data["notes"].push_back(w);
    return page(data);
}

}  // namespace sizebudget

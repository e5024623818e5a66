// The report a person reads in a terminal: ld's memory table, then the chosen breakdown.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "sizebudget/demangle.hpp"
#include "sizebudget/hints.hpp"
#include "sizebudget/memories.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/retained.hpp"
#include "sizebudget/size_format.hpp"

namespace sizebudget {

std::vector<std::size_t> used_region_columns(const Totals& t) {
    std::vector<std::size_t> cols;
    for (std::size_t r = 0; r < t.regions.size(); ++r)
        if (t.regions[r].used > 0) cols.push_back(r);
    return cols;
}

ContentRows::ContentRows(const ItemRows& all, Breakdown by) : count_(all.size()) {
    if (by == Breakdown::section) return;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all.name(i) == reserved_name && all.path(i).empty()) {
            reserved_ = i;
            return;
        }
}

std::string display_name(const ItemSize& item, Breakdown by) {
    if (by != Breakdown::symbol) return std::string(item.name);
    if (item.name == no_symbol_name && !item.path.empty())
        return fmt::format("{} in {}", no_symbol_name, file_name(item.path));
    std::string name = demangle(item.name);
    const char* separator = " = ";
    for (std::string_view alias : aliases_of(item)) {
        name += separator;
        name += demangle(alias);
        separator = ", ";
    }
    return name;
}

namespace {

using Out = std::back_insert_iterator<std::string>;

void region_details(Out out, const Totals& t) {
    fmt::format_to(out, "{:<16} {:>18} {:>12} {:>12} {:>12} {:>8}\n", "Region", "Origin", "Length",
                   "Used", "Free", "Used %");
    for (const RegionUsage& r : t.regions) {
        std::string free = r.used > r.length ? fmt::format("-{}", human_size(r.used - r.length))
                                             : human_size(r.length - r.used);
        double pct = r.length ? static_cast<double>(r.used) * 100.0 / static_cast<double>(r.length) : 0.0;
        fmt::format_to(out, "{:<16} {:>18} {:>12} {:>12} {:>12} {:>7.2f}%\n", r.name, fmt::format("0x{:08x}", r.origin),
                       human_size(r.length), human_size(r.used), free, pct);
    }
}

// The retained figures of the breakdown's rows, or null when there are none to show.
const std::vector<std::uint64_t>* retained_column(const ReportOptions& options) {
    if (options.retained == nullptr || options.retained->evidence.empty()) return nullptr;
    if (options.by == Breakdown::region || options.by == Breakdown::section) return nullptr;
    return &options.retained->of(options.by);
}

void evidence_note(Out out, const RetainedSizes& r) {
    if (r.estimated > 0)
        fmt::format_to(out, "  Retained: {} of the smallest archives and crates show a lower bound (what their members "
                            "dominate): the link has too many to search each\n",
                       r.estimated);
    if (r.evidence == "cross reference table" || r.evidence == "relocations") return;
    fmt::format_to(out,
                   "  Retained: what leaving the item out would save, from the {} alone (the first reference to "
                   "each archive member); {}\n",
                   r.evidence,
                   r.evidence == "--why-extract" ? "lld records no other references"
                                                 : "link with -Wl,--cref for every reference");
}

void item_table(Out out, const Totals& t, const ReportOptions& options) {
    // Reserved address space is no content: it follows the total, named by its sections.
    const ItemRows& all = breakdown_items(t, options.by);
    const std::vector<std::uint64_t>* retained = retained_column(options);
    const ContentRows items(all, options.by);
    const std::vector<std::size_t> cols = used_region_columns(t);
    const std::size_t shown = options.top == 0 ? items.size() : std::min(options.top, items.size());

    std::vector<std::string> names;
    std::size_t width = 20;
    for (std::size_t i = 0; i < shown; ++i) {
        names.push_back(display_name(all[items[i]], options.by));
        width = std::max(width, std::min<std::size_t>(names.back().size(), 72));
    }

    std::string title(breakdown_name(options.by));
    title[0] = static_cast<char>(title[0] - 'a' + 'A');
    fmt::format_to(out, "{:<{}}  {:>10}", title, width, "Size");
    if (retained) fmt::format_to(out, "  {:>10}", "Retained");
    for (std::size_t c : cols) fmt::format_to(out, "  {:>10}", t.regions[c].name);
    fmt::format_to(out, "\n");

    auto row = [&](std::string_view name, std::uint64_t size, const RegionBytes& regions, std::uint64_t kept) {
        std::string cut(name);
        if (cut.size() > width) cut = "..." + cut.substr(cut.size() - (width - 3));
        fmt::format_to(out, "{:<{}}  {:>10}", cut, width, human_size(size));
        if (retained) fmt::format_to(out, "  {:>10}", kept == no_retained ? "-" : human_size(kept));
        for (std::size_t c : cols)
            fmt::format_to(out, "  {:>10}", regions[c] == 0 ? "-" : human_size(regions[c]));
        fmt::format_to(out, "\n");
    };

    std::uint64_t total = 0;
    RegionBytes total_regions;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const ItemSize item = all[items[k]];
        total += item.size;
        total_regions.add(item.regions);
    }
    for (std::size_t i = 0; i < shown; ++i)
        row(names[i], all[items[i]].size, all[items[i]].regions, retained && items[i] < retained->size() ? (*retained)[items[i]] : no_retained);
    if (shown < items.size()) {
        std::uint64_t rest = 0;
        RegionBytes rest_regions;
        for (std::size_t i = shown; i < items.size(); ++i) {
            rest += all[items[i]].size;
            rest_regions.add(all[items[i]].regions);
        }
        row(fmt::format("({} more)", items.size() - shown), rest, rest_regions, no_retained);
    }
    fmt::format_to(out, "{:-<{}}\n", "", width + 12 + 12 * (cols.size() + (retained ? 1 : 0)));
    row("Total", total, total_regions, no_retained);
    if (items.reserved()) {
        const ItemSize reserved = all[*items.reserved()];
        row(reserved_name, reserved.size, reserved.regions, no_retained);
        fmt::format_to(out, "  {} is address space kept free by {}: not content, not in the total\n",
                       reserved_name, fmt::join(t.reserved_sections, ", "));
    }
    if (retained) evidence_note(out, *options.retained);
}

// `--by retained`: archives, objects and symbols by what leaving each out would save.
void retained_table(Out out, const Totals& t, const ReportOptions& options) {
    const RetainedSizes* r = options.retained;
    if (r == nullptr || r->evidence.empty()) {
        fmt::format_to(out, "No retained sizes: the map records no references (link with -Wl,--cref for GNU ld, "
                            "or give lld's --why-extract FILE).\n");
        return;
    }
    struct Row {
        std::uint64_t retained, size;
        std::string_view level;
        std::string name;
    };
    std::vector<Row> rows;
    auto add = [&](const ItemRows& items, const std::vector<std::uint64_t>& kept, Breakdown by) {
        for (std::size_t i = 0; i < items.size() && i < kept.size(); ++i)
            if (kept[i] != no_retained) rows.push_back({kept[i], items.bytes(i), breakdown_name(by), display_name(items[i], by)});
    };
    add(t.archives, r->archives, Breakdown::archive);
    add(t.objects, r->objects, Breakdown::object);
    add(t.symbols, r->symbols, Breakdown::symbol);
    add(t.crates, r->crates, Breakdown::crate);
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.retained > b.retained; });
    const std::size_t shown = options.top == 0 ? rows.size() : std::min(options.top, rows.size());
    fmt::format_to(out, "{:>10}  {:>10}  {:<8}  {}\n", "Retained", "Own", "Level", "Name");
    for (std::size_t i = 0; i < shown; ++i)
        fmt::format_to(out, "{:>10}  {:>10}  {:<8}  {}\n", human_size(rows[i].retained), human_size(rows[i].size),
                       rows[i].level, rows[i].name);
    if (shown < rows.size()) fmt::format_to(out, "({} more)\n", rows.size() - shown);
    evidence_note(out, *r);
}

// ESP-IDF maps open with the memory types, as `idf.py size` shows them.
void memory_types(Out out, const LinkMap& map) {
    std::string why;
    const std::optional<std::string> chip = detect_esp_chip(map, &why);
    if (!chip) {
        const bool esp_like = std::any_of(map.regions.begin(), map.regions.end(), [](const MemoryRegion& r) {
            return r.name == "iram0_0_seg" || r.name == "dram0_0_seg";
        });
        if (esp_like) fmt::format_to(out, "note: no memory-type summary: {}\n\n", why);
        return;
    }
    fmt::format_to(out, "{} memory types (as idf.py size counts them; reserved space left out):\n",
                   esp_chip_display_name(*chip));
    fmt::format_to(out, "{:<14} {:>10} {:>10} {:>10} {:>8}\n", "Memory type", "Used", "Remain", "Total", "Used %");
    for (const MemoryUsage& m : memory_usage(map, esp_memory_types(*chip))) {
        if (m.used == 0 && m.size == 0) continue;
        const double pct = m.size ? static_cast<double>(m.used) * 100.0 / static_cast<double>(m.size) : 0.0;
        fmt::format_to(out, "{:<14} {:>10} {:>10} {:>10} {:>7.2f}%\n", m.name, m.used,
                       m.used > m.size ? 0 : m.size - m.used, m.size, pct);
    }
    fmt::format_to(out, "\n");
}

}  // namespace

std::string text_report(const LinkMap& map, const Totals& breakdown, const ReportOptions& options) {
    std::string s;
    Out out(s);
    memory_types(out, map);
    const Totals& t = options.region_totals != nullptr ? *options.region_totals : breakdown;
    if (t.regions.empty() && map.format == MapFormat::lld) {
        fmt::format_to(out,
                       "No memory regions are known: lld maps carry none. Give --linker-script with the "
                       "MEMORY block (memory.x), or declare `regions:` in a budget file. {} allocated bytes in all.\n",
                       t.allocated);
    } else if (t.regions.empty()) {
        fmt::format_to(out, "{} defines no memory regions; {} allocated bytes in all.\n", map.source,
                       t.allocated);
    } else {
        s += memory_usage_table(t);
    }
    fmt::format_to(out, "Image size: {} bytes (sections with contents, at their load addresses)\n", t.image_size);
    for (const RegionUsage& r : t.regions) {
        if (r.overflowed())
            fmt::format_to(out, "error: region '{}' overflowed by {} bytes\n", r.name, r.used - r.length);
        if (r.reserved > 0)
            fmt::format_to(out, "note: {} bytes of '{}' are reserved address space, not content; ld counts them as used\n",
                           r.reserved, r.name);
        if (r.used != r.linker_used)
            fmt::format_to(out,
                           "note: GNU ld's own --print-memory-usage figure for '{}' is {} bytes; it "
                           "misses the load image of {} (placed with AT(expr)), which the figure above "
                           "counts\n",
                           r.name, r.linker_used, fmt::join(r.missed_by_linker, ", "));
    }
    for (const Diagnostic& w : map.warnings) {
        if (w.line > 0)
            fmt::format_to(out, "{}:{}: warning: {}\n", map.source, w.line, w.message);
        else
            fmt::format_to(out, "{}: warning: {}\n", map.source, w.message);
    }
    s += "\n";
    s += breakdown_table(breakdown, options);
    if (options.hints != nullptr) s += hints_text(*options.hints);
    return s;
}

std::string hints_text(const std::vector<Hint>& hints) {
    std::string s;
    if (hints.empty()) return s;
    Out out(s);
    fmt::format_to(out, "\nSize traps ({} found; rules in budgets/hints/size-traps.json, add your own with --hints FILE):\n",
                   hints.size());
    for (const Hint& h : hints) {
        fmt::format_to(out, "  {}: {}\n", h.id, h.title);
        // A setting's value (value_at_least) has no bytes of its own to give.
        if (h.evidence_bytes == 0 && h.retained == 0)
            fmt::format_to(out, "    found: {}\n", h.evidence);
        else
            fmt::format_to(out, "    found: {} ({}); leaving it out saves {}\n", h.evidence, human_size(h.evidence_bytes),
                           human_size(h.retained));
        if (!h.also.empty())
            fmt::format_to(out, "    also: {}{}; all matches {}\n", fmt::join(h.also, "; "),
                           h.more > 0 ? fmt::format("; {} more", h.more) : "", human_size(h.bytes));
        for (std::size_t i = 0; i < h.why.size(); ++i)
            fmt::format_to(out, "    {:<15} {}\n", i == 0 ? "linked because:" : "", h.why[i]);
        fmt::format_to(out, "    remedy: {}\n", h.remedy);
    }
    return s;
}

std::string breakdown_table(const Totals& t, const ReportOptions& options) {
    std::string s;
    if (options.by_retained)
        retained_table(Out(s), t, options);
    else if (options.by == Breakdown::region)
        region_details(Out(s), t);
    else
        item_table(Out(s), t, options);
    return s;
}

}  // namespace sizebudget

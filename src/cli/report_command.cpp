// sizebudget report MAP [--elf FILE] [--linker-script FILE [-L DIR]...] [--by ...] [--top N] [--format ...]
#include <optional>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/budget.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/hints.hpp"
#include "sizebudget/html_report.hpp"
#include "sizebudget/name_hash.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/retained.hpp"
#include "sizebudget/totals.hpp"

namespace po = boost::program_options;

namespace sizebudget::cli {

namespace {

// --only: the rows of archives, objects and symbols whose archive (by file name) or object (by
// name or path) matches `glob`, as esp_idf_size --archive-details shows one archive.
void keep_only(const LinkMap& map, Totals& t, const std::string& glob) {
    NameMap<const ObjectFile*> objects;
    for (const ObjectFile& o : map.objects) objects.emplace(o.path, &o);
    auto matches = [&](const ItemSize& row) {
        if (row.path.empty()) return glob_match(glob, row.name);  // (fill), (linker), ...
        auto it = objects.find(row.path);
        if (it == objects.end()) return glob_match(glob, file_name(row.path)) || glob_match(glob, row.path);
        const ObjectFile& o = *it->second;
        return (!o.archive.empty() && glob_match(glob, file_name(o.archive))) || glob_match(glob, file_name(o.path)) ||
               glob_match(glob, o.path) || (!o.member.empty() && glob_match(glob, o.member));
    };
    for (ItemRows* rows : {&t.archives, &t.objects, &t.symbols})
        rows->erase_if([&](std::size_t i) {
            const ItemSize row = (*rows)[i];
            if (rows == &t.archives) return !(glob_match(glob, row.name) || (!row.path.empty() && glob_match(glob, row.path)));
            return !matches(row);
        });
}

}  // namespace

int report_command(const Args& args) {
    ReadOptions read;
    std::string map_path, by = "archive", format = "text", output, columns = "region", only;
    std::vector<std::string> hint_files;
    bool no_hints = false;
    std::int64_t top = 20;
    po::options_description desc("report options");
    desc.add_options()
        ("map", po::value(&map_path)->required(), "linker map file (GNU ld or LLVM lld)")
        ("by", po::value(&by)->default_value(by),
         "breakdown: region, section, archive, object, crate, symbol, or retained (what leaving each out saves)")
        ("top", po::value(&top)->default_value(top), "rows to show in the breakdown, 0 for all")
        ("columns", po::value(&columns)->default_value(columns),
         "columns of the breakdown: region (bytes per memory region) or kind (code, rodata, data, bss, other)")
        ("only", po::value(&only),
         "only the rows of archives (or objects) matching this glob: --by object --only 'liblvgl.a'")
        ("format", po::value(&format)->default_value(format), "text, json, csv, markdown or html (a treemap page)")
        ("hints", po::value<std::vector<std::string>>(&hint_files)->composing(),
         "a file of your own size-trap rules, in the format of budgets/hints/size-traps.json (repeatable)")
        ("no-hints", po::bool_switch(&no_hints), "do not look for size traps")
        ("output,o", po::value(&output), "write the report to this file (atomically) instead of stdout");
    add_map_options(desc, read);
    po::positional_options_description pos;
    pos.add("map", 1);
    po::variables_map vm;
    if (parse_args(args, desc, pos, vm,
                   "sizebudget report MAP [--elf FILE] [--linker-script FILE [-L DIR]...] "
                   "[--by region|section|archive|object|crate|symbol|retained] [--top N]\n"
                   "                      [--format text|json|csv|markdown|html] [--why-extract FILE]"
                   "                      [--columns region|kind] [--only GLOB]"))
        return 0;

    ReportOptions options;
    options.by_retained = by == "retained";
    auto breakdown = options.by_retained ? std::optional(Breakdown::object) : parse_breakdown(by);
    if (!breakdown)
        throw po::error(
            fmt::format("--by must be region, section, archive, object, crate, symbol or retained, not '{}'", by));
    options.by = *breakdown;
    if (options.by_retained && format != "text")
        throw po::error("--by retained is a text table; JSON rows carry \"retained\" at every level");
    if (top < 0) throw po::error(fmt::format("--top must be 0 (all) or more, not {}", top));
    options.top = static_cast<std::size_t>(top);
    if (format != "text" && format != "json" && format != "csv" && format != "markdown" && format != "html")
        throw po::error(fmt::format("--format must be text, json, csv, markdown or html, not '{}'", format));
    // JSON is for machines: all rows unless --top was given explicitly.
    if (format != "text" && format != "markdown" && vm["top"].defaulted()) options.top = 0;  // tables a person reads stay short

    if (columns != "region" && columns != "kind")
        throw po::error(fmt::format("--columns must be region or kind, not '{}'", columns));
    if (columns == "kind" && format == "html")
        throw po::error("--columns kind is for text and csv; the HTML page's tables have a column per region");
    if (columns == "kind" && format == "json")
        throw po::error("--columns kind is for text and csv; JSON rows carry their regions, and `sections` their kind of content");
    if (!only.empty()) {
        if (std::string why = glob_error(only); !why.empty()) throw po::error(fmt::format("--only '{}': {}", only, why));
        if (options.by == Breakdown::region || options.by == Breakdown::section || options.by == Breakdown::crate)
            throw po::error("--only limits --by archive, object or symbol to archives or objects");
    }

    LinkMap map = read_map(map_path, read);
    // JSON lists symbols whatever the breakdown; text and CSV only for --by symbol.
    TotalsOptions needed;
    needed.symbols = format == "json" || format == "html" || options.by == Breakdown::symbol || options.by_retained;
    needed.crates = format == "json" || format == "html" || options.by == Breakdown::crate;
    // By kind, the breakdown's columns are kinds; the regions heading the report come from a
    // second pass that leaves the symbol rows out.
    TotalsOptions shown_options = needed;
    shown_options.by_kind = columns == "kind";
    Totals shown = compute_totals(map, shown_options);
    std::optional<Totals> regions;
    if (shown_options.by_kind) {
        regions = compute_totals(map, TotalsOptions{.symbols = false});
        options.region_totals = &*regions;
    }
    if (!only.empty()) keep_only(map, shown, only);
    // Retained sizes, where the rows can show them, and size traps, for the formats a person
    // reads and JSON: both rest on the reference graph, made once.
    std::optional<RetainedSizes> retained;
    const bool look_for_hints = !no_hints && format != "csv";
    const bool shows_retained = format == "json" || options.by_retained ||
                                ((format == "text" || format == "markdown") && options.by != Breakdown::region &&
                                 options.by != Breakdown::section && !shown_options.by_kind);
    if (shows_retained || look_for_hints) {
        // A table of the top rows needs the symbols' figures for those rows only (and one more
        // for the "(reserved)" row the table leaves out).
        const bool top_rows_only = (format == "text" || format == "markdown") && !options.by_retained && top > 0;
        retained = retained_sizes(map, shown, top_rows_only ? static_cast<std::size_t>(top) + 1 : shown.symbols.size());
        if (shows_retained) options.retained = &*retained;
    }
    std::vector<Hint> hints;
    if (look_for_hints) {
        std::vector<HintRule> rules = builtin_hint_rules();
        for (const std::string& file : hint_files) {
            std::vector<HintRule> more = load_hint_rules(file);
            rules.insert(rules.end(), more.begin(), more.end());
        }
        hints = find_hints(map, shown, *retained, rules);
        options.hints = &hints;
    }
    if (format == "json") {
        emit(output, map_inputs(map_path, read), [&](const TextSink& sink) { json_report(map, shown, options, sink); });
        return 0;
    }
    std::string text = format == "csv"    ? csv_report(map, shown, options)
                       : format == "html" ? html_report(map, shown, options)
                       : format == "markdown" ? markdown_report(map, shown, options)
                                         : text_report(map, shown, options);
    // Text and JSON carry the warnings; a CSV table has no place for them.
    if (format == "csv") print_warnings(map_path, warning_lines(map));
    emit(output, text, map_inputs(map_path, read));
    return 0;
}

}  // namespace sizebudget::cli

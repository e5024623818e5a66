// sizebudget report MAP [--elf FILE] [--linker-script FILE [-L DIR]...] [--by ...] [--top N] [--format ...]
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/totals.hpp"

namespace po = boost::program_options;

namespace sizebudget::cli {

int report_command(const Args& args) {
    ReadOptions read;
    std::string map_path, by = "archive", format = "text", output;
    std::int64_t top = 20;
    po::options_description desc("report options");
    desc.add_options()
        ("map", po::value(&map_path)->required(), "linker map file (GNU ld or LLVM lld)")
        ("by", po::value(&by)->default_value(by), "breakdown: region, section, archive, object, crate or symbol")
        ("top", po::value(&top)->default_value(top), "rows to show in the breakdown, 0 for all")
        ("format", po::value(&format)->default_value(format), "text, json or csv")
        ("output,o", po::value(&output), "write the report to this file (atomically) instead of stdout");
    add_map_options(desc, read);
    po::positional_options_description pos;
    pos.add("map", 1);
    po::variables_map vm;
    if (parse_args(args, desc, pos, vm,
                   "sizebudget report MAP [--elf FILE] [--linker-script FILE [-L DIR]...] "
                   "[--by region|section|archive|object|crate|symbol] [--top N] [--format text|json|csv]"))
        return 0;

    ReportOptions options;
    auto breakdown = parse_breakdown(by);
    if (!breakdown)
        throw po::error(fmt::format("--by must be region, section, archive, object, crate or symbol, not '{}'", by));
    options.by = *breakdown;
    if (top < 0) throw po::error(fmt::format("--top must be 0 (all) or more, not {}", top));
    options.top = static_cast<std::size_t>(top);
    if (format != "text" && format != "json" && format != "csv")
        throw po::error(fmt::format("--format must be text, json or csv, not '{}'", format));
    // JSON is for machines: all rows unless --top was given explicitly.
    if (format != "text" && vm["top"].defaulted()) options.top = 0;

    LinkMap map = read_map(map_path, read);
    // JSON lists symbols whatever the breakdown; text and CSV only for --by symbol.
    TotalsOptions needed;
    needed.symbols = format == "json" || options.by == Breakdown::symbol;
    needed.crates = format == "json" || options.by == Breakdown::crate;
    Totals totals = compute_totals(map, needed);
    std::string text = format == "json"  ? json_report(map, totals, options)
                       : format == "csv" ? csv_report(map, totals, options)
                                         : text_report(map, totals, options);
    emit(output, text, map_inputs(map_path, read));
    return 0;
}

}  // namespace sizebudget::cli

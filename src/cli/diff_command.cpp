// sizebudget diff OLD NEW [--elf FILE] [--linker-script FILE [-L DIR]...] [--by ...] [--threshold BYTES]
//                         [--format text|json|markdown] [-o FILE]
// OLD and NEW are each a map or a snapshot (JSON whose "schema" is sizebudget-snapshot/2, or /1 from older versions).
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/html_report.hpp"
#include "sizebudget/identity.hpp"
#include "sizebudget/size_diff.hpp"
#include "sizebudget/snapshot.hpp"

namespace po = boost::program_options;

namespace sizebudget::cli {

int diff_command(const Args& args) {
    ReadOptions read;
    std::string old_path, new_path, by = "archive", format = "text", output;
    std::int64_t threshold = 0;
    std::int64_t top = 10;
    po::options_description desc("diff options");
    desc.add_options()
        ("old", po::value(&old_path), "the old map or snapshot")
        ("new", po::value(&new_path), "the new map or snapshot")
        ("by", po::value(&by)->default_value(by), "level: region, section, archive, object, crate or symbol")
        ("threshold", po::value(&threshold)->default_value(threshold),
         "hide item rows that changed by fewer bytes than this (the region table is always complete)")
        ("top", po::value(&top)->default_value(top), "markdown: rows in the top-changes table, 0 for all")
        ("format", po::value(&format)->default_value(format), "text, json, markdown or html (the new build's treemap coloured by change)")
        ("output,o", po::value(&output), "write the diff to this file (atomically) instead of stdout");
    add_map_options(desc, read);  // applied to OLD and NEW alike when they are maps
    po::positional_options_description pos;
    pos.add("old", 1).add("new", 1);
    po::variables_map vm;
    if (parse_args(args, desc, pos, vm,
                   "sizebudget diff OLD NEW [--elf FILE] [--linker-script FILE [-L DIR]...] "
                   "[--by region|section|archive|object|crate|symbol] [--threshold BYTES] "
                   "[--format text|json|markdown|html]"))
        return 0;

    if (old_path.empty() || new_path.empty())
        throw po::error(fmt::format("diff compares two builds: give OLD and NEW, each a map or a snapshot{} "
                                    "(usage: sizebudget diff OLD NEW [options])",
                                    old_path.empty() ? "" : fmt::format("; NEW is missing after '{}'", old_path)));
    DiffReportOptions options;
    auto breakdown = parse_breakdown(by);
    if (!breakdown)
        throw po::error(fmt::format("--by must be region, section, archive, object, crate or symbol, not '{}'", by));
    options.by = *breakdown;
    if (threshold < 0) throw po::error(fmt::format("--threshold must be 0 or more bytes, not {}", threshold));
    if (top < 0) throw po::error(fmt::format("--top must be 0 (all) or more, not {}", top));
    options.threshold = static_cast<std::uint64_t>(threshold);
    options.top = static_cast<std::size_t>(top);
    // Shared reports name the inputs without the machine's folders.
    options.old_label = portable_path(old_path);
    options.new_label = portable_path(new_path);
    if (format != "text" && format != "json" && format != "markdown" && format != "html")
        throw po::error(fmt::format("--format must be text, json, markdown or html, not '{}'", format));

    Snapshot old_snapshot = load_snapshot_or_map(old_path, read);
    Snapshot new_snapshot = load_snapshot_or_map(new_path, read);
    print_warnings(old_path, old_snapshot.warnings);
    print_warnings(new_path, new_snapshot.warnings);
    SizeDiff diff = diff_snapshots(old_snapshot, new_snapshot);
    std::string text = format == "json"       ? diff_json_report(diff, options)
                       : format == "markdown" ? diff_markdown_report(diff, options)
                       : format == "html"     ? diff_html_report(diff, new_snapshot, options)
                                              : diff_text_report(diff, options);
    std::vector<std::string> inputs = map_inputs(old_path, read);
    inputs.push_back(new_path);
    emit(output, text, inputs);
    return 0;
}

}  // namespace sizebudget::cli

// sizebudget check MAP --budget FILE [--elf FILE] [--linker-script FILE [-L DIR]...]
//                  [--format text|json|markdown|junit|github|html] [--output FILE] [--warn-only]
//                  [--baseline SNAPSHOT [--update-baseline]] [--trust-elf]
// With --baseline, the budget's `growth:` section is checked against the baseline snapshot;
// --update-baseline then rewrites the baseline (atomically) with the current map, only when the
// check passed.
// Exit status: 0 within budget (warnings allowed), 1 over budget, 2 usage or input error.
#include <cstdio>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/hints.hpp"
#include "sizebudget/html_report.hpp"
#include "sizebudget/budget.hpp"
#include "sizebudget/output_file.hpp"
#include "sizebudget/budget_check.hpp"
#include "sizebudget/check_report.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/growth_check.hpp"
#include "sizebudget/snapshot.hpp"
#include "sizebudget/totals.hpp"

namespace po = boost::program_options;

namespace sizebudget::cli {

int check_command(const Args& args) {
    ReadOptions read;
    std::string map_path, budget_path, format = "text", output, baseline_path;
    bool warn_only = false, update_baseline = false, trust_elf = false;
    po::options_description desc("check options");
    desc.add_options()
        ("map", po::value(&map_path)->required(), "linker map file (GNU ld or LLVM lld)")
        ("budget,b", po::value(&budget_path)->required(), "budget file (YAML)")
        ("format", po::value(&format)->default_value(format), "text, json, markdown, junit, github or html (a treemap page coloured by verdict)")
        ("output,o", po::value(&output), "write the report to this file (atomically) instead of stdout")
        ("warn-only", po::bool_switch(&warn_only), "report as usual but exit 0 even when over budget")
        ("baseline", po::value(&baseline_path), "snapshot (or map) to check the budget's growth: section against")
        ("update-baseline", po::bool_switch(&update_baseline),
         "after a passing check, rewrite the --baseline snapshot with this map (atomically)")
        ("trust-elf", po::bool_switch(&trust_elf),
         "judge by the --elf image's figures where they differ from the map's (else such a check exits 2)");
    add_map_options(desc, read);
    po::positional_options_description pos;
    pos.add("map", 1);
    po::variables_map vm;
    if (parse_args(args, desc, pos, vm,
                   "sizebudget check MAP --budget FILE [--elf FILE] [--linker-script FILE [-L DIR]...] "
                   "[--format text|json|markdown|junit|github|html] [--output FILE] [--warn-only] "
                   "[--baseline SNAPSHOT [--update-baseline]] [--trust-elf]"))
        return 0;
    // HTML draws the map itself, so it is written here rather than from the verdicts alone.
    const bool html = format == "html";
    std::optional<CheckFormat> check_format = parse_check_format(format);
    if (!check_format && !html)
        throw po::error(fmt::format("--format must be text, json, markdown, junit, github or html, not '{}'", format));
    if (update_baseline && baseline_path.empty()) throw po::error("--update-baseline needs --baseline FILE");
    // Only a snapshot is rewritten: a map (or anything else) given as the baseline is kept.
    if (update_baseline && std::filesystem::exists(baseline_path) && !is_snapshot_file(baseline_path))
        throw Error(baseline_path, "is not a snapshot (a linker map?): --update-baseline rewrites only snapshots; "
                                   "create one with `sizebudget snapshot MAP -o FILE.json`");

    const BudgetFile budget = load_budget(budget_path);
    // Regions the budget declares let an lld map be checked without --linker-script.
    read.extra_regions = budget.declared_regions();
    LinkMap map = read_map(map_path, read);
    // A budget judged on figures the map and the ELF dispute would pass or fail by accident.
    if (!map.elf_disputes.empty() && !trust_elf)
        throw Error(*read.elf, fmt::format("disagrees with {} ({}{}): is it from the same link? --trust-elf judges by "
                                           "the ELF where the two differ",
                                           map_path, map.elf_disputes.front(),
                                           map.elf_disputes.size() == 1
                                               ? std::string()
                                               : fmt::format(", and {} more", map.elf_disputes.size() - 1)));
    // Growth checks and baseline updates compare snapshots, which hold every symbol.
    TotalsOptions needed = totals_needed(budget);
    needed.symbols = needed.symbols || !baseline_path.empty();
    needed.crates = needed.crates || !baseline_path.empty();
    Totals totals = compute_totals(map, needed);
    CheckResult result = check_budget(budget, map, totals);
    // Only growth checks and baseline updates need the current figures as a snapshot.
    std::optional<Snapshot> current;
    if (!baseline_path.empty()) current = make_snapshot(map, std::move(totals));  // totals is read through current
    if (!baseline_path.empty()) {
        // A baseline that does not exist yet is created by --update-baseline; without it, an error.
        const bool missing = update_baseline && !std::filesystem::exists(baseline_path);
        // A baseline given as a map is read without this link's --elf, which belongs to the new map.
        ReadOptions baseline_read = read;
        baseline_read.elf.reset();
        if (!missing) check_growth(budget, load_snapshot_or_map(baseline_path, baseline_read), *current, result);
        else
            result.notes.push_back({baseline_path, {}, Severity::warning,
                                    "the baseline does not exist yet: growth not checked; it is created from this map"});
    } else if (budget.has_growth) {
        result.notes.push_back({budget.path, budget.growth_where, Severity::warning,
                                "the budget has growth budgets, but growth was not checked: give --baseline SNAPSHOT"});
    }
    // The PR comment also lists the size traps of the link.
    if (format == "markdown") {
        const Totals& shown = current ? current->totals : totals;
        for (const Hint& h : find_hints(map, shown, retained_sizes(map, shown), builtin_hint_rules()))
            result.hints.push_back({h.id, h.title, h.evidence, h.remedy, h.retained, h.why});
    }
    std::vector<std::string> inputs = map_inputs(map_path, read);
    inputs.push_back(budget_path);
    std::vector<std::string> inputs_and_baseline = inputs;
    if (!baseline_path.empty()) inputs_and_baseline.push_back(baseline_path);
    emit(output,
         html ? check_html_report(map, current ? current->totals : totals, result) : check_report(result, *check_format),
         inputs_and_baseline);
    if (update_baseline) {
        if (result.failed()) {
            fmt::print(stderr, "sizebudget: the check failed; the baseline {} was not updated\n", baseline_path);
        } else {
            emit(baseline_path, inputs, [&](const TextSink& sink) { snapshot_to_json(*current, sink); });
            fmt::print(stderr, "sizebudget: baseline {} updated\n", baseline_path);
        }
    }
    return result.failed() && !warn_only ? 1 : 0;
}

}  // namespace sizebudget::cli

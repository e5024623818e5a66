// sizebudget check MAP --budget FILE [--elf FILE] [--linker-script FILE]
//                  [--format text|json|markdown|junit|github] [--output FILE] [--warn-only]
// Exit status: 0 within budget (warnings allowed), 1 over budget, 2 usage or input error.
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/budget.hpp"
#include "sizebudget/budget_check.hpp"
#include "sizebudget/check_report.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/totals.hpp"

namespace po = boost::program_options;

namespace sizebudget::cli {

namespace {

// Problems in the budget file are reported the way compilers report source errors,
// `FILE:LINE:COL: error: message`, so editors and CI logs jump to the budget line.
int budget_error(const Error& e) {
    std::string where = e.file();
    if (e.line() > 0) where += fmt::format(":{}", e.line());
    if (e.line() > 0 && e.column() > 0) where += fmt::format(":{}", e.column());
    fmt::print(stderr, "{}: error: {}\n", where, e.what());
    return 2;
}

}  // namespace

int check_command(const Args& args) {
    ReadOptions read;
    std::string map_path, budget_path, format = "text", output;
    bool warn_only = false;
    po::options_description desc("check options");
    desc.add_options()
        ("map", po::value(&map_path)->required(), "linker map file (GNU ld or LLVM lld)")
        ("budget,b", po::value(&budget_path)->required(), "budget file (YAML)")
        ("format", po::value(&format)->default_value(format), "text, json, markdown, junit or github")
        ("output,o", po::value(&output), "write the report to this file (atomically) instead of stdout")
        ("warn-only", po::bool_switch(&warn_only), "report as usual but exit 0 even when over budget");
    add_map_options(desc, read);
    po::positional_options_description pos;
    pos.add("map", 1);
    po::variables_map vm;
    if (parse_args(args, desc, pos, vm,
                   "sizebudget check MAP --budget FILE [--elf FILE] [--linker-script FILE] "
                   "[--format text|json|markdown|junit|github] [--output FILE] [--warn-only]"))
        return 0;
    std::optional<CheckFormat> check_format = parse_check_format(format);
    if (!check_format)
        throw po::error(fmt::format("--format must be text, json, markdown, junit or github, not '{}'", format));

    BudgetFile budget;
    try {
        budget = load_budget(budget_path);
    } catch (const Error& e) {
        return budget_error(e);
    }
    // Regions the budget declares let an lld map be checked without --linker-script.
    read.extra_regions = budget.declared_regions();
    LinkMap map = read_map(map_path, read);
    Totals totals = compute_totals(map);
    CheckResult result;
    try {
        result = check_budget(budget, map, totals);
    } catch (const Error& e) {
        if (e.file() != budget.path) throw;
        return budget_error(e);
    }
    emit(output, check_report(result, *check_format));
    return result.failed() && !warn_only ? 1 : 0;
}

}  // namespace sizebudget::cli

#pragma once
// Applying a budget to a map: a pure function from (BudgetFile, LinkMap, Totals) to a CheckResult
// that every report format renders. Nothing here prints or reads files.
//
// The result is a flat list of verdicts, one per budgeted item (a glob budgets each match on its
// own; a per-region max gives one verdict per region), each carrying the budget line it came
// from. Future kinds of limits (growth against a baseline) add a Rule and fill the same fields.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sizebudget/budget.hpp"
#include "sizebudget/link_map.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget {

enum class Severity : std::uint8_t { ok, warning, error };

enum class VerdictStatus : std::uint8_t {
    ok,         // within budget (also: a forbidden item that is not linked)
    warning,    // at or above `warn`, not above `max`
    exceeded,   // above `max`
    forbidden,  // `max: 0` and the item is linked at all (symbols: even at size 0)
    unmatched,  // the entry matches nothing in the map (or names a region the map lacks)
};

// What a verdict limits: `max` the item's bytes, `growth` its growth against a baseline snapshot
// (the `growth:` section; `used` is then the current figure, `baseline` the baseline's and
// `limit` the growth allowed).
enum class Rule : std::uint8_t { max, growth };
std::string_view rule_name(Rule r);  // "max", "growth"

std::string_view severity_name(Severity s);     // "ok", "warning", "error"
std::string_view status_name(VerdictStatus s);  // "ok", "warning", "exceeded", "forbidden", "unmatched"

// A part of an item, for "largest contributors": objects of an archive, symbols of an object, ...
struct Contributor {
    std::string name;
    std::uint64_t bytes = 0;
};

struct Verdict {
    EntryKind kind = EntryKind::region;
    Rule rule = Rule::max;
    std::string entry;       // the budget key as written (a glob, a region or component name)
    SourceLocation where;    // of the budget entry
    std::string item;        // what was measured: "FLASH", "libc_nano.a", "crypto"
    std::string region;      // the limit counts only bytes in this region; empty: all bytes
    std::uint64_t used = 0;
    std::uint64_t limit = 0;          // resolved to bytes
    std::string limit_text;           // as written: "96K", "85%"; for a region without max: its length
    std::optional<std::uint64_t> warn_at;  // resolved to bytes
    std::string warn_text;            // as written: "90%", "80K"
    VerdictStatus status = VerdictStatus::ok;
    Severity severity = Severity::ok;
    std::string detail;               // why an entry is unmatched
    std::string contributor_kind;     // "section", "object", "archive", "symbol"
    std::vector<Contributor> contributors;  // largest first; filled for exceeded/forbidden items
    // Rule::growth only: the baseline figure and used - baseline. Contributors are then the items
    // that grew most (their growth in bytes).
    std::uint64_t baseline = 0;
    std::int64_t growth = 0;
    // Exceeded and forbidden archives, objects, symbols and crates: the shortest chain of
    // references that links the item (why.hpp), a line per step; empty when the map has no
    // evidence or for other items.
    std::vector<std::string> why;

    // used / limit in percent; 0 when the limit is 0.
    double percent_of_limit() const;
};

// A row of the memory-usage table.
struct RegionRow {
    RegionUsage usage;
    std::optional<std::uint64_t> budget;  // resolved max, when the budget has the region
    VerdictStatus status = VerdictStatus::ok;
    bool budgeted = false;
};

// A row of the component table: what a component (or "(other)") sums to.
struct ComponentRow {
    std::string name;            // component name, or other_component_name
    std::uint64_t size = 0;
    RegionBytes regions;         // by index in CheckResult::region_names
    std::vector<std::string> limits;     // "FLASH 60K", "96K"; empty when unbudgeted
    VerdictStatus status = VerdictStatus::ok;
};

inline constexpr std::string_view other_component_name = "(other)";

// Something to tell the reader that is not a verdict: map warnings, declared regions that
// disagree with the map.
struct CheckNote {
    std::string file;
    SourceLocation where;
    Severity severity = Severity::warning;
    std::string message;
};

// A size trap found in the link (hints.hpp), as the check's Markdown lists it.
struct CheckHint {
    std::string id, title, evidence, remedy;
    std::uint64_t retained = 0;
    std::vector<std::string> why;
};

struct CheckResult {
    std::string budget_path;
    std::string map_path;
    bool strict = false;
    std::vector<std::string> region_names;  // the map's regions, in map order
    std::vector<Verdict> verdicts;          // in budget file order
    std::vector<RegionRow> regions;         // every region of the map
    std::vector<ComponentRow> components;   // in budget order, "(other)" last; empty without components
    std::vector<CheckNote> notes;
    // The size traps found, where the format shows them (Markdown); filled by the caller.
    std::vector<CheckHint> hints;

    std::size_t count(Severity s) const;
    bool failed() const { return count(Severity::error) > 0; }
    // The file a verdict points into: the budget file, or the map for a verdict no entry made
    // (a region the link overflowed that the budget does not name).
    const std::string& file_of(const Verdict& v) const { return v.entry.empty() ? map_path : budget_path; }
};

struct CheckOptions {
    std::size_t contributors = 5;  // largest contributors kept per exceeded item
};

// What compute_totals() must produce for check_budget(): symbol rows only when the budget names
// symbols, or objects (whose overruns list their largest symbols).
TotalsOptions totals_needed(const BudgetFile& budget);

// Evaluates every entry of `budget` against `map` and its `totals` (= compute_totals(map,
// totals_needed(budget))).
// Throws Error at the budget line only for limits that turn out inconsistent once the map is
// known (an absolute `warn` above a percent `max`).
CheckResult check_budget(const BudgetFile& budget, const LinkMap& map, const Totals& totals,
                         const CheckOptions& options = {});

}  // namespace sizebudget

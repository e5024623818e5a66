#pragma once
// Report writers for `sizebudget report`: each turns a map and its totals into one format.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/link_map.hpp"
#include "sizebudget/text_sink.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget {

enum class Breakdown { region, section, archive, object, symbol, crate };

std::optional<Breakdown> parse_breakdown(std::string_view name);
std::string_view breakdown_name(Breakdown b);
// The rows of a breakdown other than `region`.
const ItemRows& breakdown_items(const Totals& totals, Breakdown by);

struct RetainedSizes;
struct Hint;

struct ReportOptions {
    Breakdown by = Breakdown::archive;
    std::size_t top = 0;  // rows to show; 0 = all
    // The totals whose regions head the text report, where the breakdown's columns are not
    // regions (TotalsOptions::by_kind); null: the breakdown's own.
    const Totals* region_totals = nullptr;
    // Retained sizes of the breakdown's rows (retained.hpp): a column in text and CSV, a field in
    // JSON; null or without evidence: none.
    const RetainedSizes* retained = nullptr;
    // `--by retained`: archives, objects and symbols together, by what leaving each out saves.
    bool by_retained = false;
    // The size traps found (hints.hpp): a section of the text report, a "hints" list in JSON.
    const std::vector<Hint>* hints = nullptr;
};

// Regions that hold any byte of the breakdown: the ones that get a column (the rest would be all
// dashes).
std::vector<std::size_t> used_region_columns(const Totals& totals);
// The rows of a breakdown table that are content, by position: all but the "(reserved)" row,
// which is address space and follows the total (not a list of two million indices).
class ContentRows {
public:
    ContentRows(const ItemRows& all, Breakdown by);
    std::size_t size() const noexcept { return reserved_ ? count_ - 1 : count_; }
    // Index in the breakdown's rows of the k-th row of content.
    std::size_t operator[](std::size_t k) const noexcept { return reserved_ && k >= *reserved_ ? k + 1 : k; }
    // Index of the "(reserved)" row, if the breakdown has one.
    std::optional<std::size_t> reserved() const noexcept { return reserved_; }

private:
    std::size_t count_ = 0;
    std::optional<std::size_t> reserved_;
};

// A row's name for people: symbols demangled, with their aliases ("__aeabi_idiv = __divsi3"); an
// object's bytes no symbol covers with the object ("(no symbol) in libc_nano.a(lib_a-memcpy.o)").
std::string display_name(const ItemSize& item, Breakdown by);

// GNU ld's --print-memory-usage table. With linker_figures, byte for byte what ld prints, its
// blind spots included; otherwise the true figures in the same layout.
std::string memory_usage_table(const Totals& totals, bool linker_figures = false);

std::string text_report(const LinkMap& map, const Totals& totals, const ReportOptions& options);
// Only the breakdown table of text_report(), without the region table before it.
std::string breakdown_table(const Totals& totals, const ReportOptions& options);
std::string json_report(const LinkMap& map, const Totals& totals, const ReportOptions& options);
// The same, handed to `sink` a chunk at a time (json_text.hpp).
void json_report(const LinkMap& map, const Totals& totals, const ReportOptions& options, const TextSink& sink);
std::string csv_report(const LinkMap& map, const Totals& totals, const ReportOptions& options);
// For a pull-request comment, a wiki page or $GITHUB_STEP_SUMMARY: regions, the breakdown's
// largest rows (with retained sizes), the size traps and the warnings.
std::string markdown_report(const LinkMap& map, const Totals& totals, const ReportOptions& options);

}  // namespace sizebudget

#pragma once
// What changed between two snapshots: per-region deltas and, at every level (section, archive,
// object, symbol), what grew, shrank, appeared or disappeared. diff_snapshots() is pure; the
// report writers below turn its result into text, JSON or Markdown.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sizebudget/report.hpp"
#include "sizebudget/snapshot.hpp"

namespace sizebudget {

enum class Change { unchanged, grown, shrunk, added, removed };
std::string_view change_name(Change c);  // "unchanged", "grown", "shrunk", "added", "removed"

struct RegionDelta {
    std::string name;
    bool in_old = false, in_new = false;  // a region only in one snapshot counts 0 in the other
    std::uint64_t old_used = 0, new_used = 0;
    std::uint64_t old_length = 0, new_length = 0;
    std::int64_t delta = 0;  // new_used - old_used
    // delta in percent of old_used; empty when old_used is 0.
    std::optional<double> percent() const;
};

struct ItemDelta {
    std::string id;    // identity both sides were joined on (identity.hpp; sections: the name)
    std::string name;  // display name (as in the new snapshot, else the old)
    std::string path;  // archive/object path, or a symbol's object; empty where there is none
    std::uint64_t old_size = 0, new_size = 0;
    std::int64_t delta = 0;  // new_size - old_size
    Change change = Change::unchanged;
    // Change of the item's bytes per region, by index in SizeDiff::regions.
    RegionDeltas regions;
    std::optional<double> percent() const;  // of old_size; empty when old_size is 0
};

struct SizeDiff {
    std::string old_map, new_map;  // Snapshot::map of each side
    // Regions of the new snapshot in its order, then regions only the old one has.
    std::vector<RegionDelta> regions;
    std::uint64_t old_allocated = 0, new_allocated = 0;
    std::int64_t allocated_delta = 0;
    // Every item of either side (unchanged ones included), sorted by absolute change (largest
    // first), then by name and path. Items are matched by name for sections (same-named output
    // sections are summed) and by identity for archives, objects and symbols (items sharing one,
    // such as a crate's codegen units, are summed).
    std::vector<ItemDelta> sections, archives, objects, symbols, crates;
};

SizeDiff diff_snapshots(const Snapshot& old_snapshot, const Snapshot& new_snapshot);

// The item deltas of one level; `region` has none (returns the archives).
const std::vector<ItemDelta>& diff_items(const SizeDiff& diff, Breakdown by);

// --- reports ---------------------------------------------------------------------------------

struct DiffReportOptions {
    Breakdown by = Breakdown::archive;  // region: only the region table
    std::uint64_t threshold = 0;        // item rows whose |delta| is below this are hidden
    std::string old_label, new_label;   // how to name the two sides (the paths given)
    std::size_t top = 10;               // Markdown: rows in the "top changes" table
    std::size_t max_chars = 65000;      // Markdown: stay under GitHub's 65,536-character limit
};

// True when the item row is shown under `options` (changed and |delta| >= threshold).
bool diff_row_shown(const ItemDelta& item, const DiffReportOptions& options);

std::string diff_text_report(const SizeDiff& diff, const DiffReportOptions& options);
std::string diff_json_report(const SizeDiff& diff, const DiffReportOptions& options);
// Starts with the stable line `diff_markdown_marker` so a CI job can find and update its comment.
std::string diff_markdown_report(const SizeDiff& diff, const DiffReportOptions& options);

inline constexpr std::string_view diff_markdown_marker = "<!-- sizebudget-diff -->";

// "+416", "-4360", "0".
std::string signed_bytes(std::int64_t delta);
// "+7.10%", "-0.35%", "0.00%"; "new" when there is no old figure to compare with.
std::string signed_percent(std::optional<double> percent, std::int64_t delta);

}  // namespace sizebudget

#pragma once
// Snapshots: a compact, versioned record of a link's totals (regions, sections, archives,
// objects, symbols, Rust crates), for committing as a baseline or keeping as a CI artifact.
// The JSON shape is documented by budgets/snapshot.schema.json.
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/link_map.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/text_sink.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget {

// Version 2 added each row's identity ("id"); version 1 snapshots still load, their identities
// computed from their paths and names as make_snapshot() does.
inline constexpr std::string_view snapshot_schema = "sizebudget-snapshot/2";
inline constexpr std::string_view snapshot_schema_v1 = "sizebudget-snapshot/1";

struct Snapshot {
    std::string map;     // file name of the map the snapshot was taken from (no directory)
    std::string format;  // "gnu-ld" or "lld"
    // The totals. Item lists are sorted largest first, then (when made) by name and path or
    // (when read) in the file's order; per-item region bytes index totals.regions. missed_by_linker is not recorded. Archives, objects
    // and symbols carry their identities (identity.hpp).
    Totals totals;
    // The map's warnings ("LINE: message" where the map has a line), so that figures the reader
    // could not reconcile stay marked as such in a baseline.
    std::vector<std::string> warnings;
};

// What a snapshot holds: every level, symbols and crates included.
inline constexpr TotalsOptions snapshot_totals{.symbols = true, .crates = true};

// The snapshot of a read map, from totals computed with (at least) snapshot_totals.
Snapshot make_snapshot(const LinkMap& map, Totals totals);

// Deterministic JSON (one item per line, fixed key order): the same totals always give the same bytes.
std::string snapshot_to_json(const Snapshot& snapshot);
// The same, handed to `sink` a chunk at a time (json_text.hpp).
void snapshot_to_json(const Snapshot& snapshot, const TextSink& sink);

// Parses and validates snapshot JSON; `file` names the source in errors.
// Throws Error(file, line, message) on malformed JSON, a wrong or missing "schema", missing or
// mistyped fields, or per-region bytes naming a region the snapshot does not declare.
Snapshot parse_snapshot(std::string_view text, const std::string& file);

// Reads and parses a snapshot file. Throws Error when it cannot be read or is not a valid snapshot.
Snapshot load_snapshot(const std::string& path);

// True when the file's content is JSON (first non-blank character `{`), i.e. meant as a
// snapshot; map files never start that way.
bool is_snapshot_file(const std::string& path);

// A map or a snapshot, whichever `path` holds: snapshots are loaded (read options ignored),
// maps are read with `options` and their totals computed.
Snapshot load_snapshot_or_map(const std::string& path, const ReadOptions& options = {});

}  // namespace sizebudget

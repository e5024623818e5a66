#pragma once
// The budget file: what a team allows each memory region, output section, archive, object,
// component and symbol to cost. load_budget() reads and validates it (budget_file.cpp);
// check_budget() in budget_check.hpp applies it to a map.
//
// Format (version 1), documented in full by budgets/budget.schema.json:
//   version: 1
//   strict: false                 # entries that match nothing are errors instead of warnings
//   regions:    NAME: { max, warn, origin, length }
//   sections:   GLOB: { max, warn, region }
//   archives:   GLOB: { max, warn, region }
//   objects:    GLOB: { max, warn, region }
//   components: NAME: { archives: [GLOB...], objects: [GLOB...], crates: [GLOB...],
//                       symbols: [GLOB...], max, warn, region }
//   symbols:    GLOB: { max, warn, region }
//   crates:     GLOB: { max, warn, region }   # Rust crates (crates.hpp)
//   memories:   NAME: { max, warn, ranges: [START-END...], aliases: [START-END...] }
//               # memory types (memories.hpp): the chip's built-in ones (ESP), or declared here
//   growth:     { regions: { NAME: SIZE }, archives: { GLOB: SIZE }, components: { NAME: SIZE },
//                 total: SIZE }    # most an item may grow against --baseline; SIZE may be N%
// An entry may also be written as just its max: `libc_nano.a: 12K`.
// `max` of sections/archives/objects/components/symbols may be one size or a size per region
// (`max: { FLASH: 60K, RAM: 6K }`). Percents mean something only for a region's `max` (of the
// region's length) and for `warn` (of `max`); anywhere else they are rejected.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/link_map.hpp"
#include "sizebudget/memories.hpp"

namespace sizebudget {

// A place in the budget file, 1-based; 0 when unknown.
struct SourceLocation {
    std::size_t line = 0;
    std::size_t column = 0;
};

// A size as the budget writes it: a number of bytes or a percent.
struct Quantity {
    enum class Unit : std::uint8_t { bytes, percent };
    Unit unit = Unit::bytes;
    std::uint64_t bytes = 0;  // when unit == bytes
    double percent = 0.0;     // when unit == percent: 85.0 for "85%"
    std::string text;         // as written, for messages: "96K", "85%"
    SourceLocation where;

    bool is_percent() const { return unit == Unit::percent; }
};

// Parses a size: "1024", "0x400", "96K", "96 KiB", "1.5K", "2M", "512B", or a percent "85%".
// K/KB/KiB are all 1024 (as in linker scripts), M/MB/MiB 1024*1024, G/GB/GiB 1024^3; units are
// case-insensitive; fractional sizes are rounded to the nearest byte. On failure returns nullopt
// and sets `error` to a sentence fit for "FILE:LINE:COL: error: ...".
std::optional<Quantity> parse_quantity(std::string_view text, std::string& error);

// `percent` of `base` bytes, rounded down; a figure past 64 bits (a growth of 300% of a huge
// region) is the largest one, never a wrapped one.
std::uint64_t percent_of(std::uint64_t base, double percent);

// Shell-style glob: `*` (any run of characters, '/' included), `?` (one character), `[abc]`,
// `[a-z]`, `[!a-z]` / `[^a-z]`, and `\` escaping the next character. Case-sensitive.
bool glob_match(std::string_view pattern, std::string_view text);
// The plain text after a glob's last '*', which ends every text the glob matches: a test that
// rules out most texts before a match is tried. Empty where there is no '*' or the tail holds a
// '?', '[', ']' (it may close a class holding that '*': "[*]x") or '\'.
std::string_view glob_plain_tail(std::string_view pattern);
// Empty when `pattern` is a valid glob, else why not ("unterminated '[' ...").
std::string glob_error(std::string_view pattern);
bool is_glob(std::string_view pattern);

enum class EntryKind : std::uint8_t { region, section, archive, object, component, symbol, crate, memory };

std::string_view entry_kind_name(EntryKind kind);  // "region", "archive", ...
std::string_view entry_list_name(EntryKind kind);  // the budget file key: "regions", "archives", ...

// A limit on the bytes of one region, from `max: { FLASH: 60K }`.
struct RegionLimit {
    std::string region;
    Quantity max;
};

// A glob in a component's `archives:`, `objects:`, `crates:` or `symbols:` list.
struct Pattern {
    std::string glob;
    SourceLocation where;
};

// One entry of the budget file: a key under regions/sections/archives/objects/components/symbols.
struct BudgetEntry {
    EntryKind kind = EntryKind::region;
    std::string key;        // region or component name, or a glob
    SourceLocation where;   // of the key: verdicts point here

    // The limit: `max` on all of the item's bytes (or only those in `region`), or one limit per
    // region. Neither for a region without `max` (its length is the limit) or a component kept
    // only for the component table.
    std::optional<Quantity> max;
    std::vector<RegionLimit> max_per_region;
    std::optional<Quantity> warn;  // bytes, or a percent of max
    std::optional<std::string> region;  // `region: FLASH`: only bytes in FLASH count
    SourceLocation region_where;

    // Regions only: the region declared here (origin and length), for maps that carry none.
    std::optional<Address> origin;
    std::optional<std::uint64_t> length;

    // Components only: what belongs to the component. With `crates:` or `symbols:` globs a
    // component is made of symbols (a byte belongs to the first component one of whose lists
    // matches its symbol, object, archive or crate); otherwise of whole objects.
    std::vector<Pattern> archives;
    std::vector<Pattern> objects;
    std::vector<Pattern> crates;
    std::vector<Pattern> symbols;
    bool by_symbol() const { return !crates.empty() || !symbols.empty(); }

    // Memories only: the memory declared here, for chips sizebudget does not know.
    std::vector<AddressRange> ranges;
    std::vector<AddressRange> aliases;

    bool forbids() const { return max && !max->is_percent() && max->bytes == 0; }
};

// A growth budget from the `growth:` section: how much an item may grow against a baseline
// snapshot (`sizebudget check --baseline`). `max` is bytes or a percent of the baseline figure.
enum class GrowthKind : std::uint8_t { region, archive, component, total };
std::string_view growth_kind_name(GrowthKind kind);  // "region", "archive", "component", "total"

struct GrowthEntry {
    GrowthKind kind = GrowthKind::region;
    std::string key;       // region or component name, archive glob; "total" for `total:`
    SourceLocation where;  // of the key: verdicts point here
    Quantity max;
};

// How a growth verdict names all allocated bytes (`growth: { total: 1K }`).
inline constexpr std::string_view growth_total_name = "(total)";

struct BudgetFile {
    std::string path;  // as given, used in every message
    int version = 1;
    bool strict = false;
    // In file order. Within one kind, the first entry whose key matches an item budgets it.
    std::vector<BudgetEntry> entries;
    // The `growth:` section, in file order; `has_growth` also when it is present but empty.
    std::vector<GrowthEntry> growth;
    bool has_growth = false;
    SourceLocation growth_where;

    // Regions declared with origin and length, for ReadOptions::extra_regions. The names view
    // into this BudgetFile, which must outlive the returned regions (read_map interns them).
    std::vector<MemoryRegion> declared_regions() const;
    // Memory types declared with ranges under `memories:`.
    std::vector<MemoryType> declared_memories() const;
};

// Largest budget file accepted; a budget is a few kilobytes.
inline constexpr std::size_t max_budget_file_size = 4u << 20;

// Reads and validates a budget file. Throws Error(path, line, column, message) for every problem:
// YAML syntax, unknown keys (with a "did you mean"), wrong types, bad or negative sizes, percents
// where they mean nothing, warn above max, duplicate keys, aliases, excessive nesting, an
// unknown version, an empty file.
BudgetFile load_budget(const std::string& path);
// The same from text already in memory; `path` names it in messages.
BudgetFile parse_budget(std::string_view text, const std::string& path);

// Restricted Damerau-Levenshtein distance, case-insensitive: for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace sizebudget

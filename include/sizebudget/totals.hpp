#pragma once
// What each memory region, output section, archive, object, Rust crate and symbol costs.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/item_rows.hpp"
#include "sizebudget/link_map.hpp"
#include "sizebudget/region_bytes.hpp"

namespace sizebudget {

struct RegionUsage {
    std::string name;
    Address origin = 0;
    std::uint64_t length = 0;
    std::uint64_t used = 0;         // highest end of what runs or loads here, minus origin
    std::uint64_t linker_used = 0;  // what GNU ld's --print-memory-usage prints; differs from
                                    // `used` only where ld misses a load image (AT(expr))
    std::vector<std::string> missed_by_linker;  // sections whose load image ld's figure misses
    std::uint64_t reserved = 0;     // bytes of reserved sections (OutputSection::reserved) here,
                                    // part of `used` as ld counts them, but not content
    bool overflowed() const { return used > length; }
};

struct Totals {
    std::vector<RegionUsage> regions;
    ItemRows sections;  // allocated output sections; all lists sorted largest first
    ItemRows archives;
    ItemRows objects;
    // Empty unless asked for (TotalsOptions::symbols). Every allocated byte is in exactly one
    // row, as at the other levels: aliases are one row; overlapping symbols count their bytes
    // once; an input section without symbols is the symbol its name gives (".bss.frame_buf" ->
    // "frame_buf"); the rest is its object's "(no symbol)" row, fill and script data are
    // "(fill)" and "(linker)".
    ItemRows symbols;
    bool has_symbols = false;
    // Rust crates (crates.hpp), made from the symbol rows; empty unless asked for
    // (TotalsOptions::crates). Bytes of no crate (C code) are "(no crate)".
    ItemRows crates;
    bool has_crates = false;
    std::uint64_t allocated = 0;     // all allocated bytes, reserved ones included
    // Reserved address space (OutputSection::reserved): its bytes are the "(reserved)" row of
    // every level but sections, and are no content: content() leaves them out.
    std::uint64_t reserved = 0;
    std::vector<std::string> reserved_sections;
    std::uint64_t content() const { return allocated - reserved; }
    // What the flash image holds: allocated sections with contents (not NOBITS or NOLOAD), each
    // once, at its load address: the ELF's loadable bytes, esp_idf_size's "Total image size".
    std::uint64_t image_size = 0;

    // What the rows' names point into: the map's names, and names made here or read from a
    // snapshot. Shared, so copies of a Totals stay valid and outlive the map.
    std::shared_ptr<const StringPool> map_strings;
    std::shared_ptr<StringPool> strings = std::make_shared<StringPool>();
    std::string_view intern(std::string_view text) { return strings->intern(text); }
};

struct TotalsOptions {
    // Symbol rows are most of the cost (a large image has a few thousand objects but hundreds of
    // thousands of symbols): leave them out where nothing reads them.
    bool symbols = true;
    // Crate rows need the symbol rows: asking for them computes both.
    bool crates = false;
    // Columns by kind of content instead of by region: every row's `regions` (and
    // Totals::regions, then named by kind_names) split into code, rodata, data, bss and other,
    // as ESP-IDF's size-components does. A byte of .data counts once, in data.
    bool by_kind = false;
};

inline constexpr std::array<std::string_view, 5> kind_names = {"code", "rodata", "data", "bss", "other"};

// Pseudo-archive and pseudo-object names for bytes that belong to no object file.
inline constexpr std::string_view no_archive_name = "(no archive)";
inline constexpr std::string_view fill_name = "(fill)";
inline constexpr std::string_view linker_name = "(linker)";
inline constexpr std::string_view reserved_name = "(reserved)";
// Symbol-level row of an object's bytes that no symbol covers, so symbols add up to sections.
inline constexpr std::string_view no_symbol_name = "(no symbol)";

Totals compute_totals(const LinkMap& map, const TotalsOptions& options = {});

// The symbol an input section's name gives where the map lists none: ".text.uart_init" ->
// "uart_init"; empty where the name names none (".text", ".rodata.str1.4").
std::string_view symbol_of_section(std::string_view section);

// A symbol row's aliases, one name each (views into the row's pool).
std::vector<std::string_view> aliases_of(const ItemSize& item);

}  // namespace sizebudget

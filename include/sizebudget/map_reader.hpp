#pragma once
// Reading a map file into the model: format detection and the per-format parsers.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/line_reader.hpp"
#include "sizebudget/link_map.hpp"

namespace sizebudget {

struct ReadOptions {
    std::optional<std::string> elf;            // --elf: settle flags and sizes from the ELF
    std::optional<std::string> linker_script;  // --linker-script: MEMORY regions for lld maps
    std::vector<std::string> search_dirs;      // -L: where the script's INCLUDE files are found
    std::optional<std::string> why_extract;    // lld's --why-extract=FILE output of the same link
    bool keep_discarded = false;               // list the discarded input sections (`why` only)
    // Regions declared elsewhere (the budget file) for maps that carry none.
    std::vector<MemoryRegion> extra_regions;
};

// Parsers. Each reads the whole input in one pass and returns the raw model; finish_map()
// then completes attribution and region assignment. Both throw Error on input they cannot read.
// `keep_discarded`: list GNU ld's discarded input sections in LinkMap::discarded (for `why`).
LinkMap parse_gnu_ld_map(LineReader& in, bool keep_discarded = false);
LinkMap parse_lld_map(LineReader& in);

// Adds lld's --why-extract=FILE output ("reference<TAB>extracted<TAB>symbol" rows) to the map's
// archive inclusions. Throws Error on a file of another shape.
void read_why_extract(LinkMap& map, LineReader& in);

// What the parsers share.
// "file.o (symbol from plugin)" -> "file.o": how bfd names the IR object of an LTO input.
std::string_view strip_plugin_suffix(std::string_view s);
// A line of a Cross Reference Table (GNU ld's ldcref.c, lld's MapFile.cpp print the same layout:
// the symbol padded to column 50, or followed by one space when longer, and a file; one more
// file a line at column 50) into map.cross_references and map.cref_files. The table names files
// the map has already stored as objects: `stored`, where given, finds such a file's stored path
// (or returns null, and the file is interned).
class StoredPaths {
public:
    virtual const char* find(std::string_view path) = 0;

protected:
    ~StoredPaths() = default;
};
void read_cross_reference_line(LinkMap& map, std::string_view line, StoredPaths* stored = nullptr);

// Which parser a map needs, from its first non-blank line. Throws Error when neither fits.
MapFormat detect_map_format(std::string_view first_line, const std::string& file, std::size_t line);

// Completes a parsed map so every later stage can rely on it:
// - fills the bytes of each allocated output section that no input section, fill or data explains
//   with `generated` pieces, so the pieces add up to the section size exactly;
// - derives symbol sizes (up to the next symbol in the same input section);
// - decides allocated/loaded where the parser could not, and assigns run and load regions.
// Inconsistencies (inputs outside their section, sections outside every region) become warnings.
void finish_map(LinkMap& map);

// The whole pipeline for a file: detect, parse, add regions, apply the ELF, finish.
LinkMap read_map(const std::string& path, const ReadOptions& options = {});

}  // namespace sizebudget

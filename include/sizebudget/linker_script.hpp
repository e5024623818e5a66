#pragma once
// The parts of a GNU linker script sizebudget needs: the MEMORY block (lld maps carry no region
// definitions) and which output sections take their load address from AT(expr).
#include <string>
#include <vector>

#include "sizebudget/link_map.hpp"

namespace sizebudget {

// Where the script puts an output section: `} > REGION` and `} AT > REGION` (aliases resolved).
struct SectionPlacement {
    std::string section;
    std::string region;       // empty when the script names none
    std::string load_region;  // empty when the script names none
};

struct LinkerScriptInfo {
    std::vector<MemoryRegion> regions;  // names interned in `strings`
    std::vector<std::string> load_by_expression;  // output sections written `NAME ... : AT(expr)`
    std::vector<std::string> warnings;  // "FILE:LINE:COL: message", e.g. an INCLUDE not found
    std::vector<SectionPlacement> placements;  // in script order
    std::shared_ptr<StringPool> strings = std::make_shared<StringPool>();
};

// Reads MEMORY { NAME (attrs) : ORIGIN = expr, LENGTH = expr } with hex/decimal/K/M numbers,
// + - * / expressions, ORIGIN()/LENGTH() of earlier regions, comments, and INCLUDE of files found
// beside the including script, in `search_dirs` (the linker's -L folders) or in the current
// folder. Throws Error with file and line on anything it cannot evaluate, and on an INCLUDE file
// not found when no region results (otherwise that is a warning).
LinkerScriptInfo read_linker_script(const std::string& path, const std::vector<std::string>& search_dirs = {});
LinkerScriptInfo parse_linker_script(const std::string& name, std::string_view text,
                                     const std::string& directory,
                                     const std::vector<std::string>& search_dirs = {});

}  // namespace sizebudget

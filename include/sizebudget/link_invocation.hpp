#pragma once
// What `sizebudget link` needs to know of a link it runs, read from the link command line and
// from what the linker printed: where the map goes, which script and search folders the link
// used, and which regions overflowed.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sizebudget {

struct LinkInvocation {
    std::optional<std::string> map;         // -Map=FILE, -Map FILE, -Wl,-Map=FILE, -Wl,-Map,FILE
    std::vector<std::string> scripts;       // -T FILE, -TFILE, --script=FILE, -Wl,-T,FILE
    std::vector<std::string> search_dirs;   // -L DIR, -LDIR, --library-path=DIR, -Wl,-L,DIR
    std::string output;                     // -o FILE
};

// Reads a compiler-driver or linker command line. Arguments `@FILE` (response files, which
// Ninja and Make write for long links) are read too, when they can be; nothing is run.
LinkInvocation read_link_command(const std::vector<std::string>& command);

// The regions a linker's messages say overflowed, each once, in order of appearance:
// GNU ld's "region `FLASH' overflowed by 24 bytes" and "section `.data' will not fit in region
// `RAM'", ld.lld's "section '.text' will not fit in region 'FLASH': overflowed by 24 bytes".
std::vector<std::string> overflowed_regions(std::string_view linker_output);

}  // namespace sizebudget

#include "sizebudget/link_map.hpp"

#include <array>

namespace sizebudget {

std::string_view map_format_name(MapFormat format) { return format == MapFormat::lld ? "lld" : "gnu-ld"; }

std::string_view file_name(std::string_view path) {
    std::size_t slash = path.find_last_of("/\\");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_non_allocated_name(std::string_view name) {
    // Prefixes of sections that exist only in the file (debug info, notes for tools).
    static constexpr std::array<std::string_view, 20> prefixes = {
        ".debug",           ".zdebug",       ".stab",          ".comment",
        ".ARM.attributes",  ".riscv.attributes", ".xtensa.info", ".xt.prop",
        ".xt.lit",          ".gnu.attributes", ".mdebug",       ".pdr",
        ".gnu_debuglink",   ".gnu.warning",  ".note.GNU-stack", ".GCC.command.line",
        ".llvm_addrsig",    ".gnu.lto_",     ".line",          ".symtab",
    };
    for (std::string_view p : prefixes)
        if (name.starts_with(p)) return true;
    return name == ".strtab" || name == ".shstrtab" || name == ".gnu.build.attributes" ||
           name == ".MIPS.abiflags.debug";
}

}  // namespace sizebudget

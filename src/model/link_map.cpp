#include "sizebudget/link_map.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <stdexcept>

#include <string.h>  // memrchr (GNU)

namespace sizebudget {

namespace {

// Names in the model's large arrays are kept as pointers to NUL-terminated text: their length
// would cost 8 more bytes each. Reading the byte past the view is safe only for what the contract
// allows; a view that is not so (a copy on the stack, a substring) is a bug to catch, not to
// store. (No NUL inside: LineReader refuses maps holding one, and ELF string tables end names
// at one.)
const char* terminated(std::string_view name) {
    if (name.empty()) return "";
    if (name.data()[name.size()] != '\0') throw std::logic_error("a model name must be NUL-terminated text");
    return name.data();
}

}  // namespace

void Symbol::set_name(std::string_view name) { name_ = terminated(name); }
void InputSection::set_name(std::string_view name) { name_ = terminated(name); }
CrossReference::CrossReference(std::string_view symbol, std::uint32_t first_file)
    : first_file(first_file), symbol_(terminated(symbol)) {}

std::string_view map_format_name(MapFormat format) { return format == MapFormat::lld ? "lld" : "gnu-ld"; }

bool split_archive_member(std::string_view path, std::string_view& archive, std::string_view& member) {
    if (path.size() < 3 || path.back() != ')') return false;
    // Nearly every member name holds no parenthesis: the last '(' opens it.
    const void* last_open = memrchr(path.data(), '(', path.size());
    if (last_open == nullptr) return false;
    std::size_t open = static_cast<std::size_t>(static_cast<const char*>(last_open) - path.data());
    if (std::memchr(path.data() + open, ')', path.size() - 1 - open) != nullptr) {
        // "lib foo.a(foo (1).o)": the '(' that matches the last ')'.
        open = std::string_view::npos;
        int depth = 0;
        for (std::size_t i = path.size(); i-- > 0;) {
            if (path[i] == ')') {
                ++depth;
            } else if (path[i] == '(' && --depth == 0) {
                open = i;
                break;
            }
        }
        if (open == std::string_view::npos) return false;
    }
    if (open == 0 || open + 2 >= path.size()) return false;
    const char before = path[open - 1];
    if (before == ' ' || before == '/' || before == '\\') return false;
    archive = path.substr(0, open);
    member = path.substr(open + 1, path.size() - open - 2);
    return true;
}

std::string_view file_name(std::string_view path) {
    // Called for every object of a map: memrchr, where find_last_of tries each byte against a set.
    if (path.empty()) return path;  // (its data may be null, which memrchr may not be given)
    const char* begin = path.data();
    if (const void* slash = memrchr(begin, '/', path.size())) begin = static_cast<const char*>(slash) + 1;
    const std::size_t rest = static_cast<std::size_t>(path.data() + path.size() - begin);
    if (const void* backslash = memrchr(begin, '\\', rest)) begin = static_cast<const char*>(backslash) + 1;
    return {begin, static_cast<std::size_t>(path.data() + path.size() - begin)};
}

void LinkMap::reserve_for(std::uint64_t map_bytes) {
    // No line that lists an input section or a symbol is shorter than this in either format.
    constexpr std::uint64_t min_line = 40;
    // Beyond this a map is hostile or absurd; the arrays grow as they need from there.
    constexpr std::uint64_t max_reserved = 1u << 26;
    const std::uint64_t n = std::min(map_bytes / min_line, max_reserved);
    try {
        inputs.reserve(n);
        symbols.reserve(n);
    } catch (const std::bad_alloc&) {
        // Address space is limited (ulimit -v): grow as needed instead.
    }
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

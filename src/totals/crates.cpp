// Which Rust crate a byte belongs to (crates.hpp).
#include "sizebudget/crates.hpp"

#include <algorithm>

#include "sizebudget/demangle.hpp"
#include "sizebudget/link_map.hpp"

namespace sizebudget {

namespace {

bool is_hex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_identifier(std::string_view s) {
    if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// Rust's mangled forms: v0, legacy with its hash, and legacy as ld.lld prints it demangled.
bool is_rust_symbol(std::string_view s) {
    if (s.starts_with("_R")) return true;
    // What ld.lld appends after a demangled name: " (.llvm.123)", " (.0)".
    if (std::size_t at = s.find(" (."); at != std::string_view::npos) s = s.substr(0, at);
    if (s.starts_with("_ZN")) {
        // "_ZN4core3fmt5write17h0123456789abcdefE", maybe followed by ".llvm.123" or ".0".
        std::size_t at = s.rfind("17h");
        return at != std::string_view::npos && at + 20 <= s.size() && s[at + 19] == 'E' &&
               (at + 20 == s.size() || s[at + 20] == '.') && is_hex(s.substr(at + 3, 16));
    }
    for (std::string_view tag : {".llvm.", ".lto_priv."})
        if (std::size_t at = s.find(tag); at != std::string_view::npos) s = s.substr(0, at);
    return s.size() > 19 && s.substr(s.size() - 19, 3) == "::h" && is_hex(s.substr(s.size() - 16));
}

// The first path segment of `path` ("core::fmt::write" -> "core"), skipping "dyn ".
std::string_view first_segment(std::string_view path) {
    if (path.starts_with("dyn ")) path.remove_prefix(4);
    std::size_t end = path.find("::");
    std::string_view head = path.substr(0, end);
    if (std::size_t generic = head.find('<'); generic != std::string_view::npos) head = head.substr(0, generic);
    return is_identifier(head) && end != std::string_view::npos ? head : std::string_view{};
}

// "<A as B>::f": A and B, the '<' at the start matched at its '>' (names nest "<...>").
std::string crate_of_path(std::string_view name) {
    if (!name.starts_with('<')) return std::string(first_segment(name));
    int depth = 0;
    std::size_t close = std::string_view::npos, as = std::string_view::npos;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (c == '<') ++depth;
        else if (c == '>' && !(i > 0 && name[i - 1] == '-')) {  // not "->"
            if (--depth == 0) {
                close = i;
                break;
            }
        } else if (depth == 1 && as == std::string_view::npos && name.substr(i, 4) == " as ")
            as = i;
    }
    if (close == std::string_view::npos) return {};
    std::string_view self = name.substr(1, (as == std::string_view::npos ? close : as) - 1);
    std::string_view trait = as == std::string_view::npos ? std::string_view{} : name.substr(as + 4, close - as - 4);
    // A type of a crate ("app::Uart", "core::option::Option<u8>") names it; a primitive,
    // reference, slice, tuple, pointer or type parameter does not, and the trait's crate is taken.
    if (std::string_view crate = first_segment(self); !crate.empty()) return std::string(crate);
    return std::string(first_segment(trait));
}

}  // namespace

std::string_view crate_of_archive(std::string_view archive_path) {
    std::string_view file = file_name(archive_path);
    if (!file.starts_with("lib") || !file.ends_with(".rlib")) return {};
    std::string_view stem = file.substr(3, file.size() - 3 - 5);
    // "core-1a2b3c4d5e6f7a8b": the hash cargo adds (-C extra-filename).
    if (std::size_t dash = stem.rfind('-'); dash != std::string_view::npos && is_hex(stem.substr(dash + 1)))
        stem = stem.substr(0, dash);
    return stem;
}

std::string_view crate_of_object(std::string_view archive_path, std::string_view object_path) {
    if (!archive_path.empty()) return crate_of_archive(archive_path);
    std::string_view file = file_name(object_path);
    if (!file.ends_with(".rcgu.o")) return {};
    return file.substr(0, file.find_first_of("-."));
}

std::string crate_of_symbol(std::string_view symbol) {
    if (!is_rust_symbol(symbol)) return {};
    return crate_of_path(demangle(symbol));
}

std::string crate_of(std::string_view symbol, std::string_view archive_path, std::string_view object_path) {
    if (std::string named = crate_of_symbol(symbol); !named.empty()) return named;
    std::string_view crate = crate_of_object(archive_path, object_path);
    return std::string(crate.empty() ? no_crate_name : crate);
}

}  // namespace sizebudget

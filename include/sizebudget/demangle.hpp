#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace sizebudget {

// C++ (Itanium) and legacy Rust symbol names as people read them: demangled, without Rust's
// "::h<16 hex digits>" hash and the ".llvm.<digits>" / ".lto_priv.<digits>" tags of LTO (also as
// ld.lld prints them, " (.llvm.<digits>)"), with the escapes lld leaves in
// halfway-demangled Rust names ("$LT$", "$u20$", "..") decoded; v0 Rust names ("_R...") too.
// Bounded: a name whose demangled form would exceed 64 KiB stays as it is. Other names unchanged.
std::string demangle(std::string_view symbol);

// Whether demangle() may change `name`: mangled C++ and Rust names, and lld's half-demangled
// Rust ones ("::h<hash>", "$LT$", ".llvm."). A cheap test before the work of demangling.
inline bool may_demangle(std::string_view name) {
    return name.starts_with("_Z") || name.starts_with("_R") || name.find("::") != std::string_view::npos ||
           name.find('$') != std::string_view::npos || name.find(".llvm.") != std::string_view::npos;
}

// The names demangle() has left mangled because of the bound, for a warning: how many distinct
// ones (counted up to a thousand) and the first.
struct OverlongNames {
    std::size_t count = 0;
    std::string first;
};
const OverlongNames& overlong_names();

}  // namespace sizebudget

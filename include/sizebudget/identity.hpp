#pragma once
// Identities: what makes an archive, object or symbol of one build the same item in another,
// whatever machine, checkout, toolchain install, build folder or CMake generator made it.
// Snapshots store them; diffs and growth budgets join on them. Reports still show names and paths.
//
// - An archive is its file name ("libc_nano.a"); an rlib its crate's ("libcore-1a2b...rlib" ->
//   "libcore.rlib"), so a dependency's new crate hash reads as that crate's growth.
// - An archive member is its archive's identity and member name ("libc_nano.a(lib_a-printf.o)").
//   Rust codegen units are named by hashes that change with the code: all of a crate's are one
//   item, "<crate>.rcgu.o", summed in diffs.
// - Another object is its path below CMake's "CMakeFiles/" (without the per-configuration folder
//   of a multi-configuration generator) where the map gives one, a relative path as written, or
//   else its file name.
// - A symbol is its readable name: demangled, without Rust's "::h<16 hex digits>" hash or LLVM's
//   ".llvm.<digits>" suffix; where one name is defined in several objects (file-local symbols),
//   followed by its object's identity: "count (CMakeFiles/fw.dir/src/a.c.obj)".
// Two distinct archives or objects that would share an identity (two "libmain.a" in different
// folders) keep as many trailing folders of their paths as tell them apart. Paths use '/'.
#include <string>
#include <string_view>

#include "sizebudget/totals.hpp"

namespace sizebudget {

std::string archive_identity(std::string_view archive_path);
std::string object_identity(std::string_view object_path);
// A symbol's name as people read it and as its identity starts.
std::string readable_symbol_name(std::string_view name);

// A path as reports meant to be shared (Markdown, JUnit, GitHub annotations, text) show it:
// relative to the current folder when below it, else without the machine's folders (as
// object_identity() names the object: "CMakeFiles/fw.dir/main.c.obj", "libc.a(printf.o)", a file
// name). Never "/home/..." or a toolchain's install prefix.
std::string portable_path(std::string_view path);

// Sets ItemSize::id of every archive, object and symbol row (sections and pseudo-items: their
// name), resolving identities two distinct items would share as described above.
void assign_identities(Totals& totals);

}  // namespace sizebudget

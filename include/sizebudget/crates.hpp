#pragma once
// Rust crates as a level of the breakdown, between archives and symbols.
//
// A byte's crate is, in this order:
// - for a Rust symbol (legacy "_ZN...17h<hash>E", v0 "_R...", or as ld.lld prints them demangled
//   with their "::h<hash>"), the crate its path names: "core::fmt::write" -> core. For an
//   implementation, "<A as B>::f", the crate of A, the type implemented for; where A is a
//   primitive, reference, slice, tuple, pointer or a type parameter, the crate of the trait B.
//   Code is thus counted where it is defined, also when LTO merged every crate into the one
//   object of the binary and when a generic of `core` was instantiated in the application's own
//   codegen units: the same source gives the same crate figures with and without LTO;
// - else the crate of its object: an rlib's member ("libcore-<hash>.rlib" -> core), a codegen
//   unit outside an archive ("app-<hash>.app.<id>-cgu.0.rcgu.o" -> app): `#[no_mangle]`
//   functions, statics and bytes no symbol covers;
// - else "(no crate)": C and assembly objects, C libraries. Fill and linker data keep their rows.
#include <string>
#include <string_view>

namespace sizebudget {

inline constexpr std::string_view no_crate_name = "(no crate)";

// "libcore-1a2b3c4d5e6f7a8b.rlib" -> "core"; empty when `archive_path` is not an rlib.
std::string_view crate_of_archive(std::string_view archive_path);
// A Rust object's crate: its rlib's, or the codegen unit's own; empty for other objects.
// `archive_path` is empty for an object linked directly.
std::string_view crate_of_object(std::string_view archive_path, std::string_view object_path);
// The crate a Rust symbol's path names; empty for other symbols (C, C++, unmangled Rust).
std::string crate_of_symbol(std::string_view symbol);
// The crate of a symbol row's bytes, by the rules above: the symbol's path, else the object's
// (`archive_path` empty for an object linked directly), else no_crate_name. `symbol` may be
// "(no symbol)", which names no crate.
std::string crate_of(std::string_view symbol, std::string_view archive_path, std::string_view object_path);

}  // namespace sizebudget

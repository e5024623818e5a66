#pragma once
// Hints: the size traps firmware guides warn about (float printf, C++ exceptions, assert
// strings, Rust's core::fmt, ESP-IDF's certificate bundle...), found in a link by rules in one
// data file (budgets/hints/size-traps.json, built in) that users extend with their own.
// A hint fires only on evidence in the map, and carries it: the item found, its bytes, what it
// retains and the chain of references that links it.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sizebudget/link_map.hpp"
#include "sizebudget/retained.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget {

struct HintRule {
    std::string id, title, remedy;
    // Globs; a rule fires when any of them matches (symbols by readable name, objects as
    // "libc.a(lib_a-printf.o)" or by file name, archives by file name, sections by name).
    std::vector<std::string> symbols, objects, archives, sections, crates;
    std::uint64_t min_bytes = 0;  // the matches must hold at least this many bytes together
    // Variables whose starting value (--elf) must be at least this for the rule to fire: a
    // setting compiled into the image, such as ESP-IDF's default log level. Without the ELF
    // such a rule stays silent.
    std::vector<std::pair<std::string, std::uint64_t>> value_at_least;
    std::string file;             // where the rule is written, for messages
    std::size_t line = 0;
};

// The built-in rules (budgets/hints/size-traps.json, embedded at build time).
std::vector<HintRule> builtin_hint_rules();
// Rules in the same format from `text`, read from `path`. Throws Error(path, line, column, ...).
std::vector<HintRule> parse_hint_rules(std::string_view text, const std::string& path);
std::vector<HintRule> load_hint_rules(const std::string& path);

struct Hint {
    std::string id, title, remedy;
    std::string evidence;        // "symbol _printf_float in libc_nano.a(lib_a-nano-vfprintf_float.o)"
    std::vector<std::string> also;  // the rule's other matches, a few
    std::size_t more = 0;           // matches beyond those
    std::uint64_t evidence_bytes = 0;  // the first match's own bytes; 0 for a value (value_at_least)
    std::uint64_t retained = 0;  // what leaving the first match out would save (its bytes without evidence)
    std::uint64_t bytes = 0;     // of every match together
    std::vector<std::string> why;   // the chain that links the first match (why.hpp)
};

// The hints as the text reports list them (text_report.cpp); empty when there are none.
std::string hints_text(const std::vector<Hint>& hints);

// The rules that fire on `map` (its `totals`, symbol rows not needed, and their `retained` sizes),
// in rule order.
std::vector<Hint> find_hints(const LinkMap& map, const Totals& totals, const RetainedSizes& retained,
                             const std::vector<HintRule>& rules);

}  // namespace sizebudget

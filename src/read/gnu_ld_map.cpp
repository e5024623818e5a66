// GNU ld map parser (`-Map` output of ld.bfd).
//
// One streaming pass over the lines, no regex, no allocation per line: every line is classified
// by its first characters and sliced with string_views; names go through the map's string pool.
//
// ld translates its headings ("Memory Configuration", "Linker script and memory map", " load
// address", "(size before relaxing)", ...) into the user's language, so the parts of the map are
// recognised by the shape of their lines, with the English headings only as a shortcut:
//
//   Archive member table   column-0 "archive(member)" lines, each followed by a line indented
//                          exactly 30 columns "file (symbol)" (on the same line when short).
//   Discarded sections     lines " NAME 0xADDR 0xSIZE file" (or " NAME" + a continuation line)
//                          before the memory map.
//   Memory Configuration   rows "NAME 0xORIGIN 0xLENGTH [attributes]": the name is padded to 16
//                          and followed by a space, so the origin starts at column 17 or later.
//   Memory map             starts at the first "LOAD "/"START GROUP"/"OUTPUT(" line, at the
//                          first column-0 "NAME 0xADDR 0xSIZE" line (the address of an output
//                          section line is always at column 16: longer names are wrapped), or
//                          at the heading that follows the memory configuration table.
//   Cross Reference Table  a header "Symbol" padded to column 50 + "File", then per symbol its
//                          name padded to column 50 (or followed by one space when longer) and
//                          a file, and one more file per line at column 50.
//
// Inside the memory map (SECTION_NAME_MAP_LENGTH is 16):
//   "NAME<pad>0xADDR 0xSIZE[ <load address words> 0xLMA]"   output section (name alone on its
//                                                          line when 15 characters or longer)
//   " NAME<pad>0xADDR 0xSIZE FILE"                         input section, `*fill*`, COMMON
//   "<16>0xADDR 0xSIZE FILE"                               continuation of a wrapped input name
//   "<16>0xADDR 0xSIZE BYTE|SHORT|LONG|QUAD|SQUAD ..."     explicit data
//   "<16>0xADDR<pad>NAME"                                  symbol of the current input section
//   "<16>0xADDR<pad>sym = expr", "[!provide] PROVIDE(..)"  assignment (not a symbol)
//   "<27+>0xSIZE (size before relaxing)"                   ignored
//   " *(.text*)", " KEEP (...)", " FILL mask ..."          echoes of the script, ignored
//
// The raw model it fills (finish_map() completes it):
//   - pieces keep ld's order; a piece the next one starts inside is cut there (ld prints merged
//     SHF_MERGE input sections with their size before merging, overlapping what follows);
//   - pieces that hold no byte of their output section and name no symbol are dropped: every
//     zero-size input, and merged pieces printed at another output section's address;
//   - NOLOAD is invisible in a map (ld prints such a section like any other): `loaded` is left
//     for finish_map() to infer; `allocated` is false for the known non-allocated names.
// A map is truncated when it has a Memory Configuration (so it is not a hand-made excerpt) but no
// memory map or no OUTPUT(...) line (ld writes one in every map), or when it ends inside an
// allocated output section whose contents do not reach its end.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/name_hash.hpp"
#include "sizebudget/map_reader.hpp"
#include "read/object_table.hpp"
#include "read/line_scan.hpp"

namespace sizebudget {

namespace {

constexpr std::size_t section_name_column = 16;  // ld's SECTION_NAME_MAP_LENGTH
constexpr std::size_t archive_ref_column = 30;   // ldmain.c add_archive_element
constexpr std::size_t cref_file_column = 50;     // ldcref.c FILECOL

inline bool is_space(char c) { return c == ' ' || c == '\t'; }

inline std::size_t skip_spaces(std::string_view s, std::size_t i) {
    for (i = skip_blanks(s, i); i < s.size() && s[i] == '\t'; i = skip_blanks(s, i + 1)) {
    }
    return i;
}

inline std::size_t skip_token(std::string_view s, std::size_t i) {
    return find_blank(s, i);
}

inline std::string_view trim_right(std::string_view s) {
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Position of the '(' matching the ')' that ends `s`, or npos.
std::size_t matching_open_paren(std::string_view s) {
    if (s.empty() || s.back() != ')') return std::string_view::npos;
    int depth = 0;
    for (std::size_t i = s.size(); i-- > 0;) {
        if (s[i] == ')') {
            ++depth;
        } else if (s[i] == '(') {
            if (--depth == 0) return i;
        }
    }
    return std::string_view::npos;
}

// Inputs the linker made itself rather than read from an object.
bool is_linker_made(std::string_view file) {
    return file == "linker stubs" || file == "*ABS*" ||
           (file.size() >= 2 && file.front() == '<' && file.back() == '>');
}

// ld prints an assignment as "sym = expr", "sym += expr", "PROVIDE (sym = expr)", "HIDDEN (...)",
// "PROVIDE_HIDDEN (...)" or "ASSERT (...)"; a symbol name (even a demangled "operator=(...)")
// never has a space before an assignment operator followed by a space.
bool is_assignment(std::string_view r) {
    if (r.starts_with("PROVIDE") || r.starts_with("HIDDEN (") || r.starts_with("ASSERT (")) {
        std::size_t i = r.find_first_of(" (");
        if (i != std::string_view::npos) {
            std::string_view head = r.substr(0, i);
            if (head == "PROVIDE" || head == "PROVIDE_HIDDEN" || head == "HIDDEN" || head == "ASSERT")
                return true;
        }
    }
    for (std::size_t p = r.find('='); p != std::string_view::npos; p = r.find('=', p + 1)) {
        if (p + 1 < r.size() && r[p + 1] != ' ') continue;
        std::size_t q = p;
        while (q > 0 && std::string_view("+-*/%<>&|^").find(r[q - 1]) != std::string_view::npos) --q;
        if (q > 0 && r[q - 1] == ' ') return true;
    }
    return false;
}

// What may follow "0xADDR 0xSIZE" on an output section line: nothing, or the load address
// (" load address 0xLMA" in the user's language: the number comes last).
bool is_section_tail(std::string_view rest) {
    if (rest.empty()) return true;
    std::size_t last = rest.find_last_of(" \t");
    std::string_view word = last == std::string_view::npos ? rest : rest.substr(last + 1);
    if (word.size() < 3 || word[0] != '0' || (word[1] != 'x' && word[1] != 'X')) return false;
    for (char c : word.substr(2))
        if (hex_digit(c) > 15) return false;
    return true;
}

// The attributes ld prints for a memory region (lang_map_flags): "arwxl" letters, '!' before the
// negated ones ("rw !x" in older versions).
bool is_memory_attributes(std::string_view rest) {
    for (char c : rest)
        if (std::string_view("arwxlARWXLiI! ").find(c) == std::string_view::npos) return false;
    return true;
}

struct Piece {
    std::uint64_t address = 0;
    std::uint64_t size = 0;
    std::string_view rest;  // text after the size, trimmed
};

class GnuLdParser {
public:
    GnuLdParser(LineReader& in, bool keep_discarded) : in_(in), keep_discarded_(keep_discarded) {
        map_.format = MapFormat::gnu_ld;
        map_.source = in.name();
        map_.reserve_for(in.size_hint());
        heading_.reserve(256);
    }

    LinkMap run();

private:
    enum class Phase { pre, map, cref };

    [[noreturn]] void fail(const std::string& message) const {
        throw Error(in_.name(), in_.line_number(), message);
    }

    // Out of line: formatting the message inside parse_hex kept it from being inlined into the
    // loops that read every number of the map.
    [[noreturn, gnu::cold, gnu::noinline]] void too_wide(std::string_view number) const {
        fail(fmt::format("number '{}' does not fit in 64 bits", number));
    }

    // "0x[hex]" at s[i] ending at a space or the end of the line. Advances i past it.
    [[gnu::always_inline]] bool parse_hex(std::string_view s, std::size_t& i, std::uint64_t& out) const {
        const std::size_t n = s.size();
        if (i + 2 >= n || s[i] != '0' || (s[i + 1] != 'x' && s[i + 1] != 'X')) return false;
        std::uint64_t value = 0;
        bool fits = true;
        // Leading zeros first, eight at a time: "0x0000000040374000" in 64-bit maps.
        const std::size_t k = hex_digits(s, skip_run(s, i + 2, '0'), value, fits);
        if (k == i + 2 || (k < n && !is_space(s[k]))) return false;
        if (!fits) too_wide(s.substr(i, k - i));
        out = value;
        i = k;
        return true;
    }

    // "0xADDR <spaces> 0xSIZE[ rest]" starting at s[i].
    bool parse_piece(std::string_view s, std::size_t i, Piece& out) const {
        if (!parse_hex(s, i, out.address)) return false;
        std::size_t j = skip_spaces(s, i);
        if (j == i || !parse_hex(s, j, out.size)) return false;
        out.rest = trim_right(s.substr(skip_spaces(s, j)));
        return true;
    }

    void check_range(std::uint64_t address, std::uint64_t size) const {
        if (size > ~std::uint64_t{0} - address)
            fail(fmt::format("address 0x{:x} + size 0x{:x} exceeds the 64-bit address space", address, size));
    }

    std::uint32_t object_index(std::string_view path);
    void add_region(std::string_view name, const Piece& p);
    void add_archive_inclusion(std::string_view member, std::string_view ref);
    bool try_inline_archive_inclusion(std::string_view line);

    void pre_line(std::string_view line, std::size_t indent);
    void cref_line(std::string_view line);
    // `name` already stored in the map's pool (it outlives the line).
    void add_discarded(std::string_view name, const Piece& p) {
        ++map_.discarded_sections;
        map_.discarded_bytes += p.size;
        // Only `why` reads them (an ESP-IDF map lists 12,000; a large link hundreds of thousands).
        if (keep_discarded_)
            map_.discarded.push_back({name, map_.intern(strip_plugin_suffix(p.rest))});
    }
    void map_line(std::string_view line, std::size_t indent);
    void map_column0(std::string_view line);
    void map_indented(std::string_view line);
    void map_deep(std::string_view line, std::size_t indent);

    void start_map() { phase_ = Phase::map; }
    void open_section(std::string_view name, std::size_t line_no, const Piece& p);
    void close_section();
    void push_input(std::string_view name, std::uint32_t object, PieceKind kind, Address address,
                    std::uint64_t size);
    void settle_last_input(Address next);
    void finish();

    LineReader& in_;
    const bool keep_discarded_;
    LinkMap map_;
    Phase phase_ = Phase::pre;
    bool any_text_ = false;

    // Before the memory map.
    static constexpr std::size_t max_idle_pre_lines = 100000;
    std::size_t pre_progress_ = 0;    // inclusions + discarded sections + regions seen so far
    std::size_t pre_idle_lines_ = 0;  // lines since that last grew
    std::string heading_;         // the previous line when it was a column-0 line, else empty
    bool prev_column0_ = false;   // previous line was a non-blank column-0 line
    bool in_archive_block_ = true;
    bool discard_pending_ = false;  // " NAME" of a discarded section waiting for its numbers
    std::string_view discard_name_;  // (that NAME, stored)
    bool memory_rows_ = false;      // saw a Memory Configuration row
    bool memory_ended_ = false;     // and a blank line after the rows

    // Inside the memory map.
    std::uint32_t section_ = npos32;   // open output section (always map_.sections.back())
    bool in_discard_ = false;          // inside /DISCARD/
    std::string_view pending_output_;  // output section name waiting for its address line
    std::size_t pending_output_line_ = 0;
    std::string_view pending_input_;   // input section name waiting for its address line
    bool input_open_ = false;          // last input may still receive symbols
    Address reach_ = 0;                // highest address the open section's contents reach
    std::string_view fill_name_;
    bool saw_output_ = false;          // the OUTPUT(file target) line every ld map has

    ObjectTable objects_{map_, in_, split_archive_member};
    std::string_view last_input_name_;
};

std::uint32_t GnuLdParser::object_index(std::string_view path) {
    path = strip_plugin_suffix(path);
    return path.empty() ? npos32 : objects_.index(path);
}

// A row "NAME 0xORIGIN 0xLENGTH [attributes]" of the memory configuration.
void GnuLdParser::add_region(std::string_view name, const Piece& p) {
    if (name == "*default*") return;
    // Its last byte, origin + length - 1, must be an address: a region may end exactly at 2^64.
    if (p.size != 0 && p.size - 1 > ~Address{0} - p.address)
        throw Error(in_.name(), in_.line_number(),
                    fmt::format("memory region '{}' ends past the 64-bit address space", name));
    MemoryRegion r;
    r.name = map_.intern(name);
    r.origin = p.address;
    r.length = p.size;
    r.attributes = map_.intern(p.rest);
    map_.regions.push_back(r);
}

// `ref` is "file (symbol)", "(symbol)" or "file (symbol from plugin) (symbol)".
void GnuLdParser::add_archive_inclusion(std::string_view member, std::string_view ref) {
    member = trim_right(member);
    ref = trim_right(ref);
    if (member.empty()) return;
    ArchiveInclusion a;
    std::size_t open = matching_open_paren(ref);
    if (open != std::string_view::npos) {
        a.symbol = map_.strings->copy(ref.substr(open + 1, ref.size() - open - 2));  // nearly all distinct
        ref = ref.substr(0, open);
    }
    a.referenced_by = map_.intern(strip_plugin_suffix(trim_right(ref)));
    a.member = object_index(member);
    map_.archive_inclusions.push_back(a);
}

// A member name shorter than 29 characters has its "file (symbol)" on the same line, at column 30.
bool GnuLdParser::try_inline_archive_inclusion(std::string_view line) {
    if (line.size() <= archive_ref_column || line[archive_ref_column - 1] != ' ' ||
        is_space(line[archive_ref_column]) || line.back() != ')')
        return false;
    std::string_view head = trim_right(line.substr(0, archive_ref_column));
    if (head.empty() || head.back() != ')' || head.find("0x") != std::string_view::npos) return false;
    add_archive_inclusion(head, line.substr(archive_ref_column));
    return true;
}

LinkMap GnuLdParser::run() {
    std::string_view line;
    while (in_.next(line)) {
        if (phase_ == Phase::cref) {
            cref_line(line);
            continue;
        }
        std::size_t indent = skip_spaces(line, 0);
        if (indent == line.size()) {  // blank
            if (phase_ == Phase::pre) {
                heading_.clear();
                prev_column0_ = false;
                discard_pending_ = false;
                if (memory_rows_) memory_ended_ = true;
            } else {
                pending_input_ = {};
                pending_output_ = {};
            }
            continue;
        }
        any_text_ = true;
        if (phase_ == Phase::pre)
            pre_line(line, indent);
        else
            map_line(line, indent);
    }
    finish();
    return std::move(map_);
}

void GnuLdParser::cref_line(std::string_view line) {
    if (map_.cross_references.size() >= npos32 - 1 || map_.cref_files.size() >= npos32 - 1)
        fail("too many entries in the cross reference table");
    read_cross_reference_line(map_, line, &objects_);
}

void GnuLdParser::pre_line(std::string_view line, std::size_t indent) {
    // Garbage has no structure: give up after a run of lines that added nothing to the model,
    // rather than read a gigabyte of it. Real maps add an inclusion, a discarded section or a
    // region every few lines before the memory map.
    const std::size_t progress =
        map_.archive_inclusions.size() + map_.discarded_sections + map_.regions.size();
    if (progress != pre_progress_) {
        pre_progress_ = progress;
        pre_idle_lines_ = 0;
    } else if (++pre_idle_lines_ > max_idle_pre_lines) {
        throw Error(in_.name(), in_.line_number(),
                    fmt::format("no GNU ld map structure in {} lines; this is not a GNU ld map",
                                max_idle_pre_lines));
    }
    if (indent == 0) {
        if (line == "Linker script and memory map") {
            start_map();
            return;
        }
        if (line.starts_with("LOAD ") || line == "START GROUP" || line.starts_with("OUTPUT(")) {
            start_map();
            map_line(line, indent);
            return;
        }
        std::size_t name_end = skip_token(line, 0);
        std::size_t num = skip_spaces(line, name_end);
        Piece p;
        if (num > name_end && parse_piece(line, num, p)) {
            if (num == section_name_column && is_section_tail(p.rest)) {
                // An output section: the memory map has begun.
                start_map();
                map_line(line, indent);
                return;
            }
            // ld pads the name to column 17 with spaces; a table edited with tabs is read too.
            const bool tabbed = line.substr(0, num).find('\t') != std::string_view::npos;
            if ((num > section_name_column || tabbed) && is_memory_attributes(p.rest)) {
                add_region(line.substr(0, name_end), p);
                memory_rows_ = true;
                in_archive_block_ = false;
                heading_.clear();
                prev_column0_ = true;
                return;
            }
        }
        if (memory_ended_) {  // the heading after the memory configuration
            start_map();
            return;
        }
        if (line == "Cross Reference Table") {
            phase_ = Phase::cref;
            return;
        }
        if (in_archive_block_ && try_inline_archive_inclusion(line)) {
            heading_.clear();
            prev_column0_ = true;
            return;
        }
        heading_.assign(line);
        prev_column0_ = true;
        return;
    }

    if (indent == 1) {
        in_archive_block_ = false;
        std::size_t name_end = skip_token(line, 1);
        std::size_t num = skip_spaces(line, name_end);
        Piece p;
        if (num == line.size()) {
            discard_pending_ = line.find('(') == std::string_view::npos;
            if (discard_pending_ && keep_discarded_) discard_name_ = map_.input_name(line.substr(1, name_end - 1));
        } else if (num > name_end && parse_piece(line, num, p)) {
            add_discarded(keep_discarded_ ? map_.input_name(line.substr(1, name_end - 1)) : std::string_view{}, p);
            discard_pending_ = false;
        } else {
            discard_pending_ = false;
        }
        heading_.clear();
        prev_column0_ = false;
        return;
    }

    // Deeper lines.
    if (indent == archive_ref_column && in_archive_block_ && !heading_.empty()) {
        if (line.back() == ')' && !line.substr(indent).starts_with("0x")) {
            add_archive_inclusion(heading_, line.substr(indent));
            heading_.clear();
            prev_column0_ = false;
            return;
        }
    }
    Piece p;
    if (parse_piece(line, indent, p)) {
        if (discard_pending_) {
            add_discarded(discard_name_, p);
        } else if (prev_column0_ && !heading_.empty() && skip_token(heading_, 0) == heading_.size() &&
                   is_section_tail(p.rest)) {
            // A long output section name alone on its line, then its numbers: the map has begun.
            start_map();
            pending_output_ = map_.intern(heading_);
            pending_output_line_ = in_.line_number() - 1;
            map_line(line, indent);
        }
    }
    discard_pending_ = false;
    heading_.clear();
    prev_column0_ = false;
}

void GnuLdParser::map_line(std::string_view line, std::size_t indent) {
    if (indent == 0)
        map_column0(line);
    else if (indent == 1)
        map_indented(line);
    else
        map_deep(line, indent);
}

void GnuLdParser::map_column0(std::string_view line) {
    pending_input_ = {};
    pending_output_ = {};
    close_section();
    in_discard_ = false;

    if (line.starts_with("LOAD ") || line == "START GROUP" || line == "END GROUP" ||
        line.starts_with("TARGET("))
        return;
    if (line.starts_with("OUTPUT(")) {
        saw_output_ = true;
        return;
    }
    if (line == "/DISCARD/") {
        in_discard_ = true;
        return;
    }
    std::size_t name_end = skip_token(line, 0);
    if (name_end == line.size()) {  // a long name alone; its numbers follow on the next line
        pending_output_ = map_.intern(line);
        pending_output_line_ = in_.line_number();
        return;
    }
    std::size_t num = skip_spaces(line, name_end);
    Piece p;
    if (parse_piece(line, num, p) && is_section_tail(p.rest)) {
        open_section(line.substr(0, name_end), in_.line_number(), p);
        return;
    }
    // A section line whose numbers do not read would otherwise vanish with all its contents.
    if (line.substr(num).starts_with("0x"))
        throw Error(in_.name(), in_.line_number(),
                    fmt::format("cannot read the address and size of output section '{}'",
                                line.substr(0, name_end)));
    // The cross reference table's header: "Symbol" padded to column 50, then "File".
    if (line == "Cross Reference Table" ||
        (line.size() > cref_file_column && num == cref_file_column && name_end < cref_file_column &&
         !line.substr(num).starts_with("0x"))) {
        phase_ = Phase::cref;
        return;
    }
    // Anything else at column 0 (a translated heading, "Address of section ... set to ...")
    // closes the section, which close_section() did.
}

void GnuLdParser::map_indented(std::string_view line) {
    pending_input_ = {};
    if (pending_output_.data() != nullptr) {  // an output section ld printed without a section
        pending_output_ = {};
        close_section();
    }
    input_open_ = false;
    if (section_ == npos32 || in_discard_) return;
    std::size_t name_end = skip_token(line, 1);
    std::string_view name = line.substr(1, name_end - 1);
    std::size_t num = skip_spaces(line, name_end);
    if (num == line.size()) {
        // A long input section name alone; a script echo such as " *(.text)" has parentheses.
        if (name.find('(') == std::string_view::npos) pending_input_ = map_.input_name(name);
        return;
    }
    if (num == name_end) return;
    Piece p;
    if (!parse_piece(line, num, p)) return;  // " KEEP (*(.init))", " FILL mask 0x...", ...
    if (name == "*fill*") {
        if (fill_name_.empty()) fill_name_ = map_.intern(name);
        push_input(fill_name_, npos32, PieceKind::fill, p.address, p.size);
        return;
    }
    if (name != last_input_name_) last_input_name_ = map_.input_name(name);
    if (is_linker_made(p.rest))
        push_input(last_input_name_, npos32, PieceKind::generated, p.address, p.size);
    else
        push_input(last_input_name_, object_index(p.rest), PieceKind::input, p.address, p.size);
}

void GnuLdParser::map_deep(std::string_view line, std::size_t indent) {
    Piece p;
    std::size_t i = indent;
    if (!parse_hex(line, i, p.address)) {
        // "[!provide]  PROVIDE (...)", "*undef*  sym = ...": assignments; anything else is noise.
        pending_input_ = {};
        if (pending_output_.data() != nullptr) {
            pending_output_ = {};
            close_section();
        }
        input_open_ = false;
        return;
    }
    std::size_t j = skip_spaces(line, i);
    if (pending_output_.data() != nullptr) {
        std::string_view name = pending_output_;
        pending_output_ = {};
        if (j > i && parse_hex(line, j, p.size)) {
            p.rest = trim_right(line.substr(skip_spaces(line, j)));
            if (is_section_tail(p.rest)) {
                open_section(name, pending_output_line_, p);
                return;
            }
        }
        close_section();  // ld printed the name of an output section it did not create
        return;
    }
    if (section_ == npos32 || in_discard_) return;
    std::size_t k = j;
    if (j > i && j < line.size() && line[j] == '0' && parse_hex(line, k, p.size)) {
        p.rest = trim_right(line.substr(skip_spaces(line, k)));
        std::string_view rest = p.rest;
        if (pending_input_.data() != nullptr) {  // the numbers of a wrapped input section name
            std::string_view name = pending_input_;
            pending_input_ = {};
            last_input_name_ = name;
            if (name == "*fill*")
                push_input(name, npos32, PieceKind::fill, p.address, p.size);
            else if (is_linker_made(rest))
                push_input(name, npos32, PieceKind::generated, p.address, p.size);
            else
                push_input(name, object_index(rest), PieceKind::input, p.address, p.size);
            return;
        }
        std::string_view word = rest.substr(0, skip_token(rest, 0));
        if (word == "BYTE" || word == "SHORT" || word == "LONG" || word == "QUAD" || word == "SQUAD" ||
            word == "RELOC") {
            push_input(map_.intern(word), npos32, PieceKind::data, p.address, p.size);
            input_open_ = false;
            return;
        }
        if (indent >= 24) return;  // "0xSIZE (size before relaxing)" in some layout
        // Numbers without a name line before them (maps trimmed by hand): same name as before.
        std::string_view name = last_input_name_.empty() ? map_.sections.back().name : last_input_name_;
        if (is_linker_made(rest))
            push_input(name, npos32, PieceKind::generated, p.address, p.size);
        else
            push_input(name, object_index(rest), PieceKind::input, p.address, p.size);
        return;
    }
    pending_input_ = {};
    if (indent >= 24) return;  // "0xSIZE (size before relaxing)", translated or not
    std::string_view text = trim_right(line.substr(j));
    if (text.empty()) return;
    OutputSection& s = map_.sections.back();
    if (is_assignment(text)) {
        input_open_ = false;
        if (p.address >= s.address && p.address - s.address <= s.size && p.address > reach_)
            reach_ = p.address;
        return;
    }
    if (!input_open_) return;  // a symbol line with no input section before it
    if (map_.symbols.size() >= npos32) fail("too many symbols");
    Symbol sym;
    sym.set_name(map_.symbol_name(text, map_.inputs.back().name()));
    sym.address = p.address;
    map_.symbols.push_back(sym);
    map_.inputs.back().symbol_count++;
}

void GnuLdParser::open_section(std::string_view name, std::size_t line_no, const Piece& p) {
    close_section();
    check_range(p.address, p.size);
    if (map_.sections.size() >= npos32) fail("too many output sections");
    OutputSection s;
    s.name = map_.intern(name);
    s.address = p.address;
    s.size = p.size;
    s.load_address = p.address;
    // " load address 0xLMA", in whatever language: the last word is the number.
    if (!p.rest.empty()) {
        std::size_t last = p.rest.find_last_of(" \t");
        last = last == std::string_view::npos ? 0 : last + 1;
        std::uint64_t lma = 0;
        std::size_t k = last;
        if (parse_hex(p.rest, k, lma)) {
            check_range(lma, p.size);
            s.load_address = lma;
        }
    }
    s.allocated = !is_non_allocated_name(s.name);
    s.first_input = static_cast<std::uint32_t>(map_.inputs.size());
    s.line = line_no;
    map_.sections.push_back(s);
    section_ = static_cast<std::uint32_t>(map_.sections.size() - 1);
    reach_ = p.address;
    last_input_name_ = {};
    input_open_ = false;
}

void GnuLdParser::close_section() {
    if (section_ == npos32) return;
    settle_last_input(map_.sections.back().address + map_.sections.back().size);
    section_ = npos32;
    input_open_ = false;
}

// Decides the last piece of the open section once the next piece (at `next`) or the section's
// end shows where it really ends.
//
// ld prints SHF_MERGE input sections (".rodata.*.str1.4", .comment, .debug_str, attributes) with
// their size before merging, all at the offset where the merged contents begin, so consecutive
// pieces overlap; a piece's address is exact and the next piece shows where it really ends, so
// it is cut there. Merged pieces whose contents went to another output section are printed at
// that section's address, outside this one. Pieces left holding no byte of the section, and
// naming no symbol, are not kept (this includes every zero-size input section).
void GnuLdParser::settle_last_input(Address next) {
    OutputSection& s = map_.sections.back();
    const Address end = s.address + s.size;
    auto outside = [&](const InputSection& in) { return in.address < s.address || in.address >= end; };
    for (int pass = 0; pass < 2 && s.input_count > 0; ++pass) {
        InputSection& last = map_.inputs.back();
        if (!outside(last)) {
            Address limit = next >= last.address ? std::min(next, end) : end;
            if (last.size > limit - last.address) last.size = limit - last.address;
        }
        if ((last.size > 0 && !outside(last)) || last.symbol_count > 0) return;
        map_.inputs.pop_back();
        --s.input_count;
    }
}

void GnuLdParser::push_input(std::string_view name, std::uint32_t object, PieceKind kind,
                             Address address, std::uint64_t size) {
    check_range(address, size);
    settle_last_input(address);
    if (map_.inputs.size() >= npos32) fail("too many input sections");
    InputSection in;
    in.set_name(name);
    in.object = object;
    in.kind = kind;
    in.address = address;
    in.size = size;
    in.first_symbol = static_cast<std::uint32_t>(map_.symbols.size());
    map_.inputs.push_back(in);
    map_.sections.back().input_count++;
    input_open_ = true;
    const OutputSection& s = map_.sections.back();
    if (address >= s.address && address - s.address <= s.size)
        reach_ = std::max(reach_, std::min(address + size, s.address + s.size));
}

void GnuLdParser::finish() {
    if (!any_text_) throw Error(in_.name(), in_.line_number(), "empty file: no linker map in it");
    if (phase_ == Phase::pre) {
        if (memory_rows_)
            fail("truncated GNU ld map: the memory configuration is not followed by a memory map");
        fail("not a GNU ld map: no memory map (output sections) found");
    }
    if (pending_output_.data() != nullptr)
        fail(fmt::format("truncated GNU ld map: output section '{}' has no address and size",
                         pending_output_));
    if (section_ != npos32) {
        // The map ends inside an output section. A complete map accounts for the section up to
        // its end (inputs, fill, or an assignment to `.`); if it does not, lines are missing.
        // After the OUTPUT line only non-allocated sections (debug info) normally follow, and an
        // excerpt without the Memory Configuration ld always writes was cut by hand: then the
        // shortfall is only worth a warning.
        const OutputSection& s = map_.sections.back();
        if (reach_ < s.address + s.size) {
            std::string message = fmt::format(
                "output section '{}' (0x{:x}, {} bytes) ends at 0x{:x} but the map stops at 0x{:x}",
                s.name, s.address, s.size, s.address + s.size, reach_);
            if (memory_rows_ && (s.allocated || !saw_output_)) fail("truncated GNU ld map: " + message);
            map_.warnings.push_back({in_.line_number(), "the map may be incomplete: " + message});
        }
        close_section();
    }
    if (memory_rows_ && !saw_output_)
        fail("truncated GNU ld map: it ends before the OUTPUT(...) line ld writes in every map");
    if (map_.sections.empty())
        fail("truncated GNU ld map: the memory map has no output sections");
}

}  // namespace

LinkMap parse_gnu_ld_map(LineReader& in, bool keep_discarded) {
    GnuLdParser parser(in, keep_discarded);
    return parser.run();
}

}  // namespace sizebudget

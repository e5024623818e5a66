// Reader for the link maps LLVM lld writes with -Map (ld.lld, rust-lld):
//
//      VMA      LMA     Size Align Out     In      Symbol
//  8000000  8000000      1a8     4 .vector_table
//  8000000  8000000        4     1         LONG ( _stack_start )
//  8000004  8000004        4     4         libcortex_m_rt.rlib(rt.o):(.vector_table.reset_vector)
//  8000004  8000004        4     1                 __RESET_VECTOR
//
// Older lld (5 to 7) writes `Address Size Align Out In Symbol`, without the LMA column. The numbers
// are fixed-width columns (8 hex digits for ELF32, 16 for ELF64) but a value wider than its column
// pushes the rest of the line right, so they are read as space-separated fields. After the Align
// field lld writes exactly one space and then the text, indented 0 (output section or top-level
// script command), 8 (input section, BYTE/SHORT/LONG/QUAD data, or a script command inside an
// output section) or 16 (symbol) further.
//
// One streaming pass; names are interned (symbol names, nearly all distinct, only stored) and
// objects deduplicated through a hash map, so the per-line work allocates nothing except the first
// time a name is seen.
#include <cctype>
#include <charconv>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/name_hash.hpp"
#include "sizebudget/map_reader.hpp"
#include "read/object_table.hpp"
#include "read/line_scan.hpp"

namespace sizebudget {

namespace {

constexpr std::size_t npos = std::string_view::npos;

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// By hand: find_first_not_of(" \t") calls memchr on the set for each character, and every lld
// line starts with spaces (a third of reading a Rust map).
bool blank(std::string_view line) {
    for (std::size_t p = skip_blanks(line, 0); p < line.size(); ++p)
        if (line[p] != ' ' && line[p] != '\t') return false;
    return true;
}

// A short quote of a line for messages, so a megabyte of garbage does not end up in one.
std::string excerpt(std::string_view line) {
    constexpr std::size_t limit = 80;
    if (line.size() <= limit) return std::string(line);
    return std::string(line.substr(0, limit)) + "...";
}

// The ARM, AArch64 and RISC-V ELF ABIs mark where code and data start inside a section with
// "mapping symbols": $a (A32 code), $t (T32 code), $x (A64 / RISC-V code), $d (data), optionally
// followed by ".anything"; RISC-V also writes $x<isa> (e.g. "$xrv32i2p1_m2p0"). They name no
// program entity. Returns the class letter, or 0 when `name` is an ordinary symbol.
char mapping_symbol_class(std::string_view name) {
    if (name.size() < 2 || name[0] != '$') return 0;
    char c = name[1];
    if (c != 'a' && c != 't' && c != 'd' && c != 'x') return 0;
    if (name.size() == 2 || name[2] == '.') return c;
    if (c == 'x' && name.substr(2).starts_with("rv")) return c;
    return 0;
}

// Assembler-local labels (".L0 ", ".Lpcrel_hi3", ".Ltmp5"). RISC-V objects keep them for linker
// relaxation, so lld lists thousands of them; they are not program symbols either.
bool is_local_label(std::string_view name) { return name.starts_with(".L"); }

// A BYTE / SHORT / LONG / QUAD / SQUAD data command as lld prints it ("LONG ( _stack_start )");
// returns the keyword, or empty.
std::string_view data_command(std::string_view text) {
    for (std::string_view kw : {"BYTE", "SHORT", "LONG", "QUAD", "SQUAD"}) {
        if (text.size() > kw.size() && text.starts_with(kw) &&
            (text[kw.size()] == ' ' || text[kw.size()] == '('))
            return kw;
    }
    return {};
}

// s.rfind(needle) without std::string_view::rfind's memcmp at every position: on lines of long
// Rust names that was a third of the parser's time. Candidates are found with memrchr.
std::size_t rfind_fast(std::string_view s, std::string_view needle) {
    if (needle.empty() || needle.size() > s.size()) return npos;
    std::size_t end = s.size() - needle.size() + 1;  // a match starts below `end`
    while (end > 0) {
        const void* hit = ::memrchr(s.data(), needle[0], end);
        if (hit == nullptr) return npos;
        const auto i = static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
        if (s.substr(i, needle.size()) == needle) return i;
        end = i;
    }
    return npos;
}

// lld prints .eh_frame contents piece by piece: "x.o:(.eh_frame+0x14)". The piece offset is not
// part of the section name.
std::string_view strip_piece_offset(std::string_view name) {
    std::size_t plus = rfind_fast(name, "+0x");
    if (plus == npos || plus == 0 || plus + 3 == name.size()) return name;
    for (char c : name.substr(plus + 3))
        if (!std::isxdigit(static_cast<unsigned char>(c))) return name;
    return name.substr(0, plus);
}

// Splits "dir/libx.a(member.o)" into archive and member. The member is the parenthesised group
// that closes the path, found by balancing from the end so parentheses in directory names
// ("C:\Program Files (x86)\...") or member names ("m(1).o") do not confuse it.
bool split_archive(std::string_view path, std::string_view& archive, std::string_view& member) {
    if (path.size() < 3 || path.back() != ')') return false;
    int depth = 0;
    for (std::size_t i = path.size(); i-- > 0;) {
        if (path[i] == ')') {
            ++depth;
        } else if (path[i] == '(' && --depth == 0) {
            if (i == 0 || i + 2 == path.size()) return false;  // "(x)" or "lib.a()"
            archive = path.substr(0, i);
            member = path.substr(i + 1, path.size() - i - 2);
            return true;
        }
    }
    return false;
}

class LldParser {
public:
    explicit LldParser(LineReader& in) : in_(in) { map_.reserve_for(in.size_hint()); }

    LinkMap run() {
        map_.format = MapFormat::lld;
        std::string_view line;
        bool have_header = false;
        bool cref = false;
        while (in_.next(line)) {
            if (blank(line)) continue;
            if (cref) {
                if (map_.cross_references.size() >= npos32 - 1 || map_.cref_files.size() >= npos32 - 1)
                    fail("too many entries in the cross reference table");
                read_cross_reference_line(map_, line, &objects_);
                continue;
            }
            if (!have_header) {
                read_header(line);
                have_header = true;
                continue;
            }
            // --cref: lld ends the map with the table, in GNU ld's layout.
            if (line == "Cross Reference Table") {
                close_section();
                cref = true;
                map_.has_cross_references = true;
                continue;
            }
            read_line(line);
        }
        if (!have_header) throw Error(in_.name(), "empty file: no linker map in it");
        close_section();
        if (map_.sections.empty())
            throw Error(in_.name(),
                        "the lld map lists no output sections: it is empty or was cut off after "
                        "its header");
        check_truncation();
        return std::move(map_);
    }

private:
    enum class State : std::uint8_t { none, arm, thumb, data };  // code state from mapping symbols

    [[noreturn]] void fail(const std::string& message) const {
        throw Error(in_.name(), in_.line_number(), message);
    }

    void read_header(std::string_view line) {
        // Tokens of the header, e.g. "VMA LMA Size Align Out In Symbol".
        std::string_view words[9];
        std::size_t count = 0;
        std::size_t p = 0;
        while (count < 9) {
            std::size_t b = line.find_first_not_of(" \t", p);
            if (b == npos) break;
            std::size_t e = line.find_first_of(" \t", b);
            if (e == npos) e = line.size();
            words[count++] = line.substr(b, e - b);
            p = e;
        }
        auto is = [&](std::initializer_list<std::string_view> want) {
            if (want.size() != count) return false;
            std::size_t i = 0;
            for (std::string_view w : want)
                if (words[i++] != w) return false;
            return true;
        };
        if (is({"VMA", "LMA", "Size", "Align", "Out", "In", "Symbol"})) {
            fields_ = 4;
        } else if (is({"Address", "Size", "Align", "Out", "In", "Symbol"})) {
            fields_ = 3;
        } else if (is({"Address", "Size", "Align", "Out", "In", "File", "Symbol"})) {
            fail("this is an lld 4 map (with a File column), which sizebudget does not read; "
                 "relink with lld 5 or newer");
        } else {
            fail(fmt::format("not an lld map: expected the header \"VMA LMA Size Align Out In "
                             "Symbol\" (or \"Address Size Align Out In Symbol\"), found \"{}\"",
                             excerpt(line)));
        }
    }

    // The common case of a numeric column, in one pass over its characters: spaces from
    // line[p], then hex digits up to the space that ends them. Returns where that space is and
    // the value, or npos for anything else (the line ends, a character no digit, more than 64
    // bits), which the caller reads again to say what is wrong. Finding each column with
    // find_first_not_of, find and from_chars made reading a Rust map 1,300 instructions a line.
    static std::size_t hex_column(std::string_view line, std::size_t p, std::uint64_t& value) {
        const std::size_t begin = skip_blanks(line, p);
        std::uint64_t v = 0;
        bool fits = true;
        p = hex_digits(line, begin, v, fits);
        if (p == begin || p == line.size() || line[p] != ' ' || !fits) return npos;
        value = v;
        return p;
    }

    std::uint64_t number(std::string_view token, int base, const char* what) const {
        // std::from_chars takes no sign, prefix or spaces, so the whole token must be digits.
        std::uint64_t value = 0;
        auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value, base);
        if (ec == std::errc::result_out_of_range)
            fail(fmt::format("{} '{}' does not fit in 64 bits", what, excerpt(token)));
        if (ec != std::errc() || end != token.data() + token.size())
            fail(fmt::format("expected a hexadecimal number for the {} column, found '{}'", what,
                             excerpt(token)));
        return value;
    }

    void read_line(std::string_view line) {
        // The numeric columns: VMA [LMA] Size Align.
        static constexpr const char* names4[] = {"VMA", "LMA", "Size", "Align"};
        static constexpr const char* names3[] = {"Address", "Size", "Align"};
        const char* const* names = fields_ == 4 ? names4 : names3;
        std::uint64_t values[4] = {};
        std::size_t p = 0;
        for (int i = 0; i < fields_; ++i) {
            if (std::size_t e = hex_column(line, p, values[i]); e != npos) {
                p = e;
                continue;
            }
            // Anything unusual in the column: read it again here, to say what is wrong.
            std::size_t b = line.find_first_not_of(' ', p);
            if (b == npos)
                fail(fmt::format("line ends before its {} column: the map is truncated or "
                                 "malformed: \"{}\"",
                                 names[i], excerpt(line)));
            std::size_t e = line.find(' ', b);
            if (e == npos)
                fail(fmt::format("line ends after its {} column, without a section or symbol: "
                                 "the map is truncated or malformed: \"{}\"",
                                 names[i], excerpt(line)));
            // Align is decimal in current lld (hex in some old ones); it is only validated, so
            // reading every column as hex accepts both.
            values[i] = number(line.substr(b, e - b), 16, names[i]);
            p = e;
        }
        // p is at the single space lld writes after Align; the indentation starts after it.
        std::string_view text = line.substr(p + 1);
        std::size_t indent = skip_blanks(text, 0);
        if (indent == text.size()) indent = npos;
        // lld keeps ASSERT(...) as an assignment to "." with an empty command string, so it
        // prints a line with numbers and nothing after them. It is neither piece nor symbol.
        if (indent == npos) return;
        text = trim_right(text.substr(indent));
        const Address vma = values[0];
        const Address lma = fields_ == 4 ? values[1] : values[0];
        const std::uint64_t size = values[fields_ - 2];

        switch (indent) {
            case 0: top_level(text, vma, lma, size, line); break;
            case 8: in_section(text, vma, size, line); break;
            case 16: symbol(text, vma, size, line); break;
            default:
                fail(fmt::format("unexpected indentation ({} spaces) in an lld map: \"{}\"", indent,
                                 excerpt(line)));
        }
    }

    void check_extent(Address address, std::uint64_t size, std::string_view line) const {
        if (size > ~Address{0} - address)
            fail(fmt::format("address 0x{:x} plus size 0x{:x} passes the end of the 64-bit address "
                             "space: \"{}\"",
                             address, size, excerpt(line)));
    }

    void top_level(std::string_view text, Address vma, Address lma, std::uint64_t size,
                   std::string_view line) {
        if (text.find_first_of(" \t") != npos) {
            // A script command between output sections: "_stext = ORIGIN ( RAM ) + 0x420",
            // "PROVIDE ( x = y )", ". += 128 * 1024". lld prints nothing else at this level.
            if (text.find('=') == npos)
                fail(fmt::format("unrecognised line at output-section level: \"{}\"", excerpt(line)));
            close_section();
            return;
        }
        check_extent(vma, size, line);
        check_extent(lma, size, line);
        close_section();
        OutputSection s;
        s.name = map_.intern(text);
        s.address = vma;
        s.load_address = lma;
        s.size = size;
        // lld prints non-allocated sections (debug info, .comment, .symtab) at VMA 0.
        s.allocated = !is_non_allocated_name(s.name);
        s.first_input = static_cast<std::uint32_t>(map_.inputs.size());
        s.line = in_.line_number();
        map_.sections.push_back(s);
        section_open_ = true;
        covered_end_ = vma;
    }

    void in_section(std::string_view text, Address vma, std::uint64_t size, std::string_view line) {
        if (!section_open_)
            fail(fmt::format("input section or command outside any output section: \"{}\"",
                             excerpt(line)));
        check_extent(vma, size, line);
        // Every line here takes up [vma, vma + size) of the section, including `. = ALIGN(8)`
        // and `. += N`, whose size is how far they moved the location counter.
        if (vma + size > covered_end_) covered_end_ = vma + size;
        input_open_ = false;

        std::size_t colon = rfind_fast(text, ":(");
        if (colon != npos && text.back() == ')') {
            // "file.o:(.text.foo)", "libx.a(m.o):(.text)", "E:\x\y.o:(.text)", "<internal>:(.bss)".
            // The file part may itself hold ":(" only in a drive letter position, so the last
            // ":(" is the separator.
            std::string_view file = text.substr(0, colon);
            std::string_view name = text.substr(colon + 2, text.size() - colon - 3);
            if (file.empty() || name.empty())
                fail(fmt::format("input section line without a file or section name: \"{}\"",
                                 excerpt(line)));
            InputSection piece;
            if (file == "<internal>") {
                piece.kind = PieceKind::generated;
            } else {
                piece.kind = PieceKind::input;
                piece.object = object_index(file);
                name = strip_piece_offset(name);
            }
            piece.set_name(map_.input_name(name));
            piece.address = vma;
            piece.size = size;
            push_piece(piece);
            input_open_ = true;
            state_ = State::none;
            input_has_symbol_ = false;
            return;
        }
        if (std::string_view kw = data_command(text); !kw.empty()) {
            InputSection piece;
            piece.kind = PieceKind::data;
            piece.set_name(map_.intern(kw));
            piece.address = vma;
            piece.size = size;
            push_piece(piece);
            return;
        }
        // Symbol assignments and PROVIDE inside the section: "__reset_vector = .",
        // ". = ALIGN ( 4 )", "PROVIDE ( end = . )". They are neither pieces nor symbols.
        if (text.find('=') != npos) return;
        fail(fmt::format("unrecognised line inside output section '{}' (not an input section, data "
                         "command or assignment; a map cut off mid-line ends like this): \"{}\"",
                         map_.sections.back().name, excerpt(line)));
    }

    void push_piece(InputSection& piece) {
        piece.first_symbol = static_cast<std::uint32_t>(map_.symbols.size());
        map_.inputs.push_back(piece);
    }

    void symbol(std::string_view name, Address address, std::uint64_t size, std::string_view line) {
        if (!input_open_)
            fail(fmt::format("symbol line outside any input section: \"{}\"", excerpt(line)));
        InputSection& in = map_.inputs.back();
        if (char c = mapping_symbol_class(name)) {
            state_ = c == 't' ? State::thumb : c == 'd' ? State::data : State::arm;
            if (c == 't') thumb_seen_ = true;
            return;
        }
        if (is_local_label(name)) return;
        // Thumb functions are listed at their address with bit 0 set (the interworking bit of
        // the symbol value). Clear it when the symbol lies in Thumb code: after a $t mapping
        // symbol in the same input section; or, in an input with no mapping symbol before it,
        // when it is the first symbol, exactly at the input's start + 1, and the map has shown
        // Thumb code elsewhere. Data symbols at odd addresses ($d regions, x86, RISC-V) keep
        // their address.
        if ((address & 1) != 0) {
            bool thumb = state_ == State::thumb ||
                         (state_ == State::none && thumb_seen_ && !input_has_symbol_ &&
                          address == in.address + 1);
            if (thumb) address &= ~Address{1};
        }
        check_extent(address, size, line);
        Symbol s;
        s.set_name(map_.symbol_name(name, in.name()));
        s.address = address;
        // lld prints the symbol's st_size. Zero usually means "not recorded" (assembler labels,
        // linker-script symbols), so finish_map() may derive one.
        s.size = size;
        map_.symbols.push_back(s);
        ++in.symbol_count;
        input_has_symbol_ = true;
    }

    std::uint32_t object_index(std::string_view file) { return objects_.index(file); }

    void close_section() {
        if (section_open_) {
            OutputSection& s = map_.sections.back();
            s.input_count = static_cast<std::uint32_t>(map_.inputs.size()) - s.first_input;
            last_covered_end_ = covered_end_;
        }
        section_open_ = false;
        input_open_ = false;
    }

    // lld lists every byte of an output section: input sections, data commands, and the moves of
    // the location counter (`. = ALIGN(4)`, `. += N`) all appear with their sizes. Sections may
    // still have legal holes (an .eh_frame's 4-byte terminator is never listed), so a shortfall
    // inside the map proves nothing; at the very end of the map it most likely means the file was
    // cut off. lld also always ends a map with non-allocated sections (.comment, .symtab,
    // .shstrtab, .strtab), so a map whose last section is loadable memory is probably truncated.
    void check_truncation() {
        const OutputSection& last = map_.sections.back();
        const Address end = last.address + last.size;
        if (last_covered_end_ < end) {
            map_.warnings.push_back(
                {last.line,
                 fmt::format("the map may be truncated: its last output section '{}' has {} bytes "
                             "but its lines account for only {}",
                             last.name, last.size, last_covered_end_ - last.address)});
        } else if (last.allocated && last.address != 0) {
            map_.warnings.push_back(
                {last.line,
                 fmt::format("the map may be truncated: it ends with the allocated section '{}', "
                             "but lld ends every map with non-allocated sections such as .strtab",
                             last.name)});
        }
    }

    LineReader& in_;
    LinkMap map_;
    int fields_ = 4;
    bool section_open_ = false;
    bool input_open_ = false;        // the last line opened an input section symbols may follow
    bool input_has_symbol_ = false;  // a program symbol was already listed in that input
    bool thumb_seen_ = false;        // a $t mapping symbol appeared anywhere before
    State state_ = State::none;
    Address covered_end_ = 0;        // end of what the open section's lines account for
    Address last_covered_end_ = 0;
    ObjectTable objects_{map_, in_, split_archive};
};

}  // namespace

LinkMap parse_lld_map(LineReader& in) { return LldParser(in).run(); }

}  // namespace sizebudget

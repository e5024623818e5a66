#pragma once
// The link-map model: what one linked image contains, as the linker laid it out.
// Every parser fills this and nothing else; totals, budgets and reports only read it.
//
// Names are views into `strings`, which the map owns (shared, so copies of a LinkMap stay valid).
// Region, output section, object and archive names are interned, so equal names are the same
// view: later stages may compare their identities. Symbol names and long input section names are
// nearly all distinct and are only stored.
// Input sections and symbols live in flat arrays; an output section names the range of inputs it
// holds and an input section the range of its symbols. That keeps a 500 MB map to a few large
// allocations instead of millions of small ones.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/string_pool.hpp"

namespace sizebudget {

using Address = std::uint64_t;
inline constexpr std::uint32_t npos32 = 0xffffffffu;

struct MemoryRegion {
    std::string_view name;
    Address origin = 0;
    std::uint64_t length = 0;
    std::string_view attributes;  // as written, e.g. "xr", "rwx", "!w"; empty when none

    // One past the last byte; a region that ends at 2^64 ends at the last address.
    Address end() const { return length > ~Address{0} - origin ? ~Address{0} : origin + length; }
    bool contains(Address a) const { return a >= origin && a - origin < length; }
};

// One object file that contributed to the link. Archive members are their own objects.
struct ObjectFile {
    std::string_view path;     // as the map wrote it: "obj/main.o", "C:\x\libc.a(printf.o)"
    std::string_view archive;  // path of the archive when a member, else empty
    std::string_view member;   // member name when in an archive (parsers: a view into path), else the path
};

enum class PieceKind : std::uint8_t {
    input,      // an input section from an object file (including COMMON)
    fill,       // `*fill*` padding the linker printed
    data,       // explicit BYTE/SHORT/LONG/QUAD/FILL data in the linker script
    generated,  // linker-generated content and gaps no map line explains (alignment, `. = . + N`,
                // stubs, `<internal>` sections)
};

// A piece of an output section: an input section, fill, or a linker-made gap.
class InputSection {
public:
    // ".text.main", "COMMON", "*fill*", "LONG", "(gap)"; not always interned (LinkMap::input_name).
    std::string_view name() const noexcept { return name_; }
    // `name` is text the map's pool stores or a literal (NUL-terminated: see Symbol).
    void set_name(std::string_view name);

    std::uint32_t object = npos32;   // index into LinkMap::objects, npos32 when none
    PieceKind kind = PieceKind::input;
    Address address = 0;
    std::uint64_t size = 0;
    std::uint32_t first_symbol = 0;  // range in LinkMap::symbols
    std::uint32_t symbol_count = 0;

private:
    const char* name_ = "";  // NUL-terminated: 40 bytes an input section, as a map can list millions
};
static_assert(sizeof(InputSection) == 40);

// 24 bytes a symbol: a map can list millions, and its model should cost less than its text.
class Symbol {
public:
    Symbol() = default;
    // `name` is text the map's pool stores (StringPool ends all it stores with a NUL) or a literal.
    Symbol(std::string_view name, Address address, std::uint64_t size) : address(address), size(size) { set_name(name); }

    // As in the map (mangled); not interned.
    std::string_view name() const noexcept { return name_; }
    void set_name(std::string_view name);

    Address address = 0;
    // The symbol's size where the map gives one (lld), else up to the next symbol in the same
    // input section or its end (finish_map); 0 while unknown.
    std::uint64_t size = 0;

private:
    // NUL-terminated, so the length is not kept: names in maps and ELF string tables hold no NUL.
    const char* name_ = "";
};
static_assert(sizeof(Symbol) == 24);

struct OutputSection {
    std::string_view name;
    Address address = 0;       // run address (VMA)
    Address load_address = 0;  // load address (LMA); equal to address when the map gave none
    std::uint64_t size = 0;
    bool allocated = true;     // occupies memory at run time (SHF_ALLOC)
    bool loaded = true;        // has contents in the load image (not NOBITS / NOLOAD)
    bool flags_known = false;  // allocated/loaded came from the ELF; otherwise finish_map() infers them
    std::uint32_t run_region = npos32;   // index into LinkMap::regions
    std::uint32_t load_region = npos32;  // where the load image lives; == run_region when not copied
    // Load address given by AT(expr) rather than AT> REGION: GNU ld then leaves the load image
    // out of the region's --print-memory-usage figure and out of its overflow check.
    bool load_by_expression = false;
    // Reserved address space, not content: an allocated section of only fill, `. = . + N` and
    // other script assignments, with no input section or data of its own (ESP-IDF's
    // `.flash_rodata_dummy` and `*.dummy`, a heap or stack reservation). Set by finish_map().
    bool reserved = false;
    // The regions the linker script puts the section in (`> REGION`, `AT > REGION`), when given
    // with --linker-script: they settle what addresses alone cannot (regions sharing an origin).
    std::uint32_t script_region = npos32;
    std::uint32_t script_load_region = npos32;
    std::uint32_t first_input = 0;       // range in LinkMap::inputs
    std::uint32_t input_count = 0;
    std::size_t line = 0;      // line of the map where the section starts, for messages
};

// A row of GNU ld's "Archive member included to satisfy reference by file (symbol)" table.
struct ArchiveInclusion {
    std::uint32_t member = npos32;  // index into LinkMap::objects
    std::string_view referenced_by; // the object (or archive member) that needed it
    std::string_view symbol;        // the symbol it needed; empty in the old "because of" wording
};

// An input section GNU ld lists under "Discarded input sections" (--gc-sections, /DISCARD/).
struct DiscardedSection {
    std::string_view name;  // ".text.unused_helper"
    std::string_view file;  // path of its object
};

// A symbol of GNU ld's Cross Reference Table (-Wl,--cref): the files that define it (ld prints
// them first), then the files that reference it. Which of the files define it the table does not
// say; the symbols the map lists tell (reference_graph.hpp). Names are as ld prints them: C++
// demangled.
class CrossReference {
public:
    CrossReference() = default;
    // `symbol`: text the map's pool stores (NUL-terminated: see Symbol).
    CrossReference(std::string_view symbol, std::uint32_t first_file);
    std::string_view symbol() const noexcept { return symbol_; }

    std::uint32_t first_file = 0;  // range in LinkMap::cref_files
    std::uint32_t file_count = 0;

private:
    const char* symbol_ = "";
};
static_assert(sizeof(CrossReference) == 16);

// A reference from one input section to another, from the relocations of an ELF linked with
// --emit-relocs (elf_file.hpp): only sections the link kept, and exactly which.
struct SectionReference {
    std::uint32_t from = 0;   // index into LinkMap::inputs
    std::uint32_t to = 0;     // index into LinkMap::inputs
    std::string_view symbol;  // what it names; for a reference through a section symbol, the
                              // symbol at the address it reaches, or empty when none
};

// A global variable's starting value, from the --elf image (ElfSymbol::initial).
struct InitialValue {
    std::string_view symbol;
    std::uint64_t value = 0;
};

enum class MapFormat : std::uint8_t { gnu_ld, lld };

struct Diagnostic {
    std::size_t line = 0;  // 0 when it concerns the whole map
    std::string message;
    // "LINE: message", or the message where there is no line.
    std::string text() const { return line ? std::to_string(line) + ": " + message : message; }
};

struct LinkMap {
    std::string source;  // file it was read from
    MapFormat format = MapFormat::gnu_ld;

    std::vector<MemoryRegion> regions;  // without GNU ld's catch-all "*default*"
    std::vector<OutputSection> sections;
    std::vector<InputSection> inputs;
    std::vector<Symbol> symbols;
    std::vector<ObjectFile> objects;
    std::vector<ArchiveInclusion> archive_inclusions;
    // GNU ld's Cross Reference Table, when the link had --cref (files as the map writes them).
    std::vector<CrossReference> cross_references;
    // Interned, NUL-terminated (the table names each file once per symbol: 8 bytes a line).
    std::vector<const char*> cref_files;
    std::string_view cref_file(std::size_t k) const { return cref_files[k]; }
    bool has_cross_references = false;
    // From the --elf image's relocations (link with --emit-relocs), between different sections.
    std::vector<SectionReference> section_references;
    bool has_relocations = false;
    bool has_elf = false;  // an --elf image was applied (elf_file.hpp)
    std::vector<InitialValue> initial_values;  // from the --elf image, by name

    // Discarded input sections count in no total; kept only as a count for the report, and, when
    // asked for (ReadOptions::keep_discarded), by name for `why`: a symbol that is not linked
    // because its section was dropped.
    std::uint64_t discarded_sections = 0;
    std::uint64_t discarded_bytes = 0;
    std::vector<DiscardedSection> discarded;

    // Things the reader could not reconcile; the report shows them.
    std::vector<Diagnostic> warnings;
    // Where the --elf image and the map disagree on what both record (a section's size or load
    // address, a section only one has, a region's figure), one short line each; each is also a
    // warning. The ELF is then from another link or the map was misread: `check` refuses to judge.
    std::vector<std::string> elf_disputes;

    std::shared_ptr<StringPool> strings = std::make_shared<StringPool>();

    std::span<const InputSection> inputs_of(const OutputSection& s) const {
        return {inputs.data() + s.first_input, s.input_count};
    }
    std::span<const Symbol> symbols_of(const InputSection& in) const {
        return {symbols.data() + in.first_symbol, in.symbol_count};
    }
    const ObjectFile* object_of(const InputSection& in) const {
        return in.object == npos32 ? nullptr : &objects[in.object];
    }
    std::string_view intern(std::string_view text) { return strings->intern(text); }
    // An input section's name. Short ones (".text", ".rodata.str1.4", "COMMON") repeat in every
    // object and are interned; a long one names its function or variable (".text.uart_init"),
    // is nearly always unique and is only stored: a lookup would cost a hash of every byte and
    // save nothing. Nothing compares input section names by identity.
    std::string_view input_name(std::string_view text) {
        return text.size() <= 16 ? strings->intern(text) : strings->copy(text);
    }
    // Reserves room for the input sections and symbols a map of `map_bytes` can hold, so the
    // arrays never grow by copying: a copy would hold old and new array at once, up to three
    // times the final size. Reserved pages that are never written cost address space, not memory.
    void reserve_for(std::uint64_t map_bytes);
    // A symbol of the input section named `input_name`. With -ffunction-sections the symbol's
    // name ends that of its section (".text.main" holds "main") and costs no copy.
    std::string_view symbol_name(std::string_view text, std::string_view input_name) {
        if (input_name.size() > text.size() && input_name.ends_with(text) &&
            input_name[input_name.size() - text.size() - 1] == '.')
            return input_name.substr(input_name.size() - text.size());
        return strings->copy(text);
    }
};

// "gnu-ld" or "lld", as reports and snapshots name the format.
std::string_view map_format_name(MapFormat format);

// "dir/libx.a(member.o)" -> archive "dir/libx.a", member "member.o", as GNU ld writes archive
// members. The parentheses are balanced from the end, so "m(1).o" stays one member; a '(' right
// after a space or a folder separator begins no member ("C:\Program Files (x86)\x.o").
bool split_archive_member(std::string_view path, std::string_view& archive, std::string_view& member);

// File name of a path written by any host: "C:\a\libc.a" and "/a/libc.a" both give "libc.a".
std::string_view file_name(std::string_view path);

// Section names whose contents never occupy target memory even when a map prints them at an
// address inside a region (.debug_*, .comment, .ARM.attributes, ...).
bool is_non_allocated_name(std::string_view section_name);

}  // namespace sizebudget

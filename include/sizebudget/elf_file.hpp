#pragma once
// The section headers and symbol table of an ELF image, to settle what a map alone cannot
// (NOBITS vs PROGBITS, SHF_ALLOC, symbol sizes, file-local symbols) and to cross-check sizes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sizebudget/link_map.hpp"

namespace sizebudget {

struct ElfSection {
    std::string name;
    std::uint32_t type = 0;    // SHT_*
    std::uint64_t flags = 0;   // SHF_*
    Address address = 0;
    Address load_address = 0;  // from the PT_LOAD segment holding it; == address when none
    std::uint64_t size = 0;
    bool allocated() const { return (flags & 0x2) != 0; }
    bool nobits() const { return type == 8; }
};

// A function or data object of the symbol table (.symtab), with its size.
struct ElfSymbol {
    std::string name;
    Address address = 0;        // Thumb functions without their mode bit
    std::uint64_t size = 0;
    std::uint32_t section = 0;  // index into ElfImage::sections
    bool local = false;         // STB_LOCAL: a file-local (static) symbol
    // A global variable of 1, 2, 4 or 8 bytes: the value the image starts it with (0 in .bss).
    // Settings compiled into a variable (ESP-IDF's esp_log_default_level) are evidence no map has.
    std::optional<std::uint64_t> initial;
};

// A reference the image's relocations record: a link with --emit-relocs keeps them, so the
// place in one allocated section that refers to an address in another is known exactly, from
// sections the link kept (references from sections --gc-sections dropped are gone).
struct ElfReference {
    Address place = 0;
    Address target = 0;
    std::uint32_t place_section = 0;   // index into ElfImage::sections
    std::uint32_t target_section = 0;  // index into ElfImage::sections
    std::uint32_t symbol = npos32;     // index into ElfImage::reference_symbols; npos32 for a
                                       // reference through a section symbol (".rodata" + offset)
};

struct ElfImage {
    std::vector<ElfSection> sections;  // without the null section 0: sections[i] is ELF index i + 1
    std::vector<ElfSymbol> symbols;    // STT_FUNC and STT_OBJECT symbols of non-zero size
    bool has_symtab = false;
    // From relocation sections that apply to allocated sections (never debug information).
    std::vector<ElfReference> references;
    std::vector<std::string> reference_symbols;
    bool has_relocations = false;
    // Relocations through a section symbol whose addend this reader cannot decode (an
    // instruction encoding it does not know): left out of `references`.
    std::size_t undecoded_references = 0;
};

// Throws Error when the file is not a readable ELF.
ElfImage read_elf(const std::string& path);

// Takes allocation and load-image flags from the ELF and warns (in map.warnings) where the map
// and the ELF disagree on a section's size or address. With a symbol table, the symbols of each
// input section become the ELF's functions and objects in its address range, with their exact
// sizes, file-local ones included (maps list only global symbols, GNU ld's with guessed sizes).
// Returns, per output section of the map, the allocated ELF section matched to it (npos32: none).
std::vector<std::uint32_t> apply_elf(LinkMap& map, const ElfImage& elf);
// With relocations, the references between the map's input sections (LinkMap::section_references),
// by index: after the map's input sections are final (finish_map(), which keeps the output
// sections as they are), with the match apply_elf() returned.
void apply_elf_references(LinkMap& map, const ElfImage& elf, const std::vector<std::uint32_t>& elf_section_of);

}  // namespace sizebudget

#pragma once
// The section headers and symbol table of an ELF image, to settle what a map alone cannot
// (NOBITS vs PROGBITS, SHF_ALLOC, symbol sizes, file-local symbols) and to cross-check sizes.
#include <cstdint>
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
};

struct ElfImage {
    std::vector<ElfSection> sections;  // without the null section 0: sections[i] is ELF index i + 1
    std::vector<ElfSymbol> symbols;    // STT_FUNC and STT_OBJECT symbols of non-zero size
    bool has_symtab = false;
};

// Throws Error when the file is not a readable ELF.
ElfImage read_elf(const std::string& path);

// Takes allocation and load-image flags from the ELF and warns (in map.warnings) where the map
// and the ELF disagree on a section's size or address. With a symbol table, the symbols of each
// input section become the ELF's functions and objects in its address range, with their exact
// sizes, file-local ones included (maps list only global symbols, GNU ld's with guessed sizes).
void apply_elf(LinkMap& map, const ElfImage& elf);

}  // namespace sizebudget

#pragma once
// The section headers of an ELF image, to settle what a map alone cannot (NOBITS vs PROGBITS,
// SHF_ALLOC) and to cross-check sizes.
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

struct ElfImage {
    std::vector<ElfSection> sections;
};

// Throws Error when the file is not a readable ELF.
ElfImage read_elf(const std::string& path);

// Takes allocation and load-image flags from the ELF and warns (in map.warnings) where the map
// and the ELF disagree on a section's size or address.
void apply_elf(LinkMap& map, const ElfImage& elf);

}  // namespace sizebudget

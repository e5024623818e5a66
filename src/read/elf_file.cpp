// Just enough of ELF to read section headers and the load segments behind them.
#include "sizebudget/elf_file.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sizebudget/error.hpp"
#include "sizebudget/input_file.hpp"

namespace sizebudget {

namespace {

class ElfBytes {
public:
    ElfBytes(const std::string& path, std::ifstream& in, bool is64, bool little)
        : path_(path), in_(in), is64_(is64), little_(little) {
        in_.seekg(0, std::ios::end);
        size_ = static_cast<std::uint64_t>(in_.tellg());
    }

    std::uint64_t read(std::uint64_t offset, unsigned width) {
        if (offset > size_ || width > size_ - offset)
            throw Error(path_, "truncated ELF file: a header points past its end");
        unsigned char b[8] = {};
        in_.seekg(static_cast<std::streamoff>(offset));
        in_.read(reinterpret_cast<char*>(b), width);
        if (!in_) throw Error(path_, "cannot read ELF file");
        std::uint64_t v = 0;
        for (unsigned i = 0; i < width; ++i) {
            unsigned idx = little_ ? width - 1 - i : i;
            v = (v << 8) | b[idx];
        }
        return v;
    }
    std::uint64_t word(std::uint64_t offset) { return read(offset, is64_ ? 8 : 4); }
    // `size` bytes at `offset`, in one read (symbol tables hold thousands of entries).
    std::string block(std::uint64_t offset, std::uint64_t size) {
        if (offset > size_ || size > size_ - offset)
            throw Error(path_, "truncated ELF file: a section points past its end");
        std::string out(size, '\0');
        in_.seekg(static_cast<std::streamoff>(offset));
        in_.read(out.data(), static_cast<std::streamsize>(size));
        if (!in_) throw Error(path_, "cannot read ELF file");
        return out;
    }
    // A little- or big-endian number of `width` bytes at `at` in `bytes`.
    std::uint64_t number(std::string_view bytes, std::size_t at, unsigned width) const {
        std::uint64_t v = 0;
        for (unsigned i = 0; i < width; ++i) {
            unsigned idx = little_ ? width - 1 - i : i;
            v = (v << 8) | static_cast<unsigned char>(bytes[at + idx]);
        }
        return v;
    }
    std::uint64_t size() const { return size_; }
    bool is64() const { return is64_; }

private:
    const std::string& path_;
    std::ifstream& in_;
    bool is64_;
    bool little_;
    std::uint64_t size_ = 0;
};

struct Segment {
    std::uint64_t offset, vaddr, paddr, filesz, memsz;
};

}  // namespace

ElfImage read_elf(const std::string& path) {
    require_regular_file(path, "ELF file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open ELF file");
    unsigned char ident[16] = {};
    in.read(reinterpret_cast<char*>(ident), sizeof ident);
    if (!in || std::memcmp(ident, "\x7f" "ELF", 4) != 0) throw Error(path, "not an ELF file");
    if ((ident[4] != 1 && ident[4] != 2) || (ident[5] != 1 && ident[5] != 2))
        throw Error(path, "unsupported ELF class or byte order");
    ElfBytes elf(path, in, ident[4] == 2, ident[5] == 1);
    const bool w64 = elf.is64();

    const std::uint64_t phoff = elf.word(w64 ? 0x20 : 0x1c);
    const std::uint64_t shoff = elf.word(w64 ? 0x28 : 0x20);
    const std::uint64_t phentsize = elf.read(w64 ? 0x36 : 0x2a, 2);
    const std::uint64_t phnum = elf.read(w64 ? 0x38 : 0x2c, 2);
    const std::uint64_t shentsize = elf.read(w64 ? 0x3a : 0x2e, 2);
    const std::uint64_t shnum = elf.read(w64 ? 0x3c : 0x30, 2);
    const std::uint64_t shstrndx = elf.read(w64 ? 0x3e : 0x32, 2);
    if (shnum == 0 || shoff == 0) throw Error(path, "ELF file has no section headers");
    if (shstrndx >= shnum) throw Error(path, "ELF section name table index out of range");
    if (shentsize < (w64 ? 64u : 40u) || (phnum > 0 && phentsize < (w64 ? 56u : 32u)))
        throw Error(path, "ELF header sizes are invalid");

    std::vector<Segment> loads;
    for (std::uint64_t i = 0; i < phnum; ++i) {
        std::uint64_t p = phoff + i * phentsize;
        if (elf.read(p, 4) != 1) continue;  // PT_LOAD
        Segment s{};
        if (w64) {
            s = {elf.read(p + 8, 8), elf.read(p + 16, 8), elf.read(p + 24, 8), elf.read(p + 32, 8),
                 elf.read(p + 40, 8)};
        } else {
            s = {elf.read(p + 4, 4), elf.read(p + 8, 4), elf.read(p + 12, 4), elf.read(p + 16, 4),
                 elf.read(p + 20, 4)};
        }
        loads.push_back(s);
    }

    auto field = [&](std::uint64_t sh, unsigned off32, unsigned off64, bool wide) {
        return w64 ? elf.read(sh + off64, wide ? 8 : 4) : elf.read(sh + off32, 4);
    };
    const std::uint64_t strtab_sh = shoff + shstrndx * shentsize;
    const std::uint64_t strtab_off = field(strtab_sh, 0x10, 0x18, true);
    const std::uint64_t strtab_size = field(strtab_sh, 0x14, 0x20, true);

    ElfImage image;
    std::vector<std::uint64_t> offsets, links, entsizes;
    for (std::uint64_t i = 1; i < shnum; ++i) {
        const std::uint64_t sh = shoff + i * shentsize;
        ElfSection s;
        std::uint64_t name_off = elf.read(sh, 4);
        s.type = static_cast<std::uint32_t>(elf.read(sh + 4, 4));
        s.flags = field(sh, 0x08, 0x08, true);
        s.address = field(sh, 0x0c, 0x10, true);
        std::uint64_t offset = field(sh, 0x10, 0x18, true);
        s.size = field(sh, 0x14, 0x20, true);
        offsets.push_back(offset);
        links.push_back(elf.read(sh + (w64 ? 0x28 : 0x18), 4));
        entsizes.push_back(field(sh, 0x24, 0x38, true));
        if (name_off >= strtab_size) throw Error(path, "ELF section name out of range");
        for (std::uint64_t k = strtab_off + name_off; k < strtab_off + strtab_size; ++k) {
            char c = static_cast<char>(elf.read(k, 1));
            if (c == '\0') break;
            s.name.push_back(c);
        }
        s.load_address = s.address;
        for (const Segment& seg : loads) {
            bool in_memory = s.address >= seg.vaddr && s.address - seg.vaddr < std::max<std::uint64_t>(seg.memsz, 1);
            bool in_file = s.nobits() || (offset >= seg.offset && offset - seg.offset < std::max<std::uint64_t>(seg.filesz, 1));
            if (s.allocated() && in_memory && in_file) {
                s.load_address = seg.paddr + (s.address - seg.vaddr);
                break;
            }
        }
        image.sections.push_back(std::move(s));
    }

    // The symbol table: functions and objects with a size.
    const bool arm = elf.read(0x12, 2) == 40;  // EM_ARM: a Thumb function's address has bit 0 set
    for (std::size_t i = 0; i < image.sections.size(); ++i) {
        if (image.sections[i].type != 2 /* SHT_SYMTAB */) continue;
        const std::uint64_t link = links[i];
        if (link == 0 || link > image.sections.size()) throw Error(path, "ELF symbol table without its string table");
        const std::size_t entry = w64 ? 24 : 16;
        if (entsizes[i] != 0 && entsizes[i] != entry) throw Error(path, "ELF symbol table entries of an unknown size");
        const std::string table = elf.block(offsets[i], image.sections[i].size);
        const std::string names = elf.block(offsets[link - 1], image.sections[link - 1].size);
        image.has_symtab = true;
        for (std::size_t at = entry; at + entry <= table.size(); at += entry) {  // entry 0 is null
            const std::uint64_t name = elf.number(table, at, 4);
            const unsigned info = static_cast<unsigned char>(table[at + (w64 ? 4 : 12)]);
            const std::uint64_t shndx = elf.number(table, at + (w64 ? 6 : 14), 2);
            const std::uint64_t value = elf.number(table, at + (w64 ? 8 : 4), w64 ? 8 : 4);
            const std::uint64_t size = elf.number(table, at + (w64 ? 16 : 8), w64 ? 8 : 4);
            const unsigned type = info & 0xf, bind = info >> 4;
            if ((type != 1 && type != 2) || size == 0 || shndx == 0 || shndx >= 0xff00 || shndx > image.sections.size())
                continue;  // not a sized function or object in a section of the image
            if (name >= names.size()) throw Error(path, "ELF symbol name out of range");
            ElfSymbol sym;
            const std::size_t end = names.find('\0', name);
            sym.name = names.substr(name, end == std::string::npos ? std::string::npos : end - name);
            sym.address = arm && type == 2 ? value & ~std::uint64_t{1} : value;
            sym.size = size;
            sym.section = static_cast<std::uint32_t>(shndx - 1);
            sym.local = bind == 0;
            image.symbols.push_back(std::move(sym));
        }
    }
    std::stable_sort(image.symbols.begin(), image.symbols.end(),
                     [](const ElfSymbol& a, const ElfSymbol& b) { return a.address < b.address; });
    return image;
}

namespace {

// The map's symbols replaced by the ELF's, each in the input section of the map that holds its
// address within the ELF section `matched` to the map's output section.
void take_symbols(LinkMap& map, const ElfImage& elf, const std::vector<std::uint32_t>& elf_section_of) {
    std::vector<Symbol> symbols;
    symbols.reserve(elf.symbols.size());
    for (std::size_t si = 0; si < map.sections.size(); ++si) {
        OutputSection& s = map.sections[si];
        const std::uint32_t e = elf_section_of[si];
        // Symbols of this ELF section, by address.
        auto first = std::lower_bound(elf.symbols.begin(), elf.symbols.end(), s.address,
                                      [](const ElfSymbol& sym, Address a) { return sym.address < a; });
        for (std::size_t k = s.first_input; k < s.first_input + s.input_count; ++k) {
            InputSection& in = map.inputs[k];
            in.first_symbol = static_cast<std::uint32_t>(symbols.size());
            in.symbol_count = 0;
            if (e == npos32 || in.kind != PieceKind::input || in.size == 0) continue;
            auto it = std::lower_bound(first, elf.symbols.end(), in.address,
                                       [](const ElfSymbol& sym, Address a) { return sym.address < a; });
            for (; it != elf.symbols.end() && it->address - in.address < in.size; ++it) {
                if (it->section != e) continue;
                symbols.push_back({map.strings->copy(it->name), it->address, it->size});
                ++in.symbol_count;
            }
        }
    }
    map.symbols = std::move(symbols);
}

}  // namespace

void apply_elf(LinkMap& map, const ElfImage& elf) {
    std::vector<bool> matched(elf.sections.size(), false);
    std::vector<std::uint32_t> elf_section_of(map.sections.size(), npos32);
    for (std::size_t si = 0; si < map.sections.size(); ++si) {
        OutputSection& s = map.sections[si];
        const ElfSection* hit = nullptr;
        for (std::size_t i = 0; i < elf.sections.size(); ++i) {
            const ElfSection& e = elf.sections[i];
            if (matched[i] || e.name != s.name) continue;
            // Same-named sections (two `.iram.text`) are told apart by address.
            if (e.allocated() && e.address != s.address) continue;
            hit = &e;
            matched[i] = true;
            if (e.allocated()) elf_section_of[si] = static_cast<std::uint32_t>(i);
            break;
        }
        if (hit == nullptr) {
            if (s.allocated && s.size > 0) {
                map.elf_disputes.push_back(fmt::format("section '{}' is not in the ELF", s.name));
                map.warnings.push_back({s.line, fmt::format("section '{}' of the map is not in the ELF; "
                                                            "are map and ELF from the same link?",
                                                            s.name)});
            }
            continue;
        }
        s.allocated = hit->allocated();
        s.loaded = s.allocated && !hit->nobits();
        s.flags_known = true;
        if (hit->size != s.size && s.allocated) {
            map.elf_disputes.push_back(fmt::format("section '{}' is {} bytes in the map, {} in the ELF", s.name, s.size, hit->size));
            map.warnings.push_back(
                {s.line, fmt::format("section '{}' is {} bytes in the map but {} bytes in the ELF",
                                     s.name, s.size, hit->size)});
        }
        if (s.allocated && s.loaded && hit->load_address != s.load_address) {
            map.elf_disputes.push_back(fmt::format("section '{}' loads at 0x{:x} by the map, 0x{:x} by the ELF", s.name,
                                                   s.load_address, hit->load_address));
            map.warnings.push_back(
                {s.line, fmt::format("section '{}' loads at 0x{:x} in the map but at 0x{:x} in the ELF",
                                     s.name, s.load_address, hit->load_address)});
        }
    }
    // Non-allocated sections with contents (debug info, .comment) come last in a GNU ld map, after
    // OUTPUT(...). A map cut at a line boundary there reads as complete; only the ELF tells.
    // (.symtab, .strtab and .shstrtab are written by the linker and never in the map: not PROGBITS.)
    std::vector<std::string_view> missing;
    for (std::size_t i = 0; i < elf.sections.size(); ++i) {
        const ElfSection& e = elf.sections[i];
        if (matched[i] || e.size == 0) continue;
        if (e.allocated()) {
            map.elf_disputes.push_back(fmt::format("section '{}' is in the ELF but not in the map", e.name));
            map.warnings.push_back(
                {0, fmt::format("section '{}' ({} bytes) is in the ELF but not in the map", e.name, e.size)});
        }
        else if (e.type == 1 /* SHT_PROGBITS */)
            missing.push_back(e.name);
    }
    if (!missing.empty())
        map.warnings.push_back(
            {0, fmt::format("the ELF has {} non-allocated section{} the map lacks ({}); the map may be "
                            "truncated or from another link",
                            missing.size(), missing.size() == 1 ? "" : "s", fmt::join(missing, ", "))});
    if (elf.has_symtab)
        take_symbols(map, elf, elf_section_of);
    else
        map.warnings.push_back({0, "the ELF has no symbol table (stripped?): symbols are the map's"});
}

}  // namespace sizebudget

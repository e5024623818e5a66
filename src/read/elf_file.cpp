// Just enough of ELF to read section headers and the load segments behind them.
#include "sizebudget/elf_file.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <optional>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sizebudget/error.hpp"
#include "sizebudget/input_file.hpp"
#include "sizebudget/name_hash.hpp"

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
    const std::string& path() const { return path_; }

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

// Per section header: where its contents are, sh_link, sh_info and sh_entsize.
struct SectionTable {
    std::vector<std::uint64_t> offsets, links, infos, entsizes;
};

struct RawSymbol {
    Address value = 0;               // Thumb functions without their mode bit
    std::uint32_t section = npos32;  // index into ElfImage::sections; npos32: undefined, absolute
    std::uint8_t type = 0;           // STT_*
    std::string name;                // empty for section symbols
};

std::int64_t sign_extend(std::uint64_t v, unsigned bits) {
    const std::uint64_t m = std::uint64_t{1} << (bits - 1);
    v &= (m << 1) - 1;
    return static_cast<std::int64_t>((v ^ m) - m);
}

// The address a REL relocation through a section symbol refers to, decoded from the linked
// contents at its place (the addend lives there and the link has already applied it), or
// nothing for an encoding this reader does not know. ARM only: the REL architecture firmware
// links; RELA carries its addend.
std::optional<Address> arm_rel_target(std::string_view contents, std::uint64_t at, Address place, unsigned type) {
    auto half = [&](std::uint64_t o) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(contents[o]) |
                                          (static_cast<unsigned char>(contents[o + 1]) << 8));
    };
    if (at > contents.size() || contents.size() - at < 4) return std::nullopt;
    const std::uint32_t word = half(at) | (half(at + 2) << 16);
    switch (type) {
    case 2:   // R_ARM_ABS32
    case 38:  // R_ARM_TARGET1
        return word;
    case 3:  // R_ARM_REL32
        return place + static_cast<std::int32_t>(word);
    case 42:  // R_ARM_PREL31 (.ARM.exidx)
        return place + sign_extend(word, 31);
    case 10:    // R_ARM_THM_CALL
    case 30: {  // R_ARM_THM_JUMP24
        const std::uint32_t hi = half(at), lo = half(at + 2);
        const std::uint32_t s = (hi >> 10) & 1, j1 = (lo >> 13) & 1, j2 = (lo >> 11) & 1;
        const std::uint32_t i1 = !(j1 ^ s), i2 = !(j2 ^ s);
        const std::uint64_t imm = (std::uint64_t{s} << 24) | (i1 << 23) | (i2 << 22) | ((hi & 0x3ff) << 12) | ((lo & 0x7ff) << 1);
        const Address from = (lo & 0x1000) ? place + 4 : (place + 4) & ~Address{3};  // BL, or BLX to ARM code
        return from + sign_extend(imm, 25);
    }
    default: return std::nullopt;
    }
}

void read_references(ElfBytes& elf, ElfImage& image, const std::vector<RawSymbol>& raw, std::size_t symtab,
                     const SectionTable& table, bool arm) {
    const bool w64 = elf.is64();
    std::vector<std::uint32_t> named(raw.size(), npos32);  // symbol index -> reference_symbols
    for (std::size_t i = 0; i < image.sections.size(); ++i) {
        const ElfSection& r = image.sections[i];
        const bool rela = r.type == 4;  // SHT_RELA; SHT_REL is 9
        if ((r.type != 9 && !rela) || table.links[i] != symtab + 1) continue;
        const std::uint64_t applies_to = table.infos[i];
        if (applies_to == 0 || applies_to > image.sections.size()) continue;
        const auto place_section = static_cast<std::uint32_t>(applies_to - 1);
        const ElfSection& target = image.sections[place_section];
        if (!target.allocated() || target.nobits()) continue;  // debug information, .comment
        image.has_relocations = true;
        const std::size_t entry = (w64 ? 8 : 4) * (rela ? 3 : 2);
        if (table.entsizes[i] != 0 && table.entsizes[i] != entry) throw Error(elf.path(), "ELF relocation entries of an unknown size");
        const std::string relocs = elf.block(table.offsets[i], r.size);
        std::string contents;  // the section the relocations apply to, read when a REL needs it
        for (std::size_t at = 0; at + entry <= relocs.size(); at += entry) {
            const Address place = elf.number(relocs, at, w64 ? 8 : 4);
            const std::uint64_t rinfo = elf.number(relocs, at + (w64 ? 8 : 4), w64 ? 8 : 4);
            const std::uint64_t sym = w64 ? rinfo >> 32 : rinfo >> 8;
            const auto type = static_cast<unsigned>(w64 ? rinfo & 0xffffffff : rinfo & 0xff);
            if (sym == 0 || sym >= raw.size() || raw[sym].section == npos32) continue;  // none, undefined, absolute
            if (place - target.address >= target.size) continue;  // not in the section it applies to
            const RawSymbol& s = raw[sym];
            ElfReference ref;
            ref.place = place;
            ref.place_section = place_section;
            ref.target_section = s.section;
            if (s.type != 3) {  // a named symbol: the reference is to it, whatever the addend
                ref.target = s.value;
                if (named[sym] == npos32) {
                    named[sym] = static_cast<std::uint32_t>(image.reference_symbols.size());
                    image.reference_symbols.push_back(s.name);
                }
                ref.symbol = named[sym];
            }
            else if (rela) {
                ref.target = s.value + static_cast<std::uint64_t>(elf.number(relocs, at + 2 * (w64 ? 8 : 4), w64 ? 8 : 4));
                if (!w64) ref.target &= 0xffffffffu;
            }
            else {
                if (contents.empty()) contents = elf.block(table.offsets[place_section], target.size);
                std::optional<Address> to = arm ? arm_rel_target(contents, place - target.address, place, type) : std::nullopt;
                if (!to) {
                    ++image.undecoded_references;
                    continue;
                }
                ref.target = *to & 0xffffffffu;
                // A pointer to Thumb code has the mode bit set.
                if ((image.sections[s.section].flags & 0x4 /* SHF_EXECINSTR */) != 0) ref.target &= ~Address{1};
            }
            image.references.push_back(ref);
        }
    }
}

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
    SectionTable table;
    std::vector<std::uint64_t>& offsets = table.offsets;
    std::vector<std::uint64_t>& links = table.links;
    std::vector<std::uint64_t>& entsizes = table.entsizes;
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
        table.infos.push_back(elf.read(sh + (w64 ? 0x2c : 0x1c), 4));
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
    std::vector<RawSymbol> raw;  // every entry, by index, for the relocations
    std::size_t symtab = npos32;
    for (std::size_t i = 0; i < image.sections.size(); ++i) {
        if (image.sections[i].type != 2 /* SHT_SYMTAB */) continue;
        const std::uint64_t link = links[i];
        if (link == 0 || link > image.sections.size()) throw Error(path, "ELF symbol table without its string table");
        const std::size_t entry = w64 ? 24 : 16;
        if (entsizes[i] != 0 && entsizes[i] != entry) throw Error(path, "ELF symbol table entries of an unknown size");
        const std::string table = elf.block(offsets[i], image.sections[i].size);
        const std::string names = elf.block(offsets[link - 1], image.sections[link - 1].size);
        image.has_symtab = true;
        const bool first_table = symtab == npos32;
        if (first_table) symtab = i;
        if (first_table) raw.assign(1, RawSymbol{});
        for (std::size_t at = entry; at + entry <= table.size(); at += entry) {  // entry 0 is null
            const std::uint64_t name = elf.number(table, at, 4);
            const unsigned info = static_cast<unsigned char>(table[at + (w64 ? 4 : 12)]);
            const std::uint64_t shndx = elf.number(table, at + (w64 ? 6 : 14), 2);
            const std::uint64_t value = elf.number(table, at + (w64 ? 8 : 4), w64 ? 8 : 4);
            const std::uint64_t size = elf.number(table, at + (w64 ? 16 : 8), w64 ? 8 : 4);
            const unsigned type = info & 0xf, bind = info >> 4;
            if (name >= names.size()) throw Error(path, "ELF symbol name out of range");
            const std::size_t end = names.find('\0', name);
            const std::string_view symbol_name = std::string_view(names).substr(name, end == std::string::npos ? std::string::npos : end - name);
            if (first_table) {
                const bool in_image = shndx != 0 && shndx < 0xff00 && shndx <= image.sections.size();
                raw.push_back({arm && type == 2 ? value & ~std::uint64_t{1} : value,
                               in_image ? static_cast<std::uint32_t>(shndx - 1) : npos32, static_cast<std::uint8_t>(type),
                               type == 3 ? std::string() : std::string(symbol_name)});
            }
            if ((type != 1 && type != 2) || size == 0 || shndx == 0 || shndx >= 0xff00 || shndx > image.sections.size())
                continue;  // not a sized function or object in a section of the image
            ElfSymbol sym;
            sym.name = std::string(symbol_name);
            sym.address = arm && type == 2 ? value & ~std::uint64_t{1} : value;
            sym.size = size;
            sym.section = static_cast<std::uint32_t>(shndx - 1);
            sym.local = bind == 0;
            const ElfSection& home = image.sections[sym.section];
            if (type == 1 && !sym.local && (size == 1 || size == 2 || size == 4 || size == 8) && home.allocated() &&
                value >= home.address && size <= home.size && value - home.address <= home.size - size) {
                if (home.nobits())
                    sym.initial = 0;
                else if (home.type == 1 /* PROGBITS */)
                    sym.initial = elf.read(offsets[sym.section] + (value - home.address), static_cast<unsigned>(size));
            }
            image.symbols.push_back(std::move(sym));
        }
    }
    std::stable_sort(image.symbols.begin(), image.symbols.end(),
                     [](const ElfSymbol& a, const ElfSymbol& b) { return a.address < b.address; });
    // Relocations are kept in a linked image only by --emit-relocs; a relocatable object's
    // (ET_REL) are not references between the sections of an image.
    const std::uint64_t elf_type = elf.read(0x10, 2);
    if (symtab != npos32 && (elf_type == 2 || elf_type == 3))
        read_references(elf, image, raw, symtab, table, arm);
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
                if (it->initial) map.initial_values.push_back({symbols.back().name(), *it->initial});
            }
        }
    }
    map.symbols = std::move(symbols);
}

// The ELF's sections by name, each name's in file order: maps and ELFs may both hold 20,000.
NameMap<std::vector<std::uint32_t>> sections_by_name(const ElfImage& elf) {
    NameMap<std::vector<std::uint32_t>> out;
    for (std::uint32_t i = 0; i < elf.sections.size(); ++i) out[elf.sections[i].name].push_back(i);
    return out;
}

// Input sections of mergeable strings and constants (SHF_MERGE: ".rodata.str1.4",
// ".rodata.main.str1.1", ".rodata.cst8", ".srodata.cst16"), by the names compilers give them.
bool is_merged_constants(std::string_view name) {
    if (!name.starts_with(".rodata") && !name.starts_with(".srodata")) return false;
    return name.find(".str1.") != std::string_view::npos || name.find(".str2.") != std::string_view::npos ||
           name.find(".str4.") != std::string_view::npos || name.find(".cst") != std::string_view::npos;
}

}  // namespace

// The ELF's references between sections, as references between the map's input sections: the
// place and the target each fall in the input section whose address range holds them, in the
// output section matched to their ELF section.
void apply_elf_references(LinkMap& map, const ElfImage& elf, const std::vector<std::uint32_t>& elf_section_of) {
    map.has_relocations = elf.has_relocations;
    if (elf.references.empty()) return;
    // Each allocated ELF section's output section of the map, as apply_elf() matched them.
    std::vector<std::uint32_t> map_section(elf.sections.size(), npos32);
    for (std::uint32_t si = 0; si < elf_section_of.size() && si < map.sections.size(); ++si)
        if (elf_section_of[si] != npos32) map_section[elf_section_of[si]] = si;
    // Per output section, its input sections with bytes, by address.
    std::vector<std::vector<std::uint32_t>> by_address(map.sections.size());
    auto input_at = [&](std::uint32_t elf_section, Address a) -> std::uint32_t {
        const std::uint32_t si = map_section[elf_section];
        if (si == npos32) return npos32;
        std::vector<std::uint32_t>& order = by_address[si];
        const OutputSection& s = map.sections[si];
        if (order.empty()) {
            for (std::uint32_t k = s.first_input; k < s.first_input + s.input_count; ++k)
                if (map.inputs[k].kind == PieceKind::input && map.inputs[k].size > 0) order.push_back(k);
            std::stable_sort(order.begin(), order.end(),
                             [&](std::uint32_t x, std::uint32_t y) { return map.inputs[x].address < map.inputs[y].address; });
            if (order.empty()) order.push_back(npos32);  // looked at once
        }
        auto it = std::upper_bound(order.begin(), order.end(), a, [&](Address v, std::uint32_t k) {
            return k != npos32 && v < map.inputs[k].address;
        });
        if (it == order.begin()) return npos32;
        const std::uint32_t k = *(it - 1);
        return k != npos32 && a - map.inputs[k].address < map.inputs[k].size ? k : npos32;
    };
    std::vector<std::string_view> names(elf.reference_symbols.size());
    std::vector<SectionReference> refs;
    refs.reserve(elf.references.size() / 2);
    for (const ElfReference& r : elf.references) {
        const std::uint32_t from = input_at(r.place_section, r.place);
        const std::uint32_t to = input_at(r.target_section, r.target);
        if (from == npos32 || to == npos32 || from == to) continue;
        // A string or constant the linker merged lives in the first object that had it: a
        // reference from another object to it is to its own copy, not to that object.
        if (map.inputs[from].object != map.inputs[to].object && is_merged_constants(map.inputs[to].name())) continue;
        std::string_view symbol;
        if (r.symbol != npos32) {
            if (names[r.symbol].empty()) names[r.symbol] = map.intern(elf.reference_symbols[r.symbol]);
            symbol = names[r.symbol];
        }
        else {
            // Through a section symbol: name the function or object at the address reached.
            for (const Symbol& sym : map.symbols_of(map.inputs[to]))
                if (r.target >= sym.address && r.target - sym.address < std::max<std::uint64_t>(sym.size, 1)) {
                    symbol = sym.name();
                    break;
                }
        }
        refs.push_back({from, to, symbol});
    }
    std::sort(refs.begin(), refs.end(), [](const SectionReference& a, const SectionReference& b) {
        return std::tie(a.from, a.to, a.symbol) < std::tie(b.from, b.to, b.symbol);
    });
    refs.erase(std::unique(refs.begin(), refs.end(),
                           [](const SectionReference& a, const SectionReference& b) {
                               return a.from == b.from && a.to == b.to && a.symbol == b.symbol;
                           }),
               refs.end());
    refs.shrink_to_fit();
    map.section_references = std::move(refs);
}

std::vector<std::uint32_t> apply_elf(LinkMap& map, const ElfImage& elf) {
    map.has_elf = true;
    std::vector<bool> matched(elf.sections.size(), false);
    std::vector<std::uint32_t> elf_section_of(map.sections.size(), npos32);
    const NameMap<std::vector<std::uint32_t>> by_name = sections_by_name(elf);
    for (std::size_t si = 0; si < map.sections.size(); ++si) {
        OutputSection& s = map.sections[si];
        const ElfSection* hit = nullptr;
        static const std::vector<std::uint32_t> none;
        const auto same_name = by_name.find(s.name);
        for (std::uint32_t i : same_name == by_name.end() ? none : same_name->second) {
            const ElfSection& e = elf.sections[i];
            if (matched[i]) continue;
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
        // An empty section loads nothing (ld keeps an empty .tm_clone_table in the ELF with
        // --emit-relocs, outside every segment).
        if (s.allocated && s.loaded && s.size > 0 && hit->load_address != s.load_address) {
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
    if (elf.undecoded_references > 0)
        map.warnings.push_back({0, fmt::format("{} relocation{} through section symbols could not be decoded: the "
                                               "references between sections lack them",
                                               elf.undecoded_references, elf.undecoded_references == 1 ? "" : "s")});
    return elf_section_of;
}

}  // namespace sizebudget

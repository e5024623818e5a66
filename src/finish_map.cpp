// Completes what parsers leave open: regions, allocation flags, gap pieces, symbol sizes.
#include <algorithm>

#include <fmt/format.h>

#include "sizebudget/map_reader.hpp"

namespace sizebudget {

namespace {

// Input section names whose contents are zero-initialised or never loaded (SHT_NOBITS).
bool is_nobits_name(std::string_view name) {
    return name == "COMMON" || name.starts_with(".bss") || name.starts_with(".sbss") ||
           name.starts_with(".tbss") || name.starts_with(".dynbss") ||
           name.find(".bss") != std::string_view::npos || name.find("noinit") != std::string_view::npos ||
           name.find("noload") != std::string_view::npos || name.starts_with("COMMON");
}

// A map does not say whether a section has contents. ld makes an output section NOBITS when
// nothing in it has contents: only zero-initialised inputs, fill, and `. = . + N` reservations.
// lld differs: a section made only of `. = . + N` becomes PROGBITS (it stores the zeros).
bool has_contents(const LinkMap& map, const OutputSection& s) {
    if (s.size == 0) return true;  // no bytes either way; linkers keep empty sections PROGBITS
    bool any_piece = false;
    for (const InputSection& in : map.inputs_of(s)) {
        if (in.size == 0) continue;
        any_piece = true;
        if (in.kind == PieceKind::data) return true;
        // Linker-made input sections (`<internal>`, stubs, the .ARM.exidx terminator) have contents
        // unless they are the linker's own zero-initialised ones (`<internal>:(.bss)`).
        if ((in.kind == PieceKind::input || in.kind == PieceKind::generated) && !is_nobits_name(in.name))
            return true;
    }
    return !any_piece && map.format == MapFormat::lld;
}

// The region an address range runs in. Prefers a region holding the whole range, so overlapping
// definitions (an alias of a larger region) resolve to the one that fits; a range that overflows
// its region still belongs to the region where it starts.
std::uint32_t region_for(const LinkMap& map, Address start, std::uint64_t size) {
    std::uint32_t starts_in = npos32;
    for (std::uint32_t i = 0; i < map.regions.size(); ++i) {
        const MemoryRegion& r = map.regions[i];
        if (!r.contains(start)) continue;
        if (size == 0 || start + size - r.origin <= r.length) return i;
        if (starts_in == npos32) starts_in = i;
    }
    return starts_in;
}

// A section that starts past the end of every region may still belong to one: when a link
// overflows, ld keeps placing the sections meant for the full region after its end. Such a
// section continues the content of that region, within an alignment gap.
std::uint32_t overflowed_region_for(const LinkMap& map, const std::vector<Address>& reach, Address start) {
    constexpr std::uint64_t max_alignment_gap = 4096;
    for (std::uint32_t i = 0; i < map.regions.size(); ++i) {
        const MemoryRegion& r = map.regions[i];
        if (reach[i] >= r.end() && start >= reach[i] && start - reach[i] <= max_alignment_gap) return i;
    }
    return npos32;
}

void assign_flags_and_regions(LinkMap& map) {
    // How far the content placed in each region reaches so far, in map order.
    std::vector<Address> reach(map.regions.size());
    for (std::size_t i = 0; i < reach.size(); ++i) reach[i] = map.regions[i].origin;
    auto place = [&](Address start, std::uint64_t size) {
        std::uint32_t r = region_for(map, start, size);
        if (r == npos32) r = overflowed_region_for(map, reach, start);
        if (r != npos32) reach[r] = std::max(reach[r], start + size);
        return r;
    };

    for (OutputSection& s : map.sections) {
        if (!s.flags_known && is_non_allocated_name(s.name)) s.allocated = false;
        if (!s.allocated) {
            s.loaded = false;
            s.run_region = s.load_region = npos32;
            continue;
        }
        if (!s.flags_known && s.loaded) s.loaded = has_contents(map, s);
        s.run_region = place(s.address, s.size);
        s.load_region = s.run_region;
        if (s.loaded && s.load_address != s.address) s.load_region = place(s.load_address, s.size);
        if (s.run_region == npos32 && !map.regions.empty() && s.size > 0)
            map.warnings.push_back(
                {s.line, fmt::format("section '{}' at 0x{:08x} ({} bytes) lies outside every memory "
                                     "region; it counts in no region total",
                                     s.name, s.address, s.size)});
    }
}

// Rebuilds the input array so each allocated section's pieces tile it exactly, inserting
// `generated` pieces for bytes no line of the map accounts for.
void fill_gaps(LinkMap& map) {
    std::vector<InputSection> out;
    out.reserve(map.inputs.size() + map.sections.size() * 2);
    std::string_view gap_name = map.intern("(gap)");
    auto gap = [&](Address at, std::uint64_t size) {
        InputSection g;
        g.name = gap_name;
        g.kind = PieceKind::generated;
        g.address = at;
        g.size = size;
        g.first_symbol = static_cast<std::uint32_t>(map.symbols.size());
        out.push_back(g);
    };
    for (OutputSection& s : map.sections) {
        std::span<const InputSection> pieces = map.inputs_of(s);
        std::uint32_t first = static_cast<std::uint32_t>(out.size());
        if (!s.allocated) {
            for (const InputSection& in : pieces) out.push_back(in);
        } else {
            Address cursor = s.address;
            const Address end = s.address + s.size;
            for (const InputSection& in : pieces) {
                if (in.size == 0) {
                    if (in.symbol_count > 0) out.push_back(in);
                    continue;
                }
                if (in.address < cursor || in.address + in.size > end) {
                    map.warnings.push_back(
                        {s.line,
                         fmt::format("input section '{}' at 0x{:x} ({} bytes) does not fit in output "
                                     "section '{}' (0x{:x}..0x{:x}) after what precedes it; the map is "
                                     "inconsistent and its totals for '{}' cannot be trusted",
                                     in.name, in.address, in.size, s.name, s.address, end, s.name)});
                    // Count only the part that lies past what is already attributed and inside
                    // the section, so no byte is counted twice.
                    Address from = std::max(in.address, cursor);
                    Address to = std::min(in.address + in.size, end);
                    if (to <= from) continue;
                    InputSection clipped = in;
                    clipped.address = from;
                    clipped.size = to - from;
                    if (from > cursor) gap(cursor, from - cursor);
                    out.push_back(clipped);
                    cursor = to;
                    continue;
                }
                if (in.address > cursor) gap(cursor, in.address - cursor);
                out.push_back(in);
                cursor = in.address + in.size;
            }
            if (cursor < end) gap(cursor, end - cursor);
        }
        s.first_input = first;
        s.input_count = static_cast<std::uint32_t>(out.size()) - first;
    }
    map.inputs = std::move(out);
    for (std::uint32_t i = 0; i < map.inputs.size(); ++i) {
        const InputSection& in = map.inputs[i];
        for (std::uint32_t k = 0; k < in.symbol_count; ++k) map.symbols[in.first_symbol + k].input = i;
    }
}

// Where the map gives no size, a symbol extends to the next symbol at a higher address in its
// input section, or to the section's end. Symbols sharing an address (aliases) each get the full
// extent.
void size_symbols(LinkMap& map) {
    for (const InputSection& in : map.inputs) {
        if (in.symbol_count == 0) continue;
        Symbol* first = map.symbols.data() + in.first_symbol;
        Symbol* last = first + in.symbol_count;
        std::stable_sort(first, last, [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
        const Address end = in.address + in.size;
        for (Symbol* sym = first; sym != last; ++sym) {
            if (sym->size_known) continue;  // lld prints real sizes; keep them
            if (sym->address < in.address || sym->address > end) continue;
            Address next = end;
            for (Symbol* n = sym + 1; n != last; ++n)
                if (n->address > sym->address) {
                    next = std::min(n->address, end);
                    break;
                }
            sym->size = next - sym->address;
            sym->size_known = true;
        }
    }
}

}  // namespace

void finish_map(LinkMap& map) {
    assign_flags_and_regions(map);
    fill_gaps(map);
    size_symbols(map);
}

}  // namespace sizebudget

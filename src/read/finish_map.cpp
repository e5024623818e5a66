// Completes what parsers leave open: regions, allocation flags, gap pieces, symbol sizes.
#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "sizebudget/error.hpp"
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
    // No bytes either way. Linkers keep an empty section PROGBITS unless the script makes it
    // NOBITS, as `.bss (NOLOAD)` does (cortex-m-rt's link.x), which its name tells.
    if (s.size == 0) return !is_nobits_name(s.name);
    bool any_piece = false;
    for (const InputSection& in : map.inputs_of(s)) {
        if (in.size == 0) continue;
        any_piece = true;
        if (in.kind == PieceKind::data) return true;
        // Linker-made input sections (`<internal>`, stubs, the .ARM.exidx terminator) have contents
        // unless they are the linker's own zero-initialised ones (`<internal>:(.bss)`).
        if ((in.kind == PieceKind::input || in.kind == PieceKind::generated) && !is_nobits_name(in.name()))
            return true;
    }
    return !any_piece && map.format == MapFormat::lld;
}

// Which regions hold an address, in O(log r + k) for k holders: a segment tree over the regions'
// origins, each region kept at the O(log r) nodes that cover its span. A scan of every region
// for every section costs sections × regions: 12 s for a map of ten thousand regions.
class RegionIndex {
public:
    explicit RegionIndex(const std::vector<MemoryRegion>& regions) : regions_(regions) {
        for (const MemoryRegion& r : regions) points_.push_back(r.origin);
        std::sort(points_.begin(), points_.end());
        points_.erase(std::unique(points_.begin(), points_.end()), points_.end());
        nodes_.resize(4 * std::max<std::size_t>(points_.size(), 1));
        for (std::uint32_t i = 0; i < regions.size(); ++i) {
            const MemoryRegion& r = regions[i];
            if (r.length == 0) continue;
            const Address last = r.length - 1 > ~Address{0} - r.origin ? ~Address{0} : r.origin + (r.length - 1);
            insert(1, 0, points_.size() - 1, leaf_of(r.origin), leaf_of(last), i);
        }
    }

    // The regions holding `a`, in declaration order (which settles ties).
    const std::vector<std::uint32_t>& holding(Address a) {
        found_.clear();
        if (points_.empty() || a < points_.front()) return found_;
        const std::size_t leaf = leaf_of(a);
        std::size_t node = 1, lo = 0, hi = points_.size() - 1;
        for (;;) {
            for (std::uint32_t i : nodes_[node])
                if (regions_[i].contains(a)) found_.push_back(i);
            if (lo == hi) break;
            const std::size_t mid = lo + (hi - lo) / 2;
            if (leaf <= mid) {
                node = 2 * node;
                hi = mid;
            } else {
                node = 2 * node + 1;
                lo = mid + 1;
            }
        }
        std::sort(found_.begin(), found_.end());
        return found_;
    }

private:
    // The last origin at or below `a` (`a` is at least the lowest origin).
    std::size_t leaf_of(Address a) const {
        return static_cast<std::size_t>(std::upper_bound(points_.begin(), points_.end(), a) - points_.begin()) - 1;
    }
    void insert(std::size_t node, std::size_t lo, std::size_t hi, std::size_t from, std::size_t to, std::uint32_t region) {
        if (to < lo || hi < from) return;
        if (from <= lo && hi <= to) {
            nodes_[node].push_back(region);
            return;
        }
        const std::size_t mid = lo + (hi - lo) / 2;
        insert(2 * node, lo, mid, from, to, region);
        insert(2 * node + 1, mid + 1, hi, from, to, region);
    }

    const std::vector<MemoryRegion>& regions_;
    std::vector<Address> points_;                   // the regions' origins, sorted, each once
    std::vector<std::vector<std::uint32_t>> nodes_;  // regions covering each node's span whole
    std::vector<std::uint32_t> found_;
};

// The region an address range runs in, of the regions `holding` its start. Prefers a region
// holding the whole range, so overlapping definitions (an alias of a larger region) resolve to
// the one that fits; a range that overflows its region still belongs to the region where it
// starts.
std::uint32_t region_for(const LinkMap& map, const std::vector<std::uint32_t>& holding, Address start,
                         std::uint64_t size) {
    for (std::uint32_t i : holding) {
        const MemoryRegion& r = map.regions[i];
        if (size == 0 || start + size - r.origin <= r.length) return i;
    }
    return holding.empty() ? npos32 : holding.front();
}

// A section that starts past the end of every region may still belong to one: when a link
// overflows, ld keeps placing the sections meant for the full region after its end. Such a
// section continues the content of that region (one of `full`, those filled to their end),
// within an alignment gap.
std::uint32_t overflowed_region_for(const std::vector<std::uint32_t>& full, const std::vector<Address>& reach,
                                    Address start) {
    constexpr std::uint64_t max_alignment_gap = 4096;
    for (std::uint32_t i : full)
        if (start >= reach[i] && start - reach[i] <= max_alignment_gap) return i;
    return npos32;
}

// Of several regions `holding` the range's start (ESP-IDF's drom0_0_seg and extern_ram_seg share
// an origin), the one ld placed the range in. ld moves a region's location only forward, in
// script order, which is map order: a range that starts below a region's current location was
// placed in another region. So: the region whose location the range starts at, else the one
// whose location is nearest below it, preferring regions that hold the whole range. Regions tied
// at the range's start (both still at their common origin) go by declaration order; `ambiguous`
// is set when no region can have placed the range, which means such a tie was settled wrongly.
// npos32 also when at most one region holds `start`: region_for() decides that case.
std::uint32_t shared_region_for(const LinkMap& map, const std::vector<std::uint32_t>& holding,
                                const std::vector<Address>& reach, Address start, std::uint64_t size,
                                bool& ambiguous) {
    ambiguous = false;
    if (holding.size() <= 1) return npos32;
    std::uint32_t best = npos32;
    int best_rank = 0;
    for (std::uint32_t i : holding) {
        const MemoryRegion& r = map.regions[i];
        const bool whole = size == 0 || start + size - r.origin <= r.length;
        // rank: 4 at the location and whole, 3 at the location, 2 above the location and whole, 1 above
        int rank = reach[i] == start ? 3 : reach[i] < start ? 1 : 0;
        if (rank == 0) continue;
        rank += whole ? 1 : 0;
        if (rank > best_rank || (rank == best_rank && rank <= 2 && reach[i] > reach[best])) {
            best = i;
            best_rank = rank;
        }
    }
    ambiguous = best == npos32;
    return best;
}

// Which sections are allocated and loaded, and the regions each runs and loads in.
void assign_flags_and_regions(LinkMap& map) {
    RegionIndex index(map.regions);
    // How far the content placed in each region reaches so far, in map order; the regions it
    // has reached the end of, in declaration order.
    std::vector<Address> reach(map.regions.size());
    for (std::size_t i = 0; i < reach.size(); ++i) reach[i] = map.regions[i].origin;
    std::vector<std::uint32_t> full;  // a region of length 0 is full from the start
    for (std::uint32_t i = 0; i < map.regions.size(); ++i)
        if (map.regions[i].length == 0) full.push_back(i);
    auto advance = [&](std::uint32_t r, Address to) {
        if (to <= reach[r]) return;
        const bool was_full = reach[r] >= map.regions[r].end();
        reach[r] = to;
        if (!was_full && to >= map.regions[r].end()) full.insert(std::upper_bound(full.begin(), full.end(), r), r);
    };
    const OutputSection* current = nullptr;
    auto place = [&](Address start, std::uint64_t size) {
        const std::vector<std::uint32_t>& holding = index.holding(start);
        bool ambiguous = false;
        std::uint32_t r = shared_region_for(map, holding, reach, start, size, ambiguous);
        if (ambiguous && current != nullptr) {
            std::vector<std::string_view> names;
            for (std::uint32_t i : holding) names.push_back(map.regions[i].name);
            map.warnings.push_back(
                {current->line, fmt::format("section '{}' at 0x{:08x} lies in regions {}, all of which reach "
                                            "past it already; which one ld placed it in cannot be told "
                                            "from the map (give --linker-script); counted in '{}'",
                                            current->name, start, fmt::join(names, ", "),
                                            map.regions[region_for(map, holding, start, size)].name)});
        }
        if (r == npos32) r = region_for(map, holding, start, size);
        if (r == npos32) r = overflowed_region_for(full, reach, start);
        if (r != npos32) advance(r, start + size);
        return r;
    };

    // --emit-relocs keeps the relocations of each output section X as ".rel.X" or ".rela.X",
    // which lld's map lists at address 0 (an N64 build's .rel.main_segment: 139 KB that are no
    // image bytes). A dynamic executable's .rela.plt and .rel.dyn are loaded, at their address.
    std::unordered_set<std::string_view> names;  // of every output section, made when first needed
    auto kept_relocations = [&](const OutputSection& s) {
        if (s.address != 0) return false;
        for (std::string_view prefix : {std::string_view(".rela"), std::string_view(".rel")})
            if (s.name.starts_with(prefix) && s.name.size() > prefix.size() + 1 && s.name[prefix.size()] == '.') {
                if (names.empty())
                    for (const OutputSection& o : map.sections) names.insert(o.name);
                return names.contains(s.name.substr(prefix.size()));
            }
        return false;
    };
    for (OutputSection& s : map.sections) {
        if (!s.flags_known && (is_non_allocated_name(s.name) || kept_relocations(s))) s.allocated = false;
        if (!s.allocated) {
            s.loaded = false;
            s.run_region = s.load_region = npos32;
            continue;
        }
        if (!s.flags_known && s.loaded) s.loaded = has_contents(map, s);
        current = &s;
        // The script's `> REGION` settles it where the region holds the section's start.
        auto settled = [&](std::uint32_t r, Address at, std::uint64_t size) {
            if (r == npos32 || !map.regions[r].contains(at)) return place(at, size);
            advance(r, at + size);
            return r;
        };
        s.run_region = settled(s.script_region, s.address, s.size);
        s.load_region = s.run_region;
        if (s.loaded && s.load_address != s.address)
            s.load_region = settled(s.script_load_region, s.load_address, s.size);
        if (s.run_region == npos32 && !map.regions.empty() && s.size > 0)
            map.warnings.push_back(
                {s.line, fmt::format("section '{}' at 0x{:08x} ({} bytes) lies outside every memory "
                                     "region; it counts in no region total",
                                     s.name, s.address, s.size)});
    }
}

// Makes each allocated section's pieces tile it exactly, inserting `generated` pieces for bytes
// no line of the map accounts for. Works in place, in two passes, so a map of a million input
// sections is never held twice: the first pass only drops and clips pieces (the array shrinks, so
// it runs forwards), the second only inserts gaps (the array grows, so it runs backwards).
void fill_gaps(LinkMap& map) {
    // Pass 1: clip pieces that overlap what precedes them or overrun their section, drop empty
    // ones, and count the gaps pass 2 will insert.
    std::size_t w = 0, gaps = 0;
    for (OutputSection& s : map.sections) {
        const std::size_t first = w;
        const std::size_t from_index = s.first_input, to_index = from_index + s.input_count;
        if (!s.allocated) {
            for (std::size_t r = from_index; r < to_index; ++r) map.inputs[w++] = map.inputs[r];
        } else {
            Address cursor = s.address;
            const Address end = s.address + s.size;
            for (std::size_t r = from_index; r < to_index; ++r) {
                InputSection in = map.inputs[r];
                if (in.size == 0) {
                    if (in.symbol_count > 0) map.inputs[w++] = in;
                    continue;
                }
                if (in.address < cursor || in.address + in.size > end) {
                    map.warnings.push_back(
                        {s.line,
                         fmt::format("input section '{}' at 0x{:x} ({} bytes) does not fit in output "
                                     "section '{}' (0x{:x}..0x{:x}) after what precedes it; the map is "
                                     "inconsistent and its totals for '{}' cannot be trusted",
                                     in.name(), in.address, in.size, s.name, s.address, end, s.name)});
                    // Count only the part that lies past what is already attributed and inside
                    // the section, so no byte is counted twice.
                    Address from = std::max(in.address, cursor);
                    Address to = std::min(in.address + in.size, end);
                    if (to <= from) continue;
                    in.address = from;
                    in.size = to - from;
                }
                if (in.address > cursor) ++gaps;
                map.inputs[w++] = in;
                cursor = in.address + in.size;
            }
            if (cursor < end) ++gaps;
        }
        s.first_input = static_cast<std::uint32_t>(first);
        s.input_count = static_cast<std::uint32_t>(w - first);
    }
    map.inputs.resize(w + gaps);

    // Pass 2: from the last section to the first, move each piece to its final place and put a
    // gap before every piece that starts past the end of the nonempty piece before it.
    const std::string_view gap_name = map.intern("(gap)");
    const auto no_symbols = static_cast<std::uint32_t>(map.symbols.size());
    std::size_t out = map.inputs.size();
    auto emit = [&](const InputSection& in) { map.inputs[--out] = in; };
    auto emit_gap = [&](Address at, std::uint64_t size) {
        InputSection g;
        g.set_name(gap_name);
        g.kind = PieceKind::generated;
        g.address = at;
        g.size = size;
        g.first_symbol = no_symbols;
        emit(g);
    };
    for (std::size_t k = map.sections.size(); k-- > 0;) {
        OutputSection& s = map.sections[k];
        const std::size_t first = s.first_input, last = out;
        std::size_t i = first + s.input_count;
        // End of the last nonempty piece before index j, or the section's start. Pieces at indices
        // below the one being moved are not yet overwritten: `out` stays above them.
        auto end_before = [&](std::size_t j) {
            while (j > first && map.inputs[j - 1].size == 0) --j;
            return j > first ? map.inputs[j - 1].address + map.inputs[j - 1].size : s.address;
        };
        if (s.allocated) {
            const Address end = s.address + s.size;
            if (Address tail = end_before(i); tail < end) emit_gap(tail, end - tail);
        }
        while (i > first) {
            const InputSection in = map.inputs[--i];
            emit(in);
            if (s.allocated && in.size != 0)
                if (Address before = end_before(i); in.address > before) emit_gap(before, in.address - before);
        }
        s.first_input = static_cast<std::uint32_t>(out);
        s.input_count = static_cast<std::uint32_t>(last - out);
    }
    if (out != 0) throw Error(map.source, "internal error: gap pieces miscounted");
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
            if (sym->size != 0) continue;  // lld prints real sizes; keep them
            if (sym->address < in.address || sym->address > end) continue;
            Address next = end;
            for (Symbol* n = sym + 1; n != last; ++n)
                if (n->address > sym->address) {
                    next = std::min(n->address, end);
                    break;
                }
            sym->size = next - sym->address;
        }
    }
}

}  // namespace

// See OutputSection::reserved. After fill_gaps(): the pieces tile each section.
// Linker-made content (lld's `<internal>` sections, stubs) is content; the gaps fill_gaps() put
// for bytes no line explains are not.
void mark_reserved(LinkMap& map) {
    for (OutputSection& s : map.sections) {
        if (!s.allocated || s.size == 0) continue;
        bool content = false;
        for (const InputSection& in : map.inputs_of(s))
            content = content || (in.size > 0 && in.kind != PieceKind::fill &&
                                  !(in.kind == PieceKind::generated && in.name() == "(gap)"));
        // Only padding up to an alignment (`. = ALIGN(4)` in an otherwise empty section) is
        // fill, not a reservation: the section ends at a boundary it started short of, and is
        // smaller than that boundary's step.
        const Address end = s.address + s.size;
        const Address step = end & (~end + 1);  // the largest power of two `end` is a multiple of
        const bool padding = step != 0 && s.size < step && s.address % step != 0;
        s.reserved = !content && !padding;
    }
}

void finish_map(LinkMap& map) {
    assign_flags_and_regions(map);
    fill_gaps(map);
    mark_reserved(map);
    size_symbols(map);
}

}  // namespace sizebudget

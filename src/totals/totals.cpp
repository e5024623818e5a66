// Totals per region, section, archive, object and symbol, from a finished map.
#include "sizebudget/totals.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <fmt/format.h>

#include "sizebudget/crates.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/name_hash.hpp"

namespace sizebudget {

namespace {

// Overlapping sections of a hostile map could add up past 64 bits: an error, not a wrap.
[[noreturn]] void past_64_bits(const LinkMap& map, std::string_view what) {
    throw Error(map.source, fmt::format("the bytes of {} add up to more than 64 bits hold", what));
}

void add_bytes(std::uint64_t& total, std::uint64_t bytes, const LinkMap& map, std::string_view what) {
    if (__builtin_add_overflow(total, bytes, &total)) past_64_bits(map, what);
}

// Symbols are told apart by name and defining object: two `static` helpers of the same name in
// different files are different symbols. An object is its interned path (parsers keep one object
// per path), which its rows hold: the index finds a row's key in the row itself (row_key). Symbol
// names are not interned: hash the text.
struct SymbolKey {
    std::string_view name;
    const char* object;  // the object's interned path; null for pseudo rows
    bool operator==(const SymbolKey&) const = default;
};
struct SymbolKeyHash {
    using is_avalanching = void;
    std::size_t operator()(const SymbolKey& k) const noexcept {
        return NameHash{}(k.name) ^ (reinterpret_cast<std::uintptr_t>(k.object) * 0x9e3779b97f4a7c15ull);
    }
};

// Accumulates bytes per item of the section, archive, object and crate levels, keyed by what tells
// items apart, into the rows it returns at the end. Names in the map are interned, so identities
// are an index or a pointer: a map of a million input sections must not copy a string per piece.
// Keys below `numbered` are numbers the caller gives (a section's or an object's index) and are
// found in an array; other keys (archives by their interned path, pseudo rows) in a hash table.
template <typename Key, typename Hash = boost::hash<Key>>
class Tally {
public:
    // `regions`: how many regions (or kinds) the rows' bytes are counted in.
    Tally(const LinkMap& map, std::size_t regions, std::size_t numbered = 0)
        : map_(map), dense_(regions <= max_dense_regions), stride_(dense_ ? regions + 1 : 1) {
        if constexpr (std::is_integral_v<Key>) by_number_.assign(numbered, npos32);
    }

    // Room for `items` without growing (a grown array briefly exists twice).
    void reserve(std::size_t items) {
        names_.reserve(items);
        bytes_.reserve(items * stride_);
    }

    // A new row, for an item whose slot the caller keeps itself. `name` may be a function.
    template <typename Name>
    std::uint32_t add_row(Name&& name, std::string_view path) {
        return new_row(std::forward<Name>(name), path);
    }

    // Slot of the item with `key`, created with its display name and path on first use.
    // `name` may be a function, called only then.
    template <typename Name>
    std::uint32_t slot(const Key& key, Name&& name, std::string_view path) {
        if constexpr (std::is_integral_v<Key>) {
            if (key < by_number_.size()) {
                std::uint32_t& s = by_number_[key];
                if (s == npos32) s = new_row(std::forward<Name>(name), path);
                return s;
            }
        }
        if (auto it = index_.find(key); it != index_.end()) return it->second;
        const std::uint32_t s = new_row(std::forward<Name>(name), path);
        index_.emplace(key, s);
        return s;
    }

    void add(std::uint32_t slot, std::uint64_t bytes, std::uint32_t run, std::uint32_t load) {
        std::uint64_t* row = bytes_.data() + std::size_t{slot} * stride_;
        add_to(row[0], bytes, slot);
        if (run != npos32) add_to(region_bytes(slot, run), bytes, slot);
        if (load != npos32 && load != run) add_to(region_bytes(slot, load), bytes, slot);
    }

    // Adds a row's bytes to another row's (crates from symbols).
    void add(std::uint32_t slot, const ItemSize& from) {
        add_to(bytes_[std::size_t{slot} * stride_], from.size, slot);
        for (const auto& [region, bytes] : from.regions) add_to(region_bytes(slot, region), bytes, slot);
    }

    // The rows, largest first, ties by name, then in order of first appearance; items of zero
    // bytes are left out.
    ItemRows take_rows() && {
        ItemRows out;
        out.reserve(names_.size());
        ItemSize row;
        for (std::size_t slot = 0; slot < names_.size(); ++slot) {
            const std::uint64_t* bytes = bytes_.data() + slot * stride_;
            if (bytes[0] == 0) continue;
            row.name = names_[slot].name;
            row.path = names_[slot].path;
            row.size = bytes[0];
            if (dense_) {
                row.regions = {};
                for (std::size_t r = 1; r < stride_; ++r)
                    if (bytes[r] != 0) row.regions.at(r - 1) = bytes[r];
            } else {
                row.regions = std::move(sparse_[slot]);
            }
            out.push_back_own_path(row);  // a key is one object or archive: its path is no other row's
        }
        out.sort_largest_first();
        return out;
    }

private:
    // Up to this many regions, a row's bytes per region are kept in the row's stretch of one
    // array: an object's row in an 8-region ESP map gains bytes in most of them, and a sparse list
    // per row cost a pointer chase and a search for each input section (17% of reading and
    // totalling the esp shape). Sixteen columns are 128 bytes a row, no more than a row with a
    // region list took; the maps in the corpus declare at most 11 regions. Beyond it (a hostile
    // map's ten thousand regions) a row keeps only the regions it is in.
    static constexpr std::size_t max_dense_regions = 15;

    template <typename Name>
    std::uint32_t new_row(Name&& name, std::string_view path) {
        if (names_.size() >= npos32) throw Error(map_.source, "more than 2^32 rows in one breakdown");
        const auto s = static_cast<std::uint32_t>(names_.size());
        if constexpr (std::is_invocable_v<Name>)
            names_.push_back({name(), path});
        else
            names_.push_back({name, path});
        bytes_.resize(bytes_.size() + stride_);
        if (!dense_) sparse_.emplace_back();
        return s;
    }
    std::uint64_t& region_bytes(std::uint32_t slot, std::uint32_t region) {
        if (!dense_) return sparse_[slot].at(region);
        if (region + 1 >= stride_) throw std::logic_error("totals: a region number past the map's regions");
        return bytes_[std::size_t{slot} * stride_ + 1 + region];
    }
    void add_to(std::uint64_t& total, std::uint64_t bytes, std::uint32_t slot) const {
        if (__builtin_add_overflow(total, bytes, &total)) past_64_bits(map_, fmt::format("'{}'", names_[slot].name));
    }

    struct Named {
        std::string_view name, path;
    };
    const LinkMap& map_;
    const bool dense_;
    const std::size_t stride_;  // per row in bytes_: its size, then (dense) a column per region
    std::vector<Named> names_;  // by slot
    std::vector<std::uint64_t> bytes_;  // by slot, stride_ each
    std::vector<RegionBytes> sparse_;  // by slot, where regions are many
    std::vector<std::uint32_t> by_number_;  // numbered key -> slot
    boost::unordered_flat_map<Key, std::uint32_t, Hash> index_;  // other keys -> slot
};

// The symbol rows, counted straight into compact rows (item_rows.hpp): two million of them. A
// row holds its own key (name and object), so the index holds slots (4 bytes), not copies of keys.
class SymbolTally {
public:
    explicit SymbolTally(const LinkMap& map) : map_(map) {}

    void reserve(std::size_t items) {
        rows_.reserve(items);
        index_.reserve(items);
    }

    std::uint32_t slot(const SymbolKey& key, std::string_view name, std::string_view path) {
        if (auto it = index_.find(key); it != index_.end()) return *it;
        if (rows_.size() >= npos32) throw Error(map_.source, "more than 2^32 symbol rows");
        const auto s = static_cast<std::uint32_t>(rows_.size());
        rows_.push_back(name, path);
        index_.insert(s);
        return s;
    }

    ItemRows& rows() { return rows_; }

    void add(std::uint32_t slot, std::uint64_t bytes, std::uint32_t run, std::uint32_t load) {
        if (!rows_.add(slot, bytes, run, load)) past_64_bits(map_, fmt::format("'{}'", rows_.name(slot)));
    }

    // The rows, largest first, ties by name, then in order of first appearance; symbols of zero
    // bytes are left out.
    ItemRows take_rows() && {
        index_ = Index(0, SlotHash{&rows_}, SlotEqual{&rows_});
        rows_.erase_if([&](std::size_t i) { return rows_.bytes(i) == 0; });  // keeps the order
        ItemRows out = std::move(rows_);
        out.sort_largest_first();
        return out;
    }

private:
    static SymbolKey row_key(const ItemRows& rows, std::uint32_t slot) { return {rows.name(slot), rows.path(slot).data()}; }

    // Slots hashed and compared through the keys their rows hold.
    struct SlotHash {
        using is_transparent = void;
        using is_avalanching = void;
        const ItemRows* rows;
        std::size_t operator()(std::uint32_t slot) const noexcept { return SymbolKeyHash{}(row_key(*rows, slot)); }
        std::size_t operator()(const SymbolKey& key) const noexcept { return SymbolKeyHash{}(key); }
    };
    struct SlotEqual {
        using is_transparent = void;
        const ItemRows* rows;
        bool operator()(std::uint32_t a, std::uint32_t b) const noexcept { return a == b; }
        bool operator()(const SymbolKey& key, std::uint32_t slot) const noexcept { return key == row_key(*rows, slot); }
        bool operator()(std::uint32_t slot, const SymbolKey& key) const noexcept { return key == row_key(*rows, slot); }
    };
    using Index = boost::unordered_flat_set<std::uint32_t, SlotHash, SlotEqual>;

    const LinkMap& map_;
    ItemRows rows_;  // before index_, which refers to it
    Index index_{0, SlotHash{&rows_}, SlotEqual{&rows_}};  // slots, found by their rows' keys
};

std::uint64_t key_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// The symbol rows of one piece of an output section; see Totals::symbols.
template <typename SymbolTally>
void add_symbols(const LinkMap& map, const InputSection& in, const ObjectFile* obj, std::uint32_t run,
                 std::uint32_t load, SymbolTally& symbols, Totals& t) {
    if (obj == nullptr) {
        const std::string_view name = in.kind == PieceKind::fill ? fill_name : linker_name;
        symbols.add(symbols.slot({name, nullptr}, name, {}), in.size, run, load);
        return;
    }
    const std::string_view path = obj->path;
    const Address begin = in.address, end = in.address + in.size;
    Address covered = begin;  // symbols are sorted by address (finish_map); count each byte once
    std::uint64_t counted = 0;
    const auto syms = map.symbols_of(in);
    for (std::size_t i = 0; i < syms.size(); ++i) {
        const Symbol& sym = syms[i];
        if (sym.size == 0) continue;
        std::size_t j = i + 1;
        while (j < syms.size() && syms[j].address == sym.address && syms[j].size == sym.size) ++j;
        const Address from = std::max(sym.address, covered);
        const Address to = std::min(sym.address + sym.size, end);
        const std::uint64_t bytes = to > from ? to - from : 0;
        covered = std::max(covered, to);
        const std::string_view name = sym.name();
        const std::size_t slot = symbols.slot({name, path.data()}, name, path);
        ItemRows& rows = symbols.rows();
        if (rows.address(slot) == 0) rows.set_address(slot, sym.address);
        if (j > i + 1 && rows.aliases(slot).empty()) {
            std::string names;
            for (std::size_t k = i + 1; k < j; ++k) {
                if (!names.empty()) names += '\n';
                names += syms[k].name();
            }
            rows.set_aliases(slot, t.strings->copy(names));
        }
        symbols.add(slot, bytes, run, load);
        counted += bytes;
        i = j - 1;
    }
    if (counted >= in.size) return;
    const std::string_view derived = counted == 0 ? symbol_of_section(in.name()) : std::string_view{};
    const std::string_view name = derived.empty() ? no_symbol_name : derived;
    const std::size_t slot = symbols.slot({name, path.data()}, name, path);
    if (!derived.empty() && symbols.rows().address(slot) == 0) symbols.rows().set_address(slot, in.address);
    symbols.add(slot, in.size - counted, run, load);
}

// Which of kind_names a piece of a section is: NOBITS is bss; else the output section's name
// tells (".iram0.text", ".flash.rodata", ".dram0.data"), else the input section's (".text.main").
std::uint32_t kind_of(const OutputSection& s, std::string_view input) {
    enum : std::uint32_t { code, rodata, data, bss, other };
    if (!s.loaded) return bss;
    auto named = [](std::string_view n) -> std::uint32_t {
        if (n.find("rodata") != std::string_view::npos) return rodata;
        if (n.find("text") != std::string_view::npos || n.find("literal") != std::string_view::npos ||
            n.find("vectors") != std::string_view::npos || n.starts_with(".init") || n.starts_with(".fini"))
            return code;
        if (n.find("bss") != std::string_view::npos || n.find("noinit") != std::string_view::npos) return bss;
        if (n.find("data") != std::string_view::npos) return data;
        return other;
    };
    if (std::uint32_t k = named(s.name); k != other) return k;
    return named(input);
}

// An object's row name: "libc.a(printf.o)" for an archive member, else the file name. Parsers
// store a member's path as ARCHIVE(MEMBER), whose tail from the archive's file name is that name:
// no text to make and intern for each of a map's objects.
std::string_view object_row_name(const ObjectFile& o, std::string& scratch, Totals& t) {
    if (o.archive.empty()) return file_name(o.path);
    const std::string_view archive_file = file_name(o.archive);
    // The parsers keep the member as a view into a path ARCHIVE(MEMBER): then the row's name
    // is the path's tail, found without reading the path (far away in a large map).
    if (o.member.data() == o.path.data() + o.archive.size() + 1 && o.path.size() == o.archive.size() + o.member.size() + 2)
        return o.path.substr(o.archive.size() - archive_file.size());
    scratch.assign(archive_file).append("(").append(o.member).append(")");
    return t.intern(scratch);
}

// The crate rows, from the symbol rows (crates.hpp).
ItemRows crate_rows(const LinkMap& map, Totals& t) {
    IdMap<const ObjectFile*> object_at;  // an object's interned path -> the object
    for (const ObjectFile& o : map.objects) object_at.emplace(reinterpret_cast<std::uintptr_t>(o.path.data()), &o);
    Tally<std::string_view, NameHash> crates(map, t.regions.size());
    for (const ItemSize& s : t.symbols) {
        std::string_view crate = s.name;  // (fill), (linker), (reserved)
        if (!s.path.empty()) {
            auto it = object_at.find(reinterpret_cast<std::uintptr_t>(s.path.data()));
            crate = t.intern(crate_of(s.name, it == object_at.end() ? std::string_view{} : it->second->archive, s.path));
        }
        crates.add(crates.slot(crate, crate, {}), s);
    }
    return std::move(crates).take_rows();
}

}  // namespace

// ".text.uart_init" -> "uart_init", ".bss.frame_buf" -> "frame_buf": with -ffunction-sections and
// -fdata-sections an input section holds one function or variable, named in the section's name
// even where the map lists no symbol for it (GNU ld lists no file-local ones). Empty where the
// name names no symbol (".text", ".rodata.str1.4" merged strings, ".rodata.cst8" constants).
std::string_view symbol_of_section(std::string_view section) {
    static constexpr std::string_view prefixes[] = {
        ".text.unlikely.", ".text.startup.", ".text.hot.", ".text.exit.", ".text.", ".literal.",
        ".rodata.", ".srodata.", ".data.rel.ro.", ".data.", ".sdata.", ".bss.", ".sbss.", ".tdata.",
        ".tbss.", ".noinit.", ".iram1.", ".dram1.", ".iram0.text.", ".dram0.data."};
    for (std::string_view p : prefixes) {
        if (!section.starts_with(p) || section.size() == p.size()) continue;
        std::string_view rest = section.substr(p.size());
        if (p == ".rodata." && (rest.starts_with("str") || rest.starts_with("cst"))) return {};
        // ".iram1.5" (numbered pieces of a source file) names nothing.
        if (std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) return {};
        return rest;
    }
    return {};
}

std::vector<std::string_view> aliases_of(const ItemSize& item) {
    std::vector<std::string_view> out;
    for (std::string_view rest = item.aliases; !rest.empty();) {
        const std::size_t end = rest.find('\n');
        out.push_back(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }
    return out;
}

Totals compute_totals(const LinkMap& map, const TotalsOptions& options) {
    Totals t;
    t.map_strings = map.strings;
    t.has_symbols = options.symbols || options.crates;
    // By kind, the columns are the kinds and the regions' own figures are not computed.
    const std::size_t nregions = options.by_kind ? kind_names.size() : map.regions.size();

    std::vector<Address> end(nregions), linker_end(nregions);
    for (std::size_t i = 0; i < nregions && !options.by_kind; ++i) end[i] = linker_end[i] = map.regions[i].origin;
    std::vector<std::vector<std::string>> missed(nregions);

    // Keys: sections by index, the pseudo objects numbered; archives by their interned path's
    // address (pseudo archives by their literal's address); symbols by name and object.
    Tally<std::uint64_t> sections(map, nregions, map.sections.size()), archives(map, nregions), objects(map, nregions, 3);
    SymbolTally symbols(map);
    constexpr std::uint64_t fill_key = 0, linker_key = 1, reserved_key = 2;
    std::string member_name;  // "libc.a(printf.o)" where the path does not hold it
    // An object's own row and its archive's, kept side by side by object index: a map lists an
    // object's sections by the thousand, and in a map of 400,000 objects in random order each
    // array read for a piece was a wait for memory.
    struct ObjectSlots {
        std::uint32_t object = npos32, archive = npos32;
    };
    std::vector<ObjectSlots> slots_of(map.objects.size());
    std::vector<std::uint64_t> reserved(nregions, 0);
    sections.reserve(map.sections.size());
    objects.reserve(map.objects.size() + 3);
    if (t.has_symbols) symbols.reserve(map.symbols.size());

    for (std::size_t si = 0; si < map.sections.size(); ++si) {
        const OutputSection& s = map.sections[si];
        if (!s.allocated) continue;
        // By kind, reserved space is "other": no content of any kind.
        const std::uint32_t run = options.by_kind ? (s.reserved ? kind_names.size() - 1 : kind_of(s, {})) : s.run_region;
        const std::uint32_t load = options.by_kind ? npos32 : s.loaded ? s.load_region : npos32;
        if (options.by_kind) {
        } else if (run != npos32) {
            end[run] = std::max(end[run], s.address + s.size);
            linker_end[run] = std::max(linker_end[run], s.address + s.size);
        }
        if (!options.by_kind && load != npos32 && load != run && s.size > 0) {
            Address load_end = s.load_address + s.size;
            end[load] = std::max(end[load], load_end);
            if (!s.load_by_expression)
                linker_end[load] = std::max(linker_end[load], load_end);
            else if (load_end > linker_end[load])
                missed[load].emplace_back(s.name);
        }
        add_bytes(t.allocated, s.size, map, "all sections");
        if (s.loaded) add_bytes(t.image_size, s.size, map, "the image");
        // Same-named output sections (two `.iram.text`) stay separate rows.
        sections.add(sections.slot(si, s.name, {}), s.size, run, load);
        if (s.reserved) {
            // Address space, not content: one row at every other level, whatever the pieces.
            add_bytes(t.reserved, s.size, map, "reserved sections");
            t.reserved_sections.emplace_back(s.name);
            if (run != npos32) add_bytes(reserved[run], s.size, map, "reserved sections");
            if (load != npos32 && load != run) add_bytes(reserved[load], s.size, map, "reserved sections");
            objects.add(objects.slot(reserved_key, reserved_name, {}), s.size, run, load);
            archives.add(archives.slot(key_of(reserved_name.data()), reserved_name, {}), s.size, run, load);
            if (t.has_symbols) symbols.add(symbols.slot({reserved_name, nullptr}, reserved_name, {}), s.size, run, load);
            continue;
        }

        for (const InputSection& in : map.inputs_of(s)) {
            if (in.size == 0) continue;
            const std::uint32_t run = options.by_kind ? kind_of(s, in.name()) : s.run_region;
            const ObjectFile* obj = in.kind == PieceKind::input ? map.object_of(in) : nullptr;
            if (obj == nullptr) {
                const bool fill = in.kind == PieceKind::fill;
                std::string_view name = fill ? fill_name : linker_name;
                objects.add(objects.slot(fill ? fill_key : linker_key, name, {}), in.size, run, load);
                archives.add(archives.slot(key_of(name.data()), name, {}), in.size, run, load);
            } else {
                ObjectSlots& slot = slots_of[in.object];
                if (slot.object == npos32) {
                    slot.object = objects.add_row(object_row_name(*obj, member_name, t), obj->path);
                    slot.archive = obj->archive.empty()
                                       ? archives.slot(key_of(no_archive_name.data()), no_archive_name, {})
                                       : archives.slot(key_of(obj->archive.data()),
                                                       [obj] { return file_name(obj->archive); }, obj->archive);
                }
                objects.add(slot.object, in.size, run, load);
                archives.add(slot.archive, in.size, run, load);
            }
            if (t.has_symbols) add_symbols(map, in, obj, run, load, symbols, t);
        }
    }

    for (std::size_t i = 0; i < nregions && !options.by_kind; ++i) {
        const MemoryRegion& r = map.regions[i];
        t.regions.push_back({std::string(r.name), r.origin, r.length, end[i] - r.origin,
                             linker_end[i] - r.origin, std::move(missed[i]), reserved[i]});
    }
    t.sections = std::move(sections).take_rows();
    t.archives = std::move(archives).take_rows();
    t.objects = std::move(objects).take_rows();
    t.symbols = std::move(symbols).take_rows();
    if (options.by_kind) {
        for (std::size_t k = 0; k < kind_names.size(); ++k) {
            RegionUsage u;
            u.name = std::string(kind_names[k]);
            for (const ItemSize& s : t.sections) add_bytes(u.used, s.regions[k], map, u.name);
            u.length = u.linker_used = u.used;
            t.regions.push_back(std::move(u));
        }
    }
    if (options.crates) {
        t.has_crates = true;
        t.crates = crate_rows(map, t);
    }
    return t;
}

}  // namespace sizebudget

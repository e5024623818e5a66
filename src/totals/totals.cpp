// Totals per region, section, archive, object and symbol, from a finished map.
#include "sizebudget/totals.hpp"

#include <algorithm>
#include <string>

#include <boost/unordered/unordered_flat_map.hpp>
#include <fmt/format.h>

#include "sizebudget/name_hash.hpp"

namespace sizebudget {

namespace {

// Accumulates bytes per item in flat arrays, keyed by what tells items apart, and turns into
// ItemSize rows only at the end. Names in the map are interned, so most identities are a pointer
// or an index: a 500k-symbol map must not copy a string per input section.
template <typename Key, typename Hash = boost::hash<Key>>
class Tally {
public:
    Tally(std::size_t regions) : regions_(regions) {}

    // Slot of the item with `key`, created with its display name and path on first use.
    std::size_t slot(const Key& key, std::string_view name, std::string_view path) {
        auto [it, added] = index_.try_emplace(key, static_cast<std::uint32_t>(names_.size()));
        if (added) {
            names_.push_back(name);
            paths_.push_back(path);
            sizes_.push_back(0);
            bytes_.resize(bytes_.size() + regions_, 0);
        }
        return it->second;
    }

    void add(std::size_t slot, std::uint64_t bytes, std::uint32_t run, std::uint32_t load) {
        sizes_[slot] += bytes;
        if (run != npos32) bytes_[slot * regions_ + run] += bytes;
        if (load != npos32 && load != run) bytes_[slot * regions_ + load] += bytes;
    }

    // Rows largest first, ties by name, then in order of first appearance; items of zero bytes
    // are left out. The size sits beside the index so most comparisons touch no name.
    std::vector<ItemSize> rows(const std::vector<std::string_view>* overrides = nullptr) const {
        struct Order {
            std::uint64_t size;
            std::size_t index;
        };
        std::vector<Order> order;
        for (std::size_t i = 0; i < sizes_.size(); ++i)
            if (sizes_[i] != 0) order.push_back({sizes_[i], i});
        auto name_of = [&](std::size_t i) -> std::string_view {
            return overrides && !(*overrides)[i].empty() ? (*overrides)[i] : names_[i];
        };
        std::sort(order.begin(), order.end(), [&](const Order& a, const Order& b) {
            if (a.size != b.size) return a.size > b.size;
            if (int c = name_of(a.index).compare(name_of(b.index)); c != 0) return c < 0;
            return a.index < b.index;
        });
        std::vector<ItemSize> out;
        out.reserve(order.size());
        for (auto [size, i] : order) {
            out.push_back({name_of(i), paths_[i], sizes_[i],
                           std::vector<std::uint64_t>(bytes_.begin() + static_cast<std::ptrdiff_t>(i * regions_),
                                                      bytes_.begin() + static_cast<std::ptrdiff_t>((i + 1) * regions_))});
        }
        return out;
    }

    std::size_t size() const { return names_.size(); }
    std::string_view name(std::size_t slot) const { return names_[slot]; }
    std::string_view path(std::size_t slot) const { return paths_[slot]; }

private:
    std::size_t regions_;
    boost::unordered_flat_map<Key, std::uint32_t, Hash> index_;  // key -> item index
    std::vector<std::string_view> names_, paths_;
    std::vector<std::uint64_t> sizes_;
    std::vector<std::uint64_t> bytes_;  // regions_ per item
};

std::uint64_t key_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// Symbols are told apart by name and defining object: two `static` helpers of the same name in
// different files are different symbols. Symbol names are not interned: hash the text.
struct SymbolKey {
    std::string_view name;
    std::uint32_t object;
    bool operator==(const SymbolKey&) const = default;
};
struct SymbolKeyHash {
    using is_avalanching = void;
    std::size_t operator()(const SymbolKey& k) const noexcept {
        return NameHash{}(k.name) ^ (static_cast<std::size_t>(k.object) * 0x9e3779b97f4a7c15ull);
    }
};

}  // namespace

Totals compute_totals(const LinkMap& map, const TotalsOptions& options) {
    Totals t;
    t.map_strings = map.strings;
    t.has_symbols = options.symbols;
    const std::size_t nregions = map.regions.size();

    std::vector<Address> end(nregions), linker_end(nregions);
    for (std::size_t i = 0; i < nregions; ++i) end[i] = linker_end[i] = map.regions[i].origin;
    std::vector<std::vector<std::string>> missed(nregions);

    Tally<std::uint64_t> sections(nregions), archives(nregions), objects(nregions);
    Tally<SymbolKey, SymbolKeyHash> symbols(nregions);
    // Keys: sections by index; objects by index (pseudo objects above the real ones); archives by
    // the interned path's address (pseudo archives by their literal's address); symbols by name
    // and object index.
    const std::uint64_t fill_key = map.objects.size(), linker_key = map.objects.size() + 1;
    std::vector<std::string_view> object_names(map.objects.size() + 2);

    for (std::size_t si = 0; si < map.sections.size(); ++si) {
        const OutputSection& s = map.sections[si];
        if (!s.allocated) continue;
        const std::uint32_t run = s.run_region;
        const std::uint32_t load = s.loaded ? s.load_region : npos32;
        if (run != npos32) {
            end[run] = std::max(end[run], s.address + s.size);
            linker_end[run] = std::max(linker_end[run], s.address + s.size);
        }
        if (load != npos32 && load != run && s.size > 0) {
            Address load_end = s.load_address + s.size;
            end[load] = std::max(end[load], load_end);
            if (!s.load_by_expression)
                linker_end[load] = std::max(linker_end[load], load_end);
            else if (load_end > linker_end[load])
                missed[load].emplace_back(s.name);
        }
        t.allocated += s.size;
        // Same-named output sections (two `.iram.text`) stay separate rows.
        sections.add(sections.slot(si, s.name, {}), s.size, run, load);

        for (const InputSection& in : map.inputs_of(s)) {
            if (in.size == 0) continue;
            const ObjectFile* obj = in.kind == PieceKind::input ? map.object_of(in) : nullptr;
            if (obj == nullptr) {
                const bool fill = in.kind == PieceKind::fill;
                std::string_view name = fill ? fill_name : linker_name;
                objects.add(objects.slot(fill ? fill_key : linker_key, name, {}), in.size, run, load);
                archives.add(archives.slot(key_of(name.data()), name, {}), in.size, run, load);
            } else {
                std::size_t o = objects.slot(in.object, file_name(obj->path), obj->path);
                if (!obj->archive.empty() && object_names[o].empty())
                    object_names[o] = t.intern(fmt::format("{}({})", file_name(obj->archive), obj->member));
                objects.add(o, in.size, run, load);
                if (obj->archive.empty())
                    archives.add(archives.slot(key_of(no_archive_name.data()), no_archive_name, {}), in.size, run, load);
                else
                    archives.add(archives.slot(key_of(obj->archive.data()), file_name(obj->archive), obj->archive),
                                 in.size, run, load);
            }
            if (!options.symbols) continue;
            for (const Symbol& sym : map.symbols_of(in)) {
                if (!sym.size_known || sym.size == 0) continue;
                const std::uint32_t owner = obj ? in.object : npos32;
                const std::string_view path = obj ? obj->path : std::string_view{};
                symbols.add(symbols.slot({sym.name, owner}, sym.name, path), sym.size, run, load);
            }
        }
    }

    for (std::size_t i = 0; i < nregions; ++i) {
        const MemoryRegion& r = map.regions[i];
        t.regions.push_back({std::string(r.name), r.origin, r.length, end[i] - r.origin,
                             linker_end[i] - r.origin, std::move(missed[i])});
    }
    object_names.resize(objects.size());
    t.sections = sections.rows();
    t.archives = archives.rows();
    t.objects = objects.rows(&object_names);
    t.symbols = symbols.rows();
    return t;
}

}  // namespace sizebudget

// Totals per region, section, archive, object and symbol, from a finished map.
#include "sizebudget/totals.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace sizebudget {

namespace {

// Accumulates sizes under keys, keeping first-seen order for stable output.
class Tally {
public:
    explicit Tally(std::size_t regions) : regions_(regions) {}

    ItemSize& at(std::string_view key, std::string_view name, std::string_view path) {
        if (auto it = index_.find(key); it != index_.end()) return items_[it->second];
        index_.emplace(std::string(key), items_.size());
        items_.push_back({std::string(name), std::string(path), 0, std::vector<std::uint64_t>(regions_, 0)});
        return items_.back();
    }

    std::vector<ItemSize> sorted() && {
        std::erase_if(items_, [](const ItemSize& i) { return i.size == 0; });
        std::stable_sort(items_.begin(), items_.end(), [](const ItemSize& a, const ItemSize& b) {
            if (a.size != b.size) return a.size > b.size;
            return a.name < b.name;
        });
        return std::move(items_);
    }

private:
    std::size_t regions_;
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> index_;
    std::vector<ItemSize> items_;
};

void add(ItemSize& item, std::uint64_t bytes, std::uint32_t run, std::uint32_t load) {
    item.size += bytes;
    if (run != npos32) item.regions[run] += bytes;
    if (load != npos32 && load != run) item.regions[load] += bytes;
}

std::string_view pseudo_name(PieceKind kind) {
    return kind == PieceKind::fill ? fill_name : linker_name;
}

}  // namespace

Totals compute_totals(const LinkMap& map) {
    Totals t;
    const std::size_t nregions = map.regions.size();

    std::vector<Address> end(nregions), linker_end(nregions);
    for (std::size_t i = 0; i < nregions; ++i) end[i] = linker_end[i] = map.regions[i].origin;
    std::vector<std::vector<std::string>> missed(nregions);

    Tally sections(nregions), archives(nregions), objects(nregions), symbols(nregions);
    std::string key;  // reused for symbol keys
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

        // Same-named output sections (two `.iram.text`) stay separate rows, keyed by index.
        key.assign(s.name).append("\x1f").append(std::to_string(si));
        add(sections.at(key, s.name, {}), s.size, run, load);

        for (const InputSection& in : map.inputs_of(s)) {
            if (in.size == 0) continue;
            const ObjectFile* obj = map.object_of(in);
            if (obj == nullptr || in.kind != PieceKind::input) {
                std::string_view name = pseudo_name(in.kind);
                add(objects.at(name, name, {}), in.size, run, load);
                add(archives.at(name, name, {}), in.size, run, load);
                obj = nullptr;
            } else if (obj->archive.empty()) {
                add(objects.at(obj->path, file_name(obj->path), obj->path), in.size, run, load);
                add(archives.at(no_archive_name, no_archive_name, {}), in.size, run, load);
            } else {
                std::string_view archive = file_name(obj->archive);
                key.assign(archive).append("(").append(obj->member).append(")");
                add(objects.at(obj->path, key, obj->path), in.size, run, load);
                add(archives.at(obj->archive, archive, obj->archive), in.size, run, load);
            }
            for (const Symbol& sym : map.symbols_of(in)) {
                if (!sym.size_known || sym.size == 0) continue;
                std::string_view owner = obj ? obj->path : std::string_view{};
                key.assign(sym.name).append("\x1f").append(owner);
                add(symbols.at(key, sym.name, owner), sym.size, run, load);
            }
        }
    }

    for (std::size_t i = 0; i < nregions; ++i) {
        const MemoryRegion& r = map.regions[i];
        t.regions.push_back({std::string(r.name), r.origin, r.length, end[i] - r.origin,
                             linker_end[i] - r.origin, std::move(missed[i])});
    }
    t.sections = std::move(sections).sorted();
    t.archives = std::move(archives).sorted();
    t.objects = std::move(objects).sorted();
    t.symbols = std::move(symbols).sorted();
    return t;
}

}  // namespace sizebudget

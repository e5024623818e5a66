// Two snapshots in, deltas out: no I/O, no formatting beyond the signed-number helpers.
#include "sizebudget/size_diff.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include <boost/unordered/unordered_flat_map.hpp>
#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/name_hash.hpp"

namespace sizebudget {

namespace {

// Checked arithmetic: a size that does not fit is an error naming the item, never a wrapped number.
[[noreturn]] void does_not_fit(std::string_view item, std::uint64_t a, std::uint64_t b) {
    throw Error(std::string(item), fmt::format("sizes of {} and {} bytes: the difference does not fit in 64 bits; "
                                               "are these real maps or snapshots?",
                                               b, a));
}

std::int64_t minus(std::uint64_t a, std::uint64_t b, std::string_view item) {
    constexpr std::uint64_t max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (a >= b) {
        if (a - b > max) does_not_fit(item, a, b);
        return static_cast<std::int64_t>(a - b);
    }
    if (b - a > max) does_not_fit(item, a, b);
    return -static_cast<std::int64_t>(b - a);
}

std::uint64_t plus(std::uint64_t a, std::uint64_t b, std::string_view item) {
    if (b > std::numeric_limits<std::uint64_t>::max() - a)
        throw Error(std::string(item), fmt::format("sizes of {} and {} bytes add up to more than 64 bits hold", a, b));
    return a + b;
}

std::uint64_t magnitude(std::int64_t v) {
    return v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
}

std::optional<double> percent_of(std::int64_t delta, std::uint64_t base) {
    if (base == 0) return std::nullopt;
    return static_cast<double>(delta) * 100.0 / static_cast<double>(base);
}

// Items are joined on their identities (sections: names), never on paths, so a build from
// another machine, checkout or generator diffs as unchanged.
std::string_view key_of(const ItemSize& item) { return item.id.empty() ? item.name : item.id; }

std::vector<ItemDelta> diff_list(const ItemRows& old_items, const std::vector<std::size_t>& old_regions,
                                 const ItemRows& new_items, const std::vector<std::size_t>& new_regions) {
    // Keys are views into the snapshots' pools, which outlive this function.
    boost::unordered_flat_map<std::string_view, std::size_t, NameHash> index;
    std::vector<ItemDelta> out;
    // Per-region bytes of each side, summed unsigned; their differences are taken at the end.
    struct Sides {
        RegionBytes old_bytes, new_bytes;
        bool in_old = false, in_new = false;
    };
    std::vector<Sides> sides;
    auto accumulate = [&](const ItemRows& items, const std::vector<std::size_t>& region_index, bool old) {
        for (const ItemSize& item : items) {
            if (item.name == reserved_name && item.path.empty()) continue;  // no content
            auto [it, fresh] = index.try_emplace(key_of(item), out.size());
            if (fresh) {
                out.emplace_back().id = key_of(item);
                sides.emplace_back();
            }
            ItemDelta& d = out[it->second];
            // Names and paths as the newer side has them: where the paths of two builds differ,
            // the one being reviewed is the new one.
            d.name = item.name;
            d.path = item.path;
            std::uint64_t& size = old ? d.old_size : d.new_size;
            size = plus(size, item.size, item.name);
            Sides& side = sides[it->second];
            (old ? side.in_old : side.in_new) = true;
            RegionBytes& v = old ? side.old_bytes : side.new_bytes;
            for (const auto& [r, n] : item.regions) {
                if (r >= region_index.size()) continue;
                std::uint64_t& sum = v.at(region_index[r]);
                sum = plus(sum, n, item.name);
            }
        }
    };
    accumulate(old_items, old_regions, true);
    accumulate(new_items, new_regions, false);
    for (std::size_t i = 0; i < out.size(); ++i) {
        ItemDelta& d = out[i];
        const Sides& side = sides[i];
        // The change in every region either side has bytes in (one in both is set twice, alike).
        auto note_change = [&](std::uint32_t r) {
            if (std::int64_t change = minus(side.new_bytes[r], side.old_bytes[r], d.name)) d.regions.at(r) = change;
        };
        for (const auto& entry : side.new_bytes) note_change(entry.region);
        for (const auto& entry : side.old_bytes) note_change(entry.region);
        d.delta = minus(d.new_size, d.old_size, d.name);
        if (!side.in_old) d.change = Change::added;
        else if (!side.in_new) d.change = Change::removed;
        else if (d.delta > 0) d.change = Change::grown;
        else if (d.delta < 0) d.change = Change::shrunk;
        else d.change = Change::unchanged;
    }
    // Distinct items that share a display name (two "libmain.a" in different folders) are shown
    // by their identities, which tell them apart.
    std::vector<bool> shared(out.size());
    {
        boost::unordered_flat_map<std::string_view, int, NameHash> named;
        for (const ItemDelta& d : out) ++named[d.name];
        for (std::size_t i = 0; i < out.size(); ++i) shared[i] = named[out[i].name] > 1 && out[i].id != out[i].name;
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        if (shared[i]) out[i].name = out[i].id;
    std::sort(out.begin(), out.end(), [](const ItemDelta& a, const ItemDelta& b) {
        if (magnitude(a.delta) != magnitude(b.delta)) return magnitude(a.delta) > magnitude(b.delta);
        if (a.name != b.name) return a.name < b.name;
        if (a.path != b.path) return a.path < b.path;
        return a.id < b.id;
    });
    return out;
}

}  // namespace

std::string_view change_name(Change c) {
    switch (c) {
    case Change::grown: return "grown";
    case Change::shrunk: return "shrunk";
    case Change::added: return "added";
    case Change::removed: return "removed";
    case Change::unchanged: break;
    }
    return "unchanged";
}

std::optional<double> RegionDelta::percent() const { return percent_of(delta, old_used); }
std::optional<double> ItemDelta::percent() const { return percent_of(delta, old_size); }

SizeDiff diff_snapshots(const Snapshot& old_snapshot, const Snapshot& new_snapshot) {
    const Totals& o = old_snapshot.totals;
    const Totals& n = new_snapshot.totals;
    SizeDiff d;
    d.old_map = old_snapshot.map;
    d.new_map = new_snapshot.map;
    // Regions are joined by name, through an index: a hostile map may declare thousands.
    boost::unordered_flat_map<std::string_view, std::size_t, NameHash> index;
    auto region_of = [&](const RegionUsage& r) -> RegionDelta& {
        auto [it, fresh] = index.try_emplace(r.name, d.regions.size());
        if (fresh) d.regions.emplace_back().name = r.name;
        return d.regions[it->second];
    };
    std::vector<std::size_t> ni, oi;  // each side's regions by index in d.regions
    for (const RegionUsage& r : n.regions) {
        RegionDelta& rd = region_of(r);
        rd.in_new = true;
        rd.new_used = r.used;
        rd.new_length = r.length;
        ni.push_back(index[r.name]);
    }
    for (const RegionUsage& r : o.regions) {
        RegionDelta& rd = region_of(r);
        rd.in_old = true;
        rd.old_used = r.used;
        rd.old_length = r.length;
        oi.push_back(index[r.name]);
    }
    for (RegionDelta& r : d.regions) r.delta = minus(r.new_used, r.old_used, "region " + r.name);
    // Content only: reserved address space (ESP-IDF's dummies, heap and stack reservations) moves
    // with the layout, not with the code.
    d.old_allocated = o.content();
    d.new_allocated = n.content();
    d.allocated_delta = minus(d.new_allocated, d.old_allocated, "(allocated)");

    d.sections = diff_list(o.sections, oi, n.sections, ni);
    d.archives = diff_list(o.archives, oi, n.archives, ni);
    d.objects = diff_list(o.objects, oi, n.objects, ni);
    d.symbols = diff_list(o.symbols, oi, n.symbols, ni);
    d.crates = diff_list(o.crates, oi, n.crates, ni);
    return d;
}

const std::vector<ItemDelta>& diff_items(const SizeDiff& diff, Breakdown by) {
    switch (by) {
    case Breakdown::section: return diff.sections;
    case Breakdown::object: return diff.objects;
    case Breakdown::symbol: return diff.symbols;
    case Breakdown::crate: return diff.crates;
    case Breakdown::archive:
    case Breakdown::region: break;
    }
    return diff.archives;
}

bool diff_row_shown(const ItemDelta& item, const DiffReportOptions& options) {
    if (item.change == Change::unchanged) return false;
    return magnitude(item.delta) >= options.threshold;
}

std::string signed_bytes(std::int64_t delta) {
    return delta > 0 ? fmt::format("+{}", delta) : fmt::format("{}", delta);
}

std::string signed_percent(std::optional<double> percent, std::int64_t delta) {
    if (!percent) return delta == 0 ? "0.00%" : "new";
    if (delta == 0) return "0.00%";
    return fmt::format("{:+.2f}%", *percent);
}

}  // namespace sizebudget

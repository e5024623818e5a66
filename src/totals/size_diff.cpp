// Two snapshots in, deltas out: no I/O, no formatting beyond the signed-number helpers.
#include "sizebudget/size_diff.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "sizebudget/error.hpp"

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

// Index of each of `from`'s regions in the diff's region list.
std::vector<std::size_t> region_index(const Totals& from, const std::vector<RegionDelta>& regions) {
    std::vector<std::size_t> out;
    for (const RegionUsage& r : from.regions) {
        auto it = std::find_if(regions.begin(), regions.end(),
                               [&](const RegionDelta& d) { return d.name == r.name; });
        out.push_back(static_cast<std::size_t>(it - regions.begin()));
    }
    return out;
}

// Items are joined on their identities (sections: names), never on paths, so a build from
// another machine, checkout or generator diffs as unchanged.
std::string key_of(const ItemSize& item) { return std::string(item.id.empty() ? item.name : item.id); }

std::vector<ItemDelta> diff_list(const std::vector<ItemSize>& old_items, const std::vector<std::size_t>& old_regions,
                                 const std::vector<ItemSize>& new_items, const std::vector<std::size_t>& new_regions,
                                 std::size_t nregions) {
    std::map<std::string, ItemDelta> by_key;  // ordered: deterministic before the final sort
    auto at = [&](const ItemSize& item) -> ItemDelta& {
        auto [it, fresh] = by_key.try_emplace(key_of(item));
        if (fresh) {
            it->second.id = it->first;
            it->second.regions.assign(nregions, 0);
        }
        // Names and paths as the newer side has them: where the paths of two builds differ, the
        // one being reviewed is the new one.
        it->second.name = item.name;
        it->second.path = item.path;
        return it->second;
    };
    std::map<std::string, bool> in_old, in_new;
    // Per-region bytes of each side, summed unsigned; their differences are taken at the end.
    std::map<std::string, std::pair<std::vector<std::uint64_t>, std::vector<std::uint64_t>>> bytes;
    auto side = [&](const ItemSize& item, bool old) -> std::vector<std::uint64_t>& {
        auto& both = bytes[key_of(item)];
        auto& v = old ? both.first : both.second;
        if (v.empty()) v.assign(nregions, 0);
        return v;
    };
    auto accumulate = [&](const std::vector<ItemSize>& items, const std::vector<std::size_t>& region_index, bool old) {
        for (const ItemSize& item : items) {
            if (item.name == reserved_name && item.path.empty()) continue;  // no content
            ItemDelta& d = at(item);
            std::uint64_t& size = old ? d.old_size : d.new_size;
            size = plus(size, item.size, item.name);
            std::vector<std::uint64_t>& v = side(item, old);
            for (std::size_t r = 0; r < item.regions.size() && r < region_index.size(); ++r)
                v[region_index[r]] = plus(v[region_index[r]], item.regions[r], item.name);
            (old ? in_old : in_new)[key_of(item)] = true;
        }
    };
    accumulate(old_items, old_regions, true);
    accumulate(new_items, new_regions, false);
    for (auto& [key, both] : bytes) {
        ItemDelta& d = by_key[key];
        for (std::size_t r = 0; r < nregions; ++r)
            d.regions[r] = minus(both.second.empty() ? 0 : both.second[r], both.first.empty() ? 0 : both.first[r], d.name);
    }
    std::vector<ItemDelta> out;
    out.reserve(by_key.size());
    for (auto& [key, d] : by_key) {
        d.delta = minus(d.new_size, d.old_size, d.name);
        if (!in_old.count(key)) d.change = Change::added;
        else if (!in_new.count(key)) d.change = Change::removed;
        else if (d.delta > 0) d.change = Change::grown;
        else if (d.delta < 0) d.change = Change::shrunk;
        else d.change = Change::unchanged;
        out.push_back(std::move(d));
    }
    // Distinct items that share a display name (two "libmain.a" in different folders) are shown
    // by their identities, which tell them apart.
    std::map<std::string, int> named;  // owns its keys: names are reassigned below
    for (const ItemDelta& d : out) ++named[d.name];
    for (ItemDelta& d : out)
        if (named[d.name] > 1 && d.id != d.name) d.name = d.id;
    std::stable_sort(out.begin(), out.end(), [](const ItemDelta& a, const ItemDelta& b) {
        if (magnitude(a.delta) != magnitude(b.delta)) return magnitude(a.delta) > magnitude(b.delta);
        if (a.name != b.name) return a.name < b.name;
        return a.path < b.path;
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
    for (const RegionUsage& r : n.regions) {
        RegionDelta rd;
        rd.name = r.name;
        rd.in_new = true;
        rd.new_used = r.used;
        rd.new_length = r.length;
        d.regions.push_back(std::move(rd));
    }
    for (const RegionUsage& r : o.regions) {
        auto it = std::find_if(d.regions.begin(), d.regions.end(),
                               [&](const RegionDelta& x) { return x.name == r.name; });
        if (it == d.regions.end()) {
            d.regions.push_back({});
            it = d.regions.end() - 1;
            it->name = r.name;
        }
        it->in_old = true;
        it->old_used = r.used;
        it->old_length = r.length;
    }
    for (RegionDelta& r : d.regions) r.delta = minus(r.new_used, r.old_used, "region " + r.name);
    // Content only: reserved address space (ESP-IDF's dummies, heap and stack reservations) moves
    // with the layout, not with the code.
    d.old_allocated = o.content();
    d.new_allocated = n.content();
    d.allocated_delta = minus(d.new_allocated, d.old_allocated, "(allocated)");

    const auto oi = region_index(o, d.regions), ni = region_index(n, d.regions);
    const std::size_t nr = d.regions.size();
    d.sections = diff_list(o.sections, oi, n.sections, ni, nr);
    d.archives = diff_list(o.archives, oi, n.archives, ni, nr);
    d.objects = diff_list(o.objects, oi, n.objects, ni, nr);
    d.symbols = diff_list(o.symbols, oi, n.symbols, ni, nr);
    d.crates = diff_list(o.crates, oi, n.crates, ni, nr);
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

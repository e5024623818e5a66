#pragma once
// Bytes (or byte changes) of one row per memory region, by the region's index in its list.
// Sparse: a row sits in one or two regions of however many the map declares (an ESP32 map has
// twenty, a hostile one ten thousand), and a dense array per row would cost rows × regions.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace sizebudget {

template <typename Value>
class RegionValues {
public:
    struct Entry {
        std::uint32_t region;
        Value value;
        bool operator==(const Entry&) const = default;
    };

    RegionValues() = default;
    // From values of every region in order, zeros left out: {0, 120} is 120 bytes in region 1.
    RegionValues(std::initializer_list<Value> dense) {
        std::uint32_t region = 0;
        for (Value v : dense) {
            if (v != 0) entries_.push_back({region, v});
            ++region;
        }
    }

    // 0 for a region the row is not in.
    Value operator[](std::size_t region) const noexcept {
        auto it = find(region);
        return it != entries_.end() && it->region == region ? it->value : Value{};
    }

    // The row's entry for `region`, made (as 0) on first use. Rows mostly gain regions in
    // increasing order, so the last entry is tried first.
    Value& at(std::size_t region) {
        if (!entries_.empty() && entries_.back().region == region) return entries_.back().value;
        const std::size_t i = entries_.empty() || entries_.back().region < region
                                  ? entries_.size()
                                  : static_cast<std::size_t>(find(region) - entries_.begin());
        if (i == entries_.size() || entries_[i].region != region)
            entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(i), Entry{static_cast<std::uint32_t>(region), Value{}});
        return entries_[i].value;
    }

    // Adds another row's values, region by region. Unchecked: callers add rows of one Totals,
    // whose sums compute_totals() has checked.
    void add(const RegionValues& other) {
        for (const Entry& e : other.entries_) at(e.region) += e.value;
    }

    // Region numbers replaced by `to[number]`: a snapshot's rows may name regions before the
    // document says in which order they come.
    void renumber(const std::vector<std::uint32_t>& to) {
        for (Entry& e : entries_) e.region = to[e.region];
        std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.region < b.region; });
    }

    bool empty() const noexcept { return entries_.empty(); }
    auto begin() const noexcept { return entries_.begin(); }
    auto end() const noexcept { return entries_.end(); }
    bool operator==(const RegionValues&) const = default;

private:
    // The first entry at or past `region` (entries are sorted by region).
    auto find(std::size_t region) const noexcept {
        return std::lower_bound(entries_.begin(), entries_.end(), region,
                                [](const Entry& e, std::size_t r) { return e.region < r; });
    }

    std::vector<Entry> entries_;
};

using RegionBytes = RegionValues<std::uint64_t>;
using RegionDeltas = RegionValues<std::int64_t>;

}  // namespace sizebudget

#include "sizebudget/item_rows.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace sizebudget {

ItemRows::ItemRows(std::initializer_list<ItemSize> rows) {
    rows_.reserve(rows.size());
    for (const ItemSize& row : rows) push_back(row);
}

ItemSize ItemRows::operator[](std::size_t i) const {
    const Row& r = rows_[i];
    ItemSize out;
    out.name = {r.name, r.name_size};
    out.path = paths_[r.path];
    out.size = r.size;
    out.address = r.address;
    if (!ids_.empty()) out.id = ids_[i];
    if (r.extra != 0) out.aliases = extras_[r.extra - 1].aliases;
    out.regions = regions_of(r);
    return out;
}

RegionBytes ItemRows::regions_of(const Row& r) const {
    if (r.run == uneven) return extras_[r.extra - 1].regions;
    RegionBytes out;
    if (r.run != no_region) out.at(r.run) = r.size;
    if (r.load != no_region) out.at(r.load) = r.size;
    return out;
}

ItemRows::Row& ItemRows::append() {
    if (rows_.size() >= std::numeric_limits<std::uint32_t>::max()) throw std::length_error("ItemRows: a level of 2^32 rows");
    Row& r = rows_.emplace_back();
    if (!ids_.empty()) ids_.resize(rows_.size());
    return r;
}

void ItemRows::push_back(const ItemSize& row) {
    append();
    assign(rows_.size() - 1, row);
}

void ItemRows::push_back_own_path(const ItemSize& row) {
    append();
    std::uint32_t path = 0;
    if (!row.path.empty()) {
        path = static_cast<std::uint32_t>(paths_.size());
        paths_.push_back(row.path);
    }
    assign(rows_.size() - 1, row, path);
}

void ItemRows::assign(std::size_t i, const ItemSize& row) { assign(i, row, path_index(row.path)); }

void ItemRows::assign(std::size_t i, const ItemSize& row, std::uint32_t path) {
    Row& r = rows_[i];
    set_name(i, row.name);
    r.path = path;
    r.size = row.size;
    r.address = row.address;
    set_regions(r, row.regions);
    set_aliases(i, row.aliases);
    if (!row.id.empty() || !ids_.empty()) set_id(i, row.id);
}

void ItemRows::set_name(std::size_t i, std::string_view name) {
    if (name.size() > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("ItemRows: a name beyond 2^32");
    rows_[i].name = name.data();
    rows_[i].name_size = static_cast<std::uint32_t>(name.size());
}

void ItemRows::set_id(std::size_t i, std::string_view id) {
    if (ids_.empty()) ids_.resize(rows_.size());
    ids_[i] = id;
}

void ItemRows::set_aliases(std::size_t i, std::string_view aliases) {
    if (aliases.empty() && rows_[i].extra == 0) return;
    extra_of(rows_[i]).aliases = aliases;
}

std::uint32_t ItemRows::path_index(std::string_view path) {
    if (path.empty()) return 0;
    if (path.data() == last_path_.data() && path.size() == last_path_.size()) return last_path_index_;
    auto [it, fresh] = path_at_.try_emplace({path.data(), path.size()}, static_cast<std::uint32_t>(paths_.size()));
    if (fresh) paths_.push_back(path);
    last_path_ = path;
    return last_path_index_ = it->second;
}

ItemRows::Extra& ItemRows::extra_of(Row& row) {
    if (row.extra == 0) {
        extras_.emplace_back();
        row.extra = static_cast<std::uint32_t>(extras_.size());
    }
    return extras_[row.extra - 1];
}

// Kept as one or two regions when each holds all of the row's bytes, else beside the row.
void ItemRows::set_regions(Row& row, const RegionBytes& regions) {
    std::uint16_t even[2] = {no_region, no_region};
    std::size_t n = 0;
    bool is_even = true;
    for (const auto& e : regions) {
        if (n == 2 || e.value != row.size || e.region >= uneven) {
            is_even = false;
            break;
        }
        even[n++] = static_cast<std::uint16_t>(e.region);
    }
    if (is_even) {
        row.run = even[0];
        row.load = even[1];
        if (row.extra != 0) extras_[row.extra - 1].regions = {};
        return;
    }
    row.run = uneven;
    row.load = no_region;
    extra_of(row).regions = regions;
}

// add()'s other cases: the row's bytes per region stop being even (or would pass 64 bits).
bool ItemRows::add_uneven(Row& r, std::uint64_t bytes, std::uint32_t run, std::uint32_t load) {
    std::uint64_t size = 0;
    if (__builtin_add_overflow(r.size, bytes, &size)) return false;
    // Uneven from here on: the bytes per region are kept beside the row and added to in place
    // (an object's "(no symbol)" row gains bytes in every region its sections are in).
    if (r.run != uneven) {
        RegionBytes regions = regions_of(r);
        r.run = uneven;
        r.load = no_region;
        extra_of(r).regions = std::move(regions);
    }
    RegionBytes& regions = extras_[r.extra - 1].regions;
    for (std::uint32_t region : {run, load})
        if (region != npos32) regions.at(region) += bytes;  // at most `size`: no wrap
    r.size = size;
    return true;
}

namespace {

// The first eight bytes of a name, big-endian and padded with zeros: ordered as the names are
// (no name holds a NUL).
std::uint64_t prefix_of(const char* name, std::uint32_t size) {
    std::uint64_t prefix = 0;
    for (std::uint32_t i = 0; i < size && i < 8; ++i)
        prefix |= std::uint64_t{static_cast<unsigned char>(name[i])} << (56 - 8 * i);
    return prefix;
}

struct SortKey {
    std::uint64_t size, prefix;
    std::uint32_t index;
};

// Rows sorted at a time on keys of their own; then the runs are merged.
constexpr std::size_t run_rows = 1 << 16;

}  // namespace

// Two million symbol rows sorted by index, comparing sizes and names read through each index,
// spent most of their time waiting for rows and names scattered over 150 MB. Keys holding the
// size and a name's first bytes are compared where they lie, a run of rows at a time so the
// keys stay few (1.5 MB), and the sorted runs merged by a heap of their next keys. Names are read
// only where size and first bytes tie, after the merge, one group of tied rows at a time: compared
// inside the sort and the merge, 400,000 object rows named "libcompNN.a(...)" read two cold names
// per comparison, a third of the totals' time.
void ItemRows::sort_largest_first() {
    auto key_of = [this](std::uint32_t i) {
        const Row& r = rows_[i];
        return SortKey{r.size, prefix_of(r.name, r.name_size), i};
    };
    auto before = [](const SortKey& a, const SortKey& b) {
        if (a.size != b.size) return a.size > b.size;
        if (a.prefix != b.prefix) return a.prefix < b.prefix;
        return a.index < b.index;
    };
    auto ties = [](const SortKey& a, const SortKey& b) { return a.size == b.size && a.prefix == b.prefix; };
    const std::size_t n = rows_.size();
    std::vector<std::uint32_t> order(n);
    // tied[k]: order[k] ties with order[k - 1] on size and first bytes.
    std::vector<bool> tied(n);
    std::vector<std::pair<std::size_t, std::size_t>> runs;  // [next, end) in order
    {
        std::vector<SortKey> keys;
        keys.reserve(std::min(n, run_rows));
        for (std::size_t begin = 0; begin < n; begin += run_rows) {
            const std::size_t end = std::min(n, begin + run_rows);
            keys.clear();
            for (std::size_t i = begin; i < end; ++i) keys.push_back(key_of(static_cast<std::uint32_t>(i)));
            std::sort(keys.begin(), keys.end(), before);
            for (std::size_t k = 0; k < keys.size(); ++k) {
                order[begin + k] = keys[k].index;
                tied[begin + k] = k > 0 && ties(keys[k - 1], keys[k]);
            }
            runs.emplace_back(begin, end);
        }
    }
    if (runs.size() > 1) {
        // Each run's next keys are made a block at a time: one at a time, each waited for a row
        // and a name no cache held; a block's reads are independent and overlap.
        constexpr std::size_t block = 64;
        std::vector<SortKey> ahead(runs.size() * block);
        std::vector<std::pair<std::uint32_t, std::uint32_t>> window(runs.size());  // [at, end) in its block
        auto refill = [&](std::size_t r) {
            auto& [next, end] = runs[r];
            SortKey* keys = ahead.data() + r * block;
            std::uint32_t made = 0;
            for (; made < block && next < end; ++made) keys[made] = key_of(order[next++]);
            window[r] = {0, made};
            return made > 0;
        };
        auto head = [&](std::size_t r) -> const SortKey& { return ahead[r * block + window[r].first]; };
        auto after = [&](std::size_t a, std::size_t b) { return before(head(b), head(a)); };
        std::vector<std::size_t> heap;
        for (std::size_t r = 0; r < runs.size(); ++r)
            if (refill(r)) heap.push_back(r);
        std::make_heap(heap.begin(), heap.end(), after);
        std::vector<std::uint32_t> merged;
        merged.reserve(n);
        SortKey last{};
        while (!heap.empty()) {
            std::pop_heap(heap.begin(), heap.end(), after);
            const std::size_t r = heap.back();
            const SortKey& key = head(r);
            tied[merged.size()] = !merged.empty() && ties(last, key);
            merged.push_back(key.index);
            last = key;
            if (++window[r].first < window[r].second || refill(r))
                std::push_heap(heap.begin(), heap.end(), after);
            else
                heap.pop_back();
        }
        order = std::move(merged);
    }
    // Each group of tied rows, by name, then index: its names read once each, and then in cache.
    std::vector<std::pair<std::string_view, std::uint32_t>> group;
    for (std::size_t begin = 0; begin < n;) {
        std::size_t end = begin + 1;
        while (end < n && tied[end]) ++end;
        if (end - begin > 1) {
            group.clear();
            for (std::size_t k = begin; k < end; ++k) group.emplace_back(name(order[k]), order[k]);
            std::sort(group.begin(), group.end());
            for (std::size_t k = begin; k < end; ++k) order[k] = group[k - begin].second;
        }
        begin = end;
    }
    permute(std::move(order));
}

std::vector<std::uint32_t> ItemRows::identity_order() const {
    std::vector<std::uint32_t> order(rows_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    return order;
}

void ItemRows::permute(std::vector<std::uint32_t> order) {
    // In place, one cycle of the permutation at a time: a copy of two million rows would briefly
    // double them.
    constexpr std::uint32_t done = std::numeric_limits<std::uint32_t>::max();
    const bool ids = !ids_.empty();
    for (std::size_t k = 0; k < order.size(); ++k) {
        if (order[k] == done) continue;
        const Row held = rows_[k];
        const std::string_view held_id = ids ? ids_[k] : std::string_view{};
        std::size_t at = k;
        for (;;) {
            const std::uint32_t from = order[at];
            order[at] = done;
            if (from == k) {
                rows_[at] = held;
                if (ids) ids_[at] = held_id;
                break;
            }
            rows_[at] = rows_[from];
            if (ids) ids_[at] = ids_[from];
            at = from;
        }
    }
}

void ItemRows::renumber_regions(const std::vector<std::uint32_t>& to) {
    for (Row& r : rows_) {
        RegionBytes regions = regions_of(r);
        regions.renumber(to);
        set_regions(r, regions);
    }
}

}  // namespace sizebudget

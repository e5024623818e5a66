#pragma once
// The rows of one breakdown level, and how they are kept.
//
// A map of two million symbols has as many symbol rows, next to the map's own model of them: as
// ItemSize values (120 bytes each) the rows alone took more memory than the map has bytes. Kept
// here, a row is 40 bytes: its name, an index into the level's table of distinct paths, its size
// and address, and the one or two regions that hold all its bytes (a function in FLASH; a variable
// in RAM and its load image in FLASH). What few rows have (bytes split unevenly across regions,
// aliases) is kept beside them, identities (only snapshots have them) in a column of their own.
// Reading a row makes an ItemSize value on the fly: nothing refers into the storage.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "sizebudget/link_map.hpp"
#include "sizebudget/region_bytes.hpp"

namespace sizebudget {

// One row of a breakdown (section, archive, object or symbol).
// Names are views into the pools of the Totals that holds the row: a row made by hand takes its
// names from Totals::intern() or from string literals, never from a temporary std::string.
struct ItemSize {
    std::string_view name;  // display name: "libc_nano.a", "libc_nano.a(lib_a-printf.o)", "main"
    std::string_view path;  // full path where there is one (archive/object path; object of a symbol)
    std::uint64_t size = 0;  // allocated bytes, each counted once
    // Bytes per region, by index in Totals::regions. A byte of `.data` counts in RAM (run) and in
    // FLASH (load image), as the regions themselves do.
    RegionBytes regions;
    // What makes the item the same in another build (identity.hpp): set for snapshots, which
    // diffs and growth budgets join on; empty in totals made for reports.
    std::string_view id;
    // Symbols: where the symbol starts, and the other names of the same bytes (aliases: symbols
    // at the same address with the same size in one input section), one a line: names in maps
    // never hold a line break, C++ names do hold ", ".
    Address address = 0;
    std::string_view aliases;
};

class ItemRows {
public:
    ItemRows() = default;
    ItemRows(std::initializer_list<ItemSize> rows);

    std::size_t size() const noexcept { return rows_.size(); }
    bool empty() const noexcept { return rows_.empty(); }
    void reserve(std::size_t rows) { rows_.reserve(rows); }

    // Row `i`, made from what is kept.
    ItemSize operator[](std::size_t i) const;
    // Parts of row `i`, without making the row.
    std::string_view name(std::size_t i) const noexcept { return {rows_[i].name, rows_[i].name_size}; }
    std::string_view path(std::size_t i) const noexcept { return paths_[rows_[i].path]; }
    std::uint64_t bytes(std::size_t i) const noexcept { return rows_[i].size; }
    Address address(std::size_t i) const noexcept { return rows_[i].address; }
    std::string_view aliases(std::size_t i) const noexcept {
        return rows_[i].extra == 0 ? std::string_view{} : extras_[rows_[i].extra - 1].aliases;
    }

    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = ItemSize;
        using difference_type = std::ptrdiff_t;
        using reference = ItemSize;
        using pointer = void;
        iterator() = default;
        iterator(const ItemRows* rows, std::size_t at) : rows_(rows), at_(at) {}
        ItemSize operator*() const { return (*rows_)[at_]; }
        iterator& operator++() {
            ++at_;
            return *this;
        }
        iterator operator++(int) {
            iterator before = *this;
            ++at_;
            return before;
        }
        bool operator==(const iterator& other) const { return at_ == other.at_; }

    private:
        const ItemRows* rows_ = nullptr;
        std::size_t at_ = 0;
    };
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, rows_.size()}; }

    void push_back(const ItemSize& row);
    // A row whose path no other row here has (the rows of objects or archives, one per path):
    // stored without looking the path up, which for 400,000 objects' rows missed the cache each.
    void push_back_own_path(const ItemSize& row);
    // A row of no bytes yet, named `name`, of `path`.
    void push_back(std::string_view name, std::string_view path) {
        Row& r = append();
        set_name(rows_.size() - 1, name);
        r.path = path_index(path);
    }
    // Row `i` replaced by `row`.
    void assign(std::size_t i, const ItemSize& row);
    void set_name(std::size_t i, std::string_view name);
    void set_id(std::size_t i, std::string_view id);
    void set_address(std::size_t i, Address address) { rows_[i].address = address; }
    void set_aliases(std::size_t i, std::string_view aliases);

    // Adds `bytes` to row `i` and to each of regions `run` and `load` (npos32: none; the same
    // region counts once). False, and nothing changed, when a figure would pass 64 bits.
    bool add(std::size_t i, std::uint64_t bytes, std::uint32_t run, std::uint32_t load) {
        // The common case, inline: every piece of the row lies in the same regions.
        Row& r = rows_[i];
        if (load == run) load = npos32;
        if (run == npos32) std::swap(run, load);
        const std::uint16_t a = run == npos32 ? no_region : run < uneven ? static_cast<std::uint16_t>(run) : uneven;
        const std::uint16_t b = load == npos32 ? no_region : load < uneven ? static_cast<std::uint16_t>(load) : uneven;
        std::uint64_t size = 0;
        if (r.run == uneven || a == uneven || b == uneven || __builtin_add_overflow(r.size, bytes, &size))
            return add_uneven(r, bytes, run, load);
        const bool fresh = r.size == 0 && r.run == no_region && r.load == no_region;
        if (!fresh && !(r.run == a && r.load == b) && !(r.run == b && r.load == a)) return add_uneven(r, bytes, run, load);
        r.size = size;
        r.run = a;
        r.load = b;
        return true;
    }

    // Leaves out the rows for which remove(i) is true (i: the row's index before any is left
    // out), keeping the others' order.
    template <typename Remove>
    void erase_if(Remove remove) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < rows_.size(); ++i) {
            if (remove(i)) continue;
            rows_[kept] = rows_[i];
            if (!ids_.empty()) ids_[kept] = ids_[i];
            ++kept;
        }
        rows_.resize(kept);
        if (!ids_.empty()) ids_.resize(kept);
    }

    // Sorts by less(rows, a, b) on row indices, equal rows keeping their order.
    template <typename Less>
    void stable_sort(Less less) {
        std::vector<std::uint32_t> order = identity_order();
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return less(*this, a, b); });
        permute(std::move(order));
    }
    // Largest first, ties by name, then by index (the order in which totals made the rows).
    void sort_largest_first();

    // Region numbers replaced by to[number] (snapshot_reader.cpp).
    void renumber_regions(const std::vector<std::uint32_t>& to);

private:
    static constexpr std::uint16_t no_region = 0xffff;
    static constexpr std::uint16_t uneven = 0xfffe;  // in Row::run: regions in the row's Extra

    struct Row {
        const char* name = nullptr;
        std::uint32_t name_size = 0;
        std::uint32_t path = 0;  // index into paths_; 0 is the empty path
        std::uint64_t size = 0;
        Address address = 0;
        std::uint32_t extra = 0;  // 1 + index into extras_, 0 for none
        // The regions holding all `size` bytes each, or `uneven`.
        std::uint16_t run = no_region, load = no_region;
    };
    static_assert(sizeof(Row) == 40);
    struct Extra {
        std::string_view aliases;
        RegionBytes regions;  // when Row::run is `uneven`
    };

    Row& append();  // an empty row at the end
    void assign(std::size_t i, const ItemSize& row, std::uint32_t path);
    bool add_uneven(Row& r, std::uint64_t bytes, std::uint32_t run, std::uint32_t load);
    std::vector<std::uint32_t> identity_order() const;
    // Row k becomes the row that was at order[k].
    void permute(std::vector<std::uint32_t> order);
    std::uint32_t path_index(std::string_view path);
    Extra& extra_of(Row& row);
    RegionBytes regions_of(const Row& row) const;
    void set_regions(Row& row, const RegionBytes& regions);

    std::vector<Row> rows_;
    std::vector<std::string_view> ids_;  // by row; empty until a row has one
    std::vector<Extra> extras_;
    // Paths of the rows, each once. Keyed by where the text is: paths are interned, and a path
    // stored twice costs a table entry, not a wrong answer.
    std::vector<std::string_view> paths_{std::string_view{}};
    struct PathKeyHash {
        std::size_t operator()(const std::pair<const char*, std::size_t>& k) const noexcept {
            return reinterpret_cast<std::uintptr_t>(k.first) * 0x9e3779b97f4a7c15ull ^ k.second;
        }
    };
    boost::unordered_flat_map<std::pair<const char*, std::size_t>, std::uint32_t, PathKeyHash> path_at_;
    // The last path looked up: a symbol's rows come object by object.
    std::string_view last_path_;
    std::uint32_t last_path_index_ = 0;
};

}  // namespace sizebudget

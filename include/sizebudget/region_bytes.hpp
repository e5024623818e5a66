#pragma once
// Bytes (or byte changes) of one row per memory region, by the region's index in its list.
// Sparse: a row sits in one or two regions of however many the map declares (an ESP32 map has
// twenty, a hostile one ten thousand), and a dense array per row would cost rows × regions.
// The one or two entries most rows have (a function in FLASH; a variable in RAM and its load
// image in FLASH) are kept inline: rows are made by the million (item_rows.hpp), and a heap
// block each would cost more than the row.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
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

    RegionValues() noexcept : inline_{} {}
    // From values of every region in order, zeros left out: {0, 120} is 120 bytes in region 1.
    RegionValues(std::initializer_list<Value> dense) : inline_{} {
        std::uint32_t region = 0;
        for (Value v : dense) {
            if (v != 0) at(region) = v;
            ++region;
        }
    }
    RegionValues(const RegionValues& other) : inline_{} { copy_from(other); }
    RegionValues(RegionValues&& other) noexcept : inline_{} { take_from(other); }
    RegionValues& operator=(const RegionValues& other) {
        if (this != &other) {
            release();
            copy_from(other);
        }
        return *this;
    }
    RegionValues& operator=(RegionValues&& other) noexcept {
        if (this != &other) {
            release();
            take_from(other);
        }
        return *this;
    }
    ~RegionValues() { release(); }

    // 0 for a region the row is not in.
    Value operator[](std::size_t region) const noexcept {
        const Entry* e = find(region);
        return e != end() && e->region == region ? e->value : Value{};
    }

    // The row's entry for `region`, made (as 0) on first use. Rows mostly gain regions in
    // increasing order, so the last entry is tried first.
    Value& at(std::size_t region) {
        if (size_ > 0 && data()[size_ - 1].region == region) return data()[size_ - 1].value;
        const std::size_t i = size_ == 0 || data()[size_ - 1].region < region
                                  ? size_
                                  : static_cast<std::size_t>(find(region) - begin());
        if (i < size_ && data()[i].region == region) return data()[i].value;
        insert(i, Entry{static_cast<std::uint32_t>(region), Value{}});
        return data()[i].value;
    }

    // Adds another row's values, region by region. Unchecked: callers add rows of one Totals,
    // whose sums compute_totals() has checked.
    void add(const RegionValues& other) {
        for (const Entry& e : other) at(e.region) += e.value;
    }

    // Region numbers replaced by `to[number]`: a snapshot's rows may name regions before the
    // document says in which order they come.
    void renumber(const std::vector<std::uint32_t>& to) {
        for (Entry* e = data(); e != data() + size_; ++e) e->region = to[e->region];
        std::sort(data(), data() + size_, [](const Entry& a, const Entry& b) { return a.region < b.region; });
    }

    bool empty() const noexcept { return size_ == 0; }
    const Entry* begin() const noexcept { return data(); }
    const Entry* end() const noexcept { return data() + size_; }
    bool operator==(const RegionValues& other) const { return std::equal(begin(), end(), other.begin(), other.end()); }

private:
    // Where the entries are: inline while there are at most two.
    static constexpr std::uint32_t inline_capacity = 2;
    Entry* data() noexcept { return capacity_ == 0 ? inline_ : many_; }
    const Entry* data() const noexcept { return capacity_ == 0 ? inline_ : many_; }

    // The first entry at or past `region` (entries are sorted by region).
    const Entry* find(std::size_t region) const noexcept {
        return std::lower_bound(begin(), end(), region, [](const Entry& e, std::size_t r) { return e.region < r; });
    }

    void insert(std::size_t i, Entry e) {
        if (size_ == (capacity_ == 0 ? inline_capacity : capacity_)) {
            const std::uint32_t grown = 2 * (capacity_ == 0 ? inline_capacity : capacity_);
            Entry* heap = new Entry[grown];
            std::memcpy(static_cast<void*>(heap), data(), size_ * sizeof(Entry));
            release();
            many_ = heap;
            capacity_ = grown;
        }
        Entry* d = data();
        std::memmove(static_cast<void*>(d + i + 1), d + i, (size_ - i) * sizeof(Entry));
        d[i] = e;
        ++size_;
    }

    void release() noexcept {
        if (capacity_ != 0) delete[] many_;
        inline_[0] = inline_[1] = {};
        capacity_ = 0;
        // size_ is left to the caller: release() empties the storage, not the count, when the
        // inline entries move to the heap.
    }
    void copy_from(const RegionValues& other) {
        size_ = 0;
        for (const Entry& e : other) insert(size_, e);
    }
    void take_from(RegionValues& other) noexcept {
        if (other.capacity_ == 0) {
            inline_[0] = other.inline_[0];
            inline_[1] = other.inline_[1];
        } else {
            many_ = other.many_;
        }
        size_ = other.size_;
        capacity_ = other.capacity_;
        other.inline_[0] = other.inline_[1] = {};
        other.size_ = other.capacity_ = 0;
    }

    union {
        Entry inline_[inline_capacity];
        Entry* many_;
    };
    std::uint32_t size_ = 0;      // entries
    std::uint32_t capacity_ = 0;  // 0: at most inline_capacity entries, kept in inline_
};

using RegionBytes = RegionValues<std::uint64_t>;
using RegionDeltas = RegionValues<std::int64_t>;

}  // namespace sizebudget

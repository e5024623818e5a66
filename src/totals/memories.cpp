// Memory types (memories.hpp): the built-in ESP chips, and what a link puts in each type.
#include "sizebudget/memories.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace sizebudget {

namespace {

// From ../shared/reference/esp-memory-types.md (esp-idf-size 2.2.1's per-chip address maps):
// chip, memory type, range [start, end), alias range [start, end) or 0, 0.
struct EspRow {
    std::string_view chip, type;
    Address start, end, alias_start, alias_end;
};
constexpr EspRow esp_rows[] = {
    {"esp32", "DRAM", 0x3ffae000, 0x40000000, 0, 0},
    {"esp32", "IRAM", 0x40070000, 0x400c0000, 0, 0},
    {"esp32", "Flash Code", 0x400c2000, 0x40c00000, 0, 0},
    {"esp32", "Flash Data", 0x3f400000, 0x3f800000, 0, 0},
    {"esp32", "SPI DRAM", 0x3f800000, 0x3fc00000, 0, 0},
    {"esp32", "RTC FAST", 0x3ff80000, 0x3ff82000, 0x400c0000, 0x400c2000},
    {"esp32", "RTC SLOW", 0x50000000, 0x50002000, 0, 0},
    {"esp32c2", "DIRAM", 0x3fca0000, 0x3fce0000, 0x40380000, 0x403c0000},
    {"esp32c2", "IRAM", 0x4037c000, 0x40380000, 0, 0},
    {"esp32c2", "Flash Code", 0x42000000, 0x42400000, 0, 0},
    {"esp32c2", "Flash Data", 0x3c000000, 0x3c400000, 0, 0},
    {"esp32c3", "DRAM", 0x3fc80000, 0x3fce0000, 0x40380000, 0x403e0000},
    {"esp32c3", "IRAM", 0x4037c000, 0x40380000, 0, 0},
    {"esp32c3", "Flash Code", 0x42000000, 0x42800000, 0, 0},
    {"esp32c3", "Flash Data", 0x3c000000, 0x3c800000, 0, 0},
    {"esp32c3", "RTC SLOW", 0x50000000, 0x50002000, 0, 0},
    {"esp32c5", "HP SRAM", 0x40800000, 0x40860000, 0, 0},
    {"esp32c5", "Flash", 0x42000000, 0x44000000, 0, 0},
    {"esp32c5", "CACHE_D", 0x42000000, 0x44000000, 0, 0},
    {"esp32c5", "External RAM", 0x42000000, 0x44000000, 0, 0},
    {"esp32c5", "LP SRAM", 0x50000000, 0x50004000, 0, 0},
    {"esp32c6", "DIRAM", 0x40800000, 0x40880000, 0, 0},
    {"esp32c6", "Flash Code", 0x42000000, 0x43000000, 0, 0},
    {"esp32c6", "Flash Data", 0x42000000, 0x43000000, 0, 0},
    {"esp32c6", "LP SRAM", 0x50000000, 0x50004000, 0, 0},
    {"esp32c61", "DIRAM", 0x40800000, 0x40850000, 0, 0},
    {"esp32c61", "Flash Code", 0x42000000, 0x44000000, 0, 0},
    {"esp32c61", "Flash Data", 0x42000000, 0x44000000, 0, 0},
    {"esp32c61", "External RAM", 0x42000000, 0x44000000, 0, 0},
    {"esp32c61", "LP SRAM", 0x50000000, 0x50004000, 0, 0},
    {"esp32h2", "DIRAM", 0x40800000, 0x40850000, 0, 0},
    {"esp32h2", "Flash Code", 0x42000000, 0x43000000, 0, 0},
    {"esp32h2", "Flash Data", 0x42000000, 0x43000000, 0, 0},
    {"esp32h2", "LP SRAM", 0x50000000, 0x50001000, 0, 0},
    {"esp32h21", "DIRAM", 0x40800000, 0x40850000, 0, 0},
    {"esp32h21", "Flash", 0x42000000, 0x43000000, 0, 0},
    {"esp32h21", "LP SRAM", 0x50000000, 0x50001000, 0, 0},
    {"esp32h4", "DIRAM", 0x40808000, 0x40868000, 0, 0},
    {"esp32h4", "Flash", 0x42000020, 0x44000020, 0, 0},
    {"esp32h4", "External RAM", 0x42000020, 0x44000020, 0, 0},
    {"esp32p4", "DIRAM", 0x4ff00000, 0x4ffc0000, 0, 0},
    {"esp32p4", "Flash", 0x40000000, 0x44000000, 0, 0},
    {"esp32p4", "CACHE_D_1", 0x40000000, 0x44000000, 0, 0},
    {"esp32p4", "External RAM", 0x48000000, 0x4c000000, 0, 0},
    {"esp32p4", "CACHE_D_2", 0x48000000, 0x4c000000, 0, 0},
    {"esp32p4", "HP core RAM", 0x30100000, 0x30102000, 0, 0},
    {"esp32p4", "LP RAM", 0x50108000, 0x50110000, 0, 0},
    {"esp32s2", "DIRAM", 0x3ffb2000, 0x40000000, 0x40022000, 0x40070000},
    {"esp32s2", "Flash Data", 0x3f000000, 0x3f400000, 0, 0},
    {"esp32s2", "SPI DRAM", 0x3f500000, 0x3ff80000, 0, 0},
    {"esp32s2", "Flash Code", 0x40080000, 0x40800000, 0, 0},
    {"esp32s2", "RTC FAST", 0x40070000, 0x40072000, 0x3ff9e000, 0x3ffa0000},
    {"esp32s2", "RTC SLOW", 0x50000000, 0x50002000, 0, 0},
    {"esp32s3", "IRAM", 0x40370000, 0x40378000, 0, 0},
    {"esp32s3", "DIRAM", 0x3fc88000, 0x3fcf0000, 0x40378000, 0x403e0000},
    {"esp32s3", "DRAM", 0x3fcf0000, 0x3fd00000, 0, 0},
    {"esp32s3", "Flash Code", 0x42000000, 0x44000000, 0, 0},
    {"esp32s3", "Flash Data", 0x3c000000, 0x3e000000, 0, 0},
    {"esp32s3", "External RAM", 0x3c000000, 0x3e000000, 0, 0},
    {"esp32s3", "RTC FAST", 0x3ff80000, 0x3ff82000, 0x600fe000, 0x60100000},
    {"esp32s3", "RTC SLOW", 0x50000000, 0x50002000, 0, 0},
    {"esp32s31", "DIRAM", 0x2f000000, 0x2f080000, 0, 0},
    {"esp32s31", "Flash", 0x40000000, 0x44000000, 0, 0},
    {"esp32s31", "External RAM", 0x50000000, 0x54000000, 0, 0},
    {"esp32s31", "LP SRAM", 0x2e000000, 0x2e008000, 0, 0},
};

bool covered(Address from, Address to, std::vector<AddressRange> ranges) {
    std::sort(ranges.begin(), ranges.end(), [](const AddressRange& a, const AddressRange& b) { return a.start < b.start; });
    for (const AddressRange& r : ranges) {
        if (r.start > from) return false;
        if (r.end() > from) from = r.end();
        if (from >= to) return true;
    }
    return from >= to;
}

// Sum of the lengths of the union of [start, end) intervals.
std::uint64_t union_length(std::vector<std::pair<Address, Address>> v) {
    std::sort(v.begin(), v.end());
    std::uint64_t total = 0;
    Address at = 0;
    bool open = false;
    for (auto [from, to] : v) {
        if (open && from < at) from = at;
        if (to > from) {
            total += to - from;
            at = to;
            open = true;
        }
    }
    return total;
}

// The parts of [from, to) that lie in `t`, each as an interval of its primary ranges (an alias
// folded onto the range it shows).
void fold_into(const MemoryType& t, Address from, Address to, std::vector<std::pair<Address, Address>>& out) {
    for (std::size_t i = 0; i < t.ranges.size(); ++i) {
        const AddressRange& r = t.ranges[i];
        if (Address a = std::max(from, r.start), b = std::min(to, r.end()); a < b) out.emplace_back(a, b);
        if (i < t.aliases.size()) {
            const AddressRange& al = t.aliases[i];
            if (Address a = std::max(from, al.start), b = std::min(to, al.end()); a < b)
                out.emplace_back(a - al.start + r.start, b - al.start + r.start);
        }
    }
}

bool holds(const MemoryType& t, Address at) {
    for (const AddressRange& r : t.ranges)
        if (at >= r.start && at < r.end()) return true;
    for (const AddressRange& r : t.aliases)
        if (at >= r.start && at < r.end()) return true;
    return false;
}

}  // namespace

std::vector<MemoryType> esp_memory_types(std::string_view chip) {
    std::vector<MemoryType> out;
    for (const EspRow& row : esp_rows) {
        if (row.chip != chip) continue;
        // Types with the same name on one chip are one memory.
        auto it = std::find_if(out.begin(), out.end(), [&](const MemoryType& t) { return t.name == row.type; });
        if (it == out.end()) it = out.insert(out.end(), MemoryType{std::string(row.type), {}, {}});
        it->ranges.push_back({row.start, row.end - row.start});
        if (row.alias_end > row.alias_start) {
            it->aliases.resize(it->ranges.size() - 1);
            it->aliases.push_back({row.alias_start, row.alias_end - row.alias_start});
        }
    }
    return out;
}

std::string esp_chip_display_name(std::string_view chip) {
    std::string out = "ESP32";
    if (chip.size() > 5) {
        out += '-';
        for (char c : chip.substr(5)) out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return out;
}

std::optional<std::string> detect_esp_chip(const LinkMap& map, std::string* why) {
    std::vector<std::string_view> chips;
    for (const EspRow& row : esp_rows)
        if (std::find(chips.begin(), chips.end(), row.chip) == chips.end()) chips.push_back(row.chip);
    std::vector<std::string_view> fitting;
    std::size_t regions = 0;
    for (std::string_view chip : chips) {
        std::vector<AddressRange> all;
        for (const MemoryType& t : esp_memory_types(chip)) {
            all.insert(all.end(), t.ranges.begin(), t.ranges.end());
            all.insert(all.end(), t.aliases.begin(), t.aliases.end());
        }
        bool fits = true;
        regions = 0;
        for (const MemoryRegion& r : map.regions) {
            if (r.length == 0 || r.name == "*default*") continue;
            ++regions;
            fits = fits && covered(r.origin, r.end(), all);
        }
        if (fits && regions > 0) fitting.push_back(chip);
    }
    if (fitting.size() == 1) return std::string(fitting.front());
    if (why != nullptr)
        *why = fitting.empty() ? std::string("its memory regions fit no ESP chip sizebudget knows")
                               : fmt::format("its memory regions fit several ESP chips ({})", fmt::join(fitting, ", "));
    return std::nullopt;
}

std::vector<MemoryUsage> memory_usage(const LinkMap& map, const std::vector<MemoryType>& types) {
    std::vector<std::vector<std::pair<Address, Address>>> used(types.size()), size(types.size());
    for (std::size_t k = 0; k < types.size(); ++k)
        for (const MemoryRegion& r : map.regions)
            if (r.length > 0 && r.name != "*default*") fold_into(types[k], r.origin, r.end(), size[k]);
    for (const OutputSection& s : map.sections) {
        if (!s.allocated || s.reserved || s.size == 0) continue;
        // The type that holds the section: where several hold its start, the one its name
        // suits (code in "... Code", external RAM's sections in "External RAM"), else the first.
        std::size_t best = types.size();
        const bool code = s.name.find("text") != std::string_view::npos;
        const bool external = s.name.find("ext_ram") != std::string_view::npos;
        auto suits = [&](const MemoryType& t) {
            return (t.name.find("Code") != std::string::npos) == code &&
                   (t.name.find("External") != std::string::npos) == external;
        };
        for (std::size_t k = 0; k < types.size(); ++k) {
            if (!holds(types[k], s.address)) continue;
            if (best == types.size() || (suits(types[k]) && !suits(types[best]))) best = k;
        }
        if (best == types.size()) continue;
        // A section may run on into the next type (ESP32-S3's IRAM into DIRAM): split it.
        for (std::size_t k = 0; k < types.size(); ++k) {
            if (k != best && holds(types[k], s.address)) continue;  // another type sharing this range
            fold_into(types[k], s.address, s.address + s.size, used[k]);
        }
    }
    std::vector<MemoryUsage> out;
    for (std::size_t k = 0; k < types.size(); ++k) {
        MemoryUsage u;
        u.name = types[k].name;
        u.used = union_length(std::move(used[k]));
        u.size = union_length(std::move(size[k]));
        // A map without regions (ld.lld's): the memory's whole range.
        if (map.regions.empty())
            for (const AddressRange& r : types[k].ranges) u.size += r.length;
        // Memories the link does not use: no region reaches them, or they are another name for
        // the ranges of a type listed before (esp32p4's CACHE_D_1 is its Flash).
        const bool same_as_earlier = std::any_of(types.begin(), types.begin() + static_cast<std::ptrdiff_t>(k), [&](const MemoryType& t) {
            return t.ranges.size() == types[k].ranges.size() &&
                   std::equal(t.ranges.begin(), t.ranges.end(), types[k].ranges.begin(),
                              [](const AddressRange& a, const AddressRange& b) { return a.start == b.start && a.length == b.length; });
        });
        if (u.used == 0 && (u.size == 0 || same_as_earlier)) continue;
        out.push_back(std::move(u));
    }
    return out;
}

}  // namespace sizebudget

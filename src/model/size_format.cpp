#include "sizebudget/size_format.hpp"

#include <cstdlib>

#include <fmt/format.h>

namespace sizebudget {

std::string human_size(std::uint64_t bytes) {
    if (bytes < 1024) return fmt::format("{} B", bytes);
    static constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes) / 1024.0;
    int u = 0;
    while (v >= 1024.0 && u < 3) {
        v /= 1024.0;
        ++u;
    }
    // Three significant digits, as a reviewer reads them: 1.23 KiB, 21.9 KiB, 512 KiB.
    if (v < 9.995) return fmt::format("{:.2f} {}", v, units[u]);
    if (v < 99.95) return fmt::format("{:.1f} {}", v, units[u]);
    return fmt::format("{:.0f} {}", v, units[u]);
}

std::string human_delta(std::int64_t bytes) {
    if (bytes == 0) return "0 B";
    std::uint64_t magnitude = bytes < 0 ? static_cast<std::uint64_t>(-(bytes + 1)) + 1
                                        : static_cast<std::uint64_t>(bytes);
    return fmt::format("{}{}", bytes < 0 ? '-' : '+', human_size(magnitude));
}

// Mirrors lang_print_memory_size() in binutils' ld/ldlang.c so the table reads like ld's own.
std::string ld_size_column(std::uint64_t sz) {
    if ((sz & 0x3fffffff) == 0) return fmt::format("{:>10} GB", sz >> 30);
    if ((sz & 0xfffff) == 0) return fmt::format("{:>10} MB", sz >> 20);
    if ((sz & 0x3ff) == 0) return fmt::format("{:>10} KB", sz >> 10);
    return fmt::format("{:>11} B", sz);  // one digit wider, so the unit letters line up
}

std::string ld_percent_column(std::uint64_t used, std::uint64_t length) {
    if (length == 0) return {};
    double percent = static_cast<double>(used) * 100.0 / static_cast<double>(length);
    return fmt::format("    {:6.2f}%", percent);
}

}  // namespace sizebudget

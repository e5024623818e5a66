#include <array>

#include <fmt/format.h>

#include "sizebudget/report.hpp"
#include "sizebudget/size_format.hpp"

namespace sizebudget {

namespace {
constexpr std::array<std::string_view, 6> names = {"region", "section", "archive", "object", "symbol", "crate"};
}

std::optional<Breakdown> parse_breakdown(std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<Breakdown>(i);
    return std::nullopt;
}

std::string_view breakdown_name(Breakdown b) { return names[static_cast<std::size_t>(b)]; }

const ItemRows& breakdown_items(const Totals& totals, Breakdown by) {
    switch (by) {
    case Breakdown::section: return totals.sections;
    case Breakdown::object: return totals.objects;
    case Breakdown::symbol: return totals.symbols;
    case Breakdown::crate: return totals.crates;
    case Breakdown::archive:
    case Breakdown::region: break;
    }
    return totals.archives;
}

std::string memory_usage_table(const Totals& totals, bool linker_figures) {
    std::string out = "Memory region         Used Size  Region Size  %age Used\n";
    for (const RegionUsage& r : totals.regions) {
        std::uint64_t used = linker_figures ? r.linker_used : r.used;
        fmt::format_to(std::back_inserter(out), "{:>16}: {}{}{}\n", r.name, ld_size_column(used),
                       ld_size_column(r.length), ld_percent_column(used, r.length));
    }
    return out;
}

}  // namespace sizebudget

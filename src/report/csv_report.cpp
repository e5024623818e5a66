// One breakdown as CSV (RFC 4180 quoting) for spreadsheets and scripts.
#include <fmt/format.h>

#include "sizebudget/demangle.hpp"
#include "sizebudget/report.hpp"

namespace sizebudget {

namespace {

std::string quoted(std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
    std::string out = "\"";
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string csv_report(const LinkMap&, const Totals& t, const ReportOptions& options) {
    std::string s;
    auto out = std::back_inserter(s);
    if (options.by == Breakdown::region) {
        s += "name,origin,length,used,linker_used\n";
        for (const RegionUsage& r : t.regions)
            fmt::format_to(out, "{},{},{},{},{}\n", quoted(r.name), r.origin, r.length, r.used, r.linker_used);
        return s;
    }
    const bool symbols = options.by == Breakdown::symbol;
    s += symbols ? "name,demangled,object,size" : "name,path,size";
    for (const RegionUsage& r : t.regions) s += "," + quoted(r.name);
    s += "\n";
    const ItemRows& items = breakdown_items(t, options.by);
    std::size_t n = options.top == 0 ? items.size() : std::min(options.top, items.size());
    for (std::size_t i = 0; i < n; ++i) {
        const ItemSize& item = items[i];
        s += quoted(item.name);
        if (symbols) s += "," + quoted(demangle(item.name));
        fmt::format_to(out, ",{},{}", quoted(item.path), item.size);
        for (std::size_t r = 0; r < t.regions.size(); ++r) fmt::format_to(out, ",{}", item.regions[r]);
        s += "\n";
    }
    return s;
}

}  // namespace sizebudget

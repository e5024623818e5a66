#include "sizebudget/totals_json.hpp"

namespace sizebudget {

nlohmann::ordered_json region_usage_json(const RegionUsage& r) {
    nlohmann::ordered_json o;
    o["name"] = r.name;
    o["origin"] = r.origin;
    o["length"] = r.length;
    o["used"] = r.used;
    o["linker_used"] = r.linker_used;
    o["reserved"] = r.reserved;
    return o;
}

nlohmann::ordered_json aliases_json(const ItemSize& item) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::string_view name : aliases_of(item)) out.push_back(name);
    return out;
}

nlohmann::ordered_json region_bytes_json(const Totals& t, const ItemSize& item) {
    return per_region_json(item.regions, [&](std::size_t r) -> const std::string& { return t.regions[r].name; });
}

}  // namespace sizebudget

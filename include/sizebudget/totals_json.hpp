#pragma once
// The JSON of totals that the report (json_report.cpp) and the snapshot (snapshot.cpp) both
// write, so the two documents describe a region and an item's bytes the same way.
#include <string>

#include <nlohmann/json.hpp>

#include "sizebudget/totals.hpp"

namespace sizebudget {

// {"name", "origin", "length", "used", "linker_used"}
nlohmann::ordered_json region_usage_json(const RegionUsage& r);
// {"FLASH": 1234, ...}: the item's bytes per region of `t`, regions without any left out.
nlohmann::ordered_json region_bytes_json(const Totals& t, const ItemSize& item);
// ["alias", ...]: a symbol's other names (ItemSize::aliases).
nlohmann::ordered_json aliases_json(const ItemSize& item);

// {"FLASH": 1234, ...} from a row's per-region values (RegionValues) and the name of each region
// index, zeros left out. Names are unique, so entries are appended without the ordered map's
// search for each key, which is quadratic in a row that spans thousands of regions.
template <typename Values, typename NameOf>
nlohmann::ordered_json per_region_json(const Values& values, NameOf&& name_of) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    auto& entries = static_cast<nlohmann::ordered_json::object_t::Container&>(
        out.get_ref<nlohmann::ordered_json::object_t&>());
    for (const auto& [region, value] : values)
        if (value != 0) entries.emplace_back(std::string(name_of(region)), value);
    return out;
}

}  // namespace sizebudget

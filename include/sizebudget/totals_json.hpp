#pragma once
// The JSON of totals that the report (json_report.cpp) and the snapshot (snapshot.cpp) both
// write, so the two documents describe a region and an item's bytes the same way.
#include <nlohmann/json.hpp>

#include "sizebudget/totals.hpp"

namespace sizebudget {

// {"name", "origin", "length", "used", "linker_used"}
nlohmann::ordered_json region_usage_json(const RegionUsage& r);
// {"FLASH": 1234, ...}: the item's bytes per region of `t`, regions without any left out.
nlohmann::ordered_json region_bytes_json(const Totals& t, const ItemSize& item);
// ["alias", ...]: a symbol's other names (ItemSize::aliases).
nlohmann::ordered_json aliases_json(const ItemSize& item);

}  // namespace sizebudget

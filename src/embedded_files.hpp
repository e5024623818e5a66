#pragma once
// Files the executable carries, embedded at build time by src/embed_files.cmake.
#include <string_view>

namespace sizebudget::embedded {

// The HTML report's page (src/report/html/) and d3-hierarchy's treemap layout; d3_hierarchy is
// empty when sizebudget was built without it.
extern const std::string_view d3_hierarchy;
extern const std::string_view page_css;
extern const std::string_view page_js;
// The built-in hint rules (budgets/hints/size-traps.json).
extern const std::string_view size_traps;

}  // namespace sizebudget::embedded

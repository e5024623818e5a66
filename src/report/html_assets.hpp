#pragma once
// The page's script and style sheet and d3-hierarchy, embedded at build time
// (src/report/html/embed.cmake writes html_assets.cpp from the files).
#include <string_view>

namespace sizebudget::html_assets {

extern const std::string_view d3_hierarchy;  // empty when built without d3-hierarchy
extern const std::string_view page_css;
extern const std::string_view page_js;

}  // namespace sizebudget::html_assets

#pragma once
#include <string>
#include <string_view>

namespace sizebudget {

// C++ (Itanium) and legacy Rust symbol names as people read them; other names unchanged.
std::string demangle(std::string_view symbol);

}  // namespace sizebudget

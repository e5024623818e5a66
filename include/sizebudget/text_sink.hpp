#pragma once
// Where a writer puts text it makes piece by piece: an OutputFile (output_file.hpp), or a string
// that collects it. A report of two million symbol rows is larger than the map it comes from,
// and is never held whole.
#include <functional>
#include <string_view>

namespace sizebudget {

using TextSink = std::function<void(std::string_view)>;

}  // namespace sizebudget

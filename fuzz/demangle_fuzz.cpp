// libFuzzer target: demangle() on arbitrary names. It never throws; a crash, a sanitizer report,
// a result beyond the 64 KiB bound or a slow input (libFuzzer's -timeout) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sizebudget/demangle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view name(reinterpret_cast<const char*>(data), size);
    // Every name reads as "_Z..." or "_R..." as often as not, so the demanglers are reached.
    const std::string text = sizebudget::demangle(name);
    if (text.size() > 64 * 1024 + name.size()) std::abort();
    return 0;
}

// libFuzzer target: parse_lld_map() then finish_map() on arbitrary bytes, and the
// invariants of an accepted map (accepted_map.hpp). Error is the only
// acceptable way to reject input; any other exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "accepted_map.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/line_reader.hpp"
#include "sizebudget/map_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        sizebudget::LineReader in("fuzz.map", text);
        sizebudget::LinkMap map = sizebudget::parse_lld_map(in);
        sizebudget::finish_map(map);
        sizebudget::fuzz::check_accepted(map);
    } catch (const sizebudget::Error&) {
    }
    return 0;
}

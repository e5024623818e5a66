// libFuzzer target: parse_snapshot() on arbitrary bytes, and a diff of what it accepts with
// itself. Error is the only acceptable way to reject input; any other exception, a crash or a
// sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sizebudget/error.hpp"
#include "sizebudget/size_diff.hpp"
#include "sizebudget/snapshot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        sizebudget::Snapshot s = sizebudget::parse_snapshot(text, "fuzz.json");
        (void)sizebudget::diff_snapshots(s, s);
        (void)sizebudget::snapshot_to_json(s);
    } catch (const sizebudget::Error&) {
    }
    return 0;
}

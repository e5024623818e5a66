// libFuzzer target: parse_budget() on arbitrary bytes. Error is the only acceptable way to reject
// input; any other exception (yaml-cpp's included), a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sizebudget/budget.hpp"
#include "sizebudget/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        sizebudget::BudgetFile budget = sizebudget::parse_budget(text, "fuzz.yaml");
        (void)budget.declared_regions();
    } catch (const sizebudget::Error&) {
    }
    return 0;
}

// libFuzzer target: parse_linker_script() on arbitrary bytes. Error is the only acceptable way to
// reject input; any other exception, a crash or a sanitizer report is a finding. INCLUDE resolves
// against a directory that does not exist, so the fuzzer never reads real files.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sizebudget/error.hpp"
#include "sizebudget/linker_script.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        sizebudget::parse_linker_script("fuzz.ld", text, "/nonexistent-sizebudget-fuzz-dir");
    } catch (const sizebudget::Error&) {
    }
    return 0;
}

#include "sizebudget/demangle.hpp"

#include <cstdlib>
#include <cxxabi.h>
#include <memory>

namespace sizebudget {

namespace {

bool is_hex_hash(std::string_view s) {
    if (s.size() != 17 || s[0] != 'h') return false;
    for (char c : s.substr(1))
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

std::string demangle(std::string_view symbol) {
    if (!symbol.starts_with("_Z")) return std::string(symbol);
    std::string name(symbol);
    int status = 0;
    std::unique_ptr<char, decltype(&std::free)> out(
        abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status), &std::free);
    if (status != 0 || !out) return name;
    std::string result(out.get());
    // Legacy Rust mangling demangles to "path::to::fn::h0123456789abcdef"; the hash is noise.
    if (auto pos = result.rfind("::"); pos != std::string::npos && is_hex_hash(std::string_view(result).substr(pos + 2)))
        result.erase(pos);
    return result;
}

}  // namespace sizebudget

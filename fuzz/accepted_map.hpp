#pragma once
// What must hold for every map a parser accepted, whatever its bytes: the fuzz targets trap when
// it does not, so a confident wrong total is a finding like a crash.
#include <cstdint>
#include <vector>

#include "sizebudget/link_map.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget::fuzz {

inline std::uint64_t sum(const ItemRows& rows) {
    std::uint64_t total = 0;
    for (const ItemSize& r : rows) total += r.size;
    return total;
}

inline void check_accepted(const LinkMap& map) {
    // Every byte of every allocated section is attributed exactly once, in address order.
    for (const OutputSection& s : map.sections) {
        if (!s.allocated) continue;
        Address cursor = s.address;
        for (const InputSection& in : map.inputs_of(s)) {
            if (in.size == 0) continue;
            if (in.address != cursor) __builtin_trap();
            cursor += in.size;
        }
        if (cursor != s.address + s.size) __builtin_trap();
    }
    // Each breakdown adds up to the allocated bytes. (Not the symbols: aliases at one address
    // each count the whole extent.)
    Totals t = compute_totals(map);
    if (sum(t.sections) != t.allocated || sum(t.archives) != t.allocated || sum(t.objects) != t.allocated)
        __builtin_trap();
}

}  // namespace sizebudget::fuzz

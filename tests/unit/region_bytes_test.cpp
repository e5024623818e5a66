// RegionBytes: sparse per-region values of a row, two entries inline.
#include <doctest/doctest.h>

#include <utility>

#include "sizebudget/region_bytes.hpp"

using namespace sizebudget;

TEST_CASE("region bytes: entries in region order, whatever order they come in") {
    RegionBytes b;
    CHECK(b.empty());
    CHECK(b[7] == 0);
    b.at(5) += 50;  // inline
    b.at(2) += 20;  // inline, before the first
    b.at(9) += 90;  // onto the heap
    b.at(5) += 1;
    b.at(0) += 1;
    std::vector<std::uint32_t> regions;
    for (const auto& e : b) regions.push_back(e.region);
    CHECK(regions == std::vector<std::uint32_t>{0, 2, 5, 9});
    CHECK(b[5] == 51);
    CHECK(b[2] == 20);
    CHECK(b[3] == 0);
    CHECK(sizeof(RegionBytes) == 40);  // no heap block for one or two regions
}

TEST_CASE("region bytes: copies and moves keep every entry, inline or not") {
    for (int n : {0, 1, 2, 3, 5, 40}) {
        CAPTURE(n);
        RegionBytes a;
        for (int i = 0; i < n; ++i) a.at(static_cast<std::size_t>(3 * i)) = static_cast<std::uint64_t>(i + 1);
        RegionBytes copy = a;
        CHECK(copy == a);
        RegionBytes assigned{1, 2, 3};
        assigned = a;
        CHECK(assigned == a);
        RegionBytes moved = std::move(copy);
        CHECK(moved == a);
        CHECK(copy.empty());
        RegionBytes target{9};
        target = std::move(moved);
        CHECK(target == a);
        target.add(a);
        if (n > 0) CHECK(target[static_cast<std::size_t>(3 * (n - 1))] == 2 * static_cast<std::uint64_t>(n));
    }
    CHECK(RegionBytes{0, 120} == RegionBytes{0, 120, 0});
    CHECK_FALSE(RegionBytes{0, 120} == RegionBytes{120});
}

TEST_CASE("region bytes: renumbered rows are sorted again") {
    RegionBytes b;
    b.at(0) = 10;
    b.at(1) = 11;
    b.at(2) = 12;
    b.renumber({2, 0, 1});
    CHECK(b[2] == 10);
    CHECK(b[0] == 11);
    CHECK(b[1] == 12);
    CHECK(b.begin()->region == 0);
}

// ItemRows: rows kept compactly read back exactly as they were given, whatever their regions.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/item_rows.hpp"

using namespace sizebudget;

namespace {

ItemSize row(std::string_view name, std::string_view path, std::uint64_t size, RegionBytes regions) {
    ItemSize r;
    r.name = name;
    r.path = path;
    r.size = size;
    r.regions = std::move(regions);
    return r;
}

void check_same(const ItemSize& got, const ItemSize& want) {
    CHECK(got.name == want.name);
    CHECK(got.path == want.path);
    CHECK(got.size == want.size);
    CHECK(got.regions == want.regions);
    CHECK(got.id == want.id);
    CHECK(got.address == want.address);
    CHECK(got.aliases == want.aliases);
}

}  // namespace

TEST_CASE("item rows: every shape of regions reads back as given") {
    ItemSize many = row("many", "p/a.o", 30, {});
    for (std::uint32_t r = 0; r < 5; ++r) many.regions.at(r) = 6;
    ItemSize far = row("far", "", 7, {});
    far.regions.at(70000) = 7;  // beyond what a row keeps inline
    ItemSize alias = row("f", "p/a.o", 8, {8});
    alias.address = 0x08000100;
    alias.aliases = "g\nh";
    alias.id = "f (a.o)";
    const std::vector<ItemSize> given = {
        row("code", "p/a.o", 100, {100}),             // one region
        row("data", "p/a.o", 16, {16, 16}),           // run and load region
        row("split", "p/b.o", 30, {10, 20}),          // bytes split unevenly
        row("nowhere", "", 5, {}),                    // in no region
        row("zero", "p/b.o", 0, {}),
        many, far, alias,
    };
    ItemRows rows;
    for (const ItemSize& r : given) rows.push_back(r);
    REQUIRE(rows.size() == given.size());
    for (std::size_t i = 0; i < given.size(); ++i) {
        CAPTURE(i);
        check_same(rows[i], given[i]);
        CHECK(rows.name(i) == given[i].name);
        CHECK(rows.path(i) == given[i].path);
        CHECK(rows.bytes(i) == given[i].size);
    }
    std::size_t n = 0;
    for (const ItemSize& r : rows) check_same(r, given[n++]);
    CHECK(n == given.size());
}

TEST_CASE("item rows: bytes added piece by piece land in their regions") {
    ItemRows rows;
    rows.push_back(row("x", "", 0, {}));
    CHECK(rows.add(0, 10, 1, 0));  // RAM, loaded from FLASH
    CHECK(rows.add(0, 6, 0, 1));   // the same two regions, the other way round
    CHECK(rows[0].regions == RegionBytes{16, 16});
    CHECK(rows.add(0, 4, 1, npos32));  // .bss: RAM only
    CHECK(rows[0].size == 20);
    CHECK(rows[0].regions == RegionBytes{16, 20});
    CHECK(rows.add(0, 5, 2, 2));  // run == load counts once
    CHECK(rows[0].regions == RegionBytes{16, 20, 5});
    CHECK(rows.add(0, 1, 70000, npos32));
    CHECK(rows[0].regions[70000] == 1);
    CHECK(rows[0].size == 26);
    // Past 64 bits: refused, nothing changed, even or not.
    CHECK_FALSE(rows.add(0, ~std::uint64_t{0}, 0, npos32));
    CHECK(rows[0].size == 26);
    rows.push_back(row("y", "", 0, {}));
    CHECK(rows.add(1, 7, 3, npos32));
    CHECK_FALSE(rows.add(1, ~std::uint64_t{0}, 3, npos32));
    CHECK(rows[1].size == 7);
    CHECK(rows[1].regions == RegionBytes{0, 0, 0, 7});
}

TEST_CASE("item rows: sorting, leaving out and renumbering keep each row whole") {
    ItemRows rows;
    const char* names[] = {"a", "b", "c", "d", "e"};
    for (std::uint64_t i = 0; i < 5; ++i) {
        ItemSize r = row(names[i], i % 2 ? "odd.o" : "even.o", 10 * (i % 3), {});
        r.regions.at(i % 2) = r.size;
        r.address = 100 + i;
        rows.push_back(r);
    }
    rows.set_id(3, "d-id");
    rows.set_aliases(4, "e2");
    rows.stable_sort([](const ItemRows& r, std::size_t a, std::size_t b) { return r.bytes(a) > r.bytes(b); });
    std::vector<std::string_view> order;
    for (std::size_t i = 0; i < rows.size(); ++i) order.push_back(rows.name(i));
    CHECK(order == std::vector<std::string_view>{"c", "b", "e", "a", "d"});  // 20, 10, 10, 0, 0
    CHECK(rows[4].id == "d-id");
    CHECK(rows[4].address == 103);
    CHECK(rows[2].aliases == "e2");
    CHECK(rows[2].regions[0] == 10);
    CHECK(rows[0].path == "even.o");
    rows.erase_if([&](std::size_t i) { return rows.bytes(i) == 0; });
    REQUIRE(rows.size() == 3);
    CHECK(rows[2].name == "e");
    CHECK(rows[2].id.empty());
    rows.renumber_regions({1, 0});
    CHECK(rows[0].regions[1] == 20);  // c was in region 0
    CHECK(rows[1].regions[0] == 10);  // b was in region 1
    rows.set_name(0, "c2");
    CHECK(rows[0].name == "c2");
    ItemSize replaced = rows[1];
    replaced.regions = {4, 6};
    rows.assign(1, replaced);
    CHECK(rows[1].regions == RegionBytes{4, 6});
    CHECK(rows[1].path == "odd.o");
}

TEST_CASE("item rows: largest first, ties by name then by index, across many sorted runs") {
    // 300,000 rows: more than four runs of the sort; few sizes, and names that share their first
    // eight bytes, are shorter than eight, or differ only in length, so every tie-break is used.
    std::vector<std::string> names;
    const char* stems[] = {"handler_", "handler", "h", "handler_uart_", "handler_i2c", "zeta", ""};
    for (int i = 0; i < 2000; ++i)
        names.push_back(std::string(stems[i % 7]) + (i % 3 == 0 ? "" : std::to_string(i % 97)));
    ItemRows rows;
    std::vector<std::uint32_t> expected;
    std::uint64_t seed = 88172645463325252ull;
    for (std::uint32_t i = 0; i < 300000; ++i) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        ItemSize r = row(names[seed % names.size()], "", 4 + (seed >> 20) % 6 * 4, {});
        r.address = i;  // which row it was
        rows.push_back(r);
        expected.push_back(i);
    }
    std::sort(expected.begin(), expected.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (rows.bytes(a) != rows.bytes(b)) return rows.bytes(a) > rows.bytes(b);
        if (int c = rows.name(a).compare(rows.name(b)); c != 0) return c < 0;
        return a < b;
    });
    rows.sort_largest_first();
    REQUIRE(rows.size() == expected.size());
    std::size_t wrong = 0;
    for (std::size_t k = 0; k < rows.size(); ++k) wrong += rows.address(k) != expected[k];
    CHECK(wrong == 0);
}

TEST_CASE("item rows: rows of their own paths keep them, beside rows that share theirs") {
    ItemRows rows;
    rows.push_back_own_path(row("a.o", "dir/a.o", 10, {10}));
    rows.push_back(row("main", "dir/a.o", 30, {}));  // found among the others' paths or stored
    rows.push_back_own_path(row("(fill)", "", 20, {}));
    rows.push_back_own_path(row("b.o", "dir/b.o", 40, {}));
    rows.push_back(row("helper", "dir/b.o", 5, {}));
    rows.sort_largest_first();
    REQUIRE(rows.size() == 5);
    const std::vector<std::pair<std::string_view, std::string_view>> want = {
        {"b.o", "dir/b.o"}, {"main", "dir/a.o"}, {"(fill)", ""}, {"a.o", "dir/a.o"}, {"helper", "dir/b.o"}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        CHECK(rows.name(i) == want[i].first);
        CHECK(rows.path(i) == want[i].second);
        CHECK(rows[i].path == want[i].second);
    }
    CHECK(rows[3].regions == RegionBytes{10});
}

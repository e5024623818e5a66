// Diffs: region deltas equal the differences of the linker's own figures, maps and snapshots
// give the same deltas, items are classified and sorted, reports are well-formed.
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "sizebudget/size_diff.hpp"
#include "sizebudget/snapshot.hpp"
#include "test_support.hpp"

using namespace sizebudget;

namespace {

struct Fixture {
    const char* name;
    const char* script;  // linker script for lld maps, else nullptr
};

constexpr Fixture fixtures[] = {
    {"cm4-nano", nullptr},       {"cm4-nano-lld", "src/cm4/cm4-nano-lld.ld"},
    {"overflow", nullptr},       {"at-expr", nullptr},
    {"lto", nullptr},            {"cxx-exceptions", nullptr},
    {"noload", nullptr},         {"nrf-flash0-debug", nullptr},
    {"riscv-sdata", nullptr},    {"riscv64-sdata", nullptr},
};

std::string map_path(const Fixture& f) {
    return (test::fixtures_dir() / f.name / (std::string(f.name) + ".map")).string();
}

ReadOptions options_for(const Fixture& f) {
    ReadOptions o;
    if (f.script) o.linker_script = (test::fixtures_dir() / f.script).string();
    return o;
}

Snapshot snap(const Fixture& f) { return load_snapshot_or_map(map_path(f), options_for(f)); }

// region name -> USED from expected.txt: the linker's own figure (see tests/fixtures/README.md).
std::map<std::string, std::uint64_t> expected_used(const Fixture& f) {
    std::map<std::string, std::uint64_t> out;
    std::istringstream in(test::read_file(test::fixtures_dir() / f.name / "expected.txt"));
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream w(line);
        std::string kind, name, origin;
        std::uint64_t length = 0, used = 0;
        if (w >> kind && kind == "region" && w >> name >> origin >> length >> used) out[name] = used;
    }
    return out;
}

std::string all_json(const SizeDiff& d) {
    std::string out;
    for (Breakdown b : {Breakdown::region, Breakdown::section, Breakdown::archive, Breakdown::object,
                        Breakdown::symbol}) {
        DiffReportOptions o;
        o.by = b;
        out += diff_json_report(d, o);
    }
    return out;
}

ItemSize item(std::string_view name, std::string_view path, std::uint64_t size) {  // string literals only
    return {name, path, size, {size}};
}

Snapshot synthetic(std::uint64_t used, std::vector<ItemSize> archives) {
    Snapshot s;
    s.map = "x.map";
    s.totals.regions.push_back({"FLASH", 0, 1000, used, used, {}});
    for (const ItemSize& a : archives) s.totals.archives.push_back(a);
    return s;
}

std::size_t count_cells(const std::string& row) {
    // Cells = unescaped pipes - 1 for a row written as "| a | b |".
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < row.size(); ++i)
        if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++pipes;
    return pipes - 1;
}

// Every table (consecutive lines starting with '|') has rows with as many cells as its header.
void check_tables(const std::string& md) {
    std::istringstream in(md);
    std::string line;
    std::size_t header_cells = 0, tables = 0;
    bool in_table = false;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] != '|') {
            in_table = false;
            continue;
        }
        if (!in_table) {
            in_table = true;
            header_cells = count_cells(line);
            ++tables;
        }
        CAPTURE(line);
        CHECK(count_cells(line) == header_cells);
    }
    CHECK(tables > 0);
}

}  // namespace

TEST_CASE("diff: region deltas equal the differences of the linker's figures") {
    for (const Fixture& a : fixtures) {
        for (const Fixture& b : fixtures) {
            CAPTURE(a.name);
            CAPTURE(b.name);
            SizeDiff d = diff_snapshots(snap(a), snap(b));
            auto ea = expected_used(a), eb = expected_used(b);
            for (const RegionDelta& r : d.regions) {
                CAPTURE(r.name);
                std::int64_t want = static_cast<std::int64_t>(eb.count(r.name) ? eb[r.name] : 0) -
                                    static_cast<std::int64_t>(ea.count(r.name) ? ea[r.name] : 0);
                CHECK(r.delta == want);
                CHECK(r.in_old == (ea.count(r.name) == 1));
                CHECK(r.in_new == (eb.count(r.name) == 1));
            }
        }
    }
    // The cases the issue names.
    SizeDiff lld = diff_snapshots(snap(fixtures[0]), snap(fixtures[1]));
    CHECK(lld.regions[0].name == "FLASH");
    CHECK(lld.regions[0].delta == 12);  // 5860 -> 5872
    SizeDiff over = diff_snapshots(snap(fixtures[0]), snap(fixtures[2]));
    CHECK(over.regions[0].delta == 9508 - 5860);
}

TEST_CASE("diff: map vs map and snapshot vs map give identical deltas") {
    const Fixture& a = fixtures[0];
    for (const Fixture& b : {fixtures[1], fixtures[2], fixtures[5]}) {
        CAPTURE(b.name);
        Snapshot from_map = snap(a);
        Snapshot from_json = parse_snapshot(snapshot_to_json(from_map), "a.json");
        SizeDiff mm = diff_snapshots(from_map, snap(b));
        SizeDiff sm = diff_snapshots(from_json, snap(b));
        CHECK(all_json(mm) == all_json(sm));
        SizeDiff ms = diff_snapshots(snap(b), from_json);
        CHECK(all_json(ms) == all_json(diff_snapshots(snap(b), from_map)));
    }
}

TEST_CASE("diff: a snapshot against itself changes nothing") {
    Snapshot s = snap(fixtures[5]);
    SizeDiff d = diff_snapshots(s, s);
    for (const RegionDelta& r : d.regions) CHECK(r.delta == 0);
    for (Breakdown b : {Breakdown::section, Breakdown::archive, Breakdown::object, Breakdown::symbol})
        for (const ItemDelta& i : diff_items(d, b)) CHECK(i.change == Change::unchanged);
    CHECK(diff_text_report(d, {}).find("No archive changed.") != std::string::npos);
}

TEST_CASE("diff: items are classified, matched by path and sorted by absolute change") {
    Snapshot o = synthetic(100, {item("liba.a", "x/liba.a", 50), item("libb.a", "x/libb.a", 30),
                                 item("libgone.a", "x/libgone.a", 5), item("libsame.a", "y/libsame.a", 7)});
    Snapshot n = synthetic(80, {item("liba.a", "x/liba.a", 10), item("libb.a", "x/libb.a", 32),
                                item("libnew.a", "x/libnew.a", 20), item("libsame.a", "y/libsame.a", 7)});
    SizeDiff d = diff_snapshots(o, n);
    REQUIRE(d.regions.size() == 1);
    CHECK(d.regions[0].delta == -20);
    CHECK(*d.regions[0].percent() == doctest::Approx(-20.0));
    CHECK(signed_bytes(d.regions[0].delta) == "-20");
    CHECK(signed_bytes(416) == "+416");
    CHECK(signed_percent(d.regions[0].percent(), -20) == "-20.00%");
    REQUIRE(d.archives.size() == 5);
    CHECK(d.archives[0].name == "liba.a");
    CHECK(d.archives[0].delta == -40);
    CHECK(d.archives[0].change == Change::shrunk);
    CHECK(d.archives[0].regions == RegionDeltas{-40});
    CHECK(d.archives[1].name == "libnew.a");
    CHECK(d.archives[1].change == Change::added);
    CHECK(d.archives[2].name == "libgone.a");
    CHECK(d.archives[2].change == Change::removed);
    CHECK(d.archives[3].name == "libb.a");
    CHECK(d.archives[3].change == Change::grown);
    CHECK(d.archives[4].change == Change::unchanged);

    DiffReportOptions opt;
    opt.threshold = 5;
    std::string text = diff_text_report(d, opt);
    CHECK(text.find("Archives shrunk (1)") != std::string::npos);
    CHECK(text.find("Archives added (1)") != std::string::npos);
    CHECK(text.find("Archives removed (1)") != std::string::npos);
    CHECK(text.find("libb.a") == std::string::npos);  // +2 < threshold 5
    CHECK(text.find("libsame.a") == std::string::npos);
    CHECK(text.find("1 changed archive row below the 5-byte threshold hidden") != std::string::npos);
    CHECK(text.find("FLASH") < text.find("Archives"));  // regions first
}

TEST_CASE("diff markdown: marker line, matching table columns, folded lists, size limit") {
    SizeDiff d = diff_snapshots(snap(fixtures[0]), snap(fixtures[5]));
    for (Breakdown b : {Breakdown::region, Breakdown::archive, Breakdown::object, Breakdown::symbol}) {
        DiffReportOptions opt;
        opt.by = b;
        std::string md = diff_markdown_report(d, opt);
        CHECK(md.rfind("<!-- sizebudget-diff -->\n", 0) == 0);
        check_tables(md);
        CHECK(md.size() < 65536);
        if (b != Breakdown::region) {
            CHECK(md.find("<details>") != std::string::npos);
            CHECK(md.find("▲") != std::string::npos);
            CHECK(md.find("▼") != std::string::npos);
        }
    }
    // A name holding '|' does not split its cell.
    Snapshot o = synthetic(10, {item("lib|pipe.a", "lib|pipe.a", 10)});
    Snapshot n = synthetic(12, {item("lib|pipe.a", "lib|pipe.a", 12)});
    check_tables(diff_markdown_report(diff_snapshots(o, n), {}));

    // Truncation keeps the limit and says so.
    DiffReportOptions small;
    small.by = Breakdown::symbol;
    small.max_chars = 3000;
    std::string md = diff_markdown_report(d, small);
    CHECK(md.size() < 3000);
    CHECK(md.find("**Truncated:**") != std::string::npos);
    check_tables(md);
    CHECK(diff_markdown_report(d, {}).find("Truncated") == std::string::npos);
}

// Snapshots: deterministic JSON, lossless round trip, strict validation on load.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sizebudget/error.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/snapshot.hpp"
#include "map_builder.hpp"
#include "test_support.hpp"

using namespace sizebudget;
namespace fs = std::filesystem;

namespace {

std::string fixture_map(const std::string& name) {
    return (test::fixtures_dir() / name / (name + ".map")).string();
}

Snapshot snapshot_of(const std::string& name) {
    LinkMap map = read_map(fixture_map(name));
    return make_snapshot(map, compute_totals(map, snapshot_totals));
}

std::string error_of(std::string_view text) {
    try {
        parse_snapshot(text, "snap.json");
    } catch (const Error& e) {
        return e.located();
    }
    return "(no error)";
}

const char* minimal = R"({"schema":"sizebudget-snapshot/1","allocated":10,
"regions":[{"name":"FLASH","origin":0,"length":100,"used":10}],
"sections":[{"name":".text","size":10,"regions":{"FLASH":10}}],
"archives":[],"objects":[],"symbols":[]})";

// The error of `minimal` with `from` replaced by `to`.
std::string replaced(std::string_view from, std::string_view to) {
    std::string t = minimal;
    t.replace(t.find(from), from.size(), to);
    return error_of(t);
}

}  // namespace

TEST_CASE("snapshot: the same map gives byte-identical JSON") {
    for (const char* name : {"cm4-nano", "cxx-exceptions", "noload", "riscv64-sdata"}) {
        CAPTURE(name);
        std::string a = snapshot_to_json(snapshot_of(name));
        std::string b = snapshot_to_json(snapshot_of(name));
        CHECK(a == b);
        CHECK(a.rfind("{\n  \"schema\": \"sizebudget-snapshot/2\",\n", 0) == 0);
        // No directory of the map (which could be a temporary path) leaks into the snapshot.
        CHECK(a.find(test::fixtures_dir().string()) == std::string::npos);
    }
}

TEST_CASE("snapshot: JSON round trip is lossless") {
    Snapshot s = snapshot_of("cm4-nano");
    std::string json = snapshot_to_json(s);
    Snapshot back = parse_snapshot(json, "x.json");
    CHECK(snapshot_to_json(back) == json);
    CHECK(back.map == "cm4-nano.map");
    CHECK(back.format == "gnu-ld");
    REQUIRE(back.totals.regions.size() == 2);
    CHECK(back.totals.regions[0].name == "FLASH");
    CHECK(back.totals.regions[0].used == 5860);  // ld's own figure (tests/fixtures/cm4-nano/expected.txt)
    CHECK(back.totals.regions[1].used == 3432);
    CHECK(back.totals.allocated == s.totals.allocated);
    CHECK(back.totals.symbols.size() == s.totals.symbols.size());
    REQUIRE(!back.totals.symbols.empty());
    CHECK(back.totals.symbols[0].regions == s.totals.symbols[0].regions);
}

TEST_CASE("snapshot: minimal document loads") {
    Snapshot s = parse_snapshot(minimal, "m.json");
    CHECK(s.totals.allocated == 10);
    REQUIRE(s.totals.sections.size() == 1);
    CHECK(s.totals.sections[0].regions == RegionBytes{10});
    CHECK(s.totals.regions[0].linker_used == 10);  // defaults to used
}

TEST_CASE("snapshot: bad input is an Error naming the file and the problem") {
    CHECK(error_of("{\n  \"schema\": \n") .find("snap.json:3") == 0);
    CHECK(error_of("{\n  \"schema\": \n").find("not valid JSON") != std::string::npos);
    CHECK(error_of("[1, 2]").find("expected a JSON object") != std::string::npos);
    CHECK(error_of("{}").find("missing \"schema\"") != std::string::npos);
    CHECK(error_of(R"({"schema":"sizebudget-report/1"})").find("unsupported snapshot schema") != std::string::npos);
    CHECK(error_of(R"({"schema":"sizebudget-snapshot/1"})").find("missing \"allocated\"") != std::string::npos);

    CHECK(replaced("\"allocated\":10", "\"allocated\":-1").find("allocated: expected a non-negative integer") !=
          std::string::npos);
    CHECK(replaced("{\"FLASH\":10}", "{\"RAM\":10}").find("sections[0].regions: unknown region 'RAM'") !=
          std::string::npos);
    CHECK(replaced("\"size\":10", "\"size\":\"10\"").find("sections[0].size") != std::string::npos);
    CHECK(replaced("\"symbols\":[]", "\"symbols\":{}").find("symbols: expected an array") != std::string::npos);
    CHECK(replaced("\"name\":\"FLASH\"", "\"name\":7").find("regions[0].name: expected a string") !=
          std::string::npos);
}

TEST_CASE("snapshot: load_snapshot_or_map tells snapshots from maps") {
    fs::path dir = fs::temp_directory_path() / "sizebudget-snapshot-test";
    fs::create_directories(dir);
    std::string path = (dir / "s.json").string();
    std::string json = snapshot_to_json(snapshot_of("cm4-nano"));
    std::ofstream(path, std::ios::binary) << "\n  " << json;
    CHECK(is_snapshot_file(path));
    CHECK_FALSE(is_snapshot_file(fixture_map("cm4-nano")));
    CHECK(snapshot_to_json(load_snapshot_or_map(path)) == json);
    CHECK(snapshot_to_json(load_snapshot_or_map(fixture_map("cm4-nano"))) == json);
    CHECK_THROWS_AS(load_snapshot((dir / "missing.json").string()), Error);
    fs::remove_all(dir);
}

TEST_CASE("snapshot: what a writer never writes is refused, naming the field") {
    // Rows that do not add up to "allocated": an edited or cut snapshot.
    CHECK(replaced("\"size\":10", "\"size\":9").find("sections: the rows add up to 9 bytes, but \"allocated\" is 10") !=
          std::string::npos);
    // A key twice: JSON parsers keep the last one; a snapshot must not depend on which.
    CHECK(replaced("\"allocated\":10", "\"allocated\":10,\"allocated\":99").find("the key \"allocated\" appears twice") !=
          std::string::npos);
    // Unknown keys, at the top, in a region, in a row.
    CHECK(replaced("\"allocated\":10", "\"allocated\":10,\"alocated\":10").find("unknown key \"alocated\"") != std::string::npos);
    CHECK(replaced("\"name\":\"FLASH\"", "\"name\":\"FLASH\",\"free\":1").find("regions[0]: unknown key \"free\"") !=
          std::string::npos);
    // A region running past the address space.
    CHECK(replaced("\"origin\":0", "\"origin\":18446744073709551615").find("run past the 64-bit address space") !=
          std::string::npos);
}

TEST_CASE("snapshot: keys in any order read the same (jq -S puts regions and schema after the archives)") {
    for (const char* name : {"cm4-nano", "cm4-nano-lld", "rust-panic-fmt"}) {
        CAPTURE(name);
        const std::string json = snapshot_to_json(snapshot_of(name));
        // nlohmann's std::map objects dump their keys sorted: "allocated", "archives", ...
        const std::string sorted = nlohmann::json::parse(json).dump(1);
        REQUIRE(sorted.find("\"archives\"") < sorted.find("\"regions\":"));
        REQUIRE(sorted.find("\"archives\"") < sorted.find("\"schema\""));
        CHECK(snapshot_to_json(parse_snapshot(sorted, "sorted.json")) == json);
    }
}

TEST_CASE("snapshot: a row's own mistakes are named, wherever the row is") {
    CHECK(replaced("{\"FLASH\":10}", "{\"FLASH\":10,\"FLASH\":0}").find("sections[0].regions: the key \"FLASH\" appears twice") !=
          std::string::npos);
    CHECK(replaced("\"size\":10,", "").find("sections[0]: missing \"size\"") != std::string::npos);
    CHECK(replaced("\"size\":10", "\"size\":10.5").find("sections[0].size: expected a non-negative integer") !=
          std::string::npos);
    CHECK(replaced("\"size\":10", "\"size\":100000000000000000000").find("sections[0].size: expected a non-negative integer") !=
          std::string::npos);
    // Version 2 rows carry their identity.
    const std::string v2 = R"({"schema":"sizebudget-snapshot/2","allocated":10,
"regions":[{"name":"FLASH","origin":0,"length":100,"used":10}],
"sections":[{"name":".text","size":10,"regions":{"FLASH":10}}],
"archives":[{"name":"a.a","path":"x/a.a","size":10,"regions":{"FLASH":10}}],"objects":[],"symbols":[]})";
    CHECK(error_of(v2).find("archives[0]: missing \"id\"") != std::string::npos);
    // A region the list does not declare, named before the list comes.
    std::string late = R"({"sections":[{"name":".text","size":10,"regions":{"RAM":10}}],"schema":"sizebudget-snapshot/1",
"allocated":10,"regions":[{"name":"FLASH","origin":0,"length":100,"used":10}],"archives":[],"objects":[],"symbols":[]})";
    CHECK(error_of(late).find("sections[0].regions: unknown region 'RAM'") != std::string::npos);
}

TEST_CASE("snapshot and JSON report of many rows are handed out in chunks, the same bytes as whole") {
    // 30,000 symbols: about 5 MB of JSON, which a writer must not hold whole.
    test::MapBuilder b;
    b.region("FLASH", 0, 1u << 24);
    const std::uint32_t o = b.object("obj/app.o");
    b.section(".text", 0, 30000 * 16);
    for (int i = 0; i < 30000; ++i) {
        b.append(b.map.intern(fmt::format(".text.function_number_{}", i)), 16, o);
        b.symbol_in_last(b.map.intern(fmt::format("function_number_{}", i)));
    }
    LinkMap map = std::move(b.map);
    finish_map(map);
    const Totals totals = compute_totals(map, snapshot_totals);
    for (int which = 0; which < 2; ++which) {
        CAPTURE(which);
        std::string whole, joined;
        std::size_t chunks = 0, largest = 0;
        auto sink = [&](std::string_view text) {
            ++chunks;
            largest = std::max(largest, text.size());
            joined += text;
        };
        if (which == 0) {
            const Snapshot s = make_snapshot(map, totals);
            whole = snapshot_to_json(s);
            snapshot_to_json(s, sink);
        } else {
            whole = json_report(map, totals, ReportOptions{});
            json_report(map, totals, ReportOptions{}, sink);
        }
        CHECK(whole.size() > 4'000'000);
        CHECK(joined == whole);
        CHECK(chunks >= 4);
        CHECK(largest < (1u << 20) + 4096);  // a chunk, and at most one row past it
    }
}

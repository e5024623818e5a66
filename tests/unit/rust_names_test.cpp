// Rust links read as Rust engineers read them: on the Rust fixtures built here and on every
// corpus lld map, no name shown carries mangling, escapes, a crate hash or an LLVM tag, and the
// crate level accounts for every byte.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

#include "sizebudget/crates.hpp"
#include "sizebudget/demangle.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/totals.hpp"
#include "test_support.hpp"

using namespace sizebudget;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> rust_maps() {
    std::vector<fs::path> out;
    for (const auto& d : fs::directory_iterator(test::fixtures_dir()))
        if (d.path().filename().string().starts_with("rust-"))
            out.push_back(d.path() / (d.path().filename().string() + ".map"));
    if (test::have_corpus())
        for (const auto& f : fs::directory_iterator(test::corpus_dir() / "lld")) out.push_back(f.path());
    std::sort(out.begin(), out.end());
    return out;
}

Totals crate_totals(const fs::path& map, const ReadOptions& options = {}) {
    TotalsOptions all;
    all.crates = true;
    return compute_totals(read_map(map.string(), options), all);
}

std::uint64_t crate_bytes(const Totals& t, std::string_view crate) {
    for (const ItemSize& c : t.crates)
        if (c.name == crate) return c.size;
    return 0;
}

ReadOptions with_memory_x() {
    ReadOptions o;
    o.linker_script = (test::source_dir() / "tests" / "rust" / "firmware" / "memory.x").string();
    return o;
}

}  // namespace

TEST_CASE("no readable name carries mangling, escapes, a hash or an LLVM tag") {
    const std::regex leftover(R"(\$LT\$|\$GT\$|\$u20\$|\$RF\$|\$C\$|::h[0-9a-f]{16}\b|\.llvm\.[0-9]|\.lto_priv\.|^_ZN.*E$|^_R[A-Z])");
    const auto maps = rust_maps();
    REQUIRE(maps.size() >= 7);
    for (const fs::path& map : maps) {
        CAPTURE(map.filename().string());
        const Totals t = crate_totals(map);
        std::size_t rust_names = 0;
        for (const ItemSize& s : t.symbols) {
            const std::string readable = demangle(s.name);
            CAPTURE(std::string(s.name));
            CHECK_FALSE(std::regex_search(readable, leftover));
            for (std::string_view alias : aliases_of(s)) CHECK_FALSE(std::regex_search(demangle(alias), leftover));
            if (!crate_of_symbol(s.name).empty()) ++rust_names;
        }
        for (const ItemSize& c : t.crates) {
            CAPTURE(std::string(c.name));
            CHECK(c.name.find('-') == std::string_view::npos);  // no crate hash
            CHECK(c.name.find('$') == std::string_view::npos);
        }
        // Every allocated byte is in one crate row, as at the other levels.
        std::uint64_t sum = 0;
        for (const ItemSize& c : t.crates) sum += c.size;
        CHECK(sum == t.allocated);
        if (map.filename().string().find("rust") != std::string::npos) CHECK(rust_names > 0);
    }
}

TEST_CASE("crates: core keeps its bytes under LTO, where every crate is in one object") {
    const fs::path fixtures = test::fixtures_dir();
    const Totals lto = crate_totals(fixtures / "rust-lto" / "rust-lto.map", with_memory_x());
    const Totals cgu = crate_totals(fixtures / "rust-panic-fmt" / "rust-panic-fmt.map", with_memory_x());
    // LTO leaves the rlibs empty: the archive level has nothing to say about core.
    std::uint64_t rlib_bytes = 0;
    for (const ItemSize& a : lto.archives)
        if (a.name.ends_with(".rlib")) rlib_bytes += a.size;
    CHECK(rlib_bytes < 100);
    CHECK(crate_bytes(lto, "core") > 1000);
    CHECK(crate_bytes(lto, "app") > 0);
    CHECK(crate_bytes(lto, "minilog") > 0);
    CHECK(crate_bytes(cgu, "core") > 1000);
    CHECK(crate_bytes(lto, std::string(no_crate_name)) == 0);
    // Per region too: FLASH holds core's code.
    for (const ItemSize& c : lto.crates)
        if (c.name == "core") CHECK(c.regions[0] == c.size);
}

TEST_CASE("the size traps show at the crate level") {
    const fs::path f = test::fixtures_dir();
    const Totals fmt = crate_totals(f / "rust-panic-fmt" / "rust-panic-fmt.map", with_memory_x());
    const Totals halt = crate_totals(f / "rust-panic-halt" / "rust-panic-halt.map", with_memory_x());
    const Totals flt = crate_totals(f / "rust-float" / "rust-float.map", with_memory_x());
    // A panic handler that formats pulls in core's Display of PanicInfo; panic-halt does not.
    CHECK(crate_bytes(halt, "core") < crate_bytes(fmt, "core"));
    // Formatting one f32 costs kilobytes of core::fmt::float and core::num::flt2dec.
    CHECK(crate_bytes(flt, "core") > crate_bytes(fmt, "core") + 4096);
}

TEST_CASE("v0 and --no-demangle maps read like the legacy, demangled one") {
    const fs::path f = test::fixtures_dir();
    const Totals legacy = crate_totals(f / "rust-panic-fmt" / "rust-panic-fmt.map", with_memory_x());
    const Totals v0 = crate_totals(f / "rust-v0" / "rust-v0.map", with_memory_x());
    const Totals raw = crate_totals(f / "rust-no-demangle" / "rust-no-demangle.map", with_memory_x());
    // --no-demangle changes only the names the map prints: same crates, same bytes.
    REQUIRE(raw.crates.size() == legacy.crates.size());
    for (std::size_t i = 0; i < raw.crates.size(); ++i) {
        CHECK(raw.crates[i].name == legacy.crates[i].name);
        CHECK(raw.crates[i].size == legacy.crates[i].size);
    }
    // The same function under its three spellings.
    auto has_symbol = [](const Totals& t, std::string_view readable) {
        return std::any_of(t.symbols.begin(), t.symbols.end(), [&](const ItemSize& s) { return demangle(s.name) == readable; });
    };
    for (const Totals* t : {&legacy, &v0, &raw}) CHECK(has_symbol(*t, "app::main"));
    CHECK(crate_bytes(v0, "app") > 0);
    CHECK(crate_bytes(v0, "core") > 1000);
}

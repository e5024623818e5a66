// Every real-world GNU ld and lld map in ../shared/corpus/maps parses and keeps the attribution
// invariant; maps of other linkers are refused with a clear message.
#include <doctest/doctest.h>

#include <algorithm>
#include <fmt/format.h>
#include <filesystem>
#include <numeric>
#include <set>

#include "sizebudget/error.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/totals.hpp"
#include "test_support.hpp"

using namespace sizebudget;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> maps_in(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// Each allocated output section is tiled exactly by its pieces, and every total adds up.
void check_invariants(const LinkMap& map) {
    for (const OutputSection& s : map.sections) {
        if (!s.allocated) continue;
        std::uint64_t sum = 0;
        Address cursor = s.address;
        bool contiguous = true;
        for (const InputSection& in : map.inputs_of(s)) {
            contiguous = contiguous && in.address == cursor;
            cursor = in.address + in.size;
            sum += in.size;
        }
        CHECK_MESSAGE(contiguous, map.source, ": pieces of ", s.name, " are not contiguous");
        CHECK_MESSAGE(sum == s.size, map.source, ": pieces of ", s.name, " add up to ", sum, " not ", s.size);
    }
    Totals t = compute_totals(map);
    auto sum = [](const ItemRows& items) {
        return std::accumulate(items.begin(), items.end(), std::uint64_t{0},
                               [](std::uint64_t a, const ItemSize& i) { return a + i.size; });
    };
    CHECK_MESSAGE(sum(t.archives) == t.allocated, map.source);
    CHECK_MESSAGE(sum(t.objects) == t.allocated, map.source);
    CHECK_MESSAGE(sum(t.sections) == t.allocated, map.source);
    CHECK_MESSAGE(sum(t.symbols) == t.allocated, map.source, ": the symbol level does not add up");
    CHECK_MESSAGE(t.allocated > 0, map.source);
    // One row per archive and per object: identities must not split.
    std::set<std::string> archives, objects;
    for (const ItemSize& a : t.archives) CHECK_MESSAGE(archives.insert(fmt::format("{}|{}", a.path, a.name)).second, "archive row twice: ", a.name);
    for (const ItemSize& o : t.objects) CHECK_MESSAGE(objects.insert(fmt::format("{}|{}", o.path, o.name)).second, "object row twice: ", o.name);
}

LinkMap parse_and_finish(const fs::path& p, MapFormat format) {
    LineReader in(p.string());
    LinkMap map = format == MapFormat::lld ? parse_lld_map(in) : parse_gnu_ld_map(in);
    map.source = p.string();
    finish_map(map);
    return map;
}

}  // namespace

TEST_CASE("corpus: every GNU ld map reads and keeps the attribution invariant") {
    if (!test::have_corpus()) {
        MESSAGE("skipped: no corpus at ", test::corpus_dir().string());
        return;
    }
    auto maps = maps_in(test::corpus_dir() / "gnu-ld");
    REQUIRE(maps.size() >= 10);
    for (const fs::path& p : maps) {
        CAPTURE(p.string());
        LinkMap map = read_map(p.string());  // the whole pipeline the CLI runs
        CHECK(!map.sections.empty());
        check_invariants(map);
    }
}

TEST_CASE("corpus: every lld map reads and keeps the attribution invariant") {
    if (!test::have_corpus()) {
        MESSAGE("skipped: no corpus at ", test::corpus_dir().string());
        return;
    }
    auto maps = maps_in(test::corpus_dir() / "lld");
    REQUIRE(maps.size() >= 5);
    for (const fs::path& p : maps) {
        CAPTURE(p.string());
        LinkMap map = parse_and_finish(p, MapFormat::lld);
        CHECK(!map.sections.empty());
        check_invariants(map);
        // lld maps carry no regions: every other level is read all the same.
        LinkMap read = read_map(p.string());
        CHECK(read.regions.empty());
        Totals t = compute_totals(read);
        CHECK(t.allocated > 0);
        CHECK(!t.archives.empty());
    }
}

TEST_CASE("corpus: maps of other linkers are refused, naming the linker") {
    if (!test::have_corpus()) {
        MESSAGE("skipped: no corpus at ", test::corpus_dir().string());
        return;
    }
    for (const char* dir : {"armlink", "iar", "other"}) {
        for (const fs::path& p : maps_in(test::corpus_dir() / dir)) {
            CAPTURE(p.string());
            CHECK_THROWS_WITH_AS(read_map(p.string()), doctest::Contains("sizebudget reads GNU ld and LLVM lld maps"),
                                 Error);
        }
    }
}

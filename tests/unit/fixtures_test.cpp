// Our firmware fixtures, built with the real toolchains: every figure must equal the linker's.
// tests/fixtures/<name>/expected.txt holds the linker's answer (see tests/fixtures/README.md).
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "sizebudget/map_reader.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/totals.hpp"
#include "test_support.hpp"

using namespace sizebudget;
namespace fs = std::filesystem;

namespace {

struct ExpectedSection {
    std::string name;
    std::uint64_t size;
    Address address, lma;
    bool allocated, loaded;
};

struct Expected {
    std::string name;
    fs::path dir;
    std::vector<std::pair<std::string, std::uint64_t>> regions;  // name, used
    std::vector<std::pair<std::string, std::uint64_t>> ldused;
    std::vector<ExpectedSection> sections;
    std::optional<std::string> script;
};

Expected load_expected(const fs::path& dir) {
    Expected e;
    e.name = dir.filename().string();
    e.dir = dir;
    std::istringstream in(test::read_file(dir / "expected.txt"));
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "region") {
            std::string name, origin;
            std::uint64_t length = 0, used = 0;
            words >> name >> origin >> length >> used;
            e.regions.emplace_back(name, used);
        } else if (kind == "ldused") {
            std::string name;
            std::uint64_t used = 0;
            words >> name >> used;
            e.ldused.emplace_back(name, used);
        } else if (kind == "section") {
            ExpectedSection s;
            std::string addr, lma;
            int alloc = 0, loaded = 0;
            words >> s.name >> s.size >> addr >> lma >> alloc >> loaded;
            s.address = std::stoull(addr, nullptr, 16);
            s.lma = std::stoull(lma, nullptr, 16);
            s.allocated = alloc != 0;
            s.loaded = loaded != 0;
            e.sections.push_back(s);
        } else if (auto at = line.find("MEMORY block of "); at != std::string::npos && !e.script) {
            std::string file = line.substr(at + 16);
            file = file.substr(0, file.find_first_of(" \t"));
            // C fixtures' scripts are in src/; the Rust firmware's memory.x is in tests/rust/.
            for (const fs::path& root : {test::fixtures_dir() / "src", test::fixtures_dir() / ".." / "rust" / "firmware"})
                for (const auto& f : fs::recursive_directory_iterator(root))
                    if (!e.script && f.path().filename() == file) e.script = f.path().string();
        }
    }
    return e;
}

std::vector<Expected> fixtures() {
    std::vector<Expected> out;
    for (const auto& d : fs::directory_iterator(test::fixtures_dir()))
        if (fs::exists(d.path() / "expected.txt")) out.push_back(load_expected(d.path()));
    std::sort(out.begin(), out.end(), [](const Expected& a, const Expected& b) { return a.name < b.name; });
    return out;
}

const OutputSection* find_section(const LinkMap& map, const ExpectedSection& want) {
    for (const OutputSection& s : map.sections)
        if (s.name == want.name && s.address == want.address) return &s;
    return nullptr;
}

void check_fixture(const Expected& e, bool with_elf) {
    REQUIRE_MESSAGE(e.script, "expected.txt names no linker script found under tests/fixtures/src");
    ReadOptions options;
    options.linker_script = e.script;
    fs::path elf = e.dir / (e.name + ".elf");
    if (with_elf) options.elf = elf.string();
    LinkMap map = read_map((e.dir / (e.name + ".map")).string(), options);
    Totals t = compute_totals(map);

    // The image holds the ELF's loadable (PROGBITS) allocated sections, each once.
    std::uint64_t loadable = 0;
    for (const ExpectedSection& s : e.sections)
        if (s.loaded) loadable += s.size;
    CHECK(t.image_size == loadable);

    REQUIRE(t.regions.size() == e.regions.size());
    for (std::size_t i = 0; i < e.regions.size(); ++i) {
        CAPTURE(t.regions[i].name);
        CHECK(t.regions[i].name == e.regions[i].first);
        CHECK(t.regions[i].used == e.regions[i].second);
    }
    for (const auto& [name, used] : e.ldused)
        for (const RegionUsage& r : t.regions)
            if (r.name == name) CHECK_MESSAGE(r.linker_used == used, "ld's own figure for ", name);

    // ld's --print-memory-usage, byte for byte.
    if (fs::exists(e.dir / "linker-memory-usage.txt"))
        CHECK(memory_usage_table(t, true) == test::read_file(e.dir / "linker-memory-usage.txt"));

    for (const ExpectedSection& want : e.sections) {
        CAPTURE(want.name);
        const OutputSection* got = find_section(map, want);
        if (want.size == 0 && got == nullptr) continue;  // empty sections may be left out of a map
        REQUIRE(got != nullptr);
        CHECK(got->size == want.size);
        CHECK(got->allocated == want.allocated);
        CHECK(got->loaded == want.loaded);
        if (want.loaded) CHECK(got->load_address == want.lma);
    }
    // No allocated section of the map is missing from the ELF.
    for (const OutputSection& s : map.sections) {
        if (!s.allocated || s.size == 0) continue;
        bool found = std::any_of(e.sections.begin(), e.sections.end(), [&](const ExpectedSection& x) {
            return x.name == s.name && x.address == s.address;
        });
        CHECK_MESSAGE(found, "map section ", s.name, " is not an allocated section of the ELF");
    }
    // Attribution adds up exactly.
    for (const OutputSection& s : map.sections) {
        if (!s.allocated) continue;
        std::uint64_t sum = 0;
        for (const InputSection& in : map.inputs_of(s)) sum += in.size;
        CHECK_MESSAGE(sum == s.size, s.name);
    }
    // The symbol level sums to the section level, in total and per region: aliases counted once,
    // uncovered bytes as "(no symbol)".
    std::vector<std::uint64_t> by_sections(t.regions.size()), by_symbols(t.regions.size());
    std::uint64_t section_sum = 0, symbol_sum = 0;
    for (const ItemSize& s : t.sections) {
        section_sum += s.size;
        for (const auto& [r, bytes] : s.regions) by_sections[r] += bytes;
    }
    for (const ItemSize& s : t.symbols) {
        symbol_sum += s.size;
        for (const auto& [r, bytes] : s.regions) by_symbols[r] += bytes;
    }
    CHECK(symbol_sum == section_sum);
    CHECK(by_symbols == by_sections);
    if (with_elf) CHECK_MESSAGE(map.warnings.empty(), "map and ELF should agree: ", map.warnings.front().message);
}

}  // namespace

TEST_CASE("fixtures: regions and sections equal the linker's figures, from the map alone") {
    auto all = fixtures();
    REQUIRE(all.size() >= 9);
    for (const Expected& e : all) {
        CAPTURE(e.name);
        check_fixture(e, false);
    }
}

TEST_CASE("fixtures: with --elf, symbols and their sizes come from the ELF symbol table") {
    const fs::path dir = test::fixtures_dir() / "cm4-nano";
    ReadOptions map_only, with_elf;
    with_elf.elf = (dir / "cm4-nano.elf").string();
    auto symbol = [](const Totals& t, std::string_view name) -> std::optional<ItemSize> {
        for (const ItemSize& s : t.symbols)
            if (s.name == name) return s;
        return std::nullopt;
    };
    const Totals a = compute_totals(read_map((dir / "cm4-nano.map").string(), map_only));
    const Totals b = compute_totals(read_map((dir / "cm4-nano.map").string(), with_elf));
    // GNU ld's map gives no sizes: up to the next symbol, alignment padding included (296 B);
    // the ELF's st_size is the function's own (294 B, as `nm -S` prints), the 2 B pad is "(no symbol)".
    REQUIRE(symbol(a, "_printf_common").has_value());
    REQUIRE(symbol(b, "_printf_common").has_value());
    CHECK(symbol(a, "_printf_common")->size == 296);
    CHECK(symbol(b, "_printf_common")->size == 294);
    // A file-local static: named by its section without the ELF, by the ELF's symbol with it.
    REQUIRE(symbol(a, "line").has_value());
    REQUIRE(symbol(b, "line").has_value());
    CHECK(symbol(b, "line")->size == 96);
    CHECK(symbol(b, "line")->path == "obj/cm4/main.o");
    // Aliases from the ELF too, and every byte still counted once.
    REQUIRE(symbol(b, "_svfprintf_r").has_value());
    CHECK(symbol(b, "_svfprintf_r")->aliases == "_svfiprintf_r");
    std::uint64_t sum = 0;
    for (const ItemSize& s : b.symbols) sum += s.size;
    CHECK(sum == b.allocated);
}

TEST_CASE("fixtures: the same with --elf, and map and ELF agree") {
    for (const Expected& e : fixtures()) {
        CAPTURE(e.name);
        check_fixture(e, true);
    }
}

TEST_CASE("read_map: the format is told from the first chunk it reads, and a map is read whole either way") {
    // The first lines are read once, from the chunk the parser then starts on; behind more than a
    // chunk of blank lines the file is opened again. Both give the linker's figures.
    const fs::path map = test::fixtures_dir() / "cm4-nano" / "cm4-nano.map";
    std::ifstream in(map, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const fs::path padded = fs::temp_directory_path() / ("sizebudget-padded-" + std::to_string(::getpid()) + ".map");
    std::ofstream(padded, std::ios::binary) << std::string(1300000, '\n') << text;
    const Totals direct = compute_totals(read_map(map.string()), {.symbols = false});
    const Totals behind = compute_totals(read_map(padded.string()), {.symbols = false});
    fs::remove(padded);
    REQUIRE(direct.regions.size() == 2);
    REQUIRE(behind.regions.size() == 2);
    CHECK(direct.regions[0].used == 5860);  // ld's FLASH figure
    CHECK(behind.regions[0].used == 5860);
    CHECK(behind.regions[1].used == direct.regions[1].used);
}

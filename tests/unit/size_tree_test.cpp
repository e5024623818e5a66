// The HTML treemap's tree: on every fixture and corpus map, each node is the sum of its children,
// regions and archives hold what the totals say they hold, and folding keeps sizes and bounds.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "sizebudget/map_reader.hpp"
#include "sizebudget/size_tree.hpp"
#include "sizebudget/snapshot.hpp"
#include "test_support.hpp"

using namespace sizebudget;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> all_maps() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(test::fixtures_dir()))
        if (fs::path m = e.path() / (e.path().filename().string() + ".map"); fs::exists(m)) out.push_back(m);
    for (const char* linker : {"gnu-ld", "lld"})
        if (fs::path dir = test::corpus_dir() / linker; fs::is_directory(dir))
            for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// Every node reachable from the root is the sum of its children; returns the nodes seen.
std::size_t check_sums(const SizeTree& tree, const std::string& what) {
    std::size_t seen = 0;
    std::function<void(std::uint32_t)> walk = [&](std::uint32_t i) {
        ++seen;
        const TreeNode& n = tree.nodes[i];
        if (n.children.empty()) return;
        std::uint64_t sum = 0;
        for (std::uint32_t c : n.children) {
            sum += tree.nodes[c].size;
            walk(c);
        }
        CHECK_MESSAGE(sum == n.size, what, ": ", n.name, " is ", n.size, " bytes, its children ", sum);
    };
    walk(0);
    return seen;
}

const TreeNode* child_named(const SizeTree& tree, const TreeNode& parent, std::string_view name) {
    for (std::uint32_t c : parent.children)
        if (tree.nodes[c].name == name) return &tree.nodes[c];
    return nullptr;
}

}  // namespace

TEST_CASE("size tree: regions and archives hold what the totals say, on every fixture and corpus map") {
    for (const fs::path& path : all_maps()) {
        CAPTURE(path.string());
        LinkMap map = read_map(path.string());
        Totals t = compute_totals(map, {.symbols = false});
        SizeTree tree = map_tree(map);
        check_sums(tree, path.string());
        for (std::size_t r = 0; r < t.regions.size(); ++r) {
            std::uint64_t in_sections = 0, in_archives = 0;
            for (const ItemSize& s : t.sections) in_sections += s.regions[r];
            for (const ItemSize& a : t.archives)
                if (a.name != reserved_name) in_archives += a.regions[r];
            const TreeNode* region = child_named(tree, tree.root(), t.regions[r].name);
            CHECK_MESSAGE((region ? region->size : 0) == in_sections, t.regions[r].name);
            // Below the region: sections, then archives and fill; reserved sections are leaves.
            std::uint64_t archives = 0;
            if (region)
                for (std::uint32_t s : region->children)
                    for (std::uint32_t a : tree.nodes[s].children) archives += tree.nodes[a].size;
            CHECK_MESSAGE(archives == in_archives, t.regions[r].name, ": archives in the tree ", archives,
                          ", in the totals ", in_archives);
        }
    }
}

TEST_CASE("size tree: folding keeps every size and bounds the nodes") {
    const fs::path esp = test::corpus_dir() / "gnu-ld" / "esp32s3-lvgl-hello.map";
    if (!fs::exists(esp)) return;
    LinkMap map = read_map(esp.string());
    SizeTree tree = map_tree(map);
    const std::uint64_t total = tree.root().size;
    const std::size_t before = check_sums(tree, "before folding");
    fold(tree, {.max_nodes = 500, .max_children = 20});
    const std::size_t after = check_sums(tree, "after folding");
    CHECK(tree.root().size == total);
    CHECK(after < before);
    std::size_t kept = 0, folded = 0;
    std::function<void(std::uint32_t)> walk = [&](std::uint32_t i) {
        const TreeNode& n = tree.nodes[i];
        CHECK(n.children.size() <= 21);
        if (n.kind == NodeKind::folded) ++folded;
        else if (n.kind == NodeKind::archive || n.kind == NodeKind::object || n.kind == NodeKind::symbol) ++kept;
        for (std::uint32_t c : n.children) walk(c);
    };
    walk(0);
    CHECK(kept <= 500);
    CHECK(folded > 0);
}

TEST_CASE("size tree: from a snapshot's totals, objects under their archives and symbols under their objects") {
    LinkMap map = read_map((test::fixtures_dir() / "cm4-nano" / "cm4-nano.map").string());
    Snapshot snap = make_snapshot(map, compute_totals(map, snapshot_totals));
    SizeTree tree = totals_tree(snap.totals);
    check_sums(tree, "snapshot tree");
    const TreeNode* flash = child_named(tree, tree.root(), "FLASH");
    REQUIRE(flash);
    const TreeNode* libc = child_named(tree, *flash, "libc_nano.a");
    REQUIRE(libc);
    const ItemSize& row = *std::find_if(snap.totals.archives.begin(), snap.totals.archives.end(),
                                        [](const ItemSize& a) { return a.name == "libc_nano.a"; });
    CHECK(libc->size == row.regions[0]);
    CHECK(libc->id == row.id);
    const TreeNode* printf_i = child_named(tree, *libc, "lib_a-nano-vfprintf_i.o");
    REQUIRE(printf_i);
    CHECK(child_named(tree, *printf_i, "_printf_i"));
}

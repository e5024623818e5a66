// Replays inputs through the fuzz targets without libFuzzer, with the normal compiler, so the
// regression inputs under fuzz/regressions/ run in every test build (and under the asan-ubsan
// preset with sanitizers).
//
//   fuzz_replay DIR_OR_FILE...
//
// The target is chosen by the name of the directory holding each input (or of DIR itself):
// fuzz/regressions/<target>/<input>. A directory named `regressions` is walked one level down.
// Each fuzz source is compiled with LLVMFuzzerTestOneInput renamed to <target>_one_input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

extern "C" int gnu_ld_map_fuzz_one_input(const std::uint8_t*, std::size_t);
extern "C" int lld_map_fuzz_one_input(const std::uint8_t*, std::size_t);
extern "C" int linker_script_fuzz_one_input(const std::uint8_t*, std::size_t);
extern "C" int demangle_fuzz_one_input(const std::uint8_t*, std::size_t);
extern "C" int snapshot_fuzz_one_input(const std::uint8_t*, std::size_t);
#ifdef SIZEBUDGET_REPLAY_BUDGET
extern "C" int budget_fuzz_one_input(const std::uint8_t*, std::size_t);
#endif

namespace fs = std::filesystem;
using Target = int (*)(const std::uint8_t*, std::size_t);

namespace {

const std::map<std::string, Target> targets = {
    {"gnu_ld_map_fuzz", gnu_ld_map_fuzz_one_input},
    {"lld_map_fuzz", lld_map_fuzz_one_input},
    {"linker_script_fuzz", linker_script_fuzz_one_input},
    {"demangle_fuzz", demangle_fuzz_one_input},
    {"snapshot_fuzz", snapshot_fuzz_one_input},
#ifdef SIZEBUDGET_REPLAY_BUDGET
    {"budget_fuzz", budget_fuzz_one_input},
#endif
};

int replayed = 0;

bool replay_file(Target target, const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "fuzz_replay: cannot read %s\n", file.c_str());
        return false;
    }
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "fuzz_replay: %s\n", file.c_str());
    target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ++replayed;
    return true;
}

bool replay_dir(Target target, const fs::path& dir) {
    std::vector<fs::path> files;
    for (const fs::directory_entry& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().filename().string().front() != '.') files.push_back(e.path());
    std::sort(files.begin(), files.end());
    bool ok = true;
    for (const fs::path& f : files) ok = replay_file(target, f) && ok;
    return ok;
}

Target target_for(const fs::path& dir) {
    auto it = targets.find(dir.filename().string());
    return it == targets.end() ? nullptr : it->second;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs("usage: fuzz_replay DIR_OR_FILE...\n", stderr);
        return 2;
    }
    bool ok = true;
    for (int i = 1; i < argc; ++i) {
        fs::path arg = fs::path(argv[i]);
        if (fs::is_regular_file(arg)) {
            Target t = target_for(fs::absolute(arg).parent_path());
            if (!t) {
                std::fprintf(stderr, "fuzz_replay: no target for %s\n", argv[i]);
                ok = false;
                continue;
            }
            ok = replay_file(t, arg) && ok;
        } else if (fs::is_directory(arg)) {
            if (Target t = target_for(fs::absolute(arg).lexically_normal())) {
                ok = replay_dir(t, arg) && ok;
                continue;
            }
            for (const fs::directory_entry& e : fs::directory_iterator(arg)) {
                if (!e.is_directory()) continue;
                if (Target t = target_for(e.path())) {
                    ok = replay_dir(t, e.path()) && ok;
                } else {
                    std::fprintf(stderr, "fuzz_replay: skipping %s (no such target in this build)\n",
                                 e.path().c_str());
                }
            }
        } else {
            std::fprintf(stderr, "fuzz_replay: no such file or directory: %s\n", argv[i]);
            ok = false;
        }
    }
    std::fprintf(stderr, "fuzz_replay: %d input(s) replayed without a crash\n", replayed);
    return ok ? 0 : 1;
}

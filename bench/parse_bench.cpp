// Measures how fast sizebudget reads maps and how much memory it needs, per map and worst first.
//
//   parse_bench [--lld-script FILE] [--repeat N] MAP...
//
// For each map: MB/s for parsing alone, for reading (parse + finish_map), with totals, and with
// symbol totals, and the peak resident memory of one run against the map's size. Then a summary,
// slowest map first; maps named SHAPE-SIZE.map (as bench/run makes them) are also grouped by shape
// to show how the time per MB scales with the size. `--lld-script` gives lld maps their regions.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/totals.hpp"

using namespace sizebudget;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// One run of read_map + compute_totals, as one `sizebudget` run does it; returns its peak
// resident memory. Called in a fresh process (see peak_bytes_of_one_run).
std::uint64_t one_run(const std::string& path, const ReadOptions& options, bool symbols) {
    LinkMap map = read_map(path, options);
    TotalsOptions o;
    o.symbols = symbols;
    Totals totals = compute_totals(map, o);
    // VmHWM belongs to this process image; getrusage's ru_maxrss would carry the forking
    // parent's peak across fork and exec.
    std::FILE* status = std::fopen("/proc/self/status", "r");
    char line[256];
    std::uint64_t kb = 0;
    while (status && std::fgets(line, sizeof line, status))
        if (std::strncmp(line, "VmHWM:", 6) == 0) kb = std::strtoull(line + 6, nullptr, 10);
    if (status) std::fclose(status);
    return kb * 1024;
}

// Peak memory of one run in a freshly executed process: memory freed by earlier measurements
// stays mapped in this one.
std::uint64_t peak_bytes_of_one_run(const std::string& path, const ReadOptions& options, bool symbols) {
    std::fflush(nullptr);
    int pipe_fd[2];
    if (pipe(pipe_fd) != 0) throw Error(path, "cannot create a pipe");
    pid_t child = fork();
    if (child == 0) {
        dup2(pipe_fd[1], STDOUT_FILENO);
        close(pipe_fd[0]);
        close(pipe_fd[1]);
        std::string script = options.linker_script.value_or("");
        execl("/proc/self/exe", "parse_bench", "--peak-of-one-run", symbols ? "symbols" : "no-symbols",
              script.c_str(), path.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipe_fd[1]);
    char text[64] = {};
    const ssize_t n = read(pipe_fd[0], text, sizeof text - 1);
    close(pipe_fd[0]);
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || n <= 0)
        throw Error(path, "the measuring child process failed");
    return std::strtoull(text, nullptr, 10);
}

struct Result {
    std::string path, shape;
    double mb = 0;
    double parse = 0, read = 0, totals = 0, symbols = 0;  // best seconds
    std::uint64_t peak = 0, peak_symbols = 0;
    std::size_t sections = 0, inputs = 0, symbol_count = 0;

    double totals_mbps() const { return mb / (read + totals); }
    double symbols_mbps() const { return mb / (read + symbols); }
    double peak_percent(std::uint64_t p) const { return 100.0 * static_cast<double>(p) / (mb * 1e6); }
};

Result measure(const std::string& path, const ReadOptions& options, int repeat) {
    Result r;
    r.path = path;
    std::string stem = path.substr(path.find_last_of('/') + 1);
    stem = stem.substr(0, stem.rfind('.'));
    r.shape = stem.substr(0, stem.rfind('-') == std::string::npos ? stem.size() : stem.rfind('-'));
    // In a fresh process each, so one peak is not the other's.
    r.peak = peak_bytes_of_one_run(path, options, false);
    r.peak_symbols = peak_bytes_of_one_run(path, options, true);
    r.parse = r.read = r.totals = r.symbols = 1e30;
    std::uint64_t bytes = 0;
    for (int i = 0; i < repeat; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        {
            LineReader in(path);
            std::string_view first;
            in.next(first);
            LineReader again(path);
            LinkMap map = detect_map_format(first, path, 1) == MapFormat::lld ? parse_lld_map(again)
                                                                               : parse_gnu_ld_map(again);
            bytes = again.bytes_read();
            r.sections = map.sections.size();
            r.inputs = map.inputs.size();
            r.symbol_count = map.symbols.size();
        }
        r.parse = std::min(r.parse, seconds_since(t0));
        t0 = std::chrono::steady_clock::now();
        LinkMap map = read_map(path, options);
        r.read = std::min(r.read, seconds_since(t0));
        t0 = std::chrono::steady_clock::now();
        TotalsOptions no_symbols;
        no_symbols.symbols = false;
        Totals totals = compute_totals(map, no_symbols);
        r.totals = std::min(r.totals, seconds_since(t0));
        t0 = std::chrono::steady_clock::now();
        Totals with_symbols = compute_totals(map);
        r.symbols = std::min(r.symbols, seconds_since(t0));
    }
    r.mb = static_cast<double>(bytes) / 1e6;
    return r;
}

void print_one(const Result& r) {
    fmt::print("map              {} ({:.1f} MB; {} sections, {} input sections, {} symbols)\n", r.path, r.mb,
               r.sections, r.inputs, r.symbol_count);
    fmt::print("parse            {:.3f} s  {:.0f} MB/s\n", r.parse, r.mb / r.parse);
    fmt::print("read (+finish)   {:.3f} s  {:.0f} MB/s\n", r.read, r.mb / r.read);
    fmt::print("+ totals         {:.3f} s  {:.0f} MB/s overall\n", r.totals, r.totals_mbps());
    fmt::print("+ symbol totals  {:.3f} s  {:.0f} MB/s overall\n", r.symbols, r.symbols_mbps());
    fmt::print("peak memory      {:.1f} MB ({:.0f}% of the map) reading and totalling; "
               "{:.1f} MB ({:.0f}%) with symbol rows\n\n",
               static_cast<double>(r.peak) / 1e6, r.peak_percent(r.peak), static_cast<double>(r.peak_symbols) / 1e6,
               r.peak_percent(r.peak_symbols));
}

void print_summary(std::vector<Result> results) {
    std::sort(results.begin(), results.end(),
              [](const Result& a, const Result& b) { return a.totals_mbps() < b.totals_mbps(); });
    fmt::print("{:<28} {:>7} {:>14} {:>15} {:>11} {:>13}\n", "map (slowest first)", "MB", "read+totals",
               "+symbol rows", "peak", "peak w/ syms");
    for (const Result& r : results)
        fmt::print("{:<28} {:>7.1f} {:>9.0f} MB/s {:>10.0f} MB/s {:>10.0f}% {:>12.0f}%\n",
                   r.path.substr(r.path.find_last_of('/') + 1), r.mb, r.totals_mbps(), r.symbols_mbps(),
                   r.peak_percent(r.peak), r.peak_percent(r.peak_symbols));

    // Linear scaling: seconds per MB of the largest and smallest map of a shape.
    std::map<std::string, std::vector<const Result*>> by_shape;
    for (const Result& r : results) by_shape[r.shape].push_back(&r);
    bool header = false;
    for (auto& [shape, rs] : by_shape) {
        if (rs.size() < 2) continue;
        if (!header) fmt::print("\n{:<18} {}\n", "shape", "time per MB, largest map vs smallest (1.00 = linear)");
        header = true;
        auto per_mb = [](const Result* r) { return (r->read + r->totals) / r->mb; };
        auto [small, large] = std::minmax_element(rs.begin(), rs.end(),
                                                  [](const Result* a, const Result* b) { return a->mb < b->mb; });
        fmt::print("{:<18} {:.2f} ({:.0f} MB vs {:.0f} MB)\n", shape, per_mb(*large) / per_mb(*small), (*large)->mb,
                   (*small)->mb);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 5 && std::strcmp(argv[1], "--peak-of-one-run") == 0) {
        ReadOptions options;
        if (*argv[3]) options.linker_script = argv[3];
        try {
            fmt::print("{}\n", one_run(argv[4], options, std::strcmp(argv[2], "symbols") == 0));
        } catch (const Error& e) {
            fmt::print(stderr, "parse_bench: {}\n", e.located());
            return 2;
        }
        return 0;
    }
    ReadOptions gnu_options, lld_options;
    int repeat = 3;
    std::vector<std::string> maps;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--lld-script") == 0 && i + 1 < argc)
            lld_options.linker_script = argv[++i];
        else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = std::max(1, std::atoi(argv[++i]));
        else
            maps.push_back(argv[i]);
    }
    if (maps.empty()) {
        std::fprintf(stderr, "usage: parse_bench [--lld-script FILE] [--repeat N] MAP...\n");
        return 2;
    }
    std::vector<Result> results;
    try {
        for (const std::string& path : maps) {
            LineReader in(path);
            std::string_view first;
            in.next(first);
            const bool lld = detect_map_format(first, path, 1) == MapFormat::lld;
            results.push_back(measure(path, lld ? lld_options : gnu_options, repeat));
            print_one(results.back());
        }
    } catch (const Error& e) {
        fmt::print(stderr, "parse_bench: {}\n", e.located());
        return 2;
    }
    if (results.size() > 1) print_summary(results);
    return 0;
}

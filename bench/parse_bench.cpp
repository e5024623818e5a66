// Measures how fast sizebudget reads a map and how much memory it needs.
//
//   parse_bench MAP [--linker-script FILE] [--repeat N]
//
// Prints MB/s for parsing alone, for reading (parse + finish_map), with totals, and with symbol
// totals, and the peak resident memory of one run against the map's size.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/totals.hpp"

using namespace sizebudget;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Peak resident memory of one run of read_map + compute_totals in a fresh process, as one
// `sizebudget` run would have: in this process, memory freed by earlier repeats stays mapped.
std::uint64_t peak_bytes_of_one_run(const std::string& path, const ReadOptions& options, bool symbols) {
    std::fflush(nullptr);
    pid_t child = fork();
    if (child == 0) {
        try {
            LinkMap map = read_map(path, options);
            TotalsOptions o;
            o.symbols = symbols;
            Totals totals = compute_totals(map, o);
        } catch (...) {
            _exit(1);
        }
        _exit(0);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error(path, "the measuring child process failed");
    struct rusage ru {};
    getrusage(RUSAGE_CHILDREN, &ru);  // the largest of the children so far
    return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: parse_bench MAP [--linker-script FILE] [--repeat N]\n");
        return 2;
    }
    std::string path = argv[1];
    ReadOptions options;
    int repeat = 3;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--linker-script") == 0) options.linker_script = argv[i + 1];
        if (std::strcmp(argv[i], "--repeat") == 0) repeat = std::atoi(argv[i + 1]);
    }
    try {
        // Children's peaks are reported as the largest so far: measure the cheaper run first.
        const std::uint64_t peak_without_symbols = peak_bytes_of_one_run(path, options, false);
        const std::uint64_t peak_with_symbols = peak_bytes_of_one_run(path, options, true);
        double best_parse = 1e30, best_read = 1e30, best_totals = 1e30, best_symbols = 1e30;
        std::uint64_t bytes = 0;
        std::size_t sections = 0, inputs = 0, symbols = 0;
        for (int r = 0; r < repeat; ++r) {
            auto t0 = std::chrono::steady_clock::now();
            {
                LineReader in(path);
                std::string_view first;
                in.next(first);
                LineReader again(path);
                LinkMap map = detect_map_format(first, path, 1) == MapFormat::lld ? parse_lld_map(again)
                                                                                   : parse_gnu_ld_map(again);
                bytes = again.bytes_read();
                sections = map.sections.size();
                inputs = map.inputs.size();
                symbols = map.symbols.size();
            }
            best_parse = std::min(best_parse, seconds_since(t0));
            t0 = std::chrono::steady_clock::now();
            LinkMap map = read_map(path, options);
            best_read = std::min(best_read, seconds_since(t0));
            t0 = std::chrono::steady_clock::now();
            TotalsOptions no_symbols;
            no_symbols.symbols = false;
            Totals totals = compute_totals(map, no_symbols);
            best_totals = std::min(best_totals, seconds_since(t0));
        }
        for (int r = 0; r < repeat; ++r) {
            LinkMap map = read_map(path, options);
            auto t0 = std::chrono::steady_clock::now();
            Totals totals = compute_totals(map);
            best_symbols = std::min(best_symbols, seconds_since(t0));
        }
        double mb = static_cast<double>(bytes) / 1e6;
        auto percent = [&](std::uint64_t peak) { return 100.0 * static_cast<double>(peak) / static_cast<double>(bytes); };
        fmt::print("map              {} ({:.1f} MB; {} sections, {} input sections, {} symbols)\n", path, mb,
                   sections, inputs, symbols);
        fmt::print("parse            {:.3f} s  {:.0f} MB/s\n", best_parse, mb / best_parse);
        fmt::print("read (+finish)   {:.3f} s  {:.0f} MB/s\n", best_read, mb / best_read);
        fmt::print("+ totals         {:.3f} s  {:.0f} MB/s overall\n", best_totals, mb / (best_read + best_totals));
        fmt::print("+ symbol totals  {:.3f} s  {:.0f} MB/s overall\n", best_symbols, mb / (best_read + best_symbols));
        fmt::print("peak memory      {:.1f} MB ({:.0f}% of the map) reading and totalling; "
                   "{:.1f} MB ({:.0f}%) with symbol rows\n",
                   static_cast<double>(peak_without_symbols) / 1e6, percent(peak_without_symbols),
                   static_cast<double>(peak_with_symbols) / 1e6, percent(peak_with_symbols));
    } catch (const Error& e) {
        fmt::print(stderr, "parse_bench: {}\n", e.located());
        return 2;
    }
    return 0;
}

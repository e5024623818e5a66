// Measures how fast sizebudget reads a map and how much memory it needs.
//
//   parse_bench MAP [--linker-script FILE] [--repeat N]
//
// Prints MB/s for parsing alone and for the whole pipeline (parse, finish, totals), and the peak
// resident memory of the process against the map's size.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/resource.h>

#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/totals.hpp"

using namespace sizebudget;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
        double best_parse = 1e30, best_all = 1e30;
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
            {
                LinkMap map = read_map(path, options);
                Totals totals = compute_totals(map);
                (void)totals;
            }
            best_all = std::min(best_all, seconds_since(t0));
        }
        struct rusage ru {};
        getrusage(RUSAGE_SELF, &ru);
        double mb = static_cast<double>(bytes) / 1e6;
        double peak_mb = static_cast<double>(ru.ru_maxrss) * 1024.0 / 1e6;
        fmt::print("map            {} ({:.1f} MB; {} sections, {} input sections, {} symbols)\n", path, mb,
                   sections, inputs, symbols);
        fmt::print("parse          {:.3f} s  {:.0f} MB/s\n", best_parse, mb / best_parse);
        fmt::print("parse+totals   {:.3f} s  {:.0f} MB/s\n", best_all, mb / best_all);
        fmt::print("peak memory    {:.1f} MB  ({:.0f}% of the map's size)\n", peak_mb, 100.0 * peak_mb / mb);
    } catch (const Error& e) {
        fmt::print(stderr, "parse_bench: {}\n", e.located());
        return 2;
    }
    return 0;
}

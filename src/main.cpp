// The `sizebudget` command line: dispatches to a subcommand and turns errors into exit status 2.
// Exit status 1 is reserved for "over budget".
#include <cstdio>
#include <new>
#include <string_view>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/error.hpp"

namespace {

constexpr std::string_view usage =
    "usage: sizebudget <command> [options]\n"
    "\n"
    "commands:\n"
    "  report MAP     memory usage per region, section, archive, object or symbol\n"
    "  check MAP      check the map against a budget file (--budget FILE); exit 1 when over\n"
    "  snapshot MAP   record the totals as a JSON snapshot (-o FILE.json)\n"
    "  diff OLD NEW   what changed between two maps or snapshots\n"
    "\n"
    "Run `sizebudget <command> --help` for the options of a command.\n";

int run(int argc, char** argv) {
    using namespace sizebudget::cli;
    if (argc < 2) {
        std::fputs(usage.data(), stderr);
        return 2;
    }
    std::string_view command = argv[1];
    Args args(argv + 2, argv + argc);
    if (command == "report") return report_command(args);
    if (command == "check") return check_command(args);
    if (command == "snapshot") return snapshot_command(args);
    if (command == "diff") return diff_command(args);
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(usage.data(), stdout);
        return 0;
    }
    if (command == "--version") {
        std::puts("sizebudget " SIZEBUDGET_VERSION);
        return 0;
    }
    fmt::print(stderr, "sizebudget: error: unknown command '{}'\n{}", command, usage);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const sizebudget::Error& e) {
        fmt::print(stderr, "sizebudget: error: {}\n", e.located());
    } catch (const boost::program_options::error& e) {
        fmt::print(stderr, "sizebudget: error: {}\n", e.what());
    } catch (const std::bad_alloc&) {
        fmt::print(stderr, "sizebudget: error: out of memory\n");
    } catch (const std::exception& e) {
        fmt::print(stderr, "sizebudget: error: {}\n", e.what());
    }
    return 2;
}

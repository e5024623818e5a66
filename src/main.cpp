// The `sizebudget` command line: dispatches to a subcommand and turns errors into exit status 2.
// Exit status 1 is reserved for "over budget".
#include <cstdio>
#include <new>
#include <string_view>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/demangle.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/output_file.hpp"

namespace {

constexpr std::string_view usage =
    "usage: sizebudget <command> [options]\n"
    "\n"
    "commands:\n"
    "  report MAP     memory usage per region, section, archive, object or symbol\n"
    "  check MAP      check the map against a budget file (--budget FILE); exit 1 when over\n"
    "  snapshot MAP   record the totals as a JSON snapshot (-o FILE.json)\n"
    "  diff OLD NEW   what changed between two maps or snapshots\n"
    "  link -- CMD    run a link; when a region overflows, break its map down\n"
    "  why MAP ITEM   why a symbol, object or archive is linked, and what leaving it out saves\n"
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
    if (command == "link") return link_command(args);
    if (command == "why") return why_command(args);
    if (command == "--help" || command == "-h" || command == "help") {
        sizebudget::write_stdout(usage);
        return 0;
    }
    if (command == "--version") {
        sizebudget::write_stdout("sizebudget " SIZEBUDGET_VERSION "\n");
        return 0;
    }
    fmt::print(stderr, "sizebudget: error: unknown command '{}'\n{}", command, usage);
    return 2;
}

// The one error line. Never throws: when even standard error cannot be written (2>/dev/full),
// the exit status still says what happened.
void print_error(std::string_view message) {
    std::string line = fmt::format("sizebudget: error: {}\n", message);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
    sizebudget::install_output_signal_handlers();
    try {
        const int status = run(argc, argv);
        if (const auto& overlong = sizebudget::overlong_names(); overlong.count > 0)
            fmt::print(stderr,
                       "sizebudget: warning: {}{} symbol name{} would demangle to more than 64 KiB and {} shown "
                       "mangled (first: {:.120}{})\n",
                       overlong.count >= 1000 ? "at least " : "", overlong.count, overlong.count == 1 ? "" : "s",
                       overlong.count == 1 ? "is" : "are", overlong.first, overlong.first.size() > 120 ? "..." : "");
        // Warnings and notes went to stderr through stdio: a failed write there is an error too.
        if (std::fflush(stderr) != 0 || std::ferror(stderr)) return 2;
        return status;
    } catch (const sizebudget::Error& e) {
        print_error(e.located());
    } catch (const boost::program_options::error& e) {
        print_error(e.what());
    } catch (const std::bad_alloc&) {
        print_error("out of memory");
    } catch (const std::exception& e) {
        print_error(e.what());
    }
    return 2;
}

// sizebudget link [--target NAME] [--linker-script FILE [-L DIR]...] -- LINK COMMAND...
//
// The linker launcher of firmware_size_budget(): runs the link command as it is, its output
// passed through. When the link fails because a memory region overflowed, GNU ld and ld.lld
// have usually written the map all the same: its breakdown follows the linker's error, so what
// filled the region is on screen, not only the linker's one line. Any other failure ends with
// the linker's own error and nothing of ours.
//
// Exit status: 0 when the link succeeded, 1 when it failed because a region overflowed (over
// budget: the linker's own budget), 2 when it failed otherwise or could not be run.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/input_file.hpp"
#include "sizebudget/link_invocation.hpp"
#include "sizebudget/linker_script.hpp"
#include "sizebudget/output_file.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/totals.hpp"

namespace po = boost::program_options;

namespace sizebudget::cli {

namespace {

struct LinkResult {
    bool ran = false;     // false: the command could not be started
    int status = 0;       // exit status, or 128 + signal
    std::string stderr_tail;  // the end of what it wrote to stderr: where the errors are
};

void write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // our stderr is gone: the link's result still counts
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

// execvp()'s argument vector for `command`: pointers into it, which must outlive the exec.
std::vector<char*> argv_of(const std::vector<std::string>& command) {
    std::vector<char*> argv;
    for (const std::string& a : command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    return argv;
}

// The exit status of child `pid`, or 128 + the signal that ended it, as a shell reports it.
int wait_for(pid_t pid) {
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

// Runs `command` with stdout inherited and stderr passed through a pipe, echoed as it arrives
// and its last megabyte kept for overflow_regions(): a linker's errors come last.
LinkResult run_link(const std::vector<std::string>& command) {
    constexpr std::size_t keep = 1 << 20;
    int err[2];
    if (::pipe2(err, O_CLOEXEC) != 0) throw Error("sizebudget link", fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    // A pipe that tells the parent whether exec worked: closed by exec (success) or written (errno).
    int status_pipe[2];
    if (::pipe2(status_pipe, O_CLOEXEC) != 0) throw Error("sizebudget link", fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    std::vector<char*> argv = argv_of(command);
    pid_t pid = ::fork();
    if (pid < 0) throw Error("sizebudget link", fmt::format("cannot start the link: {}", std::strerror(errno)));
    if (pid == 0) {
        ::dup2(err[1], STDERR_FILENO);
        ::signal(SIGPIPE, SIG_DFL);  // ignored by us (output_file.hpp), not by the linker
        ::execvp(argv[0], argv.data());
        int e = errno;
        write_all(status_pipe[1], reinterpret_cast<const char*>(&e), sizeof e);
        ::_exit(127);
    }
    ::close(err[1]);
    ::close(status_pipe[1]);
    LinkResult result;
    int exec_errno = 0;
    ssize_t got = 0;
    do got = ::read(status_pipe[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    ::close(status_pipe[0]);
    result.ran = got != static_cast<ssize_t>(sizeof exec_errno);

    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(err[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        write_all(STDERR_FILENO, buffer, static_cast<std::size_t>(n));
        result.stderr_tail.append(buffer, static_cast<std::size_t>(n));
        if (result.stderr_tail.size() > 2 * keep) result.stderr_tail.erase(0, result.stderr_tail.size() - keep);
    }
    ::close(err[0]);
    result.status = wait_for(pid);
    if (!result.ran)
        throw Error(command[0], fmt::format("cannot run the link command: {}", std::strerror(exec_errno)));
    return result;
}

// The script that defines the link's regions, for maps that carry none (ld.lld's): the given
// one, else the first -T script of the link whose MEMORY block can be read.
std::optional<std::string> region_script(const std::optional<std::string>& given, const LinkInvocation& link,
                                         const std::vector<std::string>& search_dirs) {
    if (given) return given;
    for (const std::string& name : link.scripts) {
        // Found as the linkers find -T scripts: as given, else in the -L folders (cortex-m-rt's
        // `-Tlink.x` lives in a build folder of its own).
        std::string script = name;
        std::error_code ec;
        for (std::size_t i = 0; !std::filesystem::is_regular_file(script, ec) && i < search_dirs.size(); ++i)
            script = (std::filesystem::path(search_dirs[i]) / name).string();
        try {
            if (!read_linker_script(script, search_dirs).regions.empty()) return script;
        } catch (const Error&) {
            // A script we cannot read may still be fine for the linker: try the next one.
        }
    }
    return std::nullopt;
}

// ld.lld stops at its error limit (20 errors, one per input section that does not fit) before it
// writes the map. The same link again without the limit writes it; its output, should there be
// one, goes to a scratch file, never to the build's. (GNU ld writes its map whatever the errors.)
std::vector<std::string> relink_for_map(const std::vector<std::string>& command, const std::string& scratch) {
    const std::string tool = std::filesystem::path(command[0]).filename().string();
    const bool driver = tool.find("gcc") != std::string::npos || tool.find("g++") != std::string::npos ||
                        tool.find("clang") != std::string::npos || tool == "cc" || tool == "c++" ||
                        tool.ends_with("-cc") || tool.ends_with("-c++");
    std::vector<std::string> again;
    bool output_replaced = false;
    for (std::size_t i = 0; i < command.size(); ++i) {
        if (command[i] == "-o" && i + 1 < command.size()) {
            again.insert(again.end(), {"-o", scratch});
            ++i;
            output_replaced = true;
        } else if (command[i].starts_with("-o") && command[i].size() > 2 && i > 0) {
            again.push_back("-o" + scratch);
            output_replaced = true;
        } else {
            again.push_back(command[i]);
        }
    }
    if (!output_replaced) return {};  // -o in a response file: not worth guessing
    again.push_back(driver ? "-Wl,--error-limit=0" : "--error-limit=0");
    return again;
}

// Runs `command` with its stderr discarded: the messages were shown by the first run.
int run_quietly(const std::vector<std::string>& command) {
    std::vector<char*> argv = argv_of(command);
    pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) {
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
        }
        ::signal(SIGPIPE, SIG_DFL);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    return wait_for(pid);
}

void print_breakdown(const std::string& name, const std::string& regions, const std::string& map_path,
                     const ReadOptions& read) {
    LinkMap map = read_map(map_path, read);
    TotalsOptions needed;
    needed.symbols = true;
    Totals totals = compute_totals(map, needed);
    ReportOptions objects;
    objects.by = Breakdown::object;
    objects.top = 20;
    ReportOptions symbols;
    symbols.by = Breakdown::symbol;
    symbols.top = 10;
    write_stdout(fmt::format("\nsizebudget: {}: region {} overflowed; what the linker placed ({}):\n\n{}\n{}",
                             name, regions, map_path, text_report(map, totals, objects),
                             breakdown_table(totals, symbols)));
}

}  // namespace

int link_command(const Args& args) {
    auto separator = std::find(args.begin(), args.end(), "--");
    const char* usage = "sizebudget link [--target NAME] [--linker-script FILE [-L DIR]...] -- LINK COMMAND...";
    Args own(args.begin(), separator);
    std::vector<std::string> command(separator == args.end() ? args.end() : separator + 1, args.end());

    std::string target;
    ReadOptions read;
    po::options_description desc("link options");
    desc.add_options()
        ("target", po::value(&target), "name of the linked target, for the messages (default: the -o file's name)")
        ("linker-script", po::value<std::string>()->notifier(
             [&read](const std::string& v) { read.linker_script = v; }),
         "linker script whose MEMORY block defines the regions (default: the link's own -T script)")
        ("library-path,L", po::value<std::vector<std::string>>()->composing()->notifier(
             [&read](const std::vector<std::string>& v) { read.search_dirs = v; }),
         "folder where the linker script's INCLUDE files are found (default: the link's own -L folders)");
    po::variables_map vm;
    if (parse_args(own, desc, {}, vm, usage)) return 0;
    if (command.empty()) throw po::error(fmt::format("no link command after --; usage: {}", usage));

    const LinkInvocation link = read_link_command(command);
    if (target.empty())
        target = link.output.empty() ? std::string("link") : std::filesystem::path(link.output).filename().string();
    // A map left from an earlier link must not pass for this link's.
    std::error_code ec;
    if (link.map && std::filesystem::is_regular_file(*link.map, ec)) std::filesystem::remove(*link.map, ec);

    const LinkResult result = run_link(command);
    if (result.status == 0) return 0;
    const std::vector<std::string> overflowed = overflowed_regions(result.stderr_tail);
    if (overflowed.empty()) return 2;  // the linker's own error is the last thing on screen

    const std::string regions = fmt::format("{}", fmt::join(overflowed, ", "));
    if (link.map && !is_regular_file(*link.map)) {
        const std::string scratch = (link.output.empty() ? std::string("link") : link.output) + ".sizebudget-relink";
        const std::vector<std::string> again = relink_for_map(command, scratch);
        if (!again.empty()) run_quietly(again);
        std::filesystem::remove(scratch, ec);
    }
    if (!link.map) {
        fmt::print(stderr, "sizebudget: {}: region {} overflowed; the link writes no map (-Map) to break it down\n",
                   target, regions);
    } else if (!is_regular_file(*link.map)) {
        fmt::print(stderr, "sizebudget: {}: region {} overflowed, but the linker wrote no map ({}) to break it down\n",
                   target, regions, *link.map);
    } else {
        if (read.search_dirs.empty()) read.search_dirs = link.search_dirs;
        read.linker_script = region_script(read.linker_script, link, read.search_dirs);
        try {
            print_breakdown(target, regions, *link.map, read);
        } catch (const Error& e) {
            fmt::print(stderr, "sizebudget: {}: region {} overflowed; its map cannot be broken down: {}\n", target,
                       regions, e.located());
        }
    }
    fmt::print(stderr, "sizebudget: {}: the link failed: region {} overflowed (the linker's error is above)\n",
               target, regions);
    return 1;
}

}  // namespace sizebudget::cli

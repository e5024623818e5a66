#pragma once
// Writing what a command produces (-o/--output, a baseline) without destroying anything.
#include <memory>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <string_view>
#include <vector>

namespace sizebudget {

// Writes `content` to `path`:
// - "-" or "" is standard output, as is any path that is standard output itself (/dev/stdout);
// - a regular file (or the file a symlink points to) is replaced atomically: a temporary in the
//   same folder, then a rename, keeping the replaced file's mode and owner; a new file gets the
//   umask's mode. A read-only file is refused.
// - a character device or FIFO (/dev/null, a pipe) is written through, never replaced; a FIFO
//   nobody reads is refused at once rather than waited on;
// - a directory, block device or socket is refused, and so is any of `inputs` (the same file).
// Every failed write, short write or flush throws Error (full disk, EPIPE, a closed descriptor).
// The temporary is removed on every catchable signal; one left by a killed run (named
// ".NAME.sizebudget-PID.XXXXXX") is removed by the next write to the same file.
void write_output(const std::string& path, std::string_view content, const std::vector<std::string>& inputs = {});

class TempGuard;

// The same, for content written piece by piece (a report of two million symbol rows is larger
// than the map it comes from, and need not be held whole): nothing is replaced until commit();
// destroyed without it, the temporary is removed and the target left as it was. (Standard
// output and devices are written as the pieces come.)
class OutputFile {
public:
    OutputFile(const std::string& path, const std::vector<std::string>& inputs = {});
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    void write(std::string_view content);
    void commit();

private:
    void open_temporary(const std::string& target);
    [[noreturn]] void fail(const std::string& what);

    std::string shown_;      // the path as given, for messages
    int fd_ = -1;
    bool own_fd_ = false;    // closed here (not standard output)
    std::string target_;     // the regular file replaced on commit(), symlinks followed
    std::string temporary_;  // where the content goes until then
    std::optional<struct stat> replaced_;
    std::unique_ptr<TempGuard> guard_;
};

// Writes to standard output or standard error, throwing Error when the write fails.
void write_stdout(std::string_view content);

// Installs the handlers that remove a pending temporary on SIGINT, SIGTERM, SIGHUP, SIGQUIT,
// SIGUSR1/2, SIGPIPE, SIGXCPU, SIGXFSZ, SIGALRM, SIGVTALRM and SIGPROF, and makes a broken pipe
// an error (EPIPE) instead of a silent death. Called once at start-up.
void install_output_signal_handlers();

}  // namespace sizebudget

#pragma once
// Writing what a command produces (-o/--output, a baseline) without destroying anything.
#include <string>
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

// Writes to standard output or standard error, throwing Error when the write fails.
void write_stdout(std::string_view content);

// Installs the handlers that remove a pending temporary on SIGINT, SIGTERM, SIGHUP, SIGQUIT,
// SIGUSR1/2, SIGPIPE, SIGXCPU, SIGXFSZ, SIGALRM, SIGVTALRM and SIGPROF, and makes a broken pipe
// an error (EPIPE) instead of a silent death. Called once at start-up.
void install_output_signal_handlers();

}  // namespace sizebudget

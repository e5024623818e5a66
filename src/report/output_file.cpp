// Outputs that never replace what they point at unless it is a regular file we may replace.
#include "sizebudget/output_file.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sizebudget/error.hpp"

namespace sizebudget {

namespace {

// The temporary being written, for the signal handler. A fixed buffer because a handler may not
// allocate.
char pending_temp[4096];
volatile std::sig_atomic_t have_pending_temp = 0;

constexpr int cleanup_signals[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,   SIGUSR1, SIGUSR2,
                                   SIGPIPE, SIGXCPU, SIGXFSZ, SIGALRM, SIGVTALRM, SIGPROF};

extern "C" void remove_temp_and_reraise(int sig) {
    if (have_pending_temp) ::unlink(pending_temp);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void write_all(int fd, std::string_view content, const std::string& name) {
    const char* p = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(name, fmt::format("cannot write: {}", std::strerror(errno)));
        if (n == 0) throw Error(name, "cannot write: the device took no more");
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

// The file a chain of symlinks ends at (which need not exist yet).
std::string resolve_links(const std::string& path) {
    std::filesystem::path p(path);
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!std::filesystem::is_symlink(p, ec)) return p.string();
        std::filesystem::path target = std::filesystem::read_symlink(p, ec);
        if (ec) return p.string();
        p = target.is_absolute() ? target : p.parent_path() / target;
    }
    throw Error(path, "too many levels of symbolic links");
}

// Temporaries of earlier runs that were killed (SIGKILL cannot be caught): ".NAME.sizebudget-PID.*"
// whose process is gone.
void remove_stale_temporaries(const std::filesystem::path& dir, const std::string& name) {
    const std::string prefix = "." + name + ".sizebudget-";
    DIR* d = ::opendir(dir.empty() ? "." : dir.c_str());
    if (d == nullptr) return;
    while (const dirent* e = ::readdir(d)) {
        std::string_view entry = e->d_name;
        if (!entry.starts_with(prefix)) continue;
        std::string_view rest = entry.substr(prefix.size());
        const std::size_t dot = rest.find('.');
        if (dot == std::string_view::npos || dot == 0) continue;
        pid_t pid = 0;
        for (char c : rest.substr(0, dot)) {
            if (c < '0' || c > '9') {
                pid = -1;
                break;
            }
            pid = pid * 10 + (c - '0');
        }
        if (pid <= 0 || pid == ::getpid()) continue;
        if (::kill(pid, 0) != 0 && errno == ESRCH) ::unlink((dir / std::string(entry)).c_str());
    }
    ::closedir(d);
}

}  // namespace

// Records the temporary for the signal handler while it exists.
class TempGuard {
public:
    explicit TempGuard(const std::string& tmp) {
        if (tmp.size() >= sizeof pending_temp) return;
        std::memcpy(pending_temp, tmp.c_str(), tmp.size() + 1);
        have_pending_temp = 1;
    }
    ~TempGuard() { have_pending_temp = 0; }
    TempGuard(const TempGuard&) = delete;
    TempGuard& operator=(const TempGuard&) = delete;
};

void install_output_signal_handlers() {
    for (int sig : cleanup_signals) {
        struct sigaction old {};
        ::sigaction(sig, nullptr, &old);
        if (old.sa_handler == SIG_IGN && sig != SIGPIPE) continue;  // nohup and the like: keep ignoring
        std::signal(sig, remove_temp_and_reraise);
    }
    // A closed pipe is a write error (EPIPE) reported as such, not a silent death.
    std::signal(SIGPIPE, SIG_IGN);
}

void write_stdout(std::string_view content) { write_all(STDOUT_FILENO, content, "standard output"); }

OutputFile::OutputFile(const std::string& path, const std::vector<std::string>& inputs) : shown_(path) {
    if (path.empty() || path == "-") {
        shown_ = "standard output";
        fd_ = STDOUT_FILENO;
        return;
    }
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (!exists && errno != ENOENT) throw Error(path, fmt::format("cannot write: {}", std::strerror(errno)));
    if (exists) {
        for (const std::string& input : inputs) {
            struct stat in {};
            if (!input.empty() && ::stat(input.c_str(), &in) == 0 && same_file(st, in))
                throw Error(path, fmt::format("is also an input of this command ({}): refusing to overwrite it", input));
        }
        struct stat out {};
        if (::fstat(STDOUT_FILENO, &out) == 0 && same_file(st, out)) {
            shown_ = "standard output";
            fd_ = STDOUT_FILENO;
            return;
        }
        if (S_ISDIR(st.st_mode)) throw Error(path, "is a directory, not a file to write");
        if (S_ISBLK(st.st_mode)) throw Error(path, "is a block device: refusing to write a report onto it");
        if (S_ISSOCK(st.st_mode)) throw Error(path, "is a socket, not a file to write");
        if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
            // Written through, as a shell redirection would; a FIFO without a reader fails at once.
            fd_ = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
            if (fd_ < 0)
                throw Error(path, errno == ENXIO ? std::string("is a FIFO nobody reads: nothing to write to")
                                                 : fmt::format("cannot write: {}", std::strerror(errno)));
            ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
            own_fd_ = true;
            return;
        }
        if ((st.st_mode & 0222) == 0)
            throw Error(path, "is read-only: refusing to replace it (make it writable first)");
        replaced_ = st;
    }
    open_temporary(resolve_links(path));
}

void OutputFile::open_temporary(const std::string& target) {
    namespace fs = std::filesystem;
    const fs::path t(target);
    const fs::path dir = t.parent_path().empty() ? fs::path(".") : t.parent_path();
    const std::string name = t.filename().string();
    remove_stale_temporaries(dir, name);
    // mkstemp gives each concurrent writer its own temporary; the pid in its name lets a later
    // run tell a killed run's leftover from a live one's.
    std::string tmp = (dir / fmt::format(".{}.sizebudget-{}.XXXXXX", name, ::getpid())).string();
    // The signals wait while the temporary is created and recorded: one arriving in between
    // would find nothing recorded to remove.
    sigset_t cleanup, before;
    sigemptyset(&cleanup);
    for (int sig : cleanup_signals) sigaddset(&cleanup, sig);
    ::sigprocmask(SIG_BLOCK, &cleanup, &before);
    const int fd = ::mkstemp(tmp.data());
    const int mkstemp_errno = errno;
    if (fd >= 0) guard_ = std::make_unique<TempGuard>(tmp);
    ::sigprocmask(SIG_SETMASK, &before, nullptr);
    if (fd < 0) throw Error(shown_, fmt::format("cannot write: {}", std::strerror(mkstemp_errno)));
    fd_ = fd;
    own_fd_ = true;
    target_ = target;
    temporary_ = tmp;
}

OutputFile::~OutputFile() {
    if (own_fd_) ::close(fd_);
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void OutputFile::fail(const std::string& what) {
    if (own_fd_) ::close(fd_);
    own_fd_ = false;
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
    temporary_.clear();
    guard_.reset();
    throw Error(shown_, what);
}

void OutputFile::write(std::string_view content) {
    try {
        write_all(fd_, content, shown_);
    } catch (const Error& e) {
        fail(e.what());
    }
}

void OutputFile::commit() {
    if (!own_fd_) return;  // standard output: each write was checked
    if (temporary_.empty()) {
        // A device or FIFO written through.
        own_fd_ = false;
        if (::close(fd_) != 0) throw Error(shown_, fmt::format("cannot write: {}", std::strerror(errno)));
        return;
    }
    if (replaced_) {
        // Keep the replaced file's mode and owner (the owner only where we may set it).
        if (::fchmod(fd_, replaced_->st_mode & 07777) != 0) fail(fmt::format("cannot write: {}", std::strerror(errno)));
        if (::fchown(fd_, replaced_->st_uid, replaced_->st_gid) != 0 && errno != EPERM)
            fail(fmt::format("cannot write: {}", std::strerror(errno)));
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        if (::fchmod(fd_, 0666 & ~mask) != 0) fail(fmt::format("cannot write: {}", std::strerror(errno)));
    }
    if (::fsync(fd_) != 0 && errno != EINVAL) fail(fmt::format("cannot write: {}", std::strerror(errno)));
    own_fd_ = false;
    if (::close(fd_) != 0) fail(fmt::format("cannot write: {}", std::strerror(errno)));
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) fail(fmt::format("cannot write: {}", std::strerror(errno)));
    temporary_.clear();
    guard_.reset();
}

void write_output(const std::string& path, std::string_view content, const std::vector<std::string>& inputs) {
    OutputFile out(path, inputs);
    out.write(content);
    out.commit();
}

}  // namespace sizebudget

#include "sizebudget/atomic_file.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sizebudget/error.hpp"

namespace sizebudget {

namespace {

// The temporary being written, for the signal handler: Ctrl-C during a write must not leave it
// behind. A fixed buffer because a handler may not allocate.
char pending_temp[4096];
volatile std::sig_atomic_t have_pending_temp = 0;

extern "C" void remove_temp_and_reraise(int sig) {
    if (have_pending_temp) ::unlink(pending_temp);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// Removes the temporary if SIGINT, SIGTERM or SIGHUP arrive while it exists.
class TempGuard {
public:
    explicit TempGuard(const std::string& tmp) {
        if (tmp.size() >= sizeof pending_temp) return;
        std::memcpy(pending_temp, tmp.c_str(), tmp.size() + 1);
        have_pending_temp = 1;
        for (int i = 0; i < 3; ++i) old_[i] = std::signal(signals_[i], remove_temp_and_reraise);
    }
    ~TempGuard() {
        have_pending_temp = 0;
        for (int i = 0; i < 3; ++i)
            if (old_[i] != SIG_ERR) std::signal(signals_[i], old_[i]);
    }
    TempGuard(const TempGuard&) = delete;
    TempGuard& operator=(const TempGuard&) = delete;

private:
    static constexpr int signals_[3] = {SIGINT, SIGTERM, SIGHUP};
    void (*old_[3])(int) = {SIG_ERR, SIG_ERR, SIG_ERR};
};

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
    namespace fs = std::filesystem;
    fs::path target(path);
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    // mkstemp gives each concurrent writer its own temporary, so parallel checks never collide.
    std::string tmp = (dir / fmt::format(".{}.XXXXXX", target.filename().string())).string();
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) throw Error(path, fmt::format("cannot write: {}", std::strerror(errno)));
    TempGuard guard(tmp);
    auto fail = [&](const char* what) {
        int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(path, fmt::format("cannot write ({}): {}", what, std::strerror(err)));
    };
    const char* p = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("write");
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0) fail("chmod");
    if (::fsync(fd) != 0 && errno != EINVAL) fail("fsync");
    if (::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw Error(path, fmt::format("cannot write: {}", std::strerror(errno)));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw Error(path, fmt::format("cannot write: {}", std::strerror(err)));
    }
}

}  // namespace sizebudget

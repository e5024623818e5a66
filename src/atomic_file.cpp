#include "sizebudget/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sizebudget/error.hpp"

namespace sizebudget {

void write_file_atomically(const std::string& path, std::string_view content) {
    namespace fs = std::filesystem;
    fs::path target(path);
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    // mkstemp gives each concurrent writer its own temporary, so parallel checks never collide.
    std::string tmp = (dir / fmt::format(".{}.XXXXXX", target.filename().string())).string();
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) throw Error(path, fmt::format("cannot write: {}", std::strerror(errno)));
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

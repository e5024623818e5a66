#include "sizebudget/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

#include <fmt/format.h>

#include "sizebudget/error.hpp"

namespace sizebudget {

void require_regular_file(const std::string& path, std::string_view what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(path, fmt::format("cannot read the {}: {}", what, std::strerror(errno)));
    if (S_ISDIR(st.st_mode)) throw Error(path, fmt::format("is a directory, not a {}", what));
    if (!S_ISREG(st.st_mode))
        throw Error(path, fmt::format("is not a regular file (a FIFO or a device?), so it cannot be read as the {}", what));
}

bool is_regular_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace sizebudget

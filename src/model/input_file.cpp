#include "sizebudget/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
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

std::string read_small_file(const std::string& path, std::string_view what, std::size_t max_size,
                            std::string_view note) {
    require_regular_file(path, what);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, fmt::format("cannot read the {}: {}", what, std::strerror(errno)));
    std::string text;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_size)
            throw Error(path, fmt::format("the {} is larger than {} MiB{}", what, max_size >> 20, note));
    }
    if (in.bad()) throw Error(path, fmt::format("cannot read the {}", what));
    return text;
}

bool is_regular_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace sizebudget

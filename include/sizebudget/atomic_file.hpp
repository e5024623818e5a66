#pragma once
#include <string>
#include <string_view>

namespace sizebudget {

// Writes `content` to `path` through a temporary file in the same directory and a rename, so a
// reader never sees a torn file and an interrupted run leaves the old file (or none) in place.
// Throws Error when the file cannot be written.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace sizebudget

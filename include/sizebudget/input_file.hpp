#pragma once
// Inputs read whole (budgets, snapshots, ELF images, linker scripts) must be regular files: a
// FIFO nobody writes or a device would block forever or never end.
#include <string>
#include <string_view>

namespace sizebudget {

// Throws Error(path, ...) unless `path` names a regular file (following symlinks); `what` says
// what it should have been ("budget file", "snapshot").
void require_regular_file(const std::string& path, std::string_view what);

// The whole of a small regular file (a budget, hint rules): Error(path, ...) when it is not one,
// cannot be read, or holds more than `max_size` bytes ("the {what} is larger than N MiB{note}").
std::string read_small_file(const std::string& path, std::string_view what, std::size_t max_size,
                            std::string_view note = {});

// True when `path` names a regular file.
bool is_regular_file(const std::string& path);

}  // namespace sizebudget

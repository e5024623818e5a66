#pragma once
// Inputs read whole (budgets, snapshots, ELF images, linker scripts) must be regular files: a
// FIFO nobody writes or a device would block forever or never end.
#include <string>
#include <string_view>

namespace sizebudget {

// Throws Error(path, ...) unless `path` names a regular file (following symlinks); `what` says
// what it should have been ("budget file", "snapshot").
void require_regular_file(const std::string& path, std::string_view what);

// True when `path` names a regular file.
bool is_regular_file(const std::string& path);

}  // namespace sizebudget

#include "sizebudget/string_pool.hpp"

#include <cstring>
#include <string>

#include "sizebudget/link_map.hpp"
#include "sizebudget/utf8.hpp"

namespace sizebudget {

namespace {
constexpr std::size_t block_size = 256 * 1024;
}

std::string_view StringPool::copy(std::string_view text) {
    if (text.empty()) return {};
    if (!is_valid_utf8(text)) return store(escape_invalid_utf8(text));
    return store(text);
}

// Each text is followed by a NUL: a symbol keeps a pointer without a length (link_map.hpp).
std::string_view StringPool::store(std::string_view text) {
    const std::size_t stored = text.size() + 1;
    bytes_used_ += stored;
    char* out = nullptr;
    if (stored > block_size / 4) {
        // A long name gets a block of its own so the current block is not abandoned half full.
        blocks_.push_back(std::make_unique_for_overwrite<char[]>(stored));
        out = blocks_.back().get();
    } else {
        if (stored > block_left_) {
            blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_size));
            block_next_ = blocks_.back().get();
            block_left_ = block_size;
        }
        out = block_next_;
        block_next_ += stored;
        block_left_ -= stored;
    }
    std::memcpy(out, text.data(), text.size());
    out[text.size()] = '\0';
    return {out, text.size()};
}

std::string_view StringPool::intern(std::string_view text) {
    if (text.empty()) return {};
    // Everything stored is valid UTF-8, so a hit needs no check; only new text is checked.
    if (auto it = interned_.find(text); it != interned_.end()) return *it;
    if (!is_valid_utf8(text)) {
        const std::string escaped = escape_invalid_utf8(text);
        return intern(escaped);
    }
    std::string_view stored = store(text);
    interned_.insert(stored);
    return stored;
}

ScopedName StringPool::path_key(std::string_view path) {
    std::string_view archive, member;
    if (!split_archive_member(path, archive, member)) return {0, path};
    if (last_archive_number_ == 0 || !same_path(archive, this->archive(last_archive_number_))) {
        auto it = archive_numbers_.find(archive);
        if (it == archive_numbers_.end()) {
            // An archive path that is not UTF-8 is stored escaped, and found by that text.
            const std::string_view stored = intern(archive);
            it = archive_numbers_.find(stored);
            if (it == archive_numbers_.end()) {
                archives_.push_back(stored);
                it = archive_numbers_.emplace(stored, static_cast<std::uint32_t>(archives_.size())).first;
            }
        }
        last_archive_number_ = it->second;
    }
    return {last_archive_number_, member};
}

}  // namespace sizebudget

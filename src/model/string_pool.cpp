#include "sizebudget/string_pool.hpp"

#include <cstring>
#include <string>

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

std::string_view StringPool::store(std::string_view text) {
    bytes_used_ += text.size();
    if (text.size() > block_size / 4) {
        // A long name gets a block of its own so the current block is not abandoned half full.
        blocks_.push_back(std::make_unique_for_overwrite<char[]>(text.size()));
        std::memcpy(blocks_.back().get(), text.data(), text.size());
        return {blocks_.back().get(), text.size()};
    }
    if (text.size() > block_left_) {
        blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_size));
        block_next_ = blocks_.back().get();
        block_left_ = block_size;
    }
    char* out = block_next_;
    std::memcpy(out, text.data(), text.size());
    block_next_ += text.size();
    block_left_ -= text.size();
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

}  // namespace sizebudget

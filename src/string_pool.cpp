#include "sizebudget/string_pool.hpp"

#include <cstring>

namespace sizebudget {

namespace {
constexpr std::size_t block_size = 256 * 1024;
}

std::string_view StringPool::store(std::string_view text) {
    bytes_used_ += text.size();
    if (text.size() > block_size / 4) {
        // A long name gets a block of its own so the current block is not abandoned half full.
        blocks_.push_back(std::make_unique<char[]>(text.size()));
        std::memcpy(blocks_.back().get(), text.data(), text.size());
        return {blocks_.back().get(), text.size()};
    }
    if (text.size() > block_left_) {
        blocks_.push_back(std::make_unique<char[]>(block_size));
        block_next_ = blocks_.back().get();
        block_left_ = block_size;
    }
    char* out = block_next_;
    std::memcpy(out, text.data(), text.size());
    block_next_ += text.size();
    block_left_ -= text.size();
    return {out, text.size()};
}

namespace {

// A fast non-cryptographic hash over 8-byte words (names are short and mostly ASCII).
std::uint64_t hash_bytes(std::string_view text) {
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ text.size();
    const char* p = text.data();
    std::size_t n = text.size();
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

}  // namespace

void StringPool::grow() {
    std::vector<Slot> old = std::move(table_);
    table_.assign(old.size() * 2, Slot{});
    const std::size_t mask = table_.size() - 1;
    for (const Slot& s : old) {
        if (s.data == nullptr) continue;
        std::size_t i = s.hash & mask;
        while (table_[i].data != nullptr) i = (i + 1) & mask;
        table_[i] = s;
    }
}

std::string_view StringPool::intern(std::string_view text) {
    if (text.empty()) return {};
    const std::uint64_t h = hash_bytes(text);
    const std::uint32_t h32 = static_cast<std::uint32_t>(h);
    const std::size_t mask = table_.size() - 1;
    std::size_t i = h & mask;
    for (;;) {
        Slot& s = table_[i];
        if (s.data == nullptr) break;
        if (s.hash == h32 && s.size == text.size() && std::memcmp(s.data, text.data(), text.size()) == 0)
            return {s.data, s.size};
        i = (i + 1) & mask;
    }
    std::string_view stored = store(text);
    table_[i] = {stored.data(), static_cast<std::uint32_t>(stored.size()), h32};
    if (++count_ * 4 > table_.size() * 3) grow();  // stay below 3/4 full
    return stored;
}

}  // namespace sizebudget

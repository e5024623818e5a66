// Reading snapshots: one streaming pass of nlohmann's SAX parser straight into the Totals, no
// document tree. A tree of a 370k-symbol snapshot costs several times the file, and nlohmann's
// filtering callback parser is quadratic in the length of an array; rows read here cost what the
// Totals keep and nothing more. JSON objects are unordered, so a file whose keys were sorted (jq -S
// puts "regions" after "archives" and "schema" last) reads the same: what needs another part of
// the document is settled when the document ends.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

#include <boost/unordered/unordered_flat_map.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sizebudget/error.hpp"
#include "sizebudget/identity.hpp"
#include "sizebudget/input_file.hpp"
#include "sizebudget/name_hash.hpp"
#include "sizebudget/snapshot.hpp"

namespace sizebudget {

namespace {

using nlohmann::json;

// Characters for the parser, from a text in memory or a file read in blocks, counting lines and
// columns so that a syntax error is located without the text at hand.
class Source {
public:
    explicit Source(std::string_view text) : data_(text.data()), size_(text.size()) {}
    explicit Source(int fd) : fd_(fd), block_(std::make_unique<std::array<char, 1 << 16>>()) {}

    bool more() {
        if (pos_ < size_) return true;
        if (fd_ < 0) return false;
        ssize_t n;
        do n = ::read(fd_, block_->data(), block_->size());
        while (n < 0 && errno == EINTR);
        if (n < 0) read_error_ = errno;
        data_ = block_->data();
        size_ = n > 0 ? static_cast<std::size_t>(n) : 0;
        pos_ = 0;
        if (n <= 0) fd_ = -1;
        return size_ > 0;
    }
    char take() {
        const char c = data_[pos_++];
        at_line_ = line_, at_column_ = column_;
        if (c == '\n') ++line_, column_ = 1;
        else ++column_;
        return c;
    }
    // Where a syntax error is: the character the parser took last, or the end.
    std::size_t error_line() const { return ended_ ? line_ : at_line_; }
    std::size_t error_column() const { return ended_ ? column_ : at_column_; }
    void mark_end() { ended_ = true; }
    int read_error() const { return read_error_; }

    // The iterator pair nlohmann reads through.
    struct iterator {
        using iterator_category = std::input_iterator_tag;
        using value_type = char;
        using difference_type = std::ptrdiff_t;
        using pointer = const char*;
        using reference = const char&;
        Source* source;
        char current = 0;
        char operator*() const { return current; }
        iterator& operator++() { return *this; }
        // The parser asks "!= end" before each character: that is where it is taken.
        bool operator!=(const iterator&) {
            if (!source->more()) {
                source->mark_end();
                return false;
            }
            current = source->take();
            return true;
        }
        bool operator==(const iterator& other) { return !(*this != other); }
    };

private:
    const char* data_ = nullptr;
    std::size_t size_ = 0, pos_ = 0;
    int fd_ = -1;
    int read_error_ = 0;
    bool ended_ = false;
    std::unique_ptr<std::array<char, 1 << 16>> block_;
    std::size_t line_ = 1, column_ = 1, at_line_ = 1, at_column_ = 1;
};

// The levels of rows a snapshot has, in Totals order.
struct Level {
    const char* key;
    const char* path_key;  // the key of a row's path, or nullptr
    ItemRows Totals::*rows;
};
constexpr std::array<Level, 5> levels = {{{"sections", nullptr, &Totals::sections},
                                          {"archives", "path", &Totals::archives},
                                          {"objects", "path", &Totals::objects},
                                          {"symbols", "object", &Totals::symbols},
                                          {"crates", nullptr, &Totals::crates}}};
constexpr std::size_t symbol_level = 3;  // rows with an address and aliases
constexpr std::size_t crate_level = 4;   // absent from snapshots made before crates were a level

// Keys each object may hold; a writer of this version never writes others.
constexpr std::array<std::string_view, 12> top_keys = {"schema",   "map",      "format",  "allocated",
                                                       "reserved", "regions",  "sections", "archives",
                                                       "objects",  "symbols",  "crates",  "warnings"};
constexpr std::array<std::string_view, 6> region_keys = {"name", "origin", "length", "used", "linker_used", "reserved"};
constexpr std::array<std::string_view, 8> row_keys = {"id", "name", "path", "object", "address", "aliases", "size", "regions"};

template <std::size_t N>
constexpr std::optional<std::size_t> key_index(const std::array<std::string_view, N>& keys, std::string_view key) {
    for (std::size_t i = 0; i < N; ++i)
        if (keys[i] == key) return i;
    return std::nullopt;
}

// The bit of `key` in a set of the keys an object has shown (SnapshotSax::seen_).
template <std::size_t N>
constexpr std::uint32_t key_bit(const std::array<std::string_view, N>& keys, std::string_view key) {
    return 1u << *key_index(keys, key);
}

class SnapshotSax {
public:
    explicit SnapshotSax(const std::string& file) : file_(file) {}

    // --- the SAX interface -----------------------------------------------------------------
    bool null() { return other("null"); }
    bool boolean(bool) { return other("a boolean"); }
    bool number_integer(json::number_integer_t) { return other("a negative number"); }
    bool number_float(json::number_float_t, const json::string_t&) { return other("a fraction"); }
    bool binary(json::binary_t&) { return other("binary data"); }

    bool number_unsigned(json::number_unsigned_t v) {
        switch (in_) {
        case In::top:
            if (key_ == "allocated") s_.totals.allocated = v;
            else if (key_ == "reserved") s_.totals.reserved = v;
            else return other("a number");
            return true;
        case In::region: {
            RegionUsage& u = s_.totals.regions.back();
            if (key_ == "origin") u.origin = v;
            else if (key_ == "length") u.length = v;
            else if (key_ == "used") u.used = v;
            else if (key_ == "linker_used") u.linker_used = v;
            else if (key_ == "reserved") u.reserved = v;
            else return other("a number");
            return true;
        }
        case In::row:
            if (key_ == "size") row_.size = v;
            else if (key_ == "address" && level_ == symbol_level) row_.address = v;
            else if (key_ != "address") return other("a number");
            return true;
        case In::row_regions:
            if (v != 0) row_.regions.at(slot_) = v;
            return true;
        default: return other("a number");
        }
    }

    bool string(json::string_t& v) {
        switch (in_) {
        case In::top:
            if (key_ == "schema") schema(v);
            else if (key_ == "map") s_.map = v;
            else if (key_ == "format") s_.format = v;
            else return other("a string");
            return true;
        case In::region:
            if (key_ != "name") return other("a string");
            if (v.empty()) fail(where() + ".name", "empty region name");
            s_.totals.regions.back().name = v;
            return true;
        case In::row:
            if (key_ == "name") row_.name = strings().intern(v);
            else if (levels[level_].path_key && key_ == "id") row_.id = strings().intern(v);
            else if (levels[level_].path_key && key_ == levels[level_].path_key) row_.path = strings().intern(v);
            else if (key_ != "path" && key_ != "object" && key_ != "id") return other("a string");
            return true;
        case In::row_aliases:
            if (!aliases_.empty()) aliases_ += '\n';
            aliases_ += v;
            return true;
        case In::warnings: s_.warnings.push_back(v); return true;
        default: return other("a string");
        }
    }

    bool start_object(std::size_t) {
        switch (in_) {
        case In::start: in_ = In::top; break;
        case In::regions:
            in_ = In::region;
            s_.totals.regions.emplace_back();
            break;
        case In::level:
            in_ = In::row;
            row_ = ItemSize{};
            break;
        case In::row:
            if (key_ != "regions") return other("an object");
            in_ = In::row_regions;
            row_seen_ = seen_;
            return true;
        default: return other("an object");
        }
        seen_ = 0;
        return true;
    }

    bool key(json::string_t& k) {
        key_ = k;
        std::optional<std::size_t> i;
        switch (in_) {
        case In::top: i = key_index(top_keys, k); break;
        case In::region: i = key_index(region_keys, k); break;
        case In::row: i = key_index(row_keys, k); break;
        case In::row_regions:
            slot_ = region_slot(k);
            if (slot_row_[slot_] == rows_read_ + 1)
                fail(where() + ".regions", fmt::format("the key \"{}\" appears twice in one object", k));
            slot_row_[slot_] = rows_read_ + 1;
            return true;
        default: return true;
        }
        if (!i) fail(where(), fmt::format("unknown key \"{}\"", k));
        const std::uint32_t bit = 1u << *i;
        if (seen_ & bit) fail(where(), fmt::format("the key \"{}\" appears twice in one object", k));
        seen_ |= bit;
        if (in_ == In::top) top_seen_ = seen_;
        return true;
    }

    bool end_object() {
        switch (in_) {
        case In::top: in_ = In::done; break;
        case In::region: end_region(); break;
        case In::row: end_row(); break;
        case In::row_regions:
            in_ = In::row;
            seen_ = row_seen_;
            return true;
        default: break;
        }
        return true;
    }

    bool start_array(std::size_t) {
        if (in_ == In::top) {
            if (key_ == "regions") {
                in_ = In::regions;
                return true;
            }
            if (key_ == "warnings") {
                in_ = In::warnings;
                return true;
            }
            for (std::size_t l = 0; l < levels.size(); ++l)
                if (key_ == levels[l].key) {
                    in_ = In::level;
                    level_ = l;
                    count_ = 0;
                    return true;
                }
        }
        if (in_ == In::row && key_ == "aliases" && level_ == symbol_level) {
            in_ = In::row_aliases;
            aliases_.clear();
            return true;
        }
        return other("an array");
    }

    bool end_array() {
        switch (in_) {
        case In::regions:
        case In::warnings:
        case In::level: in_ = In::top; break;
        case In::row_aliases:
            in_ = In::row;
            row_.aliases = strings().intern(aliases_);
            break;
        default: break;
        }
        seen_ = in_ == In::top ? top_seen_ : seen_;
        return true;
    }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
        std::string what = e.what();
        // "[json.exception.parse_error.101] parse error at line 2, column 1: syntax error ..."
        if (e.id >= 400) {  // out_of_range: a number beyond what JSON readers hold ("2e978")
            if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
            throw Error(file_, "not a valid snapshot: " + what);
        }
        if (auto pos = what.find(": syntax error"); pos != std::string::npos) what = what.substr(pos + 2);
        else if (auto p2 = what.find("] "); p2 != std::string::npos) what = what.substr(p2 + 2);
        syntax_error_ = "not valid JSON (a snapshot was expected): " + what;
        return false;
    }

    // --- after the document ------------------------------------------------------------------
    const std::string& syntax_error() const { return syntax_error_; }

    Snapshot finish() {
        if (in_ != In::done) fail("top level", "expected a JSON object");
        if (!version_) fail("top level", fmt::format("missing \"schema\" (expected \"{}\")", snapshot_schema));
        Totals& t = s_.totals;
        auto need = [&](std::string_view key) {
            if (!(top_seen_ & key_bit(top_keys, key))) fail("top level", fmt::format("missing \"{}\"", key));
        };
        need("allocated");
        if (t.reserved > t.allocated) fail("top level", "more reserved bytes than allocated ones");
        need("regions");
        resolve_regions();
        for (std::size_t l = 0; l < levels.size(); ++l) {
            if (l != crate_level) need(levels[l].key);
            check_level(l);
        }
        t.has_symbols = t.has_crates = true;
        if (*version_ == 1) assign_identities(t);
        return std::move(s_);
    }

private:
    enum class In { start, top, regions, region, level, row, row_regions, row_aliases, warnings, done };

    StringPool& strings() { return *s_.totals.strings; }

    std::string where() const {
        switch (in_) {
        case In::region: return fmt::format("regions[{}]", s_.totals.regions.size() - 1);
        case In::row:
        case In::row_regions:
        case In::row_aliases: return fmt::format("{}[{}]", levels[level_].key, count_);
        case In::regions: return "regions";
        case In::level: return levels[level_].key;
        default: return "top level";
        }
    }
    static std::string join(const std::string& where, const std::string& key) {
        return where == "top level" ? key : where + "." + key;
    }

    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throw Error(file_, fmt::format("invalid snapshot: {}: {}", where, what));
    }

    // A value of the wrong kind for where it is.
    bool other(std::string_view kind) {
        if (in_ == In::start) fail("top level", "expected a JSON object");
        if (in_ == In::regions) fail(where(), "expected an object");
        if (in_ == In::level) fail(where(), "expected an object");
        if (in_ == In::row_aliases) fail(where() + ".aliases", "expected an array of names");
        if (in_ == In::warnings) fail("warnings", "expected an array of strings");
        if (in_ == In::row_regions) fail(where() + ".regions." + key_, "expected a non-negative integer");
        const std::string at = join(where(), key_);
        if (in_ == In::top && (key_ == "regions" || key_ == "warnings" || levels_key(key_))) fail(at, "expected an array");
        if (in_ == In::top && key_ == "schema")
            fail("top level", fmt::format("missing \"schema\" (expected \"{}\")", snapshot_schema));
        if (key_ == "regions" && in_ == In::row) fail(at, "expected an object");
        if (key_ == "aliases") fail(at, "expected an array of names");
        const bool text = key_ == "name" || key_ == "id" || key_ == "path" || key_ == "object" || key_ == "map" ||
                          key_ == "format";
        fail(at, text ? "expected a string" : fmt::format("expected a non-negative integer, not {}", kind));
    }
    static bool levels_key(std::string_view k) {
        return std::any_of(levels.begin(), levels.end(), [&](const Level& l) { return k == l.key; });
    }

    void schema(const std::string& v) {
        if (v == snapshot_schema) version_ = 2;
        else if (v == snapshot_schema_v1) version_ = 1;
        else
            throw Error(file_, fmt::format("unsupported snapshot schema \"{}\" (this sizebudget reads \"{}\" and \"{}\")",
                                           v, snapshot_schema, snapshot_schema_v1));
    }

    void end_region() {
        RegionUsage& u = s_.totals.regions.back();
        const std::string at = where();
        auto need = [&](std::string_view key) {
            if (!(seen_ & key_bit(region_keys, key))) fail(at, fmt::format("missing \"{}\"", key));
        };
        need("name"), need("origin"), need("length"), need("used");
        if (!(seen_ & key_bit(region_keys, "linker_used"))) u.linker_used = u.used;
        // What a region holds ends within the address space; an overflowed region may hold more
        // than its length, but not more than there are addresses.
        if (u.used > ~std::uint64_t{0} - u.origin)
            fail(at + ".used", fmt::format("{} bytes from origin {:#x} run past the 64-bit address space", u.used, u.origin));
        if (u.linker_used > u.used) fail(at + ".linker_used", "more than used: ld's figure never exceeds it");
        if (u.reserved > u.used) fail(at + ".reserved", "more reserved bytes than used ones");
        if (!region_names_.emplace(strings().intern(u.name), s_.totals.regions.size() - 1).second)
            fail(at, fmt::format("region '{}' listed twice", u.name));
        in_ = In::regions;
    }

    void end_row() {
        const std::string at = where();
        auto need = [&](std::string_view key) {
            if (!(seen_ & key_bit(row_keys, key))) fail(at, fmt::format("missing \"{}\"", key));
        };
        need("name"), need("size"), need("regions");
        // The version may come last (sorted keys): a row without its identity is refused then.
        if (levels[level_].path_key && !(seen_ & key_bit(row_keys, "id")) && !missing_id_[level_])
            missing_id_[level_] = at;
        if (level_ != symbol_level) row_.address = 0;
        (s_.totals.*levels[level_].rows).push_back(std::move(row_));
        ++count_;
        ++rows_read_;
        in_ = In::level;
    }

    // Rows may name regions before the region list comes: each name gets a slot on first use,
    // turned into its index in the list when the document ends.
    std::size_t region_slot(const std::string& name) {
        auto [it, fresh] = slots_.try_emplace(strings().intern(name), slot_names_.size());
        if (fresh) {
            slot_names_.push_back(it->first);
            slot_row_.push_back(0);
            slot_first_use_.push_back(where() + ".regions");
        }
        return it->second;
    }

    void resolve_regions() {
        std::vector<std::uint32_t> index(slot_names_.size());
        for (std::size_t i = 0; i < slot_names_.size(); ++i) {
            auto it = region_names_.find(slot_names_[i]);
            if (it == region_names_.end())
                fail(slot_first_use_[i], fmt::format("unknown region '{}'", slot_names_[i]));
            index[i] = static_cast<std::uint32_t>(it->second);
        }
        for (const Level& l : levels)
            (s_.totals.*l.rows).renumber_regions(index);
    }

    // Every allocated byte is in one row of each level (totals.hpp); a snapshot whose rows say
    // otherwise was edited or cut, and its figures cannot be trusted. (An empty level is one the
    // writer did not record.)
    void check_level(std::size_t l) {
        Totals& t = s_.totals;
        ItemRows& rows = t.*levels[l].rows;
        if (version_ == 2 && missing_id_[l]) fail(*missing_id_[l], "missing \"id\"");
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows.bytes(i) > t.allocated)
                fail(fmt::format("{}[{}].size", levels[l].key, i),
                     fmt::format("{} bytes, more than all allocated ones", rows.bytes(i)));
            sum += rows.bytes(i);  // no wrap: each size is at most `allocated` and there are < 2^40 rows
        }
        if (!rows.empty() && sum != t.allocated)
            fail(levels[l].key, fmt::format("the rows add up to {} bytes, but \"allocated\" is {}", sum, t.allocated));
        // Largest first. Ties keep the file's order: the writer's (which sorted symbols by their
        // mangled names, which the file no longer holds), so a snapshot read and written again
        // is the same bytes.
        rows.stable_sort([](const ItemRows& r, std::size_t a, std::size_t b) { return r.bytes(a) > r.bytes(b); });
    }

    const std::string& file_;
    Snapshot s_;
    In in_ = In::start;
    std::string key_;
    std::uint32_t seen_ = 0, top_seen_ = 0, row_seen_ = 0;
    std::optional<int> version_;
    std::size_t level_ = 0, count_ = 0;
    ItemSize row_;
    std::string aliases_;
    std::array<std::optional<std::string>, levels.size()> missing_id_;
    std::string syntax_error_;
    boost::unordered_flat_map<std::string_view, std::size_t, NameHash> region_names_;  // interned
    boost::unordered_flat_map<std::string_view, std::size_t, NameHash> slots_;
    std::vector<std::string_view> slot_names_;
    std::vector<std::string> slot_first_use_;
    std::size_t slot_ = 0;                // the region slot of the current row's current key
    std::size_t rows_read_ = 0;           // rows of all levels so far
    std::vector<std::size_t> slot_row_;   // per slot, 1 + the row that named it last
};

Snapshot parse(Source& source, const std::string& file) {
    SnapshotSax sax(file);
    const bool ok = json::sax_parse(Source::iterator{&source}, Source::iterator{&source}, &sax);
    if (source.read_error() != 0) throw Error(file, fmt::format("cannot read file: {}", std::strerror(source.read_error())));
    if (!ok) throw Error(file, source.error_line(), source.error_column(), sax.syntax_error());
    return sax.finish();
}

}  // namespace

Snapshot parse_snapshot(std::string_view text, const std::string& file) {
    Source source(text);
    return parse(source, file);
}

Snapshot load_snapshot(const std::string& path) {
    require_regular_file(path, "snapshot");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(path, fmt::format("cannot open file: {}", std::strerror(errno)));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    Source source(fd);
    return parse(source, path);
}

}  // namespace sizebudget

// Reading and validating the budget file.
//
// yaml-cpp's Node API keeps one of two duplicate keys silently and expands aliases, so the file is
// read through the event API into a small tree of our own that keeps every key's line and column,
// rejects duplicate keys, anchors and aliases, and bounds nesting. The tree is then validated
// against the format, each problem becoming Error(file, line, column, message).
#include <algorithm>
#include <array>
#include <limits>
#include <span>
#include <optional>

#include <fmt/format.h>

#include "sizebudget/budget.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/utf8.hpp"
#include "sizebudget/input_file.hpp"

#include "budget/yaml_tree.hpp"

namespace sizebudget {

std::string_view entry_kind_name(EntryKind kind) {
    switch (kind) {
    case EntryKind::region: return "region";
    case EntryKind::section: return "section";
    case EntryKind::archive: return "archive";
    case EntryKind::object: return "object";
    case EntryKind::component: return "component";
    case EntryKind::symbol: return "symbol";
    case EntryKind::crate: return "crate";
    case EntryKind::memory: return "memory";
    }
    return "entry";
}

std::string_view entry_list_name(EntryKind kind) {
    switch (kind) {
    case EntryKind::region: return "regions";
    case EntryKind::section: return "sections";
    case EntryKind::archive: return "archives";
    case EntryKind::object: return "objects";
    case EntryKind::component: return "components";
    case EntryKind::symbol: return "symbols";
    case EntryKind::crate: return "crates";
    case EntryKind::memory: return "memories";
    }
    return "entries";
}

std::string_view growth_kind_name(GrowthKind kind) {
    switch (kind) {
    case GrowthKind::region: return "region";
    case GrowthKind::archive: return "archive";
    case GrowthKind::component: return "component";
    case GrowthKind::total: return "total";
    }
    return "entry";
}

std::vector<MemoryType> BudgetFile::declared_memories() const {
    std::vector<MemoryType> out;
    for (const BudgetEntry& e : entries)
        if (e.kind == EntryKind::memory && !e.ranges.empty()) out.push_back({e.key, e.ranges, e.aliases});
    return out;
}

std::vector<MemoryRegion> BudgetFile::declared_regions() const {
    std::vector<MemoryRegion> out;
    for (const BudgetEntry& e : entries)
        if (e.kind == EntryKind::region && e.origin && e.length)
            out.push_back({e.key, *e.origin, *e.length, {}});
    return out;
}

namespace {

using KeyList = std::span<const std::string_view>;

constexpr std::array<std::string_view, 11> top_keys = {"version",    "strict",  "regions", "memories",
                                                       "sections",   "archives", "objects", "crates",
                                                       "components", "symbols", "growth"};
constexpr std::array<std::string_view, 4> growth_keys = {"regions", "archives", "components", "total"};
constexpr std::array<std::string_view, 4> region_keys = {"max", "warn", "origin", "length"};
constexpr std::array<std::string_view, 4> memory_keys = {"max", "warn", "ranges", "aliases"};
constexpr std::array<std::string_view, 3> item_keys = {"max", "warn", "region"};
constexpr std::array<std::string_view, 7> component_keys = {"archives", "objects", "crates", "symbols",
                                                            "max",      "warn",    "region"};

std::string_view article(std::string_view noun) {
    return !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos ? "an" : "a";
}

class Validator {
public:
    explicit Validator(const std::string& path) : path_(path) {}

    BudgetFile validate(const YNode& root) {
        BudgetFile budget;
        budget.path = path_;
        if (root.kind != YNode::Kind::map)
            fail(root.where, fmt::format("a budget file is a mapping (`version: 1`, then regions:, archives:, "
                                         "...), not {}",
                                         describe(root)));
        check_keys(root, top_keys, "at the top level");
        bool have_version = false;
        for (std::size_t i = 0; i < root.keys.size(); ++i) {
            const std::string& key = root.keys[i];
            const YNode& value = root.items[i];
            if (key == "version") {
                have_version = true;
                budget.version = parse_version(value);
            } else if (key == "strict") {
                budget.strict = parse_bool(value, "strict");
            } else if (key == "growth") {
                budget.has_growth = true;
                budget.growth_where = root.key_where[i];
                parse_growth(value, budget.growth);
            } else {
                EntryKind kind = key == "regions"    ? EntryKind::region
                                 : key == "sections" ? EntryKind::section
                                 : key == "archives" ? EntryKind::archive
                                 : key == "objects"  ? EntryKind::object
                                 : key == "components" ? EntryKind::component
                                 : key == "crates"     ? EntryKind::crate
                                 : key == "memories"   ? EntryKind::memory
                                                       : EntryKind::symbol;
                parse_list(kind, value, budget.entries);
            }
        }
        if (!have_version)
            fail(root.where, "missing `version: 1`: a budget file starts with the version of its format");
        // Two declared memories cannot share an address: a byte is in one memory.
        for (std::size_t i = 0; i < budget.entries.size(); ++i)
            for (std::size_t j = 0; j < i; ++j) {
                const BudgetEntry &a = budget.entries[i], &b = budget.entries[j];
                if (a.kind != EntryKind::memory || b.kind != EntryKind::memory) continue;
                std::vector<AddressRange> ra = a.ranges, rb = b.ranges;
                ra.insert(ra.end(), a.aliases.begin(), a.aliases.end());
                rb.insert(rb.end(), b.aliases.begin(), b.aliases.end());
                for (const AddressRange& x : ra)
                    for (const AddressRange& y : rb)
                        if (x.start < y.end() && y.start < x.end())
                            fail(a.where, fmt::format("memory '{}' overlaps memory '{}' (line {}) at 0x{:x}", a.key, b.key,
                                                      b.where.line, std::max(x.start, y.start)));
            }
        // A component's growth needs the component's globs from `components:`.
        for (const GrowthEntry& g : budget.growth) {
            if (g.kind != GrowthKind::component) continue;
            bool defined = std::any_of(budget.entries.begin(), budget.entries.end(), [&](const BudgetEntry& e) {
                return e.kind == EntryKind::component && e.key == g.key;
            });
            if (!defined)
                fail(g.where, fmt::format("growth of component '{}': no such component in `components:`, which "
                                          "defines what belongs to it",
                                          g.key));
        }
        return budget;
    }

private:
    [[noreturn]] void fail(SourceLocation where, const std::string& message) const {
        throw Error(path_, where.line, where.column, printable(message));
    }

    static std::string describe(const YNode& n) {
        switch (n.kind) {
        case YNode::Kind::null: return "nothing";
        case YNode::Kind::sequence: return "a list";
        case YNode::Kind::map: return "a mapping";
        case YNode::Kind::scalar: break;
        }
        // A whole file read as one value (a map given as the budget) is quoted by its start.
        constexpr std::size_t max_quoted = 60;
        if (n.value.size() > max_quoted)
            return fmt::format("'{}...' ({} bytes)", std::string_view(n.value).substr(0, max_quoted), n.value.size());
        return fmt::format("'{}'", n.value);
    }

    void check_keys(const YNode& map, KeyList allowed, std::string_view context) const {
        for (std::size_t i = 0; i < map.keys.size(); ++i) {
            const std::string& key = map.keys[i];
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string_view best;
            std::size_t best_distance = std::numeric_limits<std::size_t>::max();
            for (std::string_view candidate : allowed) {
                std::size_t d = edit_distance(key, candidate);
                if (d < best_distance) {
                    best_distance = d;
                    best = candidate;
                }
            }
            // `max: 1,5K` inside { } parses as `max: 1` and a key `5K`: say what was meant.
            if (i > 0 && !key.empty() && key[0] >= '0' && key[0] <= '9' && map.items[i - 1].kind == YNode::Kind::scalar)
                fail(map.items[i - 1].where,
                     fmt::format("malformed size '{},{}' for '{}': a size has no ',' (the decimal point is "
                                 "'.', as in 1.5K); inside {{ }} a ',' separates entries",
                                 printable(map.items[i - 1].value), printable(key), map.keys[i - 1]));
            std::string message = fmt::format("unknown key '{}' {}", key, context);
            if (best_distance <= 2 && best_distance < key.size())
                message += fmt::format(" (did you mean '{}'?)", best);
            else
                message += fmt::format(" (known keys: {})", fmt::join(allowed, ", "));
            fail(map.key_where[i], message);
        }
    }

    int parse_version(const YNode& n) const {
        if (n.kind != YNode::Kind::scalar)
            fail(n.where, fmt::format("`version` must be the number 1, not {}", describe(n)));
        if (n.value != "1")
            fail(n.where, fmt::format("unsupported budget file version '{}': this sizebudget reads version 1",
                                      n.value));
        return 1;
    }

    bool parse_bool(const YNode& n, std::string_view key) const {
        if (n.kind == YNode::Kind::scalar) {
            if (n.value == "true" || n.value == "True" || n.value == "TRUE") return true;
            if (n.value == "false" || n.value == "False" || n.value == "FALSE") return false;
        }
        fail(n.where, fmt::format("`{}` must be true or false, not {}", key, describe(n)));
    }

    std::string parse_name(const YNode& n, std::string_view what) const {
        if (n.kind != YNode::Kind::scalar)
            fail(n.where, fmt::format("{} must be a name, not {}", what, describe(n)));
        if (n.value.empty()) fail(n.where, fmt::format("{} must not be empty", what));
        return n.value;
    }

    Quantity parse_size(const YNode& n, std::string_view what) const {
        if (n.kind != YNode::Kind::scalar)
            fail(n.where, fmt::format("{} must be a size (e.g. 96K, 0x1000, 1.5MiB), not {}", what, describe(n)));
        std::string error;
        std::optional<Quantity> q = parse_quantity(n.value, error);
        if (!q) fail(n.where, fmt::format("{}: {}", what, error));
        q->where = n.where;
        return *q;
    }

    void check_glob(std::string_view glob, SourceLocation where) const {
        if (glob.empty()) fail(where, "empty name or glob");
        if (std::string why = glob_error(glob); !why.empty()) fail(where, fmt::format("bad glob '{}': {}", glob, why));
    }

    void parse_list(EntryKind kind, const YNode& list, std::vector<BudgetEntry>& out) const {
        const std::string_view name = entry_list_name(kind);
        if (list.kind == YNode::Kind::null) return;  // `archives:` with every entry commented out
        if (list.kind != YNode::Kind::map)
            fail(list.where,
                 fmt::format("`{}` must be a mapping of {} to budgets (`{}: {{ max: 12K }}`), not {}", name,
                             kind == EntryKind::region || kind == EntryKind::component ? "names" : "globs",
                             kind == EntryKind::region ? "FLASH" : "NAME", describe(list)));
        for (std::size_t i = 0; i < list.keys.size(); ++i)
            out.push_back(parse_entry(kind, list.keys[i], list.key_where[i], list.items[i]));
    }

    BudgetEntry parse_entry(EntryKind kind, const std::string& key, SourceLocation key_where,
                            const YNode& value) const {
        const std::string_view kind_name = entry_kind_name(kind);
        BudgetEntry e;
        e.kind = kind;
        e.key = key;
        e.where = key_where;
        if (kind == EntryKind::region || kind == EntryKind::component || kind == EntryKind::memory) {
            if (key.empty()) fail(key_where, fmt::format("empty {} name", kind_name));
            if (kind == EntryKind::component && key == "(other)")
                fail(key_where, "the component name '(other)' is reserved for what belongs to no component");
        } else {
            check_glob(key, key_where);
        }
        const std::string title = fmt::format("{} '{}'", kind_name, key);

        if (value.kind == YNode::Kind::scalar && kind != EntryKind::component) {
            // Shorthand: `libc_nano.a: 12K` is `libc_nano.a: { max: 12K }`.
            e.max = parse_max_scalar(value, kind, title);
            return e;
        }
        if (value.kind != YNode::Kind::map)
            fail(value.kind == YNode::Kind::null ? key_where : value.where,
                 kind == EntryKind::component
                     ? fmt::format("{} needs a mapping such as `{{ archives: [\"libfoo*.a\"], max: {{ FLASH: 20K }} }}`, "
                                   "not {}",
                                   title, describe(value))
                     : fmt::format("{} needs a budget such as `{{ max: 12K }}` or just `12K`, not {}", title,
                                   describe(value)));

        const std::string context = fmt::format("in {}", title);
        check_keys(value,
                   kind == EntryKind::region      ? KeyList(region_keys)
                   : kind == EntryKind::component ? KeyList(component_keys)
                   : kind == EntryKind::memory    ? KeyList(memory_keys)
                                                  : KeyList(item_keys),
                   context);

        const YNode* warn = nullptr;
        std::optional<SourceLocation> origin_where, length_where;
        for (std::size_t i = 0; i < value.keys.size(); ++i) {
            const std::string& k = value.keys[i];
            const YNode& v = value.items[i];
            if (k == "max") {
                if (v.kind == YNode::Kind::map) {
                    if (kind == EntryKind::region || kind == EntryKind::memory)
                        fail(v.where, fmt::format("the max of {} is one size or percent, not a mapping", title));
                    e.max_per_region = parse_region_limits(v, title);
                } else {
                    e.max = parse_max_scalar(v, kind, title);
                }
            } else if (k == "warn") {
                warn = &v;
            } else if (k == "region") {
                e.region = parse_name(v, "`region`");
                e.region_where = v.where;
            } else if (k == "origin" || k == "length") {
                Quantity q = parse_size(v, fmt::format("the {} of {}", k, title));
                if (q.is_percent())
                    fail(v.where, fmt::format("the {} of {} is {}, not a percent", k, title,
                                              k == "origin" ? "an address" : "a size"));
                if (k == "origin") {
                    e.origin = q.bytes;
                    origin_where = value.key_where[i];
                } else {
                    if (q.bytes == 0) fail(v.where, fmt::format("the length of {} must be above 0", title));
                    e.length = q.bytes;
                    length_where = value.key_where[i];
                }
            } else if (k == "ranges" || k == "aliases") {
                (k == "ranges" ? e.ranges : e.aliases) = parse_ranges(v, k, title);
            } else if (k == "archives" || k == "objects" || k == "crates" || k == "symbols") {
                (k == "archives"  ? e.archives
                 : k == "objects" ? e.objects
                 : k == "crates"  ? e.crates
                                  : e.symbols) = parse_patterns(v, k, title);
            }
        }

        if (origin_where && !length_where)
            fail(*origin_where, fmt::format("{} has an origin but no length: a declared region needs both", title));
        if (length_where && !origin_where)
            fail(*length_where, fmt::format("{} has a length but no origin: a declared region needs both", title));
        if (e.origin && e.length && *e.origin > std::numeric_limits<Address>::max() - *e.length)
            fail(*length_where, fmt::format("{} ends beyond the 64-bit address space", title));

        if (kind == EntryKind::component && e.archives.empty() && e.objects.empty() && e.crates.empty() &&
            e.symbols.empty())
            fail(key_where, fmt::format("{} needs `archives:`, `objects:`, `crates:` or `symbols:`, the globs of "
                                        "what belongs to it",
                                        title));
        if (kind == EntryKind::memory) check_memory_ranges(e, value);
        const bool has_max = e.max || !e.max_per_region.empty();
        if (!has_max && kind != EntryKind::region && kind != EntryKind::component && kind != EntryKind::memory)
            fail(key_where, fmt::format("{} has no `max`: write e.g. `{{ max: 12K }}` (`max: 0` forbids it)", title));
        if (e.region && !e.max_per_region.empty())
            fail(e.region_where,
                 fmt::format("{} has both `region` and a per-region max; use one: `region` limits a single "
                             "max to the bytes in one region",
                             title));
        if (e.region && !e.max)
            fail(e.region_where, fmt::format("`region` of {} needs a `max` to apply to", title));
        if (e.max && e.max->is_percent() && e.max->percent > 100.0)
            fail(e.max->where, fmt::format("the max of {} is {} of its length; above 100% means nothing", title,
                                           e.max->text));

        if (warn != nullptr) {
            Quantity w = parse_size(*warn, fmt::format("the warn of {}", title));
            if (!has_max && kind == EntryKind::component)
                fail(w.where, fmt::format("{} has `warn` but no `max` for it to warn before", title));
            if (w.is_percent()) {
                if (w.percent > 100.0)
                    fail(w.where, fmt::format("warn at {} of max is above max: warn must be at most 100%", w.text));
            } else if (!e.max_per_region.empty()) {
                fail(w.where, fmt::format("with a per-region max, the warn of {} must be a percent of each "
                                          "region's max (e.g. 90%)",
                                          title));
            } else if (e.max && !e.max->is_percent() && w.bytes > e.max->bytes) {
                fail(w.where, fmt::format("warn ({}) is above max ({})", w.text, e.max->text));
            } else if (!e.max && e.length && w.bytes > *e.length) {
                fail(w.where, fmt::format("warn ({}) is above the length of {}", w.text, title));
            }
            e.warn = std::move(w);
        }
        return e;
    }

    // `growth: { regions: { FLASH: 512 }, archives: { "*": 1K }, components: { crypto: 2% }, total: 1K }`
    void parse_growth(const YNode& n, std::vector<GrowthEntry>& out) const {
        if (n.kind == YNode::Kind::null) return;
        if (n.kind != YNode::Kind::map)
            fail(n.where, fmt::format("`growth` must be a mapping such as `{{ regions: {{ FLASH: 512 }}, total: 1K }}`, "
                                      "not {}",
                                      describe(n)));
        check_keys(n, growth_keys, "in `growth`");
        for (std::size_t i = 0; i < n.keys.size(); ++i) {
            const std::string& key = n.keys[i];
            const YNode& v = n.items[i];
            if (key == "total") {
                out.push_back({GrowthKind::total, "total", n.key_where[i], growth_size(v, "the growth budget `total`")});
                continue;
            }
            const GrowthKind kind = key == "regions" ? GrowthKind::region
                                    : key == "archives" ? GrowthKind::archive
                                                        : GrowthKind::component;
            if (v.kind == YNode::Kind::null) continue;
            if (v.kind != YNode::Kind::map)
                fail(v.where, fmt::format("`growth: {}` must be a mapping of {} to sizes (`{}: 512`), not {}", key,
                                          kind == GrowthKind::archive ? "globs" : "names",
                                          kind == GrowthKind::region ? "FLASH" : kind == GrowthKind::archive ? "\"*\"" : "NAME",
                                          describe(v)));
            const std::string_view kind_name = growth_kind_name(kind);
            for (std::size_t j = 0; j < v.keys.size(); ++j) {
                const std::string& name = v.keys[j];
                if (kind == GrowthKind::archive) check_glob(name, v.key_where[j]);
                else if (name.empty()) fail(v.key_where[j], fmt::format("empty {} name", kind_name));
                out.push_back({kind, name, v.key_where[j],
                               growth_size(v.items[j], fmt::format("the growth budget of {} '{}'", kind_name, name))});
            }
        }
    }

    Quantity growth_size(const YNode& v, const std::string& what) const {
        if (v.kind == YNode::Kind::map || v.kind == YNode::Kind::sequence)
            fail(v.where, fmt::format("{} is one size (512, 1K) or a percent of the baseline (2%), not {}", what,
                                      describe(v)));
        return parse_size(v, what);
    }

    // "0x3fc88000-0x3fcf0000": [start, end), hex or decimal.
    std::vector<AddressRange> parse_ranges(const YNode& v, std::string_view key, const std::string& title) const {
        std::vector<AddressRange> out;
        auto number = [](std::string_view s, std::uint64_t& value) {
            while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
            while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
            int base = 10;
            if (s.starts_with("0x") || s.starts_with("0X")) {
                base = 16;
                s.remove_prefix(2);
            }
            if (s.empty()) return false;
            value = 0;
            for (char c : s) {
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
                if (d >= base || value > (~std::uint64_t{0} - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base)) return false;
                value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
            }
            return true;
        };
        auto one = [&](const YNode& n) {
            std::uint64_t start = 0, end = 0;
            const std::size_t dash = n.kind == YNode::Kind::scalar ? n.value.find('-') : std::string::npos;
            if (dash == std::string::npos || !number(std::string_view(n.value).substr(0, dash), start) ||
                !number(std::string_view(n.value).substr(dash + 1), end))
                fail(n.where, fmt::format("`{}` of {} lists address ranges such as \"0x3fc88000-0x3fcf0000\" "
                                          "(start-end, end excluded), not {}",
                                          key, title, n.kind == YNode::Kind::scalar ? "'" + n.value + "'" : describe(n)));
            if (end <= start) fail(n.where, fmt::format("the range '{}' of {} ends before it starts", n.value, title));
            out.push_back({start, end - start});
        };
        if (v.kind == YNode::Kind::scalar) {
            one(v);
        } else if (v.kind == YNode::Kind::sequence) {
            for (const YNode& item : v.items) one(item);
        } else {
            fail(v.where, fmt::format("`{}` of {} must be a list of address ranges, not {}", key, title, describe(v)));
        }
        return out;
    }

    // A memory's ranges do not overlap one another, and each alias shows a range of its length.
    void check_memory_ranges(const BudgetEntry& e, const YNode& value) const {
        const std::string title = fmt::format("memory '{}'", e.key);
        if (e.ranges.empty() && !e.aliases.empty())
            fail(value.where, fmt::format("{} has aliases but no ranges for them to show", title));
        if (e.aliases.size() > e.ranges.size())
            fail(value.where, fmt::format("{} has {} aliases for {} ranges: alias i shows range i", title,
                                          e.aliases.size(), e.ranges.size()));
        for (std::size_t i = 0; i < e.aliases.size(); ++i)
            if (e.aliases[i].length != e.ranges[i].length)
                fail(value.where, fmt::format("alias {} of {} is {} bytes, its range {}: an alias shows the same memory",
                                              i + 1, title, e.aliases[i].length, e.ranges[i].length));
        std::vector<AddressRange> all = e.ranges;
        all.insert(all.end(), e.aliases.begin(), e.aliases.end());
        for (std::size_t i = 0; i < all.size(); ++i)
            for (std::size_t j = i + 1; j < all.size(); ++j)
                if (all[i].start < all[j].end() && all[j].start < all[i].end())
                    fail(value.where, fmt::format("the ranges of {} overlap (0x{:x}-0x{:x} and 0x{:x}-0x{:x})", title,
                                                  all[i].start, all[i].end(), all[j].start, all[j].end()));
    }

    Quantity parse_max_scalar(const YNode& v, EntryKind kind, const std::string& title) const {
        Quantity q = parse_size(v, fmt::format("the max of {}", title));
        if (q.is_percent() && kind != EntryKind::region && kind != EntryKind::memory)
            fail(v.where,
                 fmt::format("a percent means nothing as the max of {} {}: percents are of a region's length "
                             "(a region's max) or of max (warn); write a size such as 12K",
                             article(entry_kind_name(kind)), entry_kind_name(kind)));
        if (q.is_percent() && q.percent > 100.0)
            fail(v.where, fmt::format("the max of {} is {} of its length; above 100% means nothing", title, q.text));
        return q;
    }

    std::vector<RegionLimit> parse_region_limits(const YNode& map, const std::string& title) const {
        if (map.keys.empty())
            fail(map.where, fmt::format("the max of {} lists no region; write e.g. `max: {{ FLASH: 20K }}`", title));
        std::vector<RegionLimit> out;
        for (std::size_t i = 0; i < map.keys.size(); ++i) {
            if (map.keys[i].empty()) fail(map.key_where[i], "empty region name");
            const YNode& v = map.items[i];
            Quantity q = parse_size(v, fmt::format("the {} max of {}", map.keys[i], title));
            if (q.is_percent())
                fail(v.where, fmt::format("a percent means nothing in a per-region max: percents are of a region's "
                                          "length (a region's max) or of max (warn); write a size such as 20K"));
            q.where = map.key_where[i];  // verdicts for this region point at its key
            out.push_back({map.keys[i], std::move(q)});
        }
        return out;
    }

    std::vector<Pattern> parse_patterns(const YNode& v, std::string_view key, const std::string& title) const {
        std::vector<Pattern> out;
        auto one = [&](const YNode& n) {
            if (n.kind != YNode::Kind::scalar)
                fail(n.where, fmt::format("`{}` of {} must list globs (strings), not {}", key, title, describe(n)));
            check_glob(n.value, n.where);
            out.push_back({n.value, n.where});
        };
        if (v.kind == YNode::Kind::scalar) {
            one(v);
        } else if (v.kind == YNode::Kind::sequence) {
            for (const YNode& item : v.items) one(item);
        } else {
            fail(v.where, fmt::format("`{}` of {} must be a list of globs such as [\"libmbed*.a\"], not {}", key,
                                      title, describe(v)));
        }
        return out;
    }

    const std::string& path_;
};

}  // namespace

// Restricted Damerau-Levenshtein distance, case-insensitive: "maxx"/"max" 1, "regoins"/"regions" 1.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

BudgetFile parse_budget(std::string_view text, const std::string& path) {
    if (text.size() > max_budget_file_size)
        throw Error(path, fmt::format("the budget file is larger than {} MiB; a budget is a few kilobytes",
                                      max_budget_file_size >> 20));
    const YNode root = parse_yaml_tree(text, path, "budget file", "`version: 1` and one budget");
    return Validator(path).validate(root);
}

BudgetFile load_budget(const std::string& path) {
    const std::string text = read_small_file(path, "budget file", max_budget_file_size, "; a budget is a few kilobytes");
    return parse_budget(text, path);
}

}  // namespace sizebudget

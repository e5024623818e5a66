// Applying a budget to a map: verdicts for every entry, the region and component tables.
// A pure function of its inputs; the writers in check_*_report.cpp render the result.
#include "sizebudget/budget_check.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "sizebudget/crates.hpp"
#include "sizebudget/reference_graph.hpp"
#include "sizebudget/why.hpp"
#include "sizebudget/demangle.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/identity.hpp"
#include "sizebudget/memories.hpp"
#include "sizebudget/name_hash.hpp"

namespace sizebudget {

std::string_view severity_name(Severity s) {
    switch (s) {
    case Severity::ok: return "ok";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
    }
    return "ok";
}

std::string_view status_name(VerdictStatus s) {
    switch (s) {
    case VerdictStatus::ok: return "ok";
    case VerdictStatus::warning: return "warning";
    case VerdictStatus::exceeded: return "exceeded";
    case VerdictStatus::forbidden: return "forbidden";
    case VerdictStatus::unmatched: return "unmatched";
    }
    return "ok";
}

std::string_view rule_name(Rule r) { return r == Rule::growth ? "growth" : "max"; }

double Verdict::percent_of_limit() const {
    return limit == 0 ? 0.0 : static_cast<double>(used) * 100.0 / static_cast<double>(limit);
}

std::size_t CheckResult::count(Severity s) const {
    return static_cast<std::size_t>(
        std::count_if(verdicts.begin(), verdicts.end(), [s](const Verdict& v) { return v.severity == s; }));
}

namespace {

constexpr std::size_t no_region = static_cast<std::size_t>(-1);

bool is_pseudo(std::string_view name) {
    return name == no_archive_name || name == fill_name || name == linker_name || name == no_crate_name ||
           name == reserved_name;
}

// Into `out`, whose storage a loop over thousands of objects reuses.
void normalize(std::string_view path, std::string& out) {
    out.assign(path);
    std::replace(out.begin(), out.end(), '\\', '/');
}

std::string normalized(std::string_view path) {
    std::string s;
    normalize(path, s);
    return s;
}

// "libc_nano.a(lib_a-printf.o)" -> "lib_a-printf.o"; empty when not an archive member name.
std::string_view member_of(std::string_view name) {
    if (name.empty() || name.back() != ')') return {};
    std::size_t open = name.rfind('(');
    return open == std::string_view::npos ? std::string_view{} : name.substr(open + 1, name.size() - open - 2);
}

// Something a glob entry can budget: a section, archive, object or symbol.
struct Candidate {
    std::string label;                  // shown in verdicts
    std::vector<std::string> names;     // what a glob without '/' is tried against
    std::string path;                   // what a glob with '/' is tried against (normalized)
    bool pseudo = false;                // "(fill)" etc.: matched only by their exact name
    bool present = false;               // linked at all (a symbol may be linked at size 0)
    std::uint64_t size = 0;
    RegionBytes regions;
    std::size_t ref = 0;                // index into the list it came from, for contributors
};

bool matches(std::string_view glob, const Candidate& c) {
    if (c.pseudo) return glob == c.label;
    if (glob.find('/') != std::string_view::npos) {
        if (c.path.empty()) return false;
        // "*/drivers/*.o" should match the relative "drivers/uart.o" as well as "build/drivers/uart.o".
        return glob_match(glob, c.path) || (c.path.front() != '/' && glob_match(glob, "/" + c.path));
    }
    for (const std::string& n : c.names)
        if (glob_match(glob, n)) return true;
    return false;
}

class Evaluator {
public:
    Evaluator(const BudgetFile& budget, const LinkMap& map, const Totals& totals, const CheckOptions& options)
        : budget_(budget), map_(map), totals_(totals), options_(options) {
        objects_by_path_.reserve(map.objects.size());
        for (const ObjectFile& o : map.objects) objects_by_path_.emplace(o.path, &o);
        for (std::size_t r = 0; r < totals.regions.size(); ++r) result_.region_names.push_back(totals.regions[r].name);
    }

    CheckResult run() {
        result_.budget_path = budget_.path;
        result_.map_path = map_.source;
        result_.strict = budget_.strict;
        regions();
        overflowed_regions();
        memories();
        items(EntryKind::section, [&] { return section_candidates(); });
        items(EntryKind::archive, [&] { return archive_candidates(); });
        items(EntryKind::object, [&] { return object_candidates(); });
        items(EntryKind::symbol, [&] { return symbol_candidates(); });
        items(EntryKind::crate, [&] { return crate_candidates(); });
        components();
        region_rows();
        for (const Diagnostic& d : map_.warnings)
            result_.notes.push_back({map_.source, {d.line, 0}, Severity::warning, d.message});
        std::stable_sort(result_.verdicts.begin(), result_.verdicts.end(), [](const Verdict& a, const Verdict& b) {
            if (a.where.line != b.where.line) return a.where.line < b.where.line;
            return a.where.column < b.where.column;
        });
        return std::move(result_);
    }

private:
    std::vector<const BudgetEntry*> entries_of(EntryKind kind) const {
        std::vector<const BudgetEntry*> out;
        for (const BudgetEntry& e : budget_.entries)
            if (e.kind == kind) out.push_back(&e);
        return out;
    }

    std::size_t region_index(std::string_view name) const {
        for (std::size_t r = 0; r < totals_.regions.size(); ++r)
            if (totals_.regions[r].name == name) return r;
        return no_region;
    }

    const ObjectFile* object_file(std::string_view path) const {
        auto it = objects_by_path_.find(path);
        return it == objects_by_path_.end() ? nullptr : it->second;
    }

    // How an object is named in contributor lists: "libc_nano.a(lib_a-printf.o)" for an archive
    // member, its path otherwise, without the machine's folders (reports are shared).
    std::string object_label(std::string_view path) const {
        if (path.empty()) return std::string(linker_name);
        const ObjectFile* of = object_file(path);
        if (of == nullptr || of->archive.empty()) return portable_path(path);
        return fmt::format("{}({})", file_name(of->archive), of->member);
    }

    Severity severity_of(VerdictStatus s) const {
        switch (s) {
        case VerdictStatus::ok: return Severity::ok;
        case VerdictStatus::warning: return Severity::warning;
        case VerdictStatus::exceeded:
        case VerdictStatus::forbidden: return Severity::error;
        case VerdictStatus::unmatched: return budget_.strict ? Severity::error : Severity::warning;
        }
        return Severity::ok;
    }

    std::string no_region_hint() const {
        return totals_.regions.empty()
                   ? " (the map has no memory regions: declare them in `regions:` with origin and length, "
                     "or give --linker-script with the MEMORY block, such as memory.x)"
                   : fmt::format(" (the map has {})",
                                 fmt::join(result_.region_names.begin(), result_.region_names.end(), ", "));
    }

    void unmatched(const BudgetEntry& e, std::string detail, SourceLocation where = {}) {
        Verdict v;
        v.kind = e.kind;
        v.entry = e.key;
        v.where = where.line ? where : e.where;
        v.item = e.key;
        v.status = VerdictStatus::unmatched;
        v.severity = severity_of(v.status);
        v.detail = std::move(detail);
        result_.verdicts.push_back(std::move(v));
    }

    // Warn threshold in bytes for a resolved limit.
    std::optional<std::uint64_t> warn_at(const BudgetEntry& e, std::uint64_t limit, std::string_view limit_desc) const {
        if (!e.warn) return std::nullopt;
        if (e.warn->is_percent()) return percent_of(limit, e.warn->percent);
        if (e.warn->bytes > limit)
            throw Error(budget_.path, e.warn->where.line, e.warn->where.column,
                        fmt::format("warn ({}) is above max ({} = {} bytes)", e.warn->text, limit_desc, limit));
        return e.warn->bytes;
    }

    // Decides status and severity of a verdict whose numbers are filled in.
    void judge(Verdict& v, const BudgetEntry& e, bool present) {
        if (e.forbids() && e.kind != EntryKind::region && v.region.empty()) {
            v.status = present ? VerdictStatus::forbidden : VerdictStatus::ok;
        } else if (v.used > v.limit) {
            v.status = VerdictStatus::exceeded;
        } else if (v.warn_at && v.used >= *v.warn_at) {
            v.status = VerdictStatus::warning;
        } else {
            v.status = VerdictStatus::ok;
        }
        v.severity = severity_of(v.status);
    }

    static std::vector<Contributor> top(std::vector<Contributor> all, std::size_t n) {
        std::erase_if(all, [](const Contributor& c) { return c.bytes == 0; });
        std::stable_sort(all.begin(), all.end(), [](const Contributor& a, const Contributor& b) {
            if (a.bytes != b.bytes) return a.bytes > b.bytes;
            return a.name < b.name;
        });
        if (all.size() > n) all.resize(n);
        return all;
    }

    // Adds `bytes` (or its share in `region`) under `name`, keeping first-seen order.
    struct Accumulator {
        std::vector<Contributor> list;
        std::unordered_map<std::string, std::size_t> index;
        void add(const std::string& name, std::uint64_t bytes) {
            auto [it, inserted] = index.emplace(name, list.size());
            if (inserted) list.push_back({name, 0});
            list[it->second].bytes += bytes;
        }
    };

    static std::uint64_t bytes_in(const ItemSize& item, std::size_t region) {
        return region == no_region ? item.size : item.regions[region];
    }

    // ---- regions ------------------------------------------------------------------------------

    void regions() {
        for (const BudgetEntry* e : entries_of(EntryKind::region)) {
            std::size_t r = region_index(e->key);
            if (r == no_region) {
                unmatched(*e, fmt::format("region '{}' is not in the map{}", e->key, no_region_hint()));
                // With no region at all there is nothing to measure the budget against: that
                // never passes, strict or not.
                if (totals_.regions.empty()) result_.verdicts.back().severity = Severity::error;
                continue;
            }
            const RegionUsage& u = totals_.regions[r];
            Verdict v;
            v.kind = EntryKind::region;
            v.entry = e->key;
            v.where = e->where;
            v.item = e->key;
            v.used = u.used;
            std::string limit_desc;
            if (!e->max) {
                v.limit = u.length;
                v.limit_text = "100%";
                limit_desc = fmt::format("the length of '{}'", e->key);
            } else if (e->max->is_percent()) {
                v.limit = percent_of(u.length, e->max->percent);
                v.limit_text = e->max->text;
                limit_desc = fmt::format("{} of '{}'", e->max->text, e->key);
            } else if (u.length > 0 && e->max->bytes > u.length) {
                // No budget grants more than the region holds: a link that overflowed its region
                // fails the check even under a generous budget.
                v.limit = u.length;
                v.limit_text = "100%";
                limit_desc = fmt::format("the length of '{}'", e->key);
            } else {
                v.limit = e->max->bytes;
                v.limit_text = e->max->text;
                limit_desc = e->max->text;
            }
            v.warn_at = warn_at(*e, v.limit, limit_desc);
            if (e->warn) v.warn_text = e->warn->text;
            judge(v, *e, u.used > 0);
            if (v.severity == Severity::error) {
                v.contributor_kind = "section";
                std::vector<Contributor> c;
                for (const ItemSize& s : totals_.sections) c.push_back({std::string(s.name), s.regions[r]});
                v.contributors = top(std::move(c), options_.contributors);
            }
            result_.verdicts.push_back(std::move(v));

            if (e->origin && e->length && (map_.regions[r].origin != *e->origin || map_.regions[r].length != *e->length))
                result_.notes.push_back(
                    {budget_.path, e->where, Severity::warning,
                     fmt::format("region '{}' is declared here with origin {:#x} and length {}, but the map has "
                                 "origin {:#x} and length {}; the map's figures are used",
                                 e->key, *e->origin, *e->length, map_.regions[r].origin, map_.regions[r].length)});
        }
    }

    // A region the link overflowed fails the check also where the budget does not name it: the
    // image does not fit, whatever else the budget allows (a map from a link against a relaxed
    // memory.x, checked with --linker-script and the real one, says so in ld's words).
    void overflowed_regions() {
        for (std::size_t r = 0; r < totals_.regions.size(); ++r) {
            const RegionUsage& u = totals_.regions[r];
            if (!u.overflowed()) continue;
            const auto entries = entries_of(EntryKind::region);
            if (std::any_of(entries.begin(), entries.end(), [&](const BudgetEntry* e) { return e->key == u.name; }))
                continue;
            Verdict v;
            v.kind = EntryKind::region;
            v.item = u.name;
            v.used = u.used;
            v.limit = u.length;
            v.limit_text = "100%";
            v.status = VerdictStatus::exceeded;
            v.severity = Severity::error;
            v.contributor_kind = "section";
            std::vector<Contributor> c;
            for (const ItemSize& s : totals_.sections) c.push_back({std::string(s.name), s.regions[r]});
            v.contributors = top(std::move(c), options_.contributors);
            result_.verdicts.push_back(std::move(v));
        }
    }

    // Memory types: declared in the budget, else the built-in ones of the map's ESP chip.
    void memories() {
        const std::vector<const BudgetEntry*> entries = entries_of(EntryKind::memory);
        if (entries.empty()) return;
        std::vector<MemoryType> types = budget_.declared_memories();
        std::string why;
        const std::optional<std::string> chip = detect_esp_chip(map_, &why);
        if (chip)
            for (MemoryType& t : esp_memory_types(*chip))
                if (std::none_of(types.begin(), types.end(), [&](const MemoryType& d) { return d.name == t.name; }))
                    types.push_back(std::move(t));
        // Every type, also those the link leaves unused (memory_usage() omits them).
        std::vector<MemoryUsage> usage = memory_usage(map_, types);
        for (const BudgetEntry* e : entries) {
            auto type = std::find_if(types.begin(), types.end(), [&](const MemoryType& t) { return t.name == e->key; });
            if (type == types.end()) {
                unmatched(*e, chip ? fmt::format("memory '{}' is not a memory type of {} (declare it with `ranges:`)",
                                                 e->key, esp_chip_display_name(*chip))
                                   : fmt::format("memory '{}' is not declared with `ranges:`, and {} has no built-in "
                                                 "memory types: {}",
                                                 e->key, map_.source, why));
                continue;
            }
            auto u = std::find_if(usage.begin(), usage.end(), [&](const MemoryUsage& m) { return m.name == e->key; });
            MemoryUsage m = u != usage.end() ? *u : MemoryUsage{e->key, 0, 0};
            if (!e->max) continue;  // declared only
            Verdict v;
            v.kind = EntryKind::memory;
            v.entry = e->key;
            v.where = e->where;
            v.item = e->key;
            v.used = m.used;
            if (e->max->is_percent()) {
                v.limit = percent_of(m.size, e->max->percent);
                v.limit_text = e->max->text;
            } else {
                v.limit = e->max->bytes;
                v.limit_text = e->max->text;
            }
            v.warn_at = warn_at(*e, v.limit, v.limit_text);
            if (e->warn) v.warn_text = e->warn->text;
            judge(v, *e, m.used > 0);
            result_.verdicts.push_back(std::move(v));
        }
    }

    void region_rows() {
        for (std::size_t r = 0; r < totals_.regions.size(); ++r) {
            RegionRow row;
            row.usage = totals_.regions[r];
            for (const Verdict& v : result_.verdicts)
                if (v.kind == EntryKind::region && v.item == row.usage.name && v.status != VerdictStatus::unmatched) {
                    row.budget = v.limit;
                    row.status = v.status;
                    row.budgeted = true;
                }
            result_.regions.push_back(std::move(row));
        }
    }

    // ---- sections, archives, objects, symbols -----------------------------------------------

    std::vector<Candidate> section_candidates() const {
        // Same-named output sections (two `.iram.text`) are one item to a budget.
        std::vector<Candidate> out;
        std::unordered_map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < totals_.sections.size(); ++i) {
            const ItemSize& s = totals_.sections[i];
            auto [it, inserted] = index.emplace(s.name, out.size());
            if (inserted) {
                Candidate c;
                c.label = s.name;
                c.names = {std::string(s.name)};
                c.present = true;
                c.ref = i;
                out.push_back(std::move(c));
            }
            Candidate& c = out[it->second];
            c.size += s.size;
            c.regions.add(s.regions);
        }
        return out;
    }

    // A candidate for row `i` of a breakdown list: its bytes, named `label` (also its first name).
    static Candidate row_candidate(const ItemSize& row, std::size_t i, std::string label) {
        Candidate c;
        c.names = {std::string(row.name)};
        c.label = std::move(label);
        c.present = true;
        c.size = row.size;
        c.regions = row.regions;
        c.ref = i;
        return c;
    }

    std::vector<Candidate> archive_candidates() const {
        std::unordered_map<std::string_view, int> name_count;
        for (const ItemSize& a : totals_.archives) ++name_count[a.name];
        std::vector<Candidate> out;
        for (std::size_t i = 0; i < totals_.archives.size(); ++i) {
            const ItemSize& a = totals_.archives[i];
            Candidate c = row_candidate(a, i, std::string(name_count[a.name] > 1 && !a.path.empty() ? a.path : a.name));
            c.pseudo = a.path.empty() && is_pseudo(a.name);
            c.path = normalized(a.path);
            out.push_back(std::move(c));
        }
        return out;
    }

    std::vector<Candidate> object_candidates() const {
        std::vector<Candidate> out;
        for (std::size_t i = 0; i < totals_.objects.size(); ++i) {
            const ItemSize& o = totals_.objects[i];
            const bool pseudo = o.path.empty() && is_pseudo(o.name);
            const ObjectFile* of = object_file(o.path);
            const bool member = of != nullptr && !of->archive.empty();
            Candidate c = row_candidate(o, i, std::string(pseudo || member ? o.name : o.path));
            c.pseudo = pseudo;
            if (member) c.names.emplace_back(of->member);
            else if (std::string_view m = member_of(o.name); !m.empty()) c.names.emplace_back(m);
            c.path = normalized(o.path);
            out.push_back(std::move(c));
        }
        return out;
    }

    std::vector<Candidate> crate_candidates() const {
        std::vector<Candidate> out;
        for (std::size_t i = 0; i < totals_.crates.size(); ++i) {
            Candidate k = row_candidate(totals_.crates[i], i, std::string(totals_.crates[i].name));
            k.pseudo = is_pseudo(k.label);
            out.push_back(std::move(k));
        }
        return out;
    }

    // The crate of a symbol row (crates.hpp), as Totals::crates counts it.
    std::string crate_of_row(const ItemSize& s) const {
        if (s.path.empty()) return std::string(s.name);  // (fill), (linker)
        const ObjectFile* of = object_file(s.path);
        return crate_of(s.name, of ? std::string_view(of->archive) : std::string_view{}, s.path);
    }

    // " (did you mean 'libg_nano.a'?)" when a candidate's name is a likely typo of `key` (a glob
    // is compared as written), else empty.
    static std::string closest_hint(std::string_view key, const std::vector<Candidate>& candidates) {
        std::string_view best;
        std::size_t best_distance = std::max<std::size_t>(2, key.size() / 4) + 1;
        for (const Candidate& c : candidates) {
            const std::string_view name = c.label;
            if (name.size() + best_distance <= key.size() || key.size() + best_distance <= name.size()) continue;
            const std::size_t d = edit_distance(key, name);
            if (d < best_distance) {
                best_distance = d;
                best = name;
            }
        }
        return best.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", best);
    }

    // `readable` is one of the row's other names.
    static bool has_alias(const ItemSize& s, std::string_view readable) {
        const auto aliases = aliases_of(s);
        return std::any_of(aliases.begin(), aliases.end(), [&](std::string_view a) { return demangle(a) == readable; });
    }

    std::vector<Candidate> symbol_candidates() const {
        // Every symbol the map lists counts as linked, even at size 0; a symbol's size is the sum
        // over its definitions (a static function of the same name in two objects is one item).
        // A symbol is its readable name (Rust's hash-distinct copies of one function are one
        // item); a glob is tried against the readable name and every raw name it stands for.
        std::vector<Candidate> out;
        if (entries_of(EntryKind::symbol).empty()) return out;
        std::unordered_map<std::string, std::size_t> index;
        auto at = [&](std::string_view name) -> std::size_t {
            std::string readable = demangle(name);
            auto [it, inserted] = index.emplace(readable, out.size());
            if (inserted) {
                Candidate c;
                c.label = readable;
                c.names = {readable};
                c.present = true;
                out.push_back(std::move(c));
            }
            Candidate& c = out[it->second];
            if (std::find(c.names.begin(), c.names.end(), name) == c.names.end()) c.names.emplace_back(name);
            return it->second;
        };
        // Aliases share their row's bytes: a budget on either name sees all of them, once also
        // where two of the names read alike (hash-distinct Rust copies the linker folded).
        std::vector<std::size_t> added;
        for (const ItemSize& s : totals_.symbols) {
            if (s.name == no_symbol_name || s.name == fill_name || s.name == linker_name) continue;
            added.assign(1, at(s.name));
            for (std::string_view alias : aliases_of(s))
                if (std::size_t c = at(alias); std::find(added.begin(), added.end(), c) == added.end()) added.push_back(c);
            for (std::size_t c : added) {
                out[c].size += s.size;
                out[c].regions.add(s.regions);
            }
        }
        for (const Symbol& s : map_.symbols) at(s.name());
        return out;
    }

    std::vector<Contributor> contributors(EntryKind kind, const Candidate& c, std::size_t region,
                                          std::string& what) const {
        Accumulator acc;
        switch (kind) {
        case EntryKind::section: {
            what = "object";
            for (const OutputSection& s : map_.sections) {
                if (!s.allocated || s.name != c.label) continue;
                if (region != no_region && s.run_region != region && !(s.loaded && s.load_region == region)) continue;
                for (const InputSection& in : map_.inputs_of(s)) {
                    const ObjectFile* obj = map_.object_of(in);
                    std::string name = obj && in.kind == PieceKind::input
                                           ? object_label(obj->path)
                                           : std::string(in.kind == PieceKind::fill ? fill_name : linker_name);
                    acc.add(name, in.size);
                }
            }
            break;
        }
        case EntryKind::archive: {
            what = "object";
            const ItemSize& a = totals_.archives[c.ref];
            if (c.pseudo && a.name != no_archive_name) break;
            for (const ItemSize& o : totals_.objects) {
                const ObjectFile* of = object_file(o.path);
                if (of == nullptr) continue;
                bool in_archive = a.name == no_archive_name ? of->archive.empty() : of->archive == a.path;
                if (in_archive) acc.add(std::string(of->archive.empty() ? o.path : o.name), bytes_in(o, region));
            }
            break;
        }
        case EntryKind::object: {
            what = "symbol";
            const ItemSize& o = totals_.objects[c.ref];
            if (o.path.empty()) break;
            for (const ItemSize& s : totals_.symbols)
                if (s.path == o.path) acc.add(demangle(s.name), bytes_in(s, region));
            break;
        }
        case EntryKind::symbol: {
            what = "object";
            for (const ItemSize& s : totals_.symbols)
                if (demangle(s.name) == c.label || has_alias(s, c.label)) acc.add(object_label(s.path), bytes_in(s, region));
            if (acc.list.empty()) {  // linked at size 0: name where it is
                for (const InputSection& in : map_.inputs)
                    for (const Symbol& s : map_.symbols_of(in)) {
                        if (demangle(s.name()) != c.label) continue;
                        const ObjectFile* obj = map_.object_of(in);
                        acc.list.push_back({obj ? object_label(obj->path) : std::string(linker_name), 0});
                    }
                if (acc.list.size() > options_.contributors) acc.list.resize(options_.contributors);
                return acc.list;
            }
            break;
        }
        case EntryKind::crate: {
            what = "symbol";
            for (const ItemSize& s : totals_.symbols)
                if (crate_of_row(s) == c.label) acc.add(demangle(s.name), bytes_in(s, region));
            break;
        }
        case EntryKind::region:
        case EntryKind::component:
        case EntryKind::memory: break;  // judged with their own contributors
        }
        return top(std::move(acc.list), options_.contributors);
    }

    // `candidates()` makes the list, only for a kind the budget has entries of: a map of 20,000
    // objects makes as many candidates, each with its names and path.
    template <typename MakeCandidates>
    void items(EntryKind kind, MakeCandidates&& make_candidates) {
        const std::vector<const BudgetEntry*> entries = entries_of(kind);
        if (entries.empty()) return;
        const std::vector<Candidate> candidates = make_candidates();
        std::vector<std::vector<std::size_t>> owned(entries.size());
        std::vector<std::size_t> owner(candidates.size(), entries.size());
        for (std::size_t i = 0; i < candidates.size(); ++i)
            for (std::size_t e = 0; e < entries.size(); ++e)
                if (matches(entries[e]->key, candidates[i])) {
                    owned[e].push_back(i);
                    owner[i] = e;
                    break;
                }

        for (std::size_t ei = 0; ei < entries.size(); ++ei) {
            const BudgetEntry& e = *entries[ei];
            const std::string_view kind_name = entry_kind_name(kind);
            if (owned[ei].empty()) {
                if (e.forbids()) {
                    Verdict v;  // forbidden and absent: exactly what the budget wants
                    v.kind = kind;
                    v.entry = e.key;
                    v.where = e.where;
                    v.item = e.key;
                    if (e.region) v.region = *e.region;
                    v.limit_text = e.max->text;
                    result_.verdicts.push_back(std::move(v));
                    continue;
                }
                // Matched, but every match went to an earlier entry?
                std::size_t shadowing = entries.size();
                for (std::size_t i = 0; i < candidates.size() && shadowing == entries.size(); ++i)
                    if (owner[i] < ei && matches(e.key, candidates[i])) shadowing = owner[i];
                if (shadowing < entries.size())
                    unmatched(e, fmt::format("{} entry '{}' matches only {}s already budgeted by the earlier entry "
                                             "'{}' (line {}); the first matching entry wins",
                                             entry_list_name(kind), e.key, kind_name, entries[shadowing]->key,
                                             entries[shadowing]->where.line));
                else
                    unmatched(e, fmt::format("{} entry '{}' matches no {} in the map{}", entry_list_name(kind), e.key,
                                             kind_name, closest_hint(e.key, candidates)));
                continue;
            }
            for (const auto& [region, limit, limit_text, where] : limits_of(e)) {
                if (region == no_region) continue;  // reported by limits_of
                for (std::size_t i : owned[ei]) {
                    const Candidate& c = candidates[i];
                    Verdict v;
                    v.kind = kind;
                    v.entry = e.key;
                    v.where = where;
                    v.item = c.label;
                    if (region != whole) v.region = totals_.regions[region].name;
                    v.used = region == whole ? c.size : c.regions[region];
                    v.limit = limit;
                    v.limit_text = limit_text;
                    v.warn_at = warn_at(e, limit, limit_text);
                    if (e.warn) v.warn_text = e.warn->text;
                    judge(v, e, c.present);
                    if (v.severity == Severity::error)
                        v.contributors = contributors(kind, c, region == whole ? no_region : region, v.contributor_kind);
                    result_.verdicts.push_back(std::move(v));
                }
            }
        }
    }

    // ---- limits ---------------------------------------------------------------------------------

    static constexpr std::size_t whole = no_region - 1;  // the limit counts all bytes of the item

    struct Limit {
        std::size_t region;  // index into totals.regions, `whole`, or no_region (missing: skip)
        std::uint64_t bytes;
        std::string text;
        SourceLocation where;
    };

    // The limits of a non-region entry, resolved against the map's regions. A limit on a region
    // the map lacks becomes an unmatched verdict here and a no_region limit.
    std::vector<Limit> limits_of(const BudgetEntry& e) {
        std::vector<Limit> out;
        if (e.max) {
            std::size_t r = whole;
            if (e.region) {
                r = region_index(*e.region);
                if (r == no_region)
                    unmatched(e,
                              fmt::format("{} '{}' counts only region '{}', which is not in the map{}",
                                          entry_kind_name(e.kind), e.key, *e.region, no_region_hint()),
                              e.region_where);
            }
            out.push_back({r, e.max->bytes, e.max->text, e.where});
        }
        for (const RegionLimit& l : e.max_per_region) {
            std::size_t r = region_index(l.region);
            if (r == no_region)
                unmatched(e,
                          fmt::format("{} '{}' has a budget for region '{}', which is not in the map{}",
                                      entry_kind_name(e.kind), e.key, l.region, no_region_hint()),
                          l.max.where);
            out.push_back({r, l.max.bytes, l.max.text, l.max.where});
        }
        return out;
    }

    // ---- components -----------------------------------------------------------------------------

    void components() {
        const std::vector<const BudgetEntry*> entries = entries_of(EntryKind::component);
        if (entries.empty()) return;
        const std::size_t other = entries.size();
        std::vector<ComponentRow> rows(entries.size() + 1);
        for (std::size_t i = 0; i < entries.size(); ++i) rows[i].name = entries[i]->key;
        rows[other].name = std::string(other_component_name);

        // Each object (each symbol, where a component lists crates or symbols) belongs to the
        // first component one of whose globs matches it, its archive or its crate.
        const bool by_symbol = std::any_of(entries.begin(), entries.end(), [](const BudgetEntry* e) { return e->by_symbol(); });
        const ItemRows& rows_in = by_symbol ? totals_.symbols : totals_.objects;
        // Paths are normalized only where a glob with '/' will read them.
        auto any_path_glob = [&](std::vector<Pattern> BudgetEntry::*globs) {
            return std::any_of(entries.begin(), entries.end(), [&](const BudgetEntry* e) {
                return std::any_of((e->*globs).begin(), (e->*globs).end(),
                                   [](const Pattern& p) { return p.glob.find('/') != std::string::npos; });
            });
        };
        const bool archive_paths = any_path_glob(&BudgetEntry::archives), object_paths = any_path_glob(&BudgetEntry::objects);
        // Objects of one archive share its candidate.
        IdMap<Candidate> archive_candidate;
        std::vector<std::vector<std::size_t>> members(entries.size());
        // Made again for each row in storage kept from the row before: a map of 2,000 objects
        // spent a tenth of `check` allocating and freeing their names.
        Candidate object, crate, symbol;
        for (std::size_t i = 0; i < rows_in.size(); ++i) {
            const ItemSize& item = rows_in[i];
            if (item.path.empty() && item.name == reserved_name) continue;  // address space, no content
            const ObjectFile* of = object_file(item.path);
            const bool pseudo = item.path.empty() && (is_pseudo(item.name) || by_symbol);
            Candidate pseudo_archive;
            const Candidate* archive_of = &pseudo_archive;
            if (pseudo) {
                pseudo_archive.pseudo = true;
                pseudo_archive.label = item.name;
            } else if (of == nullptr || of->archive.empty()) {
                pseudo_archive.pseudo = true;
                pseudo_archive.label = std::string(no_archive_name);
            } else {
                auto [it, fresh] = archive_candidate.try_emplace(reinterpret_cast<std::uintptr_t>(of->archive.data()));
                if (fresh) {
                    it->second.label = std::string(file_name(of->archive));
                    it->second.names = {it->second.label};
                    if (archive_paths) it->second.path = normalized(of->archive);
                }
                archive_of = &it->second;
            }
            const Candidate& archive = *archive_of;
            object.pseudo = pseudo;
            if (by_symbol && !pseudo) {
                if (of && !of->archive.empty())
                    object.label.assign(file_name(of->archive)).append("(").append(of->member).append(")");
                else
                    object.label.assign(file_name(item.path));
            } else {
                object.label.assign(item.name);
            }
            object.names.resize(of && !of->archive.empty() ? 2 : 1);
            object.names[0].assign(object.label);
            if (object.names.size() == 2) object.names[1].assign(of->member);
            if (object_paths) normalize(item.path, object.path);
            if (by_symbol) {
                crate = {};
                symbol = {};
                crate.label = crate_of_row(item);
                crate.pseudo = is_pseudo(crate.label);
                crate.names = {crate.label};
                symbol.pseudo = pseudo || item.name == no_symbol_name;
                symbol.label = item.name;
                symbol.names = {std::string(item.name)};
                if (std::string d = demangle(item.name); d != item.name) symbol.names.push_back(std::move(d));
                for (std::string_view alias : aliases_of(item)) {
                    symbol.names.emplace_back(alias);
                    if (std::string d = demangle(alias); d != alias) symbol.names.push_back(std::move(d));
                }
            }

            std::size_t owner = other;
            for (std::size_t e = 0; e < entries.size() && owner == other; ++e) {
                auto any = [&](const std::vector<Pattern>& globs, const Candidate& c) {
                    return std::any_of(globs.begin(), globs.end(), [&](const Pattern& p) { return matches(p.glob, c); });
                };
                if (any(entries[e]->archives, archive) || any(entries[e]->objects, object) ||
                    any(entries[e]->crates, crate) || any(entries[e]->symbols, symbol))
                    owner = e;
            }
            ComponentRow& row = rows[owner];
            row.size += item.size;
            row.regions.add(item.regions);
            if (owner != other) members[owner].push_back(i);
        }

        for (std::size_t ci = 0; ci < entries.size(); ++ci) {
            const BudgetEntry& e = *entries[ci];
            ComponentRow& row = rows[ci];
            if (e.max) row.limits.push_back(e.region ? fmt::format("{} {}", *e.region, e.max->text) : e.max->text);
            for (const RegionLimit& l : e.max_per_region) row.limits.push_back(fmt::format("{} {}", l.region, l.max.text));
            if (members[ci].empty() && !e.forbids()) {
                unmatched(e, fmt::format("component '{}' matches no {} in the map", e.key,
                                         e.by_symbol() ? "archive, object, crate or symbol" : "archive or object"));
                row.status = VerdictStatus::unmatched;
                continue;
            }
            for (const auto& [region, limit, limit_text, where] : limits_of(e)) {
                if (region == no_region) {
                    row.status = std::max(row.status, VerdictStatus::unmatched, by_rank);
                    continue;
                }
                Verdict v;
                v.kind = EntryKind::component;
                v.entry = e.key;
                v.where = where;
                v.item = e.key;
                if (region != whole) v.region = totals_.regions[region].name;
                v.used = region == whole ? row.size : row.regions[region];
                v.limit = limit;
                v.limit_text = limit_text;
                v.warn_at = warn_at(e, limit, limit_text);
                if (e.warn) v.warn_text = e.warn->text;
                judge(v, e, !members[ci].empty());
                if (v.severity == Severity::error) {
                    // The archives of a component, objects outside archives by themselves; the
                    // symbols of one made of symbols.
                    v.contributor_kind = by_symbol ? "symbol" : "archive";
                    Accumulator acc;
                    for (std::size_t i : members[ci]) {
                        const ItemSize& o = rows_in[i];
                        const ObjectFile* of = object_file(o.path);
                        std::string name = by_symbol ? demangle(o.name)
                                           : of && !of->archive.empty() ? std::string(file_name(of->archive))
                                                                        : std::string(o.path.empty() ? o.name : o.path);
                        acc.add(name, bytes_in(o, region == whole ? no_region : region));
                    }
                    v.contributors = top(std::move(acc.list), options_.contributors);
                }
                row.status = std::max(row.status, v.status, by_rank);
                result_.verdicts.push_back(std::move(v));
            }
        }
        result_.components = std::move(rows);
    }

    // Worse statuses rank higher: ok < unmatched < warning < exceeded/forbidden.
    static bool by_rank(VerdictStatus a, VerdictStatus b) { return rank(a) < rank(b); }
    static int rank(VerdictStatus s) {
        switch (s) {
        case VerdictStatus::ok: return 0;
        case VerdictStatus::unmatched: return 1;
        case VerdictStatus::warning: return 2;
        case VerdictStatus::exceeded: return 3;
        case VerdictStatus::forbidden: return 4;
        }
        return 0;
    }

    const BudgetFile& budget_;
    const LinkMap& map_;
    const Totals& totals_;
    const CheckOptions& options_;
    NameMap<const ObjectFile*> objects_by_path_;
    CheckResult result_;
};

}  // namespace

TotalsOptions totals_needed(const BudgetFile& budget) {
    TotalsOptions o;
    o.symbols = std::any_of(budget.entries.begin(), budget.entries.end(), [](const BudgetEntry& e) {
        return e.kind == EntryKind::symbol || e.kind == EntryKind::object || e.by_symbol();
    });
    o.crates = std::any_of(budget.entries.begin(), budget.entries.end(), [](const BudgetEntry& e) {
        return e.kind == EntryKind::crate || !e.crates.empty();
    });
    return o;
}

namespace {

// Who pulled each exceeded or forbidden item in: the first chain `why` gives.
void add_why_chains(const LinkMap& map, CheckResult& result) {
    std::optional<ReferenceGraph> graph;
    for (Verdict& v : result.verdicts) {
        if (v.severity != Severity::error || v.rule != Rule::max) continue;
        if (v.kind != EntryKind::archive && v.kind != EntryKind::object && v.kind != EntryKind::symbol &&
            v.kind != EntryKind::crate)
            continue;
        if (!graph) graph = build_reference_graph(map);
        try {
            const WhyAnswer answer = answer_why(map, *graph, v.item);
            if (!answer.chains.empty()) v.why = chain_lines(*graph, answer.chains.front());
        } catch (const Error&) {
            // An item the map does not name (a forbidden symbol that is not linked): no chain.
        }
    }
}

}  // namespace

CheckResult check_budget(const BudgetFile& budget, const LinkMap& map, const Totals& totals,
                         const CheckOptions& options) {
    if (!totals.has_symbols && totals_needed(budget).symbols)
        throw std::logic_error("check_budget: the budget needs symbol totals");
    if (!totals.has_crates && totals_needed(budget).crates)
        throw std::logic_error("check_budget: the budget needs crate totals");
    CheckResult result = Evaluator(budget, map, totals, options).run();
    add_why_chains(map, result);
    return result;
}

}  // namespace sizebudget

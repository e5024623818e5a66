// Growth budgets: the `growth:` section applied to diff_snapshots(baseline, current).
#include "sizebudget/growth_check.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/identity.hpp"

namespace sizebudget {

namespace {

bool is_pseudo(std::string_view name) {
    return name == no_archive_name || name == fill_name || name == linker_name;
}

std::string normalized(std::string_view path) {
    std::string s(path);
    std::replace(s.begin(), s.end(), '\\', '/');
    return s;
}

// As for `max` budgets: a glob with '/' is tried against the path, others against the names;
// pseudo items ("(fill)") only by their exact name.
bool matches(std::string_view glob, std::string_view name, std::string_view path, std::string_view member = {}) {
    if (path.empty() && is_pseudo(name)) return glob == name;
    if (glob.find('/') != std::string_view::npos) {
        if (path.empty()) return false;
        std::string p = normalized(path);
        return glob_match(glob, p) || (p.front() != '/' && glob_match(glob, "/" + p));
    }
    return glob_match(glob, name) || (!member.empty() && glob_match(glob, member));
}

// "libc_nano.a(lib_a-printf.o)" -> {"libc_nano.a", "lib_a-printf.o"}; empty when not a member.
std::pair<std::string_view, std::string_view> split_member(std::string_view name) {
    if (name.empty() || name.back() != ')') return {};
    std::size_t open = name.rfind('(');
    if (open == std::string_view::npos || open == 0) return {};
    return {name.substr(0, open), name.substr(open + 1, name.size() - open - 2)};
}

std::string object_label(const ItemDelta& o) {
    if (!split_member(o.name).first.empty() || o.path.empty()) return o.name;
    return portable_path(o.path);
}

class GrowthEvaluator {
public:
    GrowthEvaluator(const BudgetFile& budget, const CheckOptions& options, CheckResult& result, SizeDiff diff)
        : budget_(budget), options_(options), result_(result), diff_(std::move(diff)) {
        for (const ItemDelta& a : diff_.archives)
            if (!a.path.empty()) archive_paths_.emplace(a.name, a.path);
    }

    void run() {
        std::vector<const GrowthEntry*> archive_entries;
        for (const GrowthEntry& g : budget_.growth) {
            switch (g.kind) {
            case GrowthKind::region: region(g); break;
            case GrowthKind::archive: archive_entries.push_back(&g); break;
            case GrowthKind::component: component(g); break;
            case GrowthKind::total: total(g); break;
            }
        }
        archives(archive_entries);
    }

private:
    Verdict make(const GrowthEntry& g, EntryKind kind, std::string item, std::uint64_t old_figure,
                 std::uint64_t new_figure) const {
        Verdict v;
        v.kind = kind;
        v.rule = Rule::growth;
        v.entry = g.key;
        v.where = g.where;
        v.item = std::move(item);
        v.used = new_figure;
        v.baseline = old_figure;
        v.growth = static_cast<std::int64_t>(new_figure) - static_cast<std::int64_t>(old_figure);
        v.limit = g.max.is_percent() ? percent_of(old_figure, g.max.percent) : g.max.bytes;
        v.limit_text = g.max.text;
        v.status = v.growth > 0 && static_cast<std::uint64_t>(v.growth) > v.limit ? VerdictStatus::exceeded
                                                                                 : VerdictStatus::ok;
        v.severity = v.status == VerdictStatus::exceeded ? Severity::error : Severity::ok;
        return v;
    }

    void unmatched(const GrowthEntry& g, EntryKind kind, std::string detail) {
        Verdict v;
        v.kind = kind;
        v.rule = Rule::growth;
        v.entry = g.key;
        v.where = g.where;
        v.item = g.key;
        v.limit_text = g.max.text;
        v.status = VerdictStatus::unmatched;
        v.severity = budget_.strict ? Severity::error : Severity::warning;
        v.detail = std::move(detail);
        result_.verdicts.push_back(std::move(v));
    }

    // Items that grew most, their growth in bytes.
    std::vector<Contributor> top(std::vector<Contributor> all) const {
        std::erase_if(all, [](const Contributor& c) { return c.bytes == 0; });
        std::stable_sort(all.begin(), all.end(), [](const Contributor& a, const Contributor& b) {
            if (a.bytes != b.bytes) return a.bytes > b.bytes;
            return a.name < b.name;
        });
        if (all.size() > options_.contributors) all.resize(options_.contributors);
        return all;
    }

    static std::uint64_t grown(std::int64_t delta) { return delta > 0 ? static_cast<std::uint64_t>(delta) : 0; }

    void push(Verdict v, std::string_view contributor_kind, std::vector<Contributor> contributors) {
        if (v.severity == Severity::error) {
            v.contributor_kind = std::string(contributor_kind);
            v.contributors = top(std::move(contributors));
        }
        result_.verdicts.push_back(std::move(v));
    }

    void region(const GrowthEntry& g) {
        auto it = std::find_if(diff_.regions.begin(), diff_.regions.end(),
                               [&](const RegionDelta& r) { return r.name == g.key; });
        if (it == diff_.regions.end()) {
            std::vector<std::string> names;
            for (const RegionDelta& r : diff_.regions) names.push_back(r.name);
            unmatched(g, EntryKind::region,
                      names.empty() ? fmt::format("growth of region '{}': neither the baseline nor the map has "
                                                  "memory regions",
                                                  g.key)
                                    : fmt::format("growth of region '{}': the region is neither in the baseline nor "
                                                  "in the map (they have {})",
                                                  g.key, fmt::join(names, ", ")));
            return;
        }
        const std::size_t r = static_cast<std::size_t>(it - diff_.regions.begin());
        Verdict v = make(g, EntryKind::region, g.key, it->old_used, it->new_used);
        std::vector<Contributor> c;
        for (const ItemDelta& o : diff_.objects)
            c.push_back({object_label(o), grown(o.regions[r])});
        push(std::move(v), "object", std::move(c));
    }

    void archives(const std::vector<const GrowthEntry*>& entries) {
        if (entries.empty()) return;
        std::vector<bool> any(entries.size(), false);
        for (const ItemDelta& a : diff_.archives) {
            for (std::size_t e = 0; e < entries.size(); ++e) {
                if (!matches(entries[e]->key, a.name, a.path)) continue;
                any[e] = true;
                Verdict v = make(*entries[e], EntryKind::archive, a.name, a.old_size, a.new_size);
                std::vector<Contributor> c;
                if (v.severity == Severity::error) {
                    for (const ItemDelta& o : diff_.objects) {
                        auto [archive, member] = split_member(o.name);
                        bool in = a.name == no_archive_name ? archive.empty() && !o.path.empty()
                                                            : !archive.empty() && archive == a.name;
                        if (in) c.push_back({object_label(o), grown(o.delta)});
                    }
                }
                push(std::move(v), "object", std::move(c));
                break;  // the first matching entry budgets the archive
            }
        }
        for (std::size_t e = 0; e < entries.size(); ++e)
            if (!any[e])
                unmatched(*entries[e], EntryKind::archive,
                          fmt::format("growth of archives '{}': matches no archive in the baseline or the map",
                                      entries[e]->key));
    }

    // Which component (index into the budget's component entries) each object of the diff belongs to.
    void assign_components() {
        if (!components_.empty() || assigned_) return;
        assigned_ = true;
        for (const BudgetEntry& e : budget_.entries)
            if (e.kind == EntryKind::component) components_.push_back(&e);
        owner_.assign(diff_.objects.size(), components_.size());
        for (std::size_t i = 0; i < diff_.objects.size(); ++i) {
            const ItemDelta& o = diff_.objects[i];
            auto [archive, member] = split_member(o.name);
            const bool pseudo = o.path.empty() && is_pseudo(o.name);
            std::string archive_name = pseudo ? o.name : archive.empty() ? std::string(no_archive_name) : std::string(archive);
            std::string archive_path;
            if (auto it = archive_paths_.find(archive_name); !archive.empty() && it != archive_paths_.end())
                archive_path = it->second;
            for (std::size_t c = 0; c < components_.size() && owner_[i] == components_.size(); ++c) {
                for (const Pattern& p : components_[c]->archives)
                    if (matches(p.glob, archive_name, archive_path)) owner_[i] = c;
                for (const Pattern& p : components_[c]->objects)
                    if (owner_[i] == components_.size() && matches(p.glob, o.name, o.path, member)) owner_[i] = c;
            }
        }
    }

    void component(const GrowthEntry& g) {
        assign_components();
        std::size_t c = 0;
        while (c < components_.size() && components_[c]->key != g.key) ++c;
        std::uint64_t old_size = 0, new_size = 0;
        bool any = false;
        Accumulator acc;
        for (std::size_t i = 0; i < diff_.objects.size(); ++i) {
            if (owner_[i] != c || c == components_.size()) continue;
            const ItemDelta& o = diff_.objects[i];
            any = true;
            old_size += o.old_size;
            new_size += o.new_size;
            auto [archive, member] = split_member(o.name);
            acc.add(archive.empty() ? object_label(o) : std::string(archive), o.delta);
        }
        if (!any) {
            unmatched(g, EntryKind::component,
                      fmt::format("growth of component '{}': the component matches no archive or object in the "
                                  "baseline or the map",
                                  g.key));
            return;
        }
        Verdict v = make(g, EntryKind::component, g.key, old_size, new_size);
        push(std::move(v), "archive", acc.grown());
    }

    void total(const GrowthEntry& g) {
        Verdict v = make(g, EntryKind::region, std::string(growth_total_name), diff_.old_allocated,
                         diff_.new_allocated);
        std::vector<Contributor> c;
        for (const ItemDelta& a : diff_.archives) c.push_back({a.name, grown(a.delta)});
        push(std::move(v), "archive", std::move(c));
    }

    // Sums signed deltas under a name, keeping first-seen order.
    struct Accumulator {
        std::vector<std::pair<std::string, std::int64_t>> list;
        std::unordered_map<std::string, std::size_t> index;
        void add(const std::string& name, std::int64_t delta) {
            auto [it, inserted] = index.emplace(name, list.size());
            if (inserted) list.emplace_back(name, 0);
            // Deltas of distinct items of snapshots past 2^63 bytes could add up beyond 64 bits.
            if (__builtin_add_overflow(list[it->second].second, delta, &list[it->second].second))
                throw Error(name, "the changes of its items add up to more than 64 bits hold");
        }
        std::vector<Contributor> grown() const {
            std::vector<Contributor> out;
            for (const auto& [name, delta] : list) out.push_back({name, delta > 0 ? static_cast<std::uint64_t>(delta) : 0});
            return out;
        }
    };

    const BudgetFile& budget_;
    const CheckOptions& options_;
    CheckResult& result_;
    SizeDiff diff_;
    std::unordered_map<std::string, std::string> archive_paths_;
    std::vector<const BudgetEntry*> components_;
    std::vector<std::size_t> owner_;
    bool assigned_ = false;
};

}  // namespace

void check_growth(const BudgetFile& budget, const Snapshot& baseline, const Snapshot& current, CheckResult& result,
                  const CheckOptions& options) {
    GrowthEvaluator(budget, options, result, diff_snapshots(baseline, current)).run();
    std::stable_sort(result.verdicts.begin(), result.verdicts.end(), [](const Verdict& a, const Verdict& b) {
        if (a.where.line != b.where.line) return a.where.line < b.where.line;
        return a.where.column < b.where.column;
    });
}

}  // namespace sizebudget

// Hint rules (budgets/hints/size-traps.json) and finding the traps they describe in a link.
#include "sizebudget/hints.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "budget/yaml_tree.hpp"
#include "embedded_files.hpp"
#include "sizebudget/budget.hpp"
#include "sizebudget/demangle.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/identity.hpp"
#include "sizebudget/input_file.hpp"
#include "sizebudget/name_hash.hpp"
#include "sizebudget/reference_graph.hpp"
#include "sizebudget/retained.hpp"
#include "sizebudget/size_format.hpp"
#include "sizebudget/why.hpp"

namespace sizebudget {

namespace {

constexpr std::size_t max_rules_file_size = 1 << 20;

class RuleReader {
public:
    explicit RuleReader(const std::string& path) : path_(path) {}

    std::vector<HintRule> read(const YNode& root) {
        if (root.kind != YNode::Kind::map) fail(root.where, "a hint rules file is a mapping: `version: 1`, then `hints:`");
        const YNode* hints = nullptr;
        for (std::size_t i = 0; i < root.keys.size(); ++i) {
            if (root.keys[i] == "version") {
                if (root.items[i].kind != YNode::Kind::scalar || root.items[i].value != "1")
                    fail(root.items[i].where, "`version` must be 1");
            } else if (root.keys[i] == "hints") {
                hints = &root.items[i];
            } else {
                fail(root.key_where[i], fmt::format("unknown key '{}': a hint rules file has `version` and `hints`",
                                                    printable(root.keys[i])));
            }
        }
        if (hints == nullptr) fail(root.where, "no `hints:` in the hint rules file");
        if (hints->kind != YNode::Kind::map) fail(hints->where, "`hints` maps each rule's id to its rule");
        std::vector<HintRule> rules;
        for (std::size_t i = 0; i < hints->keys.size(); ++i) rules.push_back(rule(hints->keys[i], hints->key_where[i], hints->items[i]));
        return rules;
    }

private:
    [[noreturn]] void fail(SourceLocation where, const std::string& message) const {
        throw Error(path_, where.line, where.column, message);
    }

    HintRule rule(const std::string& id, SourceLocation where, const YNode& n) {
        if (n.kind != YNode::Kind::map) fail(n.where, fmt::format("hint '{}' is a mapping of title, remedy and globs", printable(id)));
        HintRule r;
        r.id = id;
        r.file = path_;
        r.line = where.line;
        for (std::size_t i = 0; i < n.keys.size(); ++i) {
            const std::string& key = n.keys[i];
            const YNode& v = n.items[i];
            if (key == "title" || key == "remedy") {
                if (v.kind != YNode::Kind::scalar || v.value.empty())
                    fail(v.where, fmt::format("`{}` of hint '{}' must be text", key, printable(id)));
                (key == "title" ? r.title : r.remedy) = v.value;
            } else if (key == "min_bytes") {
                if (v.kind != YNode::Kind::scalar || v.value.empty() ||
                    !std::all_of(v.value.begin(), v.value.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
                    v.value.size() > 18)
                    fail(v.where, fmt::format("`min_bytes` of hint '{}' must be a number of bytes", printable(id)));
                r.min_bytes = std::stoull(v.value);
            } else if (key == "symbols" || key == "objects" || key == "archives" || key == "sections" || key == "crates") {
                std::vector<std::string>& out = key == "symbols"    ? r.symbols
                                                : key == "objects"  ? r.objects
                                                : key == "archives" ? r.archives
                                                : key == "sections" ? r.sections
                                                                    : r.crates;
                if (v.kind != YNode::Kind::sequence)
                    fail(v.where, fmt::format("`{}` of hint '{}' must be a list of globs", key, printable(id)));
                for (const YNode& g : v.items) {
                    if (g.kind != YNode::Kind::scalar)
                        fail(g.where, fmt::format("`{}` of hint '{}' must be a list of globs", key, printable(id)));
                    if (std::string why = glob_error(g.value); !why.empty())
                        fail(g.where, fmt::format("glob '{}': {}", printable(g.value), why));
                    out.push_back(g.value);
                }
            } else if (key == "value_at_least") {
                if (v.kind != YNode::Kind::map)
                    fail(v.where, fmt::format("`value_at_least` of hint '{}' maps variables to their least value", printable(id)));
                for (std::size_t k = 0; k < v.keys.size(); ++k) {
                    const YNode& least = v.items[k];
                    if (least.kind != YNode::Kind::scalar || least.value.empty() || least.value.size() > 18 ||
                        !std::all_of(least.value.begin(), least.value.end(), [](char c) { return c >= '0' && c <= '9'; }))
                        fail(least.where, fmt::format("the least value of '{}' in hint '{}' must be a number",
                                                      printable(v.keys[k]), printable(id)));
                    r.value_at_least.emplace_back(v.keys[k], std::stoull(least.value));
                }
            } else {
                fail(n.key_where[i], fmt::format("unknown key '{}' in hint '{}' (title, remedy, symbols, objects, "
                                                 "archives, sections, crates, min_bytes, value_at_least)",
                                                 printable(key), printable(id)));
            }
        }
        if (r.title.empty() || r.remedy.empty())
            fail(where, fmt::format("hint '{}' needs a title and a remedy", printable(id)));
        if (r.symbols.empty() && r.objects.empty() && r.archives.empty() && r.sections.empty() && r.crates.empty() &&
            r.value_at_least.empty())
            fail(where, fmt::format("hint '{}' names nothing to look for (symbols, objects, archives, sections, crates "
                                    "or value_at_least)",
                                    printable(id)));
        return r;
    }

    const std::string& path_;
};

bool any_glob(const std::vector<std::string>& globs, std::string_view text) {
    return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) { return glob_match(g, text); });
}

}  // namespace

std::vector<HintRule> parse_hint_rules(std::string_view text, const std::string& path) {
    if (text.size() > max_rules_file_size)
        throw Error(path, fmt::format("the hint rules file is larger than {} MiB", max_rules_file_size >> 20));
    return RuleReader(path).read(parse_yaml_tree(text, path, "hint rules file", "`version: 1` and `hints:`"));
}

std::vector<HintRule> load_hint_rules(const std::string& path) {
    const std::string text = read_small_file(path, "hint rules file", max_rules_file_size);
    return parse_hint_rules(text, path);
}

namespace {

// The built-in rules are JSON, read with nlohmann's parser: yaml-cpp took a millisecond for them
// on every report. Their tree has no lines; they are tested, not edited by users.
YNode tree_of(const nlohmann::ordered_json& j) {
    YNode n;
    if (j.is_object()) {
        n.kind = YNode::Kind::map;
        for (const auto& [key, value] : j.items()) {
            n.keys.push_back(key);
            n.key_where.push_back({});
            n.items.push_back(tree_of(value));
        }
    } else if (j.is_array()) {
        n.kind = YNode::Kind::sequence;
        for (const nlohmann::ordered_json& item : j) n.items.push_back(tree_of(item));
    } else if (j.is_string()) {
        n.kind = YNode::Kind::scalar;
        n.value = j.get<std::string>();
    } else if (!j.is_null()) {
        n.kind = YNode::Kind::scalar;
        n.value = j.dump();
    }
    return n;
}

}  // namespace

std::vector<HintRule> builtin_hint_rules() {
    // Keys in file order: a rule's place decides where its hint is listed.
    const nlohmann::ordered_json rules = nlohmann::ordered_json::parse(embedded::size_traps);
    return RuleReader("budgets/hints/size-traps.json").read(tree_of(rules));
}

std::vector<Hint> find_hints(const LinkMap& map, const Totals& t, const RetainedSizes& retained,
                             const std::vector<HintRule>& rules) {
    std::vector<Hint> out;
    if (rules.empty()) return out;
    const ReferenceGraph& graph = *retained.graph;
    const SymbolRetention& symbol_retention = *retained.symbol_retention;
    struct Match {
        std::string what;          // "symbol _printf_float in libc_nano.a(...)"
        std::string_view file;     // the object, or an archive's path: where the why-chain ends
        std::uint64_t bytes = 0, retained = 0;
    };
    // A rule's matches: all their bytes, and the few that retain most (a glob may match a
    // million symbols; a hint names five).
    struct Matches {
        std::vector<Match> top;
        std::uint64_t bytes = 0;
        std::size_t count = 0;
        void add(Match m) {
            bytes += m.bytes;
            ++count;
            auto at = std::find_if(top.begin(), top.end(), [&](const Match& o) { return o.retained < m.retained; });
            if (at == top.end() && top.size() >= 5) return;
            top.insert(at, std::move(m));
            if (top.size() > 5) top.pop_back();
        }
    };

    // Symbol matches of every rule in one pass over the symbols the map lists (the totals need
    // no symbol rows, nothing is kept per symbol): names by hash, wildcard globs one by one.
    // Names are demangled only where that may change them (C++, Rust, lld's half-demangled).
    std::vector<Matches> symbol_matches(rules.size());
    NameMap<std::vector<std::uint32_t>> exact;
    // A wildcard glob with the literal text before its first wildcard and after its last '*':
    // two comparisons rule out nearly every name before the matcher runs.
    struct Pattern {
        std::string_view glob, head, tail;
        std::uint32_t rule;
    };
    std::vector<Pattern> patterns;
    for (std::uint32_t r = 0; r < rules.size(); ++r)
        for (const std::string& g : rules[r].symbols) {
            const std::size_t first = g.find_first_of("*?[\\");
            if (first == std::string::npos) {
                exact[g].push_back(r);
                continue;
            }
            patterns.push_back({g, std::string_view(g).substr(0, first), glob_plain_tail(g), r});
        }
    std::vector<std::uint32_t> hit;
    std::string readable;
    if (!exact.empty() || !patterns.empty())
        for (const OutputSection& s : map.sections) {
            if (!s.allocated || s.reserved) continue;
            for (const InputSection& in : map.inputs_of(s)) {
                if (in.object == npos32) continue;
                const std::string_view object = map.objects[in.object].path;
                for (const Symbol& sym : map.symbols_of(in)) {
                    std::string_view name = sym.name();
                    if (may_demangle(name)) {
                        readable = demangle(name);
                        name = readable;
                    }
                    hit.clear();
                    if (auto it = exact.find(name); it != exact.end()) hit = it->second;
                    for (const Pattern& p : patterns)
                        if (name.starts_with(p.head) && name.ends_with(p.tail) &&
                            std::find(hit.begin(), hit.end(), p.rule) == hit.end() && glob_match(p.glob, name))
                            hit.push_back(p.rule);
                    for (std::uint32_t r : hit)
                        symbol_matches[r].add({fmt::format("symbol {} in {}", name, portable_path(object)), object,
                                               sym.size, symbol_retention.of(object, sym.name(), sym.size)});
                }
            }
        }

    // A variable's starting value, and the object that defines it.
    auto initial_value = [&](std::string_view name) -> std::optional<InitialValue> {
        for (const InitialValue& v : map.initial_values)
            if (v.symbol == name) return v;
        return std::nullopt;
    };
    auto defining_object = [&](std::string_view name) -> std::string_view {
        for (const OutputSection& s : map.sections)
            for (const InputSection& in : map.inputs_of(s))
                for (const Symbol& sym : map.symbols_of(in))
                    if (sym.name() == name && in.object != npos32) return map.objects[in.object].path;
        return {};
    };

    for (std::size_t ri = 0; ri < rules.size(); ++ri) {
        const HintRule& rule = rules[ri];
        Matches matches = std::move(symbol_matches[ri]);
        // Every value must be there and large enough; the globs, if any, must match as well.
        bool values_hold = true;
        std::string values_found;
        for (const auto& [name, least] : rule.value_at_least) {
            const std::optional<InitialValue> v = initial_value(name);
            if (!v || v->value < least) {
                values_hold = false;
                break;
            }
            const std::string_view file = defining_object(v->symbol);
            values_found += fmt::format("{}{} = {} (its starting value in the ELF){}", values_found.empty() ? "" : "; ",
                                        name, v->value, file.empty() ? "" : fmt::format(" in {}", portable_path(file)));
            if (matches.top.empty() && rule.symbols.empty() && rule.objects.empty() && rule.archives.empty() &&
                rule.sections.empty() && rule.crates.empty())
                matches.top.push_back({{}, file, 0, 0});
        }
        if (!values_hold) continue;
        for (std::size_t i = 0; i < t.objects.size(); ++i) {
            const std::string_view name = t.objects.name(i), path = t.objects.path(i);
            if (path.empty() || rule.objects.empty() || !(any_glob(rule.objects, name) || any_glob(rule.objects, file_name(path))))
                continue;
            const std::uint64_t kept = retained.objects[i], size = t.objects.bytes(i);
            matches.add({fmt::format("object {}", name), path, size, kept == no_retained ? size : kept});
        }
        for (std::size_t i = 0; i < t.archives.size(); ++i) {
            const std::string_view name = t.archives.name(i), path = t.archives.path(i);
            if (path.empty() || rule.archives.empty() || !any_glob(rule.archives, name)) continue;
            const std::uint64_t kept = retained.archives[i], size = t.archives.bytes(i);
            matches.add({fmt::format("archive {}", name), path, size, kept == no_retained ? size : kept});
        }
        for (const ItemSize& s : t.sections)
            if (!rule.sections.empty() && any_glob(rule.sections, s.name))
                matches.add({fmt::format("section {}", s.name), {}, s.size, s.size});
        for (std::size_t i = 0; i < t.crates.size(); ++i)
            if (!rule.crates.empty() && !t.crates[i].name.starts_with("(") && any_glob(rule.crates, t.crates[i].name)) {
                const std::uint64_t kept = retained.crates[i];
                matches.add({fmt::format("crate {}", t.crates[i].name), {}, t.crates[i].size,
                                   kept == no_retained ? t.crates[i].size : kept});
            }
        if (matches.top.empty() || matches.bytes < rule.min_bytes) continue;
        const Match& first = matches.top.front();
        Hint h;
        h.id = rule.id;
        h.title = rule.title;
        h.remedy = rule.remedy;
        h.evidence = first.what.empty() ? values_found : first.what;
        for (std::size_t i = 1; i < matches.top.size() && h.also.size() < 4; ++i) h.also.push_back(matches.top[i].what);
        h.bytes = matches.bytes;
        h.more = matches.count > h.also.size() ? matches.count - 1 - h.also.size() : 0;
        h.evidence_bytes = first.bytes;
        h.retained = first.retained;
        // The chain to the first match's file (an archive: to the first of its members reached).
        std::vector<std::uint32_t> targets;
        if (std::uint32_t n = graph.find(first.file); n != npos32) targets.push_back(n);
        else if (!first.file.empty())
            for (std::uint32_t i = 0; i < graph.nodes.size(); ++i)
                if (graph.nodes[i].archive == first.file) targets.push_back(i);
        if (!targets.empty())
            if (const auto chains = why_chains(graph, targets, 1); !chains.empty()) h.why = chain_lines(graph, chains.front());
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace sizebudget

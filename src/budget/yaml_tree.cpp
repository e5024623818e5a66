// Reading a YAML file into a YNode tree (yaml_tree.hpp).
#include "budget/yaml_tree.hpp"

#include <optional>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "sizebudget/error.hpp"
#include "sizebudget/utf8.hpp"

namespace sizebudget {

namespace {

// Deep enough for the format (four levels) with room to spare; shallow enough that no input can
// exhaust the stack.
constexpr std::size_t max_nesting = 32;

}  // namespace

// Control characters and bytes that are not UTF-8 are shown as \xNN so that a binary file cannot
// garble the terminal or the CI log.
std::string printable(std::string_view text) {
    // One line of sane length, whatever the file holds.
    constexpr std::size_t max_line = 400;
    std::string out;
    auto escape = [&out](unsigned char c) { out += fmt::format("\\x{:02x}", c); };
    for (std::size_t i = 0; i < text.size();) {
        if (out.size() >= max_line) {
            out += fmt::format("... ({} bytes more)", text.size() - i);
            break;
        }
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f) escape(c);
            else out += static_cast<char>(c);
            ++i;
            continue;
        }
        const std::size_t len = utf8_sequence_at(text, i);
        if (len == 0) {
            escape(c);
            ++i;
            continue;
        }
        out.append(text.substr(i, len));
        i += len;
    }
    return out;
}

namespace {

SourceLocation location_of(const YAML::Mark& m) {
    if (m.is_null() || m.line < 0) return {};
    return {static_cast<std::size_t>(m.line) + 1, static_cast<std::size_t>(m.column) + 1};
}

// Builds a YNode tree from parser events.
class TreeBuilder final : public YAML::EventHandler {
public:
    TreeBuilder(const std::string& path, std::string_view what) : path_(path), what_(what) {}

    std::optional<YNode> root;
    SourceLocation document_start;

    void OnDocumentStart(const YAML::Mark& mark) override { document_start = location_of(mark); }
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        no_anchor(mark, anchor);
        YNode n;
        n.where = location_of(mark);
        add(std::move(n), mark);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
        fail(mark, fmt::format("aliases (*name) are not supported in a {}; write the value out (a glob that "
                               "starts with '*' must be quoted: \"*/drivers/*.o\")",
                               what_));
    }
    void OnAnchor(const YAML::Mark& mark, const std::string&) override { no_anchor(mark, 1); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  const std::string& value) override {
        no_anchor(mark, anchor);
        YNode n;
        n.kind = YNode::Kind::scalar;
        n.where = location_of(mark);
        n.value = value;
        add(std::move(n), mark);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor, YNode::Kind::sequence);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor, YNode::Kind::map);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame {
        YNode node;
        YAML::Mark mark;
        std::unordered_map<std::string, SourceLocation> seen;  // keys of a map so far
        bool have_key = false;
        std::string key;
        SourceLocation key_where;
    };

    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
        SourceLocation w = location_of(mark);
        throw Error(path_, w.line, w.column, printable(message));
    }

    void no_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) const {
        if (anchor != YAML::NullAnchor)
            fail(mark, fmt::format("anchors (&name) and aliases are not supported in a {}; write the value out", what_));
    }

    void open(const YAML::Mark& mark, YAML::anchor_t anchor, YNode::Kind kind) {
        no_anchor(mark, anchor);
        if (stack_.size() >= max_nesting)
            fail(mark, fmt::format("nested more than {} levels deep; a {} needs four", max_nesting, what_));
        Frame f;
        f.node.kind = kind;
        f.node.where = location_of(mark);
        f.mark = mark;
        stack_.push_back(std::move(f));
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        add(std::move(f.node), f.mark);
    }

    void add(YNode n, const YAML::Mark& mark) {
        if (stack_.empty()) {
            root = std::move(n);
            return;
        }
        Frame& top = stack_.back();
        if (top.node.kind == YNode::Kind::sequence) {
            top.node.items.push_back(std::move(n));
            return;
        }
        if (top.have_key) {
            top.node.keys.push_back(std::move(top.key));
            top.node.key_where.push_back(top.key_where);
            top.node.items.push_back(std::move(n));
            top.have_key = false;
            return;
        }
        if (n.kind == YNode::Kind::null) fail(mark, "empty key: every key needs a name");
        if (n.kind != YNode::Kind::scalar)
            fail(mark, "a key must be a plain name or glob, not a list or mapping");
        if (auto [it, inserted] = top.seen.emplace(n.value, n.where); !inserted)
            fail(mark, fmt::format("duplicate key '{}' (first at line {})", n.value, it->second.line));
        top.key = std::move(n.value);
        top.key_where = n.where;
        top.have_key = true;
    }

    const std::string& path_;
    std::string_view what_;
    std::vector<Frame> stack_;
};



// Where a YAML syntax error really is, when yaml-cpp reports it later: a tab in an indentation
// (YAML indents with spaces only), or the '{' or '[' that is never closed (yaml-cpp notices at the
// next entry, lines later). Empty when neither explains the error.
std::optional<Error> located_syntax_error(std::string_view text, const std::string& path, const std::string& what,
                                          std::size_t error_line) {
    std::size_t line = 1, column = 1;
    bool indentation = true, in_comment = false;
    char quote = 0;
    struct Open {
        char c;
        std::size_t line, column;
    };
    std::vector<Open> open;
    for (char c : text) {
        if (line > error_line) break;
        if (c == '\n') {
            ++line;
            column = 1;
            indentation = true;
            in_comment = false;
            if (quote == '\'') quote = 0;  // a plain error anyway; do not let it hide later braces
            continue;
        }
        if (indentation && c == '\t')
            return Error(path, line, column, "a tab in the indentation: YAML indents with spaces only");
        if (c != ' ' && c != '\t') indentation = false;
        if (in_comment) {
        } else if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#') {
            in_comment = true;
        } else if (c == '{' || c == '[') {
            open.push_back({c, line, column});
        } else if ((c == '}' || c == ']') && !open.empty()) {
            open.pop_back();
        }
        ++column;
    }
    const bool map_flow = what.find("end of map flow not found") != std::string::npos;
    const bool seq_flow = what.find("end of sequence flow not found") != std::string::npos;
    if ((map_flow || seq_flow) && !open.empty()) {
        const Open& o = open.back();
        return Error(path, o.line, o.column,
                     fmt::format("YAML syntax error: this '{}' is never closed: a '{}' is missing", o.c,
                                 o.c == '{' ? '}' : ']'));
    }
    return std::nullopt;
}


}  // namespace

YNode parse_yaml_tree(std::string_view text, const std::string& path, std::string_view what, std::string_view needs) {
    std::istringstream in{std::string(text)};
    TreeBuilder builder(path, what);
    try {
        YAML::Parser parser(in);
        if (!parser.HandleNextDocument(builder) || !builder.root || builder.root->kind == YNode::Kind::null)
            throw Error(path, fmt::format("the {} is empty: it needs at least {}", what, needs));
        TreeBuilder second(path, what);
        if (parser.HandleNextDocument(second))
            throw Error(path, second.document_start.line, second.document_start.column,
                        fmt::format("a second YAML document ('---'): a {} holds exactly one", what));
    } catch (const YAML::Exception& e) {
        SourceLocation w = location_of(e.mark);
        if (auto real = located_syntax_error(text, path, e.msg, w.line == 0 ? ~std::size_t{0} : w.line)) throw *real;
        std::string hint;
        if (e.msg.find("anchor") != std::string::npos)
            hint = fmt::format("; a {} uses no anchors or aliases, and a glob that starts with '*' must be quoted "
                               "(\"*/drivers/*.o\")",
                               what);
        throw Error(path, w.line, w.column, fmt::format("YAML syntax error: {}{}", printable(e.msg), hint));
    }
    return std::move(*builder.root);
}

}  // namespace sizebudget

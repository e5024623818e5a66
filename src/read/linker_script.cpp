// Reads what sizebudget needs from a GNU linker script: the MEMORY regions (lld maps carry none)
// and the output sections whose load address is given by AT(expr).
//
// The script is tokenised by hand and read by a small recursive-descent parser:
//  - top level: symbol assignments (evaluated in order, so MEMORY can use them), PROVIDE,
//    REGION_ALIAS, INCLUDE, MEMORY, SECTIONS; other commands (ENTRY(...), OUTPUT_FORMAT(...),
//    PHDRS {...}, ...) are skipped by balancing their brackets;
//  - MEMORY: `NAME [(attrs)] : ORIGIN|org|o = expr [,] LENGTH|len|l = expr`, and INCLUDE;
//  - SECTIONS: only output-section headers are looked at (for `AT(`); bodies are skipped.
// Expressions are evaluated in 128-bit arithmetic with every intermediate checked to stay within
// 64 bits, so nothing wraps silently.
#include "sizebudget/linker_script.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/input_file.hpp"

namespace sizebudget {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t max_script_size = 64u << 20;
constexpr std::size_t max_include_depth = 32;

// ---------------------------------------------------------------------------------------------
// Tokens

enum class Kind : std::uint8_t { end, name, number, string, punct };

struct Token {
    Kind kind = Kind::end;
    std::string_view text;  // view into the lexer's source; for strings, without the quotes
    std::size_t line = 0;
    std::size_t column = 0;
    std::size_t offset = 0;  // of the token's first byte in the source
    std::size_t end = 0;     // one past its last byte

    bool is(std::string_view p) const { return kind == Kind::punct && text == p; }
    bool is_name(std::string_view n) const { return kind == Kind::name && text == n; }
};

bool name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '$';
}
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool hex_digit(char c) {
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string describe(const Token& t) {
    switch (t.kind) {
        case Kind::end: return "end of file";
        case Kind::string: return fmt::format("\"{}\"", t.text);
        default: return fmt::format("'{}'", t.text);
    }
}

class Lexer {
public:
    Lexer(std::string file, std::string source, std::string directory)
        : file_(std::move(file)), src_(std::move(source)), dir_(std::move(directory)) {}

    const std::string& file() const { return file_; }
    const std::string& directory() const { return dir_; }
    std::string_view source() const { return src_; }

    [[noreturn]] void fail(const Token& at, const std::string& message) const {
        throw Error(file_, at.line, at.column, message);
    }

    Token next() {
        if (peeked_) {
            Token t = *peeked_;
            peeked_.reset();
            return t;
        }
        return lex();
    }
    const Token& peek() {
        if (!peeked_) peeked_ = lex();
        return *peeked_;
    }

    // In output-section bodies file patterns such as `lib/*.o(.text)` hold "/*" that does not
    // open a comment (GNU ld reads the whole pattern as one token there).
    void set_wild(bool on) { wild_ = on; }

    // The operand of INCLUDE: a quoted string or a run of characters up to white space, ';' or a
    // brace. Read at character level because file names hold '/', '-' and the like.
    Token read_file_name() {
        if (peeked_) {  // never happens with the callers below, but stay correct
            Token t = *peeked_;
            peeked_.reset();
            return t;
        }
        skip_space_and_comments();
        Token t = start();
        if (pos_ < src_.size() && src_[pos_] == '"') return string_token(t);
        while (pos_ < src_.size() && !space(src_[pos_]) && src_[pos_] != ';' && src_[pos_] != '{' &&
               src_[pos_] != '}')
            ++pos_;
        t.kind = pos_ == t.offset ? Kind::end : Kind::name;
        return finish(t);
    }

private:
    Token start() const {
        Token t;
        t.line = line_;
        t.column = pos_ - line_start_ + 1;
        t.offset = pos_;
        return t;
    }
    Token finish(Token& t) const {
        t.end = pos_;
        if (t.kind != Kind::string) t.text = std::string_view(src_).substr(t.offset, pos_ - t.offset);
        return t;
    }
    void advance_line(std::size_t newline_at) {
        ++line_;
        line_start_ = newline_at + 1;
    }

    void skip_space_and_comments() {
        while (pos_ < src_.size()) {
            char c = src_[pos_];
            if (c == '\n') {
                advance_line(pos_);
                ++pos_;
            } else if (space(c)) {
                ++pos_;
            } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '*' &&
                       !(wild_ && pos_ > 0 && (name_char(src_[pos_ - 1]) || src_[pos_ - 1] == '*'))) {
                Token open = start();
                std::size_t close = src_.find("*/", pos_ + 2);
                if (close == std::string::npos) fail(open, "comment opened here is never closed ('*/' missing)");
                for (std::size_t i = pos_; i < close; ++i)
                    if (src_[i] == '\n') advance_line(i);
                pos_ = close + 2;
            } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
                // GNU ld knows only /* */; `//` comments are accepted because they harm nothing.
                while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
            } else {
                break;
            }
        }
    }

    Token string_token(Token& t) {
        ++pos_;  // opening quote
        std::size_t close = src_.find('"', pos_);
        if (close == std::string::npos) fail(t, "string opened here is never closed");
        // Strings may span lines (cortex-m-rt's ASSERT messages do).
        for (std::size_t i = pos_; i < close; ++i)
            if (src_[i] == '\n') advance_line(i);
        t.kind = Kind::string;
        t.text = std::string_view(src_).substr(pos_, close - pos_);
        pos_ = close + 1;
        t.end = pos_;
        return t;
    }

    Token lex() {
        skip_space_and_comments();
        Token t = start();
        if (pos_ >= src_.size()) {
            t.kind = Kind::end;
            return finish(t);
        }
        char c = src_[pos_];
        if (c == '"') return string_token(t);
        if (digit(c)) {
            // Digits and letters: "0x8000000", "256K", "1000h". number_value() judges them.
            while (pos_ < src_.size() && (digit(src_[pos_]) || (src_[pos_] >= 'a' && src_[pos_] <= 'z') ||
                                          (src_[pos_] >= 'A' && src_[pos_] <= 'Z')))
                ++pos_;
            t.kind = Kind::number;
            return finish(t);
        }
        if (c == '$') {
            // "$8000" is hexadecimal (optionally with K or M); "$foo" is a name.
            std::size_t p = pos_ + 1;
            while (p < src_.size() && hex_digit(src_[p])) ++p;
            if (p < src_.size() && p > pos_ + 1 && (src_[p] == 'K' || src_[p] == 'k' || src_[p] == 'M' || src_[p] == 'm'))
                ++p;
            if (p > pos_ + 1 && (p == src_.size() || !name_char(src_[p]))) {
                pos_ = p;
                t.kind = Kind::number;
                return finish(t);
            }
        }
        if (name_start(c)) {
            while (pos_ < src_.size() && name_char(src_[pos_])) ++pos_;
            t.kind = Kind::name;
            return finish(t);
        }
        if (c == '/' && src_.compare(pos_, 9, "/DISCARD/") == 0) {
            pos_ += 9;
            t.kind = Kind::name;
            return finish(t);
        }
        static constexpr std::string_view ops[] = {"<<=", ">>=", "<<", ">>", "<=", ">=", "==", "!=",
                                                   "&&",  "||",  "+=", "-=", "*=", "/=", "&=", "|="};
        t.kind = Kind::punct;
        for (std::string_view op : ops)
            if (src_.compare(pos_, op.size(), op) == 0) {
                pos_ += op.size();
                return finish(t);
            }
        ++pos_;
        return finish(t);
    }

    std::string file_;
    std::string src_;
    std::string dir_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t line_start_ = 0;
    bool wild_ = false;
    std::optional<Token> peeked_;
};

// ---------------------------------------------------------------------------------------------
// Numbers

using Value = __int128;
constexpr Value value_limit = (Value{1} << 64) - 1;  // largest magnitude an intermediate may have

std::optional<std::uint64_t> digits_value(std::string_view d, unsigned base) {
    if (d.empty()) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : d) {
        unsigned x;
        if (digit(c))
            x = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'z')
            x = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'Z')
            x = static_cast<unsigned>(c - 'A' + 10);
        else
            return std::nullopt;
        if (x >= base) return std::nullopt;
        if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, x, &v)) return std::nullopt;
    }
    return v;
}

// GNU ld constants: 0x/0X and $ hexadecimal, h/H hexadecimal, o/O octal, b/B binary and d/D
// decimal suffixes, K/k (x1024) and M/m (x1024*1024) scales. A leading 0 means octal to GNU ld
// but decimal to lld; when the two readings differ the number is refused rather than guessed.
std::uint64_t number_value(const Lexer& lx, const Token& t) {
    std::string_view s = t.text;
    auto bad = [&](const char* why) -> std::uint64_t {
        lx.fail(t, fmt::format("invalid number '{}': {}", s, why));
    };
    std::uint64_t scale = 1;
    auto scaled = [&](std::optional<std::uint64_t> v) -> std::uint64_t {
        if (!v) bad("not a valid number, or larger than 64 bits");
        std::uint64_t r;
        if (__builtin_mul_overflow(*v, scale, &r)) bad("larger than 64 bits");
        return r;
    };
    auto take_scale = [&](std::string_view& body) {
        if (body.size() > 1 && (body.back() == 'K' || body.back() == 'k')) {
            scale = 1024;
            body.remove_suffix(1);
        } else if (body.size() > 1 && (body.back() == 'M' || body.back() == 'm')) {
            scale = 1024 * 1024;
            body.remove_suffix(1);
        }
    };
    if (s.starts_with('$')) {
        std::string_view body = s.substr(1);
        take_scale(body);
        return scaled(digits_value(body, 16));
    }
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        std::string_view body = s.substr(2);
        take_scale(body);
        return scaled(digits_value(body, 16));
    }
    char last = s.back();
    if (s.size() > 1) {
        std::string_view body = s.substr(0, s.size() - 1);
        switch (last) {
            case 'h': case 'H': return scaled(digits_value(body, 16));
            case 'o': case 'O': return scaled(digits_value(body, 8));
            case 'b': case 'B': return scaled(digits_value(body, 2));
            case 'd': case 'D': return scaled(digits_value(body, 10));
            default: break;
        }
    }
    std::string_view body = s;
    take_scale(body);
    if (body.size() > 1 && body[0] == '0') {
        auto as_octal = digits_value(body, 8);
        auto as_decimal = digits_value(body, 10);
        if (!as_octal || !as_decimal || *as_octal != *as_decimal)
            bad("a leading 0 makes it octal to GNU ld but decimal to lld; write it in hex (0x...) "
                "or without the leading 0");
    }
    return scaled(digits_value(body, 10));
}

// ---------------------------------------------------------------------------------------------
// The parser

void reject_binary(const std::string& name, std::string_view text) {
    std::size_t nul = text.find('\0');
    if (nul == std::string_view::npos) return;
    std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n'));
    throw Error(name, line, "contains NUL bytes: binary data, not a linker script");
}


struct Region {
    std::string name;
    std::uint64_t origin = 0;
    std::uint64_t length = 0;
    std::string attributes;
};

// A top-level symbol: its value, or why it has none.
struct SymbolValue {
    std::optional<std::uint64_t> value;
    std::string why_not;
};

enum class Context : std::uint8_t { top, memory, sections };

class Parser {
public:
    Parser(std::vector<std::string> root_stack, std::vector<std::string> search_dirs)
        : include_stack_(std::move(root_stack)), search_dirs_(std::move(search_dirs)) {}

    void parse(Lexer& lx, Context context) {
        switch (context) {
            case Context::top: top_level(lx); break;
            case Context::memory: memory_body(lx, nullptr); break;
            case Context::sections: sections_body(lx, nullptr); break;
        }
    }

    LinkerScriptInfo result() {
        // An INCLUDE not found matters only when the regions had to come from it: cortex-m-rt's
        // link.x INCLUDEs device.x, which holds interrupt handlers, not memory.
        if (regions_.empty() && !missing_includes_.empty()) throw missing_includes_.front();
        LinkerScriptInfo info;
        for (const Error& e : missing_includes_)
            info.warnings.push_back(e.located() + "; the regions were found without it");
        for (const Region& r : regions_) {
            MemoryRegion m;
            m.name = info.strings->intern(r.name);
            m.origin = r.origin;
            m.length = r.length;
            m.attributes = info.strings->intern(r.attributes);
            info.regions.push_back(m);
        }
        info.load_by_expression = std::move(load_by_expression_);
        for (SectionPlacement& p : placements_) {
            // REGION_ALIAS may come after the section that uses the alias.
            for (std::string* r : {&p.region, &p.load_region})
                if (auto a = aliases_.find(*r); a != aliases_.end()) *r = a->second;
            if (!p.region.empty() || !p.load_region.empty()) info.placements.push_back(std::move(p));
        }
        return info;
    }

private:
    // ---- expressions ----------------------------------------------------------------------

    // Parses and evaluates one expression. An evaluation failure (undefined symbol, division by
    // zero, overflow, a function of the layout) is recorded and the rest is only parsed, so the
    // token stream always ends up just after the expression; the caller decides whether the
    // failure is fatal.
    struct Expr {
        Expr(Lexer& lexer, Parser& parser) : lx(lexer), p(parser) {}
        Lexer& lx;
        Parser& p;
        bool eval = true;  // false in the branch of ?: / && / || that is not taken
        std::optional<Error> error;

        bool active() const { return eval && !error; }
        Value eval_fail(const Token& at, const std::string& message) {
            if (active()) error.emplace(lx.file(), at.line, at.column, message);
            return 0;
        }
        Value check(Value v, const Token& at) {
            if (active() && (v > value_limit || v < -value_limit))
                return eval_fail(at, "arithmetic overflow: the value does not fit in 64 bits");
            return v;
        }

        Value ternary() {
            Value c = logical_or();
            if (!lx.peek().is("?")) return c;
            Token q = lx.next();
            Nest nest(*this, q);
            bool saved = eval;
            eval = saved && c != 0;
            Value a = ternary();
            Token colon = lx.next();
            if (!colon.is(":")) lx.fail(colon, fmt::format("expected ':' in '?:' expression, found {}", describe(colon)));
            eval = saved && c == 0;
            Value b = ternary();
            eval = saved;
            return c != 0 ? a : b;
        }
        Value logical_or() {
            Value a = logical_and();
            while (lx.peek().is("||")) {
                lx.next();
                bool saved = eval;
                eval = saved && a == 0;
                Value b = logical_and();
                eval = saved;
                a = (a != 0 || b != 0) ? 1 : 0;
            }
            return a;
        }
        Value logical_and() {
            Value a = bit_or();
            while (lx.peek().is("&&")) {
                lx.next();
                bool saved = eval;
                eval = saved && a != 0;
                Value b = bit_or();
                eval = saved;
                a = (a != 0 && b != 0) ? 1 : 0;
            }
            return a;
        }
        static std::uint64_t bits(Value v) { return static_cast<std::uint64_t>(v); }
        Value bit_or() {
            Value a = bit_xor();
            while (lx.peek().is("|")) {
                lx.next();
                a = Value{bits(a) | bits(bit_xor())};
            }
            return a;
        }
        Value bit_xor() {
            Value a = bit_and();
            while (lx.peek().is("^")) {
                lx.next();
                a = Value{bits(a) ^ bits(bit_and())};
            }
            return a;
        }
        Value bit_and() {
            Value a = equality();
            while (lx.peek().is("&")) {
                lx.next();
                a = Value{bits(a) & bits(equality())};
            }
            return a;
        }
        Value equality() {
            Value a = relational();
            while (lx.peek().is("==") || lx.peek().is("!=")) {
                bool eq = lx.next().is("==");
                Value b = relational();
                a = ((a == b) == eq) ? 1 : 0;
            }
            return a;
        }
        Value relational() {
            Value a = shift();
            for (;;) {
                const Token& t = lx.peek();
                if (!(t.is("<") || t.is(">") || t.is("<=") || t.is(">="))) return a;
                std::string_view op = lx.next().text;
                Value b = shift();
                bool r = op == "<" ? a < b : op == ">" ? a > b : op == "<=" ? a <= b : a >= b;
                a = r ? 1 : 0;
            }
        }
        Value shift() {
            Value a = additive();
            while (lx.peek().is("<<") || lx.peek().is(">>")) {
                Token op = lx.next();
                Value b = additive();
                if (!active()) continue;
                if (b < 0) {
                    a = eval_fail(op, "negative shift count");
                } else if (op.is("<<")) {
                    if (a != 0 && b >= 64)
                        a = eval_fail(op, "arithmetic overflow: the value does not fit in 64 bits");
                    else
                        a = b >= 64 ? 0 : check(a * (Value{1} << static_cast<int>(b)), op);
                } else {
                    a = b >= 64 ? 0 : Value{bits(a) >> static_cast<int>(b)};
                }
            }
            return a;
        }
        Value additive() {
            Value a = multiplicative();
            while (lx.peek().is("+") || lx.peek().is("-")) {
                Token op = lx.next();
                Value b = multiplicative();
                a = check(op.is("+") ? a + b : a - b, op);
            }
            return a;
        }
        Value multiplicative() {
            Value a = unary();
            while (lx.peek().is("*") || lx.peek().is("/") || lx.peek().is("%")) {
                Token op = lx.next();
                Value b = unary();
                if (!active()) continue;
                if (op.is("*"))
                    a = check(a * b, op);  // both within 2^64, so the product fits in 128 bits
                else if (b == 0)
                    a = eval_fail(op, "division by zero");
                else
                    a = op.is("/") ? a / b : a % b;
            }
            return a;
        }
        // Nesting guard: parentheses and unary operators recurse, and a hostile script must not
        // exhaust the stack.
        int nesting = 0;
        struct Nest {
            Expr& e;
            Nest(Expr& expr, const Token& at) : e(expr) {
                if (++e.nesting > 200) e.lx.fail(at, "expression nested too deeply");
            }
            ~Nest() { --e.nesting; }
        };

        Value unary() {
            const Token& t = lx.peek();
            if (t.is("-") || t.is("+") || t.is("!") || t.is("~")) {
                Token op = lx.next();
                Nest nest(*this, op);
                Value v = unary();
                if (op.is("-")) return -v;
                if (op.is("!")) return v == 0 ? 1 : 0;
                if (op.is("~")) return Value{~bits(v)};
                return v;
            }
            return primary();
        }

        Token expect_name(const char* what) {
            Token t = lx.next();
            if (t.kind != Kind::name && t.kind != Kind::string)
                lx.fail(t, fmt::format("expected {}, found {}", what, describe(t)));
            return t;
        }
        void expect(std::string_view p, const char* context) {
            Token t = lx.next();
            if (!t.is(p)) lx.fail(t, fmt::format("expected '{}' {}, found {}", p, context, describe(t)));
        }

        Value primary() {
            Token t = lx.next();
            if (t.kind == Kind::number) return Value{number_value(lx, t)};
            if (t.is("(")) {
                Nest nest(*this, t);
                Value v = ternary();
                expect(")", "to close the parenthesis");
                return v;
            }
            if (t.kind != Kind::name)
                lx.fail(t, fmt::format("expected a number, symbol or '(' in expression, found {}", describe(t)));
            if (lx.peek().is("(")) return function(t);
            if (t.text == ".") return eval_fail(t, "the location counter '.' has no value outside SECTIONS");
            return symbol(t);
        }

        Value symbol(const Token& t) {
            auto it = p.symbols_.find(std::string(t.text));
            if (it == p.symbols_.end()) return eval_fail(t, fmt::format("undefined symbol '{}'", t.text));
            if (!it->second.value)
                return eval_fail(t, fmt::format("symbol '{}' has no value here: {}", t.text, it->second.why_not));
            return Value{*it->second.value};
        }

        Value function(const Token& f) {
            lx.next();  // '('
            Nest nest(*this, f);
            std::string_view fn = f.text;
            if (fn == "ORIGIN" || fn == "LENGTH") {
                Token r = expect_name("a memory region name");
                expect(")", fmt::format("after {}({}", fn, r.text).c_str());
                const Region* region = p.find_region(r.text);
                if (region == nullptr) return eval_fail(r, fmt::format("undefined memory region '{}'", r.text));
                return Value{fn == "ORIGIN" ? region->origin : region->length};
            }
            if (fn == "DEFINED") {
                Token s = expect_name("a symbol name");
                expect(")", "after DEFINED(symbol");
                return p.symbols_.contains(std::string(s.text)) ? 1 : 0;
            }
            if (fn == "ABSOLUTE") {
                Value v = ternary();
                expect(")", "after ABSOLUTE(expression");
                return v;
            }
            if (fn == "MIN" || fn == "MAX" || fn == "ALIGN") {
                Value a = ternary();
                Token comma = lx.next();
                if (!comma.is(",")) {
                    if (fn == "ALIGN" && comma.is(")"))
                        return eval_fail(f, "ALIGN(n) aligns the location counter '.', which has no "
                                            "value outside SECTIONS");
                    lx.fail(comma, fmt::format("expected ',' in {}(a, b), found {}", fn, describe(comma)));
                }
                Value b = ternary();
                expect(")", fmt::format("to close {}(", fn).c_str());
                if (fn == "MIN") return std::min(a, b);
                if (fn == "MAX") return std::max(a, b);
                if (!active()) return 0;
                if (b <= 0 || (b & (b - 1)) != 0)
                    return eval_fail(f, "ALIGN(value, alignment) needs an alignment that is a power of two");
                return check((a + b - 1) & ~(b - 1), f);
            }
            if (fn == "LOG2CEIL") {
                Value v = ternary();
                expect(")", "after LOG2CEIL(expression");
                if (v <= 1) return 0;
                Value r = 0;
                for (Value x = v - 1; x > 0; x >>= 1) ++r;
                return r;
            }
            // Functions of the layout (ADDR, SIZEOF, LOADADDR, CONSTANT, ...): parse the
            // arguments, but they have no value here.
            int depth = 1;
            while (depth > 0) {
                Token t = lx.next();
                if (t.kind == Kind::end) lx.fail(f, fmt::format("'{}(' is never closed", fn));
                if (t.is("(")) ++depth;
                if (t.is(")")) --depth;
            }
            return eval_fail(f, fmt::format("{}() cannot be evaluated before the link is laid out", fn));
        }
    };

    // A full expression whose value must exist and lie in [0, 2^64).
    std::uint64_t value_of(Lexer& lx, const char* what) {
        Token first = lx.peek();
        Expr e{lx, *this};
        Value v = e.ternary();
        if (e.error) throw *e.error;
        if (v < 0) lx.fail(first, fmt::format("{} is negative", what));
        return static_cast<std::uint64_t>(v);
    }

    const Region* find_region(std::string_view name) const {
        std::string key(name);
        if (auto a = aliases_.find(key); a != aliases_.end()) key = a->second;
        for (const Region& r : regions_)
            if (r.name == key) return &r;
        return nullptr;
    }

    // ---- statements -----------------------------------------------------------------------

    static bool assignment_op(const Token& t) {
        return t.kind == Kind::punct &&
               (t.text == "=" || t.text == "+=" || t.text == "-=" || t.text == "*=" || t.text == "/=" ||
                t.text == "<<=" || t.text == ">>=" || t.text == "&=" || t.text == "|=");
    }

    // `name op expr`, with `name` already read. Evaluation failures leave the symbol without a
    // value (GNU ld would evaluate it later, after layout); syntax errors are fatal.
    void assignment(Lexer& lx, const Token& name, bool provide) {
        Token op = lx.next();
        std::string key(name.text);
        Expr e{lx, *this};
        Value v = e.ternary();
        if (!op.is("=") && e.active()) {
            auto it = symbols_.find(key);
            if (it == symbols_.end() || !it->second.value) {
                e.eval_fail(name, fmt::format("'{}' {} needs a value of '{}' first", key, op.text, key));
            } else {
                Value old = Value{*it->second.value};
                std::uint64_t ob = static_cast<std::uint64_t>(old), vb = static_cast<std::uint64_t>(v);
                std::string_view o = op.text;
                if (o == "+=") v = old + v;
                else if (o == "-=") v = old - v;
                else if (o == "*=") v = old * v;
                else if (o == "/=") v = v == 0 ? e.eval_fail(op, "division by zero") : old / v;
                else if (o == "<<=")
                    v = (v < 0 || (v >= 64 && old != 0)) ? e.eval_fail(op, "arithmetic overflow: the value does not fit in 64 bits")
                        : v >= 64 ? 0 : old * (Value{1} << static_cast<int>(v));
                else if (o == ">>=") v = (v < 0 || v >= 64) ? 0 : Value{ob >> static_cast<int>(v)};
                else if (o == "&=") v = Value{ob & vb};
                else if (o == "|=") v = Value{ob | vb};
                v = e.check(v, op);
            }
        }
        if (e.active() && v < 0) e.eval_fail(name, fmt::format("'{}' would be negative", key));
        SymbolValue result;
        if (e.error)
            result.why_not = e.error->located();
        else
            result.value = static_cast<std::uint64_t>(v);
        if (provide && symbols_.contains(key)) return;
        symbols_[key] = std::move(result);
    }

    void skip_balanced(Lexer& lx, const Token& open, std::string_view open_p, std::string_view close_p,
                       const char* what) {
        int depth = 1;
        while (depth > 0) {
            Token t = lx.next();
            if (t.kind == Kind::end)
                lx.fail(open, fmt::format("{} opened here with '{}' is never closed", what, open_p));
            if (t.is(open_p)) ++depth;
            if (t.is(close_p)) --depth;
        }
    }

    void optional(Lexer& lx, std::string_view p) {
        if (lx.peek().is(p)) lx.next();
    }

    // Where an INCLUDE file is looked for: beside the including script (a script and its
    // memory.x usually sit together), in the -L folders in order, then in the current folder,
    // as GNU ld and ld.lld search for cortex-m-rt's `INCLUDE memory.x` and `device.x`. A file not
    // found is remembered: it is an error only if no region results (see result()).
    std::optional<fs::path> find_include(Lexer& lx, const Token& name) {
        fs::path given(std::string(name.text));
        std::error_code ec;
        std::vector<fs::path> tried;
        if (given.is_absolute()) {
            tried.push_back(given);
        } else {
            if (!lx.directory().empty()) tried.push_back(fs::path(lx.directory()) / given);
            for (const std::string& dir : search_dirs_) tried.push_back(fs::path(dir) / given);
            tried.push_back(given);
        }
        for (const fs::path& candidate : tried)
            if (fs::is_regular_file(candidate, ec)) return candidate;
        std::string looked;
        for (const fs::path& candidate : tried) looked += (looked.empty() ? "'" : ", '") + candidate.string() + "'";
        missing_includes_.emplace_back(
            lx.file(), name.line, name.column,
            fmt::format("cannot find INCLUDE file '{}' (looked for {}){}", name.text, looked,
                        search_dirs_.empty() ? "; give the linker's search folders with -L DIR" : ""));
        return std::nullopt;
    }

    void include(Lexer& lx, const Token& keyword, Context context) {
        Token name = lx.read_file_name();
        if (name.kind == Kind::end || name.text.empty()) lx.fail(keyword, "INCLUDE needs a file name");
        std::optional<fs::path> found = find_include(lx, name);
        if (!found) {
            optional(lx, ";");
            return;
        }
        fs::path path = *found;
        std::error_code ec;
        std::string canonical = fs::weakly_canonical(path, ec).string();
        if (ec) canonical = path.lexically_normal().string();
        if (std::find(include_stack_.begin(), include_stack_.end(), canonical) != include_stack_.end()) {
            std::string chain;
            for (const std::string& s : include_stack_) chain += s + " -> ";
            lx.fail(name, fmt::format("INCLUDE cycle: {}{}", chain, canonical));
        }
        if (include_stack_.size() >= max_include_depth)
            lx.fail(name, fmt::format("INCLUDE nested more than {} deep", max_include_depth));
        std::string text = read_text(path.string());
        reject_binary(path.string(), text);
        include_stack_.push_back(canonical);
        Lexer sub(path.string(), std::move(text), path.parent_path().string());
        parse(sub, context);
        include_stack_.pop_back();
        optional(lx, ";");
    }

    void top_level(Lexer& lx) {
        for (;;) {
            Token t = lx.next();
            if (t.kind == Kind::end) return;
            if (t.is(";")) continue;
            if (t.kind != Kind::name)
                lx.fail(t, fmt::format("unexpected {} at the top level of the linker script", describe(t)));
            std::string_view w = t.text;
            if (w == "MEMORY") {
                Token open = lx.next();
                if (!open.is("{")) lx.fail(open, fmt::format("expected '{{' after MEMORY, found {}", describe(open)));
                memory_body(lx, &t);
            } else if (w == "SECTIONS") {
                Token open = lx.next();
                if (!open.is("{")) lx.fail(open, fmt::format("expected '{{' after SECTIONS, found {}", describe(open)));
                sections_body(lx, &t);
            } else if (w == "INCLUDE") {
                include(lx, t, Context::top);
            } else if (w == "PROVIDE" || w == "PROVIDE_HIDDEN" || w == "HIDDEN") {
                Token open = lx.next();
                if (!open.is("(")) lx.fail(open, fmt::format("expected '(' after {}, found {}", w, describe(open)));
                Token name = lx.next();
                if (name.kind != Kind::name || !assignment_op(lx.peek()))
                    lx.fail(name, fmt::format("expected 'symbol = expression' in {}(...)", w));
                assignment(lx, name, w != "HIDDEN");
                Token close = lx.next();
                if (!close.is(")")) lx.fail(close, fmt::format("expected ')' to close {}(, found {}", w, describe(close)));
                optional(lx, ";");
            } else if (w == "REGION_ALIAS") {
                region_alias(lx, t);
            } else if (assignment_op(lx.peek())) {
                assignment(lx, t, false);
                optional(lx, ";");
            } else if (lx.peek().is("(")) {
                Token open = lx.next();  // ENTRY(...), OUTPUT_FORMAT(...), SEARCH_DIR(...), ASSERT(...)
                skip_balanced(lx, open, "(", ")", std::string(w).c_str());
                optional(lx, ";");
            } else if (lx.peek().is("{")) {
                Token open = lx.next();  // PHDRS { ... }, VERSION { ... }
                skip_balanced(lx, open, "{", "}", std::string(w).c_str());
            } else if (w == "INSERT") {
                Token where = lx.next();  // INSERT AFTER|BEFORE section
                if (!(where.is_name("AFTER") || where.is_name("BEFORE")))
                    lx.fail(where, "expected AFTER or BEFORE after INSERT");
                lx.next();
                optional(lx, ";");
            } else if (w == "FORCE_COMMON_ALLOCATION" || w == "INHIBIT_COMMON_ALLOCATION" ||
                       w == "FORCE_GROUP_ALLOCATION") {
                optional(lx, ";");
            } else {
                lx.fail(t, fmt::format("unknown linker script command '{}'", w));
            }
        }
    }

    void region_alias(Lexer& lx, const Token& keyword) {
        Expr e{lx, *this};
        e.expect("(", "after REGION_ALIAS");
        Token alias = e.expect_name("an alias name");
        e.expect(",", "in REGION_ALIAS(alias, region)");
        Token region = e.expect_name("a memory region name");
        e.expect(")", "to close REGION_ALIAS(");
        if (find_region(region.text) == nullptr)
            lx.fail(region, fmt::format("REGION_ALIAS names undefined memory region '{}'", region.text));
        std::string target(region.text);
        if (auto a = aliases_.find(target); a != aliases_.end()) target = a->second;
        aliases_[std::string(alias.text)] = target;
        (void)keyword;
        optional(lx, ";");
    }

    // Region definitions up to '}' (when `open` is the MEMORY keyword) or end of file (an
    // INCLUDE inside MEMORY).
    void memory_body(Lexer& lx, const Token* open) {
        for (;;) {
            Token t = lx.next();
            if (t.kind == Kind::end) {
                if (open != nullptr) lx.fail(*open, "MEMORY block opened here is never closed ('}' missing)");
                return;
            }
            if (t.is("}")) {
                if (open == nullptr) lx.fail(t, "unexpected '}' in a file included inside MEMORY");
                return;
            }
            if (t.is(";") || t.is(",")) continue;
            if (t.is_name("INCLUDE")) {
                include(lx, t, Context::memory);
                continue;
            }
            if (t.kind != Kind::name)
                lx.fail(t, fmt::format("expected a memory region name in MEMORY, found {}", describe(t)));
            region(lx, t);
        }
    }

    void region(Lexer& lx, const Token& name) {
        Region r;
        r.name = std::string(name.text);
        Token t = lx.next();
        if (t.is("(")) {
            std::size_t from = t.end;
            Token close = t;
            do {
                close = lx.next();
                if (close.kind == Kind::end) lx.fail(t, "attribute list opened here is never closed");
            } while (!close.is(")"));
            for (char c : lx.source().substr(from, close.offset - from))
                if (!space(c)) r.attributes += c;
            t = lx.next();
        }
        if (!t.is(":"))
            lx.fail(t, fmt::format("expected ':' after memory region '{}', found {}", r.name, describe(t)));

        auto keyword = [&](std::initializer_list<std::string_view> words, const char* what) {
            Token k = lx.next();
            bool ok = k.kind == Kind::name &&
                      std::find(words.begin(), words.end(), k.text) != words.end();
            if (!ok) lx.fail(k, fmt::format("expected {} in memory region '{}', found {}", what, r.name, describe(k)));
            Token eq = lx.next();
            if (!eq.is("=")) lx.fail(eq, fmt::format("expected '=' after {}, found {}", k.text, describe(eq)));
        };
        keyword({"ORIGIN", "org", "o"}, "ORIGIN (or org, o)");
        r.origin = value_of(lx, "ORIGIN");
        optional(lx, ",");
        keyword({"LENGTH", "len", "l"}, "LENGTH (or len, l)");
        Token length_at = lx.peek();
        r.length = value_of(lx, "LENGTH");
        if (r.length != 0 && r.length - 1 > ~std::uint64_t{0} - r.origin)
            lx.fail(length_at, fmt::format("memory region '{}' (ORIGIN 0x{:x}, LENGTH 0x{:x}) extends past "
                                           "the end of the 64-bit address space",
                                           r.name, r.origin, r.length));
        if (find_region(r.name) != nullptr)
            lx.fail(name, fmt::format("memory region '{}' is defined twice", r.name));
        regions_.push_back(std::move(r));
    }

    // SECTIONS contents up to '}' (or end of file for an INCLUDE inside SECTIONS). Only output
    // section headers matter: `NAME [addr] [(type)] : [AT(lma)] [ALIGN(..)] ... { body } tail`.
    void sections_body(Lexer& lx, const Token* open) {
        for (;;) {
            Token t = lx.next();
            if (t.kind == Kind::end) {
                if (open != nullptr) lx.fail(*open, "SECTIONS block opened here is never closed ('}' missing)");
                return;
            }
            if (t.is("}")) {
                if (open == nullptr) lx.fail(t, "unexpected '}' in a file included inside SECTIONS");
                return;
            }
            if (t.is(";") || t.is(",")) continue;
            if (t.kind != Kind::name && t.kind != Kind::string)
                lx.fail(t, fmt::format("unexpected {} in SECTIONS", describe(t)));
            std::string_view w = t.text;
            if (w == "INCLUDE") {
                include(lx, t, Context::sections);
            } else if (w == "OVERLAY") {
                overlay(lx, t);
            } else if (w == "CREATE_OBJECT_SYMBOLS" || w == "CONSTRUCTORS") {
                continue;
            } else if (assignment_op(lx.peek())) {
                skip_statement(lx);
            } else if ((w == "PROVIDE" || w == "PROVIDE_HIDDEN" || w == "HIDDEN" || w == "ASSERT" ||
                        w == "ENTRY" || w == "FORCE_LOCAL") &&
                       lx.peek().is("(")) {
                // Commands; anything else followed by '(' is an output section with a type,
                // as in `.noinit (NOLOAD) : { ... }`.
                Token p = lx.next();
                skip_balanced(lx, p, "(", ")", std::string(w).c_str());
            } else {
                output_section(lx, t);
            }
        }
    }

    // An assignment in SECTIONS: up to ';' (ld requires it), or a '}' that ends the block.
    void skip_statement(Lexer& lx) {
        int depth = 0;
        for (;;) {
            const Token& t = lx.peek();
            if (t.kind == Kind::end) return;
            if (depth == 0 && t.is("}")) return;
            Token c = lx.next();
            if (c.is("(")) ++depth;
            if (c.is(")")) --depth;
            if (depth <= 0 && c.is(";")) return;
        }
    }

    // Reads from after the output section name to the '{' of its body. Returns whether the header
    // sets the load address with AT(expr).
    bool section_header(Lexer& lx, const Token& name, bool need_colon) {
        int depth = 0;
        if (need_colon) {
            for (;;) {
                Token t = lx.next();
                if (t.kind == Kind::end) lx.fail(name, fmt::format("output section '{}' is never completed", name.text));
                if (t.is("(")) ++depth;
                if (t.is(")")) --depth;
                if (depth == 0 && t.is(":")) break;
                if (depth == 0 && (t.is("{") || t.is(";") || t.is("}")))
                    lx.fail(t, fmt::format("expected ':' after output section '{}', found {}", name.text,
                                           describe(t)));
            }
        }
        bool by_expression = false;
        depth = 0;
        for (;;) {
            Token t = lx.next();
            if (t.kind == Kind::end) lx.fail(name, fmt::format("output section '{}' has no '{{' body", name.text));
            if (depth == 0 && t.is_name("AT") && lx.peek().is("(")) by_expression = true;
            if (t.is("(")) ++depth;
            if (t.is(")")) --depth;
            if (depth == 0 && t.is("{")) return by_expression;
            if (depth == 0 && (t.is(";") || t.is("}")))
                lx.fail(t, fmt::format("expected '{{' to open output section '{}', found {}", name.text,
                                       describe(t)));
        }
    }

    void section_body(Lexer& lx, const Token& name) {
        lx.set_wild(true);
        int depth = 1;
        while (depth > 0) {
            Token t = lx.next();
            if (t.kind == Kind::end) {
                lx.set_wild(false);
                lx.fail(name, fmt::format("the body of output section '{}' is never closed ('}}' missing)", name.text));
            }
            if (t.is("{")) ++depth;
            if (t.is("}")) --depth;
        }
        lx.set_wild(false);
    }

    // After an output section's '}': `> REGION`, `AT > REGION`, `:phdr`..., `= fill`, `,`.
    // Records the regions it names for `name`.
    void section_tail(Lexer& lx, std::string_view name = {}) {
        SectionPlacement placed{std::string(name), {}, {}};
        for (;;) {
            const Token& t = lx.peek();
            if (t.is(">") || t.is(":")) {
                const bool region_follows = t.is(">");
                lx.next();
                Token region = lx.next();
                if (region.kind != Kind::name)
                    lx.fail(region, fmt::format("expected a region or program header name, found {}", describe(region)));
                if (region_follows) placed.region = region.text;
            } else if (t.is_name("AT")) {
                Token at = lx.next();
                if (!lx.next().is(">")) lx.fail(at, "expected 'AT > REGION' after the output section body");
                Token region = lx.next();
                if (region.kind != Kind::name)
                    lx.fail(region, fmt::format("expected a region name after 'AT >', found {}", describe(region)));
                placed.load_region = region.text;
            } else if (t.is("=")) {
                lx.next();
                Token fill = lx.next();  // =0xff, =FILL_SYMBOL, =(expression)
                if (fill.is("(")) skip_balanced(lx, fill, "(", ")", "fill expression");
                else if (fill.kind != Kind::number && fill.kind != Kind::name)
                    lx.fail(fill, fmt::format("expected a fill value after '=', found {}", describe(fill)));
            } else if (t.is(",")) {
                lx.next();
            } else {
                if (!name.empty()) placements_.push_back(std::move(placed));
                return;
            }
        }
    }

    void record_load_by_expression(std::string_view name) {
        if (std::find(load_by_expression_.begin(), load_by_expression_.end(), name) == load_by_expression_.end())
            load_by_expression_.emplace_back(name);
    }

    void output_section(Lexer& lx, const Token& name) {
        bool by_expression = section_header(lx, name, true);
        section_body(lx, name);
        section_tail(lx, name.text);
        if (by_expression) record_load_by_expression(name.text);
    }

    // OVERLAY [start] : [NOCROSSREFS] [AT(ldaddr)] { name { ... } [:phdr] [=fill] ... } tail.
    // With AT(ldaddr) every overlaid section's load address comes from that expression.
    void overlay(Lexer& lx, const Token& keyword) {
        bool by_expression = section_header(lx, keyword, true);
        std::vector<std::string> names;
        for (;;) {
            Token t = lx.next();
            if (t.kind == Kind::end) lx.fail(keyword, "OVERLAY opened here is never closed ('}' missing)");
            if (t.is("}")) break;
            if (t.kind != Kind::name) lx.fail(t, fmt::format("expected an overlay section name, found {}", describe(t)));
            section_header(lx, t, false);
            section_body(lx, t);
            section_tail(lx, t.text);
            names.emplace_back(t.text);
        }
        section_tail(lx);
        if (by_expression)
            for (const std::string& n : names) record_load_by_expression(n);
    }

public:
    static std::string read_text(const std::string& path) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) throw Error(path, "is a directory, not a linker script");
        if (fs::exists(path, ec)) require_regular_file(path, "linker script");  // a FIFO would block
        std::ifstream in(path, std::ios::binary);
        if (!in) throw Error(path, fmt::format("cannot open linker script: {}", std::strerror(errno)));
        std::string text;
        char buffer[1 << 16];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            text.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (text.size() > max_script_size)
                throw Error(path, fmt::format("larger than {} MB: not a linker script", max_script_size >> 20));
        }
        if (in.bad()) throw Error(path, "read error");
        return text;
    }

private:
    std::vector<Region> regions_;
    std::map<std::string, std::string> aliases_;
    std::map<std::string, SymbolValue> symbols_;
    std::vector<std::string> load_by_expression_;
    std::vector<SectionPlacement> placements_;
    std::vector<std::string> include_stack_;
    std::vector<std::string> search_dirs_;
    std::vector<Error> missing_includes_;
};

}  // namespace

LinkerScriptInfo parse_linker_script(const std::string& name, std::string_view text,
                                     const std::string& directory,
                                     const std::vector<std::string>& search_dirs) {
    reject_binary(name, text);
    std::error_code ec;
    std::string root = name;
    if (fs::is_regular_file(name, ec)) {
        std::string canonical = fs::weakly_canonical(name, ec).string();
        if (!ec) root = canonical;
    }
    Parser parser({root}, search_dirs);
    Lexer lx(name, std::string(text), directory);
    parser.parse(lx, Context::top);
    return parser.result();
}

LinkerScriptInfo read_linker_script(const std::string& path, const std::vector<std::string>& search_dirs) {
    std::string text = Parser::read_text(path);
    fs::path parent = fs::path(path).parent_path();
    std::string directory = parent.empty() ? std::string(".") : parent.string();
    return parse_linker_script(path, text, directory, search_dirs);
}

}  // namespace sizebudget

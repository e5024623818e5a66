#include "sizebudget/demangle.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <unordered_set>
#include <utility>
#include <csetjmp>

#include <libiberty/demangle.h>

namespace sizebudget {

namespace {

bool is_hex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

// Demangled text is collected up to this size: a hostile name whose back-references double at
// each step would otherwise cost time and memory exponential in its length.
constexpr std::size_t max_demangled = 64 * 1024;

struct Collector {
    std::string text;
    std::jmp_buf* too_long = nullptr;
};

// libiberty's demanglers print through this; past the bound it leaves them for good. They keep
// all their state on the stack (no allocation to leak), so leaving by longjmp is safe.
extern "C" void collect(const char* s, std::size_t n, void* opaque) {
    auto* c = static_cast<Collector*>(opaque);
    if (n > max_demangled - c->text.size()) std::longjmp(*c->too_long, 1);
    c->text.append(s, n);
}

OverlongNames overlong;
std::unordered_set<std::string> overlong_seen;

void note_overlong(const std::string& name) {
    constexpr std::size_t most = 1000;  // a hostile map may hold a million: count, don't keep, beyond
    if (overlong_seen.size() >= most || !overlong_seen.insert(name).second) return;
    if (overlong.count++ == 0) overlong.first = name;
}

// GNU libiberty's demanglers: Rust (v0 "_R..." and legacy "_ZN...17h<hash>E", hash dropped), then
// C++ (Itanium). Empty when the name is neither or its demangled form exceeds the bound.
std::string libiberty_demangle(const std::string& name) {
    Collector c;
    std::jmp_buf too_long;
    c.too_long = &too_long;
    if (setjmp(too_long) != 0) {
        note_overlong(name);
        return {};
    }
    if (rust_demangle_callback(name.c_str(), DMGL_PARAMS, collect, &c) != 0) return c.text;
    c.text.clear();
    if (name.starts_with("_Z") && cplus_demangle_v3_callback(name.c_str(), DMGL_PARAMS | DMGL_ANSI, collect, &c) != 0)
        return c.text;
    return {};
}

// The escapes of Rust's legacy mangling that lld leaves in the names it prints:
// "_$LT$char$u20$as$u20$core..fmt..Debug$GT$::fmt" -> "<char as core::fmt::Debug>::fmt".
std::string decode_rust_legacy(std::string_view s) {
    static constexpr std::pair<std::string_view, char> named[] = {
        {"$LT$", '<'}, {"$GT$", '>'}, {"$RF$", '&'}, {"$BP$", '*'}, {"$C$", ','}, {"$SP$", '@'}};
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        // A path segment that starts with an escape is written with a '_' before it.
        const bool segment_start = i == 0 || (i >= 2 && (s.substr(i - 2, 2) == "::" || s.substr(i - 2, 2) == ".."));
        if (segment_start && s[i] == '_' && i + 1 < s.size() && s[i + 1] == '$') {
            ++i;
            continue;
        }
        if (s[i] == '$') {
            bool done = false;
            for (auto [escape, c] : named)
                if (s.substr(i).starts_with(escape)) {
                    out += c;
                    i += escape.size();
                    done = true;
                    break;
                }
            if (done) continue;
            // "$u20$": a character by its code (ASCII only, as rustc writes them).
            if (i + 4 < s.size() && s[i + 1] == 'u') {
                const std::size_t close = s.find('$', i + 2);
                if (close != std::string_view::npos && close - i - 2 <= 2 && is_hex(s.substr(i + 2, close - i - 2))) {
                    out += static_cast<char>(std::stoi(std::string(s.substr(i + 2, close - i - 2)), nullptr, 16));
                    i = close + 1;
                    continue;
                }
            }
        }
        if (s[i] == '.' && i + 1 < s.size() && s[i + 1] == '.') {
            out += "::";
            i += 2;
            continue;
        }
        out += s[i++];
    }
    return out;
}

bool looks_like_rust_legacy(std::string_view s) {
    return s.find("$LT$") != std::string_view::npos || s.find("$GT$") != std::string_view::npos ||
           s.find("$u20$") != std::string_view::npos || s.find("$RF$") != std::string_view::npos ||
           s.find("$C$") != std::string_view::npos || s.find("$BP$") != std::string_view::npos ||
           s.find("$u7b$") != std::string_view::npos;
}

// Build-specific tags on a name that stays the same function: ".llvm.<digits>" (ThinLTO
// promotion), ".lto_priv.<digits>" (LTO privatisation), also as ld.lld prints them after a
// demangled name, " (.llvm.<digits>)", and as libiberty prints a GCC clone, " [clone .lto_priv.0]".
// Other clones (.constprop, .isra, .part) are copies of their own and keep their names.
std::string_view strip_build_tags(std::string_view name) {
    auto digits_only = [](std::string_view d) {
        return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    for (bool again = true; again;) {
        again = false;
        for (std::string_view tag : {".llvm.", ".lto_priv."}) {
            for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"", ""}, {" (", ")"}, {" [clone ", "]"}}) {
                if (!name.ends_with(close)) continue;
                std::string_view body = name.substr(0, name.size() - close.size());
                std::size_t at = body.rfind(tag);
                if (at == std::string_view::npos || at < open.size() + 1) continue;
                if (!digits_only(body.substr(at + tag.size()))) continue;
                if (body.substr(at - open.size(), open.size()) != open) continue;
                name = name.substr(0, at - open.size());
                again = true;
            }
        }
    }
    return name;
}

}  // namespace

const OverlongNames& overlong_names() { return overlong; }

std::string demangle(std::string_view name) {
    name = strip_build_tags(name);
    std::string out(name);
    if (name.starts_with("_Z") || name.starts_with("_R")) {
        if (std::string demangled = libiberty_demangle(out); !demangled.empty())
            out = std::string(strip_build_tags(demangled));
    }
    // ld.lld prints the numbered parts LLVM splits a static into after the demangled name,
    // "log::LOGGER::h34c5db80987f6c53 (.1)"; libiberty drops such a suffix of a mangled name
    // ("_ZN3log6LOGGER17h...E.1" -> "log::LOGGER"), and so does this, so that a map written with
    // and without --no-demangle names the same symbols.
    if (std::size_t open = out.rfind(" (."); open != std::string::npos && open >= 19 && out.ends_with(')') &&
        out.compare(open - 19, 3, "::h") == 0 && is_hex(std::string_view(out).substr(open - 16, 16)))
        out.erase(open);
    // Legacy Rust names end in a hash, "core::fmt::write::h0123456789abcdef": noise to a reader.
    bool rust = false;
    if (out.size() > 19 && out.compare(out.size() - 19, 3, "::h") == 0 && is_hex(std::string_view(out).substr(out.size() - 16))) {
        out.erase(out.size() - 19);
        rust = true;
    }
    // lld prints them demangled only halfway, with the escapes of the mangling still in.
    if (rust || looks_like_rust_legacy(out)) out = decode_rust_legacy(out);
    return out;
}

}  // namespace sizebudget

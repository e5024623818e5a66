// Reads a link command line and a linker's overflow messages for `sizebudget link`.
#include "sizebudget/link_invocation.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "sizebudget/input_file.hpp"

namespace sizebudget {

namespace {

// A response file is split as GCC's driver splits it: white space separates, quotes and
// backslashes keep it. A file that cannot be read is left to the linker to complain about.
std::vector<std::string> read_response_file(const std::string& path) {
    std::vector<std::string> args;
    if (!is_regular_file(path)) return args;
    std::ifstream in(path, std::ios::binary);
    std::string arg;
    bool in_arg = false;
    char quote = 0;
    for (char c; in.get(c);) {
        if (c == '\\') {
            if (in.get(c)) arg += c;
            in_arg = true;
        } else if (quote) {
            if (c == quote) quote = 0;
            else arg += c;
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_arg = true;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_arg) args.push_back(std::move(arg));
            arg.clear();
            in_arg = false;
        } else {
            arg += c;
            in_arg = true;
        }
    }
    if (in_arg) args.push_back(std::move(arg));
    return args;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The arguments as the linker sees them: -Wl,a,b and -Xlinker a become a, b; @FILE is expanded
// (one level: response files name no others in practice, and a cycle must not loop).
std::vector<std::string> linker_arguments(const std::vector<std::string>& command) {
    std::vector<std::string> out;
    auto add = [&out](const std::vector<std::string>& args, auto& self, bool top) -> void {
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            if (starts_with(a, "-Wl,")) {
                std::stringstream parts(a.substr(4));
                for (std::string p; std::getline(parts, p, ',');) out.push_back(p);
            } else if (a == "-Xlinker" && i + 1 < args.size()) {
                out.push_back(args[++i]);
            } else if (top && a.size() > 1 && a[0] == '@') {
                self(read_response_file(a.substr(1)), self, false);
            } else {
                out.push_back(a);
            }
        }
    };
    add(command, add, true);
    return out;
}

}  // namespace

LinkInvocation read_link_command(const std::vector<std::string>& command) {
    LinkInvocation link;
    const std::vector<std::string> args = linker_arguments(command);
    // value(i, "-Map"): the value of `-Map=V`, `--Map=V` or `-Map V` at args[i], advancing i.
    auto value = [&args](std::size_t& i, std::string_view option, bool joined_short) -> std::optional<std::string> {
        const std::string& a = args[i];
        for (std::string_view dashes : {"-", "--"}) {
            std::string name = std::string(dashes) + std::string(option.substr(1));
            if (a == name && i + 1 < args.size()) return args[++i];
            if (starts_with(a, name + "=")) return a.substr(name.size() + 1);
        }
        if (joined_short && a.size() > option.size() && starts_with(a, option) && option.size() == 2)
            return a.substr(2);
        return std::nullopt;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (auto v = value(i, "-Map", false)) link.map = *v;
        // -Ttext=ADDR, -Tdata=ADDR and the like set addresses; they name no script.
        else if (starts_with(args[i], "-T") && args[i].find('=') != std::string::npos) continue;
        else if (auto t = value(i, "-T", true)) link.scripts.push_back(*t);
        else if (auto s = value(i, "-script", false)) link.scripts.push_back(*s);
        else if (auto l = value(i, "-L", true)) link.search_dirs.push_back(*l);
        else if (auto lp = value(i, "-library-path", false)) link.search_dirs.push_back(*lp);
        else if (auto o = value(i, "-o", true)) link.output = *o;
    }
    return link;
}

std::vector<std::string> overflowed_regions(std::string_view text) {
    std::vector<std::string> regions;
    auto is_name = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '.' || c == '$' || c == '-';
    };
    auto is_quote = [](char c) { return c == '`' || c == '\'' || c == '"'; };
    // The quoted or bare region name starting at `at` (empty if none), and where it ends: past
    // its closing quote, which both linkers write.
    auto name_at = [&](std::size_t at) {
        if (at < text.size() && is_quote(text[at])) ++at;
        std::size_t end = at;
        while (end < text.size() && is_name(text[end])) ++end;
        std::string name(text.substr(at, end - at));
        if (end < text.size() && is_quote(text[end])) ++end;
        return std::pair{name, end};
    };
    std::vector<std::pair<std::size_t, std::string>> found;  // (where, name)
    constexpr std::string_view fit = "will not fit in region ", region = "region ", overflowed = " overflowed";
    for (std::size_t at = 0; (at = text.find(fit, at)) != std::string_view::npos; at += fit.size())
        found.emplace_back(at, name_at(at + fit.size()).first);
    for (std::size_t at = 0; (at = text.find(region, at)) != std::string_view::npos; at += region.size()) {
        auto [name, after] = name_at(at + region.size());
        if (!name.empty() && text.substr(after, overflowed.size()) == overflowed) found.emplace_back(at, name);
    }
    std::sort(found.begin(), found.end());
    for (auto& [at, name] : found)
        if (!name.empty() && std::find(regions.begin(), regions.end(), name) == regions.end())
            regions.push_back(std::move(name));
    return regions;
}

}  // namespace sizebudget

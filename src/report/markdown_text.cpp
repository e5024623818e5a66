#include "report/markdown_text.hpp"

#include <fmt/format.h>

#include "sizebudget/check_report.hpp"

namespace sizebudget {

std::string markdown_cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\r') out += ' ';
        else if (c == '|') out += "\\|";
        else if (c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' || c == ']') {
            out += '\\';
            out += c;
        } else out += c;
    }
    return out;
}

std::string markdown_code(std::string_view text, bool in_table) {
    std::string t;
    for (char c : text) {
        if (c == '|' && in_table) t += "\\|";
        else if (c == '\n' || c == '\r') t += ' ';
        else t += c;
    }
    std::string fence = "`";
    while (t.find(fence) != std::string::npos) fence += '`';
    const char* pad = t.starts_with('`') || t.ends_with('`') ? " " : "";
    return fence + pad + t + pad + fence;
}

std::string markdown_hint(std::string_view title, std::string_view evidence, std::uint64_t retained,
                          const std::vector<std::string>& why, std::string_view remedy) {
    std::string s = fmt::format("**{}**: {}{}\n\n", markdown_cell(title), markdown_code(evidence, false),
                                retained == 0 ? std::string() : fmt::format(" ({} retained)", short_size(retained)));
    if (!why.empty()) {
        s += "Linked because:\n\n";
        for (const std::string& step : why) s += fmt::format("    {}\n", step);
        s += "\n";
    }
    s += fmt::format("{}\n\n", markdown_cell(remedy));
    return s;
}

}  // namespace sizebudget

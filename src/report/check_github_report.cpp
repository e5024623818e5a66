// `sizebudget check --format github`: GitHub Actions workflow commands. Each error and warning
// becomes an annotation on the budget file line (`::error file=…,line=…,col=…::message`), shown on
// the pull request; the summary follows as a plain log line.
#include <fmt/format.h>

#include "sizebudget/check_report.hpp"

namespace sizebudget {

namespace {

// Escaping of workflow command data and properties, as the runner (actions/toolkit) does it.
std::string escape_data(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '%') out += "%25";
        else if (c == '\r') out += "%0D";
        else if (c == '\n') out += "%0A";
        else out += c;
    }
    return out;
}

std::string escape_property(std::string_view text) {
    std::string out;
    for (char c : escape_data(text)) {
        if (c == ':') out += "%3A";
        else if (c == ',') out += "%2C";
        else out += c;
    }
    return out;
}

std::string annotation(std::string_view level, const std::string& file, SourceLocation where,
                       std::string_view title, std::string_view message) {
    std::string props = "file=" + escape_property(file);
    if (where.line) props += fmt::format(",line={}", where.line);
    if (where.line && where.column) props += fmt::format(",col={}", where.column);
    if (!title.empty()) props += ",title=" + escape_property(title);
    return fmt::format("::{} {}::{}\n", level, props, escape_data(message));
}

}  // namespace

std::string check_github_report(const CheckResult& r) {
    std::string s;
    for (const Verdict& v : r.verdicts) {
        if (v.severity == Severity::ok) continue;
        std::string message = verdict_message(v);
        if (!v.contributors.empty()) {
            message += fmt::format("\n{}:", contributors_heading(v));
            for (const Contributor& c : v.contributors)
                message += fmt::format("\n  {:>10}  {}",
                                       !c.bytes ? "-" : (v.rule == Rule::growth ? "+" : "") + short_size(c.bytes),
                                       c.name);
        }
        std::string title = v.rule == Rule::growth
                                ? fmt::format("size growth: {} {}", entry_kind_name(v.kind), v.item)
                                : fmt::format("size budget: {} {}", entry_kind_name(v.kind), v.item);
        s += annotation(v.severity == Severity::error ? "error" : "warning", r.file_of(v), v.where, title, message);
    }
    for (const CheckNote& n : r.notes)
        s += annotation(n.severity == Severity::error ? "error" : "warning", n.file, n.where, {}, n.message);
    s += fmt::format("sizebudget: {}\n", check_summary(r));
    return s;
}

}  // namespace sizebudget

// `sizebudget check --format json`; the shape is documented by budgets/check-result.schema.json.
#include <nlohmann/json.hpp>

#include "sizebudget/check_report.hpp"
#include "sizebudget/json_text.hpp"
#include "sizebudget/totals_json.hpp"

namespace sizebudget {

namespace {

using nlohmann::ordered_json;

ordered_json optional_bytes(const std::optional<std::uint64_t>& v) {
    return v ? ordered_json(*v) : ordered_json(nullptr);
}

ordered_json verdict_json(const Verdict& v) {
    ordered_json j;
    j["kind"] = entry_kind_name(v.kind);
    j["rule"] = rule_name(v.rule);
    j["entry"] = v.entry;
    j["line"] = v.where.line;
    j["column"] = v.where.column;
    j["item"] = v.item;
    j["region"] = v.region.empty() ? ordered_json(nullptr) : ordered_json(v.region);
    j["used"] = v.used;
    const bool measured = v.status != VerdictStatus::unmatched;
    j["limit"] = measured ? ordered_json(v.limit) : ordered_json(nullptr);
    j["limit_text"] = v.limit_text;
    j["warn_at"] = optional_bytes(v.warn_at);
    j["warn_text"] = v.warn_text;
    j["percent"] = measured && v.limit != 0 && v.rule == Rule::max ? ordered_json(v.percent_of_limit())
                                                                   : ordered_json(nullptr);
    if (v.rule == Rule::growth) {
        j["baseline"] = measured ? ordered_json(v.baseline) : ordered_json(nullptr);
        j["growth"] = measured ? ordered_json(v.growth) : ordered_json(nullptr);
    }
    j["status"] = status_name(v.status);
    j["severity"] = severity_name(v.severity);
    j["message"] = verdict_message(v);
    ordered_json contributors = ordered_json::array();
    for (const Contributor& c : v.contributors) contributors.push_back({{"name", c.name}, {"bytes", c.bytes}});
    j["contributor_kind"] = v.contributor_kind.empty() ? ordered_json(nullptr) : ordered_json(v.contributor_kind);
    j["contributors"] = std::move(contributors);
    j["why"] = v.why;  // who pulled an exceeded or forbidden item in, a step a line
    return j;
}

}  // namespace

std::string check_json_report(const CheckResult& r) {
    ordered_json j;
    j["schema"] = "sizebudget-check/1";
    j["budget"] = r.budget_path;
    j["map"] = r.map_path;
    j["strict"] = r.strict;
    j["status"] = r.failed() ? "fail" : r.count(Severity::warning) > 0 ? "warn" : "pass";
    j["summary"] = {{"checked", r.verdicts.size()},
                    {"errors", r.count(Severity::error)},
                    {"warnings", r.count(Severity::warning)},
                    {"text", check_summary(r)}};

    ordered_json verdicts = ordered_json::array();
    for (const Verdict& v : r.verdicts) verdicts.push_back(verdict_json(v));
    j["verdicts"] = std::move(verdicts);

    ordered_json regions = ordered_json::array();
    for (const RegionRow& row : r.regions) {
        ordered_json o;
        o["name"] = row.usage.name;
        o["origin"] = row.usage.origin;
        o["length"] = row.usage.length;
        o["used"] = row.usage.used;
        o["budget"] = optional_bytes(row.budget);
        if (row.budget)
            o["left"] = static_cast<std::int64_t>(*row.budget) - static_cast<std::int64_t>(row.usage.used);
        else
            o["left"] = nullptr;
        o["status"] = row.budgeted ? ordered_json(status_name(row.status)) : ordered_json(nullptr);
        regions.push_back(std::move(o));
    }
    j["regions"] = std::move(regions);

    ordered_json components = ordered_json::array();
    for (const ComponentRow& row : r.components) {
        ordered_json o;
        o["name"] = row.name;
        o["size"] = row.size;
        o["regions"] = per_region_json(row.regions, [&](std::size_t i) -> const std::string& { return r.region_names[i]; });
        o["limits"] = row.limits;
        o["status"] = row.limits.empty() && row.status == VerdictStatus::ok ? ordered_json(nullptr)
                                                                            : ordered_json(status_name(row.status));
        components.push_back(std::move(o));
    }
    j["components"] = std::move(components);

    ordered_json notes = ordered_json::array();
    for (const CheckNote& n : r.notes)
        notes.push_back({{"file", n.file},
                         {"line", n.where.line},
                         {"severity", severity_name(n.severity)},
                         {"message", n.message}});
    j["notes"] = std::move(notes);
    return json_text(j, 2) + "\n";
}

}  // namespace sizebudget

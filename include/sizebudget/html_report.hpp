#pragma once
// One self-contained HTML page per report: a zoomable treemap of where the bytes go, the tables
// of the text report beside it, and for `check` the verdicts, for `diff` the changes. The page
// works offline from file:// (its Content-Security-Policy forbids every request); the treemap
// layout is d3-hierarchy's squarified treemap, embedded when sizebudget was built.
#include <string>

#include "sizebudget/budget_check.hpp"
#include "sizebudget/link_map.hpp"
#include "sizebudget/report.hpp"
#include "sizebudget/size_diff.hpp"
#include "sizebudget/snapshot.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget {

// False when this sizebudget was built without d3-hierarchy (Debian's node-d3-hierarchy): the
// writers below then throw Error rather than write a page that cannot draw.
bool html_reports_available();

// `totals` with symbol rows for the symbol table (the treemap comes from the map itself).
std::string html_report(const LinkMap& map, const Totals& totals, const ReportOptions& options);
// The report's page with each budgeted item coloured by its verdict and the verdicts listed,
// failing ones first with their largest contributors.
std::string check_html_report(const LinkMap& map, const Totals& totals, const CheckResult& result);
// The new build's treemap (region -> archive -> object -> symbol, as its snapshot records it)
// coloured by change, the region deltas above it and the changed items at `options.by`.
std::string diff_html_report(const SizeDiff& diff, const Snapshot& new_snapshot, const DiffReportOptions& options);

}  // namespace sizebudget

#pragma once
// Growth budgets: the `growth:` section of the budget file applied to the difference between a
// baseline snapshot and the current link (`sizebudget check --baseline`). Pure, like check_budget().
#include "sizebudget/budget.hpp"
#include "sizebudget/budget_check.hpp"
#include "sizebudget/size_diff.hpp"

namespace sizebudget {

// Appends one Rule::growth verdict per growth entry (an archive glob gives one per matching
// archive) to `result`, keeping result.verdicts in budget-line order. A growth budget in percent
// is of the baseline figure. Entries naming nothing in either snapshot become unmatched verdicts.
// `baseline_path` names the baseline in messages.
void check_growth(const BudgetFile& budget, const Snapshot& baseline, const Snapshot& current, CheckResult& result,
                  const CheckOptions& options = {});

}  // namespace sizebudget

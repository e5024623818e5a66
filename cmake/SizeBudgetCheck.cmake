# Build-time step of firmware_size_budget() (SizeBudget.cmake), run as
#   cmake -DSIZEBUDGET_SETTINGS=<target>.settings.cmake [-DSIZEBUDGET_MODE=size|baseline]
#         -P SizeBudgetCheck.cmake
#
# check mode (the <target>-size-budget step): runs `sizebudget check` and
#   - within budget: prints one summary line (and one line per budget warning), writes the stamp;
#   - over budget: prints the check's report and fails, without writing the stamp, so the next
#     build checks (and fails) again; with WARN_ONLY it prints the report and passes;
#   - input errors (unreadable map, invalid budget): prints sizebudget's error and fails.
#   With BASELINE the check also checks the budget's growth: section against it (--baseline); a
#   missing baseline fails the check with a message naming <target>-size-baseline, after the
#   absolute budgets were checked and reported.
# size mode (the <target>-size target): prints the breakdown by SIZE_BY, then the check's full
#   report, never failing for being over budget.
# baseline mode (the <target>-size-baseline target): writes a fresh snapshot of the map to
#   BASELINE (`sizebudget snapshot`, atomic), whatever the growth budgets say.
cmake_minimum_required(VERSION 3.25)

if(NOT SIZEBUDGET_SETTINGS)
  message(FATAL_ERROR "SizeBudgetCheck.cmake: SIZEBUDGET_SETTINGS is not set")
endif()
include("${SIZEBUDGET_SETTINGS}")

set(target "${SIZEBUDGET_TARGET}")
set(common_args "${SIZEBUDGET_MAP}" --budget "${SIZEBUDGET_BUDGET}")
set(read_args "")
set(check_args "")
if(SIZEBUDGET_ELF)
  list(APPEND read_args --elf "${SIZEBUDGET_ELF}")
  # The ELF was linked with the map in this very build: where the two disagree, the ELF is the
  # linker's truth, so the check judges by it (and reports the disagreement) instead of refusing.
  list(APPEND check_args --trust-elf)
endif()
if(SIZEBUDGET_LINKER_SCRIPT)
  list(APPEND read_args --linker-script "${SIZEBUDGET_LINKER_SCRIPT}")
endif()
# lld's --why-extract output, written by the link beside the map (firmware_size_budget adds it).
if(SIZEBUDGET_WHY_EXTRACT AND EXISTS "${SIZEBUDGET_WHY_EXTRACT}")
  list(APPEND read_args --why-extract "${SIZEBUDGET_WHY_EXTRACT}")
endif()

# Prints text as it is (message() would add nothing but a newline; it goes to stderr, which
# Ninja and Make show in order with everything else).
function(_sb_print text)
  string(REGEX REPLACE "^\n+" "" text "${text}")
  string(REGEX REPLACE "\n+$" "" text "${text}")
  if(NOT text STREQUAL "")
    message(NOTICE "${text}")
  endif()
endfunction()

include("${CMAKE_CURRENT_LIST_DIR}/SizeBudgetSizeText.cmake")

# Runs `sizebudget check` with extra arguments; sets <prefix>_rc, <prefix>_out, <prefix>_err.
function(_sb_check prefix)
  execute_process(
    COMMAND "${SIZEBUDGET_TOOL}" check ${common_args} ${read_args} ${check_args} ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(${prefix}_rc "${rc}" PARENT_SCOPE)
  set(${prefix}_out "${out}" PARENT_SCOPE)
  set(${prefix}_err "${err}" PARENT_SCOPE)
endfunction()

if(NOT EXISTS "${SIZEBUDGET_TOOL}")
  message(FATAL_ERROR "sizebudget: ${SIZEBUDGET_TOOL} does not exist")
endif()
if(NOT EXISTS "${SIZEBUDGET_MAP}")
  message(FATAL_ERROR "sizebudget: ${target}: the map ${SIZEBUDGET_MAP} does not exist. "
    "Was the target linked with -Map=${SIZEBUDGET_MAP}? (Remove the ELF file to relink it.)")
endif()

# The baseline did not exist when CMake ran, so the check does not depend on it yet: touching
# the sentinel (a configure dependency) has the next build run CMake, which adds it.
function(_sb_baseline_appeared)
  if(SIZEBUDGET_BASELINE_SENTINEL AND EXISTS "${SIZEBUDGET_BASELINE}")
    file(TOUCH "${SIZEBUDGET_BASELINE_SENTINEL}")
  endif()
endfunction()

if(SIZEBUDGET_MODE STREQUAL "baseline")
  if(NOT SIZEBUDGET_BASELINE)
    message(FATAL_ERROR "sizebudget: ${target} has no BASELINE")
  endif()
  set(old "")
  set(existed FALSE)
  if(EXISTS "${SIZEBUDGET_BASELINE}")
    set(existed TRUE)
    file(READ "${SIZEBUDGET_BASELINE}" old)
  else()
    get_filename_component(baseline_dir "${SIZEBUDGET_BASELINE}" DIRECTORY)
    file(MAKE_DIRECTORY "${baseline_dir}")
  endif()
  execute_process(
    COMMAND "${SIZEBUDGET_TOOL}" snapshot "${SIZEBUDGET_MAP}" ${read_args} -o "${SIZEBUDGET_BASELINE}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  _sb_print("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sizebudget: could not write the baseline of ${target} (exit status ${rc})")
  endif()
  file(READ "${SIZEBUDGET_BASELINE}" new)
  _sb_baseline_appeared()
  if(NOT existed)
    message(NOTICE "sizebudget: ${target}: baseline ${SIZEBUDGET_BASELINE} created; commit it")
  elseif(new STREQUAL old)
    message(NOTICE "sizebudget: ${target}: baseline ${SIZEBUDGET_BASELINE} is up to date")
  else()
    message(NOTICE "sizebudget: ${target}: baseline ${SIZEBUDGET_BASELINE} updated to the current "
      "size; commit it")
  endif()
  return()
endif()

# The growth budgets are checked against the baseline, when there is one. A missing one fails the
# check, but only after the absolute budgets were checked and reported.
set(baseline_missing FALSE)
function(_sb_fail_without_baseline)
  file(REMOVE "${SIZEBUDGET_STAMP}")
  # (NOTICE: printed as it is; FATAL_ERROR would re-wrap the command line.)
  message(NOTICE "sizebudget: ${target}: the baseline ${SIZEBUDGET_BASELINE} does not exist, "
    "so the growth budgets cannot be checked. Create it from the current firmware with\n"
    "  ${create}\nand commit it.")
  message(FATAL_ERROR "sizebudget: ${target} has no baseline")
endfunction()
if(SIZEBUDGET_BASELINE)
  if(EXISTS "${SIZEBUDGET_BASELINE}")
    list(APPEND common_args --baseline "${SIZEBUDGET_BASELINE}")
    _sb_baseline_appeared()
  else()
    set(create "cmake --build ${SIZEBUDGET_BINARY_DIR}${SIZEBUDGET_CONFIG_ARG} --target ${target}-size-baseline")
    if(SIZEBUDGET_MODE STREQUAL "size")
      message(NOTICE "sizebudget: ${target}: the baseline ${SIZEBUDGET_BASELINE} does not exist "
        "(create it with `${create}`); growth not checked\n")
    else()
      set(baseline_missing TRUE)
    endif()
  endif()
endif()

if(SIZEBUDGET_MODE STREQUAL "size")
  # The breakdown, then the budget's view of it; never failing for being over budget.
  execute_process(
    COMMAND "${SIZEBUDGET_TOOL}" report "${SIZEBUDGET_MAP}" ${read_args}
            --by "${SIZEBUDGET_SIZE_BY}" --top 0
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  _sb_print("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sizebudget report failed (exit status ${rc})")
  endif()
  message(NOTICE "")
  _sb_check(text --format text --warn-only)
  _sb_print("${text_out}${text_err}")
  if(NOT text_rc EQUAL 0)
    message(FATAL_ERROR "sizebudget check failed (exit status ${text_rc})")
  endif()
  return()
endif()

# Check mode. A stamp left from an earlier passing check must not survive a failing one.
file(REMOVE "${SIZEBUDGET_STAMP}")
# (Ninja creates the directories of a command's outputs, Make does not.)
foreach(output IN ITEMS "${SIZEBUDGET_STAMP}" "${SIZEBUDGET_REPORT}")
  if(output)
    get_filename_component(output_dir "${output}" DIRECTORY)
    file(MAKE_DIRECTORY "${output_dir}")
  endif()
endforeach()

# The JSON result decides and gives the summary line; with REPORT in json it is the report.
set(result "${SIZEBUDGET_RESULT}")
if(SIZEBUDGET_REPORT AND SIZEBUDGET_FORMAT STREQUAL "json")
  set(result "${SIZEBUDGET_REPORT}")
endif()
file(REMOVE "${SIZEBUDGET_RESULT}")
_sb_check(json --format json --output "${result}")
if(NOT json_rc MATCHES "^[01]$" OR NOT EXISTS "${result}")
  # An input error (exit status 2) or a tool that did not run.
  _sb_print("${json_out}${json_err}")
  message(FATAL_ERROR "sizebudget: could not check ${target} (exit status ${json_rc})")
endif()
_sb_print("${json_err}")  # warnings of the map reader, if any

file(READ "${result}" json)
string(JSON status GET "${json}" status)
string(JSON summary GET "${json}" summary text)

if(SIZEBUDGET_REPORT AND NOT SIZEBUDGET_FORMAT STREQUAL "json")
  _sb_check(report --format "${SIZEBUDGET_FORMAT}" --output "${SIZEBUDGET_REPORT}")
  if(NOT report_rc MATCHES "^[01]$")
    _sb_print("${report_out}${report_err}")
    message(FATAL_ERROR "sizebudget: could not write ${SIZEBUDGET_REPORT}")
  endif()
endif()

if(status STREQUAL "fail")
  # The check's own report: verdicts at budget lines, largest contributors, tables.
  _sb_check(text --format text)
  _sb_print("${text_out}${text_err}")
  if(SIZEBUDGET_WARN_ONLY)
    message(NOTICE "sizebudget: ${target} is over its size budget (${SIZEBUDGET_BUDGET}); "
      "not failing the build: WARN_ONLY / SIZEBUDGET_WARN_ONLY")
    file(TOUCH "${SIZEBUDGET_STAMP}")
    return()
  endif()
  if(baseline_missing)
    _sb_fail_without_baseline()
  endif()
  # (The stamp stays missing: the next build checks again, and fails again, until it passes.)
  message(FATAL_ERROR "sizebudget: ${target} is over its size budget")
endif()

# Within budget: one line, with what each region uses of its budget (or of its length).
set(parts "")
string(JSON n_regions LENGTH "${json}" regions)
if(n_regions GREATER 0)
  math(EXPR last "${n_regions} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${json}" regions ${i} name)
    string(JSON used GET "${json}" regions ${i} used)
    string(JSON limit_type TYPE "${json}" regions ${i} budget)
    if(limit_type STREQUAL "NULL")
      string(JSON limit GET "${json}" regions ${i} length)
      set(of "region")
    else()
      string(JSON limit GET "${json}" regions ${i} budget)
      set(of "budget")
    endif()
    _sb_size(used_text ${used})
    _sb_size(limit_text ${limit})
    list(APPEND parts "${name} ${used_text} of ${limit_text} ${of}")
  endforeach()
endif()
list(JOIN parts ", " regions_text)
if(regions_text)
  set(regions_text " (${regions_text})")
endif()
message(NOTICE "sizebudget: ${target}: ${summary}${regions_text}")

# Budget warnings, one line each, as the compiler would print them.
string(JSON n_verdicts LENGTH "${json}" verdicts)
if(n_verdicts GREATER 0)
  math(EXPR last "${n_verdicts} - 1")
  foreach(i RANGE ${last})
    string(JSON severity GET "${json}" verdicts ${i} severity)
    if(severity STREQUAL "warning")
      string(JSON line GET "${json}" verdicts ${i} line)
      string(JSON column GET "${json}" verdicts ${i} column)
      string(JSON text GET "${json}" verdicts ${i} message)
      message(NOTICE "${SIZEBUDGET_BUDGET}:${line}:${column}: warning: ${text}")
    endif()
  endforeach()
endif()

if(baseline_missing)
  _sb_fail_without_baseline()
endif()
file(TOUCH "${SIZEBUDGET_STAMP}")

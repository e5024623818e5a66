#!/usr/bin/env bash
# Real configure-and-build cycles of firmware projects that use firmware_size_budget()
# (cmake/SizeBudget.cmake), registered as ctest tests by tests/cmake/CMakeLists.txt.
#
#   run.sh <scenario> <generator>      generator: ninja, make or nmc (Ninja Multi-Config)
#
# Each scenario copies tests/cmake/projects/basic (or an example) into $SB_WORK_DIR/<test>/src,
# cross-compiles it for Cortex-M4 with cmake/toolchains/arm-none-eabi.cmake in .../build, and
# asserts exit status, output text and file timestamps. Environment (set by ctest):
#   SB_SOURCE_DIR  the sizebudget source tree
#   SB_BUILD_DIR   sizebudget's build tree (holds the build-tree SizeBudgetConfig.cmake)
#   SB_PREFIX      where the install test installs the package and the others find it
#   SB_WORK_DIR    scratch space for the test projects
# Exit status: 0 pass, 1 fail, 77 skipped (a toolchain is missing).
set -uo pipefail

scenario=${1:?usage: run.sh <scenario> <generator>}
gen_id=${2:-ninja}
: "${SB_SOURCE_DIR:?}" "${SB_PREFIX:?}" "${SB_WORK_DIR:?}"
SB_BUILD_DIR=${SB_BUILD_DIR:-}

case $gen_id in
  ninja) generator="Ninja" ;;
  make) generator="Unix Makefiles" ;;
  nmc) generator="Ninja Multi-Config" ;;
  *) echo "unknown generator '$gen_id'" >&2; exit 2 ;;
esac

test_dir="$SB_WORK_DIR/$scenario.$gen_id"
src="$test_dir/src"
bld="$test_dir/build"
toolchain="$SB_SOURCE_DIR/cmake/toolchains/arm-none-eabi.cmake"

# ---- helpers -------------------------------------------------------------------------------

fail() {
  echo "FAIL [$scenario.$gen_id]: $*" >&2
  exit 1
}
skip() {
  echo "SKIP [$scenario.$gen_id]: $*"
  exit 77
}
step() { echo; echo "==== $*"; }

need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
  done
}

# configure [cmake args...]: configures $src into $bld for the arm toolchain; must succeed.
configure() {
  step "configure $*"
  cmake -S "$src" -B "$bld" -G "$generator" -DCMAKE_TOOLCHAIN_FILE="$toolchain" "$@" \
    >"$test_dir/configure.log" 2>&1
  local rc=$?
  cat "$test_dir/configure.log"
  [[ $rc -eq 0 ]] || fail "configure failed (exit status $rc)"
}

# build [cmake --build args...]: sets OUT (stdout and stderr) and RC.
build() {
  step "build $*"
  # Make lets parallel recipes share the terminal, and CMake's message() writes a line in more
  # than one write, so two targets' summary lines can interleave mid-line; -Otarget keeps each
  # target's output together, as Ninja always does. The lines themselves are what is tested.
  local sync=()
  [[ $gen_id == make ]] && sync=(-- -Otarget)
  OUT=$(cmake --build "$bld" -j2 "$@" "${sync[@]}" 2>&1)
  RC=$?
  # Edits made after this build must get later timestamps than its outputs, also where the
  # file system's clock is coarse.
  sleep 0.05
  printf '%s\n' "$OUT"
  echo "---- exit status $RC"
}

expect_rc() {  # expect_rc 0 | expect_rc nonzero
  if [[ $1 == nonzero ]]; then
    [[ $RC -ne 0 ]] || fail "the build passed; expected it to fail"
  else
    [[ $RC -eq $1 ]] || fail "exit status $RC; expected $1"
  fi
}
expect_out() {  # expect_out <extended regex>...: each must match a line of OUT
  local re
  for re in "$@"; do
    grep -Eq -- "$re" <<<"$OUT" || fail "output lacks /$re/"
  done
}
expect_no_out() {
  local re
  for re in "$@"; do
    if grep -Eq -- "$re" <<<"$OUT"; then fail "output has /$re/: $(grep -E -- "$re" <<<"$OUT" | head -1)"; fi
  done
}
expect_count() {  # expect_count <n> <regex>: exactly n lines of OUT match
  local n
  n=$(grep -Ec -- "$2" <<<"$OUT")
  [[ $n -eq $1 ]] || fail "$n lines match /$2/; expected $1"
}
# A build that ran nothing at all.
expect_noop() {
  expect_rc 0
  if [[ $gen_id == make ]]; then
    expect_no_out "Building C|Linking|Checking size budget|Re-running|Generating|Configuring done"
  else
    expect_out "^ninja: no work to do\.$"
  fi
}

mtime() { stat -c %.9Y "$1" 2>/dev/null || echo missing; }
expect_same_mtime() {  # expect_same_mtime <file> <saved mtime>
  local now
  now=$(mtime "$1")
  [[ $now == "$2" ]] || fail "$1 was rewritten (mtime $2 -> $now)"
}
expect_newer() {
  local now
  now=$(mtime "$1")
  [[ $now != missing && $now != "$2" ]] || fail "$1 was not rewritten (mtime $2 -> $now)"
}
expect_file() { [[ -f $1 ]] || fail "$1 does not exist"; }
expect_no_file() { [[ ! -e $1 ]] || fail "$1 exists"; }

# expect_snapshot <file>: a valid sizebudget snapshot (JSON, with its schema field).
expect_snapshot() {
  expect_file "$1"
  cat >"$test_dir/snapshot-check.cmake" <<'EOF'
file(READ "${FILE}" json)
string(JSON schema ERROR_VARIABLE error GET "${json}" schema)
if(error)
  message(FATAL_ERROR "not valid JSON: ${error}")
endif()
message("schema=${schema}")
EOF
  local out
  out=$(cmake -DFILE="$1" -P "$test_dir/snapshot-check.cmake" 2>&1)
  [[ $out == "schema=sizebudget-snapshot/2" ]] || fail "$1 is not a snapshot: $out"
}

# The verdict lines of the check's report (budget file:line:col: error/warning: ...).
verdicts() { grep -E "\.yaml:[0-9]+:[0-9]+: (error|warning):" <<<"$OUT"; }

# Test project edits.
set_table_size() {
  printf '/* Edited by tests/cmake/run.sh */\n#define TABLE_SIZE %s\n' "$1" >"$src/include/config.h"
}
# set_app_budget <FLASH max> [<drivers component max>]
set_app_budget() {
  cat >"$src/budgets/app.yaml" <<EOF
version: 1
regions:
  FLASH: { max: $1 }
  RAM: { max: 1K }
components:
  drivers: { archives: ["libdrivers.a"], max: ${2:-512} }
EOF
}

new_project() {  # a fresh copy of the test project
  rm -rf "$test_dir"
  mkdir -p "$test_dir"
  cp -r "$SB_SOURCE_DIR/tests/cmake/projects/basic" "$src"
}

# Where the generator puts the app's files.
if [[ $gen_id == nmc ]]; then cfg_dir=Release/; else cfg_dir=; fi
package_args=(-DCMAKE_PREFIX_PATH="$SB_PREFIX")

# ---- scenarios -----------------------------------------------------------------------------

# Installs the package into $SB_PREFIX (the FIXTURES_SETUP of every other test) and checks its
# layout. Argument 2 is the configuration of a multi-config build of sizebudget, if any.
scenario_install() {
  rm -rf "$SB_PREFIX"
  mkdir -p "$SB_WORK_DIR"
  local config=()
  [[ -n ${SB_CONFIG:-} ]] && config=(--config "$SB_CONFIG")
  cmake --install "$SB_BUILD_DIR" --prefix "$SB_PREFIX" "${config[@]}" || fail "cmake --install failed"
  local d="$SB_PREFIX/share/cmake/SizeBudget" f
  [[ -x "$SB_PREFIX/bin/sizebudget" ]] || fail "bin/sizebudget is not installed"
  for f in SizeBudgetConfig.cmake SizeBudgetConfigVersion.cmake SizeBudgetTargets.cmake \
           SizeBudget.cmake SizeBudgetCheck.cmake SizeBudgetSizeText.cmake \
           toolchains/arm-none-eabi.cmake; do
    expect_file "$d/$f"
  done
  # ARCH_INDEPENDENT: a 32-bit project (CMAKE_SIZEOF_VOID_P 4) accepts the package; 2.0 does not.
  cat >"$SB_WORK_DIR/version-check.cmake" <<EOF
cmake_minimum_required(VERSION 3.25)
set(CMAKE_SIZEOF_VOID_P 4)
set(PACKAGE_FIND_NAME SizeBudget)
set(PACKAGE_FIND_VERSION \${WANT})
string(REPLACE "." ";" parts \${WANT})
list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
set(PACKAGE_FIND_VERSION_COUNT 2)
include("$d/SizeBudgetConfigVersion.cmake")
message("compatible=\${PACKAGE_VERSION_COMPATIBLE} unsuitable=\${PACKAGE_VERSION_UNSUITABLE}")
EOF
  OUT=$(cmake -DWANT=1.0 -P "$SB_WORK_DIR/version-check.cmake" 2>&1)
  echo "$OUT"
  expect_out "^compatible=TRUE unsuitable=$"
  OUT=$(cmake -DWANT=2.0 -P "$SB_WORK_DIR/version-check.cmake" 2>&1)
  echo "$OUT"
  expect_out "^compatible=FALSE"
  "$SB_PREFIX/bin/sizebudget" --version || fail "the installed sizebudget does not run"
}

# find_package(SizeBudget) from a cross build whose toolchain file confines package search to the
# sysroot: not found without NO_CMAKE_FIND_ROOT_PATH, found with it by a 32-bit target.
scenario_find_package() {
  need arm-none-eabi-gcc
  rm -rf "$test_dir"; mkdir -p "$src"
  cat >"$src/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(find_test C)
if(NOT CMAKE_SIZEOF_VOID_P EQUAL 4)
  message(FATAL_ERROR "expected a 32-bit target, CMAKE_SIZEOF_VOID_P is ${CMAKE_SIZEOF_VOID_P}")
endif()
if(MODE STREQUAL "root-path")
  find_package(SizeBudget 1.0 QUIET)
  message(STATUS "RESULT found=${SizeBudget_FOUND}")
elseif(MODE STREQUAL "too-new")
  find_package(SizeBudget 2.0 QUIET NO_CMAKE_FIND_ROOT_PATH)
  message(STATUS "RESULT found=${SizeBudget_FOUND}")
else()
  find_package(SizeBudget 1.0 REQUIRED NO_CMAKE_FIND_ROOT_PATH)
  get_target_property(tool SizeBudget::sizebudget LOCATION)
  message(STATUS "RESULT found=${SizeBudget_FOUND} version=${SizeBudget_VERSION} tool=${tool}")
  if(NOT COMMAND firmware_size_budget)
    message(FATAL_ERROR "firmware_size_budget() is not defined")
  endif()
endif()
EOF
  local mode
  for mode in root-path too-new ok; do
    rm -rf "$bld"
    configure "${package_args[@]}" -DMODE=$mode
    OUT=$(cat "$test_dir/configure.log")
    case $mode in
      root-path) expect_out "RESULT found=0" ;;
      too-new) expect_out "RESULT found=0" ;;
      ok) expect_out "RESULT found=1 version=1\.[0-9.]+ tool=$SB_PREFIX/bin/sizebudget" ;;
    esac
  done
}

# 1. Within budget: the build passes and prints one summary line per target; a no-op build runs
# nothing; the map is written next to the ELF; REPORT is written in its format.
scenario_within_budget() {
  need arm-none-eabi-gcc
  new_project
  configure "${package_args[@]}" "-DAPP_OPTIONS=REPORT;reports/app.xml;FORMAT;junit"
  build
  expect_rc 0
  expect_count 1 "^sizebudget: app: "
  expect_count 1 "^sizebudget: boot: "
  expect_out "^sizebudget: app: all 3 budget checks within budget \(FLASH [0-9]+ B of 4 KiB budget, RAM [0-9]+ B of 1 KiB budget\)$" \
             "^sizebudget: boot: all 1 budget check within budget \(FLASH [0-9]+ B of 1 KiB budget, RAM 0 B of 2 KiB region\)$"
  # Nothing else from the check: no report tables, no verdicts.
  expect_no_out "Memory region|error:|warning:"
  expect_file "$bld/${cfg_dir}app.map"
  expect_file "$bld/${cfg_dir}boot.map"
  expect_file "$bld/reports/app.xml"
  grep -q "^Cross Reference Table" "$bld/${cfg_dir}app.map" || fail "app.map has no cross reference table (--cref)"
  grep -q "<testsuite" "$bld/reports/app.xml" || fail "reports/app.xml is not JUnit XML"
  local stamp="$bld/sizebudget/app/app.stamp" stamp_time
  stamp_time=$(mtime "$stamp")
  build
  expect_noop
  expect_same_mtime "$stamp" "$stamp_time"
  # Configuring again changes nothing either (the settings files are rewritten only on change).
  configure
  build
  expect_noop
  expect_same_mtime "$stamp" "$stamp_time"
}

# 2. Over budget: the build fails with the check's report, and the next build fails again with the
# same report although the ELF is up to date; targets listed in REQUIRED_BY (flash) are not built.
scenario_over_budget() {
  need arm-none-eabi-gcc
  new_project
  set_app_budget 256
  # REPORT in html: the failing check's page is written all the same, for a CI artifact.
  configure "${package_args[@]}" "-DAPP_OPTIONS=REPORT;reports/app.html;FORMAT;html"
  build
  expect_rc nonzero
  expect_out "budgets/app\.yaml:3:3: error: region 'FLASH' overflowed its budget by [0-9]+ bytes" \
             "Largest contributors:" "Memory region .* Budget .* Status" \
             "FLASH: .* OVER" "FAILED: 3 budget checks: 1 error" \
             "sizebudget: app is over its size budget"
  expect_file "$bld/reports/app.html"
  grep -q '^<!DOCTYPE html>' "$bld/reports/app.html" || fail "reports/app.html is not an HTML page"
  grep -q '"page":"check"' "$bld/reports/app.html" && grep -q '"failed":true' "$bld/reports/app.html" ||
    fail "reports/app.html is not the failing check's page"
  local first elf_time
  first=$(verdicts)
  elf_time=$(mtime "$bld/app.elf")
  expect_file "$bld/app.elf"
  expect_no_file "$bld/sizebudget/app/app.stamp"

  build
  expect_rc nonzero
  expect_out "Checking size budget of app" "FAILED: 3 budget checks: 1 error"
  expect_no_out "Building C|Linking"
  [[ "$(verdicts)" == "$first" ]] || fail "the second build's report differs from the first's"
  expect_same_mtime "$bld/app.elf" "$elf_time"

  build --target flash
  expect_rc nonzero
  expect_out "error: region 'FLASH' overflowed its budget"
  expect_no_out "FLASHING app"
  # image is defined after the firmware_size_budget() call (REQUIRED_BY hooks it later).
  build --target image
  expect_rc nonzero
  expect_out "error: region 'FLASH' overflowed its budget"
  expect_no_out "Making app\.bin"

  # The firmware target alone builds (only the hooked targets wait for the check).
  build --target app
  expect_rc 0
}

# 3. Editing only the budget re-runs only that target's check: no compile, no link.
scenario_budget_edit() {
  need arm-none-eabi-gcc
  new_project
  configure "${package_args[@]}"
  build
  expect_rc 0
  local elf_time obj obj_time stamp="$bld/sizebudget/app/app.stamp" stamp_time boot_stamp_time
  obj=$(find "$bld" -name 'main.c.obj' -path '*app.dir*' | head -1)
  [[ -n $obj ]] || fail "no main.c.obj"
  elf_time=$(mtime "$bld/app.elf")
  obj_time=$(mtime "$obj")
  stamp_time=$(mtime "$stamp")
  boot_stamp_time=$(mtime "$bld/sizebudget/boot/boot.stamp")

  set_app_budget 3K
  build
  expect_rc 0
  expect_out "Checking size budget of app" "^sizebudget: app: .*FLASH [0-9]+ B of 3 KiB budget"
  expect_no_out "Building C|Linking|Checking size budget of boot|Re-running|Configuring done"
  expect_same_mtime "$bld/app.elf" "$elf_time"
  expect_same_mtime "$obj" "$obj_time"
  expect_newer "$stamp" "$stamp_time"
  expect_same_mtime "$bld/sizebudget/boot/boot.stamp" "$boot_stamp_time"

  # Lowering it below the firmware's size fails the build, still without relinking.
  set_app_budget 256
  build
  expect_rc nonzero
  expect_out "error: region 'FLASH' overflowed its budget"
  expect_no_out "Building C|Linking"
  expect_same_mtime "$bld/app.elf" "$elf_time"
}

# 4. A change that brings the firmware back within budget makes the build pass.
scenario_back_within() {
  need arm-none-eabi-gcc
  new_project
  set_table_size 3000
  set_app_budget 2K
  configure "${package_args[@]}"
  build
  expect_rc nonzero
  expect_out "error: region 'FLASH' overflowed its budget"

  set_table_size 256  # the source change: a smaller table
  build
  expect_rc 0
  expect_out "Building C object .*main\.c" "Linking C executable" "^sizebudget: app: all 3 budget checks within budget"
  expect_no_out "error:"
  build
  expect_noop

  # Growing again fails; raising the budget instead passes.
  set_table_size 3000
  build
  expect_rc nonzero
  set_app_budget 4K
  build
  expect_rc 0
  expect_out "^sizebudget: app: all 3 budget checks within budget"
}

# 5. WARN_ONLY and the cache option SIZEBUDGET_WARN_ONLY report without failing.
scenario_warn_only() {
  need arm-none-eabi-gcc
  new_project
  set_app_budget 256
  configure "${package_args[@]}" -DSIZEBUDGET_WARN_ONLY=ON
  build
  expect_rc 0
  expect_out "budgets/app\.yaml:3:3: error: region 'FLASH' overflowed its budget" \
             "FAILED: 3 budget checks: 1 error" "not failing the build"
  build
  expect_noop

  # Switching the option off re-runs the check (with every generator) and fails.
  configure -DSIZEBUDGET_WARN_ONLY=OFF
  build
  expect_rc nonzero
  expect_out "error: region 'FLASH' overflowed its budget" "sizebudget: app is over its size budget"
  expect_no_out "Linking"

  # WARN_ONLY on the one target.
  configure "-DAPP_OPTIONS=WARN_ONLY"
  build
  expect_rc 0
  expect_out "error: region 'FLASH' overflowed its budget" "not failing the build"
  build
  expect_noop
}

# 6. <target>-size prints the full report on demand, and is not part of ALL.
scenario_size_target() {
  need arm-none-eabi-gcc
  new_project
  configure "${package_args[@]}"
  build
  expect_rc 0
  expect_no_out "Size report"
  build --target app-size
  expect_rc 0
  expect_out "Archive +Size +Retained +FLASH +RAM" "libdrivers\.a" "\(no archive\)" \
             "Memory region .* Budget .* Status" "Component .* Budget" "PASSED: all 3 budget checks"
  # Over budget it still prints, and does not fail.
  set_app_budget 256
  build --target app-size
  expect_rc 0
  expect_out "error: region 'FLASH' overflowed its budget" "Archive +Size"
  configure -DSIZEBUDGET_SIZE_BY=symbol
  build --target app-size
  expect_rc 0
  expect_out "Symbol +Size" "^table +[0-9]+ B"
}

# 7. A link that overflows a region shows sizebudget's breakdown of the map below ld's error.
scenario_link_overflow() {
  need arm-none-eabi-gcc
  new_project
  set_table_size 9000  # FLASH is 8K
  configure "${package_args[@]}"
  build
  expect_rc nonzero
  expect_out "region .FLASH. overflowed by [0-9]+ bytes" \
             "^sizebudget: app: region FLASH overflowed; what the linker placed" \
             "^Object +Size +FLASH +RAM" "^main\.c\.obj +[0-9.]+ KiB" \
             "^Symbol +Size" "^table +8\.79 KiB" \
             "^sizebudget: app: the link failed: region FLASH overflowed \(the linker's error is above\)"
  # Other link errors get no breakdown.
  set_table_size 512
  sed -i 's/^    uart_write("hello");/    uart_write("hello");\n    extern void missing_function(void);\n    missing_function();/' "$src/app/main.c"
  grep -q missing_function "$src/app/main.c" || fail "could not edit main.c"
  build
  expect_rc nonzero
  expect_out "undefined reference to .missing_function"
  # The linker's own error ends the output: nothing of sizebudget's, no CMake error.
  expect_no_out "what the linker placed" "^sizebudget: app" "CMake Error"
}

# The other arguments: MAP (the project's own -Map), ELF_CHECK, LINKER_SCRIPT, REPORT in JSON;
# budget warnings print one line each without failing; input errors fail every build.
scenario_options() {
  need arm-none-eabi-gcc
  new_project
  cat >"$src/budgets/app.yaml" <<EOF
version: 1
regions:
  FLASH: { max: 4K, warn: 10% }
  RAM: { max: 1K }
EOF
  configure "${package_args[@]}" -DAPP_MAP=ON \
    "-DAPP_OPTIONS=ELF_CHECK;LINKER_SCRIPT;fw.ld;REPORT;out/app.json;FORMAT;json"
  build
  expect_rc 0
  expect_out "^sizebudget: app: 2 budget checks: 0 errors, 1 warning \(FLASH" \
             "budgets/app\.yaml:3:3: warning: region 'FLASH' at [0-9.]+% of its budget"
  expect_count 2 "^sizebudget: app: |budgets/app\.yaml:"
  expect_file "$bld/custom/app.map"
  expect_no_file "$bld/app.map"
  # The project writes its own map: the function adds no link options to it.
  if grep -q "^Cross Reference Table" "$bld/custom/app.map"; then fail "--cref added to a map the project writes"; fi
  expect_file "$bld/out/app.json"
  grep -q '"status": "warn"' "$bld/out/app.json" || fail "out/app.json is not the JSON result"
  grep -q "SIZEBUDGET_ELF \[==\[$bld/app.elf\]==\]" "$bld/sizebudget/app/app.settings.cmake" \
    || fail "ELF_CHECK does not pass the ELF"
  grep -q "SIZEBUDGET_LINKER_SCRIPT \[==\[$src/fw.ld\]==\]" "$bld/sizebudget/app/app.settings.cmake" \
    || fail "LINKER_SCRIPT not resolved against the calling directory"
  build
  expect_noop

  # A budget the tool cannot read fails the build, and the next one.
  printf 'version: 1\nregions:\n  FLASH: { max: lots }\n' >"$src/budgets/app.yaml"
  build
  expect_rc nonzero
  expect_out "sizebudget: error: [^ ]*budgets/app\.yaml:3:[0-9]+: " "could not check app"
  build
  expect_rc nonzero
  expect_out "could not check app"

  # NO_LINK_EVIDENCE: the map the function asks for, without the cross reference table.
  printf 'version: 1\nregions:\n  FLASH: { max: 4K }\n' >"$src/budgets/app.yaml"
  configure -DAPP_MAP=OFF "-DAPP_OPTIONS=NO_LINK_EVIDENCE"
  build
  expect_rc 0
  expect_file "$bld/app.map"
  if grep -q "^Cross Reference Table" "$bld/app.map"; then fail "NO_LINK_EVIDENCE still adds --cref"; fi
}

# 8. Ninja Multi-Config keeps each configuration's map, stamp and report apart: Debug (with its
# trace table) is over the budget that Release meets.
scenario_multi_config() {
  need arm-none-eabi-gcc
  new_project
  set_app_budget 1536
  configure "${package_args[@]}" "-DAPP_OPTIONS=REPORT;app-check.json;FORMAT;json"
  build --config Release
  expect_rc 0
  expect_out "^sizebudget: app: all 3 budget checks within budget"
  build --config Debug
  expect_rc nonzero
  expect_out "error: region 'FLASH' overflowed its budget"
  expect_file "$bld/Release/app.map"
  expect_file "$bld/Debug/app.map"
  grep -q trace_formats "$bld/Debug/app.map" || fail "Debug/app.map lacks the Debug-only table"
  if grep -q trace_formats "$bld/Release/app.map"; then fail "Release/app.map has the Debug-only table"; fi
  expect_file "$bld/sizebudget/Release/app/app.stamp"
  expect_no_file "$bld/sizebudget/Debug/app/app.stamp"
  expect_file "$bld/Release/app-check.json"
  grep -q '"status": "pass"' "$bld/Release/app-check.json" || fail "Release report is not a pass"
  grep -q '"status": "fail"' "$bld/Debug/app-check.json" || fail "Debug report is not a fail"
  # Debug's failure leaves Release alone, and keeps failing itself. (boot.elf may link now: the
  # first Debug build may have stopped at app's failed check before it got to boot.)
  build --config Release
  expect_noop
  build --config Debug
  expect_rc nonzero
  expect_no_out "Linking C executable Debug/app.elf"
  # <target>-size reports on the configuration asked for.
  build --config Release --target app-size
  expect_rc 0
  expect_out "PASSED: all 3 budget checks"
  build --config Debug --target app-size
  expect_rc 0
  expect_out "FAILED: 3 budget checks: 1 error"
  # The linker launcher finds the configuration's map.
  set_table_size 9000
  build --config Debug
  expect_rc nonzero
  expect_out "^sizebudget: app: region FLASH overflowed; what the linker placed \(.*/Debug/app\.map\)" \
             "^table +8\.79 KiB"
}

# Identities: one firmware built in two checkouts, once with Ninja and once with Ninja
# Multi-Config, diffs and growth-checks as unchanged: no archive, object or symbol added or
# removed, growth 0, although every object and archive path differs.
scenario_identities() {
  need arm-none-eabi-gcc ninja
  local tool="$SB_PREFIX/bin/sizebudget" one="$test_dir/one" two="$test_dir/two"
  new_project
  set_app_budget 4K
  cp -r "$src" "$test_dir/src-second-checkout"
  generator="Ninja" bld="$one" configure "${package_args[@]}" -DCMAKE_BUILD_TYPE=Release
  bld="$one" build --target app
  expect_rc 0
  src="$test_dir/src-second-checkout" generator="Ninja Multi-Config" bld="$two" configure "${package_args[@]}"
  bld="$two" build --config Release --target app
  expect_rc 0
  expect_file "$one/app.map"
  expect_file "$two/Release/app.map"
  grep -q "CMakeFiles/app.dir/Release/" "$two/Release/app.map" || fail "the NMC map has no per-configuration folder"
  "$tool" snapshot "$one/app.map" -o "$test_dir/base.json" || fail "snapshot failed"
  OUT=$("$tool" diff "$test_dir/base.json" "$two/Release/app.map" --by object --format json 2>&1)
  RC=$?
  printf '%s\n' "$OUT"
  expect_rc 0
  expect_no_out '"change": *"(added|removed|grown|shrunk)"'
  expect_out '"items": \[\]'
  OUT=$("$tool" diff "$test_dir/base.json" "$two/Release/app.map" --by symbol 2>&1)
  RC=$?
  printf '%s\n' "$OUT"
  expect_no_out "added|removed"
  printf 'version: 1\ngrowth:\n  archives: { "*": 0 }\n  total: 0\n' >"$test_dir/growth.yaml"
  OUT=$("$tool" check "$two/Release/app.map" --budget "$test_dir/growth.yaml" --baseline "$test_dir/base.json" 2>&1)
  RC=$?
  printf '%s\n' "$OUT"
  expect_rc 0
}

# BASELINE: growth budgets checked in the build against a committed snapshot. A missing baseline
# fails the check, naming <target>-size-baseline, which creates it; growing beyond the growth
# budget fails the build; <target>-size-baseline accepts the new size (rewrites the baseline in
# the source tree) and the build passes again; a changed baseline re-runs only the check.
# Under Ninja Multi-Config the baseline is per configuration ($<CONFIG> in its path).
scenario_baseline() {
  need arm-none-eabi-gcc
  new_project
  cat >"$src/budgets/app.yaml" <<EOF
version: 1
regions:
  FLASH: { max: 4K }
  RAM: { max: 1K }
growth:
  regions: { FLASH: 64 }
EOF
  local base="$src/baselines/app.json" option="baselines/app.json" cfg=()
  if [[ $gen_id == nmc ]]; then
    base="$src/baselines/app-Release.json" option='baselines/app-$<CONFIG>.json' cfg=(--config Release)
  fi
  configure "${package_args[@]}" "-DAPP_OPTIONS=BASELINE;$option"

  # No baseline yet: the check fails and says how to create it; boot (no BASELINE) passes.
  build "${cfg[@]}"
  expect_rc nonzero
  expect_out "^sizebudget: app: all [0-9]+ budget checks? within budget" \
             "^sizebudget: app: the baseline $base does not exist, so the growth budgets cannot be checked" \
             "^  cmake --build $bld( --config Release)? --target app-size-baseline$" \
             "sizebudget: app has no baseline"
  expect_no_file "$base"
  build "${cfg[@]}" --target app-size-baseline
  expect_rc 0
  expect_out "^sizebudget: app: baseline $base created; commit it"
  expect_snapshot "$base"
  if [[ $gen_id == nmc ]]; then expect_no_file "$src/baselines/app-Debug.json"; fi
  build "${cfg[@]}"
  expect_rc 0
  expect_out "^sizebudget: app: all [0-9]+ budget checks within budget"
  expect_no_out "error:|warning:"
  # (The new baseline has CMake run again, which makes it a dependency of the check.)
  build "${cfg[@]}"
  expect_rc 0
  build "${cfg[@]}"
  expect_noop

  # The image grows by 512 bytes, beyond the growth budget of 64: the build fails, naming FLASH.
  local first="$test_dir/baseline.first" elf_time
  cp "$base" "$first"
  set_table_size 1024
  build "${cfg[@]}"
  expect_rc nonzero
  expect_out "budgets/app\.yaml:6:14: error: region 'FLASH' grew by 51[0-9] bytes against the baseline \(budget \+64 B" \
             "sizebudget: app is over its size budget"
  cmp -s "$base" "$first" || fail "a failing build changed the baseline"
  build "${cfg[@]}"
  expect_rc nonzero
  expect_out "region 'FLASH' grew by"
  elf_time=$(mtime "$bld/${cfg_dir}app.elf")

  # An intended increase: app-size-baseline writes the current size into the source tree.
  build "${cfg[@]}" --target app-size-baseline
  expect_rc 0
  expect_out "^sizebudget: app: baseline $base updated to the current size; commit it"
  expect_no_out "Linking"
  expect_snapshot "$base"
  if cmp -s "$base" "$first"; then fail "app-size-baseline did not change the baseline"; fi
  expect_same_mtime "$bld/${cfg_dir}app.elf" "$elf_time"
  # The changed baseline re-runs the check only, which passes now.
  build "${cfg[@]}"
  expect_rc 0
  expect_out "Checking size budget of app" "^sizebudget: app: all [0-9]+ budget checks within budget"
  expect_no_out "Building C|Linking|error:"
  build "${cfg[@]}"
  expect_noop
  # Refreshing an up-to-date baseline says so.
  build "${cfg[@]}" --target app-size-baseline
  expect_rc 0
  expect_out "^sizebudget: app: baseline $base is up to date"

  # Going back to the old baseline (a checkout, say) re-runs only the check, which fails again.
  cp "$first" "$base"
  build "${cfg[@]}"
  expect_rc nonzero
  expect_out "region 'FLASH' grew by 51[0-9] bytes against the baseline"
  expect_no_out "Building C|Linking"
}

# Parallel checks of different targets in one `-j 8` build never interfere: four images, each
# with its own budget and REPORT, linked and checked at the same time; each report names its own
# map and budget and equals what sizebudget says about that map run alone. Repeated after
# touching the sources (all relink and re-check at once) and the budgets (only the four checks
# run, at once).
scenario_parallel() {
  need arm-none-eabi-gcc
  new_project
  cp -r "$SB_SOURCE_DIR/tests/cmake/projects/parallel/." "$src"
  configure "${package_args[@]}"
  local tool="$SB_PREFIX/bin/sizebudget" round n report map
  for round in 1 2 3; do
    case $round in
      2) touch "$src/fw/main.c" "$src/app/startup.c" ;;
      3) touch "$src"/budgets/fw*.yaml ;;
    esac
    step "build -j 8 (round $round)"
    OUT=$(cmake --build "$bld" -j 8 $([[ $gen_id == make ]] && echo -- -Otarget) 2>&1); RC=$?
    sleep 0.05
    printf '%s\n' "$OUT"
    expect_rc 0
    # (Not anchored: under Make the console lines of concurrent checks can run into each other;
    # Ninja buffers each command's output. The reports below are what must not interfere.)
    for n in 1 2 3 4; do
      expect_out "sizebudget: fw$n: 2 budget checks: 0 errors, 1 warning \(FLASH [0-9.]+ (B|KiB) of $n KiB budget" \
                 "budgets/fw$n\.yaml:4:3: warning: region 'FLASH' at"
    done
    if [[ $round == 3 ]]; then
      expect_count 4 "Checking size budget of fw[1-4]"
      expect_no_out "Building C|Linking"
    elif [[ $round == 2 ]]; then
      expect_count 4 "Linking C executable fw[1-4]"
    fi
    for n in 1 2 3 4; do
      report="$bld/${cfg_dir}reports/fw$n.json"; map="$bld/${cfg_dir}fw$n.map"
      expect_file "$report"
      grep -qxF "  \"map\": \"$map\"," "$report" || fail "reports/fw$n.json does not name $map"
      grep -qxF "  \"budget\": \"$src/budgets/fw$n.yaml\"," "$report" || fail "reports/fw$n.json does not name fw$n.yaml"
      # The same numbers as a check of that map alone, serially, after the build.
      "$tool" check "$map" --budget "$src/budgets/fw$n.yaml" --format json >"$test_dir/serial$n.json"
      cmp -s "$report" "$test_dir/serial$n.json" || {
        diff "$test_dir/serial$n.json" "$report" | head -20
        fail "reports/fw$n.json differs from a serial check of fw$n.map (round $round)"
      }
    done
    # Four different images: four different FLASH figures.
    n=$(for report in "$bld/${cfg_dir}"reports/fw*.json; do grep -m1 '"used"' "$report"; done | sort -u | wc -l)
    [[ $n -eq 4 ]] || fail "the four reports do not have four different sizes"
    # No temporary files of the atomic writes are left beside the reports.
    local stray
    stray=$(find "$bld/${cfg_dir}reports" "$bld/sizebudget" -name '.*.??????' | head -3)
    [[ -z $stray ]] || fail "temporary files left: $stray"
  done
  build
  expect_noop
}

# The firmware targets are defined in a subdirectory (fw/) and budgeted from the top directory
# with relative paths; flash (REQUIRED_BY) is hooked across directories.
scenario_subdirectory() {
  need arm-none-eabi-gcc
  # (and a space in every path)
  test_dir="$SB_WORK_DIR/sub dir.$gen_id"; src="$test_dir/src"; bld="$test_dir/build"
  new_project
  configure "${package_args[@]}" -DFW_IN_SUBDIR=ON
  build
  expect_rc 0
  expect_count 1 "^sizebudget: app: all 3 budget checks within budget"
  expect_count 1 "^sizebudget: boot: "
  expect_file "$bld/fw/app.map"
  expect_file "$bld/sizebudget/app/app.stamp"
  build
  expect_noop
  local elf_time
  elf_time=$(mtime "$bld/fw/app.elf")
  set_app_budget 256
  build
  expect_rc nonzero
  expect_out "budgets/app\.yaml:3:3: error: region 'FLASH' overflowed its budget"
  expect_no_out "Building C|Linking"
  expect_same_mtime "$bld/fw/app.elf" "$elf_time"
  build --target flash
  expect_rc nonzero
  expect_no_out "FLASHING app"
  set_app_budget 4K
  build --target flash
  expect_rc 0
  expect_out "FLASHING app"
}

# The sizebudget source tree added with FetchContent to the cross-compiled project: the tool is
# built for the host by ExternalProject, never with arm-none-eabi-g++.
scenario_host_build() {
  need arm-none-eabi-gcc
  new_project
  # (Debug: quicker to compile than Release; the test is about where and for what it is built.)
  configure -DSB_MODE=subproject -DSB_SOURCE_DIR="$SB_SOURCE_DIR" -DSIZEBUDGET_HOST_BUILD_TYPE=Debug
  build
  expect_rc 0
  expect_out "Completed 'sizebudget_host'" "^sizebudget: app: all 3 budget checks within budget" \
             "^sizebudget: boot: "
  local tool
  tool=$(find "$bld" -path '*/host/bin/sizebudget' -type f | head -1)
  [[ -n $tool ]] || fail "no host-built sizebudget"
  # ELF e_machine: the host's (that of cmake itself), not ARM's (the firmware's).
  local host_machine tool_machine fw_machine
  host_machine=$(od -An -tx2 -j18 -N2 "$(command -v cmake)")
  tool_machine=$(od -An -tx2 -j18 -N2 "$tool")
  fw_machine=$(od -An -tx2 -j18 -N2 "$bld/app.elf")
  [[ $tool_machine == "$host_machine" ]] || fail "sizebudget was built for machine $tool_machine, not the host's $host_machine"
  [[ $fw_machine != "$host_machine" ]] || fail "the firmware was not cross-compiled"
  local cache=("$bld"/_deps/*-build/host-build/CMakeCache.txt)
  grep "^CMAKE_CXX_COMPILER:" "${cache[0]}"
  if grep -q "^CMAKE_CXX_COMPILER:.*arm-none-eabi" "${cache[0]}"; then
    fail "the host build uses the cross compiler"
  fi
  build
  expect_noop
  set_app_budget 256
  build
  expect_rc nonzero
  expect_out "error: region 'FLASH' overflowed its budget"
}

# add_subdirectory/FetchContent with an existing sizebudget (SIZEBUDGET_EXECUTABLE): no build.
scenario_prebuilt_tool() {
  need arm-none-eabi-gcc
  new_project
  configure -DSB_MODE=subproject -DSB_SOURCE_DIR="$SB_SOURCE_DIR" \
            -DSIZEBUDGET_EXECUTABLE="$SB_PREFIX/bin/sizebudget"
  build
  expect_rc 0
  expect_out "^sizebudget: app: all 3 budget checks within budget"
  expect_no_out "sizebudget_host"
  build
  expect_noop
}

# The build tree of sizebudget as a package (SizeBudget_DIR=<build dir>), without installing.
scenario_build_tree() {
  need arm-none-eabi-gcc
  [[ -n $SB_BUILD_DIR ]] || fail "SB_BUILD_DIR is not set"
  new_project
  configure -DSizeBudget_DIR="$SB_BUILD_DIR"
  grep -q "^SizeBudget_DIR:[A-Z]*=$SB_BUILD_DIR$" "$bld/CMakeCache.txt" || fail "not the build tree's package"
  build
  expect_rc 0
  expect_out "^sizebudget: app: all 3 budget checks within budget"
}

# The projects in examples/, built against the build tree as scripts/demo does.
# run.sh example:<name>[:fail] <generator>
scenario_example() {
  local name=${scenario#example:} expect=pass
  if [[ $name == *:fail ]]; then name=${name%:fail}; expect=fail; fi
  local dir="$SB_SOURCE_DIR/examples/$name"
  [[ -f $dir/CMakeLists.txt ]] || fail "no example $name"
  local tc
  tc=$(sed -n 's/^# *toolchain: *//p' "$dir/CMakeLists.txt" | head -1)
  toolchain="$SB_SOURCE_DIR/cmake/toolchains/${tc:-arm-none-eabi}.cmake"
  local tools
  tools=$(sed -n 's/^# *needs: *//p' "$dir/CMakeLists.txt" | head -1)
  # shellcheck disable=SC2086
  need ${tools:-arm-none-eabi-gcc}
  test_dir="$SB_WORK_DIR/example-$name.$gen_id"
  src="$dir"  # built out of tree; the example's sources are not touched
  bld="$test_dir/build"
  rm -rf "$test_dir"; mkdir -p "$test_dir"
  configure -DSizeBudget_DIR="$SB_BUILD_DIR"
  build
  if [[ $expect == pass ]]; then
    expect_rc 0
    expect_out "^sizebudget: [a-z0-9_-]+: all [0-9]+ budget checks? within budget"
    expect_no_out "error:"
  else
    expect_rc nonzero
    expect_out "error: component '[a-z_]+' exceeds its budget" "is over its size budget"
  fi
  local target
  target=$(sed -n 's/^ *firmware_size_budget(\([A-Za-z0-9_-]*\).*/\1/p' "$dir/CMakeLists.txt" | head -1)
  build --target "$target-size"
  expect_rc 0
  expect_out "Archive +Size"
  # The function added the link evidence: the map's cross reference table, and lld's reasons for
  # each archive member it extracted, which the check reads.
  local map
  map=$(find "$bld" -name "$target.map" | head -1)
  grep -q "^Cross Reference Table" "$map" || fail "$map has no cross reference table (--cref)"
  if [[ $name == cm4-lld ]]; then
    head -1 "$(dirname "$map")/$target.why-extract.txt" | grep -q "^reference" ||
      fail "no --why-extract output beside $map"
    expect_out "Retained"
  fi
}

case $scenario in
  example:*) scenario_example ;;
  *)
    declare -F "scenario_$scenario" >/dev/null || { echo "unknown scenario '$scenario'" >&2; exit 2; }
    "scenario_$scenario"
    ;;
esac
echo
echo "PASS [$scenario.$gen_id]"

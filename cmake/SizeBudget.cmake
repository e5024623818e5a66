#[=======================================================================[.rst:
SizeBudget
----------

Check a firmware image against its size budget on every build, with
``sizebudget check``.

The module comes with the ``SizeBudget`` package:

.. code-block:: cmake

  # sizebudget is a program for the build machine; a toolchain file that restricts
  # package search to the target sysroot would hide it, hence NO_CMAKE_FIND_ROOT_PATH.
  find_package(SizeBudget 1.0 REQUIRED NO_CMAKE_FIND_ROOT_PATH)

  add_executable(blinky main.c startup.c)
  firmware_size_budget(blinky BUDGET blinky.budget.yaml)

Point CMake at an installed package with ``-DCMAKE_PREFIX_PATH=<prefix>`` or at a
build tree of sizebudget with ``-DSizeBudget_DIR=<sizebudget build dir>``.  The
package's version file is ``ARCH_INDEPENDENT``: a 32-bit target accepts the 64-bit
host package.

The sizebudget source tree can also be added with :command:`add_subdirectory` or
:module:`FetchContent`.  When the project including it is cross-compiled
(:variable:`CMAKE_CROSSCOMPILING`), sizebudget is built for the host with
:module:`ExternalProject` and the host's default C++ compiler
(``SIZEBUDGET_HOST_CXX_COMPILER`` chooses another one), never with the cross
compiler.  ``-DSIZEBUDGET_EXECUTABLE=<path>`` uses an existing ``sizebudget``
instead of building one.

Imported Targets
^^^^^^^^^^^^^^^^

``SizeBudget::sizebudget``
  The ``sizebudget`` executable, for the host.  Global, so a firmware target in
  any directory can use it.

Commands
^^^^^^^^

.. command:: firmware_size_budget

  .. code-block:: cmake

    firmware_size_budget(<target>
      BUDGET <file>
      [MAP <file>]
      [ELF_CHECK]
      [LINKER_SCRIPT <file>]
      [REPORT <file> [FORMAT text|json|markdown|junit|github|html]]
      [BASELINE <file>]
      [WARN_ONLY]
      [NO_LINK_EVIDENCE]
      [REQUIRED_BY <target>...])

  Checks the executable ``<target>`` against the budget ``<file>`` whenever either
  changes.  The call may be made in any directory, also in another one than the
  one that defines ``<target>``.

  ``BUDGET <file>``
    The budget (YAML, see ``budgets/budget.schema.json`` of sizebudget).

  ``MAP <file>``
    The linker map the link writes.  By default the map is
    ``<target>.map`` next to ``$<TARGET_FILE:<target>>`` (for multi-config
    generators a per-configuration directory) and the function adds
    ``LINKER:-Map=<that absolute path>`` (``-Wl,-Map=...``) to the target's link
    options.  When ``MAP`` is given the project must pass ``-Map`` itself (do so
    also when the link rule runs the linker directly rather than through the
    compiler driver, where ``-Wl,`` does not apply); use an
    absolute path there too (a relative ``-Map=`` lands in different directories
    under Ninja and Make), and ``$<CONFIG>`` in it for multi-config generators.

  ``NO_LINK_EVIDENCE``
    When the function adds ``-Map`` (no ``MAP``), it also adds what
    ``sizebudget why``, retained sizes and a failing budget's "linked because"
    chains need: ``LINKER:--cref`` (GNU ld and lld print every reference
    between files into the map) and, for ld.lld,
    ``LINKER:--why-extract=<target>.why-extract.txt`` next to the map, which
    the check reads.  ``NO_LINK_EVIDENCE`` leaves both out.  lld is recognised
    by ``-fuse-ld=lld`` (or ``ld.lld``) in the target's link options, the
    directory's, or ``CMAKE_EXE_LINKER_FLAGS``; set ``SIZEBUDGET_LINKER`` to
    ``lld`` or ``gnu`` where that does not tell.

  ``ELF_CHECK``
    Also hand the linked ELF file to the check (``--elf --trust-elf``): section
    flags are taken from it where the map alone cannot settle them. Map and ELF
    come from the same link here, so where they disagree the check judges by
    the ELF and reports the disagreement as a warning.

  ``LINKER_SCRIPT <file>``
    The linker script whose ``MEMORY`` block defines the regions (``--linker-script``).
    Maps written by LLVM ``ld.lld`` carry no memory configuration and need it
    (or regions declared in the budget).

  ``REPORT <file>``
    Also write the check's report to ``<file>``, in ``FORMAT`` (default
    ``text``): ``json``, ``markdown`` (for a pull-request comment), ``junit``
    (for CI test views), ``github`` or ``html`` (one self-contained page with a
    treemap of the image coloured by verdict, to publish as a CI artifact).  For multi-config generators a path
    without ``$<CONFIG>`` gets a ``<CONFIG>/`` directory inserted before its
    file name.

  ``BASELINE <file>``
    A baseline snapshot (``sizebudget snapshot``, committed with the sources)
    against which the budget's ``growth:`` section is checked (``--baseline``):
    the build fails when the firmware grew by more than its growth budgets
    allow.  The check runs again when the baseline file changes.  A relative
    path is relative to the calling directory's source directory; it may
    contain ``$<CONFIG>`` (one baseline per configuration), no other generator
    expression.  When the file does not exist, the check fails with a message
    that names ``<target>-size-baseline``, which creates it (the baseline is
    meant to be committed; a missing one is a mistake, not a pass).  A baseline
    that appears after CMake ran has CMake run once more on the next build, to
    make it a dependency of the check.  Without ``BASELINE`` the ``growth:``
    section of a budget is not checked in the build.

  ``WARN_ONLY``
    Report a target over budget without failing the build.  The cache option
    ``SIZEBUDGET_WARN_ONLY`` does the same for every target, for local work.

  ``REQUIRED_BY <target>...``
    Targets that must not be built while ``<target>`` is over budget, such as
    flash, image or package targets: they are made to depend on the check.
    (``ninja <target>`` alone builds only the firmware.)  Targets defined later
    are hooked at the end of the top-level directory.

  Relative input paths (``BUDGET``, ``LINKER_SCRIPT``, ``BASELINE``) are
  relative to the calling directory's source directory, relative output paths
  (``MAP``, ``REPORT``) to its binary directory, as for
  :command:`add_custom_command`.

  How it behaves:

  * Within budget, the build prints one summary line per target (and one line per
    budget warning).
  * Over budget, the build fails with the check's report.  The check's stamp file
    is written only when the check passes, so the next build runs the check again
    and fails again with the same report, although the ELF is up to date.
  * Editing only the budget file re-runs only the check: nothing is compiled or
    linked again.  A change that brings the firmware back within budget (or a
    raised budget) makes the build pass.
  * When the link itself fails because a memory region overflowed (GNU ld and
    lld still write the map), the target's linker launcher, ``sizebudget link``,
    prints sizebudget's breakdown of the map below the linker's error.  A link
    that fails for another reason ends with the linker's own error.  (Before
    CMake 3.27 a launcher cannot name a tool built in the same project, so a
    project that builds sizebudget itself without cross-compiling gets no
    launcher there; an installed tool, a build tree's package and the host build
    of a cross-compiled project always do.)
  * Multi-config generators keep each configuration's map, stamp and report
    apart.

  Targets created:

  ``<target>-size-budget``
    Part of ``ALL``: runs the check when the firmware, the budget file, the
    baseline, the check's settings or the tool changed.  Its output is the stamp file
    ``<binary dir>/sizebudget/[<CONFIG>/]<target>/<target>.stamp`` (and ``REPORT``).

  ``<target>-size``
    Prints the full report on demand: the breakdown by archive, then the
    budget check's report (without failing when over budget).
    ``SIZEBUDGET_SIZE_BY`` (``region``, ``section``, ``archive``, ``object`` or
    ``symbol``; default ``archive``) chooses the breakdown.

  ``<target>-size-baseline``
    Only with ``BASELINE``; not part of ``ALL``.  Links ``<target>`` if needed
    and writes a fresh snapshot of its map to the ``BASELINE`` file
    (``sizebudget snapshot``, atomically; for multi-config generators of the
    configuration built), creating it if it does not exist: after an intended
    size increase, ``cmake --build <dir> --target <target>-size-baseline``
    accepts the current size as the new reference, and the changed baseline
    is committed with the change.  It writes the snapshot whatever the growth
    budgets say (exceeding them is why one refreshes the baseline); the
    absolute budgets are not waived: the next build checks them as always,
    and the growth against the new baseline, which is zero.

Cache Variables
^^^^^^^^^^^^^^^

``SIZEBUDGET_WARN_ONLY``
  ``OFF`` by default.  When ``ON``, no target fails the build for being over
  budget; the reports are printed all the same.

``SIZEBUDGET_SIZE_BY``
  The breakdown ``<target>-size`` prints (default ``archive``).

``SIZEBUDGET_LINKER``
  ``auto`` (default), ``gnu`` or ``lld``: which linker the link options the
  function adds are for (see ``NO_LINK_EVIDENCE``).
#]=======================================================================]

include_guard(GLOBAL)
cmake_policy(PUSH)
cmake_policy(VERSION 3.25)

option(SIZEBUDGET_WARN_ONLY "Report firmware over its size budget without failing the build" OFF)
set(SIZEBUDGET_SIZE_BY archive CACHE STRING
  "Breakdown the <target>-size targets print: region, section, archive, object or symbol")
set_property(CACHE SIZEBUDGET_SIZE_BY PROPERTY STRINGS region section archive object symbol)
set(SIZEBUDGET_LINKER auto CACHE STRING
  "The linker firmware_size_budget() adds link options for: auto, gnu or lld")
set_property(CACHE SIZEBUDGET_LINKER PROPERTY STRINGS auto gnu lld)

# Whether `target` links with ld.lld: -fuse-ld=lld (or an ld.lld path) in its link options, its
# directory's, or the linker flags; SIZEBUDGET_LINKER decides where they do not tell.
function(_sizebudget_links_with_lld out target)
  if(SIZEBUDGET_LINKER STREQUAL "lld")
    set(${out} TRUE PARENT_SCOPE)
    return()
  elseif(SIZEBUDGET_LINKER STREQUAL "gnu")
    set(${out} FALSE PARENT_SCOPE)
    return()
  endif()
  get_target_property(target_options "${target}" LINK_OPTIONS)
  get_target_property(source_dir "${target}" SOURCE_DIR)
  get_directory_property(dir_options DIRECTORY "${source_dir}" LINK_OPTIONS)
  set(all "${target_options};${dir_options};${CMAKE_EXE_LINKER_FLAGS};${CMAKE_LINKER}")
  if(all MATCHES "fuse-ld=lld|ld\\.lld")
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

# Makes `path` absolute against `base`, leaving paths that start with a generator
# expression alone.
function(_sizebudget_absolute out path base)
  if(path MATCHES "^\\$<" OR IS_ABSOLUTE "${path}")
    set(${out} "${path}" PARENT_SCOPE)
  else()
    cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${base}" NORMALIZE OUTPUT_VARIABLE abs)
    set(${out} "${abs}" PARENT_SCOPE)
  endif()
endfunction()

# For multi-config generators: <dir>/$<CONFIG>/<name> unless `path` already depends on the
# configuration.
function(_sizebudget_per_config out path)
  get_property(multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  if(multi AND NOT path MATCHES "\\$<CONFIG")
    cmake_path(GET path PARENT_PATH dir)
    cmake_path(GET path FILENAME name)
    set(path "${dir}/$<CONFIG>/${name}")
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

# Hooks the check of `check_target` onto `targets`; called at once or deferred to the end of
# the top-level directory for targets not defined yet.
function(_sizebudget_require check_target)
  foreach(t IN LISTS ARGN)
    if(NOT TARGET "${t}")
      message(FATAL_ERROR
        "firmware_size_budget: REQUIRED_BY names '${t}', which is not a target")
    endif()
    add_dependencies("${t}" "${check_target}")
  endforeach()
endfunction()

function(firmware_size_budget target)
  cmake_parse_arguments(PARSE_ARGV 1 arg
    "ELF_CHECK;WARN_ONLY;NO_LINK_EVIDENCE" "BUDGET;MAP;LINKER_SCRIPT;REPORT;FORMAT;BASELINE" "REQUIRED_BY")
  set(fn "firmware_size_budget(${target})")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${fn}: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "${fn}: ${arg_KEYWORDS_MISSING_VALUES} needs a value")
  endif()
  if(NOT TARGET "${target}")
    message(FATAL_ERROR "${fn}: '${target}' is not a target (define it before this call)")
  endif()
  get_target_property(aliased "${target}" ALIASED_TARGET)
  if(aliased)
    set(target "${aliased}")
  endif()
  get_target_property(type "${target}" TYPE)
  get_target_property(imported "${target}" IMPORTED)
  if(NOT type STREQUAL "EXECUTABLE" OR imported)
    message(FATAL_ERROR "${fn}: '${target}' must be an executable built by this project")
  endif()
  get_property(checked TARGET "${target}" PROPERTY SIZEBUDGET_BUDGET SET)
  if(checked)
    message(FATAL_ERROR "${fn}: the target already has a size budget")
  endif()
  if(NOT arg_BUDGET)
    message(FATAL_ERROR "${fn}: BUDGET <file> is required")
  endif()
  if(DEFINED arg_FORMAT AND NOT DEFINED arg_REPORT)
    message(FATAL_ERROR "${fn}: FORMAT applies to REPORT, which is not given")
  endif()
  if(NOT DEFINED arg_FORMAT)
    set(arg_FORMAT text)
  endif()
  if(NOT arg_FORMAT MATCHES "^(text|json|markdown|junit|github|html)$")
    message(FATAL_ERROR
      "${fn}: FORMAT must be text, json, markdown, junit, github or html, not '${arg_FORMAT}'")
  endif()
  if(NOT TARGET SizeBudget::sizebudget)
    message(FATAL_ERROR "${fn}: the target SizeBudget::sizebudget does not exist: call "
      "find_package(SizeBudget 1.0 REQUIRED NO_CMAKE_FIND_ROOT_PATH) first, or add the "
      "sizebudget source tree with add_subdirectory()/FetchContent")
  endif()
  if(NOT SIZEBUDGET_SIZE_BY MATCHES "^(region|section|archive|object|symbol)$")
    message(FATAL_ERROR "SIZEBUDGET_SIZE_BY must be region, section, archive, object or "
      "symbol, not '${SIZEBUDGET_SIZE_BY}'")
  endif()

  # Inputs resolve against the calling source directory, outputs against its binary directory.
  _sizebudget_absolute(budget "${arg_BUDGET}" "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT budget MATCHES "\\$<" AND NOT EXISTS "${budget}")
    message(FATAL_ERROR "${fn}: the budget file ${budget} does not exist")
  endif()
  set(linker_script "")
  if(DEFINED arg_LINKER_SCRIPT)
    _sizebudget_absolute(linker_script "${arg_LINKER_SCRIPT}" "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  set(why_extract "")
  if(DEFINED arg_MAP)
    _sizebudget_absolute(map "${arg_MAP}" "${CMAKE_CURRENT_BINARY_DIR}")
    get_property(multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
    if(multi AND NOT map MATCHES "\\$<")
      message(AUTHOR_WARNING "${fn}: MAP ${map} is the same for every configuration of this "
        "multi-config generator; put $<CONFIG> in it to keep the configurations apart")
    endif()
  else()
    # Absolute, next to the ELF: TARGET_FILE_DIR is per configuration where that applies.
    set(map "$<TARGET_FILE_DIR:${target}>/${target}.map")
    target_link_options("${target}" PRIVATE "LINKER:-Map=${map}")
    if(NOT arg_NO_LINK_EVIDENCE)
      # What `why` and retained sizes rest on: every reference between files, which both
      # linkers print into the map, and from lld why it extracted each archive member.
      target_link_options("${target}" PRIVATE "LINKER:--cref")
      _sizebudget_links_with_lld(lld "${target}")
      if(lld)
        set(why_extract "$<TARGET_FILE_DIR:${target}>/${target}.why-extract.txt")
        target_link_options("${target}" PRIVATE "LINKER:--why-extract=${why_extract}")
      endif()
    endif()
  endif()
  set(report "")
  if(DEFINED arg_REPORT)
    _sizebudget_absolute(report "${arg_REPORT}" "${CMAKE_CURRENT_BINARY_DIR}")
    _sizebudget_per_config(report "${report}")
  endif()
  # The baseline: an input (committed with the sources), so it may not exist yet. Ninja and Make
  # refuse to build when a DEPENDS file is missing and nothing makes it, so a missing baseline is
  # not a dependency of the check (the check fails, naming <target>-size-baseline, and a failed
  # check runs again on the next build anyway). Instead a sentinel file in the binary directory
  # is a configure dependency: the build step that finds the baseline created touches it, CMake
  # runs again and adds the baseline to DEPENDS, so later changes to it re-run the check.
  set(baseline "")
  set(baseline_depends "")
  set(baseline_sentinel "")
  if(DEFINED arg_BASELINE)
    _sizebudget_absolute(baseline "${arg_BASELINE}" "${CMAKE_CURRENT_SOURCE_DIR}")
    string(REPLACE "$<CONFIG>" "" no_config "${baseline}")
    if(no_config MATCHES "\\$<")
      message(FATAL_ERROR "${fn}: BASELINE may contain $<CONFIG>, no other generator expression: "
        "${arg_BASELINE}")
    endif()
    set(configs "")
    if(baseline MATCHES "\\$<CONFIG>")
      get_property(multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
      if(multi)
        set(configs ${CMAKE_CONFIGURATION_TYPES})
      else()
        set(configs "${CMAKE_BUILD_TYPE}")
      endif()
    endif()
    set(present "")
    set(missing FALSE)
    if(NOT configs)
      if(EXISTS "${baseline}")
        list(APPEND baseline_depends "${baseline}")
      else()
        set(missing TRUE)
      endif()
    endif()
    foreach(config IN LISTS configs)
      string(REPLACE "$<CONFIG>" "${config}" file "${baseline}")
      if(EXISTS "${file}")
        list(APPEND present "${config}")
      else()
        set(missing TRUE)
      endif()
    endforeach()
    if(present)
      list(JOIN present "," present)
      list(APPEND baseline_depends "$<$<CONFIG:${present}>:${baseline}>")
    endif()
    set(sentinel "${CMAKE_CURRENT_BINARY_DIR}/sizebudget/${target}.baseline-missing")
    if(missing)
      set(baseline_sentinel "${sentinel}")
      file(MAKE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/sizebudget")
      file(TOUCH "${sentinel}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${sentinel}")
    else()
      file(REMOVE "${sentinel}")
    endif()
  endif()
  set(warn_only OFF)
  if(arg_WARN_ONLY OR SIZEBUDGET_WARN_ONLY)
    set(warn_only ON)
  endif()
  set(elf "")
  if(arg_ELF_CHECK)
    set(elf "$<TARGET_FILE:${target}>")
  endif()

  _sizebudget_per_config(dir "${CMAKE_CURRENT_BINARY_DIR}/sizebudget/${target}")
  get_property(multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  set(config_arg "")
  if(multi)
    set(config_arg " --config $<CONFIG>")  # for the messages that say what to build
  endif()
  set(stamp "${dir}/${target}.stamp")
  set(settings "${dir}/${target}.settings.cmake")
  set(scripts "${CMAKE_CURRENT_FUNCTION_LIST_DIR}")

  # Everything the check needs, per configuration. file(GENERATE) rewrites the file only when
  # its content changes, and the check depends on it: changing an option re-runs the check with
  # every generator (Ninja would notice the changed command line, Make would not).
  set(content "# Generated by firmware_size_budget(${target}); read by SizeBudgetCheck.cmake\n")
  foreach(pair IN ITEMS
      "TARGET=${target}" "OUTPUT=$<TARGET_FILE:${target}>"
      "TOOL=$<TARGET_FILE:SizeBudget::sizebudget>" "MAP=${map}"
      "BUDGET=${budget}" "ELF=${elf}" "LINKER_SCRIPT=${linker_script}" "WHY_EXTRACT=${why_extract}"
      "REPORT=${report}"
      "FORMAT=${arg_FORMAT}" "WARN_ONLY=${warn_only}" "STAMP=${stamp}"
      "BASELINE=${baseline}" "BINARY_DIR=${CMAKE_BINARY_DIR}" "CONFIG_ARG=${config_arg}"
      "BASELINE_SENTINEL=${baseline_sentinel}"
      "RESULT=${dir}/${target}.check.json" "SIZE_BY=${SIZEBUDGET_SIZE_BY}")
    string(FIND "${pair}" "=" eq)
    string(SUBSTRING "${pair}" 0 ${eq} name)
    math(EXPR eq "${eq} + 1")
    string(SUBSTRING "${pair}" ${eq} -1 value)
    string(APPEND content "set(SIZEBUDGET_${name} [==[${value}]==])\n")
  endforeach()
  file(GENERATE OUTPUT "${settings}" CONTENT "${content}")

  # The tool: a target of this build (add_subdirectory), an imported executable built by
  # ExternalProject (cross-compiled parent project), or an installed one (find_package).
  set(tool_depends "$<TARGET_FILE:SizeBudget::sizebudget>")
  set(tool_target "")
  get_target_property(tool_aliased SizeBudget::sizebudget ALIASED_TARGET)
  if(tool_aliased)
    set(tool_target "${tool_aliased}")
  else()
    get_target_property(tool_target SizeBudget::sizebudget SIZEBUDGET_BUILD_TARGET)
    if(NOT tool_target)
      set(tool_target "")
    endif()
  endif()
  list(APPEND tool_depends ${tool_target})

  set(outputs "${stamp}")
  if(report)
    list(APPEND outputs "${report}")
  endif()
  # Not POST_BUILD: a custom command whose output is written only when the check passes, that
  # depends on the firmware, the budget, the settings and the tool.
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND "${CMAKE_COMMAND}" "-DSIZEBUDGET_SETTINGS=${settings}"
            -P "${scripts}/SizeBudgetCheck.cmake"
    DEPENDS "${target}" "${budget}" "${settings}" "${scripts}/SizeBudgetCheck.cmake"
            ${linker_script} ${baseline_depends} ${tool_depends}
    COMMENT "Checking size budget of ${target}"
    VERBATIM)
  add_custom_target("${target}-size-budget" ALL DEPENDS ${outputs})

  add_custom_target("${target}-size"
    COMMAND "${CMAKE_COMMAND}" "-DSIZEBUDGET_SETTINGS=${settings}" -DSIZEBUDGET_MODE=size
            -P "${scripts}/SizeBudgetCheck.cmake"
    COMMENT "Size report of ${target}"
    USES_TERMINAL
    VERBATIM)
  add_dependencies("${target}-size" "${target}")
  if(tool_target)
    add_dependencies("${target}-size" "${tool_target}")
    # The linker launcher below runs the tool when a link overflows: have it ready by then.
    add_dependencies("${target}" "${tool_target}")
  endif()

  if(baseline)
    # Accepts the current size as the new reference: a fresh snapshot, whatever the growth
    # budgets say (see the documentation above).
    add_custom_target("${target}-size-baseline"
      COMMAND "${CMAKE_COMMAND}" "-DSIZEBUDGET_SETTINGS=${settings}" -DSIZEBUDGET_MODE=baseline
              -P "${scripts}/SizeBudgetCheck.cmake"
      COMMENT "Writing the size baseline of ${target}"
      VERBATIM)
    add_dependencies("${target}-size-baseline" "${target}")
    if(tool_target)
      add_dependencies("${target}-size-baseline" "${tool_target}")
    endif()
  endif()

  # A link that fails with "region `X' overflowed" still writes the map: `sizebudget link`
  # runs the link and then prints its breakdown. A launcher cannot name the tool by a generator
  # expression before CMake 3.27; an imported tool (installed, a build tree's package, the host
  # build) has its path now. An existing launcher is kept and runs the link.
  set(launcher_tool "")
  get_target_property(tool_imported SizeBudget::sizebudget IMPORTED)
  if(tool_imported)
    get_target_property(launcher_tool SizeBudget::sizebudget LOCATION)
  elseif(CMAKE_VERSION VERSION_GREATER_EQUAL 3.27)
    set(launcher_tool "$<TARGET_FILE:SizeBudget::sizebudget>")
  endif()
  if(launcher_tool)
    set(launcher_args --target "${target}")
    if(linker_script)
      list(APPEND launcher_args --linker-script "${linker_script}")
    endif()
    foreach(lang IN ITEMS C CXX)
      get_target_property(previous "${target}" ${lang}_LINKER_LAUNCHER)
      if(NOT previous)
        set(previous "")
      endif()
      set_property(TARGET "${target}" PROPERTY ${lang}_LINKER_LAUNCHER
        "${launcher_tool}" link ${launcher_args} -- ${previous})
    endforeach()
  endif()

  set_target_properties("${target}" PROPERTIES
    SIZEBUDGET_BUDGET "${budget}"
    SIZEBUDGET_MAP "${map}"
    SIZEBUDGET_STAMP "${stamp}")

  if(arg_REQUIRED_BY)
    set(now "")
    set(later "")
    foreach(t IN LISTS arg_REQUIRED_BY)
      if(TARGET "${t}")
        list(APPEND now "${t}")
      else()
        list(APPEND later "${t}")
      endif()
    endforeach()
    _sizebudget_require("${target}-size-budget" ${now})
    if(later)
      cmake_language(EVAL CODE "
        cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]]
          CALL _sizebudget_require [[${target}-size-budget]] ${later})")
    endif()
  endif()
endfunction()

cmake_policy(POP)

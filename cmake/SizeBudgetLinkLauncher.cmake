# Linker launcher of firmware_size_budget() (SizeBudget.cmake), set as <LANG>_LINKER_LAUNCHER:
#   cmake -DSIZEBUDGET_SETTINGS=<target>.settings.cmake -P SizeBudgetLinkLauncher.cmake -- <link command>
#
# Runs the link command as it is, its output passed through. When the link fails because a memory
# region overflowed ("region `FLASH' overflowed by 24 bytes", "will not fit in region"), GNU ld
# and lld still write the map: sizebudget's breakdown of it follows the linker's error, so the
# overflowing region's contents are on screen, not only the linker's one line.
cmake_minimum_required(VERSION 3.25)

set(command "")
set(seen_separator FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(seen_separator)
    # Keep a `;` inside one argument (a -D value, say) from splitting it.
    string(REPLACE ";" "\\;" arg "${CMAKE_ARGV${i}}")
    list(APPEND command "${arg}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(seen_separator TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "SizeBudgetLinkLauncher.cmake: no link command after --")
endif()

# Multi-config generators: a launcher cannot contain $<CONFIG>, so the settings path arrives with
# it unexpanded. The configuration's settings file is the one whose ELF this command writes (-o).
if(SIZEBUDGET_SETTINGS MATCHES "\\$<CONFIG>")
  set(output "")
  set(previous "")
  foreach(arg IN LISTS command)
    if(previous STREQUAL "-o")
      set(output "${arg}")
    endif()
    set(previous "${arg}")
  endforeach()
  cmake_path(ABSOLUTE_PATH output NORMALIZE)
  string(REPLACE "$<CONFIG>" "*" pattern "${SIZEBUDGET_SETTINGS}")
  file(GLOB candidates "${pattern}")
  set(settings "")
  foreach(candidate IN LISTS candidates)
    set(SIZEBUDGET_OUTPUT "")
    include("${candidate}")
    cmake_path(NORMAL_PATH SIZEBUDGET_OUTPUT)
    if(SIZEBUDGET_OUTPUT STREQUAL output)
      set(settings "${candidate}")
      break()
    endif()
  endforeach()
  if(NOT settings)
    # Not found: link without the breakdown.
    execute_process(COMMAND ${command} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "linking ${output} failed (exit status ${rc})")
    endif()
    return()
  endif()
  set(SIZEBUDGET_SETTINGS "${settings}")
endif()
include("${SIZEBUDGET_SETTINGS}")

# A map left from an earlier link must not pass for this link's.
if(SIZEBUDGET_MAP)
  file(REMOVE "${SIZEBUDGET_MAP}")
endif()

execute_process(COMMAND ${command}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out ECHO_OUTPUT_VARIABLE
  ERROR_VARIABLE err ECHO_ERROR_VARIABLE)
if(rc EQUAL 0)
  return()
endif()

string(REGEX MATCHALL "region `?'?[A-Za-z0-9_.$-]+'? overflowed|will not fit in region `?'?[A-Za-z0-9_.$-]+"
  overflows "${out}\n${err}")
if(overflows)
  set(regions "")
  foreach(o IN LISTS overflows)
    string(REGEX REPLACE "^(region|will not fit in region) `?'?([A-Za-z0-9_.$-]+).*$" "\\2" r "${o}")
    list(APPEND regions "${r}")
  endforeach()
  list(REMOVE_DUPLICATES regions)
  list(JOIN regions ", " regions)
  if(NOT EXISTS "${SIZEBUDGET_MAP}")
    message(NOTICE "sizebudget: ${SIZEBUDGET_TARGET}: region ${regions} overflowed, but the "
      "linker wrote no map (${SIZEBUDGET_MAP}) to break it down")
  elseif(NOT EXISTS "${SIZEBUDGET_TOOL}")
    message(NOTICE "sizebudget: ${SIZEBUDGET_TARGET}: region ${regions} overflowed; "
      "${SIZEBUDGET_TOOL} is not built yet to break the map down")
  else()
    set(read_args "")
    if(SIZEBUDGET_LINKER_SCRIPT)
      list(APPEND read_args --linker-script "${SIZEBUDGET_LINKER_SCRIPT}")
    endif()
    message(NOTICE "\nsizebudget: ${SIZEBUDGET_TARGET}: region ${regions} overflowed; "
      "what the linker placed (${SIZEBUDGET_MAP}):\n")
    execute_process(COMMAND "${SIZEBUDGET_TOOL}" report "${SIZEBUDGET_MAP}" ${read_args}
      --by object --top 20)
    message(NOTICE "")
    execute_process(COMMAND "${SIZEBUDGET_TOOL}" report "${SIZEBUDGET_MAP}" ${read_args}
      --by symbol --top 10 OUTPUT_VARIABLE symbols)
    # Only the symbol table: the region table was printed just above.
    string(FIND "${symbols}" "\nSymbol" at)
    if(at GREATER_EQUAL 0)
      math(EXPR at "${at} + 1")
      string(SUBSTRING "${symbols}" ${at} -1 symbols)
    endif()
    string(REGEX REPLACE "\n+$" "" symbols "${symbols}")
    message(NOTICE "${symbols}")
  endif()
endif()
# The linker's own error is the last thing to read. CMake 3.29 can end a script quietly; older
# ones can only end it with an error message of their own, which says the link failed.
if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.29)
  cmake_language(EXIT ${rc})
endif()
message(FATAL_ERROR "linking ${SIZEBUDGET_TARGET} failed (exit status ${rc}): the linker's error is above")

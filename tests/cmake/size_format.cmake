# cmake -P size_format.cmake: the one-line summary of firmware_size_budget() writes sizes as the
# tool does (check_messages.cpp short_size(): three significant digits, trailing zeros dropped).
# Each pair is bytes and what `sizebudget` prints for them.
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/SizeBudgetSizeText.cmake)
set(cases
  1000 "1000 B"   1024 "1 KiB"   1536 "1.5 KiB"   4096 "4 KiB"   14970 "14.6 KiB"   14976 "14.6 KiB"
  10234 "9.99 KiB"   10230 "9.99 KiB"   10235 "10 KiB"   102400 "100 KiB"   102450 "100 KiB"
  1048576 "1 MiB"   15000000 "14.3 MiB"   1073741824 "1 GiB")
list(LENGTH cases n)
math(EXPR last "${n} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET cases ${i} bytes)
  list(GET cases ${j} want)
  _sb_size(got ${bytes})
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "${bytes} bytes: the summary writes '${got}', sizebudget writes '${want}'")
  endif()
endforeach()
message("ok")

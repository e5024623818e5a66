# The firmware targets; included from the top directory or from fw/ (FW_IN_SUBDIR).
set(top ${PROJECT_SOURCE_DIR})
add_library(drivers STATIC ${top}/drivers/uart.c)
add_executable(app ${top}/app/main.c ${top}/app/startup.c)
target_link_libraries(app PRIVATE drivers)
add_executable(boot ${top}/boot/main.c ${top}/app/startup.c)
# Debug builds carry a trace buffer: each configuration has its own size (multi-config test).
target_compile_definitions(app PRIVATE $<$<CONFIG:Debug>:DEBUG_TRACE>)

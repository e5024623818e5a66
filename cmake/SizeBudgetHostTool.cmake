# Included by sizebudget's top-level CMakeLists.txt when the tree is added to another project
# (add_subdirectory/FetchContent) that is cross-compiled, or when SIZEBUDGET_EXECUTABLE is set.
# sizebudget runs on the build machine, so it must not be built with the parent's cross
# compiler: it is built for the host by ExternalProject (a separate CMake build of this same
# source tree, with the host's compiler), or an existing executable is used. Either way the
# result is the global imported executable SizeBudget::sizebudget that firmware_size_budget()
# runs.
#
#   SIZEBUDGET_EXECUTABLE         an existing sizebudget to use instead of building one
#   SIZEBUDGET_HOST_CXX_COMPILER  the host C++ compiler (default: CMake's choice for the host)
#   SIZEBUDGET_HOST_BUILD_TYPE    CMAKE_BUILD_TYPE of the host build (default Release)
#   SIZEBUDGET_HOST_BUILD_ALWAYS  re-run the host build on every build, to pick up edits of
#                                 sizebudget's sources (default OFF: a no-op build stays a no-op)
set(SIZEBUDGET_EXECUTABLE "" CACHE FILEPATH "An existing sizebudget executable to use instead of building one")
set(SIZEBUDGET_HOST_CXX_COMPILER "" CACHE FILEPATH "C++ compiler for building sizebudget for the host")
set(SIZEBUDGET_HOST_BUILD_TYPE Release CACHE STRING "CMAKE_BUILD_TYPE of the host build of sizebudget")
option(SIZEBUDGET_HOST_BUILD_ALWAYS "Re-run the host build of sizebudget on every build" OFF)

if(TARGET SizeBudget::sizebudget)
  return()
endif()
add_executable(SizeBudget::sizebudget IMPORTED GLOBAL)

if(SIZEBUDGET_EXECUTABLE)
  set_target_properties(SizeBudget::sizebudget PROPERTIES IMPORTED_LOCATION "${SIZEBUDGET_EXECUTABLE}")
  return()
endif()

include(ExternalProject)
set(_sizebudget_host_prefix "${CMAKE_CURRENT_BINARY_DIR}/host")
set(_sizebudget_host_exe "${_sizebudget_host_prefix}/bin/sizebudget")
if(CMAKE_HOST_WIN32)
  string(APPEND _sizebudget_host_exe .exe)
endif()
set(_sizebudget_host_args
  -DCMAKE_BUILD_TYPE=${SIZEBUDGET_HOST_BUILD_TYPE}
  -DCMAKE_INSTALL_PREFIX=<INSTALL_DIR>
  -DCMAKE_INSTALL_BINDIR=bin
  -DSIZEBUDGET_BUILD_TESTS=OFF
  -DSIZEBUDGET_BUILD_BENCH=OFF
  -DSIZEBUDGET_FUZZ=OFF)
if(SIZEBUDGET_HOST_CXX_COMPILER)
  list(APPEND _sizebudget_host_args -DCMAKE_CXX_COMPILER=${SIZEBUDGET_HOST_CXX_COMPILER})
endif()
# One host build whatever the parent's configurations: a single-config generator. Under Make
# the sub-make shares the parent's job server.
if(CMAKE_GENERATOR MATCHES "Make")
  set(_sizebudget_host_generator "${CMAKE_GENERATOR}")
  set(_sizebudget_host_build "$(MAKE)" install)
else()
  set(_sizebudget_host_generator Ninja)
  set(_sizebudget_host_build ${CMAKE_COMMAND} --build <BINARY_DIR> --target install)
endif()
ExternalProject_Add(sizebudget_host
  SOURCE_DIR "${PROJECT_SOURCE_DIR}"
  BINARY_DIR "${CMAKE_CURRENT_BINARY_DIR}/host-build"
  PREFIX "${CMAKE_CURRENT_BINARY_DIR}/host-ep"
  INSTALL_DIR "${_sizebudget_host_prefix}"
  # The parent's environment may name cross compilers in CC/CXX: the host build must not see them.
  CONFIGURE_COMMAND ${CMAKE_COMMAND} -E env --unset=CC --unset=CXX --unset=CFLAGS --unset=CXXFLAGS
                    --unset=LDFLAGS
                    ${CMAKE_COMMAND} -G ${_sizebudget_host_generator} ${_sizebudget_host_args}
                    -S <SOURCE_DIR> -B <BINARY_DIR>
  BUILD_COMMAND ${_sizebudget_host_build}
  INSTALL_COMMAND ""   # the build step installs: its byproduct is the installed executable
  BUILD_ALWAYS ${SIZEBUDGET_HOST_BUILD_ALWAYS}
  # Quiet unless it fails: the output goes to log files under host-ep/.
  LOG_CONFIGURE TRUE
  LOG_BUILD TRUE
  LOG_OUTPUT_ON_FAILURE TRUE
  BUILD_BYPRODUCTS "${_sizebudget_host_exe}")
set_target_properties(SizeBudget::sizebudget PROPERTIES
  IMPORTED_LOCATION "${_sizebudget_host_exe}"
  # firmware_size_budget() makes its steps depend on this target.
  SIZEBUDGET_BUILD_TARGET sizebudget_host)

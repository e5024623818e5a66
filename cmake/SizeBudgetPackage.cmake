# Included by sizebudget's top-level CMakeLists.txt after src/: the target alias
# SizeBudget::sizebudget for projects that add this tree, install rules, and the SizeBudget
# package configuration for the install tree and for the build tree (SizeBudget_DIR=<build dir>
# works without installing).
#
# Installed layout:
#   bin/sizebudget
#   share/cmake/SizeBudget/SizeBudgetConfig.cmake, SizeBudgetConfigVersion.cmake (ARCH_INDEPENDENT),
#     SizeBudgetTargets*.cmake, SizeBudget.cmake (firmware_size_budget()) and its helper scripts,
#     toolchains/*.cmake
# The package is a host tool used by cross builds, so it lives under share/, which find_package
# searches whatever the target architecture (lib/<multiarch>/ would not be).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

add_executable(SizeBudget::sizebudget ALIAS sizebudget)

set(SIZEBUDGET_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/SizeBudget"
  CACHE STRING "Where to install SizeBudget's CMake package files, relative to the prefix")
mark_as_advanced(SIZEBUDGET_INSTALL_CMAKEDIR)

install(TARGETS sizebudget EXPORT SizeBudgetTargets
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(EXPORT SizeBudgetTargets
  NAMESPACE SizeBudget::
  DESTINATION "${SIZEBUDGET_INSTALL_CMAKEDIR}")

set(_sizebudget_module_files
  "${CMAKE_CURRENT_LIST_DIR}/SizeBudget.cmake"
  "${CMAKE_CURRENT_LIST_DIR}/SizeBudgetCheck.cmake"
  "${CMAKE_CURRENT_LIST_DIR}/SizeBudgetSizeText.cmake")

# Install tree.
set(SIZEBUDGET_CONFIG_MODULE_DIR "\${CMAKE_CURRENT_LIST_DIR}")
configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/SizeBudgetConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake-install/SizeBudgetConfig.cmake"
  INSTALL_DESTINATION "${SIZEBUDGET_INSTALL_CMAKEDIR}")
# ARCH_INDEPENDENT: the package holds a host program; without it a 32-bit cross build
# (CMAKE_SIZEOF_VOID_P 4) would reject the package built on a 64-bit host.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/SizeBudgetConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/cmake-install/SizeBudgetConfig.cmake"
  "${PROJECT_BINARY_DIR}/SizeBudgetConfigVersion.cmake"
  ${_sizebudget_module_files}
  DESTINATION "${SIZEBUDGET_INSTALL_CMAKEDIR}")
install(DIRECTORY "${CMAKE_CURRENT_LIST_DIR}/toolchains/"
  DESTINATION "${SIZEBUDGET_INSTALL_CMAKEDIR}/toolchains"
  FILES_MATCHING PATTERN "*.cmake")

# Build tree: the same configuration, using the module from the source tree.
set(SIZEBUDGET_CONFIG_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}")
configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/SizeBudgetConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/SizeBudgetConfig.cmake"
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}"
  INSTALL_PREFIX "${PROJECT_BINARY_DIR}")
export(EXPORT SizeBudgetTargets
  NAMESPACE SizeBudget::
  FILE "${PROJECT_BINARY_DIR}/SizeBudgetTargets.cmake")
unset(_sizebudget_module_files)

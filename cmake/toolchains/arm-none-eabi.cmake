# Toolchain file: bare-metal Arm Cortex-M with Debian's arm-none-eabi-gcc and newlib.
#
#   cmake -S . -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE=<sizebudget>/cmake/toolchains/arm-none-eabi.cmake
#
# Packages are searched only below the target sysroot (CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY), as
# in most real toolchain files. Host tools such as sizebudget are therefore found with
#   find_package(SizeBudget 1.0 REQUIRED NO_CMAKE_FIND_ROOT_PATH)
#
# ARM_NONE_EABI_PREFIX  tool prefix (default: arm-none-eabi-)
# ARM_NONE_EABI_SYSROOT the target's root for find_* (default: /usr/lib/arm-none-eabi)
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

if(NOT DEFINED ARM_NONE_EABI_PREFIX)
  set(ARM_NONE_EABI_PREFIX arm-none-eabi-)
endif()
if(NOT DEFINED ARM_NONE_EABI_SYSROOT)
  set(ARM_NONE_EABI_SYSROOT /usr/lib/arm-none-eabi)
endif()
# try_compile projects re-read this file: hand the settings on to them.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ARM_NONE_EABI_PREFIX ARM_NONE_EABI_SYSROOT)

set(CMAKE_C_COMPILER ${ARM_NONE_EABI_PREFIX}gcc)
set(CMAKE_CXX_COMPILER ${ARM_NONE_EABI_PREFIX}g++)
set(CMAKE_ASM_COMPILER ${ARM_NONE_EABI_PREFIX}gcc)
set(CMAKE_OBJCOPY ${ARM_NONE_EABI_PREFIX}objcopy CACHE FILEPATH "objcopy for the target")
set(CMAKE_SIZE ${ARM_NONE_EABI_PREFIX}size CACHE FILEPATH "size for the target")

# A bare-metal compiler cannot link a test program without a startup file and linker script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)
set(CMAKE_EXECUTABLE_SUFFIX_CXX .elf)
set(CMAKE_EXECUTABLE_SUFFIX_ASM .elf)

set(CMAKE_FIND_ROOT_PATH ${ARM_NONE_EABI_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

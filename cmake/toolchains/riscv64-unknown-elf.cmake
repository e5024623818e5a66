# Toolchain file: bare-metal RISC-V with Debian's riscv64-unknown-elf-gcc and picolibc.
#
#   cmake -S . -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE=<sizebudget>/cmake/toolchains/riscv64-unknown-elf.cmake
#
# The compiler serves RV32 and RV64: the project chooses with -march/-mabi (e.g. rv32imac/ilp32).
# picolibc comes in through --specs=picolibc.specs (headers, libc.a, and by default its crt0 and
# picolibc.ld; a project with its own startup code links with -nostartfiles and -T).
# Packages are searched only below the target sysroot, so host tools are found with
#   find_package(SizeBudget 1.0 REQUIRED NO_CMAKE_FIND_ROOT_PATH)
#
# RISCV_ELF_PREFIX  tool prefix (default: riscv64-unknown-elf-)
# RISCV_ELF_SYSROOT the target's root for find_* (default: /usr/lib/picolibc/riscv64-unknown-elf)
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv)

if(NOT DEFINED RISCV_ELF_PREFIX)
  set(RISCV_ELF_PREFIX riscv64-unknown-elf-)
endif()
if(NOT DEFINED RISCV_ELF_SYSROOT)
  set(RISCV_ELF_SYSROOT /usr/lib/picolibc/riscv64-unknown-elf)
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES RISCV_ELF_PREFIX RISCV_ELF_SYSROOT)

set(CMAKE_C_COMPILER ${RISCV_ELF_PREFIX}gcc)
set(CMAKE_CXX_COMPILER ${RISCV_ELF_PREFIX}g++)
set(CMAKE_ASM_COMPILER ${RISCV_ELF_PREFIX}gcc)
set(CMAKE_OBJCOPY ${RISCV_ELF_PREFIX}objcopy CACHE FILEPATH "objcopy for the target")
set(CMAKE_SIZE ${RISCV_ELF_PREFIX}size CACHE FILEPATH "size for the target")

set(CMAKE_C_FLAGS_INIT "--specs=picolibc.specs")
set(CMAKE_CXX_FLAGS_INIT "--specs=picolibc.specs")
set(CMAKE_ASM_FLAGS_INIT "--specs=picolibc.specs")

set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)
set(CMAKE_EXECUTABLE_SUFFIX_CXX .elf)
set(CMAKE_EXECUTABLE_SUFFIX_ASM .elf)

set(CMAKE_FIND_ROOT_PATH ${RISCV_ELF_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

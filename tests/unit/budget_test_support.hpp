#pragma once
// A hand-built firmware for the budget tests: every size below is known, so every verdict is.
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "sizebudget/budget.hpp"
#include "sizebudget/budget_check.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/totals.hpp"
#include "map_builder.hpp"

namespace sizebudget::test {

// The located message of the error parse_budget() throws for `text` (named b.yaml).
inline std::string error_of(std::string_view text) {
    try {
        parse_budget(text, "b.yaml");
    } catch (const Error& e) {
        return e.located();
    }
    FAIL("no error for: ", text);
    return {};
}

// parse_budget() rejects `text` at `location` ("b.yaml:LINE:COL") with a message containing `message`.
inline void check_error(std::string_view text, std::string_view location, std::string_view message) {
    std::string got = error_of(text);
    INFO("budget:\n", text);
    CHECK_MESSAGE(got.starts_with(std::string(location) + ": "), got);
    CHECK_MESSAGE(got.find(message) != std::string::npos, got);
}

// FLASH 64 KiB at 0x08000000, RAM 8 KiB at 0x20000000.
//   .text  (FLASH)       obj/app/main.o 1024 (main 768, helper 256), obj/drivers/uart.o 512,
//                        libc_nano.a(lib_a-printf.o) 2048 (printf; _printf_float at its end,
//                        size 0), libc_nano.a(lib_a-memcpy.o) 256, libmbedcrypto.a(aes.o) 4096,
//                        libmbedtls.a(ssl.o) 1536, _ZN3app4Task3runEv in main.o's second input 128
//   .data  (RAM, load image in FLASH)  main.o 64, aes.o 32
//   .bss   (RAM)         uart.o 256, lib_a-printf.o 16
// FLASH used: 0x2680 (text 9600) + 96 (.data image) = 9696; RAM used: 96 + 272 = 368.
inline LinkMap sample_firmware() {
    MapBuilder b;
    b.region("FLASH", 0x08000000, 64 * 1024);
    b.region("RAM", 0x20000000, 8 * 1024);
    auto main_o = b.object("obj/app/main.o");
    auto uart_o = b.object("obj/drivers/uart.o");
    auto printf_o = b.object("/x/libc_nano.a(lib_a-printf.o)", "/x/libc_nano.a", "lib_a-printf.o");
    auto memcpy_o = b.object("/x/libc_nano.a(lib_a-memcpy.o)", "/x/libc_nano.a", "lib_a-memcpy.o");
    auto aes_o = b.object("/y/libmbedcrypto.a(aes.o)", "/y/libmbedcrypto.a", "aes.o");
    auto ssl_o = b.object("/y/libmbedtls.a(ssl.o)", "/y/libmbedtls.a", "ssl.o");

    b.section(".text", 0x08000000, 9600);
    b.append(".text.main", 1024, main_o);
    b.symbol_in_last("main");
    b.symbol_in_last("helper", 768);
    b.append(".text.uart", 512, uart_o);
    b.symbol_in_last("uart_init");
    b.append(".text.printf", 2048, printf_o);
    b.symbol_in_last("printf");
    b.symbol_in_last("_printf_float", 2048);  // at the end: linked, but of size 0
    b.append(".text.memcpy", 256, memcpy_o);
    b.symbol_in_last("memcpy");
    b.append(".text.aes", 4096, aes_o);
    b.symbol_in_last("aes_encrypt");
    b.append(".text.ssl", 1536, ssl_o);
    b.symbol_in_last("ssl_read");
    b.append(".text._ZN3app4Task3runEv", 128, main_o);
    b.symbol_in_last("_ZN3app4Task3runEv");

    b.section(".data", 0x20000000, 96, 0x08000000 + 9600);
    b.append(".data.main", 64, main_o);
    b.symbol_in_last("counter");
    b.append(".data.aes", 32, aes_o);
    b.symbol_in_last("sbox");

    b.section(".bss", 0x20000060, 272);
    b.append(".bss.uart", 256, uart_o);
    b.symbol_in_last("rx_buffer");
    b.append(".bss.printf", 16, printf_o);
    b.symbol_in_last("pf_state");

    finish_map(b.map);
    b.map.source = "fw.map";
    return b.map;
}

inline CheckResult check_text(std::string_view budget_text, const LinkMap& map = sample_firmware()) {
    BudgetFile budget = parse_budget(budget_text, "b.yaml");
    return check_budget(budget, map, compute_totals(map));
}

inline const Verdict* find_verdict(const CheckResult& r, std::string_view item, std::string_view region = {}) {
    for (const Verdict& v : r.verdicts)
        if (v.item == item && v.region == region) return &v;
    return nullptr;
}

}  // namespace sizebudget::test

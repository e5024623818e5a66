#pragma once
// A hand-built firmware for the budget tests: every size below is known, so every verdict is.
#include <string>
#include <string_view>

#include "sizebudget/budget.hpp"
#include "sizebudget/budget_check.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget::test {

class FirmwareBuilder {
public:
    LinkMap map;

    std::uint32_t object(std::string_view path, std::string_view archive = {}, std::string_view member = {}) {
        map.objects.push_back({map.intern(path), map.intern(archive), map.intern(member.empty() ? path : member)});
        return static_cast<std::uint32_t>(map.objects.size() - 1);
    }
    void region(std::string_view name, Address origin, std::uint64_t length) {
        map.regions.push_back({map.intern(name), origin, length, {}});
    }
    void section(std::string_view name, Address addr, std::uint64_t size, Address lma = ~Address{0}) {
        OutputSection s;
        s.name = map.intern(name);
        s.address = addr;
        s.load_address = lma == ~Address{0} ? addr : lma;
        s.size = size;
        s.first_input = static_cast<std::uint32_t>(map.inputs.size());
        map.sections.push_back(s);
        cursor_ = addr;
    }
    // Appends an input section at the current end of the last output section.
    void input(std::string_view name, std::uint64_t size, std::uint32_t obj) {
        InputSection in;
        in.name = map.intern(name);
        in.address = cursor_;
        in.size = size;
        in.object = obj;
        in.first_symbol = static_cast<std::uint32_t>(map.symbols.size());
        map.inputs.push_back(in);
        map.sections.back().input_count++;
        cursor_ += size;
    }
    // A symbol at `offset` into the last input section.
    void symbol(std::string_view name, std::uint64_t offset = 0) {
        map.symbols.push_back({map.intern(name), map.inputs.back().address + offset, 0, false, npos32});
        map.inputs.back().symbol_count++;
    }

private:
    Address cursor_ = 0;
};

// FLASH 64 KiB at 0x08000000, RAM 8 KiB at 0x20000000.
//   .text  (FLASH)       obj/app/main.o 1024 (main 768, helper 256), obj/drivers/uart.o 512,
//                        libc_nano.a(lib_a-printf.o) 2048 (printf; _printf_float at its end,
//                        size 0), libc_nano.a(lib_a-memcpy.o) 256, libmbedcrypto.a(aes.o) 4096,
//                        libmbedtls.a(ssl.o) 1536, _ZN3app4Task3runEv in main.o's second input 128
//   .data  (RAM, load image in FLASH)  main.o 64, aes.o 32
//   .bss   (RAM)         uart.o 256, lib_a-printf.o 16
// FLASH used: 0x2680 (text 9600) + 96 (.data image) = 9696; RAM used: 96 + 272 = 368.
inline LinkMap sample_firmware() {
    FirmwareBuilder b;
    b.region("FLASH", 0x08000000, 64 * 1024);
    b.region("RAM", 0x20000000, 8 * 1024);
    auto main_o = b.object("obj/app/main.o");
    auto uart_o = b.object("obj/drivers/uart.o");
    auto printf_o = b.object("/x/libc_nano.a(lib_a-printf.o)", "/x/libc_nano.a", "lib_a-printf.o");
    auto memcpy_o = b.object("/x/libc_nano.a(lib_a-memcpy.o)", "/x/libc_nano.a", "lib_a-memcpy.o");
    auto aes_o = b.object("/y/libmbedcrypto.a(aes.o)", "/y/libmbedcrypto.a", "aes.o");
    auto ssl_o = b.object("/y/libmbedtls.a(ssl.o)", "/y/libmbedtls.a", "ssl.o");

    b.section(".text", 0x08000000, 9600);
    b.input(".text.main", 1024, main_o);
    b.symbol("main");
    b.symbol("helper", 768);
    b.input(".text.uart", 512, uart_o);
    b.symbol("uart_init");
    b.input(".text.printf", 2048, printf_o);
    b.symbol("printf");
    b.symbol("_printf_float", 2048);  // at the end: linked, but of size 0
    b.input(".text.memcpy", 256, memcpy_o);
    b.symbol("memcpy");
    b.input(".text.aes", 4096, aes_o);
    b.symbol("aes_encrypt");
    b.input(".text.ssl", 1536, ssl_o);
    b.symbol("ssl_read");
    b.input(".text._ZN3app4Task3runEv", 128, main_o);
    b.symbol("_ZN3app4Task3runEv");

    b.section(".data", 0x20000000, 96, 0x08000000 + 9600);
    b.input(".data.main", 64, main_o);
    b.symbol("counter");
    b.input(".data.aes", 32, aes_o);
    b.symbol("sbox");

    b.section(".bss", 0x20000060, 272);
    b.input(".bss.uart", 256, uart_o);
    b.symbol("rx_buffer");
    b.input(".bss.printf", 16, printf_o);
    b.symbol("pf_state");

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

// crate_of_archive(), crate_of_object(), crate_of_symbol(): Rust crates as a level.
#include <doctest/doctest.h>

#include "sizebudget/crates.hpp"

using namespace sizebudget;

TEST_CASE("an rlib or a codegen unit names its crate") {
    CHECK(crate_of_archive("/t/deps/libcore-51ce9d7217edcb4e.rlib") == "core");
    CHECK(crate_of_archive("/s/lib/rustlib/thumbv7em-none-eabihf/lib/libcompiler_builtins.rlib") == "compiler_builtins");
    CHECK(crate_of_archive("libcortex_m_rt-0123456789abcdef.rlib") == "cortex_m_rt");
    CHECK(crate_of_archive("/usr/lib/libc.a").empty());
    CHECK(crate_of_object("/t/libminilog-9eecada41e92f218.rlib", "minilog-9eecada41e92f218.minilog.8fb109b8-cgu.2.rcgu.o") == "minilog");
    CHECK(crate_of_object("", "/t/deps/app-be5a4480e4fc5629.app.778eda84-cgu.0.rcgu.o") == "app");
    CHECK(crate_of_object("", "/t/deps/fw-0d93327dc5511505.1ys7e9re56t3yekn.rcgu.o") == "fw");
    CHECK(crate_of_object("", "CMakeFiles/app.dir/main.c.obj").empty());
    CHECK(crate_of_object("/usr/lib/libc_nano.a", "lib_a-memcpy.o").empty());
}

TEST_CASE("a Rust symbol's crate is the one its path names") {
    CHECK(crate_of_symbol("_ZN4core3fmt5write17h0123456789abcdefE") == "core");
    CHECK(crate_of_symbol("core::fmt::Formatter::pad_integral::h0123456789abcdef") == "core");
    CHECK(crate_of_symbol("core::fmt::num::imp::fmt_u32::h98ddb01b1b227d3b (.llvm.7558492769295564644)") == "core");
    CHECK(crate_of_symbol("_ZN3app4main17h88c7a19cf09f8fb6E") == "app");
    // Implementations: the type's crate, or the trait's where the type names none.
    CHECK(crate_of_symbol("_$LT$minilog..Level$u20$as$u20$core..fmt..Debug$GT$::fmt::h0123456789abcdef") == "minilog");
    CHECK(crate_of_symbol("_$LT$char$u20$as$u20$core..fmt..Debug$GT$::fmt::h0dc361c9b2ea54af") == "core");
    CHECK(crate_of_symbol("_$LT$$RF$T$u20$as$u20$core..fmt..Display$GT$::fmt::h0123456789abcdef") == "core");
    CHECK(crate_of_symbol("_ZN73_$LT$core..panic..panic_info..PanicInfo$u20$as$u20$core..fmt..Display$GT$3fmt17h0123456789abcdefE") == "core");
    CHECK(crate_of_symbol("log::LOGGER::h34c5db80987f6c53 (.1)") == "log");
    CHECK(crate_of_symbol("_ZN3log6LOGGER17h34c5db80987f6c53E.1") == "log");
    CHECK(crate_of_symbol("_ZN4core3fmt5write17h0123456789abcdefE.llvm.42") == "core");
    // v0 names are always Rust.
    CHECK(crate_of_symbol("_RNvCs1234_7mycrate3foo") == "mycrate");
    // Not Rust: C, C++, and Rust's #[no_mangle] functions (their object decides).
    CHECK(crate_of_symbol("memcpy").empty());
    CHECK(crate_of_symbol("_ZN3foo3barEv").empty());
    CHECK(crate_of_symbol("Reset").empty());
    CHECK(crate_of_symbol("_ZN3fooE17h0123").empty());
}

// Identities: the same item of two builds made in different places is the same item.
#include <doctest/doctest.h>

#include "sizebudget/identity.hpp"
#include "sizebudget/string_pool.hpp"
#include "sizebudget/utf8.hpp"
#include "sizebudget/snapshot.hpp"
#include "sizebudget/size_diff.hpp"

using namespace sizebudget;

TEST_CASE("archive and object identities ignore install prefixes, build folders and crate hashes") {
    CHECK(archive_identity("/usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7e-m/nofp/libgcc.a") == "libgcc.a");
    CHECK(archive_identity("C:\\esp\\build\\esp-idf\\main\\libmain.a") == "libmain.a");
    CHECK(archive_identity("/t/deps/libminilog-fe06c2a4b1d3e5f7.rlib") == "libminilog.rlib");
    CHECK(archive_identity("/t/deps/libminilog-notahash.rlib") == "libminilog-notahash.rlib");

    CHECK(object_identity("/opt/tc/lib/libc_nano.a(lib_a-printf.o)") == "libc_nano.a(lib_a-printf.o)");
    CHECK(object_identity("/home/a/fw/build/CMakeFiles/app.dir/src/main.c.obj") == "CMakeFiles/app.dir/src/main.c.obj");
    CHECK(object_identity("/ci/b/CMakeFiles/app.dir/Release/src/main.c.obj") == "CMakeFiles/app.dir/src/main.c.obj");
    CHECK(object_identity("C:\\b\\CMakeFiles\\app.dir\\Debug\\main.c.obj") == "CMakeFiles/app.dir/main.c.obj");
    CHECK(object_identity("obj/cm4/main.o") == "obj/cm4/main.o");
    CHECK(object_identity("./obj/main.o") == "obj/main.o");
    CHECK(object_identity("/home/a/fw/build/main.o") == "main.o");
    // A crate's codegen units, named by hashes that change with the code, are one item.
    CHECK(object_identity("/t/libcore-51ce9d7217edcb4e.rlib(core-51ce9d7217edcb4e.core.bj3w3yzm-cgu.0.rcgu.o)") ==
          "libcore.rlib(core.rcgu.o)");
    CHECK(object_identity("/t/deps/fw-0d93327dc5511505.1ys7e9re56t3yekn.rcgu.o") == "fw.rcgu.o");
}

TEST_CASE("symbol names as people read them") {
    CHECK(readable_symbol_name("core::fmt::write::h0123456789abcdef") == "core::fmt::write");
    CHECK(readable_symbol_name("_ZN4core3fmt5write17h0123456789abcdefE") == "core::fmt::write");
    CHECK(readable_symbol_name("_ZN3foo3barEv.llvm.1234567") == "foo::bar()");
    CHECK(readable_symbol_name("main") == "main");
    CHECK(readable_symbol_name("count.llvm.x") == "count.llvm.x");  // not LLVM's suffix
    // ld.lld's own demangling keeps the hash and puts the LLVM tag in parentheses.
    CHECK(readable_symbol_name("core::fmt::num::imp::fmt_u32::h98ddb01b1b227d3b (.llvm.7558492769295564644)") ==
          "core::fmt::num::imp::fmt_u32");
    CHECK(readable_symbol_name("_ZN4core3fmt5write17h0123456789abcdefE.lto_priv.0") == "core::fmt::write");
    CHECK(readable_symbol_name("core::fmt::write::h0123456789abcdef.lto_priv.3") == "core::fmt::write");
    CHECK(readable_symbol_name("_ZN3foo3barEv.lto_priv.0") == "foo::bar()");
    CHECK(readable_symbol_name("helper.lto_priv.2") == "helper");
    // GCC's other clones are copies of their own.
    CHECK(readable_symbol_name("_ZN3foo3barEv.constprop.0") == "foo::bar() [clone .constprop.0]");
    CHECK(readable_symbol_name(".llvm.12") == ".llvm.12");
}

namespace {

Snapshot two_libmain() {
    Snapshot s;
    Totals& t = s.totals;
    t.regions.push_back({"FLASH", 0, 1024, 30, 30, {}});
    t.archives.push_back({"libmain.a", "/p/components/a/libmain.a", 10, {10}});
    t.archives.push_back({"libmain.a", "/p/components/b/libmain.a", 20, {20}});
    t.objects.push_back({"libmain.a(x.o)", "/p/components/a/libmain.a(x.o)", 10, {10}});
    t.objects.push_back({"libmain.a(x.o)", "/p/components/b/libmain.a(x.o)", 20, {20}});
    t.symbols.push_back({"count", "/p/components/a/libmain.a(x.o)", 10, {10}});
    t.symbols.push_back({"count", "/p/components/b/libmain.a(x.o)", 20, {20}});
    t.has_symbols = true;
    assign_identities(t);
    return s;
}

}  // namespace

TEST_CASE("distinct items that would share an identity keep the folders that tell them apart") {
    Snapshot s = two_libmain();
    const Totals& t = s.totals;
    CHECK(t.archives[0].id == "a/libmain.a");
    CHECK(t.archives[1].id == "b/libmain.a");
    CHECK(t.objects[0].id == "a/libmain.a(x.o)");
    CHECK(t.objects[1].id == "b/libmain.a(x.o)");
    CHECK(t.symbols[0].id == "count (a/libmain.a(x.o))");
    CHECK(t.symbols[1].id == "count (b/libmain.a(x.o))");

    // The same two in another checkout diff as unchanged, and are shown apart.
    Snapshot moved = two_libmain();
    for (std::size_t i = 0; i < moved.totals.archives.size(); ++i) {
        ItemSize a = moved.totals.archives[i];
        a.path = moved.totals.intern("/elsewhere" + std::string(a.path));
        moved.totals.archives.assign(i, a);
    }
    SizeDiff d = diff_snapshots(s, moved);
    REQUIRE(d.archives.size() == 2);
    for (const ItemDelta& a : d.archives) CHECK(a.change == Change::unchanged);
    CHECK(d.archives[0].name != d.archives[1].name);
}

TEST_CASE("Rust names lld prints halfway demangled are decoded") {
    CHECK(readable_symbol_name("_$LT$char$u20$as$u20$core..fmt..Debug$GT$::fmt::h0dc361c9b2ea54af") ==
          "<char as core::fmt::Debug>::fmt");
    CHECK(readable_symbol_name("core::ptr::drop_in_place$LT$$RF$mut$u20$alloc..vec..Vec$LT$u8$GT$$GT$::h0123456789abcdef") ==
          "core::ptr::drop_in_place<&mut alloc::vec::Vec<u8>>");
    CHECK(readable_symbol_name("foo::_$u7b$$u7b$closure$u7d$$u7d$::h0123456789abcdef") == "foo::{{closure}}");
    CHECK(readable_symbol_name("printf") == "printf");
    CHECK(readable_symbol_name("a..b") == "a..b");  // not Rust: no hash, no escape
}

TEST_CASE("names that are not UTF-8 enter the model escaped, once, the same way everywhere") {
    StringPool pool;
    CHECK(pool.intern("uart_\xff\xfewrite") == "uart_%FF%FEwrite");
    CHECK(pool.copy("lib/libdr\xe9vers.a") == "lib/libdr%E9vers.a");
    CHECK(pool.intern("caf\xc3\xa9.c.obj") == "caf\xc3\xa9.c.obj");  // valid UTF-8 stays
    CHECK(pool.intern("\xed\xa0\x80") == "%ED%A0%80");               // a surrogate is not UTF-8
    CHECK(pool.intern("uart_\xff\xfewrite").data() == pool.intern("uart_%FF%FEwrite").data());
    CHECK(is_valid_utf8("plain ascii"));
    CHECK_FALSE(is_valid_utf8("\xc3"));  // truncated
}

TEST_CASE("an object path is keyed by its archive's number and its member name") {
    StringPool pool;
    // One member name in two archives: two keys; the same archive: one number.
    const ScopedName a = pool.path_key("/b/x/liba.a(m.o)"), b = pool.path_key("/b/x/libb.a(m.o)");
    CHECK(a.name == "m.o");
    CHECK(a.scope != b.scope);
    CHECK(pool.path_key("/b/x/liba.a(n.o)").scope == a.scope);
    CHECK(pool.path_key("obj/main.o").scope == 0);
    CHECK(pool.path_key("obj/main.o").name == "obj/main.o");

    CHECK(pool.archive(a.scope) == "/b/x/liba.a");
    CHECK(pool.archive(a.scope).data() == pool.intern("/b/x/liba.a").data());  // interned
    CHECK(pool.path_key("obj/ov(b).o").scope == 0);  // parentheses, but no archive

    // An archive path that is not UTF-8 is stored escaped: one number however often it is seen.
    const ScopedName c = pool.path_key("/b/libdr\xe9v.a(x.o)");
    CHECK(pool.archive(c.scope) == "/b/libdr%E9v.a");
    for (int i = 0; i < 3; ++i) CHECK(pool.path_key("/b/libdr\xe9v.a(y.o)").scope == c.scope);
    CHECK(pool.path_key("/b/x/libd.a(m.o)").scope == c.scope + 1);  // no number taken in between
}

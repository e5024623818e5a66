// Writes large synthetic linker maps for the benchmark, in shapes chosen to find the slow paths of
// a map reader, not to flatter one:
//
//   generate_map SHAPE SIZE_MB OUTPUT
//   generate_map --list
//
// GNU ld shapes get an archive-member table, a discarded-sections list, the memory configuration,
// the memory map (LOAD lines, script echoes, input sections with long names split over two lines,
// symbols, fill, assignments, debug sections) and a cross-reference table, in about the
// proportions ESP-IDF maps have. lld shapes get the VMA/LMA/Size/Align table with mapping
// symbols. The output is deterministic for a given shape and size.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace {

// xorshift: deterministic, fast, good enough to vary names and sizes.
struct Rng {
    std::uint64_t s = 0x9e3779b97f4a7c15ull;
    std::uint64_t next() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
    std::uint64_t below(std::uint64_t n) { return next() % n; }
};

constexpr std::string_view words[] = {"uart", "spi", "i2c", "gpio", "dma", "timer", "adc", "flash",
                                      "crypto", "aes", "sha256", "mbedtls", "lwip", "tcp", "udp",
                                      "wifi", "ble", "gatt", "task", "queue", "heap", "event",
                                      "config", "parse", "write", "read", "init", "deinit", "handler",
                                      "callback", "buffer", "packet"};

std::string ident(Rng& rng, int parts) {
    std::string s;
    for (int i = 0; i < parts; ++i) {
        if (i) s += '_';
        s += words[rng.below(std::size(words))];
    }
    return s;
}

// What varies between shapes.
struct Shape {
    std::string_view name;
    std::string_view what;
    bool lld = false;
    // Object paths as the map writes them, for a map `scale` times the size of a 200 MB one.
    std::function<std::vector<std::string>(Rng&, double scale)> objects;
    int regions = 2;               // memory regions sections are spread over
    int symbols_per_input = 1;     // symbols listed under each input section
    bool one_section = false;      // all code in one output section
    bool esp = false;              // ESP-IDF's reserve-only sections and long script echoes
    bool rust = false;             // Rust names (lld)
};

// How many of `at_200_mb` a map `scale` times that size has. Objects grow with the map like
// everything else in it: with a fixed number, a 10 MB map would have twenty times the objects per
// MB of a 200 MB one, and its time per MB would measure that density, not how reading scales.
// (The many-objects shape is the dense one.)
int scaled(int at_200_mb, double scale) {
    return std::max(1, static_cast<int>(at_200_mb * scale + 0.5));
}

std::vector<std::string> distinct_objects(Rng& rng, double scale) {
    std::vector<std::string> objects;
    for (int i = 0, n = scaled(4000, scale); i < n; ++i) {
        std::string member = fmt::format("{}_{}.c.obj", ident(rng, 2), i);
        if (i % 5 == 0)
            objects.push_back(fmt::format("build/app/CMakeFiles/app.dir/src/{}", member));
        else
            objects.push_back(fmt::format("/home/ci/project/build/esp-idf/{0}/lib{0}.a({1})",
                                          words[i % std::size(words)], member));
    }
    return objects;
}

// The same member names in each of 400 archives, as util.c.obj or main.c.obj repeat in real builds.
std::vector<std::string> archives_of_members(int members) {
    std::vector<std::string> objects;
    for (int archive = 0; archive < 400; ++archive)
        for (int member = 0; member < members; ++member)
            objects.push_back(fmt::format("/home/ci/project/build/esp-idf/comp{0}/libcomp{0}.a(obj{1}.c.obj)",
                                          archive, member));
    return objects;
}
// 20,000 objects in a 200 MB map: about the 100 objects per MB of real ESP-IDF maps.
std::vector<std::string> repeated_member_objects(Rng&, double scale) {
    return archives_of_members(scaled(50, scale));
}
// 2,000 objects per MB (400,000 in a 200 MB map): ten times the density of any map in the corpus,
// so each object's own costs (its path interned, its row, its name) weigh the most.
std::vector<std::string> many_objects(Rng&, double scale) {
    return archives_of_members(scaled(1000, scale));
}

// Paths that share their first 200 characters and differ only at the end.
std::vector<std::string> long_prefix_objects(Rng& rng, double scale) {
    std::string prefix = "/home/runner/work/firmware-monorepo/firmware-monorepo/products/sensor-node/"
                         "variants/revision-c/build/debug-with-assertions/toolchain-xtensa-esp32s3-elf/"
                         "components/third-party/vendor/sdk/components";
    std::vector<std::string> objects;
    for (int i = 0, n = scaled(8000, scale); i < n; ++i)
        objects.push_back(fmt::format("{}/{}/lib{}.a({}_{}.c.obj)", prefix, i % 97, i % 97, ident(rng, 1), i));
    return objects;
}

std::vector<std::string> windows_objects(Rng& rng, double scale) {
    std::vector<std::string> objects;
    for (int i = 0, n = scaled(4000, scale); i < n; ++i) {
        if (i % 5 == 0)
            objects.push_back(fmt::format("C:\\Users\\ci\\esp\\project\\build\\CMakeFiles\\app.dir\\src\\{}_{}.c.obj",
                                          ident(rng, 2), i));
        else
            objects.push_back(fmt::format("C:\\Users\\ci\\esp\\project\\build\\esp-idf\\{0}\\lib{0}.a({1}_{2}.c.obj)",
                                          words[i % std::size(words)], ident(rng, 1), i));
    }
    return objects;
}

// Rust crates as rust-lld names them: rlib members that are codegen units, hashes in every name.
std::vector<std::string> crate_objects(Rng& rng, double scale) {
    std::vector<std::string> objects;
    for (int crate = 0, n = scaled(300, scale); crate < n; ++crate) {
        std::uint64_t hash = rng.next();
        for (int cgu = 0; cgu < 16; ++cgu)
            objects.push_back(fmt::format(
                "/home/ci/fw/target/thumbv7em-none-eabihf/release/deps/lib{0}_{1}-{2:016x}.rlib"
                "({0}_{1}-{2:016x}.{0}_{1}.{3:x}-cgu.{4}.rcgu.o)",
                words[crate % std::size(words)], crate, hash, rng.next() & 0xffffffff, cgu));
    }
    return objects;
}

std::string rust_name(Rng& rng) {
    return fmt::format("_$LT${}..{}..{}$u20$as$u20$core..fmt..Debug$GT$::{}::h{:016x}", words[rng.below(32)],
                       words[rng.below(32)], ident(rng, 2), ident(rng, 1), rng.next());
}

const Shape shapes[] = {
    {"distinct", "member names all distinct (the first benchmark's shape)", false, distinct_objects},
    {"repeated-members", "the same member names in each of 400 archives (50 each at 200 MB)", false,
     repeated_member_objects},
    {"many-objects", "2,000 objects per MB, member names repeated across 400 archives", false, many_objects},
    {"long-prefixes", "8000 objects (at 200 MB) under one 200-character path prefix", false, long_prefix_objects},
    {"windows-paths", "backslash paths with drive letters", false, windows_objects},
    {"esp", "ESP-IDF mix: reserve-only dummy sections, long script echoes, 8 regions", false,
     repeated_member_objects, 8, 1, false, true},
    {"one-section", "one output section of over a million input sections", false, distinct_objects, 2, 1, true},
    {"symbols", "12 symbols per input section (over 2 million symbols)", false, distinct_objects, 2, 12},
    {"regions", "output sections spread over 64 memory regions", false, distinct_objects, 64},
    {"lld-crates", "rust-lld map of 300 crates' (at 200 MB) codegen units with Rust names", true, crate_objects, 2, 1,
     false, false, true},
    {"lld-distinct", "ld.lld map, member names all distinct", true, distinct_objects},
};

class Writer {
public:
    explicit Writer(std::FILE* f) : f_(f) {}
    ~Writer() { flush(); }
    template <typename... T>
    void line(fmt::format_string<T...> format, T&&... args) {
        fmt::format_to(std::back_inserter(buf_), format, std::forward<T>(args)...);
        buf_ += '\n';
        if (buf_.size() > (1 << 20)) flush();
    }
    void flush() {
        written_ += buf_.size();
        std::fwrite(buf_.data(), 1, buf_.size(), f_);
        buf_.clear();
    }
    std::uint64_t written() const { return written_ + buf_.size(); }

private:
    std::FILE* f_;
    std::string buf_;
    std::uint64_t written_ = 0;
};

void section_line(std::string& out, std::string_view name, std::uint64_t addr, std::uint64_t size,
                  std::string_view file) {
    if (name.size() >= 15)
        out += fmt::format(" {}\n                0x{:08x} {:>10} {}\n", name, addr, fmt::format("0x{:x}", size), file);
    else
        out += fmt::format(" {:<15}0x{:08x} {:>10} {}\n", name, addr, fmt::format("0x{:x}", size), file);
}

struct Region {
    std::string name;
    std::uint64_t origin;
    std::uint64_t length;
};

std::vector<Region> regions_of(const Shape& shape) {
    if (shape.esp)
        return {{"iram0_0_seg", 0x40370000, 0x50000}, {"iram0_2_seg", 0x42000020, 0x1ffffe0},
                {"dram0_0_seg", 0x3fc88000, 0x50000}, {"drom0_0_seg", 0x3c000020, 0x1ffffe0},
                {"rtc_iram_seg", 0x600fe000, 0x2000}, {"rtc_data_seg", 0x600fe000, 0x2000},
                {"rtc_slow_seg", 0x50000000, 0x2000}, {"extern_ram_seg", 0x3c000020, 0x1ffffe0}};
    if (shape.regions == 2) return {{"FLASH", 0x08000000, 0x10000000}, {"RAM", 0x20000000, 0x10000000}};
    std::vector<Region> out;
    for (int i = 0; i < shape.regions; ++i)
        out.push_back({fmt::format("BANK{}", i), 0x10000000ull * static_cast<std::uint64_t>(i + 1), 0x10000000});
    return out;
}

void gnu(const Shape& shape, std::FILE* f, std::uint64_t target) {
    Rng rng;
    Writer w(f);
    const auto objects = shape.objects(rng, static_cast<double>(target) / (200 << 20));
    const auto regions = regions_of(shape);

    w.line("Archive member included to satisfy reference by file (symbol)");
    w.line("");
    for (std::size_t i = 1; i < objects.size(); ++i) {
        if (objects[i].find(".a(") == std::string::npos) continue;
        w.line("{}", objects[i]);
        w.line("                              {} ({})", objects[i - 1], ident(rng, 3));
    }
    w.line("");
    w.line("Discarded input sections");
    w.line("");
    // Discarded sections are about a fifth of a real map.
    std::string text;
    while (w.written() < target / 5) {
        text.clear();
        section_line(text, fmt::format(".text.{}", ident(rng, 3)), 0, rng.below(400),
                     objects[rng.below(objects.size())]);
        text.pop_back();
        w.line("{}", text);
    }
    w.line("");
    w.line("Memory Configuration");
    w.line("");
    w.line("Name             Origin             Length             Attributes");
    for (const Region& r : regions) w.line("{:<16} 0x{:016x} 0x{:016x} xrw", r.name, r.origin, r.length);
    w.line("*default*        0x0000000000000000 0xffffffffffffffff");
    w.line("");
    w.line("Linker script and memory map");
    w.line("");
    for (std::size_t i = 0; i < objects.size(); i += 7) w.line("LOAD {}", objects[i]);
    w.line("START GROUP");
    w.line("LOAD /usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7e-m/nofp/libgcc.a");
    w.line("END GROUP");
    w.line("                0x00000400                _Min_Heap_Size = 0x400");
    w.line("");

    std::vector<std::uint64_t> next(regions.size());
    for (std::size_t i = 0; i < regions.size(); ++i) next[i] = regions[i].origin;
    const std::uint64_t body_end = w.written() + (target - w.written()) * 78 / 100;

    // One output section in region `r`, until `stop` bytes of map are written or its side buffer
    // (its size is only known after its contents) reaches `cap`.
    auto output_section = [&](std::string_view name, std::size_t r, std::uint64_t stop, std::uint64_t cap,
                              std::string_view prefix) {
        const std::uint64_t base = next[r];
        std::uint64_t addr = base;
        std::string body;
        if (shape.esp)
            body += fmt::format(" *libfreertos.a:(.literal .literal.* .text .text.* .iram1 .iram1.*)\n"
                                " *(.{0} .{0}.* .gnu.linkonce.{0}.*)\n", prefix.substr(1));
        else
            body += fmt::format(" *({}*)\n", prefix);
        while (w.written() + body.size() < stop && body.size() < cap) {
            const std::string& o = objects[rng.below(objects.size())];
            std::string fn = ident(rng, 3);
            const int nsym = shape.symbols_per_input;
            std::uint64_t per = 4 + rng.below(100) * 2;
            std::uint64_t size = per * static_cast<std::uint64_t>(nsym);
            section_line(body, fmt::format("{}.{}", prefix, fn), addr, size, o);
            for (int k = 0; k < nsym; ++k)
                body += fmt::format("                0x{:08x}                {}{}\n", addr + per * static_cast<std::uint64_t>(k),
                                    fn, k ? fmt::format("_{}", k) : "");
            addr += size;
            if (rng.below(8) == 0) {
                std::uint64_t pad = 4 - (addr & 3);
                body += fmt::format(" *fill*         0x{:08x} {:>10} \n", addr, fmt::format("0x{:x}", pad));
                addr += pad;
            }
        }
        w.line("{:<15} 0x{:08x} {:>10}", name, base, fmt::format("0x{:x}", addr - base));
        body.pop_back();
        w.line("{}", body);
        w.line("                0x{:08x}                . = ALIGN (0x4)", addr);
        w.line("");
        next[r] = addr + 0x100;
    };
    // ESP-IDF reserves address space with sections that hold only fill.
    auto dummy_section = [&](std::string_view name, std::size_t r, std::uint64_t size) {
        w.line("{:<15} 0x{:08x} {:>10}", name, next[r], fmt::format("0x{:x}", size));
        w.line("                0x{:08x}                . = (. + SIZEOF (.flash.text))", next[r] + size);
        w.line(" *fill*         0x{:08x} {:>10} ", next[r], fmt::format("0x{:x}", size));
        w.line("");
        next[r] += size + 0x100;
    };

    const std::string_view prefixes[] = {".text", ".rodata", ".data", ".bss"};
    if (shape.one_section) {
        output_section(".text", 0, body_end, ~std::uint64_t{0}, ".text");
    } else {
        std::size_t part = 0;
        while (w.written() < body_end) {
            const std::size_t r = part % regions.size();
            if (shape.esp && part % 16 == 5) dummy_section(fmt::format(".dram0.dummy{}", part), r, 0x10000);
            const std::string_view prefix = prefixes[part % std::size(prefixes)];
            // Spread over every region even in the smallest map.
            const std::uint64_t cap = std::min<std::uint64_t>(16u << 20, target / (regions.size() * 4));
            output_section(fmt::format("{}.part{}", prefix, part), r, body_end, cap, prefix);
            ++part;
        }
    }
    w.line(".debug_info     0x00000000   0x2a4f10");
    for (std::size_t i = 0; i < objects.size(); i += 3)
        w.line(" .debug_info    0x{:08x}     0x{:x} {}", i * 0x100, 0x100, objects[i]);
    w.line("OUTPUT(firmware.elf elf32-littlearm)");
    w.line("");
    w.line("Cross Reference Table");
    w.line("");
    w.line("Symbol                                            File");
    while (w.written() < target) {
        w.line("{:<50}{}", ident(rng, 3), objects[rng.below(objects.size())]);
        w.line("{:<50}{}", "", objects[rng.below(objects.size())]);
    }
}

void lld(const Shape& shape, std::FILE* f, std::uint64_t target) {
    Rng rng;
    Writer w(f);
    const auto objects = shape.objects(rng, static_cast<double>(target) / (200 << 20));
    w.line("     VMA      LMA     Size Align Out     In      Symbol");
    std::uint64_t addr = 0x08000000;
    int part = 0;
    while (w.written() < target) {
        const std::uint64_t base = addr;
        std::string body;
        while (body.size() < (16u << 20) && w.written() + body.size() < target) {
            const std::string& o = objects[rng.below(objects.size())];
            std::string fn = shape.rust ? rust_name(rng) : ident(rng, 3);
            std::uint64_t size = 4 + rng.below(200) * 2;
            // lld indents input sections by 8 and symbols by 16 after the four number columns.
            body += fmt::format("{:8x} {:8x} {:8x} {:5}         {}:(.text.{})\n", addr, addr, size, 2, o, fn);
            body += fmt::format("{:8x} {:8x} {:8x} {:5}                 $t.{}\n", addr, addr, 0, 1, part);
            body += fmt::format("{:8x} {:8x} {:8x} {:5}                 {}\n", addr | 1, addr | 1, size, 1, fn);
            addr += size;
        }
        w.line("{:8x} {:8x} {:8x} {:5} .text.part{}", base, base, addr - base, 4, part++);
        body.pop_back();
        w.line("{}", body);
        addr = (addr + 0xff) & ~std::uint64_t{0xff};
    }
    // lld ends every map with the non-allocated sections.
    w.line("{:8x} {:8x} {:8x} {:5} .comment", 0, 0, 0x13, 1);
    w.line("{:8x} {:8x} {:8x} {:5} .symtab", 0, 0, 0x1000, 4);
    w.line("{:8x} {:8x} {:8x} {:5} .strtab", 0, 0, 0x1000, 1);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::string_view(argv[1]) == "--list") {
        for (const Shape& s : shapes) fmt::print("{:<18} {}\n", s.name, s.what);
        return 0;
    }
    if (argc != 4) {
        std::fprintf(stderr, "usage: generate_map SHAPE SIZE_MB OUTPUT   (generate_map --list: the shapes)\n");
        return 2;
    }
    const Shape* shape = nullptr;
    for (const Shape& s : shapes)
        if (s.name == argv[1]) shape = &s;
    std::uint64_t target = std::strtoull(argv[2], nullptr, 10) << 20;
    std::FILE* f = std::fopen(argv[3], "wb");
    if (!f || !shape) {
        std::fprintf(stderr, "generate_map: cannot write %s or unknown shape %s\n", argv[3], argv[1]);
        return 2;
    }
    if (shape->lld)
        lld(*shape, f, target);
    else
        gnu(*shape, f, target);
    return std::fclose(f) == 0 ? 0 : 1;
}

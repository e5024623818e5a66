// Writes a large synthetic linker map with the line mix of real firmware maps, for the benchmark.
//
//   generate_map gnu|lld SIZE_MB OUTPUT
//
// GNU ld maps get an archive-member table, a discarded-sections list, the memory configuration, a
// memory map (LOAD lines, script echoes, input sections with long names split over two lines,
// symbols, fill, assignments, debug sections) and a cross-reference table, in about the proportions
// ESP-IDF maps have. lld maps get the VMA/LMA/Size/Align table with mapping symbols. The output is
// deterministic for a given size.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

struct Object {
    std::string path;     // as the map writes it, "dir/libx.a(member.o)" or "obj/x.o"
};

std::vector<Object> make_objects(Rng& rng, int count) {
    std::vector<Object> objects;
    for (int i = 0; i < count; ++i) {
        std::string member = fmt::format("{}_{}.c.obj", ident(rng, 2), i);
        if (i % 5 == 0)
            objects.push_back({fmt::format("build/app/CMakeFiles/app.dir/src/{}", member)});
        else
            objects.push_back({fmt::format("/home/ci/project/build/esp-idf/{0}/lib{0}.a({1})",
                                           words[i % std::size(words)], member)});
    }
    return objects;
}

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

void section_line(Writer& w, std::string_view name, std::uint64_t addr, std::uint64_t size,
                  std::string_view file) {
    if (name.size() >= 15) {
        w.line(" {}", name);
        w.line("                0x{:08x} {:>10} {}", addr, fmt::format("0x{:x}", size), file);
    } else {
        w.line(" {:<15}0x{:08x} {:>10} {}", name, addr, fmt::format("0x{:x}", size), file);
    }
}

void gnu(std::FILE* f, std::uint64_t target) {
    Rng rng;
    Writer w(f);
    auto objects = make_objects(rng, 4000);

    w.line("Archive member included to satisfy reference by file (symbol)");
    w.line("");
    for (std::size_t i = 1; i < objects.size(); ++i) {
        if (objects[i].path.find(".a(") == std::string::npos) continue;
        w.line("{}", objects[i].path);
        w.line("                              {} ({})", objects[i - 1].path, ident(rng, 3));
    }
    w.line("");
    w.line("Discarded input sections");
    w.line("");
    // Discarded sections are about a fifth of a real map.
    while (w.written() < target / 5) {
        const Object& o = objects[rng.below(objects.size())];
        section_line(w, fmt::format(".text.{}", ident(rng, 3)), 0, rng.below(400), o.path);
    }
    w.line("");
    w.line("Memory Configuration");
    w.line("");
    w.line("Name             Origin             Length             Attributes");
    w.line("FLASH            0x08000000         0x10000000         xr");
    w.line("RAM              0x20000000         0x10000000         xrw");
    w.line("*default*        0x00000000         0xffffffff");
    w.line("");
    w.line("Linker script and memory map");
    w.line("");
    for (std::size_t i = 0; i < objects.size(); i += 7) w.line("LOAD {}", objects[i].path);
    w.line("START GROUP");
    w.line("LOAD /usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7e-m/nofp/libgcc.a");
    w.line("END GROUP");
    w.line("                0x00000400                _Min_Heap_Size = 0x400");
    w.line("");

    // .text takes most of the remaining budget, .rodata and .data the rest; the cref table closes.
    const std::uint64_t text_end = w.written() + (target - w.written()) * 55 / 100;
    const std::uint64_t rodata_end = w.written() + (target - w.written()) * 70 / 100;
    const std::uint64_t data_end = w.written() + (target - w.written()) * 78 / 100;

    auto output_section = [&](std::string_view name, std::uint64_t base, std::uint64_t stop,
                              std::string_view prefix) {
        // The section's size is only known after its contents; write them to a side buffer.
        std::uint64_t addr = base;
        std::vector<std::string> lines;
        std::uint64_t bytes = 0;
        while (w.written() + bytes < stop) {
            const Object& o = objects[rng.below(objects.size())];
            std::string fn = ident(rng, 3);
            std::uint64_t size = 4 + rng.below(200) * 2;
            std::string in_name = fmt::format("{}.{}", prefix, fn);
            std::string line;
            if (in_name.size() >= 15)
                line = fmt::format(" {}\n                0x{:08x} {:>10} {}\n", in_name, addr,
                                   fmt::format("0x{:x}", size), o.path);
            else
                line = fmt::format(" {:<15}0x{:08x} {:>10} {}\n", in_name, addr,
                                   fmt::format("0x{:x}", size), o.path);
            line += fmt::format("                0x{:08x}                {}\n", addr, fn);
            addr += size;
            if (rng.below(8) == 0) {
                std::uint64_t pad = 4 - (addr & 3);
                line += fmt::format(" *fill*         0x{:08x} {:>10} \n", addr, fmt::format("0x{:x}", pad));
                addr += pad;
            }
            bytes += line.size();
            lines.push_back(std::move(line));
            if (bytes > (64u << 20)) break;  // keep one section's side buffer bounded
        }
        w.line("{:<15} 0x{:08x} {:>10}", name, base, fmt::format("0x{:x}", addr - base));
        w.line(" *({}*)", prefix);
        for (const std::string& l : lines) {
            std::string_view v = l;
            v.remove_suffix(1);
            w.line("{}", v);
        }
        w.line("                0x{:08x}                . = ALIGN (0x4)", addr);
        w.line("");
        return addr;
    };

    std::uint64_t flash = 0x08000000;
    int part = 0;
    while (w.written() < text_end)
        flash = output_section(fmt::format(".text{}", part++ ? fmt::format(".part{}", part) : ""), flash,
                               text_end, ".text") + 0x100;
    part = 0;
    while (w.written() < rodata_end)
        flash = output_section(fmt::format(".rodata{}", part++ ? fmt::format(".part{}", part) : ""),
                               flash, rodata_end, ".rodata") + 0x100;
    std::uint64_t ram = 0x20000000;
    part = 0;
    while (w.written() < data_end)
        ram = output_section(fmt::format(".bss{}", part++ ? fmt::format(".part{}", part) : ""), ram,
                             data_end, ".bss") + 0x100;
    w.line(".debug_info     0x00000000   0x2a4f10");
    for (std::size_t i = 0; i < objects.size(); i += 3)
        w.line(" .debug_info    0x{:08x}     0x{:x} {}", i * 0x100, 0x100, objects[i].path);
    w.line("OUTPUT(firmware.elf elf32-littlearm)");
    w.line("");
    w.line("Cross Reference Table");
    w.line("");
    w.line("Symbol                                            File");
    while (w.written() < target) {
        w.line("{:<50}{}", ident(rng, 3), objects[rng.below(objects.size())].path);
        w.line("{:<50}{}", "", objects[rng.below(objects.size())].path);
    }
}

void lld(std::FILE* f, std::uint64_t target) {
    Rng rng;
    Writer w(f);
    auto objects = make_objects(rng, 4000);
    w.line("     VMA      LMA     Size Align Out     In      Symbol");
    std::uint64_t addr = 0x08000000;
    int part = 0;
    while (w.written() < target) {
        const std::uint64_t base = addr;
        std::vector<std::string> lines;
        std::uint64_t bytes = 0;
        while (bytes < (16u << 20) && w.written() + bytes < target) {
            const Object& o = objects[rng.below(objects.size())];
            std::string fn = ident(rng, 3);
            std::uint64_t size = 4 + rng.below(200) * 2;
            // lld indents input sections by 8 and symbols by 16 after the four number columns.
            std::string l = fmt::format("{:8x} {:8x} {:8x} {:5}         {}:(.text.{})\n", addr, addr, size, 2, o.path, fn);
            l += fmt::format("{:8x} {:8x} {:8x} {:5}                 $t.{}\n", addr, addr, 0, 1, part);
            l += fmt::format("{:8x} {:8x} {:8x} {:5}                 {}\n", addr | 1, addr | 1, size, 1, fn);
            addr += size;
            bytes += l.size();
            lines.push_back(std::move(l));
        }
        w.line("{:8x} {:8x} {:8x} {:5} .text.part{}", base, base, addr - base, 4, part++);
        for (const std::string& l : lines) {
            std::string_view v = l;
            v.remove_suffix(1);
            w.line("{}", v);
        }
        addr = (addr + 0xff) & ~std::uint64_t{0xff};
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: generate_map gnu|lld SIZE_MB OUTPUT\n");
        return 2;
    }
    std::string_view kind = argv[1];
    std::uint64_t target = std::strtoull(argv[2], nullptr, 10) << 20;
    std::FILE* f = std::fopen(argv[3], "wb");
    if (!f || (kind != "gnu" && kind != "lld")) {
        std::fprintf(stderr, "generate_map: cannot write %s or unknown kind\n", argv[3]);
        return 2;
    }
    if (kind == "gnu")
        gnu(f, target);
    else
        lld(f, target);
    return std::fclose(f) == 0 ? 0 : 1;
}

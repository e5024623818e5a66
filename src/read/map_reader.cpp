// The pipeline from a map file to a finished model.
#include "sizebudget/map_reader.hpp"

#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "sizebudget/elf_file.hpp"
#include "sizebudget/error.hpp"
#include "sizebudget/linker_script.hpp"
#include "sizebudget/totals.hpp"

namespace sizebudget {

namespace {

bool blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Maps from linkers sizebudget does not read are recognised only to say so plainly.
std::string_view foreign_linker(std::string_view line) {
    if (line.starts_with("Component:") || line.find("ArmLink") != std::string_view::npos ||
        line.find("armlink") != std::string_view::npos)
        return "an Arm Compiler (armlink)";
    if (line.starts_with("####") || line.find("IAR ") != std::string_view::npos) return "an IAR";
    if (line.starts_with("*****") || line.find("TI ARM") != std::string_view::npos) return "a TI linker";
    if (line.find("section layout") != std::string_view::npos ||
        line.find("Link map of") != std::string_view::npos)
        return "a Metrowerks";
    return {};
}

// The first non-blank line and its number.
std::pair<std::string, std::size_t> first_line_of(LineReader& in) {
    std::string_view line;
    while (in.next(line))
        if (!blank(line)) return {std::string(line), in.line_number()};
    return {{}, 0};
}

void add_regions(LinkMap& map, const std::vector<MemoryRegion>& regions) {
    for (const MemoryRegion& r : regions) {
        bool known = false;
        for (const MemoryRegion& have : map.regions) known = known || have.name == r.name;
        if (known) continue;
        MemoryRegion copy = r;
        copy.name = map.intern(r.name);
        copy.attributes = map.intern(r.attributes);
        map.regions.push_back(copy);
    }
}

}  // namespace

MapFormat detect_map_format(std::string_view line, const std::string& file, std::size_t line_no) {
    // lld's header is never translated: "VMA LMA Size Align Out In Symbol" (older lld: no LMA).
    auto has = [&](std::string_view w) { return line.find(w) != std::string_view::npos; };
    if (has("Size") && has("Align") && has("Out") && has("In") && has("Symbol") &&
        (has("VMA") || has("Address")))
        return MapFormat::lld;
    if (std::string_view other = foreign_linker(line); !other.empty())
        throw Error(file, line_no,
                    fmt::format("this is {} map; sizebudget reads GNU ld and LLVM lld maps", other));
    // GNU ld writes its headings in the user's language, so anything else is handed to its
    // parser, which recognises the parts by their structure and rejects what has none.
    return MapFormat::gnu_ld;
}

LinkMap read_map(const std::string& path, const ReadOptions& options) {
    LineReader first_chunk(path);
    auto [first, first_no] = first_line_of(first_chunk);
    if (first_no == 0) throw Error(path, "empty file: no linker map in it");
    MapFormat format = detect_map_format(first, path, first_no);

    // The parser reads from the first line: from the chunk already read when it still holds it.
    std::optional<LineReader> reopened;
    LineReader& in = first_chunk.restart() ? first_chunk : reopened.emplace(path);
    LinkMap map = format == MapFormat::lld ? parse_lld_map(in) : parse_gnu_ld_map(in, options.keep_discarded);
    map.source = path;
    map.format = format;

    if (options.linker_script) {
        LinkerScriptInfo script = read_linker_script(*options.linker_script, options.search_dirs);
        add_regions(map, script.regions);
        for (std::string& w : script.warnings) map.warnings.push_back({0, std::move(w)});
        for (OutputSection& s : map.sections)
            for (const std::string& name : script.load_by_expression)
                if (s.name == name) s.load_by_expression = true;
        // `> REGION`: same-named output sections take the script's placements in order.
        auto region_index = [&](const std::string& name) {
            for (std::uint32_t i = 0; i < map.regions.size(); ++i)
                if (map.regions[i].name == name) return i;
            return npos32;
        };
        std::vector<bool> used(script.placements.size(), false);
        for (OutputSection& s : map.sections)
            for (std::size_t i = 0; i < script.placements.size(); ++i) {
                if (used[i] || script.placements[i].section != s.name) continue;
                used[i] = true;
                s.script_region = region_index(script.placements[i].region);
                s.script_load_region = region_index(script.placements[i].load_region);
                break;
            }
    }
    if (options.why_extract) {
        LineReader why(*options.why_extract);
        read_why_extract(map, why);
    }
    // An lld map without --linker-script or declared regions has none: every level but the
    // regions is still reported, and the report says how to add them.
    add_regions(map, options.extra_regions);

    if (!options.elf) {
        finish_map(map);
        return map;
    }
    // The ELF settles what the map cannot tell (flags), so it may change a region's figure only
    // where it and the map disagree: the map's own figures, from a second read without it, say.
    ReadOptions alone = options;
    alone.elf.reset();
    const std::vector<RegionUsage> map_figures = compute_totals(read_map(path, alone), {.symbols = false}).regions;
    const ElfImage elf = read_elf(*options.elf);
    const std::vector<std::uint32_t> elf_section_of = apply_elf(map, elf);
    finish_map(map);
    apply_elf_references(map, elf, elf_section_of);
    const std::vector<RegionUsage> elf_figures = compute_totals(map, {.symbols = false}).regions;
    for (std::size_t i = 0; i < map_figures.size() && i < elf_figures.size(); ++i) {
        const RegionUsage &m = map_figures[i], &e = elf_figures[i];
        if (m.used == e.used) continue;
        map.elf_disputes.push_back(fmt::format("region '{}' holds {} bytes by the map, {} by the ELF", e.name, m.used, e.used));
        map.warnings.push_back(
            {0, fmt::format("the ELF {} changes region '{}' from {} bytes (the map's figure) to {}: are map and "
                            "ELF from the same link? (check refuses to judge unless --trust-elf)",
                            *options.elf, e.name, m.used, e.used)});
    }
    return map;
}

}  // namespace sizebudget

// lld's --why-extract=FILE output: a header "reference\textracted\tsymbol", then a row per
// archive member lld extracted: the file (or "--entry", "-u") whose reference extracted it, the
// member ("lib/libx.a(m.o)", as the map names it) and the symbol.
#include <fmt/format.h>

#include "sizebudget/error.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/name_hash.hpp"

namespace sizebudget {

void read_why_extract(LinkMap& map, LineReader& in) {
    NameMap<std::uint32_t> objects;
    for (std::uint32_t i = 0; i < map.objects.size(); ++i) objects.emplace(map.objects[i].path, i);
    std::string_view line;
    bool header = false;
    while (in.next(line)) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        if (!header) {
            if (line != "reference\textracted\tsymbol")
                throw Error(in.name(), in.line_number(),
                            "not lld's --why-extract output (its first line is \"reference<TAB>extracted<TAB>symbol\")");
            header = true;
            continue;
        }
        const std::size_t tab1 = line.find('\t');
        const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
        if (tab2 == std::string_view::npos)
            throw Error(in.name(), in.line_number(), "a --why-extract row has three columns separated by tabs");
        const std::string_view reference = line.substr(0, tab1);
        const std::string_view extracted = line.substr(tab1 + 1, tab2 - tab1 - 1);
        // A member whose every section --gc-sections dropped is in no section of the map.
        auto it = objects.find(extracted);
        if (it == objects.end()) continue;
        ArchiveInclusion a;
        a.member = it->second;
        a.referenced_by = map.intern(reference);
        a.symbol = map.strings->copy(line.substr(tab2 + 1));
        map.archive_inclusions.push_back(a);
    }
    if (!header) throw Error(in.name(), "empty: no lld --why-extract output in it");
}

}  // namespace sizebudget

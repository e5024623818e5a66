#pragma once
// The objects of a map being read, found by the path a line names. Nearly every line of a map's
// body names an object's path; the paths of one link share long prefixes, and a large map keeps
// their stored text far away. So the last path is kept as a copy (most lines name the object of
// the line before), and others are found by archive, then member (StringPool::path_key): the few
// hundred archives stay in cache, and member names are short and kept together. The identity is
// still the exact text.
#include <cstdint>
#include <string>
#include <string_view>

#include "sizebudget/line_reader.hpp"
#include "sizebudget/link_map.hpp"
#include "sizebudget/map_reader.hpp"
#include "sizebudget/name_hash.hpp"
#include "sizebudget/string_pool.hpp"

namespace sizebudget {

class ObjectTable final : public StoredPaths {
public:
    // How a parser splits "dir/libx.a(member.o)" into archive and member (false: no archive).
    using Split = bool (*)(std::string_view path, std::string_view& archive, std::string_view& member);

    // `in`: the map being read, for the line of an error.
    ObjectTable(LinkMap& map, const LineReader& in, Split split) : map_(map), in_(in), split_(split) {}

    // The index in map.objects of the object at `path`, made on first use with its path stored
    // and its archive and member as `split` finds them.
    std::uint32_t index(std::string_view path);
    // The stored path of the object at `path`, or null when the map has none: the files the
    // cross reference table names are nearly all objects, and interning each again compared every
    // byte of a path stored far away.
    const char* find(std::string_view path) override;

private:
    LinkMap& map_;
    const LineReader& in_;
    const Split split_;
    ScopedNameMap<std::uint32_t> indices_;  // StringPool::path_key() of a path -> index
    // The keys' texts (member names, paths of objects in no archive), kept together: interned in
    // the map's pool they lay among a large map's other names, and confirming each hit read a
    // line of memory no cache held.
    StringPool keys_;
    // The address of a stored path -> index, for paths stored escaped (not UTF-8): the key of
    // such a path holds the stored text, which the text of a line never equals.
    IdMap<std::uint32_t> escaped_;
    std::string last_path_;  // a copy: the stored one is far away in a large map
    std::uint32_t last_ = npos32;
};

}  // namespace sizebudget

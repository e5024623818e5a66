#pragma once
// Builds a LinkMap by hand, as a parser would, for tests whose every expected number is known.
#include <string_view>

#include "sizebudget/link_map.hpp"

namespace sizebudget::test {

class MapBuilder {
public:
    LinkMap map;

    std::uint32_t object(std::string_view path, std::string_view archive = {}, std::string_view member = {}) {
        map.objects.push_back({map.intern(path), map.intern(archive), map.intern(member.empty() ? path : member)});
        return static_cast<std::uint32_t>(map.objects.size() - 1);
    }
    void region(std::string_view name, Address origin, std::uint64_t length) {
        map.regions.push_back({map.intern(name), origin, length, {}});
    }
    // An output section; `lma` defaults to its address.
    OutputSection& section(std::string_view name, Address addr, std::uint64_t size, Address lma = ~Address{0}) {
        OutputSection s;
        s.name = map.intern(name);
        s.address = addr;
        s.load_address = lma == ~Address{0} ? addr : lma;
        s.size = size;
        s.first_input = static_cast<std::uint32_t>(map.inputs.size());
        map.sections.push_back(s);
        cursor_ = addr;
        return map.sections.back();
    }
    // An input section of the last output section, at `addr`.
    InputSection& input(std::string_view name, Address addr, std::uint64_t size, std::uint32_t obj,
                        PieceKind kind = PieceKind::input) {
        InputSection in;
        in.set_name(map.intern(name));
        in.address = addr;
        in.size = size;
        in.object = obj;
        in.kind = kind;
        in.first_symbol = static_cast<std::uint32_t>(map.symbols.size());
        map.inputs.push_back(in);
        map.sections.back().input_count++;
        cursor_ = addr + size;
        return map.inputs.back();
    }
    // An input section right after the previous one (or at the start of its output section).
    InputSection& append(std::string_view name, std::uint64_t size, std::uint32_t obj) {
        return input(name, cursor_, size, obj);
    }
    // A symbol of the last input section, at `addr`.
    void symbol(std::string_view name, Address addr) {
        map.symbols.push_back({map.intern(name), addr, 0});
        map.inputs.back().symbol_count++;
    }
    // A symbol `offset` bytes into the last input section.
    void symbol_in_last(std::string_view name, std::uint64_t offset = 0) {
        symbol(name, map.inputs.back().address + offset);
    }

private:
    Address cursor_ = 0;
};

}  // namespace sizebudget::test

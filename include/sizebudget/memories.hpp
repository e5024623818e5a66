#pragma once
// Memory types: the physical memories of a chip as its vendor's tools count them, above the
// linker's regions. One memory may be seen through two address ranges (an SRAM on the data and
// on the instruction bus): what lies in either range counts once. ESP chips are built in (the
// facts of esp-idf-size's address maps); a budget file may declare others (`memories:`).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sizebudget/link_map.hpp"

namespace sizebudget {

struct AddressRange {
    Address start = 0;
    std::uint64_t length = 0;
    Address end() const { return start + length; }
};

struct MemoryType {
    std::string name;
    std::vector<AddressRange> ranges;
    // Other ranges through which the same memory is seen; alias i shows ranges[i] (same length).
    std::vector<AddressRange> aliases;
};

struct MemoryUsage {
    std::string name;
    std::uint64_t used = 0;  // bytes of content (reserved sections left out), each byte once
    std::uint64_t size = 0;  // of the memory, the bytes the link's regions can place things in
};

// The ESP chip a map was linked for, recognised from its regions: the one chip whose memory
// types cover every region. Empty when none or several fit (`why` says which); never a guess.
std::optional<std::string> detect_esp_chip(const LinkMap& map, std::string* why = nullptr);
// The built-in memory types of an ESP chip ("esp32s3"), in the order idf.py size lists them.
std::vector<MemoryType> esp_memory_types(std::string_view chip);
// "ESP32-S3" for "esp32s3".
std::string esp_chip_display_name(std::string_view chip);

// What each memory type holds (types the link leaves unused and unreached left out):
// allocated, non-reserved sections by run address, alias ranges
// folded onto their memory. Where ranges of several types hold an address (esp32c6's Flash Code
// and Flash Data, esp32s3's Flash Data and External RAM), a section goes to the type its name
// suits: code (".text") to "... Code", ".ext_ram" sections to "External RAM", else the first.
std::vector<MemoryUsage> memory_usage(const LinkMap& map, const std::vector<MemoryType>& types);

}  // namespace sizebudget

#include <cstdio>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/output_file.hpp"

namespace po = boost::program_options;

namespace sizebudget::cli {

void add_map_options(po::options_description& desc, ReadOptions& options) {
    desc.add_options()
        ("elf", po::value<std::string>()->notifier([&options](const std::string& v) { options.elf = v; }),
         "ELF image of the same link: settles section flags and sizes")
        ("linker-script", po::value<std::string>()->notifier(
             [&options](const std::string& v) { options.linker_script = v; }),
         "linker script whose MEMORY block defines the regions (lld maps carry none)")
        ("library-path,L", po::value<std::vector<std::string>>()->composing()->notifier(
             [&options](const std::vector<std::string>& v) { options.search_dirs = v; }),
         "folder where the linker script's INCLUDE files are found, as the linker's -L (repeatable)")
        ("why-extract", po::value<std::string>()->notifier([&options](const std::string& v) { options.why_extract = v; }),
         "lld's --why-extract=FILE output of the same link: why each archive member is in it");
}

bool parse_args(const Args& args, const po::options_description& desc,
                const po::positional_options_description& positional, po::variables_map& vm,
                const char* usage) {
    po::options_description all = desc;
    all.add_options()("help,h", "show this help");
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
        std::ostringstream help;
        help << "usage: " << usage << "\n\n" << all << "\n";
        write_stdout(help.str());
        return true;
    }
    po::notify(vm);
    return false;
}

void emit(const std::string& path, const std::string& text, const std::vector<std::string>& inputs) {
    write_output(path, text, inputs);
}

void emit(const std::string& path, const std::vector<std::string>& inputs,
          const std::function<void(const TextSink&)>& write) {
    OutputFile out(path, inputs);
    write([&](std::string_view text) { out.write(text); });
    out.commit();
}

void print_warnings(const std::string& file, const std::vector<std::string>& warnings) {
    for (const std::string& w : warnings) {
        // "LINE: message" (Diagnostic::text()) is "FILE:LINE: message".
        const std::size_t digits = w.find_first_not_of("0123456789");
        const bool has_line = digits > 0 && digits != std::string::npos && w.compare(digits, 2, ": ") == 0;
        fmt::print(stderr, "sizebudget: warning: {}{}{}\n", file, has_line ? ":" : ": ", w);
    }
}

std::vector<std::string> warning_lines(const LinkMap& map) {
    std::vector<std::string> out;
    for (const Diagnostic& w : map.warnings) out.push_back(w.text());
    return out;
}

std::vector<std::string> map_inputs(const std::string& map, const ReadOptions& options) {
    std::vector<std::string> inputs{map};
    if (options.elf) inputs.push_back(*options.elf);
    if (options.linker_script) inputs.push_back(*options.linker_script);
    if (options.why_extract) inputs.push_back(*options.why_extract);
    return inputs;
}

}  // namespace sizebudget::cli

// sizebudget why MAP ITEM [--elf FILE] [--linker-script FILE [-L DIR]...] [--why-extract FILE]
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sizebudget/output_file.hpp"
#include "sizebudget/reference_graph.hpp"
#include "sizebudget/why.hpp"

namespace po = boost::program_options;

namespace sizebudget::cli {

int why_command(const Args& args) {
    ReadOptions read;
    std::string map_path, item;
    po::options_description desc("why options");
    desc.add_options()
        ("map", po::value(&map_path), "linker map file (GNU ld or LLVM lld)")
        ("item", po::value(&item), "a symbol, object, archive or crate, or a glob of them");
    add_map_options(desc, read);
    po::positional_options_description pos;
    pos.add("map", 1).add("item", 1);
    po::variables_map vm;
    if (parse_args(args, desc, pos, vm,
                   "sizebudget why MAP ITEM [--elf FILE] [--linker-script FILE [-L DIR]...] [--why-extract FILE]"))
        return 0;
    if (map_path.empty() || item.empty())
        throw po::error("why needs a map and an item: sizebudget why MAP ITEM (a symbol, object, archive or crate)");
    read.keep_discarded = true;  // an item that is not linked may be listed there
    LinkMap map = read_map(map_path, read);
    const ReferenceGraph graph = build_reference_graph(map);
    write_stdout(why_text(graph, answer_why(map, graph, item)));
    print_warnings(map_path, warning_lines(map));
    return 0;
}

}  // namespace sizebudget::cli

// sizebudget snapshot MAP [--elf FILE] [--linker-script FILE [-L DIR]...] -o FILE.json
#include "cli/commands.hpp"
#include "sizebudget/snapshot.hpp"
#include "sizebudget/totals.hpp"

namespace po = boost::program_options;

namespace sizebudget::cli {

int snapshot_command(const Args& args) {
    ReadOptions read;
    std::string map_path, output;
    po::options_description desc("snapshot options");
    desc.add_options()
        ("map", po::value(&map_path)->required(), "linker map file (GNU ld or LLVM lld)")
        ("output,o", po::value(&output)->required(),
         "write the snapshot to this file (atomically); `-` for stdout");
    add_map_options(desc, read);
    po::positional_options_description pos;
    pos.add("map", 1);
    po::variables_map vm;
    if (parse_args(args, desc, pos, vm,
                   "sizebudget snapshot MAP [--elf FILE] [--linker-script FILE [-L DIR]...] -o FILE.json"))
        return 0;

    LinkMap map = read_map(map_path, read);
    print_warnings(map_path, warning_lines(map));
    const Snapshot snapshot = make_snapshot(map, compute_totals(map, snapshot_totals));
    emit(output, map_inputs(map_path, read), [&](const TextSink& sink) { snapshot_to_json(snapshot, sink); });
    return 0;
}

}  // namespace sizebudget::cli

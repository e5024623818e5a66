#pragma once
// The subcommands of the `sizebudget` executable. Each parses its own options and returns the
// process exit status; errors in the input are thrown as sizebudget::Error and turned into
// exit status 2 by main().
#include <functional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "sizebudget/map_reader.hpp"
#include "sizebudget/text_sink.hpp"

namespace sizebudget::cli {

using Args = std::vector<std::string>;

int report_command(const Args& args);
int check_command(const Args& args);
int snapshot_command(const Args& args);
int diff_command(const Args& args);
int link_command(const Args& args);
int why_command(const Args& args);

// Options every command that reads a map shares: --elf, --linker-script and --why-extract.
void add_map_options(boost::program_options::options_description& desc, ReadOptions& options);

// Parses `args` against `desc` and `positional`; prints help and returns true when --help was given.
bool parse_args(const Args& args, const boost::program_options::options_description& desc,
                const boost::program_options::positional_options_description& positional,
                boost::program_options::variables_map& vm, const char* usage);

// Writes to --output (write_output(): never replacing a device, a read-only file or one of
// `inputs`), or to stdout when `path` is empty.
void emit(const std::string& path, const std::string& text, const std::vector<std::string>& inputs);
// The same for text made a chunk at a time by write(sink): a JSON report or snapshot of millions of
// rows is never held whole.
void emit(const std::string& path, const std::vector<std::string>& inputs,
          const std::function<void(const TextSink&)>& write);
// Warnings on stderr, `sizebudget: warning: FILE[:LINE]: message`, for the formats that have no
// place for them (CSV, snapshots, diffs); `warnings` as warning_lines() or Snapshot::warnings.
void print_warnings(const std::string& file, const std::vector<std::string>& warnings);
std::vector<std::string> warning_lines(const LinkMap& map);  // "LINE: message" or "message"
// The files a command reads a map with: the map, --elf, --linker-script.
std::vector<std::string> map_inputs(const std::string& map, const ReadOptions& options);

}  // namespace sizebudget::cli

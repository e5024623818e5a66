#pragma once
// Paths and small helpers shared by the unit tests.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sizebudget::test {

inline std::filesystem::path source_dir() { return SIZEBUDGET_SOURCE_DIR; }
inline std::filesystem::path fixtures_dir() { return source_dir() / "tests" / "fixtures"; }
// Real-world maps from ../shared/corpus/maps; tests skip (with a message) when it is absent.
inline std::filesystem::path corpus_dir() { return SIZEBUDGET_CORPUS_DIR; }
inline bool have_corpus() { return std::filesystem::is_directory(corpus_dir()); }

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace sizebudget::test

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "sizebudget/error.hpp"
#include "sizebudget/line_reader.hpp"

using sizebudget::Error;
using sizebudget::LineReader;

namespace {

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
    auto p = std::filesystem::temp_directory_path() / ("sizebudget-lr-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

std::vector<std::string> all_lines(LineReader& in) {
    std::vector<std::string> out;
    std::string_view line;
    while (in.next(line)) out.emplace_back(line);
    return out;
}

}  // namespace

TEST_CASE("LineReader splits LF and CRLF lines and keeps a last line without newline") {
    auto p = temp_file("crlf", "one\r\ntwo\n\nthree");
    LineReader in(p.string());
    auto lines = all_lines(in);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "one");
    CHECK(lines[1] == "two");
    CHECK(lines[2] == "");
    CHECK(lines[3] == "three");
    CHECK(in.line_number() == 4);
    std::filesystem::remove(p);
}

TEST_CASE("LineReader streams lines that cross its read chunks") {
    std::string text;
    for (int i = 0; i < 200000; ++i) text += "line " + std::to_string(i) + " with some padding text\n";
    auto p = temp_file("big", text);
    LineReader in(p.string());
    std::string_view line;
    int n = 0;
    std::string last;
    while (in.next(line)) {
        ++n;
        last = line;
    }
    CHECK(n == 200000);
    CHECK(last == "line 199999 with some padding text");
    CHECK(in.bytes_read() == text.size());
    std::filesystem::remove(p);
}

TEST_CASE("LineReader refuses what is not a readable text file") {
    CHECK_THROWS_AS(LineReader("/nonexistent/sizebudget.map"), Error);
    CHECK_THROWS_WITH_AS(LineReader(std::filesystem::temp_directory_path().string()),
                         doctest::Contains("directory"), Error);

    auto fifo = std::filesystem::temp_directory_path() / ("sizebudget-fifo-" + std::to_string(::getpid()));
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH_AS(LineReader(fifo.string()), doctest::Contains("not a regular file"), Error);
    std::filesystem::remove(fifo);

    auto bin = temp_file("nul", std::string("Memory Configuration\n\0\x01\x02", 24));
    LineReader in(bin.string());
    std::string_view line;
    CHECK_THROWS_WITH_AS((void)[&] { while (in.next(line)) {} }(), doctest::Contains("NUL"), Error);
    std::filesystem::remove(bin);
}

TEST_CASE("LineReader bounds the length of a line") {
    std::string huge(LineReader::max_line_length + 10, 'x');
    auto p = temp_file("long", huge);
    LineReader in(p.string());
    std::string_view line;
    CHECK_THROWS_WITH_AS(in.next(line), doctest::Contains("line longer than"), Error);
    std::filesystem::remove(p);

    LineReader mem("mem", huge);
    CHECK_THROWS_AS(mem.next(line), Error);
}

TEST_CASE("LineReader restarts from the first chunk, and says when it cannot") {
    auto p = temp_file("restart", "first\nsecond\nthird\n");
    LineReader in(p.string());
    std::string_view line;
    REQUIRE(in.next(line));
    CHECK(line == "first");
    REQUIRE(in.restart());
    CHECK(in.line_number() == 0);
    CHECK(all_lines(in) == std::vector<std::string>{"first", "second", "third"});
    CHECK(in.line_number() == 3);

    // Past the first chunk the buffer has moved on: a caller must open the file again.
    std::string big;
    for (int i = 0; i < 40000; ++i) big += "a line of forty bytes, give or take.....\n";
    auto q = temp_file("restart-big", big);
    LineReader far(q.string());
    for (int i = 0; i < 30000; ++i) REQUIRE(far.next(line));
    CHECK_FALSE(far.restart());

    LineReader memory("m", "x\ny\n");
    REQUIRE(memory.next(line));
    REQUIRE(memory.restart());
    CHECK(all_lines(memory) == std::vector<std::string>{"x", "y"});
    std::filesystem::remove(p);
    std::filesystem::remove(q);
}

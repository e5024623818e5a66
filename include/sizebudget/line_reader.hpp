#pragma once
// Streams a text file line by line in fixed-size chunks: one pass, no whole-file buffer, no
// allocation per line. Lines come without their "\n" or "\r\n".
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sizebudget {

class LineReader {
public:
    // Opens `path`; throws Error when it is missing, not a regular file, or unreadable.
    explicit LineReader(const std::string& path);
    // Reads from memory (tests, fuzzers). `name` is used in messages.
    LineReader(std::string name, std::string_view text);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    // Next line, valid until the following call. False at end of input.
    // Throws Error on a NUL byte (binary input), a line longer than max_line_length, or a read error.
    bool next(std::string_view& line);

    // Back before the first line, when all read so far is still in the buffer (the first
    // chunk): a map's first lines tell its format, and reading them costs no second read.
    // False when the buffer has moved on; then open the file again.
    bool restart();

    std::size_t line_number() const { return line_number_; }  // of the line last returned
    const std::string& name() const { return name_; }
    std::uint64_t bytes_read() const { return bytes_read_; }
    // Size of the whole input when known before reading it (a regular file, memory), else 0.
    std::uint64_t size_hint() const { return size_hint_; }

    static constexpr std::size_t max_line_length = 1 << 20;

private:
    bool refill();

    std::string name_;
    int fd_ = -1;
    std::string_view memory_;  // when reading from memory: what is left
    std::string_view whole_memory_;
    bool from_memory_ = false;
    std::unique_ptr<char[]> buffer_;  // not zeroed: read() fills what is used
    std::size_t buffer_size_ = 0;
    std::size_t begin_ = 0;  // start of unread data in buffer_
    std::size_t end_ = 0;    // end of valid data in buffer_
    bool eof_ = false;
    std::size_t line_number_ = 0;
    std::uint64_t bytes_read_ = 0;
    std::uint64_t size_hint_ = 0;
};

}  // namespace sizebudget

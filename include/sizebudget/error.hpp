#pragma once
// The one error type of the library: something is wrong with an input the user gave us.
// The command line turns it into exit status 2 and one line `sizebudget: error: FILE:LINE: ...`.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace sizebudget {

class Error : public std::runtime_error {
public:
    Error(std::string file, std::size_t line, std::size_t column, const std::string& message)
        : std::runtime_error(message), file_(std::move(file)), line_(line), column_(column) {}
    Error(std::string file, std::size_t line, const std::string& message)
        : Error(std::move(file), line, 0, message) {}
    Error(std::string file, const std::string& message) : Error(std::move(file), 0, 0, message) {}

    const std::string& file() const { return file_; }
    std::size_t line() const { return line_; }      // 1-based; 0 when the error is about the whole file
    std::size_t column() const { return column_; }  // 1-based; 0 when unknown

    // "FILE:LINE:COL: message" with the unknown parts left out.
    std::string located() const;

private:
    std::string file_;
    std::size_t line_;
    std::size_t column_;
};

}  // namespace sizebudget

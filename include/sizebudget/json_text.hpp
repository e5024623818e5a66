#pragma once
// JSON text for every writer. Paths in maps come from any host and need not be valid UTF-8;
// nlohmann's dump() would throw on them, so invalid bytes are replaced instead.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sizebudget/text_sink.hpp"

namespace sizebudget {

template <typename Json>
std::string json_text(const Json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Writers of large documents (a snapshot or report of a map with 500k symbols) emit them as
// `{ "key": value, ... }` with each array element on a line of its own, built and dumped one at a
// time: a DOM of every row would take several times the map's size. One row per line also keeps
// a committed snapshot readable in a git diff.
class JsonLines {
public:
    // The text goes to `sink` a chunk at a time, the rest at close(): a report of two million
    // symbols is larger than the map, and is never held whole.
    explicit JsonLines(TextSink sink) : sink_(std::move(sink)) { out_ += "{\n"; }

    template <typename Json>
    void field(std::string_view key, const Json& value) {
        start(key);
        out_ += json_text(value);
    }

    // `row(i)` gives element i of an array of `count`.
    template <typename Row>
    void array(std::string_view key, std::size_t count, Row&& row) {
        start(key);
        out_ += '[';
        for (std::size_t i = 0; i < count; ++i) {
            out_ += i ? ",\n    " : "\n    ";
            out_ += json_text(row(i));
            if (out_.size() >= chunk) drain();
        }
        out_ += count ? "\n  ]" : "]";
    }

    void close() {
        out_ += first_ ? "}\n" : "\n}\n";
        drain();
    }

private:
    void start(std::string_view key) {
        out_ += first_ ? "  " : ",\n  ";
        first_ = false;
        out_ += json_text(nlohmann::json(key));
        out_ += ": ";
    }

    void drain() {
        sink_(out_);
        out_.clear();
    }

    static constexpr std::size_t chunk = 1 << 20;
    std::string out_;  // what is not yet handed to sink_
    TextSink sink_;
    bool first_ = true;
};

}  // namespace sizebudget

// Sizes and percents as budgets write them: "96K", "0x400", "1.5 MiB", "85%".
#include <cctype>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sizebudget/budget.hpp"

namespace sizebudget {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// Multiplier of a unit suffix, 0 when unknown.
std::uint64_t unit_multiplier(std::string_view unit) {
    struct U { std::string_view name; std::uint64_t mult; };
    static constexpr U units[] = {
        {"", 1},          {"B", 1},
        {"K", 1ull << 10}, {"KB", 1ull << 10}, {"KiB", 1ull << 10},
        {"M", 1ull << 20}, {"MB", 1ull << 20}, {"MiB", 1ull << 20},
        {"G", 1ull << 30}, {"GB", 1ull << 30}, {"GiB", 1ull << 30},
    };
    for (const U& u : units)
        if (iequals(unit, u.name)) return u.mult;
    return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::optional<Quantity> parse_quantity(std::string_view written, std::string& error) {
    const std::string_view text = trim(written);
    Quantity q;
    q.text = std::string(text);
    if (text.empty()) {
        error = "expected a size (e.g. 96K, 0x1000, 1.5MiB), found nothing";
        return std::nullopt;
    }
    if (text.front() == '-') {
        error = fmt::format("negative size '{}': sizes are 0 or more", text);
        return std::nullopt;
    }
    auto bad = [&](std::string_view why) {
        if (why.empty())
            error = fmt::format("cannot read '{}' as a size (write e.g. 96K, 0x1000, 1.5MiB or 85%)", text);
        else
            error = fmt::format("cannot read '{}' as a size: {}", text, why);
        return std::nullopt;
    };

    std::size_t i = 0;
    // Percent: decimal number followed by '%'.
    if (text.back() == '%') {
        std::string_view number = trim(text.substr(0, text.size() - 1));
        std::size_t digits = 0, dots = 0;
        for (char c : number) {
            if (is_digit(c)) ++digits;
            else if (c == '.') ++dots;
            else return bad("a percent is a plain decimal number followed by '%'");
        }
        if (digits == 0 || dots > 1 || number.front() == '.' || number.back() == '.')
            return bad("a percent is a plain decimal number followed by '%'");
        // Digits before the point say how large it is, after it how precise: more than ten
        // decimals are noise, not a budget.
        const std::size_t point = number.find('.');
        const std::size_t integer_digits = point == std::string_view::npos ? number.size() : point;
        const std::size_t decimals = point == std::string_view::npos ? 0 : number.size() - point - 1;
        if (integer_digits > 3) return bad("a percent is at most 100%");
        if (decimals > 10) return bad("a percent has at most ten decimals");
        q.unit = Quantity::Unit::percent;
        q.percent = std::stod(std::string(number));
        return q;
    }

    std::uint64_t whole = 0;
    std::uint64_t frac_num = 0, frac_den = 1;
    bool fraction_above_zero = false;  // also past the nine decimals kept
    constexpr std::uint64_t max64 = std::numeric_limits<std::uint64_t>::max();
    bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (hex) {
        i = 2;
        std::size_t start = i;
        while (i < text.size() && is_hex_digit(text[i])) {
            int d = std::isdigit(static_cast<unsigned char>(text[i]))
                        ? text[i] - '0'
                        : std::tolower(static_cast<unsigned char>(text[i])) - 'a' + 10;
            if (whole > (max64 - static_cast<std::uint64_t>(d)) / 16) return bad("too large");
            whole = whole * 16 + static_cast<std::uint64_t>(d);
            ++i;
        }
        if (i == start) return bad("no digits after 0x");
    } else {
        std::size_t start = i;
        while (i < text.size() && is_digit(text[i])) {
            auto d = static_cast<std::uint64_t>(text[i] - '0');
            if (whole > (max64 - d) / 10) return bad("too large");
            whole = whole * 10 + d;
            ++i;
        }
        if (i == start) return bad("");
        if (i < text.size() && text[i] == '.') {
            ++i;
            std::size_t fstart = i;
            while (i < text.size() && is_digit(text[i])) {
                fraction_above_zero = fraction_above_zero || text[i] != '0';
                if (i - fstart < 9) {  // nine decimals are plenty for a byte count
                    frac_num = frac_num * 10 + static_cast<std::uint64_t>(text[i] - '0');
                    frac_den *= 10;
                }
                ++i;
            }
            if (i == fstart) return bad("no digits after the decimal point");
        }
    }
    std::string_view unit = trim(text.substr(i));
    std::uint64_t mult = unit_multiplier(unit);
    if (mult == 0)
        return bad(fmt::format("unknown unit '{}'; use B, K/KB/KiB, M/MB/MiB or G/GB/GiB (all binary, "
                               "K = 1024)",
                               unit));
    if (frac_num != 0 && mult == 1)
        return bad("a number of bytes must be whole; fractions need a unit (1.5K)");
    if (whole > max64 / mult) return bad("too large");
    std::uint64_t bytes = whole * mult;
    // frac_num < 1e9 and mult <= 2^30, so the product fits.
    std::uint64_t frac_bytes = (frac_num * mult + frac_den / 2) / frac_den;
    if (bytes > max64 - frac_bytes) return bad("too large");
    q.bytes = bytes + frac_bytes;
    // A size written above zero must not round to 0, which means "forbidden".
    if (q.bytes == 0 && (whole != 0 || fraction_above_zero))
        return bad(fmt::format("it is less than half a byte; write 0 to forbid, or a size of at least 1 byte"));
    return q;
}

std::uint64_t percent_of(std::uint64_t base, double percent) {
    const long double v = std::floor(static_cast<long double>(base) * static_cast<long double>(percent) / 100.0L);
    if (!(v >= 0)) return 0;
    if (v >= 18446744073709551616.0L) return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(v);
}

}  // namespace sizebudget

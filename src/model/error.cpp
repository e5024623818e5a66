#include "sizebudget/error.hpp"

#include <fmt/format.h>

namespace sizebudget {

std::string Error::located() const {
    if (file_.empty()) return what();
    if (line_ == 0) return fmt::format("{}: {}", file_, what());
    if (column_ == 0) return fmt::format("{}:{}: {}", file_, line_, what());
    return fmt::format("{}:{}:{}: {}", file_, line_, column_, what());
}

}  // namespace sizebudget

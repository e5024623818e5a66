#include "read/object_table.hpp"

#include "sizebudget/error.hpp"

namespace sizebudget {

const char* ObjectTable::find(std::string_view path) {
    if (same_path(path, last_path_)) return map_.objects[last_].path.data();
    const auto it = indices_.find(map_.strings->path_key(path));
    return it == indices_.end() ? nullptr : map_.objects[it->second].path.data();
}

std::uint32_t ObjectTable::index(std::string_view path) {
    if (same_path(path, last_path_)) return last_;
    ScopedName key = map_.strings->path_key(path);
    last_path_.assign(path);
    if (auto it = indices_.find(key); it != indices_.end()) return last_ = it->second;
    const std::string_view stored = map_.intern(path);
    const auto id = static_cast<std::uint32_t>(map_.objects.size());
    if (stored != path) {
        auto [at, fresh] = escaped_.try_emplace(reinterpret_cast<std::uintptr_t>(stored.data()), id);
        if (!fresh) return last_ = at->second;
    }
    if (map_.objects.size() >= npos32 - 1) throw Error(in_.name(), in_.line_number(), "too many object files");
    ObjectFile obj;
    obj.path = stored;
    obj.member = stored;
    std::string_view archive, member;
    if (split_(stored, archive, member)) {
        // Interned: totals tell archives apart by the identity of their interned path, which
        // path_key() found already unless the parser splits this path differently. The member
        // stays a view into the path, which tells totals, without reading the path's text, that
        // the path is ARCHIVE(MEMBER).
        const std::string_view known = key.scope != 0 ? map_.strings->archive(key.scope) : std::string_view{};
        obj.archive = known == archive ? known : map_.intern(archive);
        obj.member = member;
    }
    key.name = keys_.intern(key.name);  // a view that outlives the line
    map_.objects.push_back(obj);
    indices_.emplace(key, id);
    return last_ = id;
}

}  // namespace sizebudget

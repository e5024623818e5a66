// Identities of archives, objects and symbols that do not depend on where the build ran.
#include "sizebudget/identity.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include "sizebudget/demangle.hpp"
#include "sizebudget/name_hash.hpp"

namespace sizebudget {

namespace {

std::string forward_slashes(std::string_view path) {
    std::string out(path);
    std::replace(out.begin(), out.end(), '\\', '/');
    return out;
}

std::string_view last_component(std::string_view path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_hex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

// A Rust codegen unit ("core-1a2b3c4d5e6f7a8b.core.9f8e7d6c-cgu.3.rcgu.o",
// "aspeed_ddk-c6ab62bacbf4df4d.02ee8lpzewtxp33l7gfixrtgu.rcgu.o") as its crate's: "core.rcgu.o".
std::string codegen_unit(std::string_view file) {
    std::size_t end = file.find_first_of("-.");
    return std::string(file.substr(0, end)) + ".rcgu.o";
}

// The folder a multi-configuration generator adds below "CMakeFiles/<target>.dir/".
bool is_configuration_folder(std::string_view name) {
    static constexpr std::array<std::string_view, 4> configs = {"Debug", "Release", "RelWithDebInfo", "MinSizeRel"};
    return std::find(configs.begin(), configs.end(), name) != configs.end();
}

std::string cmake_relative(std::string_view path) {
    std::size_t at = path.rfind("CMakeFiles/");
    if (at == std::string_view::npos) return {};
    std::string out(path.substr(at));
    // "CMakeFiles/fw.dir/Debug/src/main.c.obj" -> "CMakeFiles/fw.dir/src/main.c.obj"
    std::size_t dir = out.find(".dir/");
    if (dir != std::string::npos) {
        std::size_t start = dir + 5, end = out.find('/', start);
        if (end != std::string::npos && is_configuration_folder(std::string_view(out).substr(start, end - start)))
            out.erase(start, end - start + 1);
    }
    return out;
}

bool is_absolute(std::string_view path) {
    return path.starts_with('/') || (path.size() > 2 && path[1] == ':' && path[2] == '/');
}

// `path` ends with `id`'s last components; the identity made of its last `k` components.
std::string trailing_components(std::string_view path, std::size_t k) {
    std::size_t at = path.size();
    for (std::size_t i = 0; i < k; ++i) {
        std::size_t slash = at == 0 ? std::string_view::npos : path.rfind('/', at - 1);
        if (slash == std::string_view::npos) return std::string(path);
        at = slash;
    }
    return std::string(path.substr(at + 1));
}

// Rows sharing an identity but naming different paths keep as many trailing folders of their
// (archive) paths as tell them apart. `disambiguate(path, k)` makes the identity with k folders.
template <typename Disambiguate>
void separate(const ItemRows& rows, std::vector<std::string>& ids, const std::vector<std::string>& paths,
              Disambiguate disambiguate) {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (!paths[i].empty()) groups[ids[i]].push_back(i);
    for (auto& [id, members] : groups) {
        std::set<std::string> distinct;
        for (std::size_t i : members) distinct.insert(paths[i]);
        if (distinct.size() < 2) continue;
        for (std::size_t k = 1; k < 64; ++k) {
            std::set<std::string> made;
            std::map<std::string, std::string> by_path;
            for (const std::string& p : distinct) made.insert(by_path[p] = disambiguate(p, k));
            if (made.size() == distinct.size() || k == 63) {
                for (std::size_t i : members) ids[i] = by_path[paths[i]];
                break;
            }
        }
    }
}

}  // namespace

std::string archive_identity(std::string_view archive_path) {
    std::string name(last_component(forward_slashes(archive_path)));
    // "libcore-1a2b3c4d5e6f7a8b.rlib" -> "libcore.rlib"
    if (name.ends_with(".rlib")) {
        std::size_t dash = name.rfind('-');
        if (dash != std::string::npos && name.size() - 5 - (dash + 1) == 16 &&
            is_hex(std::string_view(name).substr(dash + 1, 16)))
            name.erase(dash, 17);
    }
    return name;
}

std::string object_identity(std::string_view object_path) {
    const std::string path = forward_slashes(object_path);
    std::string_view archive, member;
    if (split_archive_member(path, archive, member)) {
        std::string m = member.ends_with(".rcgu.o") ? codegen_unit(member) : std::string(member);
        return archive_identity(archive) + "(" + m + ")";
    }
    std::string_view file = last_component(path);
    if (file.ends_with(".rcgu.o")) return codegen_unit(file);
    if (std::string rel = cmake_relative(path); !rel.empty()) return rel;
    if (!is_absolute(path)) return std::string(path.starts_with("./") ? std::string_view(path).substr(2) : path);
    return std::string(file);
}

std::string readable_symbol_name(std::string_view name) { return demangle(name); }

std::string portable_path(std::string_view path) {
    std::string p = forward_slashes(path);
    if (p.empty() || !is_absolute(p)) return p;
    static const std::string cwd = [] {
        std::error_code ec;
        std::filesystem::path here = std::filesystem::current_path(ec);
        return ec ? std::string() : here.generic_string();
    }();
    if (!cwd.empty() && p.size() > cwd.size() + 1 && p.starts_with(cwd) && p[cwd.size()] == '/')
        return p.substr(cwd.size() + 1);
    return object_identity(p);
}

void assign_identities(Totals& t) {
    auto keep = [&](std::string_view text, std::string_view existing) {
        return text == existing ? existing : t.strings->copy(text);
    };
    for (std::size_t i = 0; i < t.sections.size(); ++i) t.sections.set_id(i, t.sections.name(i));
    // Crate names carry no path or hash.
    for (std::size_t i = 0; i < t.crates.size(); ++i) t.crates.set_id(i, t.crates.name(i));

    // Archives.
    {
        std::vector<std::string> ids, paths;
        for (const ItemSize& a : t.archives) {
            paths.push_back(a.path.empty() ? std::string() : forward_slashes(a.path));
            ids.push_back(a.path.empty() ? std::string(a.name) : archive_identity(a.path));
        }
        separate(t.archives, ids, paths, [](const std::string& p, std::size_t k) {
            std::string id = archive_identity(p);
            std::size_t slash = p.rfind('/');
            if (k == 1 || slash == std::string::npos) return id;
            return trailing_components(std::string_view(p).substr(0, slash), k - 1) + "/" + id;
        });
        for (std::size_t i = 0; i < t.archives.size(); ++i) t.archives.set_id(i, keep(ids[i], t.archives.name(i)));
    }

    // Objects; codegen units of one crate share their identity on purpose.
    NameMap<std::string_view> object_ids;  // object path -> identity
    {
        std::vector<std::string> ids, paths;
        for (const ItemSize& o : t.objects) {
            const bool real = !o.path.empty();
            ids.push_back(real ? object_identity(o.path) : std::string(o.name));
            paths.push_back(real && !ids.back().ends_with(".rcgu.o") && !ids.back().ends_with(".rcgu.o)")
                                ? forward_slashes(o.path)
                                : std::string());
        }
        separate(t.objects, ids, paths, [](const std::string& p, std::size_t k) {
            std::string_view archive, member;
            if (split_archive_member(p, archive, member))
                return trailing_components(archive, k) + "(" + std::string(member) + ")";
            return trailing_components(p, k);
        });
        for (std::size_t i = 0; i < t.objects.size(); ++i) {
            const std::string_view id = keep(ids[i], t.objects.name(i));
            t.objects.set_id(i, id);
            if (!t.objects.path(i).empty()) object_ids.emplace(t.objects.path(i), id);
        }
    }

    // Symbols: the readable name, and the object where one name is defined in several.
    struct Seen {
        std::string_view object;
        bool several = false;
    };
    NameMap<Seen> by_name;
    std::vector<std::string_view> readable(t.symbols.size()), owner(t.symbols.size());
    for (std::size_t i = 0; i < t.symbols.size(); ++i) {
        const std::string_view name = t.symbols.name(i), path = t.symbols.path(i);
        readable[i] = keep(readable_symbol_name(name), name);
        if (!path.empty()) {
            auto it = object_ids.find(path);
            owner[i] = it != object_ids.end() ? it->second : t.strings->copy(object_identity(path));
        }
        auto [it, fresh] = by_name.try_emplace(readable[i], Seen{owner[i]});
        if (!fresh && it->second.object != owner[i]) it->second.several = true;
    }
    for (std::size_t i = 0; i < t.symbols.size(); ++i) {
        if (by_name.find(readable[i])->second.several && !owner[i].empty())
            t.symbols.set_id(i, t.strings->copy(std::string(readable[i]) + " (" + std::string(owner[i]) + ")"));
        else
            t.symbols.set_id(i, readable[i]);
    }
}

}  // namespace sizebudget

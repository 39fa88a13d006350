#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dossier::renderers {

/// A reference list beside the templates (templates/lists/<id>.json, format in
/// templates/lists/SOURCES.md): items with a stored `value` and a printed `label`. Templates
/// choose from these lists; the filing (组织备案) checks its codes against them.
/// Immutable once loaded, so thread-safe to read.
struct ReferenceList {
    struct Item {
        std::string value;
        std::string label;
        /// The item's other string members, such as a city's "province".
        std::map<std::string, std::string> attributes;
    };
    std::string id;
    std::string title;
    std::vector<Item> items;
    /// The item whose value is `value`, or null.
    const Item* find(const std::string& value) const;

    /// Reads `<listDir>/<name>.json`. Throws render.template (naming the list) when the name
    /// is not [a-z0-9-], the file is missing or it is not such a list.
    static std::unique_ptr<ReferenceList> load(const std::string& listDir, const std::string& name);
};

}  // namespace dossier::renderers

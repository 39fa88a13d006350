#include "dossier/renderers/ReferenceList.h"

#include <Poco/JSON/Object.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "TemplateJson.h"

namespace dossier::renderers {

const ReferenceList::Item* ReferenceList::find(const std::string& value) const {
    for (const auto& item : items) {
        if (item.value == value) return &item;
    }
    return nullptr;
}

std::unique_ptr<ReferenceList> ReferenceList::load(const std::string& listDir,
                                                   const std::string& name) {
    static const std::regex safe("^[a-z0-9][a-z0-9-]{0,63}$");
    if (!std::regex_match(name, safe))
        templateError("lists", "list name \"" + name + "\" is not [a-z0-9-]");
    std::ifstream in(listDir + "/" + name + ".json", std::ios::binary);
    if (!in) templateError("lists", "the list \"" + name + "\" does not exist in " + listDir);
    std::stringstream buf;
    buf << in.rdbuf();
    Poco::JSON::Object::Ptr o;
    try {
        o = orderedParser().parse(buf.str()).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception& e) {
        templateError("lists/" + name, std::string("the list is not JSON: ") + e.what());
    }
    auto list = std::make_unique<ReferenceList>();
    list->id = name;
    list->title = str(o, "title");
    auto items = o->getArray("items");
    if (!items) templateError("lists/" + name, "a list needs \"items\"");
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item = items->getObject(static_cast<unsigned>(i));
        if (!item) templateError("lists/" + name, "items are {value, label}");
        Item entry{str(item, "value"), str(item, "label", str(item, "value")), {}};
        for (const auto& [key, value] : *item) {
            if (key != "value" && key != "label" && value.isString())
                entry.attributes[key] = value.extract<std::string>();
        }
        list->items.push_back(std::move(entry));
    }
    return list;
}

}  // namespace dossier::renderers

#include "TemplateCache.h"

namespace dossier::renderers {

std::shared_ptr<const DocumentTemplate> TemplateCache::get(const std::string& path,
                                                           const Loader& load) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = templates_.find(path); it != templates_.end()) return it->second;
    }
    auto loaded = load();
    std::lock_guard lock(mutex_);
    return templates_.emplace(path, std::move(loaded)).first->second;
}

}  // namespace dossier::renderers

#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "dossier/renderers/DocumentTemplate.h"

namespace dossier::renderers {

/// Templates already loaded, by file path, for the life of the process: a template is
/// parsed (and dry-run) once, not per request. Never evicts; an edited template file is
/// read by the next process. Thread-safe.
class TemplateCache {
  public:
    using Loader = std::function<std::shared_ptr<const DocumentTemplate>()>;

    /// The template cached for `path`, or the one `load` returns, cached. `load` runs outside
    /// the lock, so a slow parse does not hold up other templates; when two threads load the
    /// same path at once the first to finish is kept and both get it. What `load` throws
    /// passes through and nothing is cached.
    std::shared_ptr<const DocumentTemplate> get(const std::string& path, const Loader& load);

  private:
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const DocumentTemplate>> templates_;
};

}  // namespace dossier::renderers

#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "TemplateField.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/DocumentTemplate.h"

namespace dossier::renderers {

/// What data a template accepts: its fields with their rules (templates/README.md), the
/// consecutive years it reports on, its constants and the reference lists its fields and
/// checkboxes name. Immutable once built, except that a list not loaded yet is loaded on
/// first use; thread-safe.
class TemplateSchema {
  public:
    /// Reads "years", "constants", "fields", "field_order" and "ignore_unknown_fields" of a
    /// template and loads the lists its fields name from `<listDir>/<name>.json`. Throws
    /// render.template naming the place when any of it is malformed.
    TemplateSchema(const Poco::JSON::Object::Ptr& root, std::string listDir);
    TemplateSchema(const TemplateSchema&) = delete;
    TemplateSchema& operator=(const TemplateSchema&) = delete;

    /// The object field at the root of the data.
    const TemplateField& root() const { return *root_; }
    /// The template's consecutive years, oldest first (empty when it has none).
    const std::vector<int>& years() const { return years_; }
    /// The constant `name` (a list of objects), or null.
    Poco::JSON::Array::Ptr constant(const std::string& name) const;
    /// The reference list `<listDir>/<name>.json`, loaded once; the pointer lives as long as
    /// the schema. Throws render.template when the name is not [a-z0-9-] or the list is
    /// missing or malformed.
    const ReferenceList* list(const std::string& name) const;
    /// The field at a data path below `from` ({"management", "products", "0", "name"}), or
    /// null when the schema has none there (or `from` is null).
    const TemplateField* fieldAt(const TemplateField* from,
                                 const std::vector<std::string>& segs) const;
    /// Every problem of `data` ({path, code, message}), in field order. A draft skips only
    /// what is missing (field.required, field.year_missing).
    std::vector<FieldProblem> problems(const Poco::Dynamic::Var& data, bool draft) const;
    /// Throws ValidationError with every problem at once when problems() finds any.
    void validate(const Poco::Dynamic::Var& data, bool draft) const;

  private:
    std::shared_ptr<TemplateField> parseField(const Poco::JSON::Object::Ptr& o,
                                              const std::string& where);
    void check(const TemplateField& f, const Poco::Dynamic::Var& v, const std::string& path,
               std::vector<FieldProblem>& out) const;

    std::string listDir_;
    std::vector<int> years_;
    std::map<std::string, Poco::JSON::Array::Ptr> constants_;
    bool ignoreUnknownFields_ = false;  // forms share one organization profile
    // Lists are loaded while the template is parsed (its dry run names every one); the lock
    // covers a list first named where the dry run did not reach.
    mutable std::mutex listsMutex_;
    mutable std::map<std::string, std::unique_ptr<ReferenceList>> lists_;
    std::vector<std::unique_ptr<ReferenceList>> inlineLists_;  // a field's own "options"
    std::shared_ptr<TemplateField> root_;
};

}  // namespace dossier::renderers

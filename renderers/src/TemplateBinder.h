#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "TemplateBlock.h"
#include "TemplateField.h"
#include "TemplateSchema.h"

namespace dossier::renderers {

/// Binds a template's body to data: substitutes {parameters} and {{field}} values, prints
/// values as forms do (choices by label, dates the Chinese way), expands rows per year, per
/// constant or per list item and repeated sections, and yields the blocks to lay out.
/// One binder per document; not thread-safe. The schema and body must outlive it.
class TemplateBinder {
  public:
    /// `body`: the template's "body" (null is reported as malformed). `strict` is the dry run
    /// at load: every field the body names must exist in the schema, and rows and sections
    /// over a list are bound at least once so their fields are checked too.
    TemplateBinder(const TemplateSchema& schema, Poco::JSON::Array::Ptr body,
                   Poco::Dynamic::Var data, bool strict);

    /// The blocks, in reading order. Call once. Throws render.template for a malformed body.
    std::vector<TemplateBlock> run();

    /// The value at a data path as printed (e.g. the PDF author from "author_field").
    std::string valueAt(const std::string& path) const;

  private:
    struct Context {
        Poco::Dynamic::Var item;  // the current array item ("@")
        const TemplateField* itemSchema = nullptr;
        std::map<std::string, std::string> params;  // {name} substitutions
    };

    std::string subst(const std::string& s, const Context& ctx) const;
    std::pair<Poco::Dynamic::Var, const TemplateField*> lookup(const std::string& path,
                                                               const Context& ctx) const;
    std::string value(const std::string& path, const Context& ctx) const;
    std::string checkboxes(const Poco::JSON::Object::Ptr& spec, const Context& ctx) const;
    std::string content(const Poco::JSON::Object::Ptr& o, const Context& ctx) const;
    TextStyle style(const Poco::JSON::Object::Ptr& o, TextStyle s) const;
    FillInLine line(const Poco::JSON::Object::Ptr& o, const Context& ctx, double size) const;
    void rows(const Poco::JSON::Object::Ptr& row, const Context& ctx, Table& table,
              const std::string& where);
    void blocks(const Poco::JSON::Array::Ptr& body, const Context& ctx, const std::string& where);
    void block(const Poco::JSON::Object::Ptr& o, const Context& ctx, const std::string& at);

    const TemplateSchema& schema_;
    Poco::JSON::Array::Ptr body_;
    Poco::Dynamic::Var data_;
    bool strict_;
    std::vector<TemplateBlock> out_;
};

}  // namespace dossier::renderers

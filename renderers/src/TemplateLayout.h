#pragma once

#include <Poco/JSON/Object.h>

#include <vector>

#include "TemplateBlock.h"
#include "dossier/renderers/PdfComposer.h"

namespace dossier::renderers {

/// How a template's blocks go on paper: the page from the template's "page" (orientation,
/// page numbers), fill-in lines that shrink their value to fit and then wrap, signature
/// blocks with a seal box, tables and page breaks. Immutable; thread-safe (each layOut
/// draws on its own composer).
class TemplateLayout {
  public:
    /// Reads the template's "page"; render.template when a member has the wrong type.
    explicit TemplateLayout(const Poco::JSON::Object::Ptr& root);

    const PageSetup& page() const { return page_; }
    /// Draws `blocks` onto `pdf`, which must have been made with page(). Throws what
    /// PdfComposer throws (render.glyph_missing, a table that does not fit its columns).
    void layOut(PdfComposer& pdf, const std::vector<TemplateBlock>& blocks) const;

  private:
    PageSetup page_;
};

}  // namespace dossier::renderers

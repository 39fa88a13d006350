#pragma once

#include <string>
#include <vector>

#include "TemplateBlock.h"
#include "dossier/renderers/PdfComposer.h"

namespace dossier::renderers {

/// A template's bound blocks as a WordprocessingML package (.docx): what TemplateLayout does
/// on paper for the PDF, in Word's terms (see DocumentTemplate::renderDocx for the mapping).
/// `page` gives the paper, margins and page numbers; `info` the title and author
/// (createdMicros is not written: the same blocks give the same bytes). Throws render.failed
/// for a table row with more cells than columns. Pure; thread-safe.
std::string writeDocx(const std::vector<TemplateBlock>& blocks, const PageSetup& page,
                      const DocumentInfo& info);

}  // namespace dossier::renderers

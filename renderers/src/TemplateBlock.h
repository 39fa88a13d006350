#pragma once

#include <string>
#include <vector>

#include "dossier/renderers/PdfComposer.h"

namespace dossier::renderers {

/// A fill-in line: "label ____value____ suffix", the value written on the underline.
struct FillInLine {
    std::string label, value, suffix;
    double size = 14;
    double indent = 0;  // from the left margin
    double width = 0;   // of the fill-in area; 0 = to the right margin
    bool underline = true;
    bool center = false;
};

/// One piece of a template's body bound to data (TemplateBinder), ready for TemplateLayout
/// to lay out and for DocumentTemplate::flatten to list. All lengths are points.
struct TemplateBlock {
    enum class Kind {
        Title,
        Heading,
        Paragraph,
        Note,
        Line,
        Signature,
        Spacer,
        PageBreak,
        Table
    } kind;
    std::string text;
    TextStyle style;
    double spaceAfter = 0;
    std::vector<FillInLine> lines;  // Line (one), Signature (several)
    bool sealBox = false;
    std::string sealLabel;
    Table table;
    double height = 0;
    double indent = -1;  // Signature: where its lines start (points from the left margin)
};

}  // namespace dossier::renderers

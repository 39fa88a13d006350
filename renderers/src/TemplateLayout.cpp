#include "TemplateLayout.h"

#include <algorithm>

#include "TemplateJson.h"
#include "dossier/core/Utf8.h"
#include "dossier/renderers/LineBreaker.h"

namespace dossier::renderers {

TemplateLayout::TemplateLayout(const Poco::JSON::Object::Ptr& root) {
    if (auto page = root->getObject("page")) {
        if (str(page, "orientation") == "landscape") std::swap(page_.width, page_.height);
        page_.pageNumbers = !page->has("page_numbers") || flag(page, "page_numbers");
        page_.firstNumberedPage = static_cast<int>(num(page, "numbers_from", 1));
    }
}

namespace {

void drawLine(PdfComposer& pdf, const FillInLine& l, double indent) {
    const auto& page = pdf.page();
    double contentW = page.width - page.marginLeft - page.marginRight;
    TextStyle st{Face::Song, l.size, 1.2, TextStyle::Align::Left, 0};
    double labelW = pdf.textWidth(l.label, st);
    double suffixW = pdf.textWidth(l.suffix, st);
    double area = l.width > 0 ? l.width : contentW - indent - labelW - suffixW;
    area = std::max(area, l.size * 2);
    // The value shrinks to fit its line (down to 8 pt), then wraps.
    double size = l.size;
    TextStyle vs = st;
    while (size > 8 && pdf.textWidth(l.value, vs) > area - 4) {
        size -= 0.5;
        vs.size = size;
    }
    std::vector<std::u32string> lines{utf8::decode(l.value)};
    if (pdf.textWidth(l.value, vs) > area - 4) {
        auto measure = [&](char32_t cp) {
            return pdf.textWidth(utf8::encode(std::u32string(1, cp)), vs);
        };
        lines = LineBreaker(measure, area - 4).breakLines(utf8::decode(l.value));
    }
    double lineStep = l.size * 2.0;
    double extra = (lines.size() - 1) * size * 1.3;
    pdf.ensureSpace(lineStep + extra);
    double x = page.marginLeft + indent;
    if (l.center) x = page.marginLeft + (contentW - labelW - area - suffixW) / 2;
    double baseline = pdf.cursor() - l.size * 1.4;
    pdf.textAt(x, baseline, l.label, st);
    double y = baseline;
    for (const auto& text : lines) {
        pdf.textAt(x + labelW + 2, y, utf8::encode(text), vs);
        y -= size * 1.3;
    }
    double underY = baseline - extra - 3;
    if (l.underline) pdf.line(x + labelW, underY, x + labelW + area, underY, 0.5);
    pdf.textAt(x + labelW + area, baseline, l.suffix, st);
    pdf.space(lineStep + extra);
}

}  // namespace

void TemplateLayout::layOut(PdfComposer& pdf, const std::vector<TemplateBlock>& blocks) const {
    const auto& page = pdf.page();
    double contentW = page.width - page.marginLeft - page.marginRight;
    for (const auto& b : blocks) {
        switch (b.kind) {
            case TemplateBlock::Kind::Title:
            case TemplateBlock::Kind::Heading:
            case TemplateBlock::Kind::Paragraph:
            case TemplateBlock::Kind::Note:
                if (!b.text.empty()) pdf.paragraph(b.text, b.style);
                if (b.spaceAfter > 0) pdf.space(b.spaceAfter);
                break;
            case TemplateBlock::Kind::Line:
                drawLine(pdf, b.lines.front(), b.lines.front().indent);
                break;
            case TemplateBlock::Kind::Signature: {
                const double seal = 116;  // a 42 mm 公章
                double height = 0;
                for (const auto& l : b.lines) height += l.size * 2.0;
                pdf.ensureSpace(std::max(height, b.sealBox ? seal + 8 : 0.0));
                double top = pdf.cursor();
                double indent = b.indent >= 0 ? b.indent : contentW * 0.38;
                for (const auto& l : b.lines) drawLine(pdf, l, l.indent >= 0 ? l.indent : indent);
                if (b.sealBox) {
                    double x = page.marginLeft + contentW - seal;
                    double y = top - seal - 4;
                    pdf.strokeRect(x, y, seal, seal, 0.5, 0.6);
                    pdf.textAt(x + seal / 2, y + 6, b.sealLabel,
                               {Face::Song, 9, 1.2, TextStyle::Align::Center, 0});
                    if (pdf.cursor() > y - 8) pdf.space(pdf.cursor() - (y - 8));
                }
                break;
            }
            case TemplateBlock::Kind::Spacer:
                pdf.space(b.height);
                break;
            case TemplateBlock::Kind::PageBreak:
                if (pdf.cursor() < page.height - page.marginTop - 0.5) pdf.pageBreak();
                break;
            case TemplateBlock::Kind::Table:
                pdf.table(b.table);
                break;
        }
    }
}

}  // namespace dossier::renderers

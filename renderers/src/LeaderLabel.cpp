#include "dossier/renderers/LeaderLabel.h"

#include <Poco/JSON/Object.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "FixedLayoutSchema.h"
#include "TemplateJson.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/LineBreaker.h"
#include "dossier/renderers/PdfComposer.h"

namespace dossier::renderers {
namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kWidth = kLeaderLabelWidthMm * kPointsPerMm;    // 170.08 pt
constexpr double kHeight = kLeaderLabelHeightMm * kPointsPerMm;  // 113.39 pt

/// Text fitted into a box: the size and the lines.
struct Fitted {
    double size = 0;
    std::vector<std::string> lines;
};

/// The largest size from `maxSize` down to `minSize` (0.25 pt steps) at which `value` breaks
/// into at most `maxLines` lines no wider than `width`; nullopt if none.
std::optional<Fitted> fitAt(const PdfComposer& pdf, const std::string& value, Face face,
                            double width, std::size_t maxLines, double maxSize, double minSize) {
    const std::u32string u = utf8::decode(value);
    for (double size = maxSize; size >= minSize - 1e-9; size -= 0.25) {
        TextStyle style{face, size, 1.2, TextStyle::Align::Left, 0};
        auto measure = [&](char32_t cp) {
            std::string s;
            utf8::append(s, cp);
            return pdf.textWidth(s, style);
        };
        auto lines = LineBreaker(measure, width).breakLines(u);
        if (lines.empty() || lines.size() > maxLines) continue;
        Fitted fitted{size, {}};
        bool fits = true;
        for (const auto& line : lines) {
            fitted.lines.push_back(utf8::encode(line));
            // The breaker may hang one closing mark past the width; the label has no room.
            if (pdf.textWidth(fitted.lines.back(), style) > width + 1e-6) fits = false;
        }
        if (fits) return fitted;
    }
    return std::nullopt;
}

/// One line shrinking from `maxSize` to `oneLineMin`, else two lines from `twoLineMax` down:
/// long names stay inside the label, never past its edge. A value the schema's lengths let
/// through that still does not fit (characters far wider than CJK ones) is the data's
/// problem, named by its `path`: field.too_long.
Fitted fit(const PdfComposer& pdf, const std::string& value, Face face, double width,
           double maxSize, double oneLineMin, double twoLineMax, const char* path) {
    if (auto f = fitAt(pdf, value, face, width, 1, maxSize, oneLineMin)) return *f;
    if (auto f = fitAt(pdf, value, face, width, 2, twoLineMax, 2.0)) return *f;
    throw ValidationError(
        {{path, codes::kFieldTooLong, std::string(path) + " does not fit on the label."}});
}

/// Draws `f` centred vertically on `centreY`; left-aligned at x, or centred on x.
void drawBlock(PdfComposer& pdf, const Fitted& f, Face face, double x, double centreY,
               bool centre) {
    const double pitch = f.size * 1.2;
    const double blockHeight = (f.lines.size() - 1) * pitch + f.size;
    double baseline = centreY + blockHeight / 2 - f.size * 0.88;  // CJK ascent ≈ 0.88 em
    TextStyle style{face, f.size, 1.2, centre ? TextStyle::Align::Center : TextStyle::Align::Left,
                    0};
    for (const auto& line : f.lines) {
        pdf.textAt(x, baseline, line, style);
        baseline -= pitch;
    }
}

/// libharu's ToUnicode CMaps make poppler complain on stderr; the text still extracts.
void silencePoppler() {
    static std::once_flag once;
    std::call_once(
        once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

void putU32(std::string& out, std::uint32_t v) {
    out += static_cast<char>(v >> 24);
    out += static_cast<char>(v >> 16);
    out += static_cast<char>(v >> 8);
    out += static_cast<char>(v);
}

void chunk(std::string& png, const char* type, const std::string& data) {
    putU32(png, static_cast<std::uint32_t>(data.size()));
    std::string body = std::string(type, 4) + data;
    png += body;
    putU32(png, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                                 static_cast<uInt>(body.size()))));
}

/// 8-bit RGB PNG of poppler's ARGB32 image: no time or text chunks, fixed zlib settings, so
/// the same pixels give the same bytes.
std::string encodePng(const poppler::image& img, int dpi) {
    const int w = img.width(), h = img.height();
    std::string raw;
    raw.reserve(std::size_t(h) * (1 + 3 * std::size_t(w)));
    const char* data = img.const_data();
    for (int y = 0; y < h; ++y) {
        const auto* row =
            reinterpret_cast<const unsigned char*>(data + std::size_t(y) * img.bytes_per_row());
        raw += '\0';  // filter: none
        for (int x = 0; x < w; ++x) {
            // Little-endian ARGB32: bytes B, G, R, A (the paper is opaque white).
            raw += static_cast<char>(row[4 * x + 2]);
            raw += static_cast<char>(row[4 * x + 1]);
            raw += static_cast<char>(row[4 * x]);
        }
    }
    uLongf packedSize = compressBound(static_cast<uLong>(raw.size()));
    std::string packed(packedSize, '\0');
    if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packedSize,
                  reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                  9) != Z_OK) {
        throw Error(codes::kRenderFailed, "The label image could not be compressed.");
    }
    packed.resize(packedSize);

    std::string png("\x89PNG\r\n\x1A\n", 8);
    std::string ihdr;
    putU32(ihdr, static_cast<std::uint32_t>(w));
    putU32(ihdr, static_cast<std::uint32_t>(h));
    ihdr += std::string("\x08\x02\x00\x00\x00",
                        5);  // 8-bit, RGB, deflate, no filter choice, no interlace
    chunk(png, "IHDR", ihdr);
    std::string phys;
    const auto perMetre = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
    putU32(phys, perMetre);
    putU32(phys, perMetre);
    phys += '\x01';  // unit: metre
    chunk(png, "pHYs", phys);
    chunk(png, "IDAT", packed);
    chunk(png, "IEND", {});
    return png;
}

}  // namespace

LeaderLabel LeaderLabel::fromJson(const std::string& json) {
    Poco::Dynamic::Var data = parseRequestData(json, "label data");
    auto problems = leaderLabelSchema().problems(data, false);
    if (!problems.empty()) throw ValidationError(std::move(problems));
    // Accepted by the schema: every value below is present, of its type and in its range.
    Poco::JSON::Object::Ptr o = asObject(data);
    LeaderLabel l;
    l.certificateNumber = schemaText(o, "certificate_number");
    l.enterpriseName = schemaText(o, "enterprise_name");
    l.productName = schemaText(o, "product_name");
    l.model = schemaText(o, "model");
    l.standardNumber = schemaText(o, "standard_number");
    l.starLevel = static_cast<int>(o->get("star_level").convert<double>());
    l.verifyUrl = schemaText(o, "verify_url");
    return l;
}

void LeaderLabel::validate() const {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(true);
    o->set("certificate_number", certificateNumber);
    o->set("enterprise_name", enterpriseName);
    o->set("product_name", productName);
    o->set("model", model);
    o->set("standard_number", standardNumber);
    o->set("star_level", starLevel);
    o->set("verify_url", verifyUrl);
    auto problems = leaderLabelSchema().problems(Poco::Dynamic::Var(o), false);
    if (!problems.empty()) throw ValidationError(std::move(problems));
}

std::string renderLeaderLabelPdf(const LeaderLabel& l, std::int64_t createdMicros) {
    l.validate();
    PageSetup page;
    page.width = kWidth;
    page.height = kHeight;
    page.marginTop = page.marginBottom = page.marginLeft = page.marginRight = 0;
    page.pageNumbers = false;
    const std::string heading = l.selfDeclared ? "自我声明星级产品" : "企业标准领跑者";
    PdfComposer pdf(page, {heading + "标识 " + l.certificateNumber + " " + l.model,
                           l.enterpriseName, createdMicros});
    const double w = kWidth, h = kHeight;
    const double inset = 8;  // content stays inside this margin, clear of the frame
    const double left = inset, right = w - inset;

    // Bold outer frame, thin inner one.
    pdf.strokeRect(2.5, 2.5, w - 5, h - 5, 1.8);
    pdf.strokeRect(5, 5, w - 10, h - 10, 0.5);

    // Title and stars.
    const double top = h - inset;
    Fitted title = fit(pdf, heading, Face::Hei, right - left, 11, 6, 6, "title");
    drawBlock(pdf, title, Face::Hei, w / 2, top - 6, true);
    std::string stars;
    for (int i = 0; i < l.starLevel; ++i) stars += "★";
    pdf.textAt(w / 2, top - 21.5, stars, {Face::Hei, 8.5, 1.2, TextStyle::Align::Center, 0});
    const double ruleY = top - 26;
    pdf.fillRect(left, ruleY, right - left, 0.5);

    // The QR code of the verification page, as vector modules, right of the fields.
    const double qrSize = 44, qrX = right - qrSize, qrY = 29.5;
    pdf.qrCode(l.verifyUrl, qrX, qrY, qrSize, 2);
    pdf.textAt(qrX + qrSize / 2, qrY - 4.5, "扫码验证",
               {Face::Song, 4.5, 1.2, TextStyle::Align::Center, 0});

    // The fields: 黑体 labels, values shrinking (then wrapping) into the space left of the QR.
    const double fieldsTop = ruleY - 1.5, fieldsBottom = 24, fieldsRight = qrX - 3;
    struct Row {
        const char* label;
        const std::string& value;
        Face face;
        const char* path;
    };
    const Row rows[] = {{"型号：", l.model, Face::Hei, "model"},
                        {l.selfDeclared ? "声明编号：" : "证书编号：", l.certificateNumber,
                         Face::Song, "certificate_number"},
                        {"产品名称：", l.productName, Face::Song, "product_name"},
                        {"企业标准：", l.standardNumber, Face::Song, "standard_number"}};
    const TextStyle labelStyle{Face::Hei, 5.5, 1.2, TextStyle::Align::Left, 0};
    double labelWidth = 0;
    for (const auto& r : rows)
        labelWidth = std::max(labelWidth, pdf.textWidth(r.label, labelStyle));
    const double valueX = left + labelWidth, valueWidth = fieldsRight - valueX;
    const double slot = (fieldsTop - fieldsBottom) / std::size(rows);
    double slotTop = fieldsTop;
    for (const auto& r : rows) {
        const double centre = slotTop - slot / 2;
        drawBlock(pdf, {labelStyle.size, {r.label}}, Face::Hei, left, centre, false);
        drawBlock(pdf, fit(pdf, r.value, r.face, valueWidth, 6.5, 4.5, 5, r.path), r.face, valueX,
                  centre, false);
        slotTop -= slot;
    }

    // The enterprise, centred along the bottom.
    drawBlock(pdf, fit(pdf, l.enterpriseName, Face::Song, right - left, 7, 5, 6, "enterprise_name"),
              Face::Song, w / 2, inset + 7.5, true);
    return pdf.finish();
}

std::string renderLeaderLabelPng(const LeaderLabel& l, int dpi) {
    if (dpi < 72 || dpi > 1200) {
        throw Error(codes::kRenderFailed, "The label resolution must be 72 to 1200 dpi.",
                    std::to_string(dpi));
    }
    const std::string pdf = renderLeaderLabelPdf(l);
    silencePoppler();
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
    if (!doc || doc->pages() < 1)
        throw Error(codes::kRenderFailed, "The label PDF could not be read back.");
    std::unique_ptr<poppler::page> page(doc->create_page(0));
    if (!page) throw Error(codes::kRenderFailed, "The label PDF could not be read back.");
    const int widthPx = static_cast<int>(std::lround(kLeaderLabelWidthMm / 25.4 * dpi));
    const int heightPx = static_cast<int>(std::lround(kLeaderLabelHeightMm / 25.4 * dpi));
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_argb32);
    renderer.set_paper_color(0xFFFFFFFF);
    poppler::image img = renderer.render_page(page.get(), dpi, dpi, 0, 0, widthPx, heightPx);
    if (!img.is_valid() || img.width() != widthPx || img.height() != heightPx) {
        throw Error(codes::kRenderFailed, "The label could not be rasterised.");
    }
    return encodePng(img, dpi);
}

}  // namespace dossier::renderers

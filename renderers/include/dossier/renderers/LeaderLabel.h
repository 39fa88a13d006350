#pragma once

#include <cstdint>
#include <string>

namespace dossier::renderers {

/// The label's size: 60 mm × 40 mm (the PDF page; the PNG is this at the requested dpi).
inline constexpr double kLeaderLabelWidthMm = 60;
inline constexpr double kLeaderLabelHeightMm = 40;

/// 企业标准"领跑者"标识 (seed 003, "领跑者标识申领及下载"): one label per product model
/// (型号/规格), printed on the product or its packaging. Carries the title, the star level,
/// the model, the certificate number, the product, the enterprise standard, the enterprise
/// and a QR code of the public verification page.
struct LeaderLabel {
    std::string certificateNumber;  // certificate_number
    std::string enterpriseName;     // enterprise_name
    std::string productName;        // product_name
    std::string model;              // model: 型号/规格 — one label per model
    std::string standardNumber;     // standard_number, e.g. "Q/ABC 001-2024"
    int starLevel = 5;              // star_level, 3–5
    std::string verifyUrl;          // verify_url (https://), encoded in the QR code
    /// A 3/4-star self-declared product (自我声明, seed 003): titled 自我声明星级产品, its number
    /// the declaration's (声明编号). Not part of the JSON: the service sets it.
    bool selfDeclared = false;

    /// From the JSON of templates/samples/leader-label.json, checked against
    /// templates/schemas/leader-label.json (compiled in); throws dossier::ValidationError
    /// listing every problem (a missing field, a value of the wrong JSON type, a star level
    /// outside 3–5, a URL that is not https://, fields too long for the label or its QR code,
    /// an unknown field), request.number_out_of_range or request.malformed for JSON that
    /// cannot be read.
    static LeaderLabel fromJson(const std::string& json);
    /// The same rules on the struct; throws ValidationError with every problem at once.
    void validate() const;
};

/// Renders the label as a one-page PDF of 60 mm × 40 mm: a bold double frame, the title
/// "企业标准领跑者" (黑体), the stars, the fields, and a QR code of the verification URL
/// drawn as vector squares. Long values shrink, then wrap to two lines, so they always stay
/// inside the frame. Fonts are embedded and subset. Same input and `createdMicros` give the
/// same bytes. Throws ValidationError (field.too_long, naming the field) for a value that
/// still does not fit at the smallest size, which the schema's lengths make rare.
std::string renderLeaderLabelPdf(const LeaderLabel& label, std::int64_t createdMicros = 0);

/// The label rasterised (poppler, antialiased) to an 8-bit RGB PNG of
/// round(60 mm × dpi / 25.4) × round(40 mm × dpi / 25.4) pixels, with its resolution in a
/// pHYs chunk. Deterministic. `dpi` must be 72–1200 (render.failed otherwise).
std::string renderLeaderLabelPng(const LeaderLabel& label, int dpi = 300);

}  // namespace dossier::renderers

#pragma once

#include <string>

#include "dossier/core/Clock.h"

namespace dossier::filing {

/// What to render: `document` is certificate, label, book or a form (commitment,
/// recommendation, proof); `templateId` picks the book template (default benchmark-2022);
/// `format` is pdf, or png for a label; `draft` prints a book or form with what is missing
/// left blank to fill in by hand (wrong values are still refused).
struct RenderRequest {
    std::string document;
    std::string templateId;
    std::string format = "pdf";
    bool draft = false;
    std::string sealPng;   // certificate: the evaluation body's seal for the stamped variant
    std::string sealScan;  // certificate: or a stamped scan (JPEG/PNG) to cut the red seal out of
    int dpi = 300;         // label PNG
};

struct Rendered {
    std::string bytes;
    std::string mediaType;  // application/pdf or image/png
    std::string fileName;   // e.g. benchmark-2022.pdf
};

/// Renders documents from JSON data — templates as data from `templatesDir` (books and
/// forms), the fixed-layout certificate and label — for the CLI and
/// `POST /api/v1/render/{document}`. Thread-safe.
class RenderService {
  public:
    RenderService(const Clock& clock, std::string templatesDir)
        : clock_(clock), templatesDir_(std::move(templatesDir)) {}

    /// Throws render.unknown_document (404: no such document, or no template of a well-formed
    /// id), request.malformed (bad JSON, an option or a template id that cannot be one),
    /// request.number_out_of_range (a number beyond 64-bit integers or doubles),
    /// validation.failed (dossier::ValidationError with every problem), render.glyph_missing,
    /// render.template (a broken template file). Never anything else for any data.
    Rendered render(const RenderRequest& request, const std::string& json) const;

    const std::string& templatesDir() const { return templatesDir_; }

  private:
    const Clock& clock_;
    std::string templatesDir_;
};

}  // namespace dossier::filing

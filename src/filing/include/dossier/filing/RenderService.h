#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dossier/core/Clock.h"
#include "dossier/filing/ApplicationOutputs.h"

namespace dossier::filing {

/// What to render: `document` is certificate, label, book, receipt or a form (commitment,
/// recommendation, proof); `templateId` picks the book template (default benchmark-2022);
/// `format` is pdf, docx for a book or form (Word, seed 004), or png for a label; `draft` prints a
/// book or form with what is missing left blank to fill in by hand (wrong values are still
/// refused).
struct RenderRequest {
    std::string document;
    std::string templateId;
    std::string format = "pdf";
    bool draft = false;
    bool draftMark = false;  // book, receipt, forms: 草稿 across every page
    std::string footer;      // book, receipt, forms: a line at the foot of every page
    /// The PDF's CreationDate (µs since the epoch); nullopt: now. Fixed, it makes the bytes
    /// depend on the data alone.
    std::optional<std::int64_t> createdMicros;
    std::string sealPng;   // certificate: the evaluation body's seal for the stamped variant
    std::string sealScan;  // certificate: or a stamped scan (JPEG/PNG) to cut the red seal out of
    int dpi = 300;         // label PNG
};

/// The media type of a Word (.docx) document.
inline constexpr const char* kDocxMediaType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

struct Rendered {
    std::string bytes;
    std::string mediaType;  // application/pdf, kDocxMediaType or image/png
    std::string fileName;   // e.g. benchmark-2022.pdf, benchmark-2022.docx
};

/// An application's book as its state prints it.
struct ApplicationBook {
    std::string templateId;  // the activity's book template, e.g. benchmark-2022
    /// The application's form data; once submitted, the data as submitted (a snapshot, not
    /// the organization's current filing), so the book never changes afterwards.
    std::string dataJson;
    std::string applicationNumber;
    std::int64_t submittedAtMicros = 0;  // 0: a draft
    std::int64_t updatedAtMicros = 0;    // a draft's last save
};

/// Renders documents from JSON data — templates as data from `templatesDir` (books and
/// forms), the fixed-layout certificate and label — for the CLI and
/// `POST /api/v1/render/{document}`. Thread-safe.
class RenderService {
  public:
    RenderService(const Clock& clock, std::string templatesDir)
        : clock_(clock), templatesDir_(std::move(templatesDir)) {}

    /// Throws render.unknown_document (404: no such document, or no template of a well-formed
    /// id), request.malformed (bad JSON, an option or a template id that cannot be one, a
    /// format the document does not come in),
    /// request.number_out_of_range (a number beyond 64-bit integers or doubles),
    /// validation.failed (dossier::ValidationError with every problem), render.glyph_missing,
    /// render.template (a broken template file). Never anything else for any data.
    Rendered render(const RenderRequest& request, const std::string& json) const;

    /// An application's book. A draft is validated as a draft (what is missing prints blank),
    /// carries 草稿 on every page and is dated its last save. A submitted book carries its
    /// number and submission instant (Beijing time) at the foot of every page and is dated
    /// its submission: the same data gives the same bytes, every time. Printing never adds a
    /// requirement: the submitted data is validated as a draft too (submit checked it fully).
    /// Throws what render() throws for a book.
    Rendered renderBook(const ApplicationBook& book) const;
    /// The Word version of renderBook (seed 004 asks for the 申报书 in Word): the same data,
    /// validated as a draft. A Word document carries no page marks, so neither 草稿 nor the
    /// footer: the caller names a draft's file so. Deterministic. Throws what renderBook
    /// throws.
    Rendered renderBookDocx(const ApplicationBook& book) const;
    /// The submission receipt (templates/receipt.json), dated its submission: deterministic.
    /// Throws validation.failed for data the receipt cannot print (a name of over 255
    /// characters, say), render.glyph_missing, render.template.
    Rendered renderReceipt(const SubmissionReceipt& receipt) const;
    /// A form (commitment, recommendation, proof) pre-filled with the organization
    /// (formProfileData), blank where it knows nothing or the value does not fit the form.
    /// `createdMicros` dates the PDF. Throws render.unknown_document for another form.
    Rendered renderForm(const std::string& form, const OrganizationFacts& org,
                        const FormContext& context, std::int64_t createdMicros) const;
    /// The data a new application of `templateId` starts with: bookPrefillData fitted to the
    /// template (DocumentTemplate::fitting), so it always saves as a draft. Throws
    /// render.unknown_document for an unknown template, request.malformed for a bad id.
    std::string prefillBook(const std::string& templateId, const OrganizationFacts& org,
                            const std::string& projectName) const;

    const std::string& templatesDir() const { return templatesDir_; }

  private:
    const Clock& clock_;
    std::string templatesDir_;
};

}  // namespace dossier::filing

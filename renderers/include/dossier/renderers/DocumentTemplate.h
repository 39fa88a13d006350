#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dossier/renderers/PdfComposer.h"
#include "dossier/renderers/ReferenceList.h"

namespace dossier::renderers {

/// A printable document described as data (templates/<id>.json, format
/// "dossier-template/1"; see templates/README.md): the data schema with its rules (required
/// fields, word limits, numbers, dates, credit codes, choices from reference lists, the
/// template's consecutive years) and the body — titles, paragraphs, fill-in lines, checkbox
/// groups, tables with fixed rows, rows per year or per array item and merged cells,
/// signature blocks with seal boxes, and repeated sections. A new award year is a new file.
///
/// Loaded once, then immutable and thread-safe.
class DocumentTemplate {
  public:
    /// Loads `<dir>/<id>.json` and the lists it names from `<dir>/lists/`. Throws
    /// render.unknown_document when there is no such template (ids are [a-z0-9-] only),
    /// render.template when the template itself is malformed (the message names the place).
    static std::shared_ptr<const DocumentTemplate> load(const std::string& dir,
                                                        const std::string& id);
    /// Parses a template; lists are read from `<listDir>/<name>.json`.
    static std::shared_ptr<const DocumentTemplate> parse(const std::string& json,
                                                         const std::string& listDir);
    ~DocumentTemplate();

    const std::string& id() const;
    const std::string& title() const;

    /// Checks `json` against the template; throws dossier::ValidationError with every problem
    /// at once ({path, code, message}), request.malformed if it is not a JSON object.
    /// A draft skips only what is missing (field.required, field.year_missing): a blank or
    /// half-filled form prints with blank lines to fill by hand; wrong values still fail.
    void validate(const std::string& json, bool draft = false) const;
    /// `json` without the values a draft of this template refuses — too long for its box, of
    /// the wrong kind (a landline where a mobile number belongs), a year or key the template
    /// does not ask for, not in a list — so that data mapped from elsewhere (an
    /// organization's filing) always saves and prints as a draft; what is left out is filled
    /// in by hand. An object member is removed, a list entry too (later ones move up).
    /// `dropped`, if given, receives the dotted paths removed, in order. Data that is not a
    /// JSON object gives "{}". Thread-safe.
    std::string fitting(const std::string& json, std::vector<std::string>* dropped = nullptr) const;
    /// Validates, then renders the PDF. Deterministic: the same data, createdMicros (the
    /// PDF's CreationDate) and marks give the same bytes. `marks` are printed on every page
    /// (a draft's 草稿, a submitted book's footer); `draft` is only how the data is validated.
    std::string render(const std::string& json, std::int64_t createdMicros = 0, bool draft = false,
                       const PageMarks& marks = {}) const;

    /// Validates exactly as render() does (the same binder: every problem at once, the same
    /// word limits; the same exceptions), then writes the document as WordprocessingML — a
    /// .docx package (Office Open XML, ECMA-376 transitional) that Word, WPS and LibreOffice
    /// open and the applicant can edit, as seed 004 asks the 申报书 and 典型经验材料 be sent.
    /// What the PDF draws, in Word's terms:
    /// - paper and margins from the template's page (A4 = w:pgSz 11906 × 16838 twips); page
    ///   numbers "— n —" in the footer, the first page unnumbered when numbers start at 2
    ///   (Word cannot start later: any numbers_from ≥ 2 numbers from page 2);
    /// - titles, headings, paragraphs and notes with their face named — 黑体 (Hei) or 宋体
    ///   (Song), as w:rFonts eastAsia, ascii and hAnsi —, their size (points → half-points),
    ///   exact line height, first-line indent in characters, alignment and space after;
    ///   named styles Title, Heading1, Note for Word's navigation;
    /// - fill-in lines as label, the value underlined over the PDF's width, suffix; the seal
    ///   box as a gray 42 mm one-cell table at the right, below the signature lines;
    /// - tables with the template's column widths, merged cells (w:gridSpan, w:vMerge),
    ///   0.5 pt borders, header rows repeated on every page, rows that never split;
    /// - a page break as "page break before" on what follows (none at the top of a page).
    /// Line breaks in text are w:br; characters XML cannot carry never reach the file (the
    /// data's are refused by validation). Deterministic: no time, no generated ids, fixed ZIP
    /// dates — the same data gives the same bytes. Throws what render() throws.
    std::string renderDocx(const std::string& json, bool draft = false) const;

    /// The document as printed, without layout: one entry per title, paragraph, fill-in line
    /// and table cell, in reading order. For other writers (the LibreOffice comparison) and
    /// for tests.
    struct Item {
        enum class Kind {
            Title,
            Heading,
            Paragraph,
            Note,
            Line,
            TableStart,
            Row,
            Cell,
            TableEnd,
            PageBreak
        };
        Kind kind;
        std::string text;
        int colspan = 1;
        int rowspan = 1;
        bool header = false;
        // TableStart: the layout a writer needs to match ours.
        std::vector<double> columns;  // relative widths
        double fontSize = 0;
        int headerRows = 0;
    };
    std::vector<Item> flatten(const std::string& json, bool draft = false) const;

  private:
    struct Impl;
    explicit DocumentTemplate(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::renderers

#pragma once

#include <string>

#include "dossier/renderers/PdfComposer.h"

namespace dossier::renderers {

/// The namespaces of WordprocessingML parts.
inline constexpr const char* kWordNamespace =
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
inline constexpr const char* kRelationshipsNamespace =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// Relationship ids of word/document.xml: fixed, never generated, so the bytes are the same.
inline constexpr const char* kDefaultFooterId = "rId4";
inline constexpr const char* kFirstPageFooterId = "rId5";

/// What the package holds besides word/document.xml.
struct DocxPackageParts {
    std::string documentXml;           // the main part, written by DocxWriter
    DocumentInfo info;                 // docProps/core.xml: title, creator
    bool pageNumbers = false;          // word/footer1.xml: "— n —", 宋体 五号, centred
    bool firstPageUnnumbered = false;  // word/footer2.xml: the blank first-page footer
};

/// Zips the parts of a .docx ([Content_Types].xml, _rels/.rels, word/document.xml,
/// word/styles.xml, word/settings.xml, word/fontTable.xml, word/_rels/document.xml.rels,
/// the footers, docProps/core.xml and app.xml) with Poco::Zip: deflated, every entry dated
/// 1980-01-01 00:00, in a fixed order, so the same parts give the same bytes. Pure;
/// thread-safe.
std::string packageDocx(const DocxPackageParts& parts);

}  // namespace dossier::renderers

#include "SampleFiles.h"

#include "dossier/core/ImageHeader.h"

#include <Poco/DateTime.h>
#include <Poco/Zip/Compress.h>

#include <cstdio>
#include <cstring>
#include <sstream>

namespace dossier::test {
namespace {

/// Numbered objects (1 = catalog), a cross-reference table and a trailer.
std::string assemblePdf(const std::vector<std::string>& objects) {
    std::string body = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(body.size());
        body += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    std::size_t xref = body.size();
    body += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (auto off : offsets) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
        body += line;
    }
    body += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
            " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return body;
}

std::string contentTypes(const std::string& partName, const std::string& mainType) {
    return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
           R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
           R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
           R"(<Default Extension="xml" ContentType="application/xml"/>)"
           R"(<Override PartName=")" +
           partName + R"(" ContentType=")" + mainType +
           R"("/>)"
           R"(</Types>)";
}

std::string rels(const std::string& target) {
    return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
           R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
           R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target=")" +
           target + R"("/></Relationships>)";
}

}  // namespace

std::string makeZip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::ostringstream out;
    Poco::Zip::Compress zip(out, true);
    for (const auto& [name, content] : entries) {
        std::istringstream in(content);
        zip.addFile(in, Poco::DateTime(2024, 1, 1), name, Poco::Zip::ZipCommon::CM_DEFLATE);
    }
    zip.close();
    return out.str();
}

namespace {

/// A package with content types, the root relationship and its main part.
std::string makeOoxml(const std::string& mainPart, const std::string& mainType,
                      const std::string& mainXml) {
    return makeZip({
        {"[Content_Types].xml", contentTypes("/" + mainPart, mainType)},
        {"_rels/.rels", rels(mainPart)},
        {mainPart, mainXml},
    });
}

}  // namespace

std::string makeDocx() {
    return makeOoxml(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        R"(<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>经验材料</w:t></w:r></w:p></w:body></w:document>)");
}

std::string makeXlsx() {
    return makeOoxml(
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>)");
}

std::string makePptx() {
    return makeOoxml(
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "<p:presentation/>");
}

std::string makePdf() {
    return assemblePdf({
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        "<< /Length 0 >>\nstream\n\nendstream",
    });
}

}  // namespace dossier::test

namespace dossier::test {

std::string makeTextPdf(int pages) {
    // Objects: 1 catalog, 2 pages, 3 font, then per page: page, contents.
    std::string kids;
    for (int i = 0; i < pages; ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
    std::vector<std::string> objects{
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    static const char* kWords[] = {"one", "two"};
    for (int i = 0; i < pages; ++i) {
        std::string box = i == 1 ? "[0 0 842 595]" : "[0 0 595 842]";
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox " + box +
                          " /Resources << /Font << /F1 3 0 R >> >> /Contents " +
                          std::to_string(5 + 2 * i) + " 0 R >>");
        std::string text =
            "Dossier page " + (i < 2 ? std::string(kWords[i]) : std::to_string(i + 1));
        // Leaves the graphics state changed on purpose (no q/Q), as real producers do.
        std::string content = "1 0 0 RG 5 w BT /F1 24 Tf 72 500 Td (" + text + ") Tj ET";
        objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" +
                          content + "\nendstream");
    }
    return assemblePdf(objects);
}

std::string makeScannedPdf(const std::vector<std::string>& jpegs, double dpi) {
    // Objects: 1 catalog, 2 pages, then per page: page, contents, image.
    std::vector<std::string> objects;
    std::string kids;
    for (std::size_t i = 0; i < jpegs.size(); ++i) {
        kids += std::to_string(3 + 3 * i) + " 0 R ";
    }
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " +
                      std::to_string(jpegs.size()) + " >>");
    for (std::size_t i = 0; i < jpegs.size(); ++i) {
        const std::string& jpeg = jpegs[i];
        // Width and height from the frame header (walking the markers: an EXIF thumbnail
        // has a frame header of its own).
        auto header = readImageHeader(jpeg);
        unsigned w = header ? header->width : 1, h = header ? header->height : 1;
        double pw = w * 72.0 / dpi, ph = h * 72.0 / dpi;
        std::size_t page = 3 + 3 * i, contents = page + 1, image = page + 2;
        char box[128];
        std::snprintf(box, sizeof box, "[0 0 %.2f %.2f]", pw, ph);
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox " + std::string(box) +
                          " /Resources << /XObject << /Im0 " + std::to_string(image) +
                          " 0 R >> >> /Contents " + std::to_string(contents) + " 0 R >>");
        char draw[128];
        std::snprintf(draw, sizeof draw, "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph);
        objects.push_back("<< /Length " + std::to_string(std::strlen(draw)) + " >>\nstream\n" +
                          draw + "\nendstream");
        objects.push_back(
            "<< /Type /XObject /Subtype /Image /Width " + std::to_string(w) + " /Height " +
            std::to_string(h) +
            " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length " +
            std::to_string(jpeg.size()) + " >>\nstream\n" + jpeg + "\nendstream");
    }
    return assemblePdf(objects);
}

std::string makeSizedPdf(std::size_t bytes, int seed, int pages) {
    std::size_t side = 16;
    while ((side + 16) * (side + 16) * pages < bytes) side += 16;
    std::vector<std::size_t> offsets;
    std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    auto object = [&](const std::string& body) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
    };
    // 1 catalog, 2 pages, then per page: page, content, image.
    object("<< /Type /Catalog /Pages 2 0 R >>");
    std::string kids;
    for (int i = 0; i < pages; ++i) kids += std::to_string(3 + 3 * i) + " 0 R ";
    object("<< /Type /Pages /Count " + std::to_string(pages) + " /Kids [" + kids + "] >>");
    std::uint64_t x = 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(seed + 1);
    std::string s = std::to_string(side);
    for (int i = 0; i < pages; ++i) {
        int page = 3 + 3 * i;
        object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " +
               std::to_string(page + 1) + " 0 R /Resources << /XObject << /Im0 " +
               std::to_string(page + 2) + " 0 R >> >> >>");
        std::string draw = "q 595 0 0 842 0 0 cm /Im0 Do Q\n";
        object("<< /Length " + std::to_string(draw.size()) + " >>\nstream\n" + draw + "endstream");
        std::string samples(side * side, '\0');
        for (auto& c : samples) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            c = static_cast<char>(x);
        }
        object("<< /Type /XObject /Subtype /Image /Width " + s + " /Height " + s +
               " /ColorSpace /DeviceGray /BitsPerComponent 8 /Length " +
               std::to_string(samples.size()) + " >>\nstream\n" + samples + "\nendstream");
    }
    std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
    for (auto off : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

}  // namespace dossier::test

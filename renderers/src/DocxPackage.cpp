#include "DocxPackage.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <sstream>
#include <utility>
#include <vector>

#include "OoxmlPart.h"

namespace dossier::renderers {

namespace {

constexpr const char* kPackageRelationships =
    "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr const char* kContentTypes =
    "http://schemas.openxmlformats.org/package/2006/content-types";
constexpr const char* kOfficeRelationship =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
constexpr const char* kWordType = "application/vnd.openxmlformats-officedocument.wordprocessingml.";

// The two faces by the names Chinese Word installs (and the Latin names as alternatives):
// 宋体 SimSun for the body, 黑体 SimHei for titles, as seed 004's writing rules ask.
constexpr const char* kSong = "宋体";
constexpr const char* kHei = "黑体";

std::string contentTypes(const DocxPackageParts& parts) {
    OoxmlPart x({{"", kContentTypes}});
    x.open("Types");
    x.empty("Default",
            {{"Extension", "rels"},
             {"ContentType", "application/vnd.openxmlformats-package.relationships+xml"}});
    x.empty("Default", {{"Extension", "xml"}, {"ContentType", "application/xml"}});
    auto part = [&x](const char* name, std::string type) {
        x.empty("Override", {{"PartName", name}, {"ContentType", std::move(type)}});
    };
    part("/word/document.xml", std::string(kWordType) + "document.main+xml");
    part("/word/styles.xml", std::string(kWordType) + "styles+xml");
    part("/word/settings.xml", std::string(kWordType) + "settings+xml");
    part("/word/fontTable.xml", std::string(kWordType) + "fontTable+xml");
    if (parts.pageNumbers) part("/word/footer1.xml", std::string(kWordType) + "footer+xml");
    if (parts.pageNumbers && parts.firstPageUnnumbered)
        part("/word/footer2.xml", std::string(kWordType) + "footer+xml");
    part("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
    part("/docProps/app.xml",
         "application/vnd.openxmlformats-officedocument.extended-properties+xml");
    return x.finish();
}

std::string packageRelationships() {
    OoxmlPart x({{"", kPackageRelationships}});
    x.open("Relationships");
    x.empty("Relationship", {{"Id", "rId1"},
                             {"Type", std::string(kOfficeRelationship) + "officeDocument"},
                             {"Target", "word/document.xml"}});
    x.empty("Relationship",
            {{"Id", "rId2"},
             {"Type",
              "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
              "core-properties"},
             {"Target", "docProps/core.xml"}});
    x.empty("Relationship", {{"Id", "rId3"},
                             {"Type", std::string(kOfficeRelationship) + "extended-properties"},
                             {"Target", "docProps/app.xml"}});
    return x.finish();
}

std::string documentRelationships(const DocxPackageParts& parts) {
    OoxmlPart x({{"", kPackageRelationships}});
    x.open("Relationships");
    auto rel = [&x](const char* id, const char* type, const char* target) {
        x.empty(
            "Relationship",
            {{"Id", id}, {"Type", std::string(kOfficeRelationship) + type}, {"Target", target}});
    };
    rel("rId1", "styles", "styles.xml");
    rel("rId2", "settings", "settings.xml");
    rel("rId3", "fontTable", "fontTable.xml");
    if (parts.pageNumbers) rel(kDefaultFooterId, "footer", "footer1.xml");
    if (parts.pageNumbers && parts.firstPageUnnumbered)
        rel(kFirstPageFooterId, "footer", "footer2.xml");
    return x.finish();
}

void runFonts(OoxmlPart& x, const char* font) {
    x.empty("w:rFonts",
            {{"w:ascii", font}, {"w:hAnsi", font}, {"w:eastAsia", font}, {"w:cs", font}});
}

void size(OoxmlPart& x, int halfPoints) {
    x.empty("w:sz", {{"w:val", std::to_string(halfPoints)}});
    x.empty("w:szCs", {{"w:val", std::to_string(halfPoints)}});
}

/// Named styles for what the blocks are (Word's navigation pane and style list show them);
/// every run still carries its face and size, so what the template says wins.
std::string styles() {
    OoxmlPart x({{"w", kWordNamespace}});
    x.open("w:styles");
    x.open("w:docDefaults");
    x.open("w:rPrDefault");
    x.open("w:rPr");
    runFonts(x, kSong);
    size(x, 28);  // 四号
    x.empty("w:lang", {{"w:val", "en-US"}, {"w:eastAsia", "zh-CN"}});
    x.close();
    x.close();
    x.open("w:pPrDefault");
    x.open("w:pPr");
    x.empty("w:spacing", {{"w:after", "0"}, {"w:line", "240"}, {"w:lineRule", "auto"}});
    x.close();
    x.close();
    x.close();  // docDefaults
    auto style = [&x](const char* id, const char* name, const char* font, int halfPoints,
                      const char* align, int outline) {
        x.open("w:style", {{"w:type", "paragraph"}, {"w:styleId", id}});
        x.empty("w:name", {{"w:val", name}});
        x.empty("w:basedOn", {{"w:val", "Normal"}});
        x.empty("w:next", {{"w:val", "Normal"}});
        x.empty("w:qFormat");
        x.open("w:pPr");
        if (outline >= 0) x.empty("w:keepNext");
        if (align) x.empty("w:jc", {{"w:val", align}});
        if (outline >= 0) x.empty("w:outlineLvl", {{"w:val", std::to_string(outline)}});
        x.close();
        x.open("w:rPr");
        runFonts(x, font);
        size(x, halfPoints);
        x.close();
        x.close();
    };
    x.open("w:style", {{"w:type", "paragraph"}, {"w:default", "1"}, {"w:styleId", "Normal"}});
    x.empty("w:name", {{"w:val", "Normal"}});
    x.empty("w:qFormat");
    x.close();
    style("Title", "Title", kHei, 36, "center", 0);         // 小二
    style("Heading1", "heading 1", kHei, 32, "center", 1);  // 三号
    style("Note", "Note", kSong, 21, nullptr, -1);          // 五号
    x.open("w:style", {{"w:type", "table"}, {"w:default", "1"}, {"w:styleId", "TableNormal"}});
    x.empty("w:name", {{"w:val", "Normal Table"}});
    x.close();
    return x.finish();
}

std::string settings() {
    OoxmlPart x({{"w", kWordNamespace}});
    x.open("w:settings");
    x.empty("w:zoom", {{"w:percent", "100"}});
    x.empty("w:defaultTabStop", {{"w:val", "420"}});
    x.empty("w:characterSpacingControl", {{"w:val", "compressPunctuation"}});
    x.open("w:compat");
    // A fill-in line's blank is underlined spaces; without this Word leaves the underline
    // off spaces at the end of a line.
    x.empty("w:ulTrailSpace");
    x.empty("w:compatSetting", {{"w:name", "compatibilityMode"},
                                {"w:uri", "http://schemas.microsoft.com/office/word"},
                                {"w:val", "15"}});
    x.close();
    return x.finish();
}

std::string fontTable() {
    OoxmlPart x({{"w", kWordNamespace}});
    x.open("w:fonts");
    auto font = [&x](const char* name, const char* alt, const char* panose, const char* family,
                     const char* pitch) {
        x.open("w:font", {{"w:name", name}});
        x.empty("w:altName", {{"w:val", alt}});
        x.empty("w:panose1", {{"w:val", panose}});
        x.empty("w:charset", {{"w:val", "86"}});  // GB2312
        x.empty("w:family", {{"w:val", family}});
        x.empty("w:pitch", {{"w:val", pitch}});
        x.close();
    };
    font(kSong, "SimSun", "02010600030101010101", "auto", "variable");
    font(kHei, "SimHei", "02010609060101010101", "modern", "fixed");
    return x.finish();
}

/// The page number as the PDF prints it: "— n —" centred, 宋体 五号.
std::string footer(bool numbered) {
    OoxmlPart x({{"w", kWordNamespace}, {"r", kRelationshipsNamespace}});
    x.open("w:ftr");
    x.open("w:p");
    x.open("w:pPr");
    x.empty("w:jc", {{"w:val", "center"}});
    x.close();
    auto run = [&x](const std::string& text) {
        x.open("w:r");
        x.open("w:rPr");
        runFonts(x, kSong);
        size(x, 21);
        x.close();
        x.element("w:t", text, {{"xml:space", "preserve"}});
        x.close();
    };
    if (numbered) {
        run("— ");
        x.open("w:fldSimple", {{"w:instr", " PAGE "}});
        run("1");
        x.close();
        run(" —");
    }
    return x.finish();
}

std::string coreProperties(const DocumentInfo& info) {
    OoxmlPart x({{"cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"},
                 {"dc", "http://purl.org/dc/elements/1.1/"}});
    x.open("cp:coreProperties");
    if (!info.title.empty()) x.element("dc:title", info.title);
    if (!info.author.empty()) x.element("dc:creator", info.author);
    return x.finish();
}

std::string appProperties() {
    OoxmlPart x(
        {{"", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}});
    x.open("Properties");
    x.element("Application", "Dossier");
    return x.finish();
}

}  // namespace

std::string packageDocx(const DocxPackageParts& parts) {
    std::vector<std::pair<const char*, std::string>> entries;
    entries.emplace_back("[Content_Types].xml", contentTypes(parts));
    entries.emplace_back("_rels/.rels", packageRelationships());
    entries.emplace_back("word/document.xml", parts.documentXml);
    entries.emplace_back("word/_rels/document.xml.rels", documentRelationships(parts));
    entries.emplace_back("word/styles.xml", styles());
    entries.emplace_back("word/settings.xml", settings());
    entries.emplace_back("word/fontTable.xml", fontTable());
    if (parts.pageNumbers) entries.emplace_back("word/footer1.xml", footer(true));
    if (parts.pageNumbers && parts.firstPageUnnumbered)
        entries.emplace_back("word/footer2.xml", footer(false));
    entries.emplace_back("docProps/core.xml", coreProperties(parts.info));
    entries.emplace_back("docProps/app.xml", appProperties());

    std::ostringstream out;
    {
        Poco::Zip::Compress zip(out, true);
        const Poco::DateTime fixed(1980, 1, 1);  // the earliest a ZIP (MS-DOS) date can say
        for (const auto& [name, bytes] : entries) {
            std::istringstream in(bytes);
            zip.addFile(in, fixed, Poco::Path(name, Poco::Path::PATH_UNIX),
                        Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_MAXIMUM);
        }
        zip.close();
    }
    return out.str();
}

}  // namespace dossier::renderers

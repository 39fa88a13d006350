#include "XlsxFiles.h"

#include <zlib.h>

#include <stdexcept>

#include "dossier/sheets/XlsxWriter.h"

namespace dossier::test {
namespace {

void put16(std::string& out, unsigned v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, unsigned long v) {
    put16(out, static_cast<unsigned>(v & 0xFFFF));
    put16(out, static_cast<unsigned>((v >> 16) & 0xFFFF));
}

std::string deflateRaw(const std::string& in) {
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("deflateInit2");
    }
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string xmlEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '&')
            out += "&amp;";
        else
            out += c;
    }
    return out;
}

}  // namespace

std::string zipOf(const std::vector<std::pair<std::string, std::string>>& parts, bool deflate,
                  bool descriptors) {
    std::string out, central;
    for (const auto& [name, bytes] : parts) {
        unsigned long crc = crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()),
                                  static_cast<uInt>(bytes.size()));
        std::string data = deflate ? deflateRaw(bytes) : bytes;
        unsigned long offset = out.size();
        unsigned flags = descriptors ? 0x0808 : 0x0800;
        put32(out, 0x04034b50);
        put16(out, 20);
        put16(out, flags);
        put16(out, deflate ? 8 : 0);
        put16(out, 0);
        put16(out, 0x21);
        put32(out, descriptors ? 0 : crc);
        put32(out, descriptors ? 0 : data.size());
        put32(out, descriptors ? 0 : bytes.size());
        put16(out, static_cast<unsigned>(name.size()));
        put16(out, 0);
        out += name;
        out += data;
        if (descriptors) {
            put32(out, 0x08074b50);
            put32(out, crc);
            put32(out, data.size());
            put32(out, bytes.size());
        }
        put32(central, 0x02014b50);
        put16(central, 20);
        put16(central, 20);
        put16(central, flags);
        put16(central, deflate ? 8 : 0);
        put16(central, 0);
        put16(central, 0x21);
        put32(central, crc);
        put32(central, data.size());
        put32(central, bytes.size());
        put16(central, static_cast<unsigned>(name.size()));
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put32(central, 0);
        put32(central, offset);
        central += name;
    }
    unsigned long cdOffset = out.size();
    out += central;
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, static_cast<unsigned>(parts.size()));
    put16(out, static_cast<unsigned>(parts.size()));
    put32(out, central.size());
    put32(out, cdOffset);
    put16(out, 0);
    return out;
}

std::vector<std::pair<std::string, std::string>> workbookParts(const std::string& sheetData,
                                                               const std::string& sheetName,
                                                               const std::string& sharedStrings,
                                                               bool date1904) {
    std::vector<std::pair<std::string, std::string>> parts;
    std::string types =
        R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
        R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
        R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
        R"(<Default Extension="xml" ContentType="application/xml"/>)"
        R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
        R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)";
    if (!sharedStrings.empty()) {
        types +=
            R"(<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>)";
    }
    types += "</Types>";
    parts.emplace_back("[Content_Types].xml", types);
    parts.emplace_back(
        "_rels/.rels",
        R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)");
    parts.emplace_back(
        "xl/workbook.xml",
        std::string(
            R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)") +
            (date1904 ? R"(<workbookPr date1904="1"/>)" : "<workbookPr/>") +
            R"(<sheets><sheet name=")" + sheetName +
            R"(" sheetId="1" r:id="rId1"/></sheets></workbook>)");
    std::string rels =
        R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)";
    if (!sharedStrings.empty()) {
        rels +=
            R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)";
    }
    rels += "</Relationships>";
    parts.emplace_back("xl/_rels/workbook.xml.rels", rels);
    parts.emplace_back(
        "xl/worksheets/sheet1.xml",
        R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
            sheetData + "</sheetData></worksheet>");
    if (!sharedStrings.empty()) parts.emplace_back("xl/sharedStrings.xml", sharedStrings);
    return parts;
}

std::string inlineRow(int number, const std::vector<std::string>& values) {
    std::string out = "<row r=\"" + std::to_string(number) + "\">";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i].empty()) continue;
        std::string ref = std::string(1, static_cast<char>('A' + i)) + std::to_string(number);
        out +=
            "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + xmlEscape(values[i]) + "</t></is></c>";
    }
    return out + "</row>";
}

std::string titleRow() {
    return inlineRow(
        1, {"序号", "成果名称", "小组名称", "所属企业", "小组人数", "组长", "小组成立日期"});
}

std::string xlsxOf(const std::vector<std::vector<std::string>>& rows, const std::string& sheetName,
                   bool withTitle) {
    sheets::XlsxWriter book;
    book.addSheet(sheetName);
    int r = 0;
    if (withTitle) {
        const char* titles[] = {"序号",     "成果名称", "小组名称",    "所属企业",
                                "小组人数", "组长",     "小组成立日期"};
        for (int i = 0; i < 7; ++i) book.text(0, i, titles[i]);
        r = 1;
    }
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            const std::string& v = row[i];
            int c = static_cast<int>(i);
            if (v.empty()) continue;
            if (v.size() > 1 && v[0] == '#') {
                book.number(r, c, std::stod(v.substr(1)));
            } else if (v.size() == 11 && v[0] == '@') {
                book.date(r, c,
                          {std::stoi(v.substr(1, 4)), std::stoi(v.substr(6, 2)),
                           std::stoi(v.substr(9, 2))});
            } else {
                book.text(r, c, v);
            }
        }
        ++r;
    }
    return book.finish();
}

}  // namespace dossier::test

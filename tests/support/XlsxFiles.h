#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dossier::test {

/// One cell of a hand-built sheet: its XML inside <c r="..">…</c>, with the attributes.
/// Test-only workbook builders for the QC import: normal files through libxlsxwriter
/// (dossier::sheets::XlsxWriter), odd ones as hand-written parts in a ZIP built here.
struct RawCell {
    std::string attributes;  // e.g. t="inlineStr"
    std::string inner;       // e.g. <is><t>text</t></is>
};

/// A ZIP of `parts` (name, bytes), each deflated (or stored), with honest sizes and CRCs;
/// with `descriptors`, as streaming writers do: general-purpose bit 3, CRC and sizes zero in
/// the local header and given in a data descriptor after the data.
std::string zipOf(const std::vector<std::pair<std::string, std::string>>& parts,
                  bool deflate = true, bool descriptors = false);

/// The parts of a minimal workbook whose first sheet is `sheetName` with `sheetXml` as its
/// <sheetData> content; `sharedStrings` the whole sst part ("" = none); `date1904`.
std::vector<std::pair<std::string, std::string>> workbookParts(
    const std::string& sheetData, const std::string& sheetName = "sheet1",
    const std::string& sharedStrings = "", bool date1904 = false);

/// <row r="n"> of inline-string cells (A, B, …); "" leaves the cell out.
std::string inlineRow(int number, const std::vector<std::string>& values);

/// The template's title row as inline strings.
std::string titleRow();

/// Rows written by libxlsxwriter into a sheet named `sheetName`: row 1 the title row, then
/// `rows` (each value a string; a value starting with '#' followed by digits is written as a
/// number, e.g. "#6"; "@2023-05-06" as a date cell).
std::string xlsxOf(const std::vector<std::vector<std::string>>& rows,
                   const std::string& sheetName = "sheet1", bool withTitle = true);

}  // namespace dossier::test

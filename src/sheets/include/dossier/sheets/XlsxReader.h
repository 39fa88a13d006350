#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dossier/core/ByteSource.h"
#include "dossier/sheets/ZipParts.h"

namespace dossier::sheets {

struct XlsxLimits {
    ZipLimits zip;
    /// Cells right of this column (0-based) are skipped unread.
    std::uint32_t maxColumns = 64;
    /// Bytes kept of one cell's text (Excel holds at most 32,767 characters); the rest is
    /// dropped, so the caller's length rule still sees an over-long cell.
    std::size_t maxCellBytes = 32'767 * 4 + 4;
    /// Entries of the shared-string table.
    std::size_t maxSharedStrings = 1'000'000;
};

/// One non-empty cell as stored: never calculated (a formula gives its cached value, or kind
/// Formula when it has none).
struct Cell {
    enum class Kind { Text, Number, Boolean, Error, Formula };
    std::uint32_t column = 0;  // 0 = A
    Kind kind = Kind::Text;
    /// Text: the string (rich-text runs joined, phonetic runs left out). Number: the value as
    /// written. Error: "#N/A" and the like. Formula: empty.
    std::string text;
    double number = 0;  // Number, Boolean (0 or 1)
};

struct SheetRow {
    std::uint32_t number = 0;  // Excel's row number, from 1
    std::vector<Cell> cells;   // in column order
};

/// Reads an XLSX workbook's first sheet as a stream of rows: the package with ZipParts, each
/// XML part with expat's SAX parser (no DOM; a DTD is refused, so no entity expansion), shared
/// strings into memory, the sheet row by row. Inline strings, shared strings, numbers,
/// booleans, errors, ISO date cells and cached formula results are read; nothing is
/// evaluated, and macros, external links and other parts are never opened. Not thread-safe;
/// `source` must outlive the reader.
class XlsxReader {
  public:
    /// Reads the package's relationships and the workbook part. Throws Error import.not_xlsx
    /// (not a workbook), import.malformed (broken XML), and what ZipParts throws.
    XlsxReader(const ByteSource& source, XlsxLimits limits);

    /// The first sheet's name as the workbook gives it (tab order).
    const std::string& firstSheetName() const { return sheetName_; }
    /// The workbook's date system: 1904 (workbookPr date1904) or 1900.
    bool date1904() const { return date1904_; }

    /// Streams the first sheet's rows to `onRow`, in order; `onRow` returns false to stop.
    /// Throws what the constructor does, and passes on what `onRow` throws.
    void readFirstSheet(const std::function<bool(const SheetRow&)>& onRow);

  private:
    void loadSharedStrings();

    ZipParts zip_;
    XlsxLimits limits_;
    std::string sheetName_;
    std::string sheetPath_;
    std::string sharedStringsPath_;
    bool date1904_ = false;
    std::vector<std::string> shared_;
};

}  // namespace dossier::sheets

#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "dossier/sheets/CellValues.h"

namespace dossier::sheets {

/// Writes a small XLSX workbook with Debian's libxlsxwriter (kept out of this header). Sheets
/// are added in tab order; rows and columns from 0. libxlsxwriter 1.1.4 writes only to a file,
/// so the workbook is assembled in a private temp file that finish() reads back and removes
/// (the destructor removes it in any case). Throws Error storage.io when the temp file or
/// the library fails. Not thread-safe; one per workbook.
class XlsxWriter {
  public:
    XlsxWriter();
    ~XlsxWriter();
    XlsxWriter(const XlsxWriter&) = delete;
    XlsxWriter& operator=(const XlsxWriter&) = delete;

    /// Adds a sheet and makes it the one written to.
    void addSheet(const std::string& name);
    /// Column width in characters; `dates`: cells typed into it later are shown as dates.
    void setColumn(int column, double width, bool dates = false);
    void text(int row, int column, const std::string& value, bool bold = false);
    void number(int row, int column, double value);
    /// A real date cell (a serial with the yyyy-mm-dd format).
    void date(int row, int column, const CivilDate& value);
    /// Closes the workbook and returns its bytes.
    std::string finish();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::sheets

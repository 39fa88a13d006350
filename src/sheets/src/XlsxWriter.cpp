#include "dossier/sheets/XlsxWriter.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::sheets {

struct XlsxWriter::Impl {
    std::string path;
    lxw_workbook* book = nullptr;
    lxw_worksheet* sheet = nullptr;
    lxw_format* bold = nullptr;
    lxw_format* date = nullptr;

    void check(lxw_error rc, const char* what) const {
        if (rc != LXW_NO_ERROR) {
            throw Error(codes::kStorageIo, "The workbook could not be written.",
                        std::string(what) + ": " + lxw_strerror(rc));
        }
    }
};

XlsxWriter::XlsxWriter() : impl_(std::make_unique<Impl>()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/dossier-xlsx-XXXXXX";
    int fd = mkstemp(pattern.data());
    if (fd < 0) throw Error(codes::kStorageIo, "The workbook could not be written.", "mkstemp");
    ::close(fd);
    impl_->path = pattern;
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;
    impl_->book = workbook_new_opt(impl_->path.c_str(), &options);
    if (!impl_->book) {
        ::unlink(impl_->path.c_str());
        throw Error(codes::kStorageIo, "The workbook could not be written.", "workbook_new_opt");
    }
    impl_->bold = workbook_add_format(impl_->book);
    format_set_bold(impl_->bold);
    impl_->date = workbook_add_format(impl_->book);
    format_set_num_format(impl_->date, "yyyy-mm-dd");
}

XlsxWriter::~XlsxWriter() {
    if (impl_->book) {
        // Closing writes the file; it is removed just after, so the result does not matter.
        workbook_close(impl_->book);
    }
    ::unlink(impl_->path.c_str());
}

void XlsxWriter::addSheet(const std::string& name) {
    impl_->sheet = workbook_add_worksheet(impl_->book, name.c_str());
    if (!impl_->sheet) {
        throw Error(codes::kStorageIo, "The workbook could not be written.", "add sheet " + name);
    }
}

void XlsxWriter::setColumn(int column, double width, bool dates) {
    impl_->check(
        worksheet_set_column(impl_->sheet, static_cast<lxw_col_t>(column),
                             static_cast<lxw_col_t>(column), width, dates ? impl_->date : nullptr),
        "set_column");
}

void XlsxWriter::text(int row, int column, const std::string& value, bool bold) {
    impl_->check(worksheet_write_string(impl_->sheet, static_cast<lxw_row_t>(row),
                                        static_cast<lxw_col_t>(column), value.c_str(),
                                        bold ? impl_->bold : nullptr),
                 "write_string");
}

void XlsxWriter::number(int row, int column, double value) {
    impl_->check(worksheet_write_number(impl_->sheet, static_cast<lxw_row_t>(row),
                                        static_cast<lxw_col_t>(column), value, nullptr),
                 "write_number");
}

void XlsxWriter::date(int row, int column, const CivilDate& value) {
    lxw_datetime dt{};
    dt.year = value.year;
    dt.month = value.month;
    dt.day = value.day;
    impl_->check(worksheet_write_datetime(impl_->sheet, static_cast<lxw_row_t>(row),
                                          static_cast<lxw_col_t>(column), &dt, impl_->date),
                 "write_datetime");
}

std::string XlsxWriter::finish() {
    lxw_workbook* book = impl_->book;
    impl_->book = nullptr;
    impl_->check(workbook_close(book), "close");
    std::ifstream in(impl_->path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) throw Error(codes::kStorageIo, "The workbook could not be read back.", impl_->path);
    return bytes.str();
}

}  // namespace dossier::sheets

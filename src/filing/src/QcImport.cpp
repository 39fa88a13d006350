// The batch import of QC groups and teams (issue 14, scope 2; seed 001's three rules).
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "QcRules.h"
#include "dossier/core/Error.h"
#include "dossier/core/JsonString.h"
#include "dossier/core/ValidationError.h"
#include "dossier/evidence/TypeSniffer.h"
#include "dossier/filing/QcService.h"
#include "dossier/sheets/CellValues.h"
#include "dossier/sheets/XlsxReader.h"

namespace dossier::filing {
namespace {

using sheets::Cell;

std::string columnLetter(std::size_t column) {
    std::string out;
    std::size_t n = column + 1;
    while (n > 0) {
        out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
        n = (n - 1) / 26;
    }
    return out;
}

bool equalsIgnoreAsciiCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

/// The seven template columns of a row, each the cell or null.
std::array<const Cell*, 7> columnsOf(const sheets::SheetRow& row) {
    std::array<const Cell*, 7> out{};
    for (const auto& c : row.cells)
        if (c.column < out.size()) out[c.column] = &c;
    return out;
}

/// A cell's text as the rules read it: text normalized; numbers as written (15 significant
/// digits, as Excel shows them); booleans TRUE/FALSE.
std::string cellText(const Cell* c) {
    if (!c) return {};
    if (c->kind == Cell::Kind::Number) {
        double v = c->number;
        if (std::floor(v) == v && std::fabs(v) < 1e15)
            return std::to_string(static_cast<long long>(v));
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.15g", v);
        return buf;
    }
    return sheets::normalizeCell(c->text);
}

void checkHeader(const sheets::SheetRow& row) {
    auto cells = columnsOf(row);
    std::array<std::string, 7> got;
    for (std::size_t i = 0; i < got.size(); ++i) got[i] = cellText(cells[i]);
    // Beyond G: what else the title row holds, to tell a misplaced column from a missing one.
    std::vector<std::pair<std::size_t, std::string>> all;
    for (const auto& c : row.cells) all.emplace_back(c.column, cellText(&c));
    std::string order;
    for (auto t : qc::kTitles) order += (order.empty() ? "" : "、") + std::string(t);
    for (std::size_t i = 0; i < qc::kTitles.size(); ++i) {
        bool ok = got[i] == qc::kTitles[i] || (i == 4 && got[i] == qc::kTeamMembersTitle);
        if (ok) continue;
        std::string name(qc::kTitles[i]);
        for (const auto& [column, text] : all) {
            if (text == qc::kTitles[i] || (i == 4 && text == qc::kTeamMembersTitle)) {
                throw Error(codes::kImportHeader, "The title row has " + name + " in column " +
                                                      columnLetter(column) +
                                                      "; it must be in column " + columnLetter(i) +
                                                      " (the order is " + order + ").");
            }
        }
        throw Error(codes::kImportHeader,
                    "The title row has no column " + name + " (column " + columnLetter(i) +
                        (got[i].empty() ? " is empty" : " holds '" + got[i] + "'") +
                        "; the order is " + order + ").");
    }
}

/// An import allocates ~10 MB of small blocks (strings, rows) on its worker thread's malloc
/// arena and frees them; glibc keeps freed pages inside an arena, so imports served by
/// different workers would each keep theirs resident. Trimming when the import ends gives the
/// pages back (with main() fixing the mmap threshold, which returns the arena's top).
struct TrimHeapOnExit {
    TrimHeapOnExit() = default;
    TrimHeapOnExit(const TrimHeapOnExit&) = delete;
    TrimHeapOnExit& operator=(const TrimHeapOnExit&) = delete;
    ~TrimHeapOnExit() { ::malloc_trim(0); }
};

/// Reads one data row into `record`; its problems go to `report`. False when rejected.
bool readRow(const sheets::SheetRow& row, bool date1904, const std::string& today,
             storage::QcRecordRow& record, QcImportReport& report) {
    auto cells = columnsOf(row);
    std::vector<QcImportReport::Rejection> problems;
    auto reject = [&](std::size_t column, ErrorCode code, const std::string& message) {
        problems.push_back({row.number, columnLetter(column), code,
                            std::string(qc::kTitles[column]) + ": " + message});
    };
    // Cells that cannot be read as a value, whatever the column's rule.
    std::array<bool, 7> unreadable{};
    for (std::size_t i = 1; i < cells.size(); ++i) {
        const Cell* c = cells[i];
        if (!c) continue;
        if (c->kind == Cell::Kind::Formula) {
            reject(i, codes::kImportFormulaUncached,
                   "the cell holds a formula without a saved value; formulas are never "
                   "calculated: save the workbook in Excel or paste the values.");
            unreadable[i] = true;
        } else if (c->kind == Cell::Kind::Error) {
            reject(i, codes::kImportCellError, "the cell holds the error " + c->text + ".");
            unreadable[i] = true;
        }
    }
    auto text = [&](const qc::FieldInfo& f, std::string& out) {
        if (unreadable[f.column]) return;
        out = cellText(cells[f.column]);
        std::vector<FieldProblem> found;
        qc::checkText(f, "", out, found);
        for (auto& p : found)
            problems.push_back({row.number, columnLetter(f.column), p.code, p.message});
    };
    text(qc::kTitle, record.title);
    text(qc::kGroupName, record.groupName);
    text(qc::kEnterprise, record.enterprise);
    text(qc::kLeader, record.leader);

    // 小组人数: a positive whole number, typed as a number or as text (full-width digits too).
    if (!unreadable[4]) {
        const Cell* c = cells[4];
        std::string t = cellText(c);
        if (t.empty()) {
            reject(4, codes::kFieldRequired, "the number of members is required.");
        } else if (c->kind == Cell::Kind::Number) {
            if (std::floor(c->number) != c->number) {
                reject(4, codes::kFieldNotAnInteger, "'" + t + "' is not a whole number.");
            } else if (c->number < 1 || c->number > qc::kMaxMembers) {
                reject(4, codes::kFieldRange,
                       "must be a positive whole number (1 to " + std::to_string(qc::kMaxMembers) +
                           "), not " + t + ".");
            } else {
                record.memberCount = static_cast<std::int64_t>(c->number);
            }
        } else {
            bool digits = t.size() <= 9 && std::all_of(t.begin(), t.end(), [](char ch) {
                              return ch >= '0' && ch <= '9';
                          });
            bool negative =
                t.size() > 1 && t[0] == '-' &&
                std::all_of(t.begin() + 1, t.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
            if (!digits) {
                reject(4, negative ? codes::kFieldRange : codes::kFieldNotAnInteger,
                       "'" + t + "' is not a positive whole number.");
            } else {
                std::int64_t n = std::stoll(t);
                if (n < 1 || n > qc::kMaxMembers) {
                    reject(4, codes::kFieldRange,
                           "must be a positive whole number (1 to " +
                               std::to_string(qc::kMaxMembers) + "), not " + t + ".");
                } else {
                    record.memberCount = n;
                }
            }
        }
    }

    // 小组成立日期: optional; a date cell (a serial in the workbook's date system) or text.
    if (!unreadable[6] && cells[6]) {
        const Cell* c = cells[6];
        std::optional<sheets::CivilDate> date;
        std::string t = cellText(c);
        if (c->kind == Cell::Kind::Number) {
            date = sheets::dateFromSerial(c->number, date1904);
        } else if (!t.empty()) {
            date = sheets::parseTextDate(t);
        }
        if (!t.empty() && !date) {
            reject(6, codes::kFieldDate,
                   "'" + t +
                       "' is not a date (type it as a date, or as 2023-05-06, 2023/5/6 or "
                       "2023年5月6日).");
        } else if (date) {
            record.foundedOn = date->iso();
            std::vector<FieldProblem> found;
            qc::checkFounded("", record.foundedOn, today, found);
            for (auto& p : found) problems.push_back({row.number, "G", p.code, p.message});
        }
    }
    if (problems.empty()) return true;
    for (auto& p : problems) report.rejected.push_back(std::move(p));
    return false;
}

}  // namespace

QcImportReport QcService::importFile(const Viewer& viewer, const ByteSource& file,
                                     const std::string& sha256, const std::string& fileName,
                                     const std::string& type, const std::string& year) {
    requireMember(viewer);
    TrimHeapOnExit trim;
    std::vector<FieldProblem> problems;
    if (!qc::isKind(type)) {
        problems.push_back({"type", type.empty() ? codes::kFieldRequired : codes::kFieldChoice,
                            "type must be group (小组) or team (班组)."});
    }
    auto y = qc::parseYear(year);
    if (!y) {
        problems.push_back({"year", year.empty() ? codes::kFieldRequired : codes::kFieldRange,
                            "year must be a year from 2000 to 2100."});
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));

    auto sniffed = evidence::TypeSniffer::sniff(file);
    if (sniffed.type != MediaType::Xlsx) {
        std::string what = sniffed.type == MediaType::Zip ? "a ZIP archive, not an Excel workbook"
                           : sniffed.type == MediaType::Docx ? "a Word document"
                           : sniffed.type == MediaType::Pdf  ? "a PDF"
                                                             : "not an XLSX workbook";
        if (!sniffed.note.empty() && sniffed.type == MediaType::Unknown) what = sniffed.note;
        throw Error(codes::kImportNotXlsx,
                    "The file is " + what + ": upload the template saved as .xlsx.");
    }

    sheets::XlsxLimits limits;
    sheets::XlsxReader reader(file, limits);
    if (!equalsIgnoreAsciiCase(reader.firstSheetName(), "sheet1")) {
        throw Error(codes::kImportSheetName,
                    "The first sheet is named '" + reader.firstSheetName() +
                        "'; it must be sheet1 (导入说明: 表名必须是 sheet1, 并且顺序是第一个).");
    }

    QcImportReport report;
    report.kind = type;
    report.year = *y;
    std::string now = today();
    std::vector<storage::QcRecordRow> accepted;
    std::vector<std::uint32_t> acceptedRows;
    std::unordered_set<std::string> keys;
    bool sawHeader = false;
    std::size_t dataRows = 0;
    std::int64_t at = clock_.nowMicros();
    reader.readFirstSheet([&](const sheets::SheetRow& row) {
        if (!sawHeader) {
            if (row.number != 1) {
                throw Error(
                    codes::kImportHeader,
                    "The first row must be the title row (序号、成果名称、小组名称、所属企业、"
                    "小组人数、组长、小组成立日期); row 1 is empty.");
            }
            checkHeader(row);
            sawHeader = true;
            return true;
        }
        auto cells = columnsOf(row);
        bool blank = true;
        for (std::size_t i = 1; i < cells.size() && blank; ++i) {
            if (cells[i] && (cells[i]->kind != Cell::Kind::Text || !cellText(cells[i]).empty()))
                blank = false;
        }
        if (blank) {
            ++report.ignoredBlankRows;
            return true;
        }
        if (++dataRows > settings_.maxImportRows) {
            throw Error(codes::kImportTooManyRows, "The sheet has more than " +
                                                       std::to_string(settings_.maxImportRows) +
                                                       " data rows; split it into several files.");
        }
        storage::QcRecordRow record;
        if (!readRow(row, reader.date1904(), now, record, report)) return true;
        if (!keys.insert(qc::duplicateKey(record.title, record.groupName)).second) {
            report.skippedDuplicates.push_back(row.number);
            return true;
        }
        record.id = ids_.next();
        record.organizationId = viewer.organizationId;
        record.kind = type;
        record.year = *y;
        record.source = "import";
        // A microsecond apart, so the records list in the file's order.
        record.createdAtMicros = record.updatedAtMicros =
            at + static_cast<std::int64_t>(accepted.size());
        record.createdBy = record.updatedBy = viewer.accountId;
        accepted.push_back(std::move(record));
        acceptedRows.push_back(row.number);
        return true;
    });
    if (!sawHeader) {
        throw Error(codes::kImportHeader,
                    "The sheet is empty: the first row must be the title row (序号、成果名称、"
                    "小组名称、所属企业、小组人数、组长、小组成立日期).");
    }

    auto entry =
        audit_.entry(viewer.accountId, "qc.import", "organization:" + viewer.organizationId);
    auto inserted = rows_.importRows(accepted, entry, [&](const std::vector<bool>& done) {
        std::size_t imported = static_cast<std::size_t>(std::count(done.begin(), done.end(), true));
        return audit_
            .entry(viewer.accountId, "qc.import", entry.target,
                   {{"type", type},
                    {"year", std::to_string(*y)},
                    {"file_name", fileName},
                    {"sha256", sha256},
                    {"imported", std::to_string(imported)},
                    {"skipped_duplicates",
                     std::to_string(report.skippedDuplicates.size() + done.size() - imported)},
                    {"rejected_rows", std::to_string(report.rejected.size())},
                    {"ignored_blank_rows", std::to_string(report.ignoredBlankRows)}})
            .detailJson;
    });
    for (std::size_t i = 0; i < inserted.size(); ++i) {
        if (inserted[i]) {
            ++report.imported;
        } else {
            report.skippedDuplicates.push_back(acceptedRows[i]);
        }
    }
    std::sort(report.skippedDuplicates.begin(), report.skippedDuplicates.end());
    return report;
}

std::string QcImportReport::toJson() const {
    std::string out = "{\"type\":";
    appendJsonString(out, kind);
    out += ",\"year\":" + std::to_string(year);
    out += ",\"imported\":" + std::to_string(imported);
    out += ",\"skipped_duplicates\":[";
    for (std::size_t i = 0; i < skippedDuplicates.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(skippedDuplicates[i]);
    }
    out += "],\"rejected\":[";
    for (std::size_t i = 0; i < rejected.size(); ++i) {
        if (i) out += ',';
        out += "{\"row\":" + std::to_string(rejected[i].row) + ",\"column\":";
        appendJsonString(out, rejected[i].column);
        out += ",\"code\":";
        appendJsonString(out, rejected[i].code.text());
        out += ",\"message\":";
        appendJsonString(out, rejected[i].message);
        out += '}';
    }
    out += "],\"ignored_blank_rows\":" + std::to_string(ignoredBlankRows) + "}";
    return out;
}

}  // namespace dossier::filing

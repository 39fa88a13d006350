#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/core/ByteSource.h"
#include "dossier/core/Clock.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/QcRepository.h"

namespace dossier::filing {

/// What one import answers (issue 14, scope 2), with Excel's row numbers.
struct QcImportReport {
    struct Rejection {
        std::uint32_t row = 0;
        std::string column;  // the column's letter, "E"
        ErrorCode code = codes::kFieldRequired;
        std::string message;
    };
    std::string kind;
    std::int64_t year = 0;
    std::size_t imported = 0;
    std::vector<std::uint32_t> skippedDuplicates;
    std::vector<Rejection> rejected;
    std::size_t ignoredBlankRows = 0;

    /// {type, year, imported, skipped_duplicates, rejected: [{row, column, code, message}],
    /// ignored_blank_rows}
    std::string toJson() const;
};

struct QcSettings {
    /// Data rows one import takes (blank rows not counted); beyond it the file is refused.
    std::size_t maxImportRows = 20'000;
};

/// QC groups (小组) and teams (班组) of seed 001: filed one by one or imported from the XLSX
/// template, the organization's yearly counts (设置), the template and the summary table
/// (小组汇总表). Applicants act within their organization; reviewers, organizers and
/// evaluators read every organization's summary; operators none. Thread-safe.
class QcService {
  public:
    /// References must outlive the service.
    QcService(storage::QcRepository& rows, AuditLog& audit, const Clock& clock,
              const IdGenerator& ids, QcSettings settings);

    /// auth.forbidden for staff, organization.membership_required without an organization.
    static void requireMember(const Viewer& viewer);
    /// Members (their organization), reviewers, organizers and evaluators (all); operators
    /// get auth.forbidden.
    static void requireSummaryReader(const Viewer& viewer);

    /// The import template of `type` (group|team): sheet1 with the title row, an example row
    /// and the date column formatted as dates, then a notes sheet. validation.failed for
    /// another type.
    static std::string templateXlsx(const std::string& type);

    /// Imports an uploaded workbook for the viewer's organization. `type` and `year` as the
    /// form sent them (validation.failed when wrong). A refused file (import.* codes) changes
    /// nothing; an accepted one is committed with its audit row in one transaction.
    QcImportReport importFile(const Viewer& viewer, const ByteSource& file,
                              const std::string& sha256, const std::string& fileName,
                              const std::string& type, const std::string& year);

    /// `body`: {type, year, title, group_name, enterprise, member_count, leader, founded_on}.
    /// validation.failed with every problem; qc.duplicate (409) for an existing title and
    /// group name.
    storage::QcRecordRow create(const Viewer& viewer, const Poco::JSON::Object::Ptr& body);
    /// The same fields but `type` (fixed at creation). qc.record_not_found,
    /// request.precondition_failed when `ifMatch` names none of the current version.
    storage::QcRecordRow update(const Viewer& viewer, const std::string& id,
                                const Poco::JSON::Object::Ptr& body,
                                const std::optional<std::set<std::int64_t>>& ifMatch);
    storage::QcRecordRow get(const Viewer& viewer, const std::string& id);
    /// `type` "", group or team; `year` "" or a year (validation.failed otherwise).
    storage::QcRecordPage list(const Viewer& viewer, const std::string& type,
                               const std::string& year, std::uint64_t page, std::uint64_t perPage);

    storage::QcYearCounts counts(const Viewer& viewer, const std::string& year);
    /// `body`: {groups, teams}, whole numbers ≥ 0.
    storage::QcYearCounts saveCounts(const Viewer& viewer, const std::string& year,
                                     const Poco::JSON::Object::Ptr& body);

    /// The year's records as an XLSX (小组汇总表) and as CSV (UTF-8 with BOM, RFC 4180,
    /// cells starting with = + - @ tab or CR prefixed with ' so spreadsheets show them as
    /// text). Staff get every organization's, with an organization column.
    std::string summaryXlsx(const Viewer& viewer, const std::string& year);
    std::string summaryCsv(const Viewer& viewer, const std::string& year);

    static std::string toJson(const storage::QcRecordRow& row);
    static std::string countsJson(const storage::QcYearCounts& counts);

  private:
    std::vector<storage::QcRecordRow> summaryRows(const Viewer& viewer, const std::string& year);
    std::string today() const;

    storage::QcRepository& rows_;
    AuditLog& audit_;
    const Clock& clock_;
    const IdGenerator& ids_;
    QcSettings settings_;
};

}  // namespace dossier::filing

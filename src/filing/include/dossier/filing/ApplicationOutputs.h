#pragma once

#include <cstdint>
#include <string>
#include <vector>

// The data of an application's printed outputs (issue 12, "Outputs"): the submission receipt
// (回执), the footer of a submitted book, and the forms and book pre-filled with what Dossier
// already knows of the organization. Pure functions of their arguments (and of the reference
// lists read from disk once); thread-safe. RenderService renders what they return.
namespace dossier::filing {

/// One file of a submitted application, as its receipt lists it.
struct ReceiptFile {
    std::string role;  // printed as given, at most 20 characters: 承诺书, 申报材料, 证实性材料
    std::string name;  // the file's name as uploaded (at most 255 characters)
    std::uint64_t sizeBytes = 0;
    std::string sha256;  // 64 lowercase hex digits
};

/// What a submission receipt states.
struct SubmissionReceipt {
    std::string applicationNumber;
    std::string organizationName;  // the full name, as filed
    std::string creditCode;
    std::string activityTitle;
    std::string projectName;  // "" when the application names no project
    std::int64_t submittedAtMicros = 0;
    std::vector<ReceiptFile> files;  // in the order printed
};

/// The data of templates/receipt.json for `receipt`: the instant in Beijing time
/// ("2025-04-15 10:23:45"), every file, and the totals (count, bytes) computed here.
std::string receiptData(const SubmissionReceipt& receipt);

/// The instant in Asia/Shanghai (UTC+8, no daylight saving) to the second:
/// "2025-04-15 10:23:45".
std::string beijingSecond(std::int64_t micros);

/// The footer of every page of a submitted book:
/// "申报编号 B2025-000123　提交时间 2025-04-15 10:23:45 北京时间".
std::string submittedBookFooter(const std::string& applicationNumber,
                                std::int64_t submittedAtMicros);

/// What Dossier knows of an organization, for pre-filling.
struct OrganizationFacts {
    std::string name;        // as registered
    std::string creditCode;  // as registered
    std::string adminName;   // its admin account's display name; "" when it has none
    std::string adminPhone;  // its admin account's phone; "" when it has none
    /// The approved filing's data as stored (FilingService::approvedFiling(id)->dataJson, the
    /// shape filingDataJson writes); "" when the organization has no approved filing.
    std::string approvedFilingJson;
};

/// What the forms of one activity add to the organization.
struct FormContext {
    std::string activityTitle;
    std::string projectName;       // "" when not known (a blank line to fill in)
    int completingUnits = 1;       // 1–3: the commitment letter's pages, one per unit
    std::string recommendingUnit;  // a value of the activity's list, "" when not chosen
};

/// The profile the forms share (templates/form-*.json; the shape of
/// templates/samples/organization.json): the organization's name and credit code as filed
/// (as registered without an approved filing: the name on the seal is the filed one), the
/// admin's name and phone, the activity and project, the organization as the first
/// completing unit and blank entries for the others. Values are mapped as they are; a form
/// leaves out what it cannot print (DocumentTemplate::fitting).
std::string formProfileData(const OrganizationFacts& org, const FormContext& context);

/// The book data a new application of a book template such as benchmark-2022 starts with:
/// the enterprise's name, credit code, type, industry and size, the contact (the filing's
/// quality manager, the address with its province and city), revenue, profit and total
/// assets of every year the filing reports, and the experience's name from the project.
/// Names of provinces and cities come from `listDir` (templates/lists). Missing filing
/// fields are left out; the template's own years and limits are applied afterwards by
/// DocumentTemplate::fitting (RenderService::prefillBook does both). Throws render.template
/// when a list is missing.
std::string bookPrefillData(const OrganizationFacts& org, const std::string& projectName,
                            const std::string& listDir);

/// The data of a book's experience material (典型经验材料, templates/benchmark-2022-experience)
/// from the book's data (ApplicationContext::bookDataJson): experience_name, enterprise_name
/// (the book's enterprise.name, as filed) and overview, background, process and results from
/// its `experience` object. What the book does not hold (or holds as anything but text) is
/// left out, to print blank. Data that is not a JSON object gives "{}".
std::string experienceData(const std::string& bookDataJson);

}  // namespace dossier::filing

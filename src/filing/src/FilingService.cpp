#include "dossier/filing/FilingService.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "BodyReader.h"
#include "FilingRules.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/JsonNumbers.h"
#include "dossier/core/Utf8.h"
#include "dossier/evidence/LicenseCheck.h"
#include "dossier/filing/DocumentService.h"

namespace dossier::filing {
namespace {

bool isOpen(const std::string& state) {
    return state == "draft" || state == "submitted" || state == "rejected";
}

const std::vector<std::string> kReviewStates{"submitted", "approved", "rejected", "superseded"};

/// A JSON object and the text of its numbers.
struct Body {
    Poco::JSON::Object::Ptr object;
    JsonNumberTexts numbers;
};

Body parseObject(const std::string& json) {
    Body body{nullptr, inspectJsonBody(json)};
    try {
        auto parsed = Poco::JSON::Parser().parse(json);
        body.object = parsed.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw Error(codes::kRequestMalformed, "The body is not valid JSON.", e.displayText());
    } catch (const std::exception&) {
    }
    if (!body.object) throw Error(codes::kRequestMalformed, "The body must be a JSON object.");
    return body;
}

/// The calendar year in Asia/Shanghai (UTC+8 all year, no daylight saving) at `micros`.
int shanghaiYear(std::int64_t micros) {
    std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000 + 8 * 3600);
    if (micros < 0 && micros % 1'000'000 != 0) --seconds;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return tm.tm_year + 1900;
}

DocumentLookup lookupIn(DocumentService& documents) {
    return [&documents](const std::string& id) -> std::optional<Document> {
        try {
            return documents.find(id);
        } catch (const Error& e) {
            if (e.code() == codes::kDocumentNotFound) return std::nullopt;
            throw;
        }
    };
}

void requireReviewer(const Viewer& viewer) {
    if (viewer.role != Role::Reviewer) {
        throw Error(codes::kAuthForbidden,
                    "The filing review (备案审核) needs a reviewer account.");
    }
}

/// What a license check's stored outcome says about the *filed* name and code.
std::string filedComparison(const storage::CheckRow* check, const FilingData& data,
                            const std::string& pageText) {
    Poco::JSON::Object o;
    o.set("filed_name", data.name);
    o.set("filed_credit_code", data.creditCode);
    auto finish = [&](const std::string& status, const std::string& code,
                      const std::string& message) {
        o.set("status", status);
        if (!code.empty()) o.set("code", code);
        o.set("message", message);
        std::ostringstream out;
        o.stringify(out);
        return out.str();
    };
    if (!check || (check->state != "done" && check->state != "error")) {
        return finish("pending", "", "The license check has not finished yet.");
    }
    Poco::JSON::Object::Ptr input, result;
    try {
        input = Poco::JSON::Parser().parse(check->inputJson).extract<Poco::JSON::Object::Ptr>();
        result = Poco::JSON::Parser().parse(check->resultJson).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
    }
    if (!input || !result) return finish("fail", check->code, "The license check left no result.");
    std::string checkedName = input->optValue<std::string>("declared_name", "");
    std::string checkedCode = input->optValue<std::string>("declared_credit_code", "");
    o.set("checked_name", checkedName);
    o.set("checked_credit_code", checkedCode);
    auto details = result->getObject("details");
    std::string codeRead = details ? details->optValue<std::string>("code_read", "") : "";
    std::string nameRead = details ? details->optValue<std::string>("name_read", "") : "";
    std::string message = result->optValue<std::string>("message", "");
    bool same = evidence::normalizeOrganizationName(checkedName) ==
                    evidence::normalizeOrganizationName(data.name) &&
                checkedCode == data.creditCode;
    o.set("same_as_checked", same);
    if (same || codeRead.empty()) {
        // Judged against these very values, or nothing usable was read: the check stands.
        return finish(check->status, check->code, message);
    }
    if (codeRead != data.creditCode) {
        return finish("fail", std::string(codes::kLicenseCodeMismatch.text()),
                      "The license shows credit code " + codeRead + ", not the filed " +
                          data.creditCode + ".");
    }
    // The check compared another name (the one registered at upload): judge the filed one
    // against what the check read, with the check's own tolerance (one character in six).
    auto want = utf8::decode(evidence::normalizeOrganizationName(data.name));
    int allowed = std::max<int>(1, static_cast<int>((want.size() + 3) / 6));
    auto read = utf8::decode(evidence::normalizeOrganizationName(nameRead));
    auto text = utf8::decode(evidence::normalizeOrganizationName(pageText));
    if (evidence::approximatelyContains(read, want, allowed) ||
        evidence::approximatelyContains(text, want, allowed)) {
        return finish("pass", std::string(codes::kLicenseMatch.text()),
                      "The credit code and the filed name match what was read on the license.");
    }
    if (!nameRead.empty() && evidence::editDistance(read, want) >= 4) {
        return finish(
            "fail", std::string(codes::kLicenseNameMismatch.text()),
            "The license names \"" + nameRead + "\", not the filed \"" + data.name + "\".");
    }
    return finish("warn", std::string(codes::kLicenseNameUncertain.text()),
                  "The credit code matches; the filed name could not be found with certainty in "
                  "what was read. Check the name by eye.");
}

}  // namespace

FilingService::FilingService(storage::FilingRepository& rows, storage::AccountRepository& accounts,
                             storage::CheckRepository& checks, DocumentService& documents,
                             AuditLog& audit, const Clock& clock, const IdGenerator& ids,
                             std::string templatesDir)
    : rows_(rows),
      accounts_(accounts),
      checks_(checks),
      documents_(documents),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      templatesDir_(std::move(templatesDir)) {}

FilingService::~FilingService() = default;

const FilingLists& FilingService::lists() {
    // Loaded on first use, not at start-up: a process that never files (the CLI, tests of
    // other modules) needs no lists. A missing list is render.template, naming it.
    std::lock_guard lock(listsMutex_);
    if (!lists_) lists_ = std::make_unique<FilingLists>(templatesDir_ + "/lists");
    return *lists_;
}

std::shared_ptr<const renderers::ReferenceList> FilingService::referenceList(
    const std::string& name) {
    static const std::regex safe("^[a-z0-9][a-z0-9-]{0,63}$");
    const std::string listDir = templatesDir_ + "/lists";
    // Checked here, not left to the loader: an unknown name is the caller's mistake (404),
    // while a list that is there and unreadable stays the server's (render.template).
    if (!std::regex_match(name, safe) ||
        !std::filesystem::is_regular_file(std::filesystem::path(listDir) / (name + ".json"))) {
        throw Error(codes::kListNotFound, "No reference list is named \"" + name + "\".");
    }
    std::lock_guard lock(referenceMutex_);
    auto& list = reference_[name];
    if (!list) list = renderers::ReferenceList::load(listDir, name);
    return list;
}

std::string FilingService::etag(const storage::FilingRow& row) {
    return "\"" + row.id + "." + std::to_string(row.revision) + "\"";
}

void FilingService::authorize(const Viewer& viewer, const std::string& organizationId, bool admin) {
    if (viewer.isStaff()) {
        throw Error(codes::kAuthForbidden,
                    "An organization's filing is kept by its members; reviewers open filings "
                    "under /api/v1/filings.");
    }
    if (viewer.organizationId.empty()) {
        throw Error(codes::kOrganizationMembershipRequired,
                    "This account belongs to no organization: join one (or register it) first.");
    }
    if (viewer.organizationId != organizationId) {
        throw Error(codes::kOrganizationNotFound, "No such organization.",
                    "organization=" + organizationId);
    }
    if (admin && !viewer.organizationAdmin) {
        throw Error(codes::kAuthForbidden,
                    "Only the organization's admin (组织管理员) files the organization.");
    }
}

storage::OrganizationRow FilingService::organizationFor(const Viewer& viewer,
                                                        const std::string& organizationId,
                                                        bool admin) {
    authorize(viewer, organizationId, admin);
    auto org = accounts_.organization(organizationId);
    if (!org) throw Error(codes::kOrganizationNotFound, "No such organization.");
    return *org;
}

FilingView FilingService::view(const storage::OrganizationRow& organization) {
    return view(organization, rows_.forOrganization(organization.id));
}

FilingView FilingService::view(const storage::OrganizationRow& organization,
                               std::vector<storage::FilingRow> versions) {
    FilingView v;
    v.organization = organization;
    v.versions = std::move(versions);
    std::vector<std::string> ids;
    for (const auto& row : v.versions) {
        if (isOpen(row.state) && !v.current) v.current = row;
        if (row.state == "approved") v.approved = row;
        ids.push_back(row.id);
    }
    if (!v.current) v.current = v.approved;
    if (v.current) {
        v.dataJson = v.current->dataJson;
    } else {
        FilingData prefill;
        prefill.name = organization.name;
        prefill.creditCode = organization.creditCode;
        v.dataJson = filingDataJson(prefill);
    }
    // Transitions only: a plain save of a draft is audited but is not a step of the journey.
    v.history = rows_.transitions(ids);
    return v;
}

FilingView FilingService::get(const Viewer& viewer, const std::string& organizationId) {
    return view(organizationFor(viewer, organizationId, false));
}

FilingView FilingService::saveDraft(const Viewer& viewer, const std::string& organizationId,
                                    const std::string& json, const std::string& ifMatch) {
    auto org = organizationFor(viewer, organizationId, true);
    auto body = parseObject(json);
    std::vector<FieldProblem> problems;
    DocumentLookup lookup = lookupIn(documents_);
    FilingData data = parseFilingData(body.object, body.numbers, lists(), org.id, org.creditCode,
                                      lookup, problems);
    if (!problems.empty()) throw ValidationError(std::move(problems));
    const std::string dataJson = filingDataJson(data);
    const auto documentIds = documentIdsOf(data);
    auto preconditionFailed = [] {
        return Error(codes::kRequestPreconditionFailed,
                     "The filing was changed since it was read (If-Match names an older "
                     "revision). Reload it and apply the edit again.");
    };
    // A concurrent save between our read and our write makes the write change nothing; read
    // again and retry (a caller with If-Match then learns that another edit came first).
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto versions = rows_.forOrganization(org.id);
        const storage::FilingRow* open = nullptr;
        const storage::FilingRow* approved = nullptr;
        for (const auto& row : versions) {
            if (isOpen(row.state) && !open) open = &row;
            if (row.state == "approved") approved = &row;
        }
        std::int64_t now = clock_.nowMicros();
        if (open) {
            if (!ifMatch.empty() && ifMatch != etag(*open)) throw preconditionFailed();
            if (open->state == "submitted") {
                throw Error(codes::kFilingNotEditable,
                            "The filing is under review; it can be edited once a reviewer has "
                            "decided.");
            }
            // Editing a rejected version reopens it: a transition of its own in the history.
            auto audit =
                audit_.entry(viewer.accountId,
                             open->state == "rejected" ? "filing.reopened" : "filing.draft_saved",
                             "filing:" + open->id,
                             {{"before", open->state},
                              {"after", "draft"},
                              {"version", std::to_string(open->version)},
                              {"revision", std::to_string(open->revision + 1)}});
            // The uses are rewritten only when the documents named change (most saves edit
            // text and figures): fewer statements in the transaction.
            auto before = documentIdsIn(open->dataJson);
            auto after = documentIds;
            std::sort(before.begin(), before.end());
            std::sort(after.begin(), after.end());
            if (rows_.saveDraft(open->id, open->revision, data.name, data.province, dataJson, now,
                                before == after ? nullptr : &documentIds, audit)) {
                // The answer is built from what was read and written, not read again.
                storage::FilingRow& saved =
                    versions[static_cast<std::size_t>(open - versions.data())];
                saved.state = "draft";
                saved.revision += 1;
                saved.name = data.name;
                saved.province = data.province;
                saved.dataJson = dataJson;
                saved.updatedAtMicros = now;
                return view(org, std::move(versions));
            }
            continue;
        }
        // Nothing open: the first version, or a new one beside the version in force.
        if (!ifMatch.empty() && (!approved || ifMatch != etag(*approved))) {
            throw preconditionFailed();
        }
        storage::FilingRow row;
        row.id = ids_.next();
        row.organizationId = org.id;
        row.version = versions.empty() ? 1 : versions.front().version + 1;
        row.state = "draft";
        row.revision = 1;
        row.name = data.name;
        row.province = data.province;
        row.dataJson = dataJson;
        row.createdAtMicros = row.updatedAtMicros = now;
        auto audit = audit_.entry(viewer.accountId, "filing.draft_created", "filing:" + row.id,
                                  {{"before", "none"},
                                   {"after", "draft"},
                                   {"version", std::to_string(row.version)},
                                   {"revision", "1"}});
        if (rows_.insert(row, documentIds, audit)) {
            versions.insert(versions.begin(), row);
            return view(org, std::move(versions));
        }
    }
    if (!ifMatch.empty()) throw preconditionFailed();
    throw Error(codes::kFilingStateConflict,
                "The filing kept changing while it was saved; reload it and try again.");
}

FilingView FilingService::submit(const Viewer& viewer, const std::string& organizationId,
                                 const std::string& ifMatch) {
    auto org = organizationFor(viewer, organizationId, true);
    auto versions = rows_.forOrganization(org.id);
    auto open = std::find_if(versions.begin(), versions.end(),
                             [](const auto& row) { return isOpen(row.state); });
    if (versions.empty()) {
        throw Error(codes::kFilingNotFound,
                    "Nothing to submit: save the filing first (PUT …/filing).");
    }
    if (open == versions.end()) {
        throw Error(codes::kFilingStateConflict,
                    "Nothing is open to submit: the approved version is in force. Edit the "
                    "filing to open a new version.");
    }
    if (!ifMatch.empty() && ifMatch != etag(*open)) {
        throw Error(codes::kRequestPreconditionFailed,
                    "The filing was changed since it was read (If-Match names an older "
                    "revision). Reload it and check it before submitting.");
    }
    if (open->state == "submitted") {
        throw Error(codes::kFilingStateConflict, "The filing is already submitted for review.");
    }
    std::vector<FieldProblem> problems;
    DocumentLookup lookup = lookupIn(documents_);
    auto stored = parseObject(open->dataJson);
    FilingData data = parseFilingData(stored.object, stored.numbers, lists(), org.id,
                                      org.creditCode, lookup, problems);
    std::int64_t now = clock_.nowMicros();
    int year = shanghaiYear(now);
    checkComplete(data, lists(), {year - 3, year - 2, year - 1}, problems);
    if (!problems.empty()) throw ValidationError(std::move(problems));
    auto audit =
        audit_.entry(viewer.accountId, "filing.submitted", "filing:" + open->id,
                     {{"before", open->state},
                      {"after", "submitted"},
                      {"version", std::to_string(open->version)},
                      {"years", std::to_string(year - 3) + "-" + std::to_string(year - 1)}});
    using Outcome = storage::FilingRepository::SubmitOutcome;
    Outcome outcome =
        rows_.submit(open->id, open->revision, viewer.accountId, now, documentIdsOf(data), audit);
    if (outcome == Outcome::SubmitterDeregistered) {
        throw Error(codes::kAuthRequired,
                    "The account was deregistered while the filing was submitted: its sessions "
                    "have ended and nothing was submitted.");
    }
    if (outcome == Outcome::Changed) {
        if (!ifMatch.empty()) {
            throw Error(codes::kRequestPreconditionFailed,
                        "The filing was changed while it was submitted; reload it.");
        }
        throw Error(codes::kFilingStateConflict,
                    "The filing was changed while it was submitted; reload it and submit again.");
    }
    return view(org);
}

storage::FilingRepository::ListPage FilingService::list(const Viewer& viewer,
                                                        const ListQuery& query) {
    requireReviewer(viewer);
    storage::FilingRepository::ListQuery q;
    if (query.state.empty()) {
        q.states = kReviewStates;
    } else if (std::find(kReviewStates.begin(), kReviewStates.end(), query.state) !=
               kReviewStates.end()) {
        q.states = {query.state};
    } else {
        throw Error(codes::kRequestMalformed,
                    "state is one of submitted, approved, rejected, superseded (drafts are the "
                    "applicants' own).");
    }
    if (!query.province.empty() && !lists().provinces->find(query.province)) {
        throw Error(codes::kRequestMalformed, "province is a two-digit GB/T 2260 code.");
    }
    if (query.page < 1 || query.page > 1'000'000) {
        throw Error(codes::kRequestMalformed, "page is a whole number from 1.");
    }
    if (query.perPage < 1 || query.perPage > 100) {
        throw Error(codes::kRequestMalformed, "per_page is a whole number from 1 to 100.");
    }
    if (!utf8::isValid(query.name) || utf8::decode(query.name).size() > kMaxNameChars) {
        throw Error(codes::kRequestMalformed, "name is UTF-8 text of at most 100 characters.");
    }
    q.province = query.province;
    q.nameContains = query.name;
    q.limit = query.perPage;
    q.offset = (query.page - 1) * query.perPage;
    return rows_.list(q);
}

FilingReview FilingService::review(const Viewer& viewer, const std::string& filingId) {
    requireReviewer(viewer);
    auto row = IdGenerator::isWellFormed(filingId) ? rows_.find(filingId) : std::nullopt;
    // Drafts are the applicants' own until submitted.
    if (!row || row->state == "draft") {
        throw Error(codes::kFilingNotFound, "No such filing.", "filing=" + filingId);
    }
    FilingReview r;
    r.filing = *row;
    auto org = accounts_.organization(row->organizationId);
    if (org) r.organization = *org;
    std::vector<FieldProblem> ignored;
    DocumentLookup any = lookupIn(documents_);
    auto stored = parseObject(row->dataJson);
    FilingData data = parseFilingData(stored.object, stored.numbers, lists(), row->organizationId,
                                      r.organization.creditCode, any, ignored);
    if (!data.licenseDocumentId.empty()) {
        FilingReview::DocumentChecks license{data.licenseDocumentId,
                                             "license_document_id",
                                             checks_.forDocument(data.licenseDocumentId),
                                             {}};
        const storage::CheckRow* check = nullptr;
        for (const auto& c : license.checks) {
            if (c.checkName == "license") check = &c;
        }
        license.filedComparisonJson =
            filedComparison(check, data, checks_.text(data.licenseDocumentId, 1).value_or(""));
        r.documents.push_back(std::move(license));
    }
    for (std::size_t i = 0; i < data.economics.size(); ++i) {
        const auto& id = data.economics[i].evidenceDocumentId;
        if (id.empty()) continue;
        r.documents.push_back({id,
                               "economics[" + std::to_string(i) + "].evidence_document_id",
                               checks_.forDocument(id),
                               {}});
    }
    r.history = rows_.transitions({row->id});
    // Every reviewer view is traced (who opened which version, when): the filing names people
    // (the quality manager, a phone number) and the evidence it shows.
    audit_.record(viewer.accountId, "filing.viewed", "filing:" + row->id,
                  {{"version", std::to_string(row->version)}, {"state", row->state}});
    return r;
}

storage::FilingRow FilingService::decide(const Viewer& viewer, const std::string& filingId,
                                         bool approve, const std::string& json) {
    requireReviewer(viewer);
    std::vector<FieldProblem> problems;
    auto body =
        json.empty() ? Poco::JSON::Object::Ptr(new Poco::JSON::Object) : parseObject(json).object;
    BodyReader read(body, "", problems);
    read.refuseOthers(approve ? std::vector<std::string>{"comment"}
                              : std::vector<std::string>{"comment", "reasons"});
    std::string comment = read.note("comment", kMaxCommentChars);
    std::vector<std::string> reasons;
    if (!approve) {
        reasons = read.codeList("reasons", *lists().rejectionReasons);
        bool reasonsRefused = std::any_of(problems.begin(), problems.end(), [](const auto& p) {
            return p.path.rfind("reasons", 0) == 0;
        });
        if (reasons.empty() && !reasonsRefused) {
            problems.push_back({"reasons",
                                read.given("reasons") ? codes::kFieldTooFew : codes::kFieldRequired,
                                "A rejection names at least one reason (lists/"
                                "filing-rejection-reasons)."});
        }
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    auto row = IdGenerator::isWellFormed(filingId) ? rows_.find(filingId) : std::nullopt;
    if (!row || row->state == "draft") {
        throw Error(codes::kFilingNotFound, "No such filing.", "filing=" + filingId);
    }
    std::string reasonsJson = "[";
    for (std::size_t i = 0; i < reasons.size(); ++i) {
        reasonsJson += (i ? "," : "") + jsonQuote(reasons[i]);
    }
    reasonsJson += "]";
    std::string after = approve ? "approved" : "rejected";
    std::map<std::string, std::string> details{{"before", "submitted"},
                                               {"after", after},
                                               {"version", std::to_string(row->version)},
                                               {"organization_id", row->organizationId}};
    if (!approve) details["reasons"] = reasonsJson;
    if (!comment.empty()) details["comment"] = comment;
    auto audit = audit_.entry(viewer.accountId, approve ? "filing.approved" : "filing.rejected",
                              "filing:" + row->id, details);
    auto supersededAudit = [&](const std::string& oldId) {
        return audit_.entry(
            viewer.accountId, "filing.superseded", "filing:" + oldId,
            {{"before", "approved"}, {"after", "superseded"}, {"superseded_by", row->id}});
    };
    if (!rows_.decide(row->id, row->organizationId, approve, viewer.accountId, clock_.nowMicros(),
                      approve ? "[]" : reasonsJson, comment, audit, supersededAudit)) {
        throw Error(codes::kFilingStateConflict,
                    "The filing is not awaiting a decision (it is " +
                        (row->state == "submitted" ? std::string("already decided") : row->state) +
                        "): only a submitted filing is approved or rejected.");
    }
    return *rows_.find(row->id);
}

storage::FilingRow FilingService::approve(const Viewer& viewer, const std::string& filingId,
                                          const std::string& json) {
    return decide(viewer, filingId, true, json);
}

storage::FilingRow FilingService::reject(const Viewer& viewer, const std::string& filingId,
                                         const std::string& json) {
    return decide(viewer, filingId, false, json);
}

std::string FilingService::rejectionReasonLabel(const std::string& code) {
    const auto* item = lists().rejectionReasons->find(code);
    return item ? item->label : std::string();
}

std::optional<storage::FilingRow> FilingService::approvedFiling(const std::string& organizationId) {
    return rows_.approved(organizationId);
}

}  // namespace dossier::filing

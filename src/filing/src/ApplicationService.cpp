#include "dossier/filing/ApplicationService.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "BodyReader.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Project.h"
#include "dossier/core/ShanghaiTime.h"
#include "dossier/filing/ActivityService.h"
#include "dossier/filing/DocumentService.h"
#include "dossier/filing/FilingService.h"
#include "dossier/filing/ProjectService.h"
#include "dossier/renderers/DocumentTemplate.h"
#include "dossier/renderers/ReferenceList.h"

namespace dossier::filing {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::size_t kMaxDocuments = 200;

/// The contact block (申报信息, seed 000 section 5): field, label, limit, required to submit.
struct ContactField {
    const char* name;
    const char* label;
    std::size_t maxChars;
    bool required;
};
constexpr ContactField kContact[] = {
    {"department", "联系部门", 100, true}, {"name", "联系人", 50, true},
    {"title", "担任职务", 50, true},       {"mobile", "联系手机", 11, true},
    {"telephone", "联系电话", 24, false},  {"fax", "传真电话", 24, false},
    {"email", "电子信箱", 100, true},      {"postcode", "邮编", 6, false},
    {"address", "联系地址", 200, true},
};

// The roles of an application's documents and the upload kinds each takes.
const storage::ApplicationRepository::KindsByRole kKinds{
    {"summary", {"summary"}},        // 总结材料 (DOCX or PDF)
    {"commitment", {"commitment"}},  // 承诺书, stamped
    {"evidence", {"evidence", "proof"}},
};

Object::Ptr orderedObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Object::Ptr parseObject(const std::string& json) {
    if (json.empty()) return orderedObject();
    return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
}

Var textOrNull(const std::string& s) { return s.empty() ? Var() : Var(s); }

std::optional<std::string> optionalTimestamp(std::int64_t micros) {
    if (micros == 0) return std::nullopt;
    return formatTimestamp(micros);
}

Var timestampOrNull(std::int64_t micros) {
    auto t = optionalTimestamp(micros);
    return t ? Var(*t) : Var();
}

/// Checks one contact value; `full`: required ones must be there.
void checkContact(const ContactField& f, const std::string& value, bool full,
                  std::vector<FieldProblem>& out) {
    std::string path = std::string("contact.") + f.name;
    if (value.empty()) {
        if (full && f.required) {
            out.push_back({path, codes::kFieldRequired,
                           std::string(f.label) + " (" + path + ") is required to submit."});
        }
        return;
    }
    std::size_t before = out.size();
    project_rules::checkText(path, value, std::string(f.name) == "mobile" ? 64 : f.maxChars, false,
                             false, out);
    if (out.size() != before) return;
    std::string name = f.name;
    static const std::regex kPhone(R"(^\+?[0-9()\- ]{7,24}$)");
    static const std::regex kEmail(R"(^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$)");
    static const std::regex kPostcode(R"(^\d{6}$)");
    if (name == "mobile") {
        account_rules::checkMobile(path, value, out);
    } else if ((name == "telephone" || name == "fax") && !std::regex_match(value, kPhone)) {
        out.push_back(
            {path, codes::kFieldTelephone,
             path + " must be a telephone number (区号-电话号码, such as 010-68417696)."});
    } else if (name == "email" && !std::regex_match(value, kEmail)) {
        out.push_back({path, codes::kFieldEmail, path + " must be an e-mail address."});
    } else if (name == "postcode" && !std::regex_match(value, kPostcode)) {
        out.push_back({path, codes::kFieldPostcode, path + " must be a 6-digit postcode."});
    }
}

/// Adds `problem` unless one with the same path and code is there.
void addOnce(std::vector<FieldProblem>& out, FieldProblem problem) {
    for (const auto& p : out) {
        if (p.path == problem.path && p.code == problem.code) return;
    }
    out.push_back(std::move(problem));
}

FieldProblem notOurs(const std::string& path) {
    return {path, codes::kFieldDocumentNotFound,
            "No document of your organization has this id: upload it first "
            "(POST /api/v1/documents)."};
}

std::set<std::string> readTemplateFields(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::set<std::string> names;
    try {
        auto t = Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
        auto fields = t->getObject("fields");
        if (fields) {
            for (const auto& name : fields->getNames()) names.insert(name);
        }
    } catch (const std::exception& e) {
        throw Error(codes::kRenderTemplate, "A template on the server is unreadable.",
                    path + ": " + e.what());
    }
    return names;
}

/// The state and result of one check of a document, as a submission judges it.
enum class CheckVerdict { Passed, Failed, Pending, Missing };

CheckVerdict verdictOf(const std::vector<storage::CheckRow>& checks, const std::string& name,
                       std::string& message) {
    for (const auto& c : checks) {
        if (c.checkName != name) continue;
        if (c.state == "pending" || c.state == "running") return CheckVerdict::Pending;
        if (c.status == "fail") {
            try {
                auto r = Poco::JSON::Parser().parse(c.resultJson).extract<Object::Ptr>();
                message = r->optValue<std::string>("message", "");
            } catch (const std::exception&) {
            }
            return CheckVerdict::Failed;
        }
        return CheckVerdict::Passed;  // pass, or warn: passed with a remark
    }
    return CheckVerdict::Missing;
}

/// Why a locked application (application.locked) takes no change, in its state's words.
std::string lockedMessage(const storage::ApplicationRow& row) {
    if (row.state == "failed" && row.returnDeadlineMicros != 0) {
        return "The application failed its formal review (a return for correction that is not "
               "submitted again by its deadline, " +
               formatShanghai(row.returnDeadlineMicros) + ", fails too): it cannot be changed.";
    }
    if (row.state == "passed" || row.state == "failed") {
        return "The application's formal review has ended (" + row.state +
               "): it cannot be changed.";
    }
    if (row.state == "withdrawn") return "The application was withdrawn: it cannot be changed.";
    return "The application was submitted (一次性提交): it cannot be changed.";
}

}  // namespace

ApplicationService::ApplicationService(storage::ApplicationRepository& rows,
                                       ActivityService& activities, FilingService& filings,
                                       storage::FilingRepository& filingRows,
                                       storage::ProjectRepository& projects,
                                       DocumentService& documents, storage::CheckRepository& checks,
                                       AuditLog& audit, const Clock& clock, const IdGenerator& ids,
                                       std::string templatesDir)
    : rows_(rows),
      activities_(activities),
      filings_(filings),
      filingRows_(filingRows),
      projects_(projects),
      documents_(documents),
      checks_(checks),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      templatesDir_(std::move(templatesDir)) {}

ApplicationService::~ApplicationService() = default;

const storage::ApplicationRepository::KindsByRole& ApplicationService::kindsByRole() {
    return kKinds;
}

void ApplicationService::requireMember(const Viewer& viewer) {
    if (viewer.role != Role::Applicant) {
        throw Error(codes::kAuthForbidden,
                    "Applications belong to an organization; staff accounts do not file them.");
    }
    if (viewer.organizationId.empty()) {
        throw Error(codes::kOrganizationMembershipRequired,
                    "Join an organization (or register one) to apply.");
    }
}

const std::set<std::string>& ApplicationService::templateFields(const std::string& templateId) {
    std::lock_guard lock(fieldsMutex_);
    auto it = templateFields_.find(templateId);
    if (it == templateFields_.end()) {
        it =
            templateFields_
                .emplace(templateId, readTemplateFields(templatesDir_ + "/" + templateId + ".json"))
                .first;
    }
    return it->second;
}

const renderers::ReferenceList& ApplicationService::recommendingList(const std::string& id) {
    std::lock_guard lock(fieldsMutex_);
    auto it = lists_.find(id);
    if (it == lists_.end()) {
        it = lists_.emplace(id, renderers::ReferenceList::load(templatesDir_ + "/lists", id)).first;
    }
    return *it->second;
}

void ApplicationService::requireWindow(const storage::ApplicationRow& row,
                                       const storage::ActivityRow& activity,
                                       std::int64_t nowMicros) const {
    if (row.state == "returned") {
        if (nowMicros < row.returnDeadlineMicros) return;
        throw Error(codes::kActivityClosed,
                    "The deadline for correcting this returned application has passed.");
    }
    if (ActivityService::isOpen(activity, nowMicros)) return;
    throw Error(codes::kActivityClosed, nowMicros < activity.opensAtMicros
                                            ? "The activity's submission window opens at " +
                                                  formatBeijingMinute(activity.opensAtMicros) + "."
                                            : "The activity's submission window closed at " +
                                                  formatBeijingMinute(activity.closesAtMicros) +
                                                  ".");
}

void ApplicationService::parseFields(const Viewer& viewer, const storage::ActivityRow& activity,
                                     const Object::Ptr& body, bool creating,
                                     storage::ApplicationRow& row, std::string& activityCode,
                                     std::string& projectId) {
    std::vector<FieldProblem> problems;
    BodyReader r(body, "", problems);
    std::vector<std::string> allowed{"form", "recommending_unit", "contact", "commitment_accepted",
                                     "documents"};
    std::vector<std::string> readOnly{
        "id",           "organization_id", "state",      "version",          "number",
        "commitment",   "created_at",      "created_by", "updated_at",       "updated_by",
        "submitted_at", "submitted_by",    "actions",    "state_changed_at", "return_deadline"};
    if (creating) {
        allowed.push_back("activity");
        allowed.push_back("project_id");
        activityCode = r.text("activity");
        projectId = r.text("project_id");
    } else {
        readOnly.push_back("activity");
        readOnly.push_back("project_id");
    }
    r.refuseOthers(allowed, readOnly);

    // The form: the book template's data, checked below in draft mode.
    Object::Ptr form = r.object("form");
    const auto& fields = templateFields(activity.templateId);
    if (form) {
        for (const char* reserved : {"recommending_unit", "contact", "enterprise"}) {
            if (!form->has(reserved) || !fields.count(reserved)) continue;
            // Without a list of its own the activity leaves the choice to the template.
            if (std::string(reserved) == "recommending_unit" && activity.recommendingList.empty())
                continue;
            std::string where = std::string(reserved) == "enterprise"
                                    ? "the organization's approved filing (组织备案)"
                                    : std::string("the application's '") + reserved + "'";
            problems.push_back(
                {std::string("form.") + reserved, codes::kFieldReadOnly,
                 std::string("form.") + reserved + " is filled in from " + where + "."});
        }
    }
    row.formJson = form ? jsonText(*form) : "{}";

    std::size_t before = problems.size();
    row.recommendingUnit = r.text("recommending_unit");
    if (problems.size() == before && !row.recommendingUnit.empty()) {
        if (activity.recommendingList.empty()) {
            problems.push_back({"recommending_unit", codes::kFieldNotInList,
                                "This activity asks for no recommending unit (推荐单位)."});
        } else {
            if (!recommendingList(activity.recommendingList).find(row.recommendingUnit)) {
                problems.push_back({"recommending_unit", codes::kFieldNotInList,
                                    "Not a recommending unit of the list '" +
                                        activity.recommendingList + "' (推荐单位)."});
            }
        }
    }

    Object::Ptr contact = r.object("contact");
    Object::Ptr storedContact = orderedObject();
    if (contact) {
        BodyReader c(contact, "contact.", problems);
        std::vector<std::string> names;
        for (const auto& f : kContact) names.push_back(f.name);
        c.refuseOthers(names);
        for (const auto& f : kContact) {
            before = problems.size();
            std::string value = project_rules::trim(c.text(f.name));
            if (problems.size() == before) checkContact(f, value, false, problems);
            storedContact->set(f.name, value);
        }
    } else {
        for (const auto& f : kContact) storedContact->set(f.name, "");
    }
    row.contactJson = jsonText(*storedContact);

    // The 承诺书 is accepted explicitly; who and when is kept from the first acceptance.
    auto accepted = r.boolean("commitment_accepted");
    if (accepted.value_or(false)) {
        if (row.commitmentAcceptedAtMicros == 0) {
            row.commitmentAcceptedAtMicros = clock_.nowMicros();
            row.commitmentAcceptedBy = viewer.accountId;
        }
    } else {
        row.commitmentAcceptedAtMicros = 0;
        row.commitmentAcceptedBy.clear();
    }

    row.documents.clear();
    Array::Ptr documents = r.array("documents");
    std::vector<std::string> kinds;
    for (const auto& e : ActivityService::requiredEvidence(activity)) kinds.push_back(e.kind);
    if (documents && documents->size() > kMaxDocuments) {
        problems.push_back({"documents", codes::kFieldTooMany,
                            "At most " + std::to_string(kMaxDocuments) + " documents."});
    }
    int commitments = 0;
    for (std::size_t i = 0; documents && i < documents->size() && i < kMaxDocuments; ++i) {
        std::string at = "documents[" + std::to_string(i) + "]";
        Var v = documents->get(static_cast<unsigned>(i));
        if (v.type() != typeid(Object::Ptr)) {
            problems.push_back({at, codes::kFieldType, at + " must be an object."});
            continue;
        }
        BodyReader d(v.extract<Object::Ptr>(), at + ".", problems);
        d.refuseOthers({"document_id", "role", "evidence_kind"},
                       {"name", "size", "sha256", "media_type"});
        storage::ApplicationDocumentRow link;
        before = problems.size();
        link.documentId = d.text("document_id");
        link.role = d.text("role");
        link.evidenceKind = d.text("evidence_kind");
        if (problems.size() != before) continue;
        if (link.documentId.empty()) {
            problems.push_back(
                {at + ".document_id", codes::kFieldRequired, "document_id is required."});
        }
        if (!kKinds.count(link.role)) {
            problems.push_back({at + ".role",
                                link.role.empty() ? codes::kFieldRequired : codes::kFieldChoice,
                                "role is summary (总结材料), commitment (承诺书) or evidence "
                                "(证实性材料)."});
        } else if (link.role != "evidence" && !link.evidenceKind.empty()) {
            problems.push_back({at + ".evidence_kind", codes::kFieldChoice,
                                "Only evidence documents name an evidence kind."});
        } else if (!link.evidenceKind.empty() &&
                   std::find(kinds.begin(), kinds.end(), link.evidenceKind) == kinds.end()) {
            problems.push_back(
                {at + ".evidence_kind", codes::kFieldNotInList,
                 "The activity requires no evidence of the kind '" + link.evidenceKind + "'."});
        }
        if (link.role == "commitment" && ++commitments > activity.completingUnits) {
            problems.push_back({at, codes::kFieldTooMany,
                                "One commitment letter per completing unit: this activity has " +
                                    std::to_string(activity.completingUnits) + "."});
        }
        if (std::any_of(row.documents.begin(), row.documents.end(),
                        [&link](const auto& l) { return l.documentId == link.documentId; })) {
            problems.push_back({at + ".document_id", codes::kFieldDuplicate,
                                "The same document is attached twice."});
            continue;
        }
        if (!link.documentId.empty() && kKinds.count(link.role)) {
            try {
                Document doc = documents_.find(link.documentId);
                const auto& allowedKinds = kKinds.at(link.role);
                if (doc.organizationId != viewer.organizationId) {
                    problems.push_back(notOurs(at + ".document_id"));
                } else if (std::find(allowedKinds.begin(), allowedKinds.end(),
                                     std::string(nameOf(doc.kind))) == allowedKinds.end()) {
                    problems.push_back({at + ".document_id", codes::kFieldDocumentKind,
                                        "This document is a '" + std::string(nameOf(doc.kind)) +
                                            "' upload; a " + link.role + " document is " +
                                            (link.role == "evidence" ? "an 'evidence' or 'proof'"
                                                                     : "a '" + link.role + "'") +
                                            " upload."});
                }
            } catch (const Error& e) {
                if (e.code() != codes::kDocumentNotFound) throw;
                problems.push_back(notOurs(at + ".document_id"));
            }
        }
        row.documents.push_back(std::move(link));
    }

    // The template's own rules, in draft mode: what is given must be right.
    for (auto& p :
         templateProblems(row, activity, filings_.approvedFiling(row.organizationId), true)) {
        addOnce(problems, std::move(p));
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
}

std::string ApplicationService::bookData(const storage::ApplicationRow& row,
                                         const storage::ActivityRow& activity,
                                         const std::optional<storage::FilingRow>& filing) {
    const auto& fields = templateFields(activity.templateId);
    Object::Ptr data = parseObject(row.formJson);
    if (fields.count("recommending_unit") && !row.recommendingUnit.empty()) {
        data->set("recommending_unit", row.recommendingUnit);
    }
    if (fields.count("contact")) {
        Object::Ptr stored = parseObject(row.contactJson);
        Object::Ptr contact = orderedObject();
        for (const char* name : {"name", "department", "title", "telephone", "mobile", "email",
                                 "address", "postcode"}) {
            std::string value = stored->optValue<std::string>(name, "");
            if (!value.empty()) contact->set(name, value);
        }
        data->set("contact", contact);
    }
    if (fields.count("enterprise") && filing) {
        Object::Ptr filed = parseObject(filing->dataJson);
        Object::Ptr enterprise = orderedObject();
        const std::pair<const char*, const char*> kFrom[] = {{"name", "name"},
                                                             {"credit_code", "credit_code"},
                                                             {"type", "economic_type"},
                                                             {"industry", "industry"},
                                                             {"size", "organization_size"}};
        for (auto [to, from] : kFrom) {
            if (filed->has(from) && filed->get(from).isString()) {
                std::string value = filed->getValue<std::string>(from);
                if (!value.empty()) enterprise->set(to, value);
            }
        }
        data->set("enterprise", enterprise);
    }
    return jsonText(*data);
}

std::vector<FieldProblem> ApplicationService::templateProblems(
    const storage::ApplicationRow& row, const storage::ActivityRow& activity,
    const std::optional<storage::FilingRow>& filing, bool draft) {
    auto tpl = renderers::DocumentTemplate::load(templatesDir_, activity.templateId);
    std::vector<FieldProblem> out;
    try {
        tpl->validate(bookData(row, activity, filing), draft);
    } catch (const ValidationError& e) {
        for (auto p : e.problems()) {
            // What the application fills in keeps its own path; the rest is the form's.
            bool own = false;
            for (const char* key : {"recommending_unit", "contact", "enterprise"}) {
                std::string k = key;
                if (p.path == k || p.path.rfind(k + ".", 0) == 0 || p.path.rfind(k + "[", 0) == 0) {
                    own = true;
                }
            }
            if (!own) p.path = p.path.empty() ? "form" : "form." + p.path;
            out.push_back(std::move(p));
        }
    }
    return out;
}

storage::ApplicationRow ApplicationService::create(const Viewer& viewer, const std::string& json) {
    requireMember(viewer);
    Object::Ptr body = parseBodyObject(json);
    std::vector<FieldProblem> problems;
    BodyReader r(body, "", problems);
    std::string code = r.text("activity"), projectId = r.text("project_id");
    if (code.empty() && problems.empty()) {
        problems.push_back({"activity", codes::kFieldRequired, "activity (its code) is required."});
    }
    if (projectId.empty() && problems.empty()) {
        problems.push_back({"project_id", codes::kFieldRequired,
                            "project_id (申报主体) is required: create the project first."});
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    storage::ActivityRow activity = activities_.get(code);
    std::int64_t now = clock_.nowMicros();
    storage::ApplicationRow row;
    row.organizationId = viewer.organizationId;
    requireWindow(row, activity, now);
    if (!filings_.approvedFiling(viewer.organizationId)) {
        throw Error(codes::kApplicationFilingRequired,
                    "Your organization's filing (组织备案) must be approved before it applies.");
    }
    if (!IdGenerator::isWellFormed(projectId) ||
        !projects_.find(projectId, viewer.organizationId)) {
        throw Error(codes::kProjectNotFound, "No project of your organization has this id.",
                    "id=" + projectId);
    }
    row.id = ids_.next();
    parseFields(viewer, activity, body, true, row, code, projectId);
    row.activityCode = activity.code;
    row.projectId = projectId;
    row.state = "draft";
    row.createdAtMicros = row.updatedAtMicros = row.stateChangedAtMicros = now;
    row.createdBy = row.updatedBy = viewer.accountId;
    auto result =
        rows_.insert(row, kKinds,
                     audit_.entry(viewer.accountId, "application.create", "application:" + row.id,
                                  {{"organization_id", row.organizationId},
                                   {"activity", row.activityCode},
                                   {"project_id", row.projectId},
                                   {"state", "draft"}}));
    using Outcome = storage::ApplicationRepository::Outcome;
    switch (result.outcome) {
        case Outcome::Saved:
            return result.row;
        case Outcome::Exists:
            throw Error(codes::kApplicationExists,
                        "Your organization already has an application for this activity and "
                        "project: open it from 我的申报 (GET /api/v1/applications).");
        case Outcome::ProjectMissing:
            throw Error(codes::kProjectNotFound, "No project of your organization has this id.");
        case Outcome::DocumentsMissing:
            throwMissingDocuments(row, result.missing);
        default:
            throw Error(codes::kInternal, "Unexpected outcome of an application's creation.");
    }
}

void ApplicationService::throwMissingDocuments(const storage::ApplicationRow& row,
                                               const std::vector<std::string>& missing) {
    std::vector<FieldProblem> problems;
    for (std::size_t i = 0; i < row.documents.size(); ++i) {
        if (std::find(missing.begin(), missing.end(), row.documents[i].documentId) !=
            missing.end()) {
            problems.push_back(notOurs("documents[" + std::to_string(i) + "].document_id"));
        }
    }
    throw ValidationError(std::move(problems));
}

storage::ApplicationRow ApplicationService::get(const Viewer& viewer, const std::string& id) {
    requireMember(viewer);
    std::optional<storage::ApplicationRow> row;
    if (IdGenerator::isWellFormed(id)) row = rows_.find(id, viewer.organizationId);
    if (!row) {
        throw Error(codes::kApplicationNotFound, "No application of your organization has this id.",
                    "id=" + id + " organization=" + viewer.organizationId);
    }
    return lapseIfDue(std::move(*row));
}

storage::ApplicationRow ApplicationService::find(const std::string& id) {
    std::optional<storage::ApplicationRow> row;
    if (IdGenerator::isWellFormed(id)) row = rows_.find(id, "");
    if (!row) throw Error(codes::kApplicationNotFound, "No application has this id.", "id=" + id);
    return lapseIfDue(std::move(*row));
}

storage::ApplicationRow ApplicationService::lapseIfDue(storage::ApplicationRow row) {
    std::int64_t now = clock_.nowMicros();
    if (row.state != "returned" || now < row.returnDeadlineMicros) return row;
    auto result = rows_.lapseReturn(
        row.id, now,
        audit_.entry("", "application.return_lapsed", "application:" + row.id,
                     {{"organization_id", row.organizationId},
                      {"from", "returned"},
                      {"state", "failed"},
                      {"return_deadline", formatShanghai(row.returnDeadlineMicros)}}));
    if (result.outcome == storage::ApplicationRepository::Outcome::Saved) return result.row;
    // Another request lapsed it (or it was resubmitted) first: read what is there now.
    auto current = rows_.find(row.id, "");
    return current ? std::move(*current) : row;
}

std::size_t ApplicationService::lapseDueReturns(const std::string& organizationId) {
    std::size_t lapsed = 0;
    // Batches bound each read; a batch's every row leaves the set, so the loop ends.
    for (;;) {
        auto ids = rows_.dueReturns(clock_.nowMicros(), organizationId, 100);
        std::size_t before = lapsed;
        for (const auto& id : ids) {
            auto row = rows_.find(id, "");
            if (row && lapseIfDue(*row).state == "failed") ++lapsed;
        }
        if (ids.size() < 100 || lapsed == before) return lapsed;
    }
}

storage::ApplicationRepository::Page ApplicationService::list(const Viewer& viewer,
                                                              std::uint64_t page,
                                                              std::uint64_t perPage) {
    requireMember(viewer);
    // 我的申报 never lists a lapsed return as open.
    lapseDueReturns(viewer.organizationId);
    return rows_.list(viewer.organizationId, (page - 1) * perPage, perPage);
}

storage::ApplicationRow ApplicationService::save(
    const Viewer& viewer, const std::string& id, const std::string& json,
    const std::optional<std::set<std::int64_t>>& ifMatch, storage::ActivityRow* activityOut) {
    storage::ApplicationRow current = get(viewer, id);
    if (!storage::ApplicationRow::isOpen(current.state)) {
        throw Error(codes::kApplicationLocked, lockedMessage(current));
    }
    storage::ActivityRow activity = activities_.get(current.activityCode);
    requireWindow(current, activity, clock_.nowMicros());
    if (ifMatch && !ifMatch->count(current.version)) {
        throw Error(codes::kRequestPreconditionFailed,
                    "The application was changed since you read it: read it again (GET), then "
                    "save.");
    }
    storage::ApplicationRow row = current;
    std::string unusedCode, unusedProject;
    parseFields(viewer, activity, parseBodyObject(json), false, row, unusedCode, unusedProject);
    row.updatedAtMicros = clock_.nowMicros();
    row.updatedBy = viewer.accountId;
    std::string changed;
    auto note = [&changed](bool differs, const char* name) {
        if (differs) changed += (changed.empty() ? "" : ",") + std::string(name);
    };
    note(row.formJson != current.formJson, "form");
    note(row.recommendingUnit != current.recommendingUnit, "recommending_unit");
    note(row.contactJson != current.contactJson, "contact");
    note(row.commitmentAcceptedAtMicros != current.commitmentAcceptedAtMicros,
         "commitment_accepted");
    bool sameDocuments = row.documents.size() == current.documents.size() &&
                         std::equal(row.documents.begin(), row.documents.end(),
                                    current.documents.begin(), [](const auto& a, const auto& b) {
                                        return a.documentId == b.documentId && a.role == b.role &&
                                               a.evidenceKind == b.evidenceKind;
                                    });
    note(!sameDocuments, "documents");
    auto result = rows_.save(row, current.version, kKinds,
                             audit_.entry(viewer.accountId, "application.save", "application:" + id,
                                          {{"organization_id", row.organizationId},
                                           {"version", std::to_string(current.version + 1)},
                                           {"changed", changed}}),
                             !sameDocuments);
    using Outcome = storage::ApplicationRepository::Outcome;
    switch (result.outcome) {
        case Outcome::Saved:
            if (activityOut) *activityOut = std::move(activity);
            return result.row;
        case Outcome::NotFound:
            get(viewer, id);  // throws not_found
            break;
        case Outcome::Locked:
            throw Error(codes::kApplicationLocked,
                        "The application was submitted meanwhile: it cannot be changed.");
        case Outcome::DocumentsMissing:
            throwMissingDocuments(row, result.missing);
        default:
            break;
    }
    throw Error(codes::kRequestPreconditionFailed,
                "The application was changed since you read it: read it again (GET), then save.");
}

std::vector<FieldProblem> ApplicationService::submissionProblems(
    const storage::ApplicationRow& row, const storage::ActivityRow& activity,
    const std::optional<storage::FilingRow>& filing, const storage::ProjectRow& project) {
    std::vector<FieldProblem> out = templateProblems(row, activity, filing, false);
    Object::Ptr contact = parseObject(row.contactJson);
    for (const auto& f : kContact) {
        std::vector<FieldProblem> mine;
        checkContact(f, contact->optValue<std::string>(f.name, ""), true, mine);
        for (auto& p : mine) addOnce(out, std::move(p));
    }
    if (row.commitmentAcceptedAtMicros == 0) {
        out.push_back({"commitment_accepted", codes::kFieldRequired,
                       "Accept the 承诺书 (commitment_accepted: true) before submitting."});
    }
    if (!activity.recommendingList.empty() && row.recommendingUnit.empty()) {
        addOnce(out, {"recommending_unit", codes::kFieldRequired,
                      "Choose the recommending unit (推荐单位)."});
    }
    for (auto& p : ProjectService::submissionProblems(project, "project.")) {
        out.push_back(std::move(p));
    }

    int summaries = 0, commitments = 0;
    std::map<std::string, int> evidenceCounts;
    auto required = ActivityService::requiredEvidence(activity);
    for (std::size_t i = 0; i < row.documents.size(); ++i) {
        const auto& link = row.documents[i];
        std::string at = "documents[" + std::to_string(i) + "]";
        std::string check;
        if (link.role == "summary") ++summaries;
        if (link.role == "commitment") {
            ++commitments;
            check = "seals";
        }
        if (link.role == "evidence" && !link.evidenceKind.empty()) {
            ++evidenceCounts[link.evidenceKind];
            for (const auto& e : required) {
                if (e.kind == link.evidenceKind) check = e.check;
            }
        }
        if (check.empty()) continue;
        std::string message;
        switch (verdictOf(checks_.forDocument(link.documentId), check, message)) {
            case CheckVerdict::Passed:
                break;
            case CheckVerdict::Failed:
                out.push_back({at, codes::kFieldCheckFailed,
                               "The " + check + " check of this document failed" +
                                   (message.empty() ? "." : ": " + message)});
                break;
            case CheckVerdict::Pending:
                out.push_back({at, codes::kFieldCheckPending,
                               "The " + check +
                                   " check of this document has not finished yet: submit again "
                                   "in a minute."});
                break;
            case CheckVerdict::Missing:
                out.push_back({at, codes::kFieldCheckFailed,
                               "This document cannot be given the " + check +
                                   " check (upload a JPEG, PNG or PDF scan)."});
                break;
        }
    }
    if (summaries == 0) {
        out.push_back({"documents", codes::kFieldRequired,
                       "Attach the summary material (总结材料, role summary)."});
    }
    if (commitments != activity.completingUnits) {
        out.push_back({"documents", codes::kFieldCommitmentCount,
                       "Attach one stamped commitment letter (承诺书, role commitment) per "
                       "completing unit: " +
                           std::to_string(activity.completingUnits) + " expected, " +
                           std::to_string(commitments) + " attached."});
    }
    for (const auto& e : required) {
        int have = evidenceCounts[e.kind];
        if (have < e.minCount) {
            out.push_back({"documents", codes::kFieldEvidenceMissing,
                           e.label + " (evidence_kind " + e.kind +
                               "): " + std::to_string(e.minCount) + " required, " +
                               std::to_string(have) + " attached."});
        }
    }
    return out;
}

std::vector<FieldProblem> ApplicationService::submissionProblemsOf(
    const ApplicationContext& context) {
    return submissionProblems(context.application, context.activity, context.filing,
                              context.project);
}

storage::ApplicationRow ApplicationService::submit(
    const Viewer& viewer, const std::string& id,
    const std::optional<std::set<std::int64_t>>& ifMatch) {
    using Outcome = storage::ApplicationRepository::Outcome;
    for (int attempt = 0;; ++attempt) {
        storage::ApplicationRow row = get(viewer, id);
        if (!storage::ApplicationRow::isOpen(row.state)) {
            throw Error(codes::kApplicationLocked, lockedMessage(row));
        }
        storage::ActivityRow activity = activities_.get(row.activityCode);
        std::int64_t now = clock_.nowMicros();
        requireWindow(row, activity, now);
        if (ifMatch && !ifMatch->count(row.version)) {
            throw Error(codes::kRequestPreconditionFailed,
                        "The application was changed since you read it: read it again (GET) "
                        "before submitting.");
        }
        auto filing = filings_.approvedFiling(row.organizationId);
        if (!filing) {
            throw Error(codes::kApplicationFilingRequired,
                        "Your organization's filing (组织备案) must be approved before it "
                        "applies.");
        }
        auto project = projects_.find(row.projectId, row.organizationId);
        if (!project) {
            throw Error(codes::kApplicationNotFound, "The application's project is gone.");
        }
        auto problems = submissionProblems(row, activity, filing, *project);
        if (!problems.empty()) throw ValidationError(std::move(problems));
        storage::ApplicationRepository::Submission s;
        s.id = row.id;
        s.organizationId = row.organizationId;
        s.expectedVersion = row.version;
        s.expectedProjectJson = project->contentJson;
        s.accountId = viewer.accountId;
        s.nowMicros = now;
        auto result = rows_.submit(
            s, audit_.entry(viewer.accountId, "application.submit", "application:" + id,
                            {{"organization_id", row.organizationId},
                             {"activity", row.activityCode},
                             {"project_id", row.projectId},
                             {"from", row.state},
                             {"state", "submitted"},
                             {"version", std::to_string(row.version + 1)}}));
        switch (result.outcome) {
            case Outcome::Saved:
                return result.row;
            case Outcome::Locked:
                throw Error(codes::kApplicationLocked,
                            "The application was already submitted (一次性提交).");
            case Outcome::Closed:
                requireWindow(row, activity, now);  // throws activity.closed
                throw Error(codes::kActivityClosed, "The submission window is closed.");
            case Outcome::FilingMissing:
                throw Error(codes::kApplicationFilingRequired,
                            "Your organization's approved filing (组织备案) was superseded "
                            "meanwhile; submit again once a version is approved.");
            case Outcome::AccountGone:
                throw Error(codes::kAuthRequired, "The account was deregistered.");
            case Outcome::NotFound:
            case Outcome::ProjectMissing:
                throw Error(codes::kApplicationNotFound,
                            "No application of your organization has this id.");
            default:
                // A save or a project edit came between the checks and the submission: check
                // again what is there now (the client's If-Match, if any, decides above).
                if (attempt >= 3) {
                    throw Error(codes::kApplicationStateConflict,
                                "The application keeps changing while it is submitted: try "
                                "again.");
                }
        }
    }
}

storage::ApplicationRow ApplicationService::withdraw(const Viewer& viewer, const std::string& id) {
    storage::ApplicationRow current = get(viewer, id);
    auto result = rows_.changeState(
        id, viewer.organizationId, {"submitted"}, "withdrawn", clock_.nowMicros(),
        audit_.entry(viewer.accountId, "application.withdraw", "application:" + id,
                     {{"organization_id", current.organizationId},
                      {"from", "submitted"},
                      {"state", "withdrawn"}}));
    using Outcome = storage::ApplicationRepository::Outcome;
    if (result.outcome == Outcome::Saved) return result.row;
    if (result.outcome == Outcome::NotFound) get(viewer, id);
    throw Error(codes::kApplicationStateConflict,
                current.state == "draft" || current.state == "returned"
                    ? "Only a submitted application is withdrawn; a draft is simply not submitted."
                    : "The application can no longer be withdrawn: its formal review has "
                      "started (or it was withdrawn already).");
}

std::vector<storage::AuditEntry> ApplicationService::events(const Viewer& viewer,
                                                            const std::string& id) {
    const bool reviewer = viewer.role == Role::Reviewer;
    if (reviewer) {
        // A reviewer's audit trail of what it reviews: submitted applications only (a draft
        // is its organization's own, as in the formal review), every entry.
        if (find(id).state == "draft") {
            throw Error(codes::kApplicationNotFound, "No submitted application has this id.",
                        "draft id=" + id);
        }
    } else {
        get(viewer, id);
    }
    auto entries = audit_.forTarget("application:" + id, 1000);
    if (!reviewer) {
        // The applicant's 日志 says what happened, not who at the reviewing body did it: a
        // decision is the body's (its `review` leaves the reviewer out too), and reviewers'
        // reads — views and pre-checks — are traced for the record, not told to the applicant.
        std::erase_if(entries, [](const storage::AuditEntry& e) {
            return e.action == "application.viewed" || e.action == "application.prechecked";
        });
        for (auto& e : entries) {
            if (e.action == "application.review_started" || e.action == "application.passed" ||
                e.action == "application.failed" || e.action == "application.returned") {
                e.accountId.clear();
            }
        }
    }
    std::reverse(entries.begin(), entries.end());
    return entries;
}

namespace {

/// `field` (a template field's object) as clients get it: each `list` with its `options`,
/// the `source` notes left out, nested fields likewise.
void describeField(Object& field, const std::string& listDir) {
    field.remove("source");
    if (field.has("list") && field.get("list").isString()) {
        auto list = renderers::ReferenceList::load(listDir, field.getValue<std::string>("list"));
        Array::Ptr options = new Array;
        for (const auto& item : list->items) {
            Object::Ptr option = orderedObject();
            option->set("value", item.value);
            option->set("label", item.label);
            options->add(option);
        }
        field.set("options", options);
    }
    if (auto fields = field.getObject("fields")) {
        for (const auto& name : fields->getNames()) {
            if (auto sub = fields->getObject(name)) describeField(*sub, listDir);
        }
    }
    for (const char* key : {"items", "of"}) {
        if (auto sub = field.getObject(key)) describeField(*sub, listDir);
    }
}

}  // namespace

std::string ApplicationService::formSchemaJson(const storage::ActivityRow& activity) {
    // Loading checks the template completely (and its id): a broken one fails here as it
    // would at the first save, not as a form missing a field.
    renderers::DocumentTemplate::load(templatesDir_, activity.templateId);
    std::string path = templatesDir_ + "/" + activity.templateId + ".json";
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Object::Ptr tpl;
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        tpl = parser.parse(text.str()).extract<Object::Ptr>();
    } catch (const std::exception& e) {
        throw Error(codes::kRenderTemplate, "A template on the server is unreadable.",
                    path + ": " + e.what());
    }
    const std::string listDir = templatesDir_ + "/lists";
    Object::Ptr out = orderedObject();
    out->set("template_id", activity.templateId);
    for (const char* key : {"title", "description", "years", "constants"}) {
        out->set(key, tpl->has(key) ? tpl->get(key) : Var());
    }
    Object::Ptr form = orderedObject();
    form->set("type", "object");
    form->set("label", tpl->optValue<std::string>("title", activity.templateId));
    Object::Ptr formFields = orderedObject();
    if (auto fields = tpl->getObject("fields")) {
        for (const auto& name : fields->getNames()) {
            if (name == "recommending_unit" || name == "contact" || name == "enterprise") continue;
            auto field = fields->getObject(name);
            if (!field) continue;
            describeField(*field, listDir);
            formFields->set(name, field);
        }
    }
    form->set("fields", formFields);
    out->set("form", form);
    if (activity.recommendingList.empty()) {
        out->set("recommending_unit", Var());
    } else {
        Object::Ptr unit = orderedObject();
        unit->set("type", "choice");
        unit->set("label", "推荐单位");
        unit->set("required", true);
        unit->set("list", activity.recommendingList);
        describeField(*unit, listDir);
        out->set("recommending_unit", unit);
    }
    Object::Ptr contact = orderedObject();
    contact->set("type", "object");
    contact->set("label", "联系人信息");
    Object::Ptr contactFields = orderedObject();
    for (const auto& f : kContact) {
        Object::Ptr field = orderedObject();
        std::string name = f.name;
        field->set("type", name == "mobile"                       ? "mobile"
                           : name == "telephone" || name == "fax" ? "telephone"
                           : name == "email"                      ? "email"
                           : name == "postcode"                   ? "postcode"
                                                                  : "string");
        field->set("label", std::string(f.label));
        field->set("required", f.required);
        if (field->getValue<std::string>("type") == "string") {
            field->set("max_length", static_cast<int>(f.maxChars));
        }
        contactFields->set(name, field);
    }
    contact->set("fields", contactFields);
    out->set("contact", contact);
    return jsonText(*out);
}

std::vector<FieldProblem> ApplicationService::check(const Viewer& viewer, const std::string& id) {
    return submissionProblemsOf(context(viewer, id));
}

ApplicationContext ApplicationService::context(const Viewer& viewer, const std::string& id) {
    return contextOf(get(viewer, id));
}

ApplicationContext ApplicationService::contextOf(const storage::ApplicationRow& row) {
    ApplicationContext c;
    c.application = row;
    c.activity = activities_.get(row.activityCode);
    c.filing = row.filingId.empty() ? filings_.approvedFiling(row.organizationId)
                                    : filingRows_.find(row.filingId);
    auto project = projects_.find(row.projectId, row.organizationId);
    if (!project) {
        throw Error(codes::kApplicationNotFound, "The application's project is gone.",
                    "id=" + row.id);
    }
    c.project = std::move(*project);
    if (!row.projectSnapshotJson.empty()) c.project.contentJson = row.projectSnapshotJson;
    for (const auto& link : row.documents) {
        c.documents.push_back({documents_.find(link.documentId), link.role, link.evidenceKind});
    }
    c.bookDataJson = bookData(row, c.activity, c.filing);
    return c;
}

std::vector<std::string> ApplicationService::actions(const storage::ApplicationRow& row,
                                                     const storage::ActivityRow& activity) const {
    std::int64_t now = clock_.nowMicros();
    if (row.state == "draft" && ActivityService::isOpen(activity, now)) return {"edit", "submit"};
    if (row.state == "returned" && now < row.returnDeadlineMicros) return {"edit", "submit"};
    if (row.state == "submitted") return {"withdraw"};
    return {};
}

std::string ApplicationService::toJson(const storage::ApplicationRow& row) {
    return toJson(row, activities_.get(row.activityCode));
}

std::string ApplicationService::toJson(const storage::ApplicationRow& row,
                                       const storage::ActivityRow& activity) {
    std::vector<std::string> ids;
    for (const auto& link : row.documents) ids.push_back(link.documentId);
    auto checksOf = checks_.forDocuments(ids);  // one statement for every document
    // The form (up to ~1 MB, 16 KB for a typical draft) goes out as stored: it was written by
    // jsonText from a parsed object, so parsing and writing it again would give the same
    // text at the cost of a parse and a write per request. The members around it are written
    // as two objects and joined to it.
    Object head(Poco::JSON_PRESERVE_KEY_ORDER);
    head.set("id", row.id);
    head.set("activity", row.activityCode);
    head.set("organization_id", row.organizationId);
    head.set("project_id", row.projectId);
    head.set("state", row.state);
    head.set("number", textOrNull(row.number));
    head.set("version", row.version);
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("recommending_unit", textOrNull(row.recommendingUnit));
    o.set("contact", parseObject(row.contactJson));
    o.set("commitment_accepted", row.commitmentAcceptedAtMicros != 0);
    Object::Ptr commitment = orderedObject();
    commitment->set("accepted_at", timestampOrNull(row.commitmentAcceptedAtMicros));
    commitment->set("accepted_by", textOrNull(row.commitmentAcceptedBy));
    o.set("commitment", commitment);
    Array::Ptr documents = new Array;
    for (const auto& link : row.documents) {
        Object::Ptr d = orderedObject();
        d->set("document_id", link.documentId);
        d->set("role", link.role);
        d->set("evidence_kind", textOrNull(link.evidenceKind));
        try {
            Document doc = documents_.find(link.documentId);
            d->set("name", doc.originalName);
            d->set("size", static_cast<Poco::UInt64>(doc.size));
            d->set("sha256", doc.sha256);
            d->set("media_type", std::string(mimeOf(doc.mediaType)));
        } catch (const Error& e) {
            if (e.code() != codes::kDocumentNotFound) throw;
        }
        // Where each check of the document stands, so the applicant sees a missing seal
        // before submitting: pending | running | pass | warn | fail.
        Object::Ptr checks = orderedObject();
        for (const auto& c : checksOf[link.documentId]) {
            checks->set(c.checkName,
                        c.state == "pending" || c.state == "running" ? c.state : c.status);
        }
        d->set("checks", checks);
        documents->add(d);
    }
    o.set("documents", documents);
    o.set("created_at", formatTimestamp(row.createdAtMicros));
    o.set("created_by", row.createdBy);
    o.set("updated_at", formatTimestamp(row.updatedAtMicros));
    o.set("updated_by", row.updatedBy);
    o.set("submitted_at", timestampOrNull(row.submittedAtMicros));
    o.set("submitted_by", textOrNull(row.submittedBy));
    o.set("state_changed_at", formatTimestamp(row.stateChangedAtMicros));
    o.set("return_deadline", timestampOrNull(row.returnDeadlineMicros));
    Array::Ptr actions = new Array;
    for (const auto& a : this->actions(row, activity)) actions->add(a);
    o.set("actions", actions);
    std::string before = jsonText(head), after = jsonText(o);
    before.pop_back();  // '}'
    return before + ",\"form\":" + (row.formJson.empty() ? "{}" : row.formJson) + "," +
           after.substr(1);
}

std::string ApplicationService::summaryJson(const storage::ApplicationRow& row) {
    storage::ActivityRow activity = activities_.get(row.activityCode);
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("id", row.id);
    o.set("activity", row.activityCode);
    o.set("activity_title", activity.title);
    o.set("project_id", row.projectId);
    o.set("state", row.state);
    o.set("number", textOrNull(row.number));
    o.set("version", row.version);
    o.set("submitted_at", timestampOrNull(row.submittedAtMicros));
    o.set("last_change_at",
          formatTimestamp(std::max(row.updatedAtMicros, row.stateChangedAtMicros)));
    Array::Ptr actions = new Array;
    for (const auto& a : this->actions(row, activity)) actions->add(a);
    o.set("actions", actions);
    return jsonText(o);
}

std::string ApplicationService::eventJson(const storage::AuditEntry& entry) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("id", entry.id);
    o.set("at", formatTimestamp(entry.atMicros));
    o.set("account_id", textOrNull(entry.accountId));
    o.set("action", entry.action);
    o.set("details", parseObject(entry.detailJson));
    return jsonText(o);
}

}  // namespace dossier::filing

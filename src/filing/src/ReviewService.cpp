#include "dossier/filing/ReviewService.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "BodyReader.h"
#include "FilingRules.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ShanghaiTime.h"
#include "dossier/core/Utf8.h"
#include "dossier/filing/ActivityService.h"
#include "dossier/filing/ApplicationService.h"
#include "dossier/renderers/ReferenceList.h"
#include "dossier/storage/CheckRepository.h"

namespace dossier::filing {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string listOf(const std::string& kind) {
    if (kind == "benchmark") return "formal-review-reasons-benchmark";
    if (kind == "tech_project") return "formal-review-reasons-tech-project";
    return "formal-review-reasons-tech-individual";
}

std::string stateAfter(const std::string& decision) {
    if (decision == "pass") return "passed";
    if (decision == "fail") return "failed";
    return "returned";
}

[[noreturn]] void notFound(const std::string& id) {
    throw Error(codes::kApplicationNotFound, "No submitted application has this id.",
                "application=" + id);
}

}  // namespace

ReviewService::ReviewService(storage::ReviewRepository& rows,
                             storage::ApplicationRepository& applications,
                             ApplicationService& applicationService, ActivityService& activities,
                             storage::CheckRepository& checks, AuditLog& audit, const Clock& clock,
                             const IdGenerator& ids, std::string templatesDir)
    : rows_(rows),
      applications_(applications),
      applicationService_(applicationService),
      activities_(activities),
      checks_(checks),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      templatesDir_(std::move(templatesDir)) {}

ReviewService::~ReviewService() = default;

void ReviewService::requireReviewer(const Viewer& viewer) {
    if (viewer.role != Role::Reviewer) {
        throw Error(codes::kAuthForbidden,
                    "The formal review (形式审查) needs a reviewer account.");
    }
}

const renderers::ReferenceList& ReviewService::reasons(const std::string& kind) {
    return listNamed(listOf(kind));
}

const renderers::ReferenceList& ReviewService::listNamed(const std::string& id) {
    std::lock_guard lock(listsMutex_);
    auto& list = lists_[id];
    if (!list) list = renderers::ReferenceList::load(templatesDir_ + "/lists", id);
    return *list;
}

storage::ReviewRepository::QueuePage ReviewService::queue(const Viewer& viewer,
                                                          const QueueQuery& query) {
    requireReviewer(viewer);
    static const std::vector<std::string> kStates{"submitted", "under_review", "passed",
                                                  "failed",    "returned",     "withdrawn"};
    storage::ReviewRepository::QueueQuery q;
    if (query.state.empty()) {
        q.states = {"submitted", "under_review"};
    } else if (std::find(kStates.begin(), kStates.end(), query.state) != kStates.end()) {
        q.states = {query.state};
    } else {
        throw Error(codes::kRequestMalformed,
                    "state is one of submitted, under_review, passed, failed, returned, "
                    "withdrawn (drafts are the applicants' own).");
    }
    if (!utf8::isValid(query.text) || utf8::decode(query.text).size() > 100) {
        throw Error(codes::kRequestMalformed, "q is UTF-8 text of at most 100 characters.");
    }
    if (query.page < 1 || query.page > 1'000'000) {
        throw Error(codes::kRequestMalformed, "page is a whole number from 1.");
    }
    if (query.perPage < 1 || query.perPage > 100) {
        throw Error(codes::kRequestMalformed, "per_page is a whole number from 1 to 100.");
    }
    // A lapsed return is failed before anyone lists it as returned.
    if (std::find(q.states.begin(), q.states.end(), "returned") != q.states.end() ||
        std::find(q.states.begin(), q.states.end(), "failed") != q.states.end()) {
        applicationService_.lapseDueReturns();
    }
    q.activityCode = query.activity;
    q.text = query.text;
    q.limit = query.perPage;
    q.offset = (query.page - 1) * query.perPage;
    if (!query.precheckFailed) return rows_.queue(q);
    q.offset = 0;
    q.limit = kPrecheckScan;
    auto all = rows_.queue(q);
    storage::ReviewRepository::QueuePage page;
    std::int64_t skip = (query.page - 1) * query.perPage;
    for (const auto& entry : all.rows) {
        auto row = applications_.find(entry.id, "");
        std::vector<std::string> failed;
        if (!row) continue;
        rulesJson(*row, failed);
        if (failed.empty()) continue;
        if (page.total >= skip && page.total < skip + query.perPage) page.rows.push_back(entry);
        ++page.total;
    }
    return page;
}

std::string ReviewService::queueJson(const storage::QueueRow& row) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("id", row.id);
    o.set("activity", row.activityCode);
    o.set("organization_id", row.organizationId);
    o.set("organization_name", row.organizationName);
    o.set("project_id", row.projectId);
    o.set("state", row.state);
    o.set("number", row.number.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(row.number));
    o.set("submitted_at", row.submittedAtMicros
                              ? Poco::Dynamic::Var(formatShanghai(row.submittedAtMicros))
                              : Poco::Dynamic::Var());
    o.set("state_changed_at", formatShanghai(row.stateChangedAtMicros));
    return jsonText(o);
}

namespace {

/// One check of a document as the pre-check shows it: its name, state, status and code.
Object::Ptr checkEvidence(const std::vector<storage::CheckRow>& checks, const std::string& name,
                          std::string& result) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("check", name);
    result = "unknown";
    for (const auto& c : checks) {
        if (c.checkName != name) continue;
        o->set("state", c.state);
        if (c.state == "done" || c.state == "error") {
            o->set("status", c.status);
            o->set("code", c.code);
            result = c.status == "fail" ? "fail" : c.status == "warn" ? "warn" : "pass";
        }
        return o;
    }
    o->set("state", "none");
    return o;
}

/// The worse of two results: fail > unknown > warn > pass.
std::string worse(const std::string& a, const std::string& b) {
    auto rank = [](const std::string& r) {
        return r == "fail" ? 3 : r == "unknown" ? 2 : r == "warn" ? 1 : 0;
    };
    return rank(a) >= rank(b) ? a : b;
}

Object::Ptr rule(const std::string& name, const std::string& result, bool blocking,
                 const std::string& message, Poco::Dynamic::Var evidence) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("rule", name);
    o->set("result", result);
    o->set("blocking", blocking);
    o->set("message", message);
    o->set("evidence", evidence);
    return o;
}

/// The pre-check rules an item of a reasons list supports (its `precheck_rules`, comma-separated).
std::vector<std::string> rulesOf(const renderers::ReferenceList::Item& item) {
    std::vector<std::string> out;
    auto it = item.attributes.find("precheck_rules");
    if (it == item.attributes.end()) return out;
    std::string::size_type from = 0;
    while (from <= it->second.size()) {
        auto comma = it->second.find(',', from);
        if (comma == std::string::npos) comma = it->second.size();
        if (comma > from) out.push_back(it->second.substr(from, comma - from));
        from = comma + 1;
    }
    return out;
}

Object::Ptr reasonJson(const renderers::ReferenceList& list, const std::string& code) {
    Object::Ptr r = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    r->set("code", code);
    const auto* item = list.find(code);
    r->set("label", item ? item->label : std::string());
    return r;
}

/// `reasonsJson` (an array of codes, as stored) as [{code, label}] of `list`.
Array::Ptr reasonItems(const renderers::ReferenceList& list, const std::string& reasonsJson) {
    Array::Ptr out = new Array;
    auto codes = Poco::JSON::Parser().parse(reasonsJson).extract<Array::Ptr>();
    for (std::size_t i = 0; i < codes->size(); ++i) {
        out->add(reasonJson(list, codes->getElement<std::string>(static_cast<unsigned>(i))));
    }
    return out;
}

Var instantOrNull(std::int64_t micros) { return micros ? Var(formatShanghai(micros)) : Var(); }

Array::Ptr problemsJson(const std::vector<FieldProblem>& problems) {
    Array::Ptr a = new Array;
    for (const auto& p : problems) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("path", p.path);
        o->set("code", std::string(p.code.text()));
        o->set("message", p.message);
        a->add(o);
    }
    return a;
}

}  // namespace

std::string ReviewService::precheck(const Viewer& viewer, const std::string& id) {
    requireReviewer(viewer);
    auto row = IdGenerator::isWellFormed(id) ? applications_.find(id, "") : std::nullopt;
    if (!row || row->state == "draft") notFound(id);
    row = applicationService_.lapseIfDue(*row);
    std::vector<std::string> failed;
    std::string rules = rulesJson(*row, failed);
    audit_.record(viewer.accountId, "application.prechecked", "application:" + id,
                  {{"version", std::to_string(row->version)}, {"state", row->state}});
    storage::ActivityRow activity = activities_.get(row->activityCode);
    // The reasons the failed rules support, in the list's order: a fail decision's `reasons`.
    Array suggested;
    for (const auto& item : reasons(activity.kind).items) {
        auto supported = rulesOf(item);
        if (std::any_of(supported.begin(), supported.end(), [&failed](const std::string& r) {
                return std::find(failed.begin(), failed.end(), r) != failed.end();
            })) {
            suggested.add(item.value);
        }
    }
    return "{\"application_id\":" + jsonString(id) + ",\"kind\":" + jsonString(activity.kind) +
           ",\"state\":" + jsonString(row->state) +
           ",\"reasons_list\":" + jsonString(reasons(activity.kind).id) + ",\"rules\":" + rules +
           ",\"suggested_reasons\":" + jsonText(suggested) + "}";
}

std::string ReviewService::rulesJson(const storage::ApplicationRow& application,
                                     std::vector<std::string>& failedRules) {
    const std::string& id = application.id;
    const auto* row = &application;
    ApplicationContext context = applicationService_.contextOf(*row);
    const auto& activity = context.activity;
    auto problems = applicationService_.submissionProblemsOf(context);
    Array::Ptr rules = new Array;

    // Commitment letters (承诺书): one per completing unit, each with its seals check.
    {
        std::string result = "pass";
        Array::Ptr letters = new Array;
        int count = 0;
        for (const auto& d : context.documents) {
            if (d.role != "commitment") continue;
            ++count;
            std::string r;
            Object::Ptr e = checkEvidence(checks_.forDocument(d.document.id), "seals", r);
            e->set("document_id", d.document.id);
            e->set("name", d.document.originalName);
            letters->add(e);
            result = worse(result, r);
        }
        if (count != activity.completingUnits) result = "fail";
        Object::Ptr evidence = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        evidence->set("completing_units", activity.completingUnits);
        evidence->set("letters", count);
        evidence->set("documents", letters);
        rules->add(rule("commitment_seals", result, true,
                        std::to_string(count) + " commitment letter(s) for " +
                            std::to_string(activity.completingUnits) +
                            " completing unit(s); each needs its unit's seal.",
                        evidence));
    }
    // The license of the organization's approved filing.
    {
        std::string result = "unknown", message = "The organization has no approved filing.";
        Object::Ptr evidence = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        if (context.filing) {
            evidence->set("filing_id", context.filing->id);
            std::string license;
            try {
                auto data =
                    Poco::JSON::Parser().parse(context.filing->dataJson).extract<Object::Ptr>();
                license = data->optValue<std::string>("license_document_id", "");
            } catch (const std::exception&) {
            }
            if (license.empty()) {
                message = "The approved filing names no license.";
            } else {
                evidence->set("document_id", license);
                evidence->set("check",
                              checkEvidence(checks_.forDocument(license), "license", result));
                message = "The license check of the approved filing's license (营业执照).";
            }
        }
        rules->add(rule("license", result, false, message, evidence));
    }
    // Required evidence and the template, as submit() judges them.
    std::vector<FieldProblem> evidenceProblems, templateProblems, lengthProblems,
        recommendationProblems;
    for (const auto& p : problems) {
        if (p.path == "recommending_unit" || p.path.rfind("recommending_unit.", 0) == 0) {
            recommendationProblems.push_back(p);
        } else if (p.path.rfind("documents", 0) == 0) {
            // Commitment letters have their own rule.
            bool commitment = p.code == codes::kFieldCommitmentCount;
            if (!commitment && p.path.size() > 10 && p.path[9] == '[') {
                std::size_t i = std::stoul(p.path.substr(10));
                commitment = i < row->documents.size() && row->documents[i].role == "commitment";
            }
            if (!commitment) evidenceProblems.push_back(p);
        } else if (p.code == codes::kFieldTooLong || p.code == codes::kFieldTooMany) {
            lengthProblems.push_back(p);
        } else {
            templateProblems.push_back(p);
        }
    }
    auto resultOf = [](const std::vector<FieldProblem>& ps) {
        std::string r = "pass";
        for (const auto& p : ps)
            r = worse(r, p.code == codes::kFieldCheckPending ? "unknown" : "fail");
        return r;
    };
    rules->add(rule("required_evidence", resultOf(evidenceProblems), true,
                    "The summary material and the activity's required evidence, with their checks.",
                    problemsJson(evidenceProblems)));
    rules->add(rule("recommendation", resultOf(recommendationProblems), true,
                    activity.recommendingList.empty()
                        ? "The activity asks for no recommending unit (推荐单位)."
                        : "A recommending unit (推荐单位) of the list " +
                              activity.recommendingList + " chosen.",
                    problemsJson(recommendationProblems)));
    rules->add(rule("template_complete", resultOf(templateProblems), true,
                    "The book template complete, the contact, the 承诺书 accepted and the "
                    "project.",
                    problemsJson(templateProblems)));
    rules->add(rule("word_limits", resultOf(lengthProblems), true,
                    "The word and row limits of the book template.", problemsJson(lengthProblems)));
    // The same bytes in another organization's application: a flag for the reviewer.
    {
        Array::Ptr shared = new Array;
        for (const auto& s : rows_.sharedFiles(id)) {
            Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set("document_id", s.documentId);
            o->set("sha256", s.sha256);
            o->set("other_application_id", s.otherApplicationId);
            o->set("other_number", s.otherNumber);
            o->set("other_organization", s.otherOrganizationName);
            shared->add(o);
        }
        rules->add(rule("shared_files", shared->size() ? "warn" : "pass", false,
                        "Files (by SHA-256) another organization's application also holds.",
                        shared));
    }
    // Each rule names the reasons of the kind's list it supports, so that a failed rule
    // translates into a fail decision's reasons at once.
    const auto& list = reasons(activity.kind);
    failedRules.clear();
    for (std::size_t i = 0; i < rules->size(); ++i) {
        auto r = rules->getObject(static_cast<unsigned>(i));
        std::string name = r->getValue<std::string>("rule");
        Array::Ptr supported = new Array;
        for (const auto& item : list.items) {
            auto names = rulesOf(item);
            if (std::find(names.begin(), names.end(), name) != names.end()) {
                supported->add(reasonJson(list, item.value));
            }
        }
        r->set("reasons", supported);
        if (r->getValue<std::string>("result") == "fail") failedRules.push_back(name);
    }
    return jsonText(*rules);
}

ReviewService::ReviewView ReviewService::open(const Viewer& viewer, const std::string& id) {
    requireReviewer(viewer);
    auto row = IdGenerator::isWellFormed(id) ? applications_.find(id, "") : std::nullopt;
    // Drafts are the applicants' own until submitted.
    if (!row || row->state == "draft") notFound(id);
    row = applicationService_.lapseIfDue(*row);
    if (row->state == "submitted") {
        // The first reviewer view starts the review; a racing view that comes second finds it
        // started and changes nothing.
        auto started = applications_.changeState(
            id, "", {"submitted"}, "under_review", clock_.nowMicros(),
            audit_.entry(viewer.accountId, "application.review_started", "application:" + id,
                         {{"organization_id", row->organizationId},
                          {"from", "submitted"},
                          {"state", "under_review"}}));
        if (started.outcome == storage::ApplicationRepository::Outcome::Saved) {
            row = started.row;
        } else {
            row = applications_.find(id, "");
        }
    }
    // Every reviewer view is traced: the application names people and shows their evidence.
    audit_.record(viewer.accountId, "application.viewed", "application:" + id,
                  {{"version", std::to_string(row->version)}, {"state", row->state}});
    return {*row, rows_.decisions(id)};
}

ReviewService::ReviewView ReviewService::decide(const Viewer& viewer, const std::string& id,
                                                const std::string& json) {
    requireReviewer(viewer);
    auto row = IdGenerator::isWellFormed(id) ? applications_.find(id, "") : std::nullopt;
    if (!row || row->state == "draft") notFound(id);
    storage::ActivityRow activity = activities_.get(row->activityCode);
    const auto& list = reasons(activity.kind);
    std::int64_t now = clock_.nowMicros();

    std::vector<FieldProblem> problems;
    auto body = parseBodyObject(json);
    BodyReader read(body, "", problems);
    read.refuseOthers({"decision", "reasons", "comment", "return_deadline"});
    std::string decision = read.text("decision");
    std::string comment = read.note("comment", kMaxCommentChars);
    std::string deadlineText = read.text("return_deadline");
    bool decisionTyped = std::none_of(problems.begin(), problems.end(),
                                      [](const FieldProblem& p) { return p.path == "decision"; });
    if (decisionTyped && decision.empty()) {
        problems.push_back(
            {"decision", codes::kFieldRequired, "decision is pass, fail or return."});
    } else if (decisionTyped && decision != "pass" && decision != "fail" && decision != "return") {
        problems.push_back({"decision", codes::kFieldChoice, "decision is pass, fail or return."});
    }
    std::vector<std::string> codesGiven = read.codeList("reasons", list);
    if (decision == "fail" && codesGiven.empty() &&
        std::none_of(problems.begin(), problems.end(),
                     [](const FieldProblem& p) { return p.path.rfind("reasons", 0) == 0; })) {
        problems.push_back({"reasons", codes::kFieldTooFew,
                            "A failed formal review names at least one reason (" + list.id + ")."});
    }
    if (decision == "pass" && !codesGiven.empty()) {
        problems.push_back({"reasons", codes::kFieldTooMany, "A pass names no reason."});
    }
    std::int64_t deadline = 0;
    if (decision == "return") {
        if (deadlineText.empty()) {
            problems.push_back({"return_deadline", codes::kFieldRequired,
                                "A return names the deadline for the corrected submission."});
        } else if (auto instant = parseInstant(deadlineText); !instant) {
            problems.push_back({"return_deadline", codes::kFieldDateTime,
                                "return_deadline is an instant with its offset "
                                "(2025-05-10T17:00:00+08:00)."});
        } else if (*instant <= now || *instant > activity.reviewUntilMicros) {
            problems.push_back({"return_deadline", codes::kFieldRange,
                                "return_deadline lies after now and not after the formal-review "
                                "deadline (" +
                                    formatShanghai(activity.reviewUntilMicros) + ")."});
        } else {
            deadline = *instant;
        }
    } else if (!deadlineText.empty()) {
        problems.push_back(
            {"return_deadline", codes::kFieldUnknown, "return_deadline belongs to a return only."});
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    if (decision == "return" && !activity.allowReturn) {
        throw Error(codes::kReviewReturnNotAllowed,
                    "The activity " + activity.code +
                        " does not let reviewers return an application: pass or fail it.");
    }

    Array reasonsArray;
    for (const auto& code : codesGiven) reasonsArray.add(code);
    std::string reasonsJson = jsonText(reasonsArray);
    std::string state = stateAfter(decision);
    storage::ReviewDecisionRow d;
    d.id = ids_.next();
    d.applicationId = id;
    d.decision = decision;
    d.reasonsJson = reasonsJson;
    d.comment = comment;
    d.reviewerId = viewer.accountId;
    d.decidedAtMicros = now;
    d.returnDeadlineMicros = deadline;
    std::map<std::string, std::string> details{{"organization_id", row->organizationId},
                                               {"from", "under_review"},
                                               {"state", state},
                                               {"decision", decision},
                                               {"decision_id", d.id},
                                               {"reasons", reasonsJson}};
    if (!comment.empty()) details["comment"] = comment;
    if (deadline) details["return_deadline"] = formatShanghai(deadline);
    auto start = audit_.entry(viewer.accountId, "application.review_started", "application:" + id,
                              {{"organization_id", row->organizationId},
                               {"from", "submitted"},
                               {"state", "under_review"}});
    auto audit =
        audit_.entry(viewer.accountId, "application." + state, "application:" + id, details);
    // When the review starts in this transaction, both entries have the same instant; the
    // decision's is a microsecond later so that the 日志 (ordered by instant) lists the start
    // first.
    if (row->state == "submitted") audit.atMicros += 1;
    using Outcome = storage::ReviewRepository::Outcome;
    switch (rows_.decide(d, state, start, audit)) {
        case Outcome::Decided:
            break;
        case Outcome::NotFound:
            notFound(id);
        case Outcome::Conflict:
            throw Error(codes::kApplicationStateConflict,
                        "The application is not awaiting a formal-review decision (it is " +
                            applications_.find(id, "").value_or(*row).state +
                            "); another decision may have come first.");
    }
    return {*applications_.find(id, ""), rows_.decisions(id)};
}

std::string ReviewService::decisionsJson(const storage::ApplicationRow& application,
                                         const std::vector<storage::ReviewDecisionRow>& decisions) {
    storage::ActivityRow activity = activities_.get(application.activityCode);
    const auto& list = reasons(activity.kind);
    Array out;
    for (const auto& d : decisions) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("id", d.id);
        o->set("decision", d.decision);
        o->set("reasons", reasonItems(list, d.reasonsJson));
        o->set("comment", d.comment);
        o->set("reviewer_id", d.reviewerId);
        o->set("decided_at", formatShanghai(d.decidedAtMicros));
        if (d.returnDeadlineMicros) {
            o->set("return_deadline", formatShanghai(d.returnDeadlineMicros));
        } else {
            o->set("return_deadline", Poco::Dynamic::Var());
        }
        out.add(o);
    }
    return jsonText(out);
}

std::string ReviewService::outcomeJson(const storage::ApplicationRow& row,
                                       const storage::ReviewDecisionRow* latest) {
    if (!latest || (row.state != "passed" && row.state != "failed" && row.state != "returned")) {
        return "null";
    }
    storage::ActivityRow activity = activities_.get(row.activityCode);
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("decision", latest->decision);
    o.set("reasons", reasonItems(reasons(activity.kind), latest->reasonsJson));
    o.set("comment", latest->comment);
    o.set("decided_at", formatShanghai(latest->decidedAtMicros));
    o.set("return_deadline", instantOrNull(latest->returnDeadlineMicros));
    o.set("lapsed", row.state == "failed" && latest->decision == "return");
    return jsonText(o);
}

std::map<std::string, std::string> ReviewService::outcomesJson(
    const std::vector<storage::ApplicationRow>& rows) {
    std::vector<std::string> decided;
    for (const auto& row : rows) {
        if (row.state == "passed" || row.state == "failed" || row.state == "returned") {
            decided.push_back(row.id);
        }
    }
    auto latest = rows_.latestDecisions(decided);
    std::map<std::string, std::string> out;
    for (const auto& row : rows) {
        auto it = latest.find(row.id);
        out[row.id] = outcomeJson(row, it == latest.end() ? nullptr : &it->second);
    }
    return out;
}

std::string ReviewService::outcomeJson(const storage::ApplicationRow& row) {
    if (row.state != "passed" && row.state != "failed" && row.state != "returned") return "null";
    auto decisions = rows_.decisions(row.id);
    return outcomeJson(row, decisions.empty() ? nullptr : &decisions.back());
}

storage::ReviewRepository::NotificationPage ReviewService::notifications(const Viewer& viewer,
                                                                         std::uint64_t page,
                                                                         std::uint64_t perPage) {
    if (!viewer.organizationId.empty()) {
        applicationService_.lapseDueReturns(viewer.organizationId);
    }
    return rows_.notifications(viewer.accountId, (page - 1) * perPage, perPage);
}

void ReviewService::markRead(const Viewer& viewer, const std::string& notificationId) {
    auto dot = notificationId.rfind('.');
    std::string app = dot == std::string::npos ? "" : notificationId.substr(0, dot);
    std::string version = dot == std::string::npos ? "" : notificationId.substr(dot + 1);
    bool digits =
        !version.empty() && version.size() <= 18 &&
        std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!IdGenerator::isWellFormed(app) || !digits ||
        !rows_.markRead(viewer.accountId, app, std::stoll(version), clock_.nowMicros())) {
        throw Error(codes::kNotificationNotFound, "You have no notification of this id.",
                    "notification=" + notificationId);
    }
}

std::string ReviewService::notificationJson(const storage::NotificationRow& row) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("id", row.applicationId + "." + std::to_string(row.applicationVersion));
    o.set("application_id", row.applicationId);
    o.set("activity", row.activityCode);
    o.set("number", row.number.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(row.number));
    o.set("state", row.state);
    o.set("at", formatShanghai(row.createdAtMicros));
    o.set("read", row.readAtMicros != 0);
    storage::ApplicationRow shown;
    shown.activityCode = row.activityCode;
    shown.state = row.state;
    std::string review = outcomeJson(shown, row.decision.id.empty() ? nullptr : &row.decision);
    std::string text = jsonText(o);
    return text.substr(0, text.size() - 1) + ",\"review\":" + review + "}";
}

std::string ReviewService::reasonListJson(const Viewer& viewer, const std::string& id) {
    requireReviewer(viewer);
    // Only the lists a reviewer decides with: the other lists of templates/lists are the
    // forms' own, and an id never reaches the file system unless it is one of these.
    static const std::set<std::string> kReasonLists{
        "filing-rejection-reasons", "formal-review-reasons-benchmark",
        "formal-review-reasons-tech-project", "formal-review-reasons-tech-individual"};
    if (!kReasonLists.contains(id)) {
        throw Error(codes::kReasonListNotFound, "No list of reasons has this id.", "list=" + id);
    }
    const auto& list = listNamed(id);
    Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("id", list.id);
    out.set("title", list.title);
    Array items;
    for (const auto& item : list.items) {
        Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("code", item.value);
        o.set("label", item.label);
        Array rules;
        for (const auto& rule : rulesOf(item)) rules.add(rule);
        o.set("precheck_rules", rules);
        items.add(o);
    }
    out.set("items", items);
    std::ostringstream text;
    out.stringify(text);
    return text.str();
}

}  // namespace dossier::filing

#include "dossier/filing/ActivityService.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>

#include "BodyReader.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Project.h"
#include "dossier/core/ShanghaiTime.h"
#include "dossier/renderers/DocumentTemplate.h"
#include "dossier/renderers/ReferenceList.h"

namespace dossier::filing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::size_t kTitleMax = 100;
constexpr std::size_t kLabelMax = 100;
constexpr std::size_t kEvidenceMax = 20;
constexpr std::int64_t kMinCountMax = 50;
// What a required evidence entry may ask of its documents: the checks evidence and proof
// uploads get (CheckRunner's plannedChecks).
const std::vector<std::string> kChecks{"quality", "seals", "text"};
const std::vector<std::string> kKinds{"benchmark", "tech_project", "tech_individual"};

bool isIdentifier(const std::string& s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

void checkIdentifier(const std::string& path, const std::string& value, bool required,
                     std::vector<FieldProblem>& out) {
    if (value.empty()) {
        if (required) out.push_back({path, codes::kFieldRequired, path + " is required."});
        return;
    }
    if (!isIdentifier(value)) {
        out.push_back({path, codes::kFieldIdentifier,
                       path + " is 1 to 64 lowercase letters, digits and '-'."});
    }
}

std::optional<std::int64_t> instant(BodyReader& r, const std::string& name,
                                    std::vector<FieldProblem>& out) {
    if (!r.has(name)) {
        out.push_back({r.path(name), codes::kFieldRequired,
                       name + " is required: an instant such as 2025-04-01T09:00:00+08:00."});
        return std::nullopt;
    }
    std::size_t before = out.size();
    std::string text = r.text(name);
    if (out.size() != before) return std::nullopt;
    auto at = parseInstant(text);
    if (!at) {
        out.push_back({r.path(name), codes::kFieldDateTime,
                       name + " must be an instant with its offset, such as "
                              "2025-04-01T09:00:00+08:00 (Beijing time)."});
    }
    return at;
}

}  // namespace

ActivityService::ActivityService(storage::ActivityRepository& rows, AuditLog& audit,
                                 const Clock& clock, std::string templatesDir)
    : rows_(rows), audit_(audit), clock_(clock), templatesDir_(std::move(templatesDir)) {}

void ActivityService::requireOrganizer(const Viewer& viewer) {
    if (viewer.role != Role::Organizer && viewer.role != Role::Operator) {
        throw Error(codes::kAuthForbidden, "Only organizers (and operators) manage activities.");
    }
}

bool ActivityService::isOpen(const storage::ActivityRow& row, std::int64_t nowMicros) {
    return row.opensAtMicros <= nowMicros && nowMicros < row.closesAtMicros;
}

void ActivityService::parse(const std::string& json, storage::ActivityRow& row, bool creating) {
    Object::Ptr body = parseBodyObject(json);
    std::vector<FieldProblem> problems;
    BodyReader r(body, "", problems);
    r.refuseOthers(
        {"code", "title", "kind", "template_id", "opens_at", "closes_at", "review_until",
         "required_evidence", "completing_units", "recommending_units", "allow_return"},
        {"version", "open", "created_at", "created_by", "updated_at", "updated_by", "submissions"});
    std::string code = r.text("code");
    if (creating) {
        checkIdentifier("code", code, true, problems);
        row.code = code;
    } else if (r.has("code") && code != row.code) {
        problems.push_back({"code", codes::kFieldReadOnly,
                            "An activity's code never changes (it is in its applications' "
                            "numbers)."});
    }
    std::size_t before = problems.size();
    row.title = project_rules::trim(r.text("title"));
    if (problems.size() == before) {
        project_rules::checkText("title", row.title, kTitleMax, false, true, problems);
    }
    before = problems.size();
    row.kind = r.text("kind");
    if (problems.size() == before &&
        std::find(kKinds.begin(), kKinds.end(), row.kind) == kKinds.end()) {
        problems.push_back(
            {"kind", row.kind.empty() ? codes::kFieldRequired : codes::kFieldChoice,
             "kind is one of benchmark (全国质量标杆), tech_project (质量技术奖项目奖), "
             "tech_individual (质量技术奖个人奖)."});
    }
    before = problems.size();
    row.templateId = r.text("template_id");
    if (problems.size() == before) {
        checkIdentifier("template_id", row.templateId, true, problems);
        if (problems.size() == before) {
            bool known = row.templateId.rfind("form-", 0) != 0;
            if (known) {
                try {
                    renderers::DocumentTemplate::load(templatesDir_, row.templateId);
                } catch (const Error& e) {
                    if (e.code() != codes::kRenderUnknownDocument) throw;
                    known = false;
                }
            }
            if (!known) {
                problems.push_back({"template_id", codes::kFieldNotInList,
                                    "No application book template has the id '" + row.templateId +
                                        "' (templates/<id>.json)."});
            }
        }
    }
    auto opens = instant(r, "opens_at", problems);
    auto closes = instant(r, "closes_at", problems);
    auto review = instant(r, "review_until", problems);
    if (opens && closes && !(*opens < *closes)) {
        problems.push_back({"closes_at", codes::kFieldOrder,
                            "The window closes after it opens (closes_at > opens_at)."});
    }
    if (closes && review && *review < *closes) {
        problems.push_back({"review_until", codes::kFieldOrder,
                            "The formal review ends at or after the window's closing "
                            "(review_until ≥ closes_at)."});
    }
    row.opensAtMicros = opens.value_or(0);
    row.closesAtMicros = closes.value_or(0);
    row.reviewUntilMicros = review.value_or(0);

    Array::Ptr evidence = r.array("required_evidence");
    Array::Ptr stored = new Array;
    std::vector<std::string> seen;
    if (evidence && evidence->size() > kEvidenceMax) {
        problems.push_back({"required_evidence", codes::kFieldTooMany,
                            "At most " + std::to_string(kEvidenceMax) + " kinds of evidence."});
    }
    for (std::size_t i = 0; evidence && i < evidence->size() && i < kEvidenceMax; ++i) {
        std::string at = "required_evidence[" + std::to_string(i) + "]";
        auto v = evidence->get(static_cast<unsigned>(i));
        if (v.type() != typeid(Object::Ptr)) {
            problems.push_back({at, codes::kFieldType, at + " must be an object."});
            continue;
        }
        BodyReader e(v.extract<Object::Ptr>(), at + ".", problems);
        e.refuseOthers({"kind", "label", "min_count", "check"});
        before = problems.size();
        std::string kind = e.text("kind");
        if (problems.size() == before) checkIdentifier(at + ".kind", kind, true, problems);
        if (!kind.empty() && std::find(seen.begin(), seen.end(), kind) != seen.end()) {
            problems.push_back({at + ".kind", codes::kFieldDuplicate,
                                "The evidence kind '" + kind + "' is listed twice."});
        }
        seen.push_back(kind);
        before = problems.size();
        std::string label = project_rules::trim(e.text("label"));
        if (problems.size() == before) {
            project_rules::checkText(at + ".label", label, kLabelMax, false, true, problems);
        }
        auto minCount = e.integer("min_count");
        if (minCount && (*minCount < 1 || *minCount > kMinCountMax)) {
            problems.push_back({at + ".min_count", codes::kFieldRange,
                                "min_count is 1 to " + std::to_string(kMinCountMax) + "."});
        }
        before = problems.size();
        std::string check = e.text("check");
        if (problems.size() == before && !check.empty() &&
            std::find(kChecks.begin(), kChecks.end(), check) == kChecks.end()) {
            problems.push_back({at + ".check", codes::kFieldChoice,
                                "check is quality, seals or text (or null for none)."});
        }
        Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        out->set("kind", kind);
        out->set("label", label);
        out->set("min_count", minCount.value_or(1));
        out->set("check", check.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(check));
        stored->add(out);
    }
    row.evidenceJson = jsonText(*stored);

    auto units = r.integer("completing_units");
    if (!units && !r.has("completing_units")) {
        problems.push_back({"completing_units", codes::kFieldRequired,
                            "completing_units (主要完成单位, 1 to 3) is required: one commitment "
                            "letter each."});
    } else if (units && (*units < 1 || *units > 3)) {
        problems.push_back({"completing_units", codes::kFieldRange,
                            "1 to 3 completing units (seed 002: 不超过 3 家)."});
    }
    row.completingUnits = static_cast<int>(units && *units >= 1 && *units <= 3 ? *units : 1);

    before = problems.size();
    row.recommendingList = r.text("recommending_units");
    if (problems.size() == before && !row.recommendingList.empty()) {
        checkIdentifier("recommending_units", row.recommendingList, false, problems);
        if (problems.size() == before) {
            try {
                renderers::ReferenceList::load(templatesDir_ + "/lists", row.recommendingList);
            } catch (const Error&) {
                problems.push_back({"recommending_units", codes::kFieldNotInList,
                                    "No reference list has the id '" + row.recommendingList +
                                        "' (templates/lists/<id>.json)."});
            }
        }
    }
    row.allowReturn = r.boolean("allow_return").value_or(false);
    if (!problems.empty()) throw ValidationError(std::move(problems));
}

storage::ActivityRow ActivityService::create(const Viewer& viewer, const std::string& json) {
    requireOrganizer(viewer);
    storage::ActivityRow row;
    parse(json, row, true);
    row.createdAtMicros = row.updatedAtMicros = clock_.nowMicros();
    row.createdBy = row.updatedBy = viewer.accountId;
    if (!rows_.insert(row, audit_.entry(viewer.accountId, "activity.create", "activity:" + row.code,
                                        {{"after", toJson(row, row.createdAtMicros)}}))) {
        throw Error(codes::kActivityCodeTaken,
                    "Another activity already has the code '" + row.code + "'.");
    }
    return get(row.code);
}

storage::ActivityRow ActivityService::update(const Viewer& viewer, const std::string& code,
                                             const std::string& json,
                                             const std::optional<std::set<std::int64_t>>& ifMatch) {
    requireOrganizer(viewer);
    storage::ActivityRow current = get(code);
    storage::ActivityRow row = current;
    parse(json, row, false);
    row.updatedAtMicros = clock_.nowMicros();
    row.updatedBy = viewer.accountId;
    if (ifMatch && !ifMatch->count(current.version)) {
        throw Error(codes::kRequestPreconditionFailed,
                    "The activity was changed since you read it: read it again (GET), then save.");
    }
    auto outcome =
        rows_.update(row, current.version,
                     audit_.entry(viewer.accountId, "activity.update", "activity:" + code,
                                  {{"before", toJson(current, row.updatedAtMicros)},
                                   {"after", toJson(row, row.updatedAtMicros)}}));
    if (outcome == storage::ActivityRepository::Outcome::NotFound) return get(code);
    if (outcome == storage::ActivityRepository::Outcome::VersionMismatch) {
        throw Error(codes::kRequestPreconditionFailed,
                    "The activity was changed meanwhile: read it again (GET), then save.");
    }
    return get(code);
}

storage::ActivityRow ActivityService::get(const std::string& code) {
    std::optional<storage::ActivityRow> row;
    if (isIdentifier(code)) row = rows_.find(code);
    if (!row) throw Error(codes::kActivityNotFound, "No activity has this code.", "code=" + code);
    return std::move(*row);
}

std::vector<storage::ActivityRow> ActivityService::list(const std::optional<Viewer>& viewer) {
    if (viewer && viewer->isStaff()) return rows_.list(std::nullopt);
    return rows_.list(clock_.nowMicros());
}

std::vector<RequiredEvidence> ActivityService::requiredEvidence(const storage::ActivityRow& row) {
    std::vector<RequiredEvidence> out;
    auto list = Poco::JSON::Parser().parse(row.evidenceJson).extract<Array::Ptr>();
    for (std::size_t i = 0; list && i < list->size(); ++i) {
        auto o = list->getObject(static_cast<unsigned>(i));
        RequiredEvidence e;
        e.kind = o->getValue<std::string>("kind");
        e.label = o->getValue<std::string>("label");
        e.minCount = o->getValue<int>("min_count");
        e.check = o->isNull("check") ? "" : o->getValue<std::string>("check");
        out.push_back(std::move(e));
    }
    return out;
}

std::string ActivityService::toJson(const storage::ActivityRow& row, std::int64_t nowMicros) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("code", row.code);
    o.set("title", row.title);
    o.set("kind", row.kind);
    o.set("template_id", row.templateId);
    o.set("opens_at", formatShanghai(row.opensAtMicros));
    o.set("closes_at", formatShanghai(row.closesAtMicros));
    o.set("review_until", formatShanghai(row.reviewUntilMicros));
    o.set("open", isOpen(row, nowMicros));
    o.set("required_evidence", Poco::JSON::Parser().parse(row.evidenceJson));
    o.set("completing_units", row.completingUnits);
    o.set("recommending_units", row.recommendingList.empty()
                                    ? Poco::Dynamic::Var()
                                    : Poco::Dynamic::Var(row.recommendingList));
    o.set("allow_return", row.allowReturn);
    o.set("version", row.version);
    return jsonText(o);
}

}  // namespace dossier::filing

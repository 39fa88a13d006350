#include "dossier/filing/ProjectService.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/JsonNumbers.h"
#include "dossier/filing/DocumentService.h"

#include "BodyReader.h"

namespace dossier::filing {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kCategoryList = "ip-right-categories";

const std::vector<std::string>& topFields() {
    static const std::vector<std::string> kFields{"name",      "keywords", "summary",
                                                  "ip_rights", "honours",  "other_documents"};
    return kFields;
}

// Fields of the API's answer: read-only, so a body naming them is told where they belong.
const std::vector<std::string>& readOnlyFields() {
    static const std::vector<std::string> kFields{"id",         "organization_id", "version",
                                                  "created_at", "created_by",      "updated_at",
                                                  "updated_by", "locked_at"};
    return kFields;
}

Object::Ptr orderedObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

bool isObject(const Var& v) { return v.type() == typeid(Object::Ptr); }

/// The elements of `list` that are objects, each read by `read`; others reported.
template <typename Row>
std::vector<Row> rowsOf(const Array::Ptr& list, const std::string& name,
                        const JsonNumberTexts& numbers, std::vector<FieldProblem>& problems,
                        const std::function<Row(BodyReader&)>& read) {
    std::vector<Row> rows;
    if (!list) return rows;
    for (std::size_t i = 0; i < list->size(); ++i) {
        std::string at = name + "[" + std::to_string(i) + "]";
        Var v = list->get(static_cast<unsigned>(i));
        if (!isObject(v)) {
            problems.push_back({at, codes::kFieldType, at + " must be an object."});
            rows.emplace_back();
            continue;
        }
        BodyReader row(v.extract<Object::Ptr>(), at + ".", problems, &numbers);
        rows.push_back(read(row));
    }
    return rows;
}

/// The strings of `list`; other elements reported (and kept as "" so indexes stay).
std::vector<std::string> stringsOf(const Array::Ptr& list, const std::string& name,
                                   std::vector<FieldProblem>& problems) {
    std::vector<std::string> out;
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        Var v = list->get(static_cast<unsigned>(i));
        std::string at = name + "[" + std::to_string(i) + "]";
        if (!v.isString()) {
            problems.push_back({at, codes::kFieldType, at + " must be a string."});
            out.emplace_back();
            continue;
        }
        out.push_back(v.extract<std::string>());
    }
    return out;
}

ProjectContent readContent(const Object::Ptr& body, const JsonNumberTexts& numbers,
                           std::vector<FieldProblem>& problems) {
    ProjectContent c;
    BodyReader top(body, "", problems, &numbers);
    top.refuseOthers(topFields(), readOnlyFields());
    c.name = top.text("name");
    if (!top.has("name")) {
        problems.push_back({"name", codes::kFieldRequired, "The project's name is required."});
    }
    if (!top.given("keywords")) {
        problems.push_back({"keywords", codes::kFieldRequired,
                            "Give 1 to 3 keywords (主题词) as a list of strings."});
    }
    for (auto& k : stringsOf(top.array("keywords", true), "keywords", problems)) {
        c.keywords.push_back(project_rules::trim(k));
    }
    c.summary = top.text("summary", true);
    c.ipRights = rowsOf<IpRight>(
        top.array("ip_rights", true), "ip_rights", numbers, problems, [](BodyReader& r) {
            r.refuseOthers({"category", "name", "country", "granted_on", "certificate_number",
                            "holder", "inventors", "validity_years", "application_number",
                            "grant_number", "document_id"});
            IpRight row;
            row.category = r.text("category");
            row.name = r.text("name");
            row.country = r.text("country");
            row.grantedOn = r.text("granted_on");
            row.certificateNumber = r.text("certificate_number");
            row.holder = r.text("holder");
            row.inventors = r.text("inventors");
            row.validityYears = r.integer("validity_years");
            row.applicationNumber = r.text("application_number");
            row.grantNumber = r.text("grant_number");
            row.documentId = r.text("document_id");
            return row;
        });
    c.honours =
        rowsOf<Honour>(top.array("honours", true), "honours", numbers, problems, [](BodyReader& r) {
            r.refuseOthers({"name", "level", "issuer", "awarded_on", "description", "document_id"});
            Honour row;
            row.name = r.text("name");
            row.level = r.text("level");
            row.issuer = r.text("issuer");
            row.awardedOn = r.text("awarded_on");
            row.description = r.text("description", true);
            row.documentId = r.text("document_id");
            return row;
        });
    c.otherDocuments = stringsOf(top.array("other_documents", true), "other_documents", problems);
    // A document is listed once: a second entry would put the same evidence twice into what
    // an application submits.
    for (std::size_t i = 0; i < c.otherDocuments.size(); ++i) {
        const auto& id = c.otherDocuments[i];
        if (id.empty()) continue;
        auto first = std::find(c.otherDocuments.begin(), c.otherDocuments.begin() + i, id);
        if (first == c.otherDocuments.begin() + i) continue;
        std::string at = "other_documents[" + std::to_string(i) + "]";
        problems.push_back({at, codes::kFieldDuplicate,
                            at + " names the same document as other_documents[" +
                                std::to_string(first - c.otherDocuments.begin()) + "]."});
    }
    return c;
}

/// One JSON value as text.
std::string valueJson(const Var& value) {
    Array one;
    one.add(value);
    std::string s = jsonText(one);
    return s.substr(1, s.size() - 2);
}

Var textOrNull(const std::string& s) { return s.empty() ? Var() : Var(s); }

/// The stored (and served) form of the content: every field present, absent values null.
std::string contentJson(const ProjectContent& c) {
    Object::Ptr o = orderedObject();
    o->set("name", c.name);
    Array::Ptr keywords = new Array;
    for (const auto& k : c.keywords) keywords->add(k);
    o->set("keywords", keywords);
    o->set("summary", c.summary);
    Array::Ptr ip = new Array;
    for (const auto& r : c.ipRights) {
        Object::Ptr row = orderedObject();
        row->set("category", r.category);
        row->set("name", r.name);
        row->set("country", r.country);
        row->set("granted_on", textOrNull(r.grantedOn));
        row->set("certificate_number", r.certificateNumber);
        row->set("holder", r.holder);
        row->set("inventors", r.inventors);
        row->set("validity_years", r.validityYears ? Var(*r.validityYears) : Var());
        row->set("application_number", r.applicationNumber);
        row->set("grant_number", r.grantNumber);
        row->set("document_id", textOrNull(r.documentId));
        ip->add(row);
    }
    o->set("ip_rights", ip);
    Array::Ptr honours = new Array;
    for (const auto& h : c.honours) {
        Object::Ptr row = orderedObject();
        row->set("name", h.name);
        row->set("level", h.level);
        row->set("issuer", h.issuer);
        row->set("awarded_on", textOrNull(h.awardedOn));
        row->set("description", h.description);
        row->set("document_id", textOrNull(h.documentId));
        honours->add(row);
    }
    o->set("honours", honours);
    Array::Ptr others = new Array;
    for (const auto& d : c.otherDocuments) others->add(d);
    o->set("other_documents", others);
    return jsonText(*o);
}

std::string keywordsJson(const ProjectContent& c) {
    Array a;
    for (const auto& k : c.keywords) a.add(k);
    return jsonText(a);
}

/// Every place a document id stands in the content, with its path.
std::vector<std::pair<std::string, std::string>> documentPaths(const ProjectContent& c) {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < c.ipRights.size(); ++i) {
        if (!c.ipRights[i].documentId.empty()) {
            out.emplace_back("ip_rights[" + std::to_string(i) + "].document_id",
                             c.ipRights[i].documentId);
        }
    }
    for (std::size_t i = 0; i < c.honours.size(); ++i) {
        if (!c.honours[i].documentId.empty()) {
            out.emplace_back("honours[" + std::to_string(i) + "].document_id",
                             c.honours[i].documentId);
        }
    }
    for (std::size_t i = 0; i < c.otherDocuments.size(); ++i) {
        if (c.otherDocuments[i].empty()) continue;  // not a string: reported as such
        out.emplace_back("other_documents[" + std::to_string(i) + "]", c.otherDocuments[i]);
    }
    return out;
}

FieldProblem notOurs(const std::string& path) {
    // The same words for an id of no document and one of another organization.
    return {path, codes::kFieldDocumentNotFound,
            "No document of your organization has this id: upload the evidence first "
            "(POST /api/v1/documents)."};
}

/// The project's top-level fields whose stored form differs, with before and after.
std::map<std::string, std::string> changes(const std::string& beforeJson,
                                           const std::string& afterJson) {
    std::map<std::string, std::string> out;
    Poco::JSON::Parser parser;
    auto before = parser.parse(beforeJson).extract<Object::Ptr>();
    parser.reset();
    auto after = parser.parse(afterJson).extract<Object::Ptr>();
    std::string changed;
    for (const auto& name : topFields()) {
        auto text = [&name](const Object::Ptr& o) { return valueJson(o->get(name)); };
        std::string b = text(before), a = text(after);
        if (a == b) continue;
        changed += (changed.empty() ? "" : ",") + name;
        out["before." + name] = b;
        out["after." + name] = a;
    }
    out["changed"] = changed;
    return out;
}

std::set<std::string> loadCategories(const std::string& templatesDir) {
    std::string path = templatesDir + "/lists/" + kCategoryList + ".json";
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::set<std::string> values;
    try {
        auto list = Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
        auto items = list->getArray("items");
        for (std::size_t i = 0; items && i < items->size(); ++i) {
            values.insert(
                items->getObject(static_cast<unsigned>(i))->getValue<std::string>("value"));
        }
    } catch (const std::exception& e) {
        throw Error(codes::kRenderTemplate, "A reference list on the server is unreadable.",
                    path + ": " + e.what());
    }
    if (values.empty()) {
        throw Error(codes::kRenderTemplate, "A reference list on the server is missing.", path);
    }
    return values;
}

std::optional<std::string> optionalTimestamp(std::int64_t micros) {
    if (micros == 0) return std::nullopt;
    return formatTimestamp(micros);
}

/// The metadata members of a project's JSON, spliced before its content's members.
std::string withMetadata(const storage::ProjectRow& row, const std::string& content) {
    Object::Ptr meta = orderedObject();
    meta->set("id", row.id);
    meta->set("organization_id", row.organizationId);
    meta->set("version", row.version);
    meta->set("created_at", formatTimestamp(row.createdAtMicros));
    meta->set("created_by", row.createdBy);
    meta->set("updated_at", formatTimestamp(row.updatedAtMicros));
    meta->set("updated_by", row.updatedBy);
    auto locked = optionalTimestamp(row.lockedAtMicros);
    meta->set("locked_at", locked ? Var(*locked) : Var());
    std::string head = jsonText(*meta);
    if (content.size() <= 2) return head;
    head.pop_back();  // '}'
    return head + "," + content.substr(1);
}

}  // namespace

ProjectService::ProjectService(storage::ProjectRepository& rows, DocumentService& documents,
                               AuditLog& audit, const Clock& clock, const IdGenerator& ids,
                               const std::string& templatesDir)
    : rows_(rows),
      documents_(documents),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      templatesDir_(templatesDir) {}

const std::set<std::string>& ProjectService::categories() {
    std::lock_guard lock(categoriesMutex_);
    if (categories_.empty()) categories_ = loadCategories(templatesDir_);
    return categories_;
}

const std::vector<std::string>& ProjectService::documentKinds() {
    // 证实性材料: evidence uploads, or proofs stamped by the organization (seed 004).
    static const std::vector<std::string> kKinds{"evidence", "proof"};
    return kKinds;
}

void ProjectService::requireMember(const Viewer& viewer) {
    if (viewer.role != Role::Applicant) {
        throw Error(codes::kAuthForbidden,
                    "Projects belong to an organization; staff accounts do not see them "
                    "(reviewers read what an application submitted).");
    }
    if (viewer.organizationId.empty()) {
        throw Error(codes::kOrganizationMembershipRequired,
                    "Join an organization (or register one) to keep its projects.");
    }
}

ProjectContent ProjectService::parseAndValidate(const Viewer& viewer, const std::string& json) {
    const JsonNumberTexts numbers = inspectJsonBody(json);
    Object::Ptr body;
    try {
        body = Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw Error(codes::kRequestMalformed, "The body is not valid JSON.", e.displayText());
    } catch (const std::exception&) {
    }
    if (!body) throw Error(codes::kRequestMalformed, "The body must be a JSON object.");
    std::vector<FieldProblem> problems;
    ProjectContent content = readContent(body, numbers, problems);
    // A value that could not be read (wrong type, missing) is reported once: the rules are not
    // run again on what stands in for it.
    const std::vector<FieldProblem> unread = problems;
    auto covered = [&unread](const std::string& path) {
        return std::any_of(unread.begin(), unread.end(), [&path](const FieldProblem& p) {
            return path == p.path || (path.rfind(p.path, 0) == 0 &&
                                      (path[p.path.size()] == '.' || path[p.path.size()] == '['));
        });
    };
    std::vector<FieldProblem> rules;
    project_rules::validate(content, project_rules::beijingDate(clock_.nowMicros()), categories(),
                            rules);
    for (auto& problem : rules) {
        if (!covered(problem.path)) problems.push_back(std::move(problem));
    }
    const auto& kinds = documentKinds();
    for (const auto& [path, id] : documentPaths(content)) {
        if (covered(path)) continue;
        try {
            Document doc = documents_.find(id);
            if (doc.organizationId != viewer.organizationId) {
                problems.push_back(notOurs(path));
            } else if (std::find(kinds.begin(), kinds.end(), nameOf(doc.kind)) == kinds.end()) {
                problems.push_back({path, codes::kFieldDocumentKind,
                                    "This document is a '" + std::string(nameOf(doc.kind)) +
                                        "' upload; a project's evidence is an 'evidence' or "
                                        "'proof' upload."});
            }
        } catch (const Error& e) {
            if (e.code() != codes::kDocumentNotFound) throw;
            problems.push_back(notOurs(path));
        }
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    return content;
}

void ProjectService::throwMissing(const ProjectContent& content,
                                  const std::vector<std::string>& missing) {
    std::vector<FieldProblem> problems;
    for (const auto& [path, id] : documentPaths(content)) {
        if (std::find(missing.begin(), missing.end(), id) != missing.end()) {
            problems.push_back(notOurs(path));
        }
    }
    throw ValidationError(std::move(problems));
}

storage::ProjectRow ProjectService::create(const Viewer& viewer, const std::string& json) {
    requireMember(viewer);
    ProjectContent content = parseAndValidate(viewer, json);
    storage::ProjectRow row;
    row.id = ids_.next();
    row.organizationId = viewer.organizationId;
    row.name = content.name;
    row.keywordsJson = keywordsJson(content);
    row.contentJson = contentJson(content);
    row.createdAtMicros = row.updatedAtMicros = clock_.nowMicros();
    row.createdBy = row.updatedBy = viewer.accountId;
    auto result = rows_.insert(
        row, content.documentIds(), documentKinds(),
        audit_.entry(viewer.accountId, "project.create", "project:" + row.id,
                     {{"organization_id", row.organizationId}, {"after", row.contentJson}}));
    if (result.outcome == storage::ProjectRepository::Outcome::DocumentsMissing) {
        throwMissing(content, result.missing);
    }
    return result.row;
}

storage::ProjectRow ProjectService::get(const Viewer& viewer, const std::string& id) {
    requireMember(viewer);
    std::optional<storage::ProjectRow> row;
    if (IdGenerator::isWellFormed(id)) row = rows_.find(id, viewer.organizationId);
    if (!row) {
        throw Error(codes::kProjectNotFound, "No project of your organization has this id.",
                    "id=" + id + " organization=" + viewer.organizationId);
    }
    return std::move(*row);
}

storage::ProjectPage ProjectService::list(const Viewer& viewer, std::uint64_t page,
                                          std::uint64_t perPage) {
    requireMember(viewer);
    return rows_.list(viewer.organizationId, (page - 1) * perPage, perPage);
}

storage::ProjectRow ProjectService::update(const Viewer& viewer, const std::string& id,
                                           const std::string& json,
                                           const std::optional<std::set<std::int64_t>>& ifMatch) {
    storage::ProjectRow current = get(viewer, id);
    ProjectContent content = parseAndValidate(viewer, json);
    storage::ProjectRow row = current;
    row.name = content.name;
    row.keywordsJson = keywordsJson(content);
    row.contentJson = contentJson(content);
    row.updatedAtMicros = clock_.nowMicros();
    row.updatedBy = viewer.accountId;
    // Without If-Match the last writer wins; the version read here still guards the save, so
    // the audit row's "before" is exactly what was replaced (re-read when another save
    // slipped in between).
    for (int attempt = 0;; ++attempt) {
        if (ifMatch && !ifMatch->count(current.version)) break;
        auto details = changes(current.contentJson, row.contentJson);
        details["organization_id"] = row.organizationId;
        details["version"] = std::to_string(current.version + 1);
        auto result = rows_.update(
            row, current.version, content.documentIds(), documentKinds(),
            audit_.entry(viewer.accountId, "project.update", "project:" + id, details));
        using Outcome = storage::ProjectRepository::Outcome;
        if (result.outcome == Outcome::Saved) return result.row;
        if (result.outcome == Outcome::DocumentsMissing) throwMissing(content, result.missing);
        if (result.outcome == Outcome::NotFound) return get(viewer, id);  // throws not_found
        if (ifMatch || attempt >= 3) break;
        current = get(viewer, id);
    }
    throw Error(codes::kRequestPreconditionFailed,
                "The project was changed since you read it: read it again (GET), then save.",
                "id=" + id);
}

void ProjectService::remove(const Viewer& viewer, const std::string& id,
                            const std::optional<std::set<std::int64_t>>& ifMatch) {
    storage::ProjectRow current = get(viewer, id);
    std::optional<std::int64_t> expectedVersion;
    if (ifMatch) {
        if (!ifMatch->count(current.version)) {
            throw Error(codes::kRequestPreconditionFailed,
                        "The project was changed since you read it: read it again (GET) "
                        "before deleting it.",
                        "id=" + id);
        }
        expectedVersion = current.version;
    }
    auto result = rows_.remove(id, viewer.organizationId, expectedVersion,
                               audit_.entry(viewer.accountId, "project.delete", "project:" + id,
                                            {{"organization_id", current.organizationId},
                                             {"name", current.name},
                                             {"before", current.contentJson}}));
    using Outcome = storage::ProjectRepository::Outcome;
    switch (result.outcome) {
        case Outcome::Saved:
            return;
        case Outcome::NotFound:
            get(viewer, id);  // throws not_found
            return;
        case Outcome::Locked:
            throw Error(codes::kProjectInUse,
                        "A submitted application uses this project, so it is kept; it can "
                        "still be edited (the application keeps what it submitted).",
                        "id=" + id);
        default:
            throw Error(codes::kRequestPreconditionFailed,
                        "The project was changed since you read it: read it again (GET) "
                        "before deleting it.",
                        "id=" + id);
    }
}

std::string ProjectService::toJson(const storage::ProjectRow& row) {
    return withMetadata(row, row.contentJson);
}

std::string ProjectService::summaryJson(const storage::ProjectRow& row) {
    return withMetadata(
        row, "{\"name\":" + valueJson(row.name) + ",\"keywords\":" + row.keywordsJson + "}");
}

std::vector<FieldProblem> ProjectService::submissionProblems(const storage::ProjectRow& row,
                                                             const std::string& pathPrefix) {
    auto content = Poco::JSON::Parser().parse(row.contentJson).extract<Object::Ptr>();
    std::vector<FieldProblem> out;
    project_rules::checkText(pathPrefix + "summary", content->optValue<std::string>("summary", ""),
                             project_rules::kSummaryMax, true, true, out);
    return out;
}

}  // namespace dossier::filing

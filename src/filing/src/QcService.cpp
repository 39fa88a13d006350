#include "dossier/filing/QcService.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cmath>

#include "QcRules.h"
#include "dossier/core/Error.h"
#include "dossier/core/JsonString.h"
#include "dossier/core/ShanghaiTime.h"
#include "dossier/core/ValidationError.h"
#include "dossier/sheets/CellValues.h"

namespace dossier::filing {
namespace {

using Poco::Dynamic::Var;

const std::vector<std::string>& formFields(bool create) {
    static const std::vector<std::string> kCreate{"type",       "year",       "title",
                                                  "group_name", "enterprise", "member_count",
                                                  "leader",     "founded_on"};
    static const std::vector<std::string> kUpdate{
        "year", "title", "group_name", "enterprise", "member_count", "leader", "founded_on"};
    return create ? kCreate : kUpdate;
}

/// The record a form body describes, normalized as imported cells are (NFKC, trimmed), so a
/// title typed with full-width characters meets its imported twin.
struct FormRecord {
    std::string type;
    std::int64_t year = 0;
    storage::QcRecordRow row;
};

FormRecord readForm(const Poco::JSON::Object::Ptr& body, bool create, const std::string& today) {
    std::vector<FieldProblem> problems;
    const auto& allowed = formFields(create);
    for (const auto& name : body->getNames()) {
        if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
        problems.push_back({name, name == "type" ? codes::kFieldReadOnly : codes::kFieldUnknown,
                            name == "type" ? "type is fixed when the record is created."
                                           : "Unknown field '" + name + "'."});
    }
    FormRecord out;
    auto text = [&](const qc::FieldInfo& f, std::string& into) {
        std::string key(f.key);
        Var v = body->get(key);
        if (!v.isEmpty() && !v.isString()) {
            problems.push_back({key, codes::kFieldType, key + " must be a string."});
            return;
        }
        into = v.isEmpty() ? std::string() : sheets::normalizeCell(v.extract<std::string>());
        qc::checkText(f, key, into, problems);
    };
    auto integer = [&](const std::string& key) -> std::optional<std::int64_t> {
        Var v = body->get(key);
        if (v.isEmpty()) {
            problems.push_back({key, codes::kFieldRequired, key + " is required."});
            return std::nullopt;
        }
        if (v.isBoolean() || !v.isNumeric()) {
            problems.push_back({key, codes::kFieldType, key + " must be a whole number."});
            return std::nullopt;
        }
        double d = v.convert<double>();
        if (std::floor(d) != d) {
            problems.push_back({key, codes::kFieldNotAnInteger, key + " must be a whole number."});
            return std::nullopt;
        }
        if (std::fabs(d) > 1e15) return static_cast<std::int64_t>(1e15);
        return v.isInteger() ? v.convert<Poco::Int64>() : static_cast<std::int64_t>(d);
    };
    if (create) {
        Var t = body->get("type");
        out.type = t.isString() ? t.extract<std::string>() : std::string();
        if (!qc::isKind(out.type)) {
            problems.push_back({"type", t.isEmpty() ? codes::kFieldRequired : codes::kFieldChoice,
                                "type must be group (小组) or team (班组)."});
        }
    }
    if (auto y = integer("year")) {
        if (*y < 2000 || *y > 2100) {
            problems.push_back({"year", codes::kFieldRange, "year must be from 2000 to 2100."});
        }
        out.year = *y;
    }
    text(qc::kTitle, out.row.title);
    text(qc::kGroupName, out.row.groupName);
    text(qc::kEnterprise, out.row.enterprise);
    text(qc::kLeader, out.row.leader);
    if (auto n = integer("member_count")) {
        qc::checkMembers("member_count", *n, problems);
        out.row.memberCount = *n;
    }
    Var founded = body->get("founded_on");
    if (!founded.isEmpty()) {
        if (!founded.isString()) {
            problems.push_back({"founded_on", codes::kFieldType, "founded_on must be a string."});
        } else {
            std::string t = sheets::normalizeCell(founded.extract<std::string>());
            auto date = t.empty() ? std::nullopt : sheets::parseTextDate(t);
            if (!t.empty() && (!date || t.size() != 10 || t[4] != '-')) {
                problems.push_back(
                    {"founded_on", codes::kFieldDate,
                     "The date must exist and be written YYYY-MM-DD, such as 2023-05-06."});
            } else if (date) {
                out.row.foundedOn = date->iso();
                qc::checkFounded("founded_on", out.row.foundedOn, today, problems);
            }
        }
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    out.row.year = out.year;
    return out;
}

std::int64_t yearOf(const std::string& text) {
    auto y = qc::parseYear(text);
    if (!y) {
        throw ValidationError({{"year", text.empty() ? codes::kFieldRequired : codes::kFieldRange,
                                "year must be a year from 2000 to 2100."}});
    }
    return *y;
}

Error duplicate(const storage::QcRecordRow& row) {
    return Error(codes::kQcDuplicate, "The organization already has a record with 成果名称 '" +
                                          row.title + "' and 小组名称 '" + row.groupName +
                                          "' (seed 001: it is not filed twice).");
}

}  // namespace

QcService::QcService(storage::QcRepository& rows, AuditLog& audit, const Clock& clock,
                     const IdGenerator& ids, QcSettings settings)
    : rows_(rows), audit_(audit), clock_(clock), ids_(ids), settings_(settings) {}

void QcService::requireMember(const Viewer& viewer) {
    if (viewer.role != Role::Applicant) {
        throw Error(codes::kAuthForbidden,
                    "QC groups and teams are filed by their organization; staff read the summary "
                    "table.");
    }
    if (viewer.organizationId.empty()) {
        throw Error(codes::kOrganizationMembershipRequired,
                    "Join an organization (or register one) to file its QC groups and teams.");
    }
}

void QcService::requireSummaryReader(const Viewer& viewer) {
    if (viewer.role == Role::Applicant) {
        requireMember(viewer);
        return;
    }
    if (viewer.role == Role::Operator) {
        throw Error(codes::kAuthForbidden,
                    "Operators run the service; they do not read organizations' filings.");
    }
}

std::string QcService::today() const { return formatShanghai(clock_.nowMicros()).substr(0, 10); }

storage::QcRecordRow QcService::create(const Viewer& viewer, const Poco::JSON::Object::Ptr& body) {
    requireMember(viewer);
    FormRecord form = readForm(body, true, today());
    auto& row = form.row;
    row.id = ids_.next();
    row.organizationId = viewer.organizationId;
    row.kind = form.type;
    row.source = "form";
    row.createdAtMicros = row.updatedAtMicros = clock_.nowMicros();
    row.createdBy = row.updatedBy = viewer.accountId;
    auto result = rows_.insert(row, audit_.entry(viewer.accountId, "qc.record.create",
                                                 "qc_record:" + row.id, {{"after", toJson(row)}}));
    if (result.outcome == storage::QcRepository::Outcome::Duplicate) throw duplicate(row);
    return result.row;
}

storage::QcRecordRow QcService::update(const Viewer& viewer, const std::string& id,
                                       const Poco::JSON::Object::Ptr& body,
                                       const std::optional<std::set<std::int64_t>>& ifMatch) {
    requireMember(viewer);
    auto current = rows_.find(id, viewer.organizationId);
    if (!current) throw Error(codes::kQcRecordNotFound, "No such QC record.");
    FormRecord form = readForm(body, false, today());
    std::optional<std::int64_t> expected;
    if (ifMatch) {
        if (!ifMatch->count(current->version)) {
            throw Error(codes::kRequestPreconditionFailed,
                        "The record changed since it was read (If-Match names another version).");
        }
        expected = current->version;
    }
    auto row = form.row;
    row.id = id;
    row.organizationId = viewer.organizationId;
    row.kind = current->kind;
    row.updatedAtMicros = clock_.nowMicros();
    row.updatedBy = viewer.accountId;
    auto result =
        rows_.update(row, expected,
                     audit_.entry(viewer.accountId, "qc.record.update", "qc_record:" + id,
                                  {{"before", toJson(*current)}, {"after", toJson(row)}}));
    switch (result.outcome) {
        case storage::QcRepository::Outcome::Saved:
            return result.row;
        case storage::QcRepository::Outcome::NotFound:
            throw Error(codes::kQcRecordNotFound, "No such QC record.");
        case storage::QcRepository::Outcome::VersionMismatch:
            throw Error(codes::kRequestPreconditionFailed,
                        "The record changed since it was read (If-Match names another version).");
        case storage::QcRepository::Outcome::Duplicate:
            throw duplicate(row);
    }
    throw Error(codes::kQcRecordNotFound, "No such QC record.");
}

storage::QcRecordRow QcService::get(const Viewer& viewer, const std::string& id) {
    requireMember(viewer);
    auto row = rows_.find(id, viewer.organizationId);
    if (!row) throw Error(codes::kQcRecordNotFound, "No such QC record.");
    return *row;
}

storage::QcRecordPage QcService::list(const Viewer& viewer, const std::string& type,
                                      const std::string& year, std::uint64_t page,
                                      std::uint64_t perPage) {
    requireMember(viewer);
    std::vector<FieldProblem> problems;
    if (!type.empty() && !qc::isKind(type)) {
        problems.push_back({"type", codes::kFieldChoice, "type must be group or team."});
    }
    std::int64_t y = 0;
    if (!year.empty()) {
        auto parsed = qc::parseYear(year);
        if (!parsed)
            problems.push_back({"year", codes::kFieldRange, "year must be from 2000 to 2100."});
        y = parsed.value_or(0);
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    return rows_.list(viewer.organizationId, type, y, (page - 1) * perPage, perPage);
}

storage::QcYearCounts QcService::counts(const Viewer& viewer, const std::string& year) {
    requireMember(viewer);
    return rows_.counts(viewer.organizationId, yearOf(year));
}

storage::QcYearCounts QcService::saveCounts(const Viewer& viewer, const std::string& year,
                                            const Poco::JSON::Object::Ptr& body) {
    requireMember(viewer);
    std::int64_t y = yearOf(year);
    std::vector<FieldProblem> problems;
    for (const auto& name : body->getNames()) {
        if (name != "groups" && name != "teams") {
            problems.push_back({name, codes::kFieldUnknown, "Unknown field '" + name + "'."});
        }
    }
    auto count = [&](const std::string& key) -> std::int64_t {
        Var v = body->get(key);
        if (v.isEmpty()) {
            problems.push_back({key, codes::kFieldRequired, key + " is required."});
            return 0;
        }
        if (v.isBoolean() || !v.isNumeric()) {
            problems.push_back({key, codes::kFieldType, key + " must be a whole number."});
            return 0;
        }
        double d = v.convert<double>();
        if (std::floor(d) != d) {
            problems.push_back({key, codes::kFieldNotAnInteger, key + " must be a whole number."});
            return 0;
        }
        if (d < 0 || d > 1'000'000) {
            problems.push_back({key, codes::kFieldRange, key + " must be from 0 to 1000000."});
            return 0;
        }
        return static_cast<std::int64_t>(d);
    };
    std::int64_t groups = count("groups"), teams = count("teams");
    if (!problems.empty()) throw ValidationError(std::move(problems));
    auto before = rows_.counts(viewer.organizationId, y);
    return rows_.saveCounts(
        viewer.organizationId, y, groups, teams, clock_.nowMicros(), viewer.accountId,
        audit_.entry(viewer.accountId, "qc.counts.save", "organization:" + viewer.organizationId,
                     {{"year", std::to_string(y)},
                      {"before", countsJson(before)},
                      {"groups", std::to_string(groups)},
                      {"teams", std::to_string(teams)}}));
}

std::vector<storage::QcRecordRow> QcService::summaryRows(const Viewer& viewer,
                                                         const std::string& year) {
    requireSummaryReader(viewer);
    std::int64_t y = yearOf(year);
    return rows_.summary(viewer.isStaff() ? std::string() : viewer.organizationId, y);
}

std::string QcService::toJson(const storage::QcRecordRow& row) {
    std::string out = "{\"id\":";
    appendJsonString(out, row.id);
    out += ",\"type\":";
    appendJsonString(out, row.kind);
    out += ",\"year\":" + std::to_string(row.year) + ",\"title\":";
    appendJsonString(out, row.title);
    out += ",\"group_name\":";
    appendJsonString(out, row.groupName);
    out += ",\"enterprise\":";
    appendJsonString(out, row.enterprise);
    out += ",\"member_count\":" + std::to_string(row.memberCount) + ",\"leader\":";
    appendJsonString(out, row.leader);
    out += ",\"founded_on\":";
    if (row.foundedOn.empty()) {
        out += "null";
    } else {
        appendJsonString(out, row.foundedOn);
    }
    out += ",\"source\":";
    appendJsonString(out, row.source);
    out += ",\"version\":" + std::to_string(row.version);
    out += ",\"created_at\":";
    appendJsonString(out, formatTimestamp(row.createdAtMicros));
    out += ",\"updated_at\":";
    appendJsonString(out, formatTimestamp(row.updatedAtMicros));
    return out + "}";
}

std::string QcService::countsJson(const storage::QcYearCounts& c) {
    auto opt = [](const std::optional<std::int64_t>& v) {
        return v ? std::to_string(*v) : std::string("null");
    };
    return "{\"year\":" + std::to_string(c.year) + ",\"groups\":" + opt(c.groups) +
           ",\"teams\":" + opt(c.teams) + ",\"filed_groups\":" + std::to_string(c.filedGroups) +
           ",\"filed_teams\":" + std::to_string(c.filedTeams) + "}";
}

}  // namespace dossier::filing

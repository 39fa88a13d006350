#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/core/Project.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/ProjectRepository.h"

namespace dossier::filing {

class DocumentService;

/// Projects (申报主体, seed 000 section 4): kept once per organization and reused for every
/// award, with their IP-rights and honours tables and evidence documents. Any member of the
/// organization (admin or not) creates, reads, edits and deletes them; staff never see the
/// live project (a reviewer reads what an application submitted: its snapshot). Every save
/// writes its audit row and the document_uses rows of the documents the project names in one
/// transaction. Thread-safe.
class ProjectService {
  public:
    /// The IP categories are read from `<templatesDir>/lists/ip-right-categories.json` at
    /// first use. All references must outlive the service.
    ProjectService(storage::ProjectRepository& rows, DocumentService& documents, AuditLog& audit,
                   const Clock& clock, const IdGenerator& ids, const std::string& templatesDir);

    /// The kinds of document a project may name as evidence.
    static const std::vector<std::string>& documentKinds();

    /// Throws auth.forbidden for staff and organization.membership_required for an applicant
    /// of no organization: projects belong to an organization.
    static void requireMember(const Viewer& viewer);

    /// `json` is the request body: {name, keywords, summary, ip_rights, honours,
    /// other_documents}. Throws ValidationError with every problem at once (unknown fields,
    /// wrong types, every rule of project_rules, documents that are not the organization's),
    /// request.malformed / request.number_out_of_range for a body that is not a JSON object.
    storage::ProjectRow create(const Viewer& viewer, const std::string& json);
    /// project.not_found for an id of no project of the viewer's organization.
    storage::ProjectRow get(const Viewer& viewer, const std::string& id);
    /// `page` from 1, `perPage` 1–100 (the caller checks the ranges).
    storage::ProjectPage list(const Viewer& viewer, std::uint64_t page, std::uint64_t perPage);
    /// Replaces the whole project. With `ifMatch` (the versions an If-Match header names) the
    /// save is refused with request.precondition_failed unless the project is at one of them
    /// until the save commits; without it the last writer wins, and the audit row's "before"
    /// is the version it replaced.
    storage::ProjectRow update(const Viewer& viewer, const std::string& id, const std::string& json,
                               const std::optional<std::set<std::int64_t>>& ifMatch);
    /// project.in_use once a submitted application uses it (ProjectRepository::lock),
    /// request.precondition_failed as for update().
    void remove(const Viewer& viewer, const std::string& id,
                const std::optional<std::set<std::int64_t>>& ifMatch);

    /// The project as the API shows it: its content plus id, organization_id, version,
    /// created_at/by, updated_at/by and locked_at (null until a submission locks it).
    static std::string toJson(const storage::ProjectRow& row);
    /// A list entry: the same without the content beyond name and keywords.
    static std::string summaryJson(const storage::ProjectRow& row);

    /// What an application's submission (issue 12) must still require of the project,
    /// beyond what a save already enforces: 项目简介 is marked required in seed 000's full
    /// form, which opens only after a first save of name and keywords, so a project is saved
    /// without it. Empty when complete.
    static std::vector<FieldProblem> submissionProblems(const storage::ProjectRow& row,
                                                        const std::string& pathPrefix);

  private:
    /// Parses and validates the body into content (keywords trimmed, CRLF as LF in multi-line
    /// text) and the canonical JSON stored; throws ValidationError.
    ProjectContent parseAndValidate(const Viewer& viewer, const std::string& json);
    /// The field problems of documents missing from the organization (deleted meanwhile).
    static void throwMissing(const ProjectContent& content,
                             const std::vector<std::string>& missing);

    storage::ProjectRepository& rows_;
    DocumentService& documents_;
    AuditLog& audit_;
    const Clock& clock_;
    const IdGenerator& ids_;
    /// The values of templates/lists/ip-right-categories.json, read at first use (the
    /// renders read their lists the same way); render.template (500) when unreadable.
    const std::set<std::string>& categories();

    std::string templatesDir_;
    std::mutex categoriesMutex_;
    std::set<std::string> categories_;  // guarded by categoriesMutex_; empty until read
};

}  // namespace dossier::filing

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// One row of `projects` (申报主体, migration 11).
struct ProjectRow {
    std::string id;
    std::string organizationId;
    std::string name;
    std::string keywordsJson = "[]";  // the keywords as a JSON array of strings
    std::string contentJson = "{}";   // the whole project as the client sees it
    std::int64_t version = 1;         // raised by every save
    std::int64_t createdAtMicros = 0;
    std::string createdBy;
    std::int64_t updatedAtMicros = 0;
    std::string updatedBy;
    std::int64_t lockedAtMicros = 0;  // 0: no submitted application uses it
};

/// A page of an organization's projects, newest first, without content_json.
struct ProjectPage {
    std::vector<ProjectRow> rows;
    std::uint64_t total = 0;
};

/// The rows of projects and the `document_uses` rows ("project:<id>") of their documents,
/// always written together with the save's audit row in one transaction. Thread-safe
/// (sessions from the pool). Every method throws storage.database when the database fails;
/// nothing is changed then.
class ProjectRepository {
  public:
    explicit ProjectRepository(Database& db) : db_(db) {}

    enum class Outcome {
        Saved,
        NotFound,          // no such project in this organization
        VersionMismatch,   // expectedVersion is not the current version
        DocumentsMissing,  // a document is gone (deleted meanwhile): see `missing`
        Locked,            // remove(): a submitted application uses the project
    };
    struct Result {
        Outcome outcome = Outcome::Saved;
        std::vector<std::string> missing;  // DocumentsMissing: the ids, in the order given
        ProjectRow row;                    // Saved: the row as stored
    };

    /// Inserts `row` (version 1), a document_uses row per id in `documentIds` and `audit`.
    /// Each document must be one of `row.organizationId` of a kind in `kinds`; the check runs
    /// in the transaction holding a key-share lock on each (PostgreSQL; SQLite's writer lock
    /// serializes), so a document deleted at the same time is either refused here or refused
    /// deletion (document.in_use), never both saved.
    Result insert(const ProjectRow& row, const std::vector<std::string>& documentIds,
                  const std::vector<std::string>& kinds, const AuditEntry& audit);
    /// Replaces name, keywords and content of the project if its version is still
    /// `expectedVersion` (raising it by one), its document_uses with `documentIds`, and
    /// writes `audit`; the same document rule as insert(). A locked project may be updated:
    /// applications keep the snapshot they were submitted with.
    Result update(const ProjectRow& row, std::int64_t expectedVersion,
                  const std::vector<std::string>& documentIds,
                  const std::vector<std::string>& kinds, const AuditEntry& audit);
    /// Deletes the project and its document_uses, with `audit`, if it is in `organizationId`,
    /// not locked (one conditional DELETE: a submission locking it at the same moment wins or
    /// loses as a whole) and, when `expectedVersion` is given, still at that version.
    Result remove(const std::string& id, const std::string& organizationId,
                  std::optional<std::int64_t> expectedVersion, const AuditEntry& audit);

    std::optional<ProjectRow> find(const std::string& id, const std::string& organizationId);
    /// `offset` rows skipped, at most `limit` returned; contentJson left empty.
    ProjectPage list(const std::string& organizationId, std::uint64_t offset, std::uint64_t limit);

    /// What the submission of an application (issue 12) does to the project it uses, inside
    /// its own transaction (see storage/src/ProjectRows.h, lockProjectForSubmission): sets
    /// locked_at_us once (a second lock keeps the first time) and returns the row as locked —
    /// the snapshot to keep. This stand-alone form runs it in a transaction of its own with
    /// `audit`. nullopt when there is no such project in the organization.
    std::optional<ProjectRow> lock(const std::string& id, const std::string& organizationId,
                                   std::int64_t atMicros, const AuditEntry& audit);

  private:
    Database& db_;
};

}  // namespace dossier::storage

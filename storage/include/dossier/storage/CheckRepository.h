#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dossier/core/ErrorCodes.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// A check job / result row.
struct CheckRow {
    std::string documentId;
    std::string checkName;
    std::string inputJson;  // parameters (declared code and name, expected seals)
    std::string state;      // pending | running | done | error
    int attempts = 0;
    std::string status;      // pass | warn | fail, when done or error
    std::string code;        // result code, when done or error
    std::string resultJson;  // the CheckResult JSON, when done or error
    std::int64_t updatedAtMicros = 0;
};

/// Evidence-check jobs and results, and OCR text. Jobs are claimed with a lease: a worker
/// that dies leaves its claim to expire and the check is run again by someone else.
/// On PostgreSQL the claim uses FOR UPDATE SKIP LOCKED so any node can work. Thread-safe.
class CheckRepository {
  public:
    explicit CheckRepository(Database& db) : db_(db) {}

    /// Claims the oldest pending check, or a running one whose lease (claimed before
    /// `staleBeforeMicros`) expired, that has had fewer than `maxAttempts` attempts; nullopt
    /// if none. In the same transaction, a check that used up its attempts without finishing
    /// (its worker died each time — say the file crashes the checker) is ended: state error,
    /// status fail, code check.abandoned. So no job is claimed forever, even across restarts.
    std::optional<CheckRow> claimNext(std::int64_t nowMicros, std::int64_t staleBeforeMicros,
                                      int maxAttempts);
    void complete(const CheckRow& row, const std::string& status, ErrorCode code,
                  const std::string& resultJson, std::int64_t nowMicros);
    /// A claimed check that failed: back to pending while it has had fewer than
    /// `maxAttempts` attempts (a transient failure), else ended as state error with status
    /// fail, `code` and `resultJson` (the failed result reviewers see). Pass 0 for a failure
    /// that another attempt cannot mend.
    void fail(const CheckRow& row, ErrorCode code, const std::string& resultJson, int maxAttempts,
              std::int64_t nowMicros);
    /// Returns running checks to pending (start-up of the only node using this database).
    std::uint64_t releaseAllClaims(std::int64_t nowMicros);
    std::vector<CheckRow> forDocument(const std::string& documentId);
    /// forDocument() of each of `documentIds` in one statement (a document without checks has
    /// no entry).
    std::map<std::string, std::vector<CheckRow>> forDocuments(
        const std::vector<std::string>& documentIds);
    std::uint64_t countPending();

    void saveText(const std::string& documentId, int page, const std::string& text);
    std::optional<std::string> text(const std::string& documentId, int page);

  private:
    Database& db_;
};

}  // namespace dossier::storage

#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

struct OrganizationRow {
    std::string id;
    std::string name;
    std::string creditCode;
    std::int64_t createdAtMicros = 0;
};

struct AccountRow {
    std::string id;
    std::string username;  // as registered; unique case-insensitively
    std::string phone;
    std::string displayName;
    std::string role;            // applicant | reviewer | operator
    std::string organizationId;  // empty for staff
    bool organizationAdmin = false;
    std::string passwordHash;
    int failedLogins = 0;
    std::int64_t lockedUntilMicros = 0;
    std::int64_t createdAtMicros = 0;
};

/// A live session and its account.
struct SessionRow {
    AccountRow account;
    std::int64_t expiresAtMicros = 0;
};

/// Organizations, accounts and login sessions. Thread-safe (sessions from the pool).
class AccountRepository {
  public:
    enum class CreateOutcome { Created, UsernameTaken, PhoneTaken, OrganizationTaken };

    explicit AccountRepository(Database& db) : db_(db) {}

    /// Inserts `organization` (when given: the account registers it and becomes its admin),
    /// the account and `audit` in one transaction, or nothing when a unique rule is already
    /// taken (checked in that order: username, phone, organization by credit code).
    CreateOutcome create(const AccountRow& account,
                         const std::optional<OrganizationRow>& organization,
                         const AuditEntry& audit);

    std::optional<AccountRow> findByUsername(const std::string& username);
    std::optional<AccountRow> findById(const std::string& id);
    std::optional<OrganizationRow> organization(const std::string& id);

    /// Counts a failed login; the `maxFailures`-th in a row locks the account until
    /// `lockUntilMicros` and restarts the count. `audit(locked)` gives the entry written in
    /// the same transaction. Returns true when this failure locked the account.
    bool recordFailedLogin(const std::string& accountId, int maxFailures,
                           std::int64_t lockUntilMicros,
                           const std::function<AuditEntry(bool locked)>& audit);

    struct NewSession {
        std::string accountId;
        std::string tokenSha256;      // the bearer token is never stored
        std::string newPasswordHash;  // non-empty: a re-hash at the configured cost
        std::int64_t createdMicros = 0;
        std::int64_t expiresMicros = 0;
    };
    /// A successful sign-in, in one transaction with `audit`: clears the failure count,
    /// stores a re-hash if given, removes the account's expired sessions, inserts the session.
    void openSession(const NewSession& session, const AuditEntry& audit);
    /// New password and `audit` in one transaction; every session of the account except
    /// `keepTokenSha256` ends.
    void changePassword(const std::string& accountId, const std::string& hash,
                        const std::string& keepTokenSha256, const AuditEntry& audit);

    std::uint64_t countSessions(const std::string& accountId);
    /// The account of a live session (not expired at `nowMicros`), and when it expires.
    std::optional<SessionRow> accountForSession(const std::string& tokenSha256,
                                                std::int64_t nowMicros);
    void deleteSession(const std::string& tokenSha256);
    /// Removes sessions that expired before `nowMicros`; returns how many.
    std::uint64_t purgeExpiredSessions(std::int64_t nowMicros);
    std::uint64_t countAccounts();

  private:
    Database& db_;
};

}  // namespace dossier::storage

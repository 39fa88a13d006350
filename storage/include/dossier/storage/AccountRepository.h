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
    std::string role;            // applicant | reviewer | operator | organizer | evaluator
    std::string organizationId;  // empty for staff and personal accounts
    /// Read from organizations.admin_account_id (migration 9); create() sets it.
    bool organizationAdmin = false;
    std::string passwordHash;
    int failedLogins = 0;
    std::int64_t lockedUntilMicros = 0;
    std::int64_t createdAtMicros = 0;
    std::int64_t credentialVersion = 0;  // raised by every password change
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

    /// Inserts the account and the entry `audit(adopted)` returns in one transaction, or
    /// nothing when a unique rule is already taken (checked in that order: username, phone,
    /// organization by credit code). With `organization` the account becomes its admin: the
    /// organization is inserted, or, when its credit code is that of an organization left
    /// without an admin (its admin deregistered), adopted — `organization` is then replaced
    /// by the stored row (`adopted` true). Sets account.organizationId/organizationAdmin.
    /// An organization with an admin is OrganizationTaken, also when a racing registration
    /// adopted it first.
    CreateOutcome create(AccountRow& account, std::optional<OrganizationRow>& organization,
                         const std::function<AuditEntry(bool adopted)>& audit);
    /// Records that the account submitted something (first time only): from then on it
    /// cannot deregister. A filing's submit sets the same column in its own transaction.
    /// Returns false, changing nothing, when there is no such account or it is deregistered.
    bool markSubmitted(const std::string& accountId, std::int64_t atMicros);

    std::optional<AccountRow> findByUsername(const std::string& username);
    std::optional<AccountRow> findById(const std::string& id);
    std::optional<OrganizationRow> organization(const std::string& id);

    /// The rule an attempt to prove a password is held to: `maxFailures` attempts in a row
    /// that do not prove it lock the account until `lockUntilMicros`.
    struct AttemptPolicy {
        int maxFailures = 5;
        std::int64_t nowMicros = 0;
        std::int64_t lockUntilMicros = 0;
    };
    /// An attempt counted before its password is checked (see reserveAttempt).
    struct Attempt {
        bool granted = false;  // false: the account is locked (or gone); check nothing
        /// This attempt was the `maxFailures`-th in a row: the account is locked from now on
        /// unless the attempt proves the password (settleProvenAttempt lifts the lock).
        bool locksAccount = false;
        std::int64_t lockedUntilMicros = 0;  // when refused or locking; 0 otherwise
        std::string passwordHash;            // the hash to check the attempt against
        std::int64_t credentialVersion = 0;  // read with passwordHash, in the same statement
    };
    /// Reserves one attempt for `accountId` in one statement that also checks the lock, before
    /// any password is hashed, so that however many attempts run at once, at most
    /// `maxFailures` are checked per lock period. An attempt counts as a failure until
    /// proven (openSession or changePassword reset the count); a node that dies mid-check
    /// leaves it counted. A refusal writes `refusalAudit()` in the same transaction. The
    /// same shape suits any other key a limit is kept on (a client address, say).
    Attempt reserveAttempt(const std::string& accountId, const AttemptPolicy& policy,
                           const std::function<AuditEntry()>& refusalAudit);

    /// An attempt that proved the password clears the failure count and any lock, when the
    /// password is still the one it was checked against (`credentialVersion`); false if it
    /// changed meanwhile. For confirmations (权限转让, 注销账号) whose action may then fail for
    /// another reason (a racing transfer won): a right password never counts as a failure.
    bool settleProvenAttempt(const std::string& accountId, std::int64_t credentialVersion);

    struct NewSession {
        std::string accountId;
        std::string tokenSha256;      // the bearer token is never stored
        std::string newPasswordHash;  // non-empty: a re-hash at the configured cost
        std::int64_t createdMicros = 0;
        std::int64_t expiresMicros = 0;
        std::int64_t credentialVersion = 0;  // Attempt::credentialVersion of the proven attempt
    };
    /// A successful sign-in, in one transaction with `audit`: clears the failure count and
    /// the lock, stores a re-hash if given, removes the account's expired sessions, inserts
    /// the session stamped with its credential version. Returns false (and changes nothing)
    /// when the password changed since the attempt read it.
    bool openSession(const NewSession& session, const AuditEntry& audit);
    /// New password, a raised credential version and `audit` in one transaction, if the
    /// version is still `expectedVersion` (else returns false and changes nothing); clears the
    /// failure count and the lock. Every session of the account except `keepTokenSha256` ends;
    /// that one is stamped with the new version.
    bool changePassword(const std::string& accountId, const std::string& hash,
                        std::int64_t expectedVersion, const std::string& keepTokenSha256,
                        const AuditEntry& audit);

    std::uint64_t countSessions(const std::string& accountId);
    /// The account of a live session (not expired at `nowMicros`, made with the account's
    /// current credential version), and when it expires.
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

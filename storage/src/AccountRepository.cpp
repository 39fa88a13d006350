#include "dossier/storage/AccountRepository.h"

#include <Poco/Data/Session.h>

#include "AuditRows.h"
#include "DatabaseImpl.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kAccountColumns =
    "a.id, a.username, a.phone, a.display_name, a.role, COALESCE(a.organization_id, ''), "
    "CASE WHEN EXISTS (SELECT 1 FROM organizations ao WHERE ao.admin_account_id = a.id) "
    "THEN 1 ELSE 0 END, a.password_hash, a.failed_logins, a.locked_until_us, a.created_at_us, "
    "a.credential_version";
constexpr std::string_view kUsernameTaken = "SELECT COUNT(*) FROM accounts WHERE username_key = ?";
constexpr std::string_view kPhoneTaken = "SELECT COUNT(*) FROM accounts WHERE phone = ?";
// An organization is taken when it has its admin; one left admin-less by its admin's
// deregistration is adopted by the next registration of its credit code.
constexpr std::string_view kOrganizationTaken =
    "SELECT COUNT(*) FROM organizations WHERE credit_code = ? AND admin_account_id IS NOT NULL";
// Locks the row to adopt first: racing adoptions then queue here instead of deadlocking
// (each one's account row holds a key-share lock on it that the other's UPDATE would wait for).
constexpr std::string_view kOrganizationByCode =
    "SELECT id, name, created_at_us, COALESCE(admin_account_id, '') FROM organizations "
    "WHERE credit_code = ?";
constexpr std::string_view kOrganizationByCodePg =
    "SELECT id, name, created_at_us, COALESCE(admin_account_id, '') FROM organizations "
    "WHERE credit_code = ? FOR UPDATE";
constexpr std::string_view kInsertOrganization =
    "INSERT INTO organizations (id, name, credit_code, created_at_us) VALUES (?, ?, ?, ?)";
constexpr std::string_view kInsertAccount =
    "INSERT INTO accounts (id, username, username_key, phone, display_name, role, "
    "organization_id, password_hash, failed_logins, locked_until_us, created_at_us) "
    "VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, 0, 0, ?)";
// After the account's row: the admin must be a member (migration 9).
constexpr std::string_view kBecomeAdmin =
    "UPDATE organizations SET admin_account_id = ? WHERE id = ? AND admin_account_id IS NULL";
// Never on a deregistered (anonymised) account: see FilingRepository's kFirstSubmission.
constexpr std::string_view kMarkSubmitted =
    "UPDATE accounts SET first_submission_us = COALESCE(first_submission_us, ?) "
    "WHERE id = ? AND deregistered_at_us IS NULL";
constexpr std::string_view kSelectOrganization =
    "SELECT name, credit_code, created_at_us FROM organizations WHERE id = ?";
// Checks the lock and counts the attempt in one statement (SET expressions read the row as
// it was): the attempt that makes `maxFailures` in a row locks the account and restarts the
// count. PostgreSQL re-checks the WHERE on the newest row after waiting for a concurrent
// update of it; SQLite runs it under BEGIN IMMEDIATE. Either way no two attempts read the
// same count.
constexpr std::string_view kReserveAttempt =
    "UPDATE accounts SET "
    "locked_until_us = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until_us END, "
    "failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END "
    "WHERE id = ? AND locked_until_us <= ? "
    "RETURNING failed_logins, locked_until_us, password_hash, credential_version";
constexpr std::string_view kLockedUntil = "SELECT locked_until_us FROM accounts WHERE id = ?";
// A proven attempt; the version condition refuses one whose password changed meanwhile (and
// on PostgreSQL holds the row, so a change waits for this session to commit, then ends it).
constexpr std::string_view kAttemptProven =
    "UPDATE accounts SET failed_logins = 0, locked_until_us = 0 "
    "WHERE id = ? AND credential_version = ?";
constexpr std::string_view kSetHash = "UPDATE accounts SET password_hash = ? WHERE id = ?";
constexpr std::string_view kNewPassword =
    "UPDATE accounts SET password_hash = ?, credential_version = credential_version + 1, "
    "failed_logins = 0, locked_until_us = 0 WHERE id = ? AND credential_version = ?";
constexpr std::string_view kDropOtherSessions =
    "DELETE FROM sessions WHERE account_id = ? AND token_sha256 <> ?";
constexpr std::string_view kRestampSession =
    "UPDATE sessions SET credential_version = ? WHERE token_sha256 = ? AND account_id = ?";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (token_sha256, account_id, created_at_us, expires_at_us, "
    "credential_version) VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_sha256 = ?";
constexpr std::string_view kPurgeSessions = "DELETE FROM sessions WHERE expires_at_us < ?";
constexpr std::string_view kPurgeAccountSessions =
    "DELETE FROM sessions WHERE account_id = ? AND expires_at_us <= ?";
constexpr std::string_view kCountAccounts = "SELECT COUNT(*) FROM accounts";
constexpr std::string_view kCountSessions = "SELECT COUNT(*) FROM sessions WHERE account_id = ?";

std::string lowerAscii(std::string s) {
    for (auto& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

Poco::Int64 countWhere(Database::Impl& db, Poco::Data::Session& session, std::string_view sql,
                       const std::string& value) {
    Poco::Int64 n = 0;
    std::string v = value;
    session << db.sql(sql), into(n), use(v), now;
    return n;
}

/// Which unique rule `account` (and the organization it registers) would break, if any.
AccountRepository::CreateOutcome conflictOf(Database::Impl& db, Poco::Data::Session& session,
                                            const AccountRow& account,
                                            const std::optional<OrganizationRow>& organization) {
    using Outcome = AccountRepository::CreateOutcome;
    if (countWhere(db, session, kUsernameTaken, lowerAscii(account.username)) > 0) {
        return Outcome::UsernameTaken;
    }
    if (countWhere(db, session, kPhoneTaken, account.phone) > 0) return Outcome::PhoneTaken;
    if (organization && countWhere(db, session, kOrganizationTaken, organization->creditCode) > 0) {
        return Outcome::OrganizationTaken;
    }
    return Outcome::Created;
}

/// Runs `select` (which must select kAccountColumns, then one more integer column when
/// `extra` is given) with one string parameter, then `nowMicros` when given.
std::optional<AccountRow> selectAccount(Database& database, const std::string& sqlText,
                                        const std::string& key, const Poco::Int64* nowMicros,
                                        const char* what, Poco::Int64* extra = nullptr) {
    auto& db = database.impl();
    try {
        auto session = db.session();
        AccountRow a;
        std::string k = key;
        int admin = 0;
        Poco::Int64 locked = 0, created = 0, version = 0;
        Poco::Int64 when = nowMicros ? *nowMicros : 0;
        Poco::Data::Statement select(session);
        select << db.sql(sqlText), into(a.id), into(a.username), into(a.phone), into(a.displayName),
            into(a.role), into(a.organizationId), into(admin), into(a.passwordHash),
            into(a.failedLogins), into(locked), into(created), into(version), use(k);
        if (nowMicros) select, use(when);
        if (extra) select, into(*extra);
        select, limit(1);
        if (select.execute() == 0) return std::nullopt;
        a.organizationAdmin = admin != 0;
        a.lockedUntilMicros = locked;
        a.createdAtMicros = created;
        a.credentialVersion = version;
        return a;
    } catch (...) {
        rethrowDatabaseError(what);
    }
}

}  // namespace

AccountRepository::CreateOutcome AccountRepository::create(
    AccountRow& account, std::optional<OrganizationRow>& organization,
    const std::function<AuditEntry(bool adopted)>& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        if (auto conflict = conflictOf(db, session, account, organization);
            conflict != CreateOutcome::Created) {
            return conflict;
        }
        bool adopted = false;
        if (organization) {
            std::string code = organization->creditCode, existingId, existingName, admin;
            Poco::Int64 existingCreated = 0;
            Poco::Data::Statement byCode(session);
            byCode << db.sql(db.dialect == Dialect::PostgreSQL ? kOrganizationByCodePg
                                                               : kOrganizationByCode),
                into(existingId), into(existingName), into(existingCreated), into(admin), use(code),
                limit(1);
            if (byCode.execute() > 0) {
                // Adopted by a registration that committed while this one waited for the lock.
                if (!admin.empty()) return CreateOutcome::OrganizationTaken;
                // Admin-less (conflictOf saw no admin): the new account adopts it as it is.
                adopted = true;
                organization->id = existingId;
                organization->name = existingName;
                organization->createdAtMicros = existingCreated;
            } else {
                std::string id = organization->id, name = organization->name;
                Poco::Int64 created = organization->createdAtMicros;
                session << db.sql(kInsertOrganization), use(id), use(name), use(code), use(created),
                    now;
            }
            account.organizationId = organization->id;
            account.organizationAdmin = true;
        }
        std::string id = account.id, username = account.username,
                    key = lowerAscii(account.username), phone = account.phone,
                    display = account.displayName, role = account.role,
                    org = account.organizationId, hash = account.passwordHash;
        Poco::Int64 created = account.createdAtMicros;
        session << db.sql(kInsertAccount), use(id), use(username), use(key), use(phone),
            use(display), use(role), use(org), use(hash), use(created), now;
        if (organization) {
            std::string admin = account.id, orgId = organization->id;
            Poco::Data::Statement become(session);
            become << db.sql(kBecomeAdmin), use(admin), use(orgId);
            // A racing registration adopted it first (PostgreSQL re-checks the condition
            // after waiting for that one's commit).
            if (become.execute() == 0) return CreateOutcome::OrganizationTaken;
        }
        insertAuditRow(db, session, audit(adopted));
        tx.commit();
        return CreateOutcome::Created;
    } catch (...) {
        // A concurrent registration may have taken a unique value between our check and our
        // insert: report that rule, not a database failure.
        try {
            auto session = db.session();
            auto conflict = conflictOf(db, session, account, organization);
            if (conflict != CreateOutcome::Created) return conflict;
        } catch (...) {
        }
        rethrowDatabaseError("create account");
    }
}

bool AccountRepository::markSubmitted(const std::string& accountId, std::int64_t atMicros) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string id = accountId;
        Poco::Int64 at = atMicros;
        Poco::Data::Statement mark(session);
        mark << db.sql(kMarkSubmitted), use(at), use(id);
        return mark.execute() != 0;
    } catch (...) {
        rethrowDatabaseError("mark account submitted");
    }
}

std::optional<AccountRow> AccountRepository::findByUsername(const std::string& username) {
    return selectAccount(
        db_, "SELECT " + std::string(kAccountColumns) + " FROM accounts a WHERE a.username_key = ?",
        lowerAscii(username), nullptr, "find account");
}

std::optional<AccountRow> AccountRepository::findById(const std::string& id) {
    return selectAccount(
        db_, "SELECT " + std::string(kAccountColumns) + " FROM accounts a WHERE a.id = ?", id,
        nullptr, "find account");
}

std::optional<SessionRow> AccountRepository::accountForSession(const std::string& tokenSha256,
                                                               std::int64_t nowMicros) {
    Poco::Int64 when = nowMicros, expires = 0;
    auto account = selectAccount(db_,
                                 "SELECT " + std::string(kAccountColumns) +
                                     ", s.expires_at_us"
                                     " FROM sessions s JOIN accounts a ON a.id = s.account_id"
                                     " WHERE s.token_sha256 = ? AND s.expires_at_us > ?"
                                     " AND s.credential_version = a.credential_version",
                                 tokenSha256, &when, "find session", &expires);
    if (!account) return std::nullopt;
    return SessionRow{std::move(*account), expires};
}

std::optional<OrganizationRow> AccountRepository::organization(const std::string& id) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        OrganizationRow o;
        o.id = id;
        std::string key = id;
        Poco::Int64 created = 0;
        Poco::Data::Statement select(session);
        select << db.sql(kSelectOrganization), into(o.name), into(o.creditCode), into(created),
            use(key), limit(1);
        if (select.execute() == 0) return std::nullopt;
        o.createdAtMicros = created;
        return o;
    } catch (...) {
        rethrowDatabaseError("find organization");
    }
}

AccountRepository::Attempt AccountRepository::reserveAttempt(
    const std::string& accountId, const AttemptPolicy& policy,
    const std::function<AuditEntry()>& refusalAudit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string id = accountId;
        int max1 = policy.maxFailures, max2 = policy.maxFailures;
        Poco::Int64 until = policy.lockUntilMicros, now1 = policy.nowMicros;
        std::vector<int> failures;
        std::vector<Poco::Int64> locked, versions;
        std::vector<std::string> hashes;
        session << db.sql(kReserveAttempt), use(max1), use(until), use(max2), use(id), use(now1),
            into(failures), into(locked), into(hashes), into(versions), now;
        Attempt attempt;
        if (failures.empty()) {
            std::vector<Poco::Int64> lockedUntil;
            session << db.sql(kLockedUntil), use(id), into(lockedUntil), now;
            attempt.lockedUntilMicros = lockedUntil.empty() ? 0 : lockedUntil[0];
            insertAuditRow(db, session, refusalAudit());
        } else {
            attempt.granted = true;
            attempt.locksAccount = failures[0] == 0 && locked[0] == policy.lockUntilMicros;
            if (attempt.locksAccount) attempt.lockedUntilMicros = locked[0];
            attempt.passwordHash = hashes[0];
            attempt.credentialVersion = versions[0];
        }
        tx.commit();
        return attempt;
    } catch (...) {
        rethrowDatabaseError("reserve sign-in attempt");
    }
}

bool AccountRepository::settleProvenAttempt(const std::string& accountId,
                                            std::int64_t credentialVersion) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string id = accountId;
        Poco::Int64 version = credentialVersion;
        Poco::Data::Statement proven(session);
        proven << db.sql(kAttemptProven), use(id), use(version);
        return proven.execute() > 0;
    } catch (...) {
        rethrowDatabaseError("settle a proven attempt");
    }
}

bool AccountRepository::openSession(const NewSession& s, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string id = s.accountId, id2 = s.accountId, id3 = s.accountId, id4 = s.accountId;
        std::string hash = s.newPasswordHash, token = s.tokenSha256;
        Poco::Int64 created = s.createdMicros, expires = s.expiresMicros, now1 = s.createdMicros;
        Poco::Int64 version = s.credentialVersion, version2 = s.credentialVersion;
        Poco::Data::Statement proven(session);
        proven << db.sql(kAttemptProven), use(id), use(version);
        if (proven.execute() == 0) return false;  // rolled back: nothing changed
        if (!s.newPasswordHash.empty()) session << db.sql(kSetHash), use(hash), use(id2), now;
        // The account's expired sessions go when it signs in again (and all at start-up).
        session << db.sql(kPurgeAccountSessions), use(id3), use(now1), now;
        session << db.sql(kInsertSession), use(token), use(id4), use(created), use(expires),
            use(version2), now;
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("create session");
    }
}

bool AccountRepository::changePassword(const std::string& accountId, const std::string& hash,
                                       std::int64_t expectedVersion,
                                       const std::string& keepTokenSha256,
                                       const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string id = accountId, h = hash, id2 = accountId, keep = keepTokenSha256,
                    id3 = accountId, keep2 = keepTokenSha256;
        Poco::Int64 expected = expectedVersion, next = expectedVersion + 1;
        Poco::Data::Statement change(session);
        change << db.sql(kNewPassword), use(h), use(id), use(expected);
        if (change.execute() == 0) return false;  // rolled back: nothing changed
        session << db.sql(kDropOtherSessions), use(id2), use(keep), now;
        session << db.sql(kRestampSession), use(next), use(keep2), use(id3), now;
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("change password");
    }
}

void AccountRepository::deleteSession(const std::string& tokenSha256) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string token = tokenSha256;
        session << db.sql(kDeleteSession), use(token), now;
    } catch (...) {
        rethrowDatabaseError("delete session");
    }
}

std::uint64_t AccountRepository::purgeExpiredSessions(std::int64_t nowMicros) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        Poco::Int64 when = nowMicros;
        Poco::Data::Statement purge(session);
        purge << db.sql(kPurgeSessions), use(when);
        return purge.execute();
    } catch (...) {
        rethrowDatabaseError("purge sessions");
    }
}

std::uint64_t AccountRepository::countSessions(const std::string& accountId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        return static_cast<std::uint64_t>(countWhere(db, session, kCountSessions, accountId));
    } catch (...) {
        rethrowDatabaseError("count sessions");
    }
}

std::uint64_t AccountRepository::countAccounts() {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        Poco::Int64 n = 0;
        session << db.sql(kCountAccounts), into(n), now;
        return static_cast<std::uint64_t>(n);
    } catch (...) {
        rethrowDatabaseError("count accounts");
    }
}

}  // namespace dossier::storage

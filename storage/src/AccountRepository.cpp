#include "dossier/storage/AccountRepository.h"

#include <Poco/Data/Session.h>

#include "AuditRows.h"
#include "DatabaseImpl.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kAccountColumns =
    "a.id, a.username, a.phone, a.display_name, a.role, COALESCE(a.organization_id, ''), "
    "a.org_admin, a.password_hash, a.failed_logins, a.locked_until_us, a.created_at_us";
constexpr std::string_view kUsernameTaken = "SELECT COUNT(*) FROM accounts WHERE username_key = ?";
constexpr std::string_view kPhoneTaken = "SELECT COUNT(*) FROM accounts WHERE phone = ?";
constexpr std::string_view kOrganizationTaken =
    "SELECT COUNT(*) FROM organizations WHERE credit_code = ?";
constexpr std::string_view kInsertOrganization =
    "INSERT INTO organizations (id, name, credit_code, created_at_us) VALUES (?, ?, ?, ?)";
constexpr std::string_view kInsertAccount =
    "INSERT INTO accounts (id, username, username_key, phone, display_name, role, "
    "organization_id, org_admin, password_hash, failed_logins, locked_until_us, created_at_us) "
    "VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, 0, 0, ?)";
constexpr std::string_view kSelectOrganization =
    "SELECT name, credit_code, created_at_us FROM organizations WHERE id = ?";
constexpr std::string_view kFailedLogin =
    "UPDATE accounts SET "
    "locked_until_us = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until_us END, "
    "failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END "
    "WHERE id = ? RETURNING failed_logins, locked_until_us";
constexpr std::string_view kLoginOk = "UPDATE accounts SET failed_logins = 0 WHERE id = ?";
constexpr std::string_view kSetHash = "UPDATE accounts SET password_hash = ? WHERE id = ?";
constexpr std::string_view kDropOtherSessions =
    "DELETE FROM sessions WHERE account_id = ? AND token_sha256 <> ?";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (token_sha256, account_id, created_at_us, expires_at_us) "
    "VALUES (?, ?, ?, ?)";
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
        Poco::Int64 locked = 0, created = 0;
        Poco::Int64 when = nowMicros ? *nowMicros : 0;
        Poco::Data::Statement select(session);
        select << db.sql(sqlText), into(a.id), into(a.username), into(a.phone), into(a.displayName),
            into(a.role), into(a.organizationId), into(admin), into(a.passwordHash),
            into(a.failedLogins), into(locked), into(created), use(k);
        if (nowMicros) select, use(when);
        if (extra) select, into(*extra);
        select, limit(1);
        if (select.execute() == 0) return std::nullopt;
        a.organizationAdmin = admin != 0;
        a.lockedUntilMicros = locked;
        a.createdAtMicros = created;
        return a;
    } catch (...) {
        rethrowDatabaseError(what);
    }
}

}  // namespace

AccountRepository::CreateOutcome AccountRepository::create(
    const AccountRow& account, const std::optional<OrganizationRow>& organization,
    const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        if (auto conflict = conflictOf(db, session, account, organization);
            conflict != CreateOutcome::Created) {
            return conflict;
        }
        if (organization) {
            std::string id = organization->id, name = organization->name,
                        code = organization->creditCode;
            Poco::Int64 created = organization->createdAtMicros;
            session << db.sql(kInsertOrganization), use(id), use(name), use(code), use(created),
                now;
        }
        std::string id = account.id, username = account.username,
                    key = lowerAscii(account.username), phone = account.phone,
                    display = account.displayName, role = account.role,
                    org = account.organizationId, hash = account.passwordHash;
        int admin = account.organizationAdmin ? 1 : 0;
        Poco::Int64 created = account.createdAtMicros;
        session << db.sql(kInsertAccount), use(id), use(username), use(key), use(phone),
            use(display), use(role), use(org), use(admin), use(hash), use(created), now;
        insertAuditRow(db, session, audit);
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
                                     " WHERE s.token_sha256 = ? AND s.expires_at_us > ?",
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

bool AccountRepository::recordFailedLogin(const std::string& accountId, int maxFailures,
                                          std::int64_t lockUntilMicros,
                                          const std::function<AuditEntry(bool locked)>& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string id = accountId;
        int max1 = maxFailures, max2 = maxFailures;
        Poco::Int64 until = lockUntilMicros;
        std::vector<int> failures;
        std::vector<Poco::Int64> locked;
        session << db.sql(kFailedLogin), use(max1), use(until), use(max2), use(id), into(failures),
            into(locked), now;
        bool lockedNow = !failures.empty() && failures[0] == 0 && locked[0] == lockUntilMicros;
        insertAuditRow(db, session, audit(lockedNow));
        tx.commit();
        return lockedNow;
    } catch (...) {
        rethrowDatabaseError("record failed login");
    }
}

void AccountRepository::openSession(const NewSession& s, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string id = s.accountId, id2 = s.accountId, id3 = s.accountId, id4 = s.accountId;
        std::string hash = s.newPasswordHash, token = s.tokenSha256;
        Poco::Int64 created = s.createdMicros, expires = s.expiresMicros, now1 = s.createdMicros;
        session << db.sql(kLoginOk), use(id), now;
        if (!s.newPasswordHash.empty()) session << db.sql(kSetHash), use(hash), use(id2), now;
        // The account's expired sessions go when it signs in again (and all at start-up).
        session << db.sql(kPurgeAccountSessions), use(id3), use(now1), now;
        session << db.sql(kInsertSession), use(token), use(id4), use(created), use(expires), now;
        insertAuditRow(db, session, audit);
        tx.commit();
    } catch (...) {
        rethrowDatabaseError("create session");
    }
}

void AccountRepository::changePassword(const std::string& accountId, const std::string& hash,
                                       const std::string& keepTokenSha256,
                                       const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string id = accountId, h = hash, id2 = accountId, keep = keepTokenSha256;
        session << db.sql(kSetHash), use(h), use(id), now;
        session << db.sql(kDropOtherSessions), use(id2), use(keep), now;
        insertAuditRow(db, session, audit);
        tx.commit();
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

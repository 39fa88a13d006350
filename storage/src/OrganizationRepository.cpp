#include "dossier/storage/OrganizationRepository.h"

#include <Poco/Data/Session.h>

#include "AuditRows.h"
#include "DatabaseImpl.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

// The same expression as the index organizations_name_key (migration 9), so it is used.
constexpr std::string_view kByNameKey =
    "SELECT id, CASE WHEN admin_account_id IS NULL THEN 0 ELSE 1 END FROM organizations "
    "WHERE REPLACE(REPLACE(TRIM(name), '（', '('), '）', ')') = ? ORDER BY created_at_us, id";
constexpr std::string_view kByCreditCode =
    "SELECT id, CASE WHEN admin_account_id IS NULL THEN 0 ELSE 1 END FROM organizations "
    "WHERE credit_code = ?";
constexpr std::string_view kFind =
    "SELECT o.name, o.credit_code, COALESCE(o.admin_account_id, ''), o.created_at_us, "
    "(SELECT COUNT(*) FROM accounts a WHERE a.organization_id = o.id) "
    "FROM organizations o WHERE o.id = ?";
constexpr std::string_view kMembers =
    "SELECT a.id, a.username, a.display_name, "
    "CASE WHEN o.admin_account_id = a.id THEN 1 ELSE 0 END, a.created_at_us "
    "FROM accounts a JOIN organizations o ON o.id = a.organization_id "
    "WHERE a.organization_id = ? "
    "ORDER BY CASE WHEN o.admin_account_id = a.id THEN 0 ELSE 1 END, a.username_key";
// Taken first by every change of an organization's members or admin (see the class comment).
constexpr std::string_view kLockOrganization =
    "SELECT COALESCE(admin_account_id, '') FROM organizations WHERE id = ?";
constexpr std::string_view kLockOrganizationPg =
    "SELECT COALESCE(admin_account_id, '') FROM organizations WHERE id = ? FOR UPDATE";
constexpr std::string_view kAccountState =
    "SELECT COALESCE(organization_id, ''), "
    "CASE WHEN deregistered_at_us IS NULL THEN 0 ELSE 1 END, "
    "CASE WHEN first_submission_us IS NULL THEN 0 ELSE 1 END, credential_version "
    "FROM accounts WHERE id = ?";
// The account's row locked until the join request commits (PostgreSQL; SQLite's writer lock
// serializes), taken after the organization's, the order of approvals: a deregistration
// (which cancels the account's pending requests) then runs wholly before or after it.
constexpr std::string_view kAccountStatePg =
    "SELECT COALESCE(organization_id, ''), "
    "CASE WHEN deregistered_at_us IS NULL THEN 0 ELSE 1 END, "
    "CASE WHEN first_submission_us IS NULL THEN 0 ELSE 1 END, credential_version "
    "FROM accounts WHERE id = ? FOR UPDATE";
constexpr std::string_view kPendingOf =
    "SELECT COUNT(*) FROM join_requests WHERE account_id = ? AND state = 'pending'";
constexpr std::string_view kInsertJoinRequest =
    "INSERT INTO join_requests (id, organization_id, account_id, state, created_at_us) "
    "VALUES (?, ?, ?, 'pending', ?)";
constexpr std::string_view kJoinRequestColumns =
    "SELECT r.id, r.organization_id, r.account_id, a.username, a.display_name, r.state, "
    "r.created_at_us, COALESCE(r.decided_at_us, 0), COALESCE(r.decided_by, '') "
    "FROM join_requests r JOIN accounts a ON a.id = r.account_id ";
// Joins only an account that still belongs to no organization: of two approvals of one
// account, the second finds organization_id set (PostgreSQL re-checks the condition after
// waiting for the first's commit) and changes nothing.
constexpr std::string_view kJoin =
    "UPDATE accounts SET organization_id = ? "
    "WHERE id = ? AND organization_id IS NULL AND deregistered_at_us IS NULL";
constexpr std::string_view kDecide =
    "UPDATE join_requests SET state = ?, decided_at_us = ?, decided_by = ? "
    "WHERE id = ? AND state = 'pending'";
constexpr std::string_view kLeave =
    "UPDATE accounts SET organization_id = NULL WHERE id = ? AND organization_id = ?";
constexpr std::string_view kSettleAttempt =
    "UPDATE accounts SET failed_logins = 0, locked_until_us = 0 "
    "WHERE id = ? AND credential_version = ?";
constexpr std::string_view kIsMember =
    "SELECT COUNT(*) FROM accounts WHERE id = ? AND organization_id = ?";
constexpr std::string_view kTransfer =
    "UPDATE organizations SET admin_account_id = ? WHERE id = ? AND admin_account_id = ?";
constexpr std::string_view kOtherMembers =
    "SELECT COUNT(*) FROM accounts WHERE organization_id = ? AND id <> ?";
constexpr std::string_view kDropAdmin =
    "UPDATE organizations SET admin_account_id = NULL WHERE id = ? AND admin_account_id = ?";
// The one statement that decides a deregistration: refused (no row) once the account has
// submitted, whatever commits in between.
constexpr std::string_view kAnonymise =
    "UPDATE accounts SET username = ?, username_key = ?, phone = ?, display_name = '', "
    "password_hash = '', organization_id = NULL, deregistered_at_us = ?, "
    "credential_version = credential_version + 1, failed_logins = 0, locked_until_us = 0 "
    "WHERE id = ? AND first_submission_us IS NULL AND deregistered_at_us IS NULL "
    "AND credential_version = ? AND COALESCE(organization_id, '') = ?";
constexpr std::string_view kCancelRequests =
    "UPDATE join_requests SET state = 'cancelled', decided_at_us = ? "
    "WHERE account_id = ? AND state = 'pending'";
constexpr std::string_view kEndSessions = "DELETE FROM sessions WHERE account_id = ?";

struct AccountState {
    std::string organizationId;
    bool deregistered = false;
    bool submitted = false;
    std::int64_t credentialVersion = 0;
};

/// `lock`: FOR UPDATE on PostgreSQL.
std::optional<AccountState> accountState(Database::Impl& db, Poco::Data::Session& session,
                                         const std::string& accountId, bool lock = false) {
    std::string id = accountId;
    std::vector<std::string> orgs;
    std::vector<int> deregistered, submitted;
    std::vector<Poco::Int64> versions;
    session << db.sql(lock && db.dialect == Dialect::PostgreSQL ? kAccountStatePg : kAccountState),
        into(orgs), into(deregistered), into(submitted), into(versions), use(id), now;
    if (orgs.empty()) return std::nullopt;
    return AccountState{orgs[0], deregistered[0] != 0, submitted[0] != 0, versions[0]};
}

/// Locks the organization's row until the transaction ends; returns its admin ("" for none),
/// or nullopt when there is no such organization.
std::optional<std::string> lockOrganization(Database::Impl& db, Poco::Data::Session& session,
                                            const std::string& organizationId) {
    std::string id = organizationId;
    std::vector<std::string> admin;
    session << db.sql(db.dialect == Dialect::PostgreSQL ? kLockOrganizationPg : kLockOrganization),
        into(admin), use(id), now;
    if (admin.empty()) return std::nullopt;
    return admin[0];
}

Poco::Int64 count(Database::Impl& db, Poco::Data::Session& session, std::string_view sql,
                  const std::string& a, const std::string& b = {}) {
    Poco::Int64 n = 0;
    std::string x = a, y = b;
    if (b.empty()) {
        session << db.sql(sql), into(n), use(x), now;
    } else {
        session << db.sql(sql), into(n), use(x), use(y), now;
    }
    return n;
}

std::size_t execute(Database::Impl& db, Poco::Data::Session& session, std::string_view sql,
                    std::vector<std::string> params) {
    Poco::Data::Statement statement(session);
    statement << db.sql(sql);
    for (auto& p : params) statement, use(p);
    return statement.execute();
}

std::vector<LookupMatch> matches(Database& database, std::string_view sql, const std::string& key) {
    auto& db = database.impl();
    try {
        auto session = db.session();
        std::string k = key;
        std::vector<std::string> ids;
        std::vector<int> admins;
        session << db.sql(sql), into(ids), into(admins), use(k), now;
        std::vector<LookupMatch> out;
        for (std::size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], admins[i] != 0});
        return out;
    } catch (...) {
        rethrowDatabaseError("look organizations up");
    }
}

std::vector<JoinRequestRow> selectRequests(Database::Impl& db, Poco::Data::Session& session,
                                           const std::string& where,
                                           std::vector<std::string> params, int limit) {
    std::vector<std::string> ids, orgs, accounts, usernames, names, states, deciders;
    std::vector<Poco::Int64> created, decided;
    Poco::Int64 max = limit;
    Poco::Data::Statement select(session);
    select << db.sql(std::string(kJoinRequestColumns) + where + " LIMIT ?"), into(ids), into(orgs),
        into(accounts), into(usernames), into(names), into(states), into(created), into(decided),
        into(deciders);
    for (auto& p : params) select, use(p);
    select, use(max);
    select.execute();
    std::vector<JoinRequestRow> out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        out.push_back({ids[i], orgs[i], accounts[i], usernames[i], names[i], states[i], created[i],
                       decided[i], deciders[i]});
    }
    return out;
}

}  // namespace

std::vector<LookupMatch> OrganizationRepository::findByCreditCode(const std::string& creditCode) {
    return matches(db_, kByCreditCode, creditCode);
}

std::vector<LookupMatch> OrganizationRepository::findByNameKey(const std::string& nameKey) {
    return matches(db_, kByNameKey, nameKey);
}

std::optional<OrganizationSummary> OrganizationRepository::find(const std::string& organizationId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        OrganizationSummary o;
        o.id = organizationId;
        std::string id = organizationId;
        Poco::Int64 created = 0, members = 0;
        Poco::Data::Statement select(session);
        select << db.sql(kFind), into(o.name), into(o.creditCode), into(o.adminAccountId),
            into(created), into(members), use(id), limit(1);
        if (select.execute() == 0) return std::nullopt;
        o.createdAtMicros = created;
        o.memberCount = static_cast<std::uint64_t>(members);
        return o;
    } catch (...) {
        rethrowDatabaseError("find organization");
    }
}

std::vector<MemberRow> OrganizationRepository::members(const std::string& organizationId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string id = organizationId;
        std::vector<std::string> ids, usernames, names;
        std::vector<int> admins;
        std::vector<Poco::Int64> created;
        session << db.sql(kMembers), into(ids), into(usernames), into(names), into(admins),
            into(created), use(id), now;
        std::vector<MemberRow> out;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            out.push_back({ids[i], usernames[i], names[i], admins[i] != 0, created[i]});
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("list members");
    }
}

OrganizationRepository::JoinOutcome OrganizationRepository::requestJoin(
    const JoinRequestRow& request, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        auto admin = lockOrganization(db, session, request.organizationId);
        auto account = accountState(db, session, request.accountId, true);
        // What happened to the account first: its session was authenticated before it went.
        if (!account || account->deregistered) return JoinOutcome::AccountDeregistered;
        if (!account->organizationId.empty()) return JoinOutcome::AlreadyMember;
        if (!admin || admin->empty()) return JoinOutcome::OrganizationNotFound;
        std::string orgId = request.organizationId;
        if (count(db, session, kPendingOf, request.accountId) > 0) {
            return JoinOutcome::AlreadyPending;
        }
        std::string id = request.id, accountId = request.accountId;
        Poco::Int64 created = request.createdAtMicros;
        session << db.sql(kInsertJoinRequest), use(id), use(orgId), use(accountId), use(created),
            now;
        insertAuditRow(db, session, audit);
        tx.commit();
        return JoinOutcome::Created;
    } catch (...) {
        // A racing request of the same account took the pending place (unique index).
        try {
            auto session = db.session();
            if (count(db, session, kPendingOf, request.accountId) > 0) {
                return JoinOutcome::AlreadyPending;
            }
        } catch (...) {
        }
        rethrowDatabaseError("request to join");
    }
}

std::vector<JoinRequestRow> OrganizationRepository::joinRequests(const std::string& organizationId,
                                                                 const std::string& state,
                                                                 int limit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        if (state.empty()) {
            return selectRequests(db, session,
                                  "WHERE r.organization_id = ? ORDER BY r.created_at_us, r.id",
                                  {organizationId}, limit);
        }
        return selectRequests(db, session,
                              "WHERE r.organization_id = ? AND r.state = ? "
                              "ORDER BY r.created_at_us, r.id",
                              {organizationId, state}, limit);
    } catch (...) {
        rethrowDatabaseError("list join requests");
    }
}

OrganizationRepository::Decision OrganizationRepository::decideJoinRequest(
    const std::string& organizationId, const std::string& requestId, const std::string& adminId,
    bool approve, std::int64_t nowMicros,
    const std::function<AuditEntry(const JoinRequestRow&)>& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Decision d;
        auto admin = lockOrganization(db, session, organizationId);
        if (!admin || *admin != adminId) return {DecisionOutcome::NotAdmin, {}};
        auto found = selectRequests(db, session, "WHERE r.id = ? AND r.organization_id = ?",
                                    {requestId, organizationId}, 1);
        if (found.empty()) return {DecisionOutcome::RequestNotFound, {}};
        d.request = found[0];
        if (d.request.state != "pending") {
            d.outcome = DecisionOutcome::NotPending;
            return d;
        }
        if (approve && execute(db, session, kJoin, {organizationId, d.request.accountId}) == 0) {
            auto account = accountState(db, session, d.request.accountId);
            d.outcome = (!account || account->deregistered) ? DecisionOutcome::NotPending
                                                            : DecisionOutcome::AlreadyMember;
            return d;  // rolled back
        }
        std::string state = approve ? "approved" : "refused", by = adminId, id = requestId;
        Poco::Int64 at = nowMicros;
        Poco::Data::Statement decide(session);
        decide << db.sql(kDecide), use(state), use(at), use(by), use(id);
        if (decide.execute() == 0) {
            d.outcome = DecisionOutcome::NotPending;
            return d;
        }
        insertAuditRow(db, session, audit(d.request));
        tx.commit();
        return d;
    } catch (...) {
        rethrowDatabaseError("decide join request");
    }
}

OrganizationRepository::ChangeOutcome OrganizationRepository::removeMember(
    const std::string& organizationId, const std::string& adminId, const std::string& memberId,
    const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        auto admin = lockOrganization(db, session, organizationId);
        if (!admin || *admin != adminId) return ChangeOutcome::NotAdmin;
        if (memberId == adminId) return ChangeOutcome::IsAdmin;
        if (execute(db, session, kLeave, {memberId, organizationId}) == 0) {
            return ChangeOutcome::NotMember;
        }
        insertAuditRow(db, session, audit);
        tx.commit();
        return ChangeOutcome::Done;
    } catch (...) {
        rethrowDatabaseError("remove member");
    }
}

OrganizationRepository::ChangeOutcome OrganizationRepository::transferAdmin(
    const std::string& organizationId, const std::string& fromId, const std::string& toId,
    std::int64_t fromCredentialVersion, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        auto admin = lockOrganization(db, session, organizationId);
        if (!admin || *admin != fromId) return ChangeOutcome::NotAdmin;
        if (toId == fromId) return ChangeOutcome::IsAdmin;
        {
            std::string id = fromId;
            Poco::Int64 version = fromCredentialVersion;
            Poco::Data::Statement settle(session);
            settle << db.sql(kSettleAttempt), use(id), use(version);
            if (settle.execute() == 0) return ChangeOutcome::PasswordChanged;
        }
        if (count(db, session, kIsMember, toId, organizationId) == 0) {
            return ChangeOutcome::NotMember;
        }
        // The organization's row is locked, so this cannot miss; the condition keeps the
        // statement correct on its own.
        if (execute(db, session, kTransfer, {toId, organizationId, fromId}) == 0) {
            return ChangeOutcome::NotAdmin;
        }
        insertAuditRow(db, session, audit);
        tx.commit();
        return ChangeOutcome::Done;
    } catch (...) {
        rethrowDatabaseError("transfer admin");
    }
}

OrganizationRepository::Deregistration OrganizationRepository::deregister(
    const std::string& accountId, std::int64_t credentialVersion, const std::string& tombstone,
    std::int64_t nowMicros, const std::function<AuditEntry(const Deregistration&)>& audit) {
    auto& db = db_.impl();
    try {
        // An account approved into an organization between our read and our UPDATE makes the
        // UPDATE miss: then it is done again, now as that organization's member.
        for (int round = 0;; ++round) {
            auto session = db.session();
            SqlTransaction tx(db, session);
            Deregistration d;
            auto account = accountState(db, session, accountId);
            if (!account || account->deregistered) return {DeregisterOutcome::Gone, {}, false};
            if (account->submitted) return {DeregisterOutcome::HasHistory, {}, false};
            if (account->credentialVersion != credentialVersion) {
                return {DeregisterOutcome::PasswordChanged, {}, false};
            }
            d.organizationId = account->organizationId;
            if (!d.organizationId.empty()) {
                auto admin = lockOrganization(db, session, d.organizationId);
                if (admin && *admin == accountId) {
                    if (count(db, session, kOtherMembers, d.organizationId, accountId) > 0) {
                        return {DeregisterOutcome::AdminHasMembers, d.organizationId, true};
                    }
                    // The organization stays, admin-less, with its documents and filing; the
                    // next registration of its credit code adopts it.
                    execute(db, session, kDropAdmin, {d.organizationId, accountId});
                    d.wasAdmin = true;
                }
            }
            std::string user = tombstone, key = tombstone, phone = tombstone, id = accountId,
                        org = d.organizationId;
            Poco::Int64 at = nowMicros, version = credentialVersion;
            Poco::Data::Statement anonymise(session);
            anonymise << db.sql(kAnonymise), use(user), use(key), use(phone), use(at), use(id),
                use(version), use(org);
            if (anonymise.execute() == 0) {
                auto now2 = accountState(db, session, accountId);
                if (!now2 || now2->deregistered) return {DeregisterOutcome::Gone, {}, false};
                if (now2->submitted) return {DeregisterOutcome::HasHistory, {}, false};
                if (now2->credentialVersion != credentialVersion) {
                    return {DeregisterOutcome::PasswordChanged, {}, false};
                }
                if (round < 3) continue;  // its organization changed: again
                throw Error(codes::kDatabase,
                            "The account changed while it was deregistered; try again.",
                            "deregister: the account's organization kept changing");
            }
            {
                std::string id2 = accountId;
                Poco::Int64 at2 = nowMicros;
                session << db.sql(kCancelRequests), use(at2), use(id2), now;
            }
            execute(db, session, kEndSessions, {accountId});
            insertAuditRow(db, session, audit(d));
            tx.commit();
            return d;
        }
    } catch (...) {
        rethrowDatabaseError("deregister account");
    }
}

}  // namespace dossier::storage

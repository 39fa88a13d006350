#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// An organization as its members see it.
struct OrganizationSummary {
    std::string id;
    std::string name;
    std::string creditCode;
    std::string adminAccountId;  // empty: its admin deregistered (no members then)
    std::int64_t createdAtMicros = 0;
    std::uint64_t memberCount = 0;  // the admin included
};

struct MemberRow {
    std::string accountId;
    std::string username;
    std::string displayName;
    bool admin = false;
    std::int64_t createdAtMicros = 0;  // when the account was created
};

struct JoinRequestRow {
    std::string id;
    std::string organizationId;
    std::string accountId;
    std::string username;     // of the requesting account (read only)
    std::string displayName;  // of the requesting account (read only)
    std::string state;        // pending | approved | refused | cancelled
    std::int64_t createdAtMicros = 0;
    std::int64_t decidedAtMicros = 0;  // 0 while pending
    std::string decidedBy;             // the admin's account id; empty while pending
};

/// One organization a 注册查询 found.
struct LookupMatch {
    std::string organizationId;
    bool hasAdmin = false;
};

/// Organizations, memberships, join requests, admin transfer and deregistration (migration 9).
///
/// The rules are the database's: an organization's admin is organizations.admin_account_id
/// (one by construction), a member (composite foreign key on PostgreSQL, triggers on SQLite),
/// never missing while there are members (triggers); an account has one organization_id; an
/// account has at most one pending join request (partial unique index). Every change of an
/// organization's members or admin first locks the organization's row (FOR UPDATE on
/// PostgreSQL; SQLite's writers are serialized by BEGIN IMMEDIATE), so the checks each
/// transaction makes afterwards see every change committed before it, and the conditional
/// UPDATEs (checked by row count) decide races: the loser gets an outcome, never an error.
/// Each state change writes its audit row in its own transaction. Thread-safe.
class OrganizationRepository {
  public:
    explicit OrganizationRepository(Database& db) : db_(db) {}

    /// Organizations whose credit code is `creditCode` (normalized, upper case).
    std::vector<LookupMatch> findByCreditCode(const std::string& creditCode);
    /// Organizations whose name has the key `nameKey` (see dossier::organization_name::key).
    std::vector<LookupMatch> findByNameKey(const std::string& nameKey);

    std::optional<OrganizationSummary> find(const std::string& organizationId);
    /// The admin first, then by username.
    std::vector<MemberRow> members(const std::string& organizationId);

    enum class JoinOutcome {
        Created,
        AccountDeregistered,
        AlreadyMember,
        AlreadyPending,
        OrganizationNotFound
    };
    /// Inserts `request` (pending) with `audit`, unless the account is deregistered (or gone),
    /// belongs to an organization, has a pending request already, or the organization does
    /// not exist or has no admin. Holds the organization's and then the account's row while it
    /// decides, so a racing deregistration either comes first (AccountDeregistered) or
    /// finds the request and cancels it.
    JoinOutcome requestJoin(const JoinRequestRow& request, const AuditEntry& audit);

    /// Requests of the organization, oldest first, at most `limit`; `state` empty = any.
    std::vector<JoinRequestRow> joinRequests(const std::string& organizationId,
                                             const std::string& state, int limit);

    enum class DecisionOutcome { Done, NotAdmin, RequestNotFound, NotPending, AlreadyMember };
    struct Decision {
        DecisionOutcome outcome = DecisionOutcome::Done;
        JoinRequestRow request;  // as it was before the decision (when found)
    };
    /// Approves (the account joins the organization, if it still belongs to none — a
    /// conditional UPDATE) or refuses a pending request, as `adminId`, who must be the
    /// organization's admin at that moment. `audit(request)` is written with the change.
    Decision decideJoinRequest(const std::string& organizationId, const std::string& requestId,
                               const std::string& adminId, bool approve, std::int64_t nowMicros,
                               const std::function<AuditEntry(const JoinRequestRow&)>& audit);

    enum class ChangeOutcome { Done, NotAdmin, NotMember, IsAdmin, PasswordChanged };
    /// `adminId` removes `memberId` from the organization (the account becomes personal).
    ChangeOutcome removeMember(const std::string& organizationId, const std::string& adminId,
                               const std::string& memberId, const AuditEntry& audit);
    /// 权限转让: the admin role passes from `fromId` to `toId`, a member, in one conditional
    /// UPDATE; `fromId` stays a member. `fromCredentialVersion` is the version the confirming
    /// password was read with: the attempt is settled (failure count cleared) in the same
    /// transaction, or PasswordChanged when the password changed meanwhile.
    ChangeOutcome transferAdmin(const std::string& organizationId, const std::string& fromId,
                                const std::string& toId, std::int64_t fromCredentialVersion,
                                const AuditEntry& audit);

    enum class DeregisterOutcome {
        Deregistered,
        HasHistory,
        AdminHasMembers,
        PasswordChanged,
        Gone
    };
    struct Deregistration {
        DeregisterOutcome outcome = DeregisterOutcome::Deregistered;
        std::string organizationId;  // the organization it left (empty: none)
        bool wasAdmin = false;       // it was that organization's admin (now admin-less)
    };
    /// 注销账号: in one transaction, the account leaves its organization (a sole admin leaves
    /// it admin-less), its pending join request is cancelled, its sessions end and its row is
    /// anonymised — username, phone replaced by `tombstone` (which frees them), display name
    /// and password hash emptied, credential version raised — by one UPDATE conditional on
    /// first_submission_us IS NULL, so a racing first submission wins or loses as a whole.
    /// `audit(deregistration)` is written with it.
    Deregistration deregister(const std::string& accountId, std::int64_t credentialVersion,
                              const std::string& tombstone, std::int64_t nowMicros,
                              const std::function<AuditEntry(const Deregistration&)>& audit);

  private:
    Database& db_;
};

}  // namespace dossier::storage

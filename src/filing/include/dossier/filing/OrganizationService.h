#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/filing/AuthService.h"
#include "dossier/storage/OrganizationRepository.h"

namespace dossier::filing {

/// What 注册查询 answers: never anyone's personal data.
struct LookupAnswer {
    bool adminRegistered = false;
    /// Set only for a signed-in personal account (no organization) and one organization with
    /// an admin matching: the organization to ask to join.
    std::string organizationId;
    /// Several organizations with an admin share the name: ask by credit code instead.
    bool ambiguous = false;
};

/// The registration query (注册查询), personal accounts joining an organization, members,
/// admin transfer (权限转让) and deregistration (注销账号); seed 002.
///
/// Access: applicants act only within their own organization — another organization's id
/// is organization.not_found (404), an account without one gets
/// organization.membership_required (403), a member asking for an admin's action
/// auth.forbidden (403), and so do staff accounts (they have no organization to manage).
/// Every state change commits with its audit row (OrganizationRepository), and one that
/// changes an account's organization or admin role makes this node look that account's
/// sessions up afresh at once (AuthService::forgetSessionsOf); other nodes follow within
/// their session cache time. Throws dossier::Error / ValidationError. Thread-safe.
class OrganizationService {
  public:
    /// All references must outlive the service.
    OrganizationService(storage::OrganizationRepository& rows, AuthService& auth, AuditLog& audit,
                        const Clock& clock, const IdGenerator& ids)
        : rows_(rows), auth_(auth), audit_(audit), clock_(clock), ids_(ids) {}

    /// The access rules alone (the refusals listed above), for a route to apply before it
    /// reads a body: the caller is a member of `organizationId` / its admin / an applicant.
    static void requireMember(const Viewer& viewer, const std::string& organizationId);
    static void requireAdmin(const Viewer& viewer, const std::string& organizationId);
    static void requireApplicant(const Viewer& viewer);

    /// `query` is a full name (surrounding blanks ignored, （） the same as ()) or an
    /// 18-character credit code (case-insensitive; a string of only letters, digits, blanks
    /// and hyphens is taken as one, and must pass GB 32100: field.credit_code otherwise).
    /// `viewer`: the caller when it sent a valid session, else nullopt.
    LookupAnswer lookup(const std::string& query, const std::optional<Viewer>& viewer);

    /// A personal account asks to join. account.already_member (409) when it belongs to an
    /// organization, join_request.pending (409) when it has a pending request already,
    /// organization.not_found when there is no such organization with an admin.
    storage::JoinRequestRow requestJoin(const Viewer& viewer, const std::string& organizationId);
    /// The admin's list; `state` empty or pending|approved|refused|cancelled.
    std::vector<storage::JoinRequestRow> joinRequests(const Viewer& viewer,
                                                      const std::string& organizationId,
                                                      const std::string& state);
    /// The admin approves (the account becomes a member) or refuses a pending request;
    /// returns it as decided. join_request.not_found, join_request.decided,
    /// account.already_member (it joined another organization meanwhile),
    /// organization.admin_changed (the caller is no longer the admin).
    storage::JoinRequestRow decide(const Viewer& viewer, const std::string& organizationId,
                                   const std::string& requestId, bool approve);

    /// For its members.
    storage::OrganizationSummary organization(const Viewer& viewer,
                                              const std::string& organizationId);
    std::vector<storage::MemberRow> members(const Viewer& viewer,
                                            const std::string& organizationId);
    /// The admin removes a member (the account becomes personal; what it uploaded stays the
    /// organization's). member.is_admin for the admin itself, member.not_found.
    void removeMember(const Viewer& viewer, const std::string& organizationId,
                      const std::string& memberId);
    /// 权限转让, confirmed with the admin's password (counted like a sign-in attempt).
    void transferAdmin(const Viewer& viewer, const std::string& token,
                       const std::string& organizationId, const std::string& toAccountId,
                       const std::string& password);
    /// 注销账号 of the caller's own applicant account, confirmed with its password:
    /// account.has_history once it submitted anything, account.admin_has_members for an
    /// admin with members. Ends its sessions.
    void deregister(const Viewer& viewer, const std::string& token, const std::string& password);

  private:
    storage::OrganizationRepository& rows_;
    AuthService& auth_;
    AuditLog& audit_;
    const Clock& clock_;
    const IdGenerator& ids_;
};

}  // namespace dossier::filing

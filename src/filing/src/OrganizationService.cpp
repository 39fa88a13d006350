#include "dossier/filing/OrganizationService.h"

#include <algorithm>

#include "dossier/core/CreditCode.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/OrganizationName.h"
#include "dossier/core/Utf8.h"

namespace dossier::filing {
namespace {

using Outcome = storage::OrganizationRepository::ChangeOutcome;

constexpr int kMaxListed = 500;

Error organizationNotFound() {
    return Error(codes::kOrganizationNotFound, "There is no such organization.");
}

Error adminChanged() {
    return Error(codes::kOrganizationAdminChanged,
                 "You are no longer this organization's admin: the role was transferred "
                 "meanwhile.");
}

Error memberNotFound() {
    return Error(codes::kMemberNotFound, "That account is not a member of this organization.");
}

/// Full-width ASCII letters and digits (Ａ, ａ, ０) as typed by Chinese input methods.
bool isFullWidthAlnum(char32_t c) {
    return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
           (c >= 0xFF41 && c <= 0xFF5A);
}

/// A query of letters and digits (half- or full-width), blanks and hyphens only is a credit
/// code; a full name (as on the seal) always has other characters.
bool looksLikeCode(const std::u32string& text) {
    return std::all_of(text.begin(), text.end(), [](char32_t c) {
        return (c < 0x80 && std::isalnum(static_cast<int>(c))) || isFullWidthAlnum(c) || c == ' ' ||
               c == '-' || c == 0x3000 || c == 0xFF0D || c == '\t';
    });
}

}  // namespace

void OrganizationService::requireMember(const Viewer& viewer, const std::string& organizationId) {
    if (viewer.role != Role::Applicant) {
        throw Error(codes::kAuthForbidden,
                    "Only applicant accounts belong to organizations; staff accounts manage none.");
    }
    if (viewer.organizationId.empty()) {
        throw Error(codes::kOrganizationMembershipRequired,
                    "This account belongs to no organization: ask one to let you join "
                    "(POST /api/v1/organizations/{id}/join-requests) or register one.");
    }
    if (viewer.organizationId != organizationId) throw organizationNotFound();
}

void OrganizationService::requireAdmin(const Viewer& viewer, const std::string& organizationId) {
    requireMember(viewer, organizationId);
    if (!viewer.organizationAdmin) {
        throw Error(codes::kAuthForbidden,
                    "Only the organization's admin (组织管理员) may do this.");
    }
}

void OrganizationService::requireApplicant(const Viewer& viewer) {
    if (viewer.role != Role::Applicant) {
        throw Error(codes::kAuthForbidden,
                    "Only applicant accounts do this; staff accounts are managed by an operator.");
    }
}

LookupAnswer OrganizationService::lookup(const std::string& query,
                                         const std::optional<Viewer>& viewer) {
    // A query parameter: its problems are the request's (400), as every route's are.
    std::vector<FieldProblem> problems;
    std::string trimmed = organization_name::trim(query);
    if (!utf8::isValid(query)) {
        throw Error(codes::kRequestMalformed, "q (the lookup's query) is not valid UTF-8.");
    }
    account_rules::checkName("q", trimmed, 100, problems);
    if (!problems.empty()) {
        throw Error(codes::kRequestMalformed,
                    "Give q, the organization's full name (as on its seal, at most 100 "
                    "characters) or its 18-character 统一社会信用代码: " +
                        problems[0].message,
                    std::string(problems[0].code.text()));
    }
    std::vector<storage::LookupMatch> found;
    if (looksLikeCode(utf8::decode(trimmed))) {
        // Full-width letters and digits (a Chinese input method's) are the code's characters:
        // CreditCode::check reads them as their ASCII forms.
        auto check = CreditCode::check(trimmed);
        if (!check.valid) {
            throw Error(codes::kRequestMalformed,
                        "q is not a valid 统一社会信用代码 (" +
                            std::string(CreditCode::problemName(check.problem)) +
                            "); a full name has other characters than letters and digits.");
        }
        found = rows_.findByCreditCode(check.code);
    } else {
        found = rows_.findByNameKey(organization_name::key(trimmed));
    }
    LookupAnswer answer;
    std::vector<std::string> withAdmin;
    for (const auto& m : found) {
        if (m.hasAdmin) withAdmin.push_back(m.organizationId);
    }
    answer.adminRegistered = !withAdmin.empty();
    answer.ambiguous = withAdmin.size() > 1;
    bool personal = viewer && viewer->role == Role::Applicant && viewer->organizationId.empty();
    if (personal && withAdmin.size() == 1) answer.organizationId = withAdmin[0];
    return answer;
}

storage::JoinRequestRow OrganizationService::requestJoin(const Viewer& viewer,
                                                         const std::string& organizationId) {
    requireApplicant(viewer);
    storage::JoinRequestRow request;
    request.id = ids_.next();
    request.organizationId = organizationId;
    request.accountId = viewer.accountId;
    request.username = viewer.username;
    request.displayName = viewer.displayName;
    request.state = "pending";
    request.createdAtMicros = clock_.nowMicros();
    using Join = storage::OrganizationRepository::JoinOutcome;
    auto outcome = rows_.requestJoin(
        request,
        audit_.entry(
            viewer.accountId, "organization.join_request.create", "organization:" + organizationId,
            {{"request_id", request.id}, {"account_id", viewer.accountId}, {"after", "pending"}}));
    switch (outcome) {
        case Join::Created:
            return request;
        case Join::AccountDeregistered:
            throw Error(codes::kAuthRequired,
                        "The account was deregistered while it asked to join: its sessions have "
                        "ended and nothing was asked.");
        case Join::AlreadyMember:
            throw Error(codes::kAccountAlreadyMember,
                        "This account already belongs to an organization (an account belongs "
                        "to one at most).");
        case Join::AlreadyPending:
            throw Error(codes::kJoinRequestPending,
                        "This account already asked to join an organization; wait for that "
                        "answer.");
        case Join::OrganizationNotFound:
            break;
    }
    throw organizationNotFound();
}

std::vector<storage::JoinRequestRow> OrganizationService::joinRequests(
    const Viewer& viewer, const std::string& organizationId, const std::string& state) {
    requireAdmin(viewer, organizationId);
    if (!state.empty() && state != "pending" && state != "approved" && state != "refused" &&
        state != "cancelled") {
        throw Error(codes::kRequestMalformed,
                    "state is one of pending, approved, refused, cancelled.");
    }
    return rows_.joinRequests(organizationId, state, kMaxListed);
}

storage::JoinRequestRow OrganizationService::decide(const Viewer& viewer,
                                                    const std::string& organizationId,
                                                    const std::string& requestId, bool approve) {
    requireAdmin(viewer, organizationId);
    std::int64_t now = clock_.nowMicros();
    std::string after = approve ? "approved" : "refused";
    using Decision = storage::OrganizationRepository::DecisionOutcome;
    auto d = rows_.decideJoinRequest(organizationId, requestId, viewer.accountId, approve, now,
                                     [&](const storage::JoinRequestRow& r) {
                                         return audit_.entry(viewer.accountId,
                                                             "organization.join_request." + after,
                                                             "organization:" + organizationId,
                                                             {{"request_id", r.id},
                                                              {"account_id", r.accountId},
                                                              {"before", r.state},
                                                              {"after", after}});
                                     });
    switch (d.outcome) {
        case Decision::Done:
            break;
        case Decision::NotAdmin:
            throw adminChanged();
        case Decision::RequestNotFound:
            throw Error(codes::kJoinRequestNotFound, "There is no such join request here.");
        case Decision::NotPending:
            throw Error(
                codes::kJoinRequestDecided,
                "This join request is no longer pending (it is " +
                    (d.request.state == "pending" ? std::string("withdrawn") : d.request.state) +
                    ").");
        case Decision::AlreadyMember:
            throw Error(codes::kAccountAlreadyMember,
                        "That account has joined another organization meanwhile.");
    }
    if (approve) auth_.forgetSessionsOf(d.request.accountId);
    d.request.state = after;
    d.request.decidedAtMicros = now;
    d.request.decidedBy = viewer.accountId;
    return d.request;
}

storage::OrganizationSummary OrganizationService::organization(const Viewer& viewer,
                                                               const std::string& organizationId) {
    requireMember(viewer, organizationId);
    auto found = rows_.find(organizationId);
    if (!found) throw organizationNotFound();
    return *found;
}

std::vector<storage::MemberRow> OrganizationService::members(const Viewer& viewer,
                                                             const std::string& organizationId) {
    requireMember(viewer, organizationId);
    return rows_.members(organizationId);
}

void OrganizationService::removeMember(const Viewer& viewer, const std::string& organizationId,
                                       const std::string& memberId) {
    requireAdmin(viewer, organizationId);
    auto outcome = rows_.removeMember(organizationId, viewer.accountId, memberId,
                                      audit_.entry(viewer.accountId, "organization.member.remove",
                                                   "organization:" + organizationId,
                                                   {{"account_id", memberId},
                                                    {"before", "member:" + organizationId},
                                                    {"after", "personal"}}));
    switch (outcome) {
        case Outcome::Done:
            auth_.forgetSessionsOf(memberId);
            return;
        case Outcome::NotAdmin:
            throw adminChanged();
        case Outcome::IsAdmin:
            throw Error(codes::kMemberIsAdmin,
                        "The admin cannot remove itself: transfer the role first (权限转让).");
        case Outcome::NotMember:
        case Outcome::PasswordChanged:
            break;
    }
    throw memberNotFound();
}

void OrganizationService::transferAdmin(const Viewer& viewer, const std::string& token,
                                        const std::string& organizationId,
                                        const std::string& toAccountId,
                                        const std::string& password) {
    requireAdmin(viewer, organizationId);
    // Settled before the password is checked, so that a mistyped account id costs no attempt;
    // the transaction checks again.
    if (toAccountId == viewer.accountId) {
        throw Error(codes::kMemberIsAdmin, "You are the admin already: name another member.");
    }
    auto members = rows_.members(organizationId);
    if (std::none_of(members.begin(), members.end(),
                     [&](const storage::MemberRow& m) { return m.accountId == toAccountId; })) {
        throw memberNotFound();
    }
    auto attempt =
        auth_.provePassword(viewer, password, "organization.admin.transfer_refused", token);
    auto outcome = rows_.transferAdmin(
        organizationId, viewer.accountId, toAccountId, attempt.credentialVersion,
        audit_.entry(viewer.accountId, "organization.admin.transfer",
                     "organization:" + organizationId,
                     {{"before", viewer.accountId}, {"after", toAccountId}}));
    switch (outcome) {
        case Outcome::Done:
            auth_.forgetSessionsOf(viewer.accountId);
            auth_.forgetSessionsOf(toAccountId);
            return;
        case Outcome::NotAdmin:
            throw adminChanged();
        case Outcome::IsAdmin:
            throw Error(codes::kMemberIsAdmin, "You are the admin already: name another member.");
        case Outcome::NotMember:
            throw memberNotFound();
        case Outcome::PasswordChanged:
            break;
    }
    throw Error(codes::kAuthInvalidCredentials,
                "The password was changed meanwhile: the password given is no longer current.");
}

void OrganizationService::deregister(const Viewer& viewer, const std::string& token,
                                     const std::string& password) {
    requireApplicant(viewer);
    auto attempt = auth_.provePassword(viewer, password, "account.deregister_refused", token);
    using Dereg = storage::OrganizationRepository::DeregisterOutcome;
    // No username or phone in the entry: the row it records is anonymised.
    auto d = rows_.deregister(viewer.accountId, attempt.credentialVersion, "~" + viewer.accountId,
                              clock_.nowMicros(),
                              [&](const storage::OrganizationRepository::Deregistration& r) {
                                  std::map<std::string, std::string> details{
                                      {"before", "active"}, {"after", "deregistered"}};
                                  if (!r.organizationId.empty())
                                      details["organization_id"] = r.organizationId;
                                  if (r.wasAdmin) details["organization_admin"] = "true";
                                  return audit_.entry(viewer.accountId, "account.deregister",
                                                      "account:" + viewer.accountId, details);
                              });
    switch (d.outcome) {
        case Dereg::Deregistered:
            auth_.forgetSessionsOf(viewer.accountId);
            return;
        case Dereg::HasHistory:
            throw Error(codes::kAccountHasHistory,
                        "This account has submitted a filing or an application: it cannot be "
                        "deregistered (此前参与过任何活动，账号无法注销).");
        case Dereg::AdminHasMembers:
            throw Error(codes::kAccountAdminHasMembers,
                        "You are the admin of an organization with members: transfer the admin "
                        "role to one of them first (权限转让).");
        case Dereg::PasswordChanged:
            throw Error(codes::kAuthInvalidCredentials,
                        "The password was changed meanwhile: the password given is no longer "
                        "current.");
        case Dereg::Gone:
            break;
    }
    throw Error(codes::kAuthRequired, "The account no longer exists.");
}

}  // namespace dossier::filing

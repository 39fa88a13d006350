#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Error.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/SessionCache.h"
#include "dossier/storage/AccountRepository.h"

namespace dossier::filing {

class AuditLog;

struct AuthSettings {
    int passwordIterations = 600'000;  // PBKDF2-HMAC-SHA256 (OWASP 2023); ≈ 0.3 s on one core
    int sessionHours = 12;
    int maxFailedLogins = 5;  // in a row; then the account is locked
    int lockMinutes = 15;
    // How long this node trusts a session it looked up without asking the database again
    // (0 = always ask): the time within which a sign-out or password change on another node
    // is honoured here. Those made on this node are honoured at once.
    int sessionCacheSeconds = 5;
    std::size_t sessionCacheEntries = 100'000;  // ~300 bytes each
};

/// An applicant registering its organization (组织管理员, seed 002): the account and the
/// organization are created together; a second admin for the same credit code is refused.
struct Registration {
    std::string username;
    std::string password;
    std::string phone;
    std::string displayName;
    std::string organizationName;
    std::string creditCode;
};

/// A personal account (个人账号, seed 002): an applicant without an organization until an
/// organization's admin approves its request to join one.
struct PersonalRegistration {
    std::string username;
    std::string password;
    std::string phone;
    std::string displayName;
};

struct StaffAccount {
    std::string username;
    std::string password;
    std::string phone;
    std::string displayName;
    Role role = Role::Reviewer;
};

struct LoginSession {
    std::string token;  // shown once; only its SHA-256 is stored
    std::int64_t expiresAtMicros = 0;
    Viewer viewer;
};

/// Accounts, passwords and bearer sessions. Passwords are stored as PBKDF2 hashes, tokens
/// as SHA-256; a run of failed logins locks the account for a while. Sessions looked up are
/// trusted for AuthSettings::sessionCacheSeconds (see SessionCache). Thread-safe.
class AuthService {
  public:
    AuthService(storage::AccountRepository& accounts, AuditLog& audit, const Clock& clock,
                const IdGenerator& ids, AuthSettings settings);

    /// Throws ValidationError listing every bad field, or account.username_taken /
    /// account.phone_taken / account.organization_registered (nothing is created then).
    /// The organization name is taken without surrounding spaces. When the credit code is
    /// that of an organization whose admin deregistered (admin-less), the account adopts it
    /// (its stored name stays) instead of account.organization_registered.
    Viewer registerApplicant(const Registration& registration);
    /// The same rules for the account's fields; one account per phone across both kinds.
    Viewer registerPersonal(const PersonalRegistration& registration);
    /// Reviewers and operators are created by an operator (CLI), never by self-registration.
    Viewer createStaff(const StaffAccount& staff);

    /// Throws auth.invalid_credentials (same for an unknown name, a wrong password and a
    /// password with a control character) or auth.locked. The attempt is counted before the
    /// password is checked, so at most AuthSettings::maxFailedLogins are checked per lock
    /// period however many run at once (the last of them locks the account unless it is
    /// right; beyond them callers get auth.locked).
    LoginSession login(const std::string& username, const std::string& password);
    /// The viewer of a live session; throws auth.required.
    Viewer authenticate(const std::string& token);
    /// Ends the session; this node refuses the token from now on.
    void logout(const std::string& token);
    /// Checks the current password (an attempt counted like a sign-in's: auth.locked when
    /// locked, auth.invalid_credentials when wrong), stores the new one and ends the
    /// account's other sessions (refused by this node from now on), including any made by a
    /// sign-in that checked the old password while this ran. Throws ValidationError for a
    /// bad new password or a current one with a control character (nothing counted).
    void changePassword(const Viewer& viewer, const std::string& token, const std::string& current,
                        const std::string& next);

    /// Confirms a sensitive action (权限转让, 注销账号) with the account's password, counted
    /// like a sign-in attempt (auth.locked, auth.invalid_credentials; a wrong one is audited
    /// as `refusedAction`). Returns the granted attempt: the action settles it in its own
    /// transaction (clearing the failure count if the credential version is unchanged).
    storage::AccountRepository::Attempt provePassword(const Viewer& viewer,
                                                      const std::string& password,
                                                      const std::string& refusedAction,
                                                      const std::string& token);
    /// The account's membership, admin role or existence changed: this node looks its
    /// sessions up afresh from now on (other nodes within sessionCacheSeconds).
    void forgetSessionsOf(const std::string& accountId);

    std::optional<storage::OrganizationRow> organizationOf(const Viewer& viewer);
    const AuthSettings& settings() const { return settings_; }
    const SessionCache& sessionCache() const { return sessions_; }

  private:
    storage::AccountRepository::AttemptPolicy attemptPolicy() const;
    /// Records a reserved attempt whose password was wrong (`action`: session.refused or
    /// password.refused); `keepToken` keeps its cached session if the attempt locked.
    void refuseAttempt(const storage::AccountRow& row,
                       const storage::AccountRepository::Attempt& attempt,
                       const std::string& action, const std::string& keepToken);
    Error lockedError(std::int64_t lockedUntilMicros) const;
    Viewer create(storage::AccountRow row, std::optional<storage::OrganizationRow> organization);

    storage::AccountRepository& accounts_;
    AuditLog& audit_;
    const Clock& clock_;
    const IdGenerator& ids_;
    AuthSettings settings_;
    std::string dummyHash_;  // verified for unknown names, so timing does not reveal them
    SessionCache sessions_;
};

/// The view a use case gets of an account row.
Viewer viewerOf(const storage::AccountRow& row);

}  // namespace dossier::filing

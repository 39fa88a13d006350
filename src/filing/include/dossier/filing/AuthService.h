#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/storage/AccountRepository.h"

namespace dossier::filing {

class AuditLog;

struct AuthSettings {
    int passwordIterations = 600'000;  // PBKDF2-HMAC-SHA256 (OWASP 2023); ≈ 0.3 s on one core
    int sessionHours = 12;
    int maxFailedLogins = 5;  // in a row; then the account is locked
    int lockMinutes = 15;
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
/// as SHA-256; a run of failed logins locks the account for a while. Thread-safe.
class AuthService {
  public:
    AuthService(storage::AccountRepository& accounts, AuditLog& audit, const Clock& clock,
                const IdGenerator& ids, AuthSettings settings);

    /// Throws ValidationError listing every bad field, or account.username_taken /
    /// account.phone_taken / account.organization_registered (nothing is created then).
    Viewer registerApplicant(const Registration& registration);
    /// Reviewers and operators are created by an operator (CLI), never by self-registration.
    Viewer createStaff(const StaffAccount& staff);

    /// Throws auth.invalid_credentials (same for an unknown name and a wrong password) or
    /// auth.locked.
    LoginSession login(const std::string& username, const std::string& password);
    /// The viewer of a live session; throws auth.required.
    Viewer authenticate(const std::string& token);
    void logout(const std::string& token);
    /// Checks the current password, stores the new one and ends the account's other sessions.
    void changePassword(const Viewer& viewer, const std::string& token, const std::string& current,
                        const std::string& next);

    std::optional<storage::OrganizationRow> organizationOf(const Viewer& viewer);
    const AuthSettings& settings() const { return settings_; }

  private:
    Viewer create(const storage::AccountRow& row,
                  const std::optional<storage::OrganizationRow>& organization);

    storage::AccountRepository& accounts_;
    AuditLog& audit_;
    const Clock& clock_;
    const IdGenerator& ids_;
    AuthSettings settings_;
    std::string dummyHash_;  // verified for unknown names, so timing does not reveal them
};

/// The view a use case gets of an account row.
Viewer viewerOf(const storage::AccountRow& row);

}  // namespace dossier::filing

#include "dossier/filing/AuthService.h"

#include "Passwords.h"

#include <algorithm>
#include "dossier/core/CreditCode.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/OrganizationName.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/Sha256.h"

namespace dossier::filing {
namespace {

constexpr std::int64_t kMicrosPerMinute = 60LL * 1000 * 1000;
constexpr std::size_t kMaxTokenChars = 128;

void requireValid(std::vector<FieldProblem>& problems) {
    if (!problems.empty()) throw ValidationError(std::move(problems));
}

void checkCommon(const std::string& username, const std::string& password, const std::string& phone,
                 const std::string& displayName, std::vector<FieldProblem>& problems) {
    account_rules::checkUsername("username", username, problems);
    account_rules::checkPassword("password", password, username, problems);
    account_rules::checkMobile("phone", phone, problems);
    account_rules::checkName("display_name", displayName, 32, problems);
}

Error conflictError(storage::AccountRepository::CreateOutcome outcome) {
    using Outcome = storage::AccountRepository::CreateOutcome;
    switch (outcome) {
        case Outcome::UsernameTaken:
            return Error(codes::kAccountUsernameTaken,
                         "This username is already registered; choose another.");
        case Outcome::PhoneTaken:
            return Error(
                codes::kAccountPhoneTaken,
                "This mobile number already has an account (one account per mobile number).");
        case Outcome::OrganizationTaken:
            return Error(codes::kAccountOrganizationRegistered,
                         "This organization (统一社会信用代码) already has an organization admin "
                         "account; ask that admin (每家单位仅能注册1个组织管理员账号).");
        case Outcome::Created:
            break;
    }
    return Error(codes::kInternal, "Unexpected account outcome.");
}

Error invalidCredentials() {
    return Error(codes::kAuthInvalidCredentials, "The username or password is wrong.");
}

}  // namespace

Viewer viewerOf(const storage::AccountRow& row) {
    Viewer v;
    v.accountId = row.id;
    v.username = row.username;
    v.displayName = row.displayName;
    v.role = parseRole(row.role).value_or(Role::Applicant);
    v.organizationId = row.organizationId;
    v.organizationAdmin = row.organizationAdmin;
    return v;
}

AuthService::AuthService(storage::AccountRepository& accounts, AuditLog& audit, const Clock& clock,
                         const IdGenerator& ids, AuthSettings settings)
    : accounts_(accounts),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      settings_(settings),
      dummyHash_(passwords::hash("dossier-dummy", settings.passwordIterations)),
      sessions_(clock, std::int64_t{settings.sessionCacheSeconds} * 1000 * 1000,
                settings.sessionCacheEntries) {}

Viewer AuthService::create(storage::AccountRow row,
                           std::optional<storage::OrganizationRow> organization) {
    auto outcome = accounts_.create(row, organization, [&](bool adopted) {
        std::map<std::string, std::string> details{{"role", row.role}};
        if (organization) {
            details["organization_id"] = organization->id;
            details["organization_admin"] = "true";
            // An organization its admin left by deregistering, taken over as it was.
            if (adopted) details["adopted"] = "true";
        } else if (row.role == nameOf(Role::Applicant)) {
            details["personal"] = "true";
        }
        return audit_.entry(row.id, "account.create", "account:" + row.id, details);
    });
    if (outcome != storage::AccountRepository::CreateOutcome::Created) throw conflictError(outcome);
    return viewerOf(row);
}

Viewer AuthService::registerApplicant(const Registration& r) {
    std::vector<FieldProblem> problems;
    checkCommon(r.username, r.password, r.phone, r.displayName, problems);
    // Surrounding spaces are not part of the name on the seal (注册查询 ignores them too).
    std::string organizationName = organization_name::trim(r.organizationName);
    account_rules::checkName("organization.name", organizationName, 100, problems);
    std::string code;
    if (r.creditCode.empty()) {
        problems.push_back({"organization.credit_code", codes::kFieldRequired,
                            "The 统一社会信用代码 is required."});
    } else {
        auto check = CreditCode::check(r.creditCode);
        if (!check.valid) {
            problems.push_back({"organization.credit_code", codes::kFieldCreditCode,
                                "Not a valid 统一社会信用代码 (" +
                                    std::string(CreditCode::problemName(check.problem)) + ")."});
        }
        code = check.code;
    }
    requireValid(problems);

    std::int64_t now = clock_.nowMicros();
    storage::OrganizationRow org{ids_.next(), organizationName, code, now};
    storage::AccountRow row;
    row.id = ids_.next();
    row.username = r.username;
    row.phone = r.phone;
    row.displayName = r.displayName;
    row.role = std::string(nameOf(Role::Applicant));
    row.passwordHash = passwords::hash(r.password, settings_.passwordIterations);
    row.createdAtMicros = now;
    return create(row, org);
}

Viewer AuthService::registerPersonal(const PersonalRegistration& r) {
    std::vector<FieldProblem> problems;
    checkCommon(r.username, r.password, r.phone, r.displayName, problems);
    requireValid(problems);
    storage::AccountRow row;
    row.id = ids_.next();
    row.username = r.username;
    row.phone = r.phone;
    row.displayName = r.displayName;
    row.role = std::string(nameOf(Role::Applicant));
    row.passwordHash = passwords::hash(r.password, settings_.passwordIterations);
    row.createdAtMicros = clock_.nowMicros();
    return create(row, std::nullopt);
}

Viewer AuthService::createStaff(const StaffAccount& s) {
    std::vector<FieldProblem> problems;
    checkCommon(s.username, s.password, s.phone, s.displayName, problems);
    if (s.role == Role::Applicant) {
        problems.push_back(
            {"role", codes::kFieldChoice, "Staff accounts are reviewers or operators."});
    }
    requireValid(problems);
    storage::AccountRow row;
    row.id = ids_.next();
    row.username = s.username;
    row.phone = s.phone;
    row.displayName = s.displayName;
    row.role = std::string(nameOf(s.role));
    row.passwordHash = passwords::hash(s.password, settings_.passwordIterations);
    row.createdAtMicros = clock_.nowMicros();
    return create(row, std::nullopt);
}

storage::AccountRepository::AttemptPolicy AuthService::attemptPolicy() const {
    std::int64_t now = clock_.nowMicros();
    return {settings_.maxFailedLogins, now, now + settings_.lockMinutes * kMicrosPerMinute};
}

LoginSession AuthService::login(const std::string& username, const std::string& password) {
    std::optional<storage::AccountRow> row;
    std::vector<FieldProblem> shape;
    account_rules::checkUsername("username", username, shape);
    // A password with a control character was never accepted at registration, and PBKDF2
    // would take "pw\0" for "pw" (HMAC pads its key with zeros): refused before any lookup.
    bool passwordShape = password.size() <= 64 && !account_rules::hasControlCharacter(password);
    if (shape.empty() && passwordShape) row = accounts_.findByUsername(username);
    if (!row) {
        passwords::verify(password.substr(0, 64), dummyHash_);
        // Only a well-formed name is logged: the rest is arbitrary bytes (perhaps not UTF-8).
        std::string reason = !shape.empty()   ? "malformed_username"
                             : !passwordShape ? "malformed_password"
                                              : "unknown_username";
        audit_.record("", "session.refused", shape.empty() ? "username:" + username : "username:?",
                      {{"reason", reason}});
        throw invalidCredentials();
    }
    // The attempt is counted before the (slow) hash, in the statement that checks the lock.
    auto attempt = accounts_.reserveAttempt(row->id, attemptPolicy(), [&] {
        return audit_.entry(row->id, "session.refused", "account:" + row->id,
                            {{"reason", "locked"}});
    });
    if (!attempt.granted) throw lockedError(attempt.lockedUntilMicros);
    if (!passwords::verify(password, attempt.passwordHash)) {
        refuseAttempt(*row, attempt, "session.refused", {});
        throw invalidCredentials();
    }
    std::string rehash;
    if (passwords::needsRehash(attempt.passwordHash, settings_.passwordIterations)) {
        rehash = passwords::hash(password, settings_.passwordIterations);
    }
    std::int64_t now = clock_.nowMicros();
    LoginSession s;
    s.token = "dsr_" + passwords::randomToken(32);
    s.expiresAtMicros = now + settings_.sessionHours * 60 * kMicrosPerMinute;
    s.viewer = viewerOf(*row);
    bool opened =
        accounts_.openSession({row->id, storage::Sha256::of(s.token), rehash, now,
                               s.expiresAtMicros, attempt.credentialVersion},
                              audit_.entry(row->id, "session.create", "account:" + row->id));
    if (!opened) {
        // The password changed while this one was being checked: it is not the password now.
        audit_.record(row->id, "session.refused", "account:" + row->id,
                      {{"reason", "password_changed"}});
        throw invalidCredentials();
    }
    return s;
}

void AuthService::refuseAttempt(const storage::AccountRow& row,
                                const storage::AccountRepository::Attempt& attempt,
                                const std::string& action, const std::string& token) {
    audit_.record(row.id, action, "account:" + row.id,
                  {{"reason", attempt.locksAccount ? "wrong_password_locked" : "wrong_password"}});
    // A lock does not end the account's sessions, but this node looks them up afresh.
    if (attempt.locksAccount) sessions_.forgetAccount(row.id, token);
}

Error AuthService::lockedError(std::int64_t lockedUntilMicros) const {
    std::int64_t minutes = std::max<std::int64_t>(
        1, (lockedUntilMicros - clock_.nowMicros() + kMicrosPerMinute - 1) / kMicrosPerMinute);
    return Error(codes::kAuthLocked,
                 "Too many wrong passwords (or too many sign-ins at once): this account is "
                 "locked for " +
                     std::to_string(minutes) + " more minute(s).");
}

Viewer AuthService::authenticate(const std::string& token) {
    std::optional<storage::SessionRow> row;
    if (!token.empty() && token.size() <= kMaxTokenChars) {
        if (auto cached = sessions_.find(token)) return std::move(*cached);
        // Read before the database: a revocation after this point is not cached over.
        auto revocations = sessions_.revocations();
        row = accounts_.accountForSession(storage::Sha256::of(token), clock_.nowMicros());
        if (row) {
            Viewer viewer = viewerOf(row->account);
            sessions_.remember(token, viewer, row->expiresAtMicros, revocations);
            return viewer;
        }
    }
    throw Error(codes::kAuthRequired,
                "Sign in first: send 'Authorization: Bearer <token>' from POST /api/v1/sessions "
                "(the token is missing, unknown or expired).");
}

void AuthService::logout(const std::string& token) {
    if (token.empty() || token.size() > kMaxTokenChars) return;
    accounts_.deleteSession(storage::Sha256::of(token));
    sessions_.forget(token);  // after the row is gone, so no lookup can cache it again
}

void AuthService::changePassword(const Viewer& viewer, const std::string& token,
                                 const std::string& current, const std::string& next) {
    auto row = accounts_.findById(viewer.accountId);
    if (!row) throw Error(codes::kAuthRequired, "The account no longer exists.");
    std::vector<FieldProblem> problems;
    if (current.empty()) {
        problems.push_back(
            {"current_password", codes::kFieldRequired, "The current password is required."});
    } else if (account_rules::hasControlCharacter(current)) {
        problems.push_back({"current_password", codes::kFieldControlCharacter,
                            "The password contains a control character."});
    }
    account_rules::checkPassword("new_password", next, row->username, problems);
    requireValid(problems);
    // A wrong current password counts toward the lock like a wrong sign-in: this route
    // must not be a way around it.
    auto attempt = accounts_.reserveAttempt(row->id, attemptPolicy(), [&] {
        return audit_.entry(row->id, "password.refused", "account:" + row->id,
                            {{"reason", "locked"}});
    });
    if (!attempt.granted) throw lockedError(attempt.lockedUntilMicros);
    if (!passwords::verify(current, attempt.passwordHash)) {
        refuseAttempt(*row, attempt, "password.refused", token);
        throw Error(codes::kAuthInvalidCredentials, "The current password is wrong.");
    }
    bool changed = accounts_.changePassword(
        row->id, passwords::hash(next, settings_.passwordIterations), attempt.credentialVersion,
        storage::Sha256::of(token), audit_.entry(row->id, "password.change", "account:" + row->id));
    if (!changed) {
        audit_.record(row->id, "password.refused", "account:" + row->id,
                      {{"reason", "password_changed"}});
        throw Error(codes::kAuthInvalidCredentials,
                    "The password was changed meanwhile: the current password given is no "
                    "longer current.");
    }
    sessions_.forgetAccount(row->id, token);
}

storage::AccountRepository::Attempt AuthService::provePassword(const Viewer& viewer,
                                                               const std::string& password,
                                                               const std::string& refusedAction,
                                                               const std::string& token) {
    if (password.empty() || password.size() > 64 || account_rules::hasControlCharacter(password)) {
        // Never a password of this account: refused for its shape, not counted.
        audit_.record(viewer.accountId, refusedAction, "account:" + viewer.accountId,
                      {{"reason", "malformed_password"}});
        throw Error(codes::kAuthInvalidCredentials, "The password is wrong.");
    }
    auto row = accounts_.findById(viewer.accountId);
    if (!row) throw Error(codes::kAuthRequired, "The account no longer exists.");
    auto attempt = accounts_.reserveAttempt(row->id, attemptPolicy(), [&] {
        return audit_.entry(row->id, refusedAction, "account:" + row->id, {{"reason", "locked"}});
    });
    if (!attempt.granted) throw lockedError(attempt.lockedUntilMicros);
    if (!passwords::verify(password, attempt.passwordHash)) {
        refuseAttempt(*row, attempt, refusedAction, token);
        throw Error(codes::kAuthInvalidCredentials, "The password is wrong.");
    }
    // Proven: settled now, not only by the action it confirms, which may still lose a race
    // (another transfer won) — else six racing confirmations with the right password would
    // lock the account as if they were wrong.
    accounts_.settleProvenAttempt(row->id, attempt.credentialVersion);
    return attempt;
}

void AuthService::forgetSessionsOf(const std::string& accountId) {
    sessions_.forgetAccount(accountId);
}

std::optional<storage::OrganizationRow> AuthService::organizationOf(const Viewer& viewer) {
    if (viewer.organizationId.empty()) return std::nullopt;
    return accounts_.organization(viewer.organizationId);
}

}  // namespace dossier::filing

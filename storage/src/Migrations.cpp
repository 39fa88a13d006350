#include "Migrations.h"

namespace dossier::storage {
namespace {

// Portable types only: TEXT, BIGINT, INTEGER. Times are BIGINT microseconds since the epoch
// (UTC) in both dialects, so the same comparison works everywhere.
const std::vector<Migration> kMigrations{
    {1,
     "blobs and documents",
     {
         R"(CREATE TABLE blobs (
                sha256        TEXT PRIMARY KEY,
                size          BIGINT NOT NULL CHECK (size >= 0),
                created_at_us BIGINT NOT NULL
            ))",
         R"(CREATE TABLE documents (
                id            TEXT PRIMARY KEY,
                sha256        TEXT NOT NULL REFERENCES blobs (sha256),
                size          BIGINT NOT NULL CHECK (size >= 0),
                media_type    TEXT NOT NULL,
                kind          TEXT NOT NULL,
                original_name TEXT NOT NULL,
                created_at_us BIGINT NOT NULL
            ))",
         "CREATE INDEX documents_sha256 ON documents (sha256)",
     }},
    {2,
     "evidence checks and OCR text",
     {
         // One row per (document, check): a durable job and, once done, its result.
         // state: pending → running (claimed, leased) → done | error.
         R"(CREATE TABLE checks (
                document_id   TEXT NOT NULL REFERENCES documents (id),
                check_name    TEXT NOT NULL,
                input_json    TEXT NOT NULL,
                state         TEXT NOT NULL,
                attempts      INTEGER NOT NULL DEFAULT 0,
                status        TEXT,
                code          TEXT,
                result_json   TEXT,
                claimed_at_us BIGINT,
                updated_at_us BIGINT NOT NULL,
                PRIMARY KEY (document_id, check_name)
            ))",
         "CREATE INDEX checks_state ON checks (state, updated_at_us)",
         R"(CREATE TABLE ocr_text (
                document_id TEXT NOT NULL REFERENCES documents (id),
                page        INTEGER NOT NULL,
                text        TEXT NOT NULL,
                PRIMARY KEY (document_id, page)
            ))",
     }},
    {3,
     "derivatives",
     {
         // Watermarked copies and page previews, generated once per source blob and variant
         // and kept in the blob store. Sources are immutable, so entries never go stale.
         R"(CREATE TABLE derivatives (
                source_sha256     TEXT NOT NULL REFERENCES blobs (sha256),
                variant           TEXT NOT NULL,
                derivative_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
                media_type        TEXT NOT NULL,
                created_at_us     BIGINT NOT NULL,
                PRIMARY KEY (source_sha256, variant)
            ))",
     }},
    {4,
     "organizations, accounts, sessions, audit log; documents get an owner",
     {
         R"(CREATE TABLE organizations (
                id            TEXT PRIMARY KEY,
                name          TEXT NOT NULL,
                credit_code   TEXT NOT NULL UNIQUE,
                created_at_us BIGINT NOT NULL
            ))",
         // username_key: the lower-cased username, unique. One admin per organization
         // (seed 002: 每家单位仅能注册1个组织管理员账号), one account per mobile number.
         R"(CREATE TABLE accounts (
                id              TEXT PRIMARY KEY,
                username        TEXT NOT NULL,
                username_key    TEXT NOT NULL UNIQUE,
                phone           TEXT NOT NULL UNIQUE,
                display_name    TEXT NOT NULL,
                role            TEXT NOT NULL,
                organization_id TEXT REFERENCES organizations (id),
                org_admin       INTEGER NOT NULL DEFAULT 0,
                password_hash   TEXT NOT NULL,
                failed_logins   INTEGER NOT NULL DEFAULT 0,
                locked_until_us BIGINT NOT NULL DEFAULT 0,
                created_at_us   BIGINT NOT NULL
            ))",
         "CREATE UNIQUE INDEX accounts_one_admin ON accounts (organization_id) WHERE org_admin = 1",
         // Bearer tokens are stored only as their SHA-256.
         R"(CREATE TABLE sessions (
                token_sha256  TEXT PRIMARY KEY,
                account_id    TEXT NOT NULL REFERENCES accounts (id),
                created_at_us BIGINT NOT NULL,
                expires_at_us BIGINT NOT NULL
            ))",
         "CREATE INDEX sessions_account ON sessions (account_id)",
         // Append-only: the repository has no update or delete.
         R"(CREATE TABLE audit_log (
                id          TEXT PRIMARY KEY,
                at_us       BIGINT NOT NULL,
                account_id  TEXT,
                action      TEXT NOT NULL,
                target      TEXT NOT NULL,
                detail_json TEXT NOT NULL
            ))",
         "CREATE INDEX audit_log_target ON audit_log (target, at_us)",
         "ALTER TABLE documents ADD COLUMN organization_id TEXT REFERENCES organizations (id)",
         "ALTER TABLE documents ADD COLUMN uploaded_by TEXT REFERENCES accounts (id)",
         "CREATE INDEX documents_organization ON documents (organization_id)",
     }},
    {5,
     "documents record whether a PDF is digitally signed",
     {
         "ALTER TABLE documents ADD COLUMN signed INTEGER NOT NULL DEFAULT 0",
     }},
    {6,
     "the audit log refuses UPDATE and DELETE",
     {
         // Append-only in the database itself, not only by the repository having no update:
         // a bug, a console session or a compromised node cannot rewrite who saw what.
         sqliteOnly(R"(CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END)"),
         sqliteOnly(R"(CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END)"),
         postgresOnly(
             R"(CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
            END
            $body$)"),
         postgresOnly(
             R"(CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only())"),
         postgresOnly(R"(CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only())"),
     }},
    {7,
     "credential versions: a session is valid only with the password it was made with",
     {
         // Raised by every password change; a session carries the value read with the hash
         // its sign-in checked, and is refused once they differ (a sign-in racing a change
         // cannot leave a session the change did not see).
         "ALTER TABLE accounts ADD COLUMN credential_version BIGINT NOT NULL DEFAULT 0",
         "ALTER TABLE sessions ADD COLUMN credential_version BIGINT NOT NULL DEFAULT 0",
     }},
    {8,
     "what an account has submitted, and what documents are used by",
     {
         // Set (once) in the transaction of an account's first submission — a filing, later an
         // application — so deregistration (注销账号, seed 002: refused once the account took
         // part in anything) is one conditional UPDATE that a racing submission cannot slip past.
         "ALTER TABLE accounts ADD COLUMN first_submission_us BIGINT",
         // One row per (document, user of it): `used_by` is "filing:<id>", "project:<id>", ….
         // The foreign key makes the database itself refuse to delete a document in use.
         R"(CREATE TABLE document_uses (
                document_id TEXT NOT NULL REFERENCES documents (id),
                used_by     TEXT NOT NULL,
                PRIMARY KEY (document_id, used_by)
            ))",
         "CREATE INDEX document_uses_used_by ON document_uses (used_by)",
     }},
    {9,
     "organization admins are structural; join requests; deregistered accounts",
     {
         // The admin is a column of the organization, not a flag on accounts: two admins
         // cannot be written, and 权限转让 is one conditional UPDATE of one row (a flag needed
         // two rows flipped, which a non-deferrable unique index checks row by row). The
         // admin must be a member: PostgreSQL says so with a composite foreign key; SQLite
         // cannot add a table constraint to an existing table, so triggers say the same.
         sqliteOnly(
             "ALTER TABLE organizations ADD COLUMN admin_account_id TEXT REFERENCES accounts (id)"),
         postgresOnly("ALTER TABLE accounts ADD CONSTRAINT accounts_id_organization UNIQUE (id, "
                      "organization_id)"),
         postgresOnly("ALTER TABLE organizations ADD COLUMN admin_account_id TEXT"),
         "UPDATE organizations SET admin_account_id = (SELECT a.id FROM accounts a "
         "WHERE a.organization_id = organizations.id AND a.org_admin = 1)",
         // The admin is a member: while it is the admin its membership cannot change (NO
         // ACTION), and nobody else's row can be named.
         postgresOnly(
             "ALTER TABLE organizations ADD CONSTRAINT organizations_admin_is_member "
             "FOREIGN KEY (admin_account_id, id) REFERENCES accounts (id, organization_id)"),
         "DROP INDEX accounts_one_admin",
         "ALTER TABLE accounts DROP COLUMN org_admin",
         "CREATE UNIQUE INDEX organizations_admin ON organizations (admin_account_id)",
         sqliteOnly(
             R"(CREATE TRIGGER organizations_admin_is_member_insert BEFORE INSERT ON organizations
            WHEN NEW.admin_account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts
                WHERE id = NEW.admin_account_id AND organization_id = NEW.id)
            BEGIN SELECT RAISE(ABORT, 'an organization admin must be one of its members'); END)"),
         sqliteOnly(
             R"(CREATE TRIGGER organizations_admin_is_member BEFORE UPDATE OF admin_account_id, id
            ON organizations
            WHEN NEW.admin_account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts
                WHERE id = NEW.admin_account_id AND organization_id = NEW.id)
            BEGIN SELECT RAISE(ABORT, 'an organization admin must be one of its members'); END)"),
         sqliteOnly(
             R"(CREATE TRIGGER accounts_admin_stays_member BEFORE UPDATE OF organization_id ON accounts
            WHEN NEW.organization_id IS NOT OLD.organization_id AND EXISTS (SELECT 1
                FROM organizations WHERE admin_account_id = OLD.id)
            BEGIN SELECT RAISE(ABORT, 'an organization admin must be one of its members'); END)"),
         // Never zero admins while there are members: the admin cannot be taken away from
         // an organization that has other members, nor can anyone join one without an admin
         // (a deregistered sole admin leaves its organization admin-less and memberless).
         // An account is inserted into an admin-less organization only by the registration
         // that makes it the admin, in the same transaction.
         sqliteOnly(
             R"(CREATE TRIGGER organizations_keep_admin BEFORE UPDATE OF admin_account_id ON organizations
            WHEN NEW.admin_account_id IS NULL AND OLD.admin_account_id IS NOT NULL AND EXISTS
                (SELECT 1 FROM accounts WHERE organization_id = NEW.id
                 AND id <> OLD.admin_account_id)
            BEGIN SELECT RAISE(ABORT, 'an organization with members must have an admin'); END)"),
         sqliteOnly(
             R"(CREATE TRIGGER accounts_join_needs_admin BEFORE UPDATE OF organization_id ON accounts
            WHEN NEW.organization_id IS NOT NULL AND NEW.organization_id IS NOT OLD.organization_id
                AND (SELECT admin_account_id FROM organizations WHERE id = NEW.organization_id)
                    IS NULL
            BEGIN SELECT RAISE(ABORT, 'an organization without an admin takes no members'); END)"),
         postgresOnly(
             R"(CREATE FUNCTION organizations_keep_admin() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF NEW.admin_account_id IS NULL AND OLD.admin_account_id IS NOT NULL AND EXISTS
                    (SELECT 1 FROM accounts WHERE organization_id = NEW.id
                     AND id <> OLD.admin_account_id) THEN
                    RAISE EXCEPTION 'an organization with members must have an admin'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END
            $body$)"),
         postgresOnly(R"(CREATE TRIGGER organizations_keep_admin BEFORE UPDATE OF admin_account_id
            ON organizations FOR EACH ROW EXECUTE FUNCTION organizations_keep_admin())"),
         postgresOnly(
             R"(CREATE FUNCTION accounts_join_needs_admin() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF NEW.organization_id IS NOT NULL
                    AND NEW.organization_id IS DISTINCT FROM OLD.organization_id
                    AND (SELECT admin_account_id FROM organizations
                         WHERE id = NEW.organization_id) IS NULL THEN
                    RAISE EXCEPTION 'an organization without an admin takes no members'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END
            $body$)"),
         postgresOnly(R"(CREATE TRIGGER accounts_join_needs_admin BEFORE UPDATE OF organization_id
            ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_join_needs_admin())"),
         // Set when the account deregistered (注销账号): the row stays for the audit trail,
         // anonymised, its username and phone replaced by a tombstone that frees them.
         "ALTER TABLE accounts ADD COLUMN deregistered_at_us BIGINT",
         "CREATE INDEX accounts_organization ON accounts (organization_id)",
         // 注册查询 by full name: surrounding spaces and full-width brackets are not a
         // different name (OrganizationRepository::kByNameKey uses the same expression).
         "CREATE INDEX organizations_name_key ON organizations "
         "(REPLACE(REPLACE(TRIM(name), '（', '('), '）', ')'))",
         // A personal account's request to join; at most one pending per account.
         R"(CREATE TABLE join_requests (
                id              TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                account_id      TEXT NOT NULL REFERENCES accounts (id),
                state           TEXT NOT NULL
                                CHECK (state IN ('pending', 'approved', 'refused', 'cancelled')),
                created_at_us   BIGINT NOT NULL,
                decided_at_us   BIGINT,
                decided_by      TEXT REFERENCES accounts (id)
            ))",
         "CREATE UNIQUE INDEX join_requests_one_pending ON join_requests (account_id) "
         "WHERE state = 'pending'",
         "CREATE INDEX join_requests_organization ON join_requests "
         "(organization_id, state, created_at_us)",
     }},
    {10,
     "the organization filing (组织备案) and its review",
     {
         // One row per version of an organization's filing. state: draft → submitted →
         // approved | rejected (edited back to draft and resubmitted); an approved version
         // becomes superseded when a later version is approved. `revision` rises with every
         // change (the draft's ETag). `data_json` is the filed data as the API shows it, money
         // written as decimals of at most two places; `name`, `name_key` (ASCII lower-cased,
         // for "name contains") and `province` are copied out of it for the reviewers' list.
         R"(CREATE TABLE filings (
                id              TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                version         INTEGER NOT NULL CHECK (version >= 1),
                state           TEXT NOT NULL CHECK (state IN
                                  ('draft', 'submitted', 'approved', 'rejected', 'superseded')),
                revision        BIGINT NOT NULL,
                name            TEXT NOT NULL,
                name_key        TEXT NOT NULL,
                province        TEXT NOT NULL,
                data_json       TEXT NOT NULL,
                reasons_json    TEXT NOT NULL DEFAULT '[]',
                review_comment  TEXT NOT NULL DEFAULT '',
                created_at_us   BIGINT NOT NULL,
                updated_at_us   BIGINT NOT NULL,
                submitted_at_us BIGINT,
                submitted_by    TEXT REFERENCES accounts (id),
                decided_at_us   BIGINT,
                decided_by      TEXT REFERENCES accounts (id),
                UNIQUE (organization_id, version)
            ))",
         // One open version (being edited, under review or sent back) and one approved version
         // per organization, whatever the code does: a second insert or approval fails.
         "CREATE UNIQUE INDEX filings_one_open ON filings (organization_id) "
         "WHERE state IN ('draft', 'submitted', 'rejected')",
         "CREATE UNIQUE INDEX filings_one_approved ON filings (organization_id) "
         "WHERE state = 'approved'",
         // The reviewers' list: by state (and province), oldest submission first.
         "CREATE INDEX filings_review ON filings (state, submitted_at_us, id)",
         "CREATE INDEX filings_review_province ON filings (province, state, submitted_at_us, id)",
     }},
    {11,
     "projects (申报主体); a project used by a submitted application cannot be deleted",
     {
         // Projects (申报主体, seed 000): kept once per organization, reused for every award.
         // content_json is the whole project as clients send it (name and keywords too), the
         // form an application snapshots; name and keywords_json repeat it for the lists.
         // version: raised by every save (the ETag; a PUT with If-Match is conditional on it).
         // locked_at_us: set by the submission of an application that uses the project
         // (issue 12), in the submission's transaction; a locked project cannot be deleted.
         R"(CREATE TABLE projects (
                id              TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                name            TEXT NOT NULL,
                keywords_json   TEXT NOT NULL,
                content_json    TEXT NOT NULL,
                version         BIGINT NOT NULL CHECK (version >= 1),
                created_at_us   BIGINT NOT NULL,
                created_by      TEXT REFERENCES accounts (id),
                updated_at_us   BIGINT NOT NULL,
                updated_by      TEXT REFERENCES accounts (id),
                locked_at_us    BIGINT
            ))",
         "CREATE INDEX projects_organization ON projects (organization_id, created_at_us)",
         "CREATE INDEX documents_organization_created ON documents (organization_id, "
         "created_at_us)",
         // The lock holds in the database, not only in the DELETE's condition: a console
         // session cannot delete a locked project or lift its lock either.
         sqliteOnly(R"(CREATE TRIGGER projects_locked_no_delete BEFORE DELETE ON projects
            WHEN OLD.locked_at_us IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the project is used by a submitted application'); END)"),
         sqliteOnly(R"(CREATE TRIGGER projects_lock_kept BEFORE UPDATE OF locked_at_us ON projects
            WHEN OLD.locked_at_us IS NOT NULL
                 AND (NEW.locked_at_us IS NULL OR NEW.locked_at_us <> OLD.locked_at_us)
            BEGIN SELECT RAISE(ABORT, 'a project''s lock is never lifted'); END)"),
         postgresOnly(
             R"(CREATE FUNCTION projects_keep_lock() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF OLD.locked_at_us IS NULL THEN
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'the project is used by a submitted application'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF NEW.locked_at_us IS DISTINCT FROM OLD.locked_at_us THEN
                    RAISE EXCEPTION 'a project''s lock is never lifted'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END
            $body$)"),
         postgresOnly(R"(CREATE TRIGGER projects_keep_lock BEFORE UPDATE OR DELETE ON projects
            FOR EACH ROW EXECUTE FUNCTION projects_keep_lock())"),
     }},
    {12,
     "issue-11 fixes: filings in submission order; filing data kept out of the listed rows",
     {
         // Every state at once (the reviewers' list without a state filter) in submission order.
         "CREATE INDEX filings_submitted ON filings (submitted_at_us, id)",
         // The data (a few KB a version) goes to the TOAST table, so the rows a list scans
         // ("name contains" reads every name) stay a few hundred bytes.
         postgresOnly("ALTER TABLE filings SET (toast_tuple_target = 128)"),
     }},
    {13,
     "activities and applications (申报): one-time submit, locked in the database",
     {
         // Activities (申报活动, issue 12): an award's call with its submission window (UTC
         // microseconds; shown in Asia/Shanghai), the book template, what evidence a submission
         // needs (evidence_json: [{kind, label, min_count, check}]), how many completing units
         // seal the commitment letters (1-3, seed 002), the recommending-unit list and whether
         // reviewers may return an application for correction (退回修改). last_number counts
         // the activity's submissions: an application's number is given at its first submit.
         sqliteOnly(R"(CREATE TABLE activities (
                code              TEXT PRIMARY KEY CHECK (code <> '' AND code NOT GLOB '*[^a-z0-9-]*'),
                title             TEXT NOT NULL,
                kind              TEXT NOT NULL
                                  CHECK (kind IN ('benchmark', 'tech_project', 'tech_individual')),
                template_id       TEXT NOT NULL,
                opens_at_us       BIGINT NOT NULL,
                closes_at_us      BIGINT NOT NULL,
                review_until_us   BIGINT NOT NULL,
                evidence_json     TEXT NOT NULL,
                completing_units  INTEGER NOT NULL CHECK (completing_units BETWEEN 1 AND 3),
                recommending_list TEXT NOT NULL,
                allow_return      INTEGER NOT NULL CHECK (allow_return IN (0, 1)),
                last_number       BIGINT NOT NULL DEFAULT 0 CHECK (last_number >= 0),
                version           BIGINT NOT NULL CHECK (version >= 1),
                created_at_us     BIGINT NOT NULL,
                created_by        TEXT REFERENCES accounts (id),
                updated_at_us     BIGINT NOT NULL,
                updated_by        TEXT REFERENCES accounts (id),
                CHECK (opens_at_us < closes_at_us AND closes_at_us <= review_until_us)
            ))"),
         // Activities (申报活动, issue 12): an award's call with its submission window (UTC
         // microseconds; shown in Asia/Shanghai), the book template, what evidence a submission
         // needs (evidence_json: [{kind, label, min_count, check}]), how many completing units
         // seal the commitment letters (1-3, seed 002), the recommending-unit list and whether
         // reviewers may return an application for correction (退回修改). last_number counts
         // the activity's submissions: an application's number is given at its first submit.
         postgresOnly(R"(CREATE TABLE activities (
                code              TEXT PRIMARY KEY CHECK (code ~ '^[a-z0-9-]+$'),
                title             TEXT NOT NULL,
                kind              TEXT NOT NULL
                                  CHECK (kind IN ('benchmark', 'tech_project', 'tech_individual')),
                template_id       TEXT NOT NULL,
                opens_at_us       BIGINT NOT NULL,
                closes_at_us      BIGINT NOT NULL,
                review_until_us   BIGINT NOT NULL,
                evidence_json     TEXT NOT NULL,
                completing_units  INTEGER NOT NULL CHECK (completing_units BETWEEN 1 AND 3),
                recommending_list TEXT NOT NULL,
                allow_return      INTEGER NOT NULL CHECK (allow_return IN (0, 1)),
                last_number       BIGINT NOT NULL DEFAULT 0 CHECK (last_number >= 0),
                version           BIGINT NOT NULL CHECK (version >= 1),
                created_at_us     BIGINT NOT NULL,
                created_by        TEXT REFERENCES accounts (id),
                updated_at_us     BIGINT NOT NULL,
                updated_by        TEXT REFERENCES accounts (id),
                CHECK (opens_at_us < closes_at_us AND closes_at_us <= review_until_us)
            ))"),
         "CREATE INDEX activities_window ON activities (closes_at_us, opens_at_us)",
         // One application per (activity, organization, project). state: draft → submitted →
         // under_review → passed | failed | returned (→ submitted again, or failed when its
         // deadline lapses); submitted → withdrawn until review starts. Only a draft or a
         // returned application is open to its applicant: in every other state its content
         // and its documents are locked (triggers below). A draft goes with its project
         // (ON DELETE CASCADE); a submitted one has locked its project, which stays.
         R"(CREATE TABLE applications (
                id                        TEXT PRIMARY KEY,
                activity_code             TEXT NOT NULL REFERENCES activities (code),
                organization_id           TEXT NOT NULL REFERENCES organizations (id),
                project_id                TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
                state                     TEXT NOT NULL CHECK (state IN ('draft', 'submitted',
                                            'under_review', 'passed', 'failed', 'returned',
                                            'withdrawn')),
                version                   BIGINT NOT NULL CHECK (version >= 1),
                form_json                 TEXT NOT NULL,
                recommending_unit         TEXT NOT NULL,
                contact_json              TEXT NOT NULL,
                commitment_accepted_at_us BIGINT,
                commitment_accepted_by    TEXT REFERENCES accounts (id),
                number                    TEXT UNIQUE,
                filing_id                 TEXT REFERENCES filings (id),
                project_snapshot_json     TEXT,
                created_at_us             BIGINT NOT NULL,
                created_by                TEXT REFERENCES accounts (id),
                updated_at_us             BIGINT NOT NULL,
                updated_by                TEXT REFERENCES accounts (id),
                submitted_at_us           BIGINT,
                submitted_by              TEXT REFERENCES accounts (id),
                state_changed_at_us       BIGINT NOT NULL,
                return_deadline_us        BIGINT,
                UNIQUE (activity_code, organization_id, project_id)
            ))",
         "CREATE INDEX applications_organization ON applications (organization_id, "
         "state_changed_at_us)",
         "CREATE INDEX applications_activity ON applications (activity_code, state, "
         "submitted_at_us)",
         // The documents an application attaches, by role: summary (总结材料), commitment
         // (承诺书, one per completing unit), evidence (证实性材料, of a required kind or none).
         R"(CREATE TABLE application_documents (
                application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
                document_id    TEXT NOT NULL REFERENCES documents (id),
                role           TEXT NOT NULL CHECK (role IN ('summary', 'commitment', 'evidence')),
                evidence_kind  TEXT NOT NULL DEFAULT '',
                position       INTEGER NOT NULL,
                PRIMARY KEY (application_id, document_id)
            ))",
         "CREATE INDEX application_documents_document ON application_documents (document_id)",
         // After submission nothing changes (seed 002: 一次性提交): the database refuses a change
         // of a locked application's content and of its documents, whoever sends it. State
         // changes stay allowed, but only along the state machine.
         sqliteOnly(R"(CREATE TRIGGER applications_locked_content BEFORE UPDATE ON applications
            WHEN OLD.state NOT IN ('draft', 'returned') AND (NEW.id IS NOT OLD.id
                OR NEW.activity_code IS NOT OLD.activity_code
                OR NEW.organization_id IS NOT OLD.organization_id
                OR NEW.project_id IS NOT OLD.project_id OR NEW.form_json IS NOT OLD.form_json
                OR NEW.recommending_unit IS NOT OLD.recommending_unit
                OR NEW.contact_json IS NOT OLD.contact_json
                OR NEW.commitment_accepted_at_us IS NOT OLD.commitment_accepted_at_us
                OR NEW.commitment_accepted_by IS NOT OLD.commitment_accepted_by
                OR NEW.number IS NOT OLD.number OR NEW.filing_id IS NOT OLD.filing_id
                OR NEW.project_snapshot_json IS NOT OLD.project_snapshot_json
                OR NEW.submitted_at_us IS NOT OLD.submitted_at_us
                OR NEW.submitted_by IS NOT OLD.submitted_by)
            BEGIN SELECT RAISE(ABORT, 'the application is locked: it was submitted'); END)"),
         sqliteOnly(
             R"(CREATE TRIGGER applications_transitions BEFORE UPDATE OF state ON applications
            WHEN NEW.state IS NOT OLD.state AND NOT (
                (OLD.state = 'draft' AND NEW.state = 'submitted')
                OR (OLD.state = 'submitted' AND NEW.state IN ('under_review', 'withdrawn'))
                OR (OLD.state = 'under_review' AND NEW.state IN ('passed', 'failed', 'returned'))
                OR (OLD.state = 'returned' AND NEW.state IN ('submitted', 'failed')))
            BEGIN SELECT RAISE(ABORT, 'not a transition of an application'); END)"),
         sqliteOnly(R"(CREATE TRIGGER applications_locked_delete BEFORE DELETE ON applications
            WHEN OLD.state <> 'draft'
            BEGIN SELECT RAISE(ABORT, 'the application is locked: it was submitted'); END)"),
         // A draft deleted with its project lets its documents go.
         sqliteOnly(R"(CREATE TRIGGER applications_drop_uses AFTER DELETE ON applications
            BEGIN DELETE FROM document_uses WHERE used_by = 'application:' || OLD.id; END)"),
         sqliteOnly(R"(CREATE TRIGGER application_documents_locked_insert BEFORE INSERT
            ON application_documents
            WHEN (SELECT state FROM applications WHERE id = NEW.application_id)
                 NOT IN ('draft', 'returned')
            BEGIN SELECT RAISE(ABORT, 'the application is locked: it was submitted'); END)"),
         sqliteOnly(R"(CREATE TRIGGER application_documents_locked_update BEFORE UPDATE
            ON application_documents
            WHEN (SELECT state FROM applications WHERE id = OLD.application_id)
                 NOT IN ('draft', 'returned')
              OR (SELECT state FROM applications WHERE id = NEW.application_id)
                 NOT IN ('draft', 'returned')
            BEGIN SELECT RAISE(ABORT, 'the application is locked: it was submitted'); END)"),
         sqliteOnly(R"(CREATE TRIGGER application_documents_locked_delete BEFORE DELETE
            ON application_documents
            WHEN (SELECT state FROM applications WHERE id = OLD.application_id)
                 NOT IN ('draft', 'returned')
            BEGIN SELECT RAISE(ABORT, 'the application is locked: it was submitted'); END)"),
         postgresOnly(
             R"(CREATE FUNCTION applications_guard() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    IF OLD.state <> 'draft' THEN
                        RAISE EXCEPTION 'the application is locked: it was submitted'
                            USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN OLD;
                END IF;
                IF OLD.state NOT IN ('draft', 'returned') AND (NEW.id IS DISTINCT FROM OLD.id
                    OR NEW.activity_code IS DISTINCT FROM OLD.activity_code
                    OR NEW.organization_id IS DISTINCT FROM OLD.organization_id
                    OR NEW.project_id IS DISTINCT FROM OLD.project_id
                    OR NEW.form_json IS DISTINCT FROM OLD.form_json
                    OR NEW.recommending_unit IS DISTINCT FROM OLD.recommending_unit
                    OR NEW.contact_json IS DISTINCT FROM OLD.contact_json
                    OR NEW.commitment_accepted_at_us IS DISTINCT FROM OLD.commitment_accepted_at_us
                    OR NEW.commitment_accepted_by IS DISTINCT FROM OLD.commitment_accepted_by
                    OR NEW.number IS DISTINCT FROM OLD.number
                    OR NEW.filing_id IS DISTINCT FROM OLD.filing_id
                    OR NEW.project_snapshot_json IS DISTINCT FROM OLD.project_snapshot_json
                    OR NEW.submitted_at_us IS DISTINCT FROM OLD.submitted_at_us
                    OR NEW.submitted_by IS DISTINCT FROM OLD.submitted_by) THEN
                    RAISE EXCEPTION 'the application is locked: it was submitted'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF NEW.state IS DISTINCT FROM OLD.state AND NOT (
                    (OLD.state = 'draft' AND NEW.state = 'submitted')
                    OR (OLD.state = 'submitted' AND NEW.state IN ('under_review', 'withdrawn'))
                    OR (OLD.state = 'under_review' AND NEW.state IN ('passed', 'failed', 'returned'))
                    OR (OLD.state = 'returned' AND NEW.state IN ('submitted', 'failed'))) THEN
                    RAISE EXCEPTION 'not a transition of an application'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END
            $body$)"),
         postgresOnly(R"(CREATE TRIGGER applications_guard BEFORE UPDATE OR DELETE ON applications
            FOR EACH ROW EXECUTE FUNCTION applications_guard())"),
         postgresOnly(
             R"(CREATE FUNCTION applications_drop_uses() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                DELETE FROM document_uses WHERE used_by = 'application:' || OLD.id;
                RETURN OLD;
            END
            $body$)"),
         postgresOnly(R"(CREATE TRIGGER applications_drop_uses AFTER DELETE ON applications
            FOR EACH ROW EXECUTE FUNCTION applications_drop_uses())"),
         // A link row's application is looked up as it stands: during the cascade of a draft's
         // deletion it is gone (NULL), which is not locked.
         postgresOnly(
             R"(CREATE FUNCTION application_documents_guard() RETURNS trigger LANGUAGE plpgsql
            AS $body$
            BEGIN
                IF (TG_OP <> 'INSERT' AND (SELECT state FROM applications
                        WHERE id = OLD.application_id) NOT IN ('draft', 'returned'))
                   OR (TG_OP <> 'DELETE' AND (SELECT state FROM applications
                        WHERE id = NEW.application_id) NOT IN ('draft', 'returned')) THEN
                    RAISE EXCEPTION 'the application is locked: it was submitted'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END
            $body$)"),
         postgresOnly(
             R"(CREATE TRIGGER application_documents_guard BEFORE INSERT OR UPDATE OR DELETE
            ON application_documents FOR EACH ROW EXECUTE FUNCTION application_documents_guard())"),
     }},
    {14,
     "formal review decisions and notifications",
     {
         // Formal review (形式审查, issue 12): one row per decision on an application. A
         // decision is taken on the version the reviewer saw under review; (application,
         // version) is unique, so of racing decisions the database keeps one.
         R"(CREATE TABLE review_decisions (
                id                  TEXT PRIMARY KEY,
                application_id      TEXT NOT NULL REFERENCES applications (id),
                application_version BIGINT NOT NULL,
                decision            TEXT NOT NULL CHECK (decision IN ('pass', 'fail', 'return')),
                reasons_json        TEXT NOT NULL,
                comment             TEXT NOT NULL,
                reviewer_id         TEXT NOT NULL REFERENCES accounts (id),
                decided_at_us       BIGINT NOT NULL,
                return_deadline_us  BIGINT,
                CHECK ((decision = 'return') = (return_deadline_us IS NOT NULL)),
                UNIQUE (application_id, application_version)
            ))",
         // In-app notifications (seed 000: 我的申报): one row per member of the organization
         // and state change of one of its applications, written in the transition's
         // transaction. A state change raises the application's version, so (account,
         // application, version) names one notification.
         R"(CREATE TABLE notifications (
                account_id          TEXT NOT NULL REFERENCES accounts (id),
                application_id      TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
                application_version BIGINT NOT NULL,
                state               TEXT NOT NULL,
                created_at_us       BIGINT NOT NULL,
                read_at_us          BIGINT,
                PRIMARY KEY (account_id, application_id, application_version)
            ))",
         "CREATE INDEX notifications_account ON notifications (account_id, read_at_us, "
         "created_at_us)",
     }},
    {15,
     "returned applications by their deadline",
     {
         // A returned application (退回修改) that is not submitted again by its deadline fails:
         // the sweep and every read look for the returned ones whose deadline has come. Only
         // those rows are in the index, so it stays as small as the returns awaiting
         // correction.
         "CREATE INDEX applications_return_due ON applications (return_deadline_us) "
         "WHERE state = 'returned'",
     }},
    {17,
     "the reviewers' filing list from one narrow index",
     {
         // Everything the list filters and orders on, in submission order: its page is found
         // without reading the rows (a filing's row holds its data, ~2 KB, just under the size
         // PostgreSQL moves out of line), and "name contains" counts from the index.
         "CREATE INDEX filings_listing ON filings (submitted_at_us, id, state, province, "
         "name_key)",
     }},
    {18,
     "QC groups and teams (小组/班组备案) and their yearly counts",
     {
         // One row per filed result of a QC group (小组) or team (班组), filed one by one or
         // imported (seed 001). The import's duplicate rule is the unique key: a record whose
         // 成果名称 and 小组名称 equal one the organization already has (of the same kind) is
         // never stored twice, whichever of two concurrent imports commits first.
         R"(CREATE TABLE qc_records (
                id              TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                kind            TEXT NOT NULL CHECK (kind IN ('group', 'team')),
                year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
                title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
                group_name      TEXT NOT NULL CHECK (length(group_name) BETWEEN 1 AND 50),
                enterprise      TEXT NOT NULL CHECK (length(enterprise) <= 100),
                member_count    INTEGER NOT NULL CHECK (member_count BETWEEN 1 AND 999),
                leader          TEXT NOT NULL CHECK (length(leader) BETWEEN 1 AND 30),
                founded_on      TEXT CHECK (founded_on IS NULL OR length(founded_on) = 10),
                source          TEXT NOT NULL CHECK (source IN ('form', 'import')),
                version         BIGINT NOT NULL,
                created_at_us   BIGINT NOT NULL,
                created_by      TEXT REFERENCES accounts (id),
                updated_at_us   BIGINT NOT NULL,
                updated_by      TEXT REFERENCES accounts (id),
                UNIQUE (organization_id, kind, title, group_name)
            ))",
         "CREATE INDEX qc_records_listing ON qc_records (organization_id, year, kind, "
         "created_at_us)",
         "CREATE INDEX qc_records_year ON qc_records (year, organization_id)",
         // 设置: the numbers of groups and teams an organization declares for a year.
         R"(CREATE TABLE qc_year_counts (
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
                group_count     INTEGER NOT NULL CHECK (group_count BETWEEN 0 AND 1000000),
                team_count      INTEGER NOT NULL CHECK (team_count BETWEEN 0 AND 1000000),
                updated_at_us   BIGINT NOT NULL,
                updated_by      TEXT REFERENCES accounts (id),
                PRIMARY KEY (organization_id, year)
            ))",
     }},
    {19,
     "leader candidates, public notice, objections and certificates",
     {
         // 企标领跑者 (seed 003, issue 14): an organization's declaration for a key-field
         // product (templates/key-field-products) after a passing 对标. kind 'leader' goes to
         // the evaluator (submitted → notice, or refused); 'self_declared' (3/4-star 自我声明)
         // is final as declared. The notice's dates are Beijing calendar days: the certificate
         // issues from the day after notice_ends_on.
         R"(CREATE TABLE leader_candidates (
                id               TEXT PRIMARY KEY,
                organization_id  TEXT NOT NULL REFERENCES organizations (id),
                kind             TEXT NOT NULL CHECK (kind IN ('leader', 'self_declared')),
                product_id       TEXT NOT NULL,
                product_name     TEXT NOT NULL,
                standard_number  TEXT NOT NULL,
                standard_name    TEXT NOT NULL,
                values_json      TEXT NOT NULL,
                benchmark_json   TEXT NOT NULL,
                star_level       INTEGER NOT NULL CHECK (star_level BETWEEN 3 AND 5),
                state            TEXT NOT NULL
                                 CHECK (state IN ('submitted', 'notice', 'refused', 'declared')),
                notice_starts_on TEXT,
                notice_ends_on   TEXT,
                decided_by       TEXT REFERENCES accounts (id),
                decision_comment TEXT NOT NULL DEFAULT '',
                created_by       TEXT NOT NULL REFERENCES accounts (id),
                created_at_us    BIGINT NOT NULL,
                updated_at_us    BIGINT NOT NULL,
                CHECK ((state = 'notice') = (notice_ends_on IS NOT NULL)),
                CHECK ((kind = 'self_declared') = (state = 'declared'))
            ))",
         // One live declaration per organization, product and enterprise standard.
         "CREATE UNIQUE INDEX leader_candidates_live ON leader_candidates (organization_id, "
         "product_id, standard_number) WHERE state IN ('submitted', 'notice', 'declared')",
         "CREATE INDEX leader_candidates_state ON leader_candidates (state, created_at_us)",
         // The product models (型号/规格) a candidate covers; one label each. Models added
         // after the certificate issued (追加规格/型号) carry added_after_issue = 1.
         R"(CREATE TABLE leader_models (
                candidate_id      TEXT NOT NULL REFERENCES leader_candidates (id),
                model             TEXT NOT NULL,
                position          INTEGER NOT NULL,
                added_after_issue INTEGER NOT NULL DEFAULT 0,
                added_at_us       BIGINT NOT NULL,
                PRIMARY KEY (candidate_id, model)
            ))",
         // Objections (异议) lodged during the notice by anyone; resolved by the evaluator.
         R"(CREATE TABLE leader_objections (
                id             TEXT PRIMARY KEY,
                candidate_id   TEXT NOT NULL REFERENCES leader_candidates (id),
                text           TEXT NOT NULL,
                contact        TEXT NOT NULL,
                lodged_at_us   BIGINT NOT NULL,
                state          TEXT NOT NULL CHECK (state IN ('open', 'upheld', 'dismissed')),
                resolution     TEXT NOT NULL DEFAULT '',
                resolved_by    TEXT REFERENCES accounts (id),
                resolved_at_us BIGINT,
                CHECK ((state = 'open') = (resolved_at_us IS NULL))
            ))",
         "CREATE INDEX leader_objections_open ON leader_objections (candidate_id) "
         "WHERE state = 'open'",
         // Issued certificates. The number is random (CSPRNG), the primary key; what was
         // certified is copied in so a verification reads one row. One live (unrevoked)
         // certificate per candidate; a revoked one stays, so its number keeps answering.
         R"(CREATE TABLE certificates (
                number           TEXT PRIMARY KEY,
                candidate_id     TEXT NOT NULL REFERENCES leader_candidates (id),
                organization_id  TEXT NOT NULL REFERENCES organizations (id),
                enterprise_name  TEXT NOT NULL,
                credit_code      TEXT NOT NULL,
                product_id       TEXT NOT NULL,
                product_name     TEXT NOT NULL,
                domain           TEXT NOT NULL,
                standard_number  TEXT NOT NULL,
                standard_name    TEXT NOT NULL,
                evaluation_body  TEXT NOT NULL,
                star_level       INTEGER NOT NULL CHECK (star_level BETWEEN 3 AND 5),
                issued_on        TEXT NOT NULL,
                valid_until      TEXT NOT NULL,
                issued_at_us     BIGINT NOT NULL,
                key_id           TEXT NOT NULL,
                signature        TEXT NOT NULL,
                unstamped_sha256 TEXT NOT NULL,
                stamped_sha256   TEXT,
                seal_png         TEXT,
                stamped_at_us    BIGINT,
                revoked_at_us    BIGINT,
                revoked_on       TEXT,
                revoked_reason   TEXT,
                CHECK ((stamped_sha256 IS NULL) = (seal_png IS NULL)),
                CHECK ((revoked_at_us IS NULL) = (revoked_reason IS NULL))
            ))",
         "CREATE UNIQUE INDEX certificates_live ON certificates (candidate_id) "
         "WHERE revoked_at_us IS NULL",
         // An open objection blocks the certificate, whatever code path inserts it.
         sqliteOnly(R"(CREATE TRIGGER certificates_no_open_objection BEFORE INSERT ON certificates
            WHEN EXISTS (SELECT 1 FROM leader_objections
                         WHERE candidate_id = NEW.candidate_id AND state = 'open')
            BEGIN SELECT RAISE(ABORT, 'an open objection blocks the certificate'); END)"),
         postgresOnly(
             R"(CREATE FUNCTION certificates_no_open_objection() RETURNS trigger
            LANGUAGE plpgsql AS $body$
            BEGIN
                IF EXISTS (SELECT 1 FROM leader_objections
                           WHERE candidate_id = NEW.candidate_id AND state = 'open') THEN
                    RAISE EXCEPTION 'an open objection blocks the certificate'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END
            $body$)"),
         postgresOnly(R"(CREATE TRIGGER certificates_no_open_objection BEFORE INSERT
            ON certificates FOR EACH ROW EXECUTE FUNCTION certificates_no_open_objection())"),
         // Evidence of a candidate (证明资料上传): documents of its organization.
         R"(CREATE TABLE leader_evidence (
                candidate_id TEXT NOT NULL REFERENCES leader_candidates (id),
                document_id  TEXT NOT NULL REFERENCES documents (id),
                added_at_us  BIGINT NOT NULL,
                PRIMARY KEY (candidate_id, document_id)
            ))",
     }},
    {20,
     "leader candidates certified and revoked with their certificate; self-declaration records; "
     "stamped certificate PDFs",
     {
         // The candidate's state follows its certificate: a leader's notice → certified in the
         // issue's transaction, certified → revoked in the revocation's; a self-declared
         // product (3/4 星) stays declared while its record (below) holds, revoked with it. The
         // state set per kind is a CHECK, the transitions a trigger (certified only with a live
         // certificate, revoked only with a revoked one), so no code path can leave an issued
         // candidate reading 'notice'.
         // SQLite cannot alter a CHECK: the table is rebuilt. Its children keep referencing
         // it by name; their foreign keys are deferred to the migration's commit, by which time
         // every parent row is back (DROP counts the dangling children, INSERT uncounts them).
         sqliteOnly("PRAGMA defer_foreign_keys = ON"),
         sqliteOnly("CREATE TABLE leader_candidates_v19 AS SELECT * FROM leader_candidates"),
         sqliteOnly("DROP TABLE leader_candidates"),
         sqliteOnly(R"(CREATE TABLE leader_candidates (
                id               TEXT PRIMARY KEY,
                organization_id  TEXT NOT NULL REFERENCES organizations (id),
                kind             TEXT NOT NULL CHECK (kind IN ('leader', 'self_declared')),
                product_id       TEXT NOT NULL,
                product_name     TEXT NOT NULL,
                standard_number  TEXT NOT NULL,
                standard_name    TEXT NOT NULL,
                values_json      TEXT NOT NULL,
                benchmark_json   TEXT NOT NULL,
                star_level       INTEGER NOT NULL CHECK (star_level BETWEEN 3 AND 5),
                state            TEXT NOT NULL,
                notice_starts_on TEXT,
                notice_ends_on   TEXT,
                decided_by       TEXT REFERENCES accounts (id),
                decision_comment TEXT NOT NULL DEFAULT '',
                created_by       TEXT NOT NULL REFERENCES accounts (id),
                created_at_us    BIGINT NOT NULL,
                updated_at_us    BIGINT NOT NULL,
                CONSTRAINT leader_candidates_kind_state CHECK (CASE kind
                    WHEN 'leader' THEN state IN ('submitted', 'notice', 'certified', 'revoked',
                                                 'refused')
                    ELSE state IN ('declared', 'revoked') END),
                CONSTRAINT leader_candidates_notice_dates CHECK (
                    (kind = 'leader' AND state IN ('notice', 'certified', 'revoked'))
                    = (notice_ends_on IS NOT NULL))
            ))"),
         sqliteOnly("INSERT INTO leader_candidates SELECT * FROM leader_candidates_v19"),
         sqliteOnly("DROP TABLE leader_candidates_v19"),
         sqliteOnly("CREATE INDEX leader_candidates_state ON leader_candidates (state, "
                    "created_at_us)"),
         postgresOnly(
             "ALTER TABLE leader_candidates DROP CONSTRAINT leader_candidates_state_check"),
         postgresOnly("ALTER TABLE leader_candidates DROP CONSTRAINT leader_candidates_check"),
         postgresOnly("ALTER TABLE leader_candidates DROP CONSTRAINT leader_candidates_check1"),
         postgresOnly("ALTER TABLE leader_candidates ADD CONSTRAINT leader_candidates_kind_state "
                      "CHECK (CASE kind WHEN 'leader' THEN state IN ('submitted', 'notice', "
                      "'certified', 'revoked', 'refused') ELSE state IN ('declared', 'revoked') "
                      "END)"),
         postgresOnly("ALTER TABLE leader_candidates ADD CONSTRAINT leader_candidates_notice_dates "
                      "CHECK ((kind = 'leader' AND state IN ('notice', 'certified', 'revoked')) = "
                      "(notice_ends_on IS NOT NULL))"),
         postgresOnly("DROP INDEX leader_candidates_live"),
         // A certified candidate is live (no second declaration of the same standard); a
         // revoked one is not, so the organization may declare it again.
         "CREATE UNIQUE INDEX leader_candidates_live ON leader_candidates (organization_id, "
         "product_id, standard_number) WHERE state IN ('submitted', 'notice', 'certified', "
         "'declared')",
         // What a row of certificates is: a leader's certificate (领跑者证书), or the record of a
         // 3/4-star self-declaration (自我声明) its labels carry and verification answers for.
         "ALTER TABLE certificates ADD COLUMN kind TEXT NOT NULL DEFAULT 'leader' "
         "CHECK (kind IN ('leader', 'self_declared'))",
         // The stamped certificate (盖章证书) the evaluator uploads: a PDF in the blob store,
         // served from then on instead of the rendering.
         "ALTER TABLE certificates ADD COLUMN stamped_pdf_sha256 TEXT REFERENCES blobs (sha256)",
         sqliteOnly("ALTER TABLE certificates ADD COLUMN stamped_pdf_at_us BIGINT "
                    "CHECK ((stamped_pdf_sha256 IS NULL) = (stamped_pdf_at_us IS NULL))"),
         postgresOnly("ALTER TABLE certificates ADD COLUMN stamped_pdf_at_us BIGINT"),
         postgresOnly("ALTER TABLE certificates ADD CONSTRAINT certificates_stamped_pdf "
                      "CHECK ((stamped_pdf_sha256 IS NULL) = (stamped_pdf_at_us IS NULL))"),
         // Candidates certified before this version.
         R"(UPDATE leader_candidates SET state = CASE WHEN EXISTS (
                SELECT 1 FROM certificates c
                WHERE c.candidate_id = leader_candidates.id AND c.revoked_at_us IS NULL)
                THEN 'certified' ELSE 'revoked' END
            WHERE state = 'notice' AND EXISTS (
                SELECT 1 FROM certificates c WHERE c.candidate_id = leader_candidates.id))",
         sqliteOnly(R"(CREATE TRIGGER leader_candidates_transition
            BEFORE UPDATE OF state ON leader_candidates
            WHEN OLD.state <> NEW.state AND NOT (
                (OLD.state = 'submitted' AND NEW.state IN ('notice', 'refused'))
                OR (OLD.state = 'notice' AND NEW.state = 'refused')
                OR (OLD.state = 'notice' AND NEW.state = 'certified' AND EXISTS (
                    SELECT 1 FROM certificates
                    WHERE candidate_id = NEW.id AND revoked_at_us IS NULL))
                OR (OLD.state IN ('certified', 'declared') AND NEW.state = 'revoked' AND EXISTS (
                    SELECT 1 FROM certificates
                    WHERE candidate_id = NEW.id AND revoked_at_us IS NOT NULL)))
            BEGIN SELECT RAISE(ABORT, 'leader candidate: no such state transition'); END)"),
         postgresOnly(R"(CREATE FUNCTION leader_candidates_transition() RETURNS trigger
            LANGUAGE plpgsql AS $body$
            BEGIN
                IF OLD.state <> NEW.state AND NOT (
                    (OLD.state = 'submitted' AND NEW.state IN ('notice', 'refused'))
                    OR (OLD.state = 'notice' AND NEW.state = 'refused')
                    OR (OLD.state = 'notice' AND NEW.state = 'certified' AND EXISTS (
                        SELECT 1 FROM certificates
                        WHERE candidate_id = NEW.id AND revoked_at_us IS NULL))
                    OR (OLD.state IN ('certified', 'declared') AND NEW.state = 'revoked'
                        AND EXISTS (SELECT 1 FROM certificates
                                    WHERE candidate_id = NEW.id AND revoked_at_us IS NOT NULL)))
                THEN
                    RAISE EXCEPTION 'leader candidate: no state transition from % to %',
                        OLD.state, NEW.state USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END
            $body$)"),
         postgresOnly(R"(CREATE TRIGGER leader_candidates_transition BEFORE UPDATE OF state
            ON leader_candidates FOR EACH ROW EXECUTE FUNCTION leader_candidates_transition())"),
     }},
};

}  // namespace

std::span<const Migration> allMigrations() { return kMigrations; }

std::vector<std::string_view> statementsFor(const Migration& m, Dialect dialect) {
    std::vector<std::string_view> out;
    for (const auto& s : m.statements)
        if (!s.only || *s.only == dialect) out.push_back(s.sql);
    return out;
}

}  // namespace dossier::storage

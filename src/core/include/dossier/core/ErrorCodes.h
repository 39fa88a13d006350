#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

/// The registry of every stable code Dossier gives out: errors, the problems listed in a
/// validation error, the outcomes of evidence checks and the command line's refusals.
/// Clients match on the text; never rename one. A code exists only as a row of the table
/// below (a dossier::ErrorCode cannot be made from a string), so the compiler refuses a code
/// that is not registered. The HTTP status (http/Problem.cpp) and the lists in the served
/// OpenAPI document are read from this table, and a test walks it (tests/unit/error_codes_test).
///
/// To add a code: one row here, with its status, category and a one-line meaning.
namespace dossier {

/// What kind of code a row is. Code that needs to know ("is this the file's fault?") asks
/// the category, never the text's prefix.
enum class ErrorCategory : std::uint8_t {
    Request,     // the HTTP request is malformed or asks for what the route does not offer
                 // (4xx, and 505 for an HTTP version it does not speak)
    Auth,        // who the caller is and what it may do (401, 403, 429)
    NotFound,    // the thing named does not exist, or the caller may not know it does (404)
    Conflict,    // the request clashes with what is stored (409)
    Content,     // a submitted file is refused for its bytes or size; a check meeting such a
                 // file records the code as its outcome
    Validation,  // submitted data is refused as a whole (422)
    Field,       // one problem inside validation.failed's `errors`; never a problem's own code
    Check,       // the outcome of an evidence check (pass, warn or fail), inside a 200 body
    Server,      // Dossier or what it runs on failed (5xx); the client cannot fix it
    Cli,         // the command line and server start-up; never sent over HTTP
};

std::string_view nameOf(ErrorCategory category);

// X(constant, text, HTTP status, category, meaning). Check and Field rows carry the status of
// the response they travel in (200 and 422); Cli rows the status they would have.
// clang-format off
#define DOSSIER_ERROR_CODES(X) \
    X(RequestMalformed, "request.malformed", 400, Request, "The request or one of its parameters is malformed.") \
    X(RequestTooLarge, "request.too_large", 413, Request, "The request body is larger than the route accepts.") \
    X(RequestUnsupportedMediaType, "request.unsupported_media_type", 415, Request, "The request body is not of a media type the route accepts.") \
    X(RouteNotFound, "route.not_found", 404, NotFound, "There is no such resource.") \
    X(MethodNotAllowed, "route.method_not_allowed", 405, Request, "The resource does not support the method (see Allow).") \
    X(VariantUnknown, "variant.unknown", 400, Request, "The content variant asked for does not exist.") \
    X(RangeNotSatisfiable, "range.not_satisfiable", 416, Request, "The byte range asked for lies outside the content.") \
    X(RequestTimeout, "request.timeout", 408, Request, "The request's header block did not arrive within its deadline, or its body came slower than the minimum rate.") \
    X(RequestUriTooLong, "request.uri_too_long", 414, Request, "The request line (method, target, version) is longer than the server reads.") \
    X(RequestHeaderTooLarge, "request.header_too_large", 431, Request, "A header field, the number of fields or the whole header block exceeds the server's limit.") \
    X(RequestVersionNotSupported, "request.version_not_supported", 505, Request, "The request's HTTP version is not 1.0 or 1.1.") \
    X(ClientTooManyConnections, "client.too_many_connections", 429, Request, "The client's address already holds as many connections as one address may.") \
    X(ClientRateLimited, "client.rate_limited", 429, Request, "The client's address sent more sign-ins, registrations or lookups than allowed; retry after Retry-After.") \
    \
    X(UploadEmpty, "upload.empty", 422, Content, "The uploaded file is empty.") \
    X(UploadTooLarge, "upload.too_large", 413, Content, "The file is larger than its kind's limit.") \
    X(UploadTypeNotAllowed, "upload.type_not_allowed", 415, Content, "The file's type (sniffed from its bytes) is not allowed for its kind.") \
    X(UploadTruncated, "upload.truncated", 422, Content, "The upload ended before the file did.") \
    X(UploadCorrupt, "upload.corrupt", 422, Content, "The file's bytes are damaged.") \
    X(UploadFileMissing, "upload.file_missing", 400, Request, "The multipart body has no `file` part.") \
    X(UploadFileNameMissing, "upload.file_name_missing", 400, Request, "The file part has no file name (filename or filename*).") \
    X(UploadFileNameInvalid, "upload.file_name_invalid", 400, Request, "The file part's name cannot be decoded or is not a usable name.") \
    X(UploadKindUnknown, "upload.kind_unknown", 422, Request, "The document kind is missing or not one Dossier knows.") \
    X(UploadFieldInvalid, "upload.field_invalid", 422, Request, "A multipart field other than the file is invalid.") \
    X(ImageTooLarge, "upload.image_too_large", 413, Content, "The image's pixel dimensions exceed the decoding limits.") \
    X(ImageCorrupt, "image.corrupt", 422, Content, "The image cannot be decoded.") \
    X(PdfEncrypted, "pdf.encrypted", 422, Content, "The PDF is encrypted.") \
    X(PdfCorrupt, "pdf.corrupt", 422, Content, "The PDF cannot be read.") \
    X(PdfTooManyPages, "pdf.too_many_pages", 422, Content, "The PDF has more pages than its kind allows.") \
    X(PdfPageTooLarge, "pdf.page_too_large", 422, Content, "A page of the PDF is larger than its kind allows.") \
    X(PdfImageTooLarge, "pdf.image_too_large", 422, Content, "An image in the PDF has more pixels than accepted.") \
    X(SealNotFound, "seal.not_found", 422, Content, "No red seal was found in the scan given to cut one from.") \
    \
    X(AuthRequired, "auth.required", 401, Auth, "No valid session: sign in and send the bearer token.") \
    X(AuthInvalidCredentials, "auth.invalid_credentials", 401, Auth, "The username or password is wrong.") \
    X(AuthLocked, "auth.locked", 429, Auth, "Too many wrong passwords: the account is locked for a while.") \
    X(AuthForbidden, "auth.forbidden", 403, Auth, "The caller's role may not do this.") \
    X(ReasonListNotFound, "reason_list.not_found", 404, NotFound, "No list of decision reasons has this id (filing-rejection-reasons, formal-review-reasons-benchmark, -tech-project, -tech-individual).") \
    X(AuthCsrfFailed, "auth.csrf_failed", 403, Auth, "A request that changes something, signed in by the session cookie, lacks the X-CSRF-Token header equal to its dossier_csrf cookie and session.") \
    X(AuthOriginMismatch, "auth.origin_mismatch", 403, Auth, "A request signed in by the session cookie (or a sign-in asking for one) came from another origin: its Origin, else its Referer, must name this server.") \
    X(ListNotFound, "list.not_found", 404, NotFound, "No reference list (templates/lists) has this name.") \
    X(VariantForbidden, "variant.forbidden", 403, Auth, "The caller may not receive this variant of the content.") \
    X(OrganizationMembershipRequired, "organization.membership_required", 403, Auth, "The account belongs to no organization: join one (or register it) first.") \
    \
    X(AccountUsernameTaken, "account.username_taken", 409, Conflict, "Another account has this username.") \
    X(AccountPhoneTaken, "account.phone_taken", 409, Conflict, "Another account has this mobile number.") \
    X(AccountOrganizationRegistered, "account.organization_registered", 409, Conflict, "The organization (by credit code) already has its admin.") \
    X(AccountHasHistory, "account.has_history", 409, Conflict, "The account has submitted something (a filing, an application): it cannot be deregistered.") \
    X(AccountAdminHasMembers, "account.admin_has_members", 409, Conflict, "The organization's admin cannot deregister while the organization has members: transfer the admin role first.") \
    X(AccountAlreadyMember, "account.already_member", 409, Conflict, "The account already belongs to an organization (an account belongs to at most one).") \
    X(JoinRequestPending, "join_request.pending", 409, Conflict, "The account already has a pending request to join an organization.") \
    X(JoinRequestDecided, "join_request.decided", 409, Conflict, "The join request is no longer pending (approved, refused or withdrawn).") \
    X(OrganizationAdminChanged, "organization.admin_changed", 409, Conflict, "The caller is no longer the organization's admin: the role was transferred meanwhile.") \
    X(MemberIsAdmin, "member.is_admin", 409, Conflict, "The account is the organization's admin: it cannot be removed, nor be given the role it holds.") \
    X(JoinRequestNotFound, "join_request.not_found", 404, NotFound, "No such join request for this organization.") \
    X(MemberNotFound, "member.not_found", 404, NotFound, "The account is not a member of this organization.") \
    X(VariantNotAvailable, "variant.not_available", 409, Conflict, "The document's type cannot carry this variant.") \
    \
    X(DocumentNotFound, "document.not_found", 404, NotFound, "No such document, or it belongs to another organization.") \
    X(OrganizationNotFound, "organization.not_found", 404, NotFound, "No such organization, or the caller may not see it.") \
    X(PageNotFound, "page.not_found", 404, NotFound, "The document has no such page.") \
    X(RenderUnknownDocument, "render.unknown_document", 404, NotFound, "There is no renderable document or template of that name.") \
    X(FilingNotFound, "filing.not_found", 404, NotFound, "No such filing (组织备案), or the caller may not see it; an organization that has filed nothing has nothing to submit.") \
    X(FilingNotEditable, "filing.not_editable", 409, Conflict, "The filing is under review (submitted): it can be edited again once a reviewer has decided.") \
    X(FilingStateConflict, "filing.state_conflict", 409, Conflict, "The filing is not in the state this action needs (already decided, not submitted, nothing open to submit); another request may have come first.") \
    \
    X(ValidationFailed, "validation.failed", 422, Validation, "The data has problems; every one is listed in `errors`.") \
    X(RequestNumberOutOfRange, "request.number_out_of_range", 422, Validation, "The JSON body holds a number beyond what can be represented (an integer over 64 bits, or beyond ±1.8e308).") \
    X(RenderGlyphMissing, "render.glyph_missing", 422, Validation, "The text has a character no installed font can print.") \
    X(ProjectNotFound, "project.not_found", 404, NotFound, "No such project (申报主体), or it belongs to another organization.") \
    X(ProjectInUse, "project.in_use", 409, Conflict, "The project is used by a submitted application and cannot be deleted.") \
    X(DocumentInUse, "document.in_use", 409, Conflict, "The document is used by a filing or a project and cannot be deleted.") \
    X(ActivityNotFound, "activity.not_found", 404, NotFound, "No activity (申报活动) has this code.") \
    X(ActivityCodeTaken, "activity.code_taken", 409, Conflict, "Another activity already has this code.") \
    X(ActivityClosed, "activity.closed", 409, Conflict, "The submission window is not open now (before its opening instant, or from its closing instant on; a returned application's deadline passed).") \
    X(ApplicationNotFound, "application.not_found", 404, NotFound, "No such application (申报), or it belongs to another organization.") \
    X(ApplicationExists, "application.exists", 409, Conflict, "The organization already has an application for this activity and project (one per activity, organization and project).") \
    X(ApplicationFilingRequired, "application.filing_required", 409, Conflict, "The organization has no approved filing (组织备案): it may apply once a reviewer approved one.") \
    X(ApplicationLocked, "application.locked", 409, Conflict, "The application was submitted: nothing in it changes any more (submitting it again included).") \
    X(ApplicationStateConflict, "application.state_conflict", 409, Conflict, "The application is not in the state this action needs (a withdrawal once review started, say); another request may have come first.") \
    X(ReviewReturnNotAllowed, "review.return_not_allowed", 409, Conflict, "The activity does not let reviewers return an application for correction (退回修改): pass or fail it.") \
    X(NotificationNotFound, "notification.not_found", 404, NotFound, "The caller has no notification of this id.") \
    X(RequestPreconditionFailed, "request.precondition_failed", 412, Request, "If-Match names another version than the current one: someone changed it since it was read.") \
    \
    X(FieldRequired, "field.required", 422, Field, "A required value is missing or empty.") \
    X(FieldType, "field.type", 422, Field, "The value has the wrong JSON type.") \
    X(FieldUnknown, "field.unknown", 422, Field, "The field is not part of the schema.") \
    X(FieldEncoding, "field.encoding", 422, Field, "The text is not valid UTF-8.") \
    X(FieldControlCharacter, "field.control_character", 422, Field, "The text contains a control character.") \
    X(FieldGlyphMissing, "field.glyph_missing", 422, Field, "The text has a character no installed font can print.") \
    X(FieldLineBreak, "field.line_break", 422, Field, "A single-line value contains a line break.") \
    X(FieldTooLong, "field.too_long", 422, Field, "The text is longer than allowed.") \
    X(FieldTooMany, "field.too_many", 422, Field, "The list has more entries than allowed.") \
    X(FieldTooFew, "field.too_few", 422, Field, "The list has fewer entries than required.") \
    X(FieldNotInList, "field.not_in_list", 422, Field, "The value is not one of the reference list's entries.") \
    X(FieldDuplicate, "field.duplicate", 422, Field, "The list names the same entry twice.") \
    X(FieldChoice, "field.choice", 422, Field, "The value is not one of the allowed choices.") \
    X(FieldYear, "field.year", 422, Field, "The key is not a year the field allows.") \
    X(FieldYearMissing, "field.year_missing", 422, Field, "A year the field requires is missing.") \
    X(FieldNotANumber, "field.not_a_number", 422, Field, "The value is not a finite number.") \
    X(FieldNotAnInteger, "field.not_an_integer", 422, Field, "The value is not a whole number.") \
    X(FieldRange, "field.range", 422, Field, "The number lies outside its allowed range.") \
    X(FieldOrder, "field.order", 422, Field, "Two values are in the wrong order (an end before its start).") \
    X(FieldCreditCode, "field.credit_code", 422, Field, "The value is not a valid 统一社会信用代码 (GB 32100).") \
    X(FieldDate, "field.date", 422, Field, "The value is not a date written YYYY-MM-DD.") \
    X(FieldIdentifier, "field.identifier", 422, Field, "The value is not an identifier: 1 to 64 lowercase letters, digits and '-'.") \
    X(FieldDateTime, "field.datetime", 422, Field, "The value is not an instant written ISO-8601 with its offset (2025-04-01T09:00:00+08:00).") \
    X(FieldEvidenceMissing, "field.evidence_missing", 422, Field, "Fewer documents of a required evidence kind are attached than the activity requires.") \
    X(FieldCommitmentCount, "field.commitment_count", 422, Field, "The number of commitment letters (承诺书) differs from the activity's number of completing units (one letter each).") \
    X(FieldCheckFailed, "field.check_failed", 422, Field, "An evidence check the activity requires of the document failed (seals missing on a commitment letter, say).") \
    X(FieldCheckPending, "field.check_pending", 422, Field, "An evidence check the activity requires of the document has not finished yet: submit again shortly.") \
    X(FieldFutureDate, "field.future_date", 422, Field, "The date lies after today (Asia/Shanghai).") \
    X(FieldSeparator, "field.separator", 422, Field, "One entry of a list holds a list separator (、，,;；): send each entry on its own.") \
    X(FieldMobile, "field.mobile", 422, Field, "The value is not an 11-digit mobile number.") \
    X(FieldReadOnly, "field.read_only", 422, Field, "The value is fixed (such as the credit code registered) and cannot be changed here.") \
    X(FieldDocumentNotFound, "field.document_not_found", 422, Field, "The value names no document of the organization.") \
    X(FieldDocumentKind, "field.document_kind", 422, Field, "The document named is not of a kind the field takes (a license upload as the license).") \
    X(FieldDecimals, "field.decimals", 422, Field, "The amount has more decimal places than allowed (万元 with at most two).") \
    X(FieldNotInProvince, "field.not_in_province", 422, Field, "The city does not lie in the province given.") \
    X(FieldTelephone, "field.telephone", 422, Field, "The value is not a telephone number.") \
    X(FieldEmail, "field.email", 422, Field, "The value is not an e-mail address.") \
    X(FieldPostcode, "field.postcode", 422, Field, "The value is not a 6-digit postcode.") \
    X(FieldUrl, "field.url", 422, Field, "The value is not an https:// URL.") \
    X(FieldUsername, "field.username", 422, Field, "The username is not 4 to 16 letters or digits.") \
    X(FieldPassword, "field.password", 422, Field, "The password breaks the password rules.") \
    \
    X(LicenseMatch, "license.match", 200, Check, "pass: the license's credit code (and name, when filed) match the filing.") \
    X(LicenseNameUncertain, "license.name_uncertain", 200, Check, "warn: the credit code matches; the name could not be read with certainty.") \
    X(LicenseNameObscured, "license.name_obscured", 200, Check, "warn: the credit code matches; a seal hides part of the name and what shows agrees with the filing.") \
    X(LicenseCodeRead, "license.code_read", 200, Check, "pass: a valid credit code was read; nothing was filed to compare it with.") \
    X(LicenseCodeMismatch, "license.code_mismatch", 200, Check, "fail: the license shows another credit code than the filing.") \
    X(LicenseNameMismatch, "license.name_mismatch", 200, Check, "fail: the license clearly names another organization than the filing.") \
    X(LicenseCodeInvalid, "license.code_invalid", 200, Check, "fail: the credit code read fails its GB 32100 check character.") \
    X(LicenseCodeNotFound, "license.code_not_found", 200, Check, "fail: no credit code could be read on the license.") \
    X(SealsPresent, "seals.present", 200, Check, "pass: at least the expected number of red seals was found.") \
    X(SealsMissing, "seals.missing", 200, Check, "fail: fewer red seals than expected were found.") \
    X(QualityOk, "quality.ok", 200, Check, "pass: resolution, contrast and skew are fine.") \
    X(QualityBlankPage, "quality.blank_page", 200, Check, "fail: the page is blank or nearly so.") \
    X(QualityLowResolution, "quality.low_resolution", 200, Check, "warn: under 150 dpi for an A4 page.") \
    X(QualitySkewed, "quality.skewed", 200, Check, "warn: the page is skewed by more than 5 degrees.") \
    X(QualityInverted, "quality.inverted", 200, Check, "warn: the page is a negative (light text on a dark ground).") \
    X(TextExtracted, "text.extracted", 200, Check, "pass: every page's text is stored for search.") \
    X(CheckInputInvalid, "check.input_invalid", 200, Check, "fail: the check's stored input is unusable, so it was not run (never retried).") \
    X(CheckFailed, "check.failed", 200, Check, "fail: the check could not be completed in 3 attempts (an unexpected failure).") \
    X(CheckAbandoned, "check.abandoned", 200, Check, "fail: the check's worker stopped on each of 3 attempts (the file may crash the checker).") \
    \
    X(QcRecordNotFound, "qc.record_not_found", 404, NotFound, "No such QC group or team record, or it belongs to another organization.") \
    X(QcDuplicate, "qc.duplicate", 409, Conflict, "The organization already has a record of this type with the same 成果名称 and 小组名称.") \
    X(ImportNotXlsx, "import.not_xlsx", 422, Content, "The file is not a readable XLSX workbook (another type, a damaged or encrypted ZIP, a workbook without its parts).") \
    X(ImportZipBomb, "import.zip_bomb", 422, Content, "A part of the workbook inflates far beyond its compressed size (a decompression bomb); nothing was imported.") \
    X(ImportTooLarge, "import.too_large", 413, Content, "A part of the workbook, or all of them, inflate beyond the import's limits; nothing was imported.") \
    X(ImportTooManyRows, "import.too_many_rows", 413, Content, "The sheet has more data rows than one import takes (qc_import_max_rows); nothing was imported.") \
    X(ImportSheetName, "import.sheet_name", 422, Content, "The workbook's first sheet is not named sheet1 (seed 001); nothing was imported.") \
    X(ImportHeader, "import.header", 422, Content, "The first row is not the title row 序号、成果名称、小组名称、所属企业、小组人数、组长、小组成立日期 in that order; the message names the column.") \
    X(ImportMalformed, "import.malformed", 422, Content, "A part of the workbook is not well-formed XML, or declares a DTD; nothing was imported.") \
    X(ImportFormulaUncached, "import.formula_uncached", 422, Field, "The cell holds a formula without a saved value: formulas are never calculated, save the workbook in Excel or paste the values.") \
    X(ImportCellError, "import.cell_error", 422, Field, "The cell holds an error value (#N/A, #REF!, ...).") \
    \
    X(StorageIo, "storage.io", 500, Server, "Reading or writing the data directory failed.") \
    X(StorageFull, "storage.full", 507, Server, "The data directory's disk is full.") \
    X(ArchiveWriteFailed, "archive.write_failed", 500, Server, "A ZIP archive being streamed could not be finished (the client went away, or an entry outgrew its declared size); what was sent has no central directory.") \
    X(BlobCorrupt, "storage.blob_corrupt", 500, Server, "A stored file no longer matches its digest; it is never served.") \
    X(BlobMissing, "storage.blob_missing", 500, Server, "A stored file is missing from the data directory.") \
    X(Database, "storage.database", 503, Server, "The database is unreachable or refused the statement.") \
    X(RenderFont, "render.font", 500, Server, "A font the renderer needs is missing or unusable.") \
    X(RenderFailed, "render.failed", 500, Server, "The renderer failed.") \
    X(RenderTemplate, "render.template", 500, Server, "A template or reference list on the server is invalid.") \
    X(ApplicationNotSubmitted, "application.not_submitted", 409, Conflict, "The application is not submitted, or was returned for correction: it has no receipt.") \
    X(ApplicationNoExperienceMaterial, "application.no_experience_material", 404, NotFound, "The activity's book asks for no experience material (典型经验材料): there is none to print.") \
    X(KeyFieldProductNotFound, "benchmark.product_not_found", 404, NotFound, "No such key-field product (重点领域产品) in the server's templates.") \
    X(BenchmarkFailed, "benchmark.failed", 422, Validation, "The disclosed or measured values do not reach the star level asked for (对标失败): the declaration cannot go on.") \
    X(CertificateCandidateNotFound, "certificate.candidate_not_found", 404, NotFound, "No such leader candidate, or the caller may not see it.") \
    X(CertificateCandidateTaken, "certificate.candidate_taken", 409, Conflict, "The organization already has a live candidate for this product and enterprise standard.") \
    X(CertificateCandidateState, "certificate.candidate_state", 409, Conflict, "The candidate is not in a state that allows this (approve a submitted one; objections only during its notice).") \
    X(CertificateNoticeRunning, "certificate.notice_running", 409, Conflict, "The public notice (公示) has not ended: the certificate is downloadable from the day after `notice_ends_on` (Asia/Shanghai).") \
    X(CertificateObjectionOpen, "certificate.objection_open", 409, Conflict, "An objection (异议) to the candidate is unresolved: the evaluator resolves it before the certificate issues.") \
    X(CertificateObjectionNotFound, "certificate.objection_not_found", 404, NotFound, "No such objection to this candidate.") \
    X(CertificateObjectionResolved, "certificate.objection_resolved", 409, Conflict, "The objection is resolved already.") \
    X(CertificateNotFound, "certificate.not_found", 404, NotFound, "No certificate has this number, or the caller may not see it.") \
    X(CertificateNotIssued, "certificate.not_issued", 409, Conflict, "The candidate has no certificate (it was refused, or its certificate was revoked).") \
    X(CertificateRevoked, "certificate.revoked", 409, Conflict, "The certificate is revoked already.") \
    X(CertificateModelNotFound, "certificate.model_not_found", 404, NotFound, "The candidate lists no such product model (型号/规格).") \
    X(CertificateModelTaken, "certificate.model_taken", 409, Conflict, "The candidate lists this product model already.") \
    X(CertificateSealInvalid, "certificate.seal_invalid", 422, Content, "The seal is not a PNG image of at most 1 MB and 2000 × 2000 pixels.") \
    X(CertificateKeyInvalid, "certificate.key_invalid", 500, Server, "The certificate signing key in the data directory cannot be read or made (its file must be an Ed25519 private key, mode 0600).") \
    X(CertificateSelfDeclared, "certificate.self_declared", 409, Conflict, "A self-declared 3/4-star product (自我声明) has labels and a verifiable record, not a certificate: there is none to download or stamp.") \
    X(CheckUnknown, "check.unknown", 500, Server, "A stored check job names a check this server does not know.") \
    X(ConfigInvalid, "config.invalid", 500, Cli, "A setting is invalid, or the data directory cannot be used.") \
    X(StartupFailed, "startup.failed", 500, Cli, "The server could not start (for example, it cannot listen).") \
    X(CliUsage, "cli.usage", 400, Cli, "The command line is wrong: an unknown option, a missing value or argument.") \
    X(ServerBusy, "server.busy", 503, Server, "The server holds as many connections or queued requests as it takes; retry after Retry-After.") \
    X(Internal, "internal", 500, Server, "An unexpected failure; the detail is logged, never sent.")
// clang-format on

namespace detail {
enum class ErrorCodeIndex : std::uint16_t {
#define DOSSIER_ERROR_CODE_INDEX(name, text, status, category, meaning) name,
    DOSSIER_ERROR_CODES(DOSSIER_ERROR_CODE_INDEX)
#undef DOSSIER_ERROR_CODE_INDEX
};
struct ErrorCodeFactory;
}  // namespace detail

/// One registered code: a small value (copy it freely). The only instances are the
/// constants in dossier::codes and what all() and parse() return. Thread-safe.
class ErrorCode {
  public:
    /// The stable text, such as "upload.too_large". Static storage.
    std::string_view text() const noexcept;
    /// The HTTP status a problem with this code is sent with (or, for Check and Field codes,
    /// the status of the response they are part of).
    int httpStatus() const noexcept;
    ErrorCategory category() const noexcept;
    /// One line for people: what the code means. Static storage.
    std::string_view meaning() const noexcept;

    /// Every registered code, in table order.
    static std::span<const ErrorCode> all() noexcept;
    /// The code with this text; nullopt for text that is not registered (such as a code
    /// read back from a database row written by another version).
    static std::optional<ErrorCode> parse(std::string_view text) noexcept;

    friend constexpr bool operator==(ErrorCode, ErrorCode) = default;
    /// Compares the text: tests pin the wire form (`EXPECT_EQ(e.code(), "upload.empty")`).
    friend bool operator==(ErrorCode code, std::string_view text) noexcept {
        return code.text() == text;
    }

  private:
    friend struct detail::ErrorCodeFactory;
    constexpr explicit ErrorCode(detail::ErrorCodeIndex index) noexcept : index_(index) {}
    detail::ErrorCodeIndex index_;
};

std::ostream& operator<<(std::ostream& out, ErrorCode code);
/// For log lines: "code=" + code.
std::string operator+(const std::string& left, ErrorCode code);
std::string operator+(const char* left, ErrorCode code);

namespace detail {
struct ErrorCodeFactory {
    static constexpr ErrorCode make(ErrorCodeIndex index) noexcept { return ErrorCode(index); }
};
}  // namespace detail

/// The codes, one constant per table row: `throw Error(codes::kUploadEmpty, "…")`.
namespace codes {
#define DOSSIER_ERROR_CODE_CONSTANT(name, text, status, category, meaning) \
    inline constexpr ErrorCode k##name =                                   \
        detail::ErrorCodeFactory::make(detail::ErrorCodeIndex::name);
DOSSIER_ERROR_CODES(DOSSIER_ERROR_CODE_CONSTANT)
#undef DOSSIER_ERROR_CODE_CONSTANT
}  // namespace codes

}  // namespace dossier

#pragma once

/// Stable error codes. Clients match on these strings; never rename one.
namespace dossier::codes {

inline constexpr const char* kRequestMalformed = "request.malformed";
inline constexpr const char* kRequestTooLarge = "request.too_large";
inline constexpr const char* kRequestUnsupportedMediaType = "request.unsupported_media_type";
inline constexpr const char* kRouteNotFound = "route.not_found";
inline constexpr const char* kMethodNotAllowed = "route.method_not_allowed";

inline constexpr const char* kUploadEmpty = "upload.empty";
inline constexpr const char* kUploadTooLarge = "upload.too_large";
inline constexpr const char* kUploadTypeNotAllowed = "upload.type_not_allowed";
inline constexpr const char* kUploadTruncated = "upload.truncated";
inline constexpr const char* kUploadCorrupt = "upload.corrupt";
inline constexpr const char* kUploadFileMissing = "upload.file_missing";
inline constexpr const char* kUploadFileNameMissing = "upload.file_name_missing";
inline constexpr const char* kUploadFileNameInvalid = "upload.file_name_invalid";
inline constexpr const char* kUploadKindUnknown = "upload.kind_unknown";
inline constexpr const char* kUploadFieldInvalid = "upload.field_invalid";

inline constexpr const char* kImageTooLarge = "upload.image_too_large";
inline constexpr const char* kImageCorrupt = "image.corrupt";
inline constexpr const char* kPdfEncrypted = "pdf.encrypted";
inline constexpr const char* kPdfCorrupt = "pdf.corrupt";

inline constexpr const char* kAuthRequired = "auth.required";
inline constexpr const char* kAuthInvalidCredentials = "auth.invalid_credentials";
inline constexpr const char* kAuthLocked = "auth.locked";
inline constexpr const char* kAuthForbidden = "auth.forbidden";
inline constexpr const char* kAccountUsernameTaken = "account.username_taken";
inline constexpr const char* kAccountPhoneTaken = "account.phone_taken";
inline constexpr const char* kAccountOrganizationRegistered = "account.organization_registered";

inline constexpr const char* kDocumentNotFound = "document.not_found";
inline constexpr const char* kVariantForbidden = "variant.forbidden";
inline constexpr const char* kVariantUnknown = "variant.unknown";
inline constexpr const char* kVariantNotAvailable = "variant.not_available";
inline constexpr const char* kPageNotFound = "page.not_found";
inline constexpr const char* kRangeNotSatisfiable = "range.not_satisfiable";

inline constexpr const char* kStorageIo = "storage.io";
inline constexpr const char* kStorageFull = "storage.full";
inline constexpr const char* kBlobCorrupt = "storage.blob_corrupt";
inline constexpr const char* kBlobMissing = "storage.blob_missing";
inline constexpr const char* kDatabase = "storage.database";

inline constexpr const char* kRenderGlyphMissing = "render.glyph_missing";
inline constexpr const char* kRenderFont = "render.font";
inline constexpr const char* kRenderFailed = "render.failed";
inline constexpr const char* kRenderUnknownDocument = "render.unknown_document";
inline constexpr const char* kRenderTemplate = "render.template";
inline constexpr const char* kSealNotFound = "seal.not_found";
inline constexpr const char* kValidationFailed = "validation.failed";

inline constexpr const char* kConfigInvalid = "config.invalid";
inline constexpr const char* kInternal = "internal";

}  // namespace dossier::codes

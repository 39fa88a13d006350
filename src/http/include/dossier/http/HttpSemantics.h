#pragma once

#include "dossier/core/JsonString.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dossier::http {

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // inclusive
    std::uint64_t length() const { return last - first + 1; }
};

enum class RangeOutcome { Ignore, Satisfiable, Unsatisfiable };

struct RangeRequest {
    RangeOutcome outcome = RangeOutcome::Ignore;
    ByteRange range;
};

/// RFC 9110 §14: one `bytes=` range (`a-b`, `a-`, `-n`) against a representation of `size`
/// bytes. Multiple ranges and syntax it does not understand are ignored (a full 200 is a
/// valid answer); a well-formed range that starts past the end is Unsatisfiable (416).
RangeRequest parseRange(std::string_view header, std::uint64_t size);

/// True if an If-None-Match header value matches the strong entity tag `etag` (quoted), or
/// is `*`. Weak comparison, as RFC 9110 prescribes for If-None-Match.
bool ifNoneMatchMatches(std::string_view header, std::string_view etag);

/// `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 and
/// RFC 8187) so browsers save a Chinese name correctly and old clients get a safe name. The
/// fallback holds only RFC 8187 attr-chars (letters, digits, `!#$&+-.^_`|~`): every other
/// character, each run of them one `_`, so no client can misread where it ends. The name
/// must already be at most 255 bytes (see fitFileName); it is not shortened here.
std::string contentDisposition(std::string_view disposition, std::string_view utf8Name);

/// RFC 8187 `UTF-8''...` / `utf-8'lang'...` value → UTF-8 bytes; nullopt if malformed, of
/// another charset, or not valid UTF-8 once decoded.
std::optional<std::string> decodeExtValue(std::string_view value);

/// What a multipart part's Content-Disposition says about its file name.
struct PartFileName {
    enum class Status { Absent, Present, Invalid };
    Status status = Status::Absent;
    std::string name;     // Present: as sent, decoded; not yet sanitized (may hold a path)
    std::string problem;  // Invalid: what is wrong, in words for the client
};

/// The file name of a multipart part's Content-Disposition header value.
/// - `filename*` (RFC 8187) wins over `filename`; it must be `UTF-8'[lang]'` followed by
///   attr-chars and %XX escapes decoding to valid UTF-8, or the result is Invalid (a
///   client that sends a broken name should hear so, not get a different name).
/// - `filename` is taken literally except for what clients escape: browsers (WHATWG HTML)
///   send '"', CR and LF as %22, %0D, %0A and never backslash-escape, so old Windows paths
///   ("C:\Users\scan.jpg") keep their backslashes for the name sanitizer to strip the
///   directories; curl and older clients send `\"` for a quote.
/// - Neither: Absent.
PartFileName partFileName(std::string_view headerValue);

/// A client-supplied X-Request-Id is reused only if it is 1–64 of [A-Za-z0-9._-].
bool isAcceptableRequestId(std::string_view id);

/// Kept here for the routes that include this header; the one definition is in core.
using dossier::appendJsonString;

}  // namespace dossier::http

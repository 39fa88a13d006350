#pragma once

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
/// RFC 8187/5987) so browsers save a Chinese name correctly and old clients get a safe name.
std::string contentDisposition(std::string_view disposition, std::string_view utf8Name);

/// RFC 8187 `UTF-8''...` / `utf-8'lang'...` value → UTF-8 bytes; nullopt if malformed.
std::optional<std::string> decodeExtValue(std::string_view value);

/// The file name of a multipart part's Content-Disposition header value, taken literally:
/// browsers percent-encode '"' and never backslash-escape, and old ones send Windows paths
/// ("C:\\Users\\scan.jpg") whose backslashes must survive for the name sanitizer to strip
/// the directories. `filename*` (RFC 8187) wins over `filename`. Empty if there is none.
std::string dispositionFileName(std::string_view headerValue);

/// A client-supplied X-Request-Id is reused only if it is 1–64 of [A-Za-z0-9._-].
bool isAcceptableRequestId(std::string_view id);

}  // namespace dossier::http
